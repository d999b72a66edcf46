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

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/diary"
)

// config is everything dnevnik reads from the environment. Each command reads only
// the groups it needs, so `migrate` does not ask for a Telegram token.
type config struct {
	DatabaseURL string
	RedisURL    string
	Telegram    telegramConfig
	HTTPAddr    string // the webhook and /healthz listen here; empty: no listener
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
	// SendRate is the messages per second all worker processes together send;
	// PaidBroadcast lifts Telegram's limit (paid per message) up to 1000/s.
	SendRate      float64
	PaidBroadcast bool
}

// needs says which groups of variables a command reads.
type needs uint8

const (
	needDatabase needs = 1 << iota
	needRedis
	mayRedis // read REDIS_URL when it is set
	needTelegram
	needMetrics
	needSecret
	maySecret // read DNEVNIK_SECRET when it is set (the demo makes one up)
	needRetention
)

// defaultRetentionDays is diary.DefaultRetention in days, as RETENTION_DAYS says it.
const defaultRetentionDays = int(diary.DefaultRetention / (24 * time.Hour))

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

// loadConfig reads the variables a command needs. It reports every problem, one
// error per variable, rather than stopping at the first.
func loadConfig(getenv func(string) string, n needs) (config, []error) {
	r := &envReader{getenv: getenv}
	c := config{getenv: getenv}
	c.LogLevel = r.logLevel("LOG_LEVEL", slog.LevelInfo)
	c.LogFormat = r.oneOf("LOG_FORMAT", "text", "text", "json")
	c.ShutdownTimeout = r.duration("SHUTDOWN_TIMEOUT", 30*time.Second)

	if n&needDatabase != 0 {
		c.DatabaseURL = r.required("DATABASE_URL", "the PostgreSQL URL, e.g. postgres://dnevnik:secret@localhost:5432/dnevnik")
		if c.DatabaseURL != "" {
			if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
				r.fail("DATABASE_URL", "is not a PostgreSQL connection string: %v", err)
			}
		}
	}
	switch {
	case n&needRedis != 0:
		c.RedisURL = r.required("REDIS_URL", "the Redis URL, e.g. redis://localhost:6379/0")
	case n&mayRedis != 0:
		c.RedisURL = getenv("REDIS_URL")
	}
	if c.RedisURL != "" {
		if _, err := redis.ParseURL(c.RedisURL); err != nil {
			r.fail("REDIS_URL", "is not a Redis URL: %v", err)
		}
	}
	if n&(needSecret|maySecret) != 0 {
		c.CodeSecrets = r.secrets("DNEVNIK_SECRET", n&needSecret != 0)
	}
	if n&needMetrics != 0 && r.withDefault("METRICS_ADDR", "") != "off" {
		c.MetricsAddr = r.listenAddr("METRICS_ADDR", defaultMetricsAddr)
	}
	if n&needRetention != 0 {
		c.Retention = time.Duration(r.wholeNumber("RETENTION_DAYS", defaultRetentionDays, 3650)) * 24 * time.Hour
	}
	if n&needTelegram != 0 {
		c.Telegram = r.telegram()
		c.HTTPAddr = r.listenAddr("HTTP_ADDR", "")
		if c.Telegram.WebhookURL != "" && c.HTTPAddr == "" {
			r.fail("HTTP_ADDR", "is required with TELEGRAM_WEBHOOK_URL: the address the webhook listens on, e.g. :8080")
		}
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
// Telegram only with some flags (codes without --bot), checked as loadConfig
// checks them for needTelegram.
func (c config) telegramAPI() (telegramConfig, []error) {
	r := &envReader{getenv: c.getenv}
	return r.telegramAPI(), r.errs
}

func (r *envReader) telegram() telegramConfig {
	t := r.telegramAPI()
	t.WebhookURL = r.httpURL("TELEGRAM_WEBHOOK_URL", "")
	t.WebhookSecret = r.getenv("TELEGRAM_WEBHOOK_SECRET")
	t.PaidBroadcast = r.boolean("TELEGRAM_PAID_BROADCAST")
	maxRate := 30.0 // Telegram's free limit for a bot
	if t.PaidBroadcast {
		maxRate = 1000
	}
	t.SendRate = r.number("TELEGRAM_SEND_RATE", 25, maxRate)
	switch {
	case t.WebhookURL != "" && t.WebhookSecret == "":
		r.fail("TELEGRAM_WEBHOOK_SECRET", "is required with TELEGRAM_WEBHOOK_URL, so that only Telegram can post updates")
	case t.WebhookSecret != "" && !secretPattern.MatchString(t.WebhookSecret):
		r.fail("TELEGRAM_WEBHOOK_SECRET", "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	}
	return t
}

// telegramAPI reads what any Bot API client needs: the token and the server.
func (r *envReader) telegramAPI() telegramConfig {
	var t telegramConfig
	t.Token = r.required("TELEGRAM_TOKEN", "the bot token from @BotFather")
	if t.Token != "" && !tokenPattern.MatchString(t.Token) {
		r.fail("TELEGRAM_TOKEN", "does not look like a bot token (digits, a colon, then at least 20 letters, digits, _ or -)")
	}
	t.APIURL = r.httpURL("TELEGRAM_API_URL", "https://api.telegram.org")
	return t
}

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
