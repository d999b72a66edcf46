package telegram

import (
	"log/slog"
	"net/http"
	"time"

	tg "github.com/go-telegram/bot"
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
// of sockets in TIME_WAIT. A paid broadcast keeps about a hundred calls open
// at once (1000 a second over Telegram's 100 ms), and more while Telegram is
// slow: their connections are kept too. TestClientReusesConnections shows it.
func NewHTTPClient(pollTimeout time.Duration) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConns = 256
	transport.MaxIdleConnsPerHost = 256
	return &http.Client{Transport: transport, Timeout: pollTimeout + requestTimeout}
}

// ClientOptions are what every Telegram client of ours is made with: the Bot
// API at apiURL ("" for Telegram's own), the HTTP client for pollTimeout
// (NewHTTPClient), no getMe of the library's (it ignores the context; a
// caller that needs it calls it), and the library's own errors logged
// through log, in the process's LOG_FORMAT and LOG_LEVEL: by default the
// library prints them as text with the log package.
func ClientOptions(apiURL string, pollTimeout time.Duration, log *slog.Logger) []tg.Option {
	opts := []tg.Option{
		tg.WithSkipGetMe(),
		tg.WithHTTPClient(pollTimeout, NewHTTPClient(pollTimeout)),
		tg.WithErrorsHandler(func(err error) { log.Warn("telegram client", "err", err) }),
	}
	if apiURL != "" {
		opts = append(opts, tg.WithServerURL(apiURL))
	}
	return opts
}
