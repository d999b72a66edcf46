package main

import (
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/jobs"
)

// setting is one environment variable, declared once: loadConfig reads it
// with read, `COMMAND --help` lists it for the commands that read it, and the
// README's table is this table (TestREADMEListsEverySetting).
type setting struct {
	name string
	// def is the default as people read it ("`25`", "empty (long polling)"),
	// or "required".
	def string
	// needs: the commands whose needs meet these read it (none: every
	// command); optional: these read it only when it is set.
	needs, optional needs
	meaning         string
	// read reads the variable into c; needed is false for a command that
	// reads it only when set.
	read func(r *envReader, c *config, needed bool)
}

// defaultRetentionDays is diary.DefaultRetention in days, as RETENTION_DAYS says it.
const defaultRetentionDays = int(diary.DefaultRetention / (24 * time.Hour))

// settings are every variable, in the order the README and --help list them.
var settings = []setting{
	{name: "DATABASE_URL", def: "required", needs: needDatabase,
		meaning: "PostgreSQL URL or key=value string, e.g. `postgres://dnevnik:secret@db:5432/dnevnik`",
		read: func(r *envReader, c *config, _ bool) {
			c.DatabaseURL = r.required("DATABASE_URL", "the PostgreSQL URL, e.g. postgres://dnevnik:secret@localhost:5432/dnevnik")
			if c.DatabaseURL != "" {
				if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
					r.fail("DATABASE_URL", "is not a PostgreSQL connection string: %v", err)
				}
			}
		}},
	{name: "DATABASE_READ_URL", def: "empty (the views read `DATABASE_URL`)", needs: needViews,
		meaning: "a streaming replica of `DATABASE_URL` that the family's views read (days, weeks, grades, attendance, " +
			"remarks, homework, missed topics), in the same form. Writes, the access rule, the teachers' screens and " +
			"everything the worker reads stay on `DATABASE_URL`; a view may lag a write by the replica's delay",
		read: func(r *envReader, c *config, _ bool) {
			c.DatabaseReadURL = r.withDefault("DATABASE_READ_URL", "")
			if c.DatabaseReadURL != "" {
				if _, err := pgxpool.ParseConfig(c.DatabaseReadURL); err != nil {
					r.fail("DATABASE_READ_URL", "is not a PostgreSQL connection string: %v", err)
				}
			}
		}},
	{name: "REDIS_URL", def: "required", needs: needRedis, optional: mayRedis,
		meaning: "the task queues and the shared send rate: one Redis, `redis://[user:password@]host:6379/0` " +
			"(`rediss://` with TLS); a master found by Redis Sentinel, " +
			"`redis+sentinel://[user:password@]sentinel1:26379/0?master_name=NAME&addr=sentinel2:26379` (the password is " +
			"Redis's; `sentinel_password=` in the query for the sentinels' own); or a Redis Cluster, " +
			"`redis+cluster://[user:password@]node1:6379?addr=node2:6379&addr=node3:6379`. `import` and " +
			"`links revoke` use it to wake the worker, `demo` instead of a Redis in the process, `bench broadcast` for the worker it starts",
		read: func(r *envReader, c *config, required bool) {
			var raw string
			if required {
				raw = r.required("REDIS_URL", "the Redis URL, e.g. redis://localhost:6379/0")
			} else {
				raw = strings.TrimSpace(r.getenv("REDIS_URL"))
			}
			if raw != "" {
				var err error
				if c.Redis, err = parseRedisURL(raw); err != nil {
					r.fail("REDIS_URL", "is not a Redis URL: %v", err)
				}
			}
		}},
	{name: "TELEGRAM_TOKEN", def: "required", needs: needTelegram, optional: mayTelegram,
		meaning: "the bot token from @BotFather; never printed. `codes` reads it without `--bot`; `demo` runs on " +
			"Telegram when it is set",
		read: func(r *envReader, c *config, required bool) {
			if required { // else the command reads it as its flags say (config.telegramAPI)
				c.Telegram.Token = r.token()
			}
		}},
	{name: "TELEGRAM_API_URL", def: "`https://api.telegram.org`", needs: needTelegram, optional: mayTelegram,
		meaning: "the Bot API server: Telegram, a local Bot API server, or the test fake",
		read: func(r *envReader, c *config, required bool) {
			if required {
				c.Telegram.APIURL = r.apiURL()
			}
		}},
	{name: "TELEGRAM_WEBHOOK_URL", def: "empty (long polling)", needs: needWebhook,
		meaning: "the public https URL Telegram posts updates to; turns on webhook mode",
		read:    func(r *envReader, c *config, _ bool) { c.Telegram.WebhookURL = r.httpURL("TELEGRAM_WEBHOOK_URL", "") }},
	{name: "TELEGRAM_WEBHOOK_SECRET", def: "required with a webhook", needs: needWebhook,
		meaning: "1–256 characters `A-Z a-z 0-9 _ -`; Telegram sends it with every update",
		read: func(r *envReader, c *config, _ bool) {
			c.Telegram.WebhookSecret = r.getenv("TELEGRAM_WEBHOOK_SECRET")
			if s := c.Telegram.WebhookSecret; s != "" && !secretPattern.MatchString(s) {
				r.fail("TELEGRAM_WEBHOOK_SECRET", "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
			}
		}},
	{name: "TELEGRAM_WEBHOOK_MAX_CONNECTIONS", def: "`40`", needs: needWebhook,
		meaning: fmt.Sprintf("how many updates Telegram may post to the webhook at once (`max_connections`, 1 to 100); "+
			"the bot handles %d at a time and the others wait", bot.DefaultWorkers),
		read: func(r *envReader, c *config, _ bool) {
			c.Telegram.WebhookConnections = r.wholeNumber("TELEGRAM_WEBHOOK_MAX_CONNECTIONS", 40, 100)
		}},
	{name: "HTTP_ADDR", def: "empty (no listener); required with a webhook", needs: needHTTP,
		meaning: "where the webhook and `/healthz` listen, e.g. `:8080`",
		read:    func(r *envReader, c *config, _ bool) { c.HTTPAddr = r.listenAddr("HTTP_ADDR", "") }},
	{name: "PUBLIC_URL", def: "empty (no calendars)", needs: needPublic,
		meaning: "the public https address under which `HTTP_ADDR` is reached, e.g. `https://dnevnik.school.example` " +
			"(plain http only for localhost): `/calendar` gives each account a private calendar feed at " +
			"`PUBLIC_URL/calendar/TOKEN.ics`, served on `HTTP_ADDR` (which it requires) by `bot` and `serve`, " +
			"in webhook and polling mode alike. A proxy may map a path prefix of it onto `HTTP_ADDR`'s `/calendar/`",
		read: func(r *envReader, c *config, _ bool) { c.PublicURL = r.publicURL("PUBLIC_URL") }},
	{name: "WEBAPP_URL", def: "empty (no Mini App)", needs: needPublic,
		meaning: "the diary as a Telegram Mini App: its public https address, `https://HOST/app/` (plain http only " +
			"for localhost), where `HTTP_ADDR`'s `/app/` is reached; `bot` and `serve` then serve it on `HTTP_ADDR` " +
			"(which it requires), set the bot's menu button to open it and add «📖 Открыть дневник» under `/today`, " +
			"`/schedule` and `/grades`",
		read: func(r *envReader, c *config, _ bool) { c.WebAppURL = r.webAppURL("WEBAPP_URL") }},
	{name: "DNEVNIK_SECRET", def: "required", needs: needSecret, optional: maySecret,
		meaning: "the secret link codes and invitations are stored under (HMAC-SHA256), kept out of the database and " +
			"its backups: `openssl rand -hex 32`, 32 characters at least. To rotate it, set `NEW,OLD`: new codes are stored " +
			"under the first, codes of either still work; drop `OLD` once the codes issued under it have expired (14 days " +
			"by default, `codes --ttl`). Codes stored before this setting existed keep working until they expire. `demo` " +
			"and `bench` make one up",
		read: func(r *envReader, c *config, required bool) { c.CodeSecrets = r.secrets("DNEVNIK_SECRET", required) }},
	{name: "METRICS_ADDR", def: "`" + defaultMetricsAddr + "`", needs: needMetrics,
		meaning: "where `/metrics` (Prometheus) listens, apart from the public port; `off` for nowhere",
		read: func(r *envReader, c *config, _ bool) {
			if r.withDefault("METRICS_ADDR", "") != "off" {
				c.MetricsAddr = r.listenAddr("METRICS_ADDR", defaultMetricsAddr)
			}
		}},
	{name: "RETENTION_DAYS", def: fmt.Sprintf("`%d`", defaultRetentionDays), needs: needRetention,
		meaning: "how long the worker keeps what the diary no longer needs: messages' delivery rows, used and expired " +
			"codes, ended links, accounts left with none",
		read: func(r *envReader, c *config, _ bool) {
			c.Retention = time.Duration(r.wholeNumber("RETENTION_DAYS", defaultRetentionDays, 3650)) * 24 * time.Hour
		}},
	{name: "TELEGRAM_PAID_BROADCAST", def: "`false`", needs: needSending,
		meaning: "send with `allow_paid_broadcast` (Telegram charges per message above 30/s)",
		read:    func(r *envReader, c *config, _ bool) { c.Telegram.PaidBroadcast = r.boolean("TELEGRAM_PAID_BROADCAST") }},
	{name: "TELEGRAM_SEND_RATE", def: "`29.27`, `975.6` with paid broadcast", needs: needSending,
		meaning: "messages per second all worker processes send together; at most 30 (Telegram's limit), 1000 with " +
			"paid broadcast. The default keeps 2.5 % under the limit, which Telegram counts within any one second " +
			"(BENCHMARKS.md)",
		read: func(r *envReader, c *config, _ bool) { // after TELEGRAM_PAID_BROADCAST, which lifts the limit
			paid := c.Telegram.PaidBroadcast
			c.Telegram.SendRate = r.number("TELEGRAM_SEND_RATE", jobs.DefaultRate(paid), jobs.Limit(paid))
		}},
	{name: "LOG_LEVEL", def: "`info`", meaning: "`debug`, `info`, `warn` or `error`",
		read: func(r *envReader, c *config, _ bool) { c.LogLevel = r.logLevel("LOG_LEVEL", slog.LevelInfo) }},
	{name: "LOG_FORMAT", def: "`text`", meaning: "`text` or `json`",
		read: func(r *envReader, c *config, _ bool) { c.LogFormat = r.oneOf("LOG_FORMAT", "text", "text", "json") }},
	{name: "SHUTDOWN_TIMEOUT", def: "`30s`", meaning: "how long a command may take to stop after SIGINT/SIGTERM",
		read: func(r *envReader, c *config, _ bool) {
			c.ShutdownTimeout = r.duration("SHUTDOWN_TIMEOUT", 30*time.Second)
		}},
}

// readBy tells whether a command with needs n reads the setting, and
// whether it needs it (else it reads it only when set).
func (s setting) readBy(n needs) (read, needed bool) {
	switch {
	case s.needs == 0 || s.needs&n != 0:
		return true, true
	case s.optional&n != 0:
		return true, false
	}
	return false, false
}

// printSettings lists for --help the variables a command with needs n reads.
func printSettings(w io.Writer, n needs) {
	fmt.Fprintln(w, "\nEnvironment:")
	for _, s := range settings {
		read, needed := s.readBy(n)
		if !read {
			continue
		}
		def := "default: " + strings.ReplaceAll(s.def, "`", "")
		switch {
		case s.def == "required" && needed:
			def = "required"
		case s.def == "required":
			def = "optional"
		}
		fmt.Fprintf(w, "  %s, %s\n      %s\n", s.name, def, strings.ReplaceAll(s.meaning, "`", ""))
	}
}

// settingsTable is the README's table of settings, in Markdown.
func settingsTable(cmds []command) string {
	var b strings.Builder
	b.WriteString("| variable | default | read by | meaning |\n|----------|---------|---------|---------|\n")
	for _, s := range settings {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", s.name, s.def, readers(s, cmds), s.meaning)
	}
	return b.String()
}

// readers names the commands that read a setting: "all", "all but `gen`",
// or a list, with those that read it only when set after "optional for".
func readers(s setting, cmds []command) string {
	var must, may, not []string
	for _, c := range cmds {
		read, needed := s.readBy(c.needs)
		name := "`" + c.name + "`"
		switch {
		case read && needed:
			must = append(must, name)
		case read:
			may = append(may, name)
		default:
			not = append(not, name)
		}
	}
	var parts []string
	switch {
	case len(not) == 0:
		parts = append(parts, "all")
	case len(not) <= 2 && len(may) == 0:
		parts = append(parts, "all but "+strings.Join(not, ", "))
	case len(must) > 0:
		parts = append(parts, strings.Join(must, ", "))
	}
	if len(may) > 0 {
		parts = append(parts, "optional for "+strings.Join(slices.Clip(may), ", "))
	}
	return strings.Join(parts, "; ")
}
