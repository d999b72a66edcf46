package diarytest

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Logger is the logger for the code a test runs: every level, as JSON, kept
// for the scan LogWriter describes.
func Logger(t testing.TB, db *pgxpool.Pool, secrets ...string) *slog.Logger {
	return slog.New(slog.NewJSONHandler(LogWriter(t, db, secrets...), &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// LogWriter collects a test's log output and, when the test ends, fails it
// if any line holds what a log must never hold (SECURITY.md): a name of a
// person in the test's database, the comment on a grade, a remark, the text
// of an announcement, a grade's score as a field, a link code, or one of
// secrets (the bot token, DNEVNIK_SECRET). The database is read at the end,
// so that what the test wrote counts too; it must still be open then, as it
// is when db was made before the writer.
func LogWriter(t testing.TB, db *pgxpool.Pool, secrets ...string) io.Writer {
	w := &Buffer{}
	t.Cleanup(func() { CheckLog(t, db, w.String(), secrets...) })
	return w
}

// CheckLog fails the test for each line of log that holds what a log must
// never hold (see LogWriter), as db holds it now.
func CheckLog(t testing.TB, db *pgxpool.Pool, log string, secrets ...string) {
	t.Helper()
	forbidden, err := personalData(context.Background(), db)
	if err != nil {
		t.Errorf("diarytest: read what logs must not hold: %v", err)
		return
	}
	for _, s := range secrets {
		if s != "" {
			forbidden = append(forbidden, s)
		}
	}
	for _, finding := range scanLog(log, forbidden) {
		t.Error(finding)
	}
}

// scanLog lists the lines of log that hold one of forbidden or match
// mustNotLog, each with what it holds.
func scanLog(log string, forbidden []string) []string {
	var findings []string
	for i, line := range strings.Split(log, "\n") {
		for _, f := range forbidden {
			if strings.Contains(line, f) {
				findings = append(findings, fmt.Sprintf("log line %d holds %q: %s", i+1, f, line))
			}
		}
		if m := mustNotLog.FindString(line); m != "" {
			findings = append(findings, fmt.Sprintf("log line %d holds %q: %s", i+1, m, line))
		}
	}
	return findings
}

// mustNotLog matches a link code (compact or grouped, from codes' alphabet)
// and a grade's score written as a field.
var mustNotLog = regexp.MustCompile(`\b[2-9A-HJKMNP-TV-Z]{4}-?[2-9A-HJKMNP-TV-Z]{4}-?[2-9A-HJKMNP-TV-Z]{4}\b|"score":|\bscore=`)

// personalData is what the database holds of people and what teachers wrote
// about them, each at least three characters long (shorter ones would match
// in any text).
func personalData(ctx context.Context, db *pgxpool.Pool) ([]string, error) {
	const q = `
SELECT family_name FROM people UNION SELECT given_name FROM people UNION SELECT middle_name FROM people
UNION SELECT comment FROM grades UNION SELECT body FROM remarks UNION SELECT body FROM notices`
	rows, _ := db.Query(ctx, q)
	all, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	var long []string
	for _, s := range all {
		if utf8.RuneCountInString(strings.TrimSpace(s)) >= 3 {
			long = append(long, strings.TrimSpace(s))
		}
	}
	return long, nil
}

// Buffer is a log that many goroutines write while a test reads it.
type Buffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}
