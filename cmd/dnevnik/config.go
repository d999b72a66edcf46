package main

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/webapp"
)

// config is everything dnevnik reads from the environment. Each command reads only
// the groups it needs, so `migrate` does not ask for a Telegram token.
type config struct {
	DatabaseURL string
	// DatabaseReadURL is where the family's views read, a streaming replica;
	// empty: DATABASE_URL.
	DatabaseReadURL string
	// Redis is REDIS_URL: one server, Sentinel or Cluster (redis.go); unset
	// when Redis.set() is false.
	Redis    redisConn
	Telegram telegramConfig
	HTTPAddr string // the webhook and /healthz listen here; empty: no listener
	// PublicURL is the https address under which HTTP_ADDR is reached from
	// outside, without a trailing slash: the calendar feeds' addresses start
	// with it. Empty: no calendars.
	PublicURL string
	// WebAppURL is the Mini App's public https address, where HTTP_ADDR's
	// webapp.Path is reached (WEBAPP_URL); it ends in that path. Empty: no
	// Mini App.
	WebAppURL string
	// CodeSecrets are the secrets link codes are stored under, the first for
	// new codes (DNEVNIK_SECRET, comma-separated while rotating).
	CodeSecrets []string
	// MetricsAddr is where /metrics listens, apart from the public webhook
	// port: loopback by default; empty ("off"): nowhere.
	MetricsAddr string
	// Retention is how long the worker keeps what the diary no longer needs
	// (RETENTION_DAYS): sent messages, spent codes, ended links.
	Retention time.Duration

	LogLevel        slog.Level
	LogFormat       string // text or json
	ShutdownTimeout time.Duration

	// getenv stays for the settings a command reads only with some flags:
	// see telegramAPI.
	getenv func(string) string
}

type telegramConfig struct {
	Token         string
	APIURL        string
	WebhookURL    string // empty: long polling
	WebhookSecret string
	// WebhookConnections is setWebhook's max_connections: how many updates
	// Telegram posts at once.
	WebhookConnections int
	// SendRate is the messages per second all worker processes together send;
	// PaidBroadcast lifts Telegram's limit (paid per message) up to 1000/s.
	SendRate      float64
	PaidBroadcast bool
}

// needs says which groups of variables a command reads (settings.go).
type needs uint16

const (
	needDatabase needs = 1 << iota
	needRedis
	mayRedis     // read REDIS_URL when it is set
	needTelegram // the token and the Bot API server
	mayTelegram  // the same, read by the command itself as its flags say
	needWebhook  // the webhook's URL and secret
	needHTTP     // HTTP_ADDR: the webhook and /healthz
	needSending  // the send rate
	needMetrics
	needSecret
	maySecret // read DNEVNIK_SECRET when it is set (the demo makes one up)
	needRetention
	needViews  // DATABASE_READ_URL: the commands that answer families
	needPublic // PUBLIC_URL: the commands that serve calendar feeds
)

// minSecretLength is the least a code secret may have: 32 hex digits are 128 bits.
const minSecretLength = 32

// defaultMetricsAddr keeps /metrics off the network unless asked.
const defaultMetricsAddr = "127.0.0.1:9090"

// configError names the variable and what is wrong with it.
type configError struct {
	Var     string
	Problem string
}

func (e *configError) Error() string { return e.Var + " " + e.Problem }

// loadConfig reads the variables a command needs (settings). It reports
// every problem, one error per variable, rather than stopping at the first.
func loadConfig(getenv func(string) string, n needs) (config, []error) {
	r := &envReader{getenv: getenv}
	c := config{getenv: getenv}
	for _, s := range settings {
		if read, needed := s.readBy(n); read {
			s.read(r, &c, needed)
		}
	}
	// What a webhook needs besides its URL.
	if c.Telegram.WebhookURL != "" {
		if c.Telegram.WebhookSecret == "" {
			r.fail("TELEGRAM_WEBHOOK_SECRET", "is required with TELEGRAM_WEBHOOK_URL, so that only Telegram can post updates")
		}
		if c.HTTPAddr == "" {
			r.fail("HTTP_ADDR", "is required with TELEGRAM_WEBHOOK_URL: the address the webhook listens on, e.g. :8080")
		}
	}
	if c.PublicURL != "" && c.HTTPAddr == "" {
		r.fail("HTTP_ADDR", "is required with PUBLIC_URL: the address the calendar feeds are served on, e.g. :8080")
	}
	if c.WebAppURL != "" && c.HTTPAddr == "" {
		r.fail("HTTP_ADDR", "is required with WEBAPP_URL: the address the Mini App is served on, e.g. :8080")
	}
	return c, r.errs
}

var (
	// A bot token is "<bot id>:<secret>"; the value itself is never echoed.
	tokenPattern = regexp.MustCompile(`^[0-9]+:[A-Za-z0-9_-]{20,}$`)
	// Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and - in a webhook secret.
	secretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)
)

// telegramAPI reads the token and the Bot API server for a command that talks to
// Telegram only with some flags (codes without --bot, demo with a token), checked
// as loadConfig checks them for needTelegram.
func (c config) telegramAPI() (telegramConfig, []error) {
	r := &envReader{getenv: c.getenv}
	return telegramConfig{Token: r.token(), APIURL: r.apiURL()}, r.errs
}

// token reads TELEGRAM_TOKEN; the value itself is never echoed.
func (r *envReader) token() string {
	t := r.required("TELEGRAM_TOKEN", "the bot token from @BotFather")
	if t != "" && !tokenPattern.MatchString(t) {
		r.fail("TELEGRAM_TOKEN", "does not look like a bot token (digits, a colon, then at least 20 letters, digits, _ or -)")
	}
	return t
}

// apiURL reads TELEGRAM_API_URL.
func (r *envReader) apiURL() string { return r.httpURL("TELEGRAM_API_URL", "https://api.telegram.org") }

// envReader reads typed variables and collects what is wrong with them.
type envReader struct {
	getenv func(string) string
	errs   []error
}

// fail records what is wrong with a variable. A URL's password never shows:
// parsers quote the URL they refuse.
func (r *envReader) fail(name, format string, args ...any) {
	problem := fmt.Sprintf(format, args...)
	if pw := urlPassword(r.getenv(name)); pw != "" {
		problem = strings.ReplaceAll(problem, pw, "xxxxx")
		if unescaped, err := url.PathUnescape(pw); err == nil {
			problem = strings.ReplaceAll(problem, unescaped, "xxxxx")
		}
	}
	r.errs = append(r.errs, &configError{Var: name, Problem: problem})
}

// urlPassword is the password of a URL's user info ("scheme://user:password@
// host/…"), found by hand: the URLs it matters for are those a parser refused.
func urlPassword(raw string) string {
	_, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return ""
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, password, _ := strings.Cut(rest[:at], ":")
	return password
}

func (r *envReader) required(name, what string) string {
	v := strings.TrimSpace(r.getenv(name))
	if v == "" {
		r.fail(name, "is not set: it is %s", what)
	}
	return v
}

func (r *envReader) withDefault(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *envReader) duration(name string, def time.Duration) time.Duration {
	v := r.withDefault(name, "")
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	switch {
	case err != nil:
		r.fail(name, "is %q, which is not a duration (write it like 30s, 2m or 1h30m)", v)
	case d <= 0:
		r.fail(name, "is %q; it must be longer than zero", v)
	}
	return d
}

func (r *envReader) oneOf(name, def string, allowed ...string) string {
	v := strings.ToLower(r.withDefault(name, def))
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, "is %q; it must be one of %s", v, strings.Join(allowed, ", "))
	return def
}

func (r *envReader) logLevel(name string, def slog.Level) slog.Level {
	v := r.withDefault(name, "")
	if v == "" {
		return def
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(v)); err != nil {
		r.fail(name, "is %q, which is not a log level (debug, info, warn or error)", v)
		return def
	}
	return l
}

// httpURL reads an absolute http(s) URL; def may be empty for an optional one.
func (r *envReader) httpURL(name, def string) string {
	v := r.withDefault(name, def)
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	switch {
	case err != nil:
		r.fail(name, "is %q, which is not a URL: %v", v, err)
	case u.Scheme != "http" && u.Scheme != "https":
		r.fail(name, "is %q; it must start with https:// or http://", v)
	case u.Host == "":
		r.fail(name, "is %q, which has no host", v)
	}
	return strings.TrimRight(v, "/")
}

// httpsURL reads a public address: https (plain http only for a loopback
// host: a test, a demo) with no ?query or #fragment, since paths go after
// it; why says why https. It returns the address and its parts, or "" and
// nil when unset or wrong (said).
func (r *envReader) httpsURL(name, why string) (string, *url.URL) {
	problems := len(r.errs)
	v := r.httpURL(name, "")
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	switch {
	case err != nil || len(r.errs) > problems: // httpURL said what is wrong
		return "", nil
	case u.RawQuery != "" || u.Fragment != "":
		r.fail(name, "is %q; it must have no ?query or #fragment: paths go after it", v)
	case u.Scheme != "https" && !isLoopback(u.Hostname()):
		r.fail(name, "is %q; it must start with https:// (plain http only for localhost): %s", v, why)
	default:
		return v, u
	}
	return "", nil
}

// publicURL reads the https address HTTP_ADDR is reached under.
func (r *envReader) publicURL(name string) string {
	v, _ := r.httpsURL(name, "a calendar address is a key")
	return v
}

// webAppURL reads the Mini App's public address, its path webapp.Path or
// none (then webapp.Path is added), since the page asks for its screens
// under that path.
func (r *envReader) webAppURL(name string) string {
	v, u := r.httpsURL(name, "Telegram opens only https")
	switch {
	case u == nil:
		return ""
	case u.Path != "" && u.Path+"/" != webapp.Path:
		r.fail(name, "is %q; its path must be %s (or none): the page asks for its screens there", v, webapp.Path)
		return ""
	}
	return u.Scheme + "://" + u.Host + webapp.Path
}

// isLoopback tells whether a host is this machine.
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// number reads a positive number up to max.
func (r *envReader) number(name string, def, max float64) float64 {
	v := r.withDefault(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || n <= 0 || n > max {
		r.fail(name, "is %q; it must be a number above 0 and at most %g", v, max)
		return def
	}
	return n
}

// wholeNumber reads a whole number from 1 up to max.
func (r *envReader) wholeNumber(name string, def, max int) int {
	v := r.withDefault(name, "")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > max {
		r.fail(name, "is %q; it must be a whole number from 1 to %d", v, max)
		return def
	}
	return n
}

// boolean reads true/false (also 1/0, yes/no); unset is false.
func (r *envReader) boolean(name string) bool {
	switch v := strings.ToLower(r.withDefault(name, "false")); v {
	case "true", "1", "yes", "on":
		return true
	case "false", "0", "no", "off":
		return false
	default:
		r.fail(name, "is %q; it must be true or false", v)
		return false
	}
}

// secrets reads a comma-separated list of secrets, each minSecretLength long
// at least; never echoed.
func (r *envReader) secrets(name string, required bool) []string {
	var secrets []string
	for secret := range strings.SplitSeq(r.getenv(name), ",") {
		if secret = strings.TrimSpace(secret); secret == "" {
			continue
		}
		if len(secret) < minSecretLength {
			r.fail(name, "has a secret of %d characters; each needs %d at least: generate one with `openssl rand -hex 32`",
				len(secret), minSecretLength)
		}
		secrets = append(secrets, secret)
	}
	if len(secrets) == 0 && required {
		r.fail(name, "is not set: it is the secret link codes are stored under; generate one with `openssl rand -hex 32`")
	}
	return secrets
}

// listenAddr reads a host:port to listen on (":8080", "127.0.0.1:8080"); def
// may be empty for an optional one.
func (r *envReader) listenAddr(name, def string) string {
	v := r.withDefault(name, def)
	if v == "" {
		return ""
	}
	if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
		r.fail(name, "is %q, which is not a listen address like :8080 or 127.0.0.1:8080", v)
	}
	return v
}
