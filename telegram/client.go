package telegram

import (
	"net/http"
	"time"
)

// MessageLimit is the most characters to put in one message: Telegram's 4096,
// less a margin for what render.Split's count misses (runes of the HTML as
// sent, where Telegram counts UTF-16 code units of the text after parsing).
const MessageLimit = 4000

// requestTimeout bounds one call to Telegram, past a long poll's wait; one
// that hangs is retried.
const requestTimeout = 30 * time.Second

// NewHTTPClient returns the HTTP client to give a Telegram client, with the
// same pollTimeout: bot.WithHTTPClient(pollTimeout, NewHTTPClient(pollTimeout)),
// 0 for a client that never polls for updates. net/http's default keeps two
// idle connections to a host, so concurrent calls would each open a
// connection of their own (a TLS handshake with Telegram) and leave thousands
// of sockets in TIME_WAIT.
func NewHTTPClient(pollTimeout time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: transport, Timeout: pollTimeout + requestTimeout}
}
