package main

import (
	"bytes"
	"context"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/jobs"
)

func envFrom(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// telegramAll is every Telegram setting: what serve reads.
const telegramAll = needTelegram | needWebhook | needHTTP | needSending

const goodToken = "123456789:AAExampleExampleExampleExample_-"

// testSecret is the DNEVNIK_SECRET of the tests' commands.
const testSecret = "test-secret-0123456789abcdef0123456789"

func TestConfigDefaults(t *testing.T) {
	cfg, errs := loadConfig(envFrom(map[string]string{
		"DATABASE_URL":   "postgres://u:p@db:5432/dnevnik",
		"REDIS_URL":      "redis://redis:6379/0",
		"TELEGRAM_TOKEN": goodToken,
	}), needDatabase|needRedis|telegramAll|needMetrics)
	if len(errs) > 0 {
		t.Fatalf("errors: %v", errs)
	}
	if cfg.Telegram.APIURL != "https://api.telegram.org" || cfg.Telegram.WebhookURL != "" ||
		cfg.HTTPAddr != "" || cfg.MetricsAddr != "127.0.0.1:9090" || cfg.LogFormat != "text" || cfg.LogLevel.String() != "INFO" ||
		cfg.ShutdownTimeout != 30*time.Second || cfg.Telegram.SendRate != jobs.DefaultRate(false) || cfg.Telegram.PaidBroadcast {
		t.Errorf("defaults: %+v", cfg)
	}
}

// /metrics listens on loopback unless told otherwise, and nowhere when told "off".
func TestConfigMetricsAddr(t *testing.T) {
	for value, want := range map[string]string{"": "127.0.0.1:9090", "off": "", ":9100": ":9100"} {
		cfg, errs := loadConfig(envFrom(map[string]string{"METRICS_ADDR": value}), needMetrics)
		if len(errs) > 0 || cfg.MetricsAddr != want {
			t.Errorf("METRICS_ADDR=%q: %q, %v; want %q", value, cfg.MetricsAddr, errs, want)
		}
	}
	if _, errs := loadConfig(envFrom(map[string]string{"METRICS_ADDR": "9100"}), needMetrics); len(errs) != 1 {
		t.Errorf("METRICS_ADDR=9100: %v, want one error", errs)
	}
}

// RETENTION_DAYS is how long the worker keeps what the diary no longer needs:
// 90 days unless set, whole days from 1 to ten years.
func TestConfigRetention(t *testing.T) {
	for value, want := range map[string]time.Duration{"": 90 * 24 * time.Hour, "30": 30 * 24 * time.Hour} {
		cfg, errs := loadConfig(envFrom(map[string]string{"RETENTION_DAYS": value}), needRetention)
		if len(errs) > 0 || cfg.Retention != want {
			t.Errorf("RETENTION_DAYS=%q: %v, %v; want %v", value, cfg.Retention, errs, want)
		}
	}
	for _, bad := range []string{"0", "-5", "1.5", "90d", "4000"} {
		_, errs := loadConfig(envFrom(map[string]string{"RETENTION_DAYS": bad}), needRetention)
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "RETENTION_DAYS is") {
			t.Errorf("RETENTION_DAYS=%q: %v, want one error naming it", bad, errs)
		}
	}
}

func TestConfigErrorsNameTheVariable(t *testing.T) {
	db := "postgres://u:p@db:5432/dnevnik"
	cases := []struct {
		name  string
		needs needs
		env   map[string]string
		want  []string // one line each, in order
	}{
		{"missing database", needDatabase, nil,
			[]string{"DATABASE_URL is not set"}},
		{"malformed database URL", needDatabase, map[string]string{"DATABASE_URL": "mysql://x"},
			[]string{"DATABASE_URL is not a PostgreSQL connection string"}},
		{"bad duration", needDatabase, map[string]string{"DATABASE_URL": db, "SHUTDOWN_TIMEOUT": "ten"},
			[]string{`SHUTDOWN_TIMEOUT is "ten", which is not a duration`}},
		{"zero duration", needDatabase, map[string]string{"DATABASE_URL": db, "SHUTDOWN_TIMEOUT": "0s"},
			[]string{`SHUTDOWN_TIMEOUT is "0s"; it must be longer than zero`}},
		{"bad log level and format", 0, map[string]string{"LOG_LEVEL": "loud", "LOG_FORMAT": "xml"},
			[]string{`LOG_LEVEL is "loud"`, `LOG_FORMAT is "xml"; it must be one of text, json`}},
		{"webhook connections out of range", needWebhook, map[string]string{"TELEGRAM_WEBHOOK_MAX_CONNECTIONS": "500"},
			[]string{`TELEGRAM_WEBHOOK_MAX_CONNECTIONS is "500"; it must be a whole number from 1 to 100`}},
		{"missing redis", needRedis, nil,
			[]string{"REDIS_URL is not set"}},
		{"malformed redis URL", needRedis, map[string]string{"REDIS_URL": "http://redis:6379"},
			[]string{"REDIS_URL is not a Redis URL"}},
		{"missing token", telegramAll, nil,
			[]string{"TELEGRAM_TOKEN is not set"}},
		{"malformed token is not echoed", telegramAll, map[string]string{"TELEGRAM_TOKEN": "secret-but-wrong"},
			[]string{"TELEGRAM_TOKEN does not look like a bot token"}},
		{"API URL without scheme", telegramAll, map[string]string{"TELEGRAM_TOKEN": goodToken, "TELEGRAM_API_URL": "api.example.org"},
			[]string{`TELEGRAM_API_URL is "api.example.org"; it must start with https://`}},
		{"webhook without secret and address", telegramAll, map[string]string{"TELEGRAM_TOKEN": goodToken, "TELEGRAM_WEBHOOK_URL": "https://bot.school.ru/tg"},
			[]string{"TELEGRAM_WEBHOOK_SECRET is required", "HTTP_ADDR is required"}},
		{"send rate above Telegram's limit", telegramAll, map[string]string{"TELEGRAM_TOKEN": goodToken, "TELEGRAM_SEND_RATE": "50"},
			[]string{`TELEGRAM_SEND_RATE is "50"; it must be a number above 0 and at most 30`}},
		{"bad paid broadcast switch", telegramAll, map[string]string{"TELEGRAM_TOKEN": goodToken, "TELEGRAM_PAID_BROADCAST": "maybe"},
			[]string{`TELEGRAM_PAID_BROADCAST is "maybe"; it must be true or false`}},
		{"bad webhook secret and address", telegramAll, map[string]string{"TELEGRAM_TOKEN": goodToken, "TELEGRAM_WEBHOOK_URL": "https://bot.school.ru/tg",
			"TELEGRAM_WEBHOOK_SECRET": "has spaces", "HTTP_ADDR": "8080"},
			[]string{"TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters", `HTTP_ADDR is "8080", which is not a listen address`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, errs := loadConfig(envFrom(c.env), c.needs)
			if len(errs) != len(c.want) {
				t.Fatalf("got %d errors %v, want %d", len(errs), errs, len(c.want))
			}
			for i, err := range errs {
				if !strings.HasPrefix(err.Error(), c.want[i]) {
					t.Errorf("error %d = %q, want it to start with %q", i, err, c.want[i])
				}
				if strings.Contains(err.Error(), "secret-but-wrong") {
					t.Errorf("error echoes the token: %q", err)
				}
			}
		})
	}
}

// The contract scripts rely on: a missing variable is one line naming it, exit 2.
func TestMissingVariableExitsTwoWithOneLine(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"migrate", "up"}, envFrom(nil), &stdout, &stderr)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "DATABASE_URL") {
		t.Errorf("stderr = %q, want one line naming DATABASE_URL", stderr.String())
	}
}

// A command that talks to Telegram only with some flags (codes without --bot)
// reads the token and the server when it needs them, checked as loadConfig checks
// them, and nothing of the webhook.
func TestConfigTelegramAPIOnDemand(t *testing.T) {
	cfg, errs := loadConfig(envFrom(map[string]string{
		"DATABASE_URL":         "postgres://u:p@db:5432/dnevnik",
		"TELEGRAM_API_URL":     "api.example.org",
		"TELEGRAM_WEBHOOK_URL": "https://bot.school.ru/tg",
	}), needDatabase)
	if len(errs) > 0 {
		t.Fatalf("Telegram was read before it was needed: %v", errs)
	}
	_, errs = cfg.telegramAPI()
	want := []string{"TELEGRAM_TOKEN is not set", `TELEGRAM_API_URL is "api.example.org"; it must start with https://`}
	if len(errs) != len(want) {
		t.Fatalf("got errors %v, want %d", errs, len(want))
	}
	for i, err := range errs {
		if !strings.HasPrefix(err.Error(), want[i]) {
			t.Errorf("error %d = %q, want it to start with %q", i, err, want[i])
		}
	}

	cfg, _ = loadConfig(envFrom(map[string]string{"TELEGRAM_TOKEN": goodToken}), 0)
	tg, errs := cfg.telegramAPI()
	if len(errs) > 0 || tg.Token != goodToken || tg.APIURL != "https://api.telegram.org" {
		t.Errorf("telegramAPI = %+v, %v", tg, errs)
	}
}

func TestPaidBroadcastRaisesTheRateLimit(t *testing.T) {
	cfg, errs := loadConfig(envFrom(map[string]string{"TELEGRAM_TOKEN": goodToken,
		"TELEGRAM_PAID_BROADCAST": "true", "TELEGRAM_SEND_RATE": "500"}), telegramAll)
	if len(errs) > 0 || !cfg.Telegram.PaidBroadcast || cfg.Telegram.SendRate != 500 {
		t.Errorf("config %+v, errors %v", cfg.Telegram, errs)
	}
	// Unless set, the rate is the paid limit's less the margin (jobs.DefaultRate), not the free one's.
	cfg, errs = loadConfig(envFrom(map[string]string{"TELEGRAM_TOKEN": goodToken, "TELEGRAM_PAID_BROADCAST": "true"}), telegramAll)
	if len(errs) > 0 || math.Abs(cfg.Telegram.SendRate-975.6) > 0.1 {
		t.Errorf("paid broadcast's default rate %v, errors %v", cfg.Telegram.SendRate, errs)
	}
}

// No error ever shows a password: each URL-shaped setting, malformed with a
// password in it, and a database that cannot be reached with one, leave
// stderr without it.
func TestErrorsNeverShowAPassword(t *testing.T) {
	const password = "Sup3r-S3cret%21pass"
	base := map[string]string{
		"DATABASE_URL":   "postgres://dnevnik:" + password + "@127.0.0.1:1/dnevnik?connect_timeout=1",
		"REDIS_URL":      "redis://:" + password + "@127.0.0.1:1/0",
		"TELEGRAM_TOKEN": goodToken,
	}
	for _, c := range []struct {
		name, value string
		args        []string
	}{
		{"DATABASE_URL", "postgres://dnevnik:" + password + "@db:port/dnevnik", []string{"migrate", "status"}},
		{"DATABASE_URL", "postgres://dnevnik:" + password + "@127.0.0.1:1/dnevnik?connect_timeout=1", []string{"migrate", "status"}},
		{"REDIS_URL", "redis://:" + password + "@redis:port/0", []string{"worker"}},
		{"REDIS_URL", "rediss://user:" + password + "@redis:6379/zero", []string{"worker"}},
		{"TELEGRAM_API_URL", "http://user:" + password + "@api:port", []string{"worker"}},
		{"TELEGRAM_WEBHOOK_URL", "https://user:" + password + "@hook:port/x", []string{"serve"}},
	} {
		env := maps.Clone(base)
		env[c.name] = c.value
		code, out, stderr := dnevnik(t, env, c.args...)
		if code == exitOK {
			t.Errorf("%s=%s: dnevnik %v succeeded", c.name, c.value, c.args)
		}
		for _, secret := range []string{password, "Sup3r-S3cret!pass"} {
			if strings.Contains(out+stderr, secret) {
				t.Errorf("%s: dnevnik %v printed the password:\n%s%s", c.name, c.args, out, stderr)
			}
		}
	}
}

// DNEVNIK_SECRET: required where codes are read or made, a list while
// rotating, each long enough, never echoed.
func TestConfigSecrets(t *testing.T) {
	long, other := strings.Repeat("a", 32), strings.Repeat("b", 40)
	cfg, errs := loadConfig(envFrom(map[string]string{"DNEVNIK_SECRET": other + " , " + long}), needSecret)
	if len(errs) > 0 || !slices.Equal(cfg.CodeSecrets, []string{other, long}) {
		t.Errorf("a rotation: %q, %v", cfg.CodeSecrets, errs)
	}
	if _, errs := loadConfig(envFrom(nil), needSecret); len(errs) != 1 || !strings.Contains(errs[0].Error(), "DNEVNIK_SECRET is not set") {
		t.Errorf("missing: %v", errs)
	}
	if cfg, errs := loadConfig(envFrom(nil), maySecret); len(errs) > 0 || cfg.CodeSecrets != nil {
		t.Errorf("optional and missing: %q, %v", cfg.CodeSecrets, errs)
	}
	_, errs = loadConfig(envFrom(map[string]string{"DNEVNIK_SECRET": "short-secret-value"}), needSecret)
	if len(errs) != 1 || strings.Contains(errs[0].Error(), "short-secret-value") {
		t.Errorf("short: %v; want one error that does not echo it", errs)
	}
	for _, c := range commands() {
		if (c.name == "serve" || c.name == "bot" || c.name == "codes") != (c.needs&needSecret != 0) {
			t.Errorf("%s needs the secret: %v", c.name, c.needs&needSecret != 0)
		}
	}
}
