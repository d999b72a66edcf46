package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// The school lists who is linked, revokes a pupil's links at once, and the
// parent is told in their language by the running worker within seconds.
func TestLinksListAndRevoke(t *testing.T) {
	t.Parallel()
	fake, env, _ := importedSchool(t, "616161:LINKS-token-for-the-fake-api-00")
	const kept, revoked = 8001, 8002
	linkGuardian(t, env["DATABASE_URL"], "class-7a", "s-7a-01", kept)
	linkGuardian(t, env["DATABASE_URL"], "class-7a", "s-7a-02", revoked)
	pool, err := pgxpool.New(context.Background(), env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(context.Background(), `UPDATE accounts SET language = 'en' WHERE telegram_user_id = $1`, revoked); err != nil {
		t.Fatal(err)
	}

	code, out, stderr := dnevnik(t, env, "links", "list", "--class", "class-7a")
	if code != exitOK || strings.Count(out, " guardian ") != 2 || !strings.HasPrefix(out, "LINK  ACCOUNT  ROLE") {
		t.Fatalf("links list: %d\n%s%s", code, out, stderr)
	}
	if strings.Contains(out, "8001") || strings.Contains(out, "8002") {
		t.Errorf("links list shows Telegram ids:\n%s", out)
	}

	defer runWorker(t, env)()
	code, out, stderr = dnevnik(t, env, "links", "revoke", "--pupil", "s-7a-02")
	if code != exitOK || !strings.Contains(out, "1 links ended, 1 unused codes voided") ||
		!strings.Contains(out, "the worker is told of the 1 messages") || !strings.Contains(out, "s-7a-02") {
		t.Fatalf("links revoke: %d\n%s%s", code, out, stderr)
	}
	if err := fake.WaitFor(15*time.Second, func() bool { return len(fake.Sent(revoked)) == 1 }); err != nil {
		t.Fatalf("the parent was never told: %v", err)
	}
	if got := fake.Sent(revoked)[0].Text; !strings.Contains(got, "The school has ended your access to") {
		t.Errorf("the parent was told %q", got)
	}
	if n := len(fake.Sent(kept)); n != 0 {
		t.Errorf("the other parent got %d messages", n)
	}

	if _, out, _ := dnevnik(t, env, "links", "list"); strings.Count(out, "\n") != 2 || strings.Contains(out, "s-7a-02") {
		t.Errorf("live links after revoking:\n%s", out)
	}
	if _, out, _ := dnevnik(t, env, "links", "list", "--ended", "--pupil", "s-7a-02"); !strings.Contains(out, "Z school") {
		t.Errorf("ended links:\n%s", out)
	}
	if _, out, _ := dnevnik(t, env, "audit"); !strings.Contains(out, "school  link.revoke") {
		t.Errorf("audit after revoking:\n%s", out)
	}

	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"links", "revoke", "99999"}, exitFailure, "no live link 99999: nothing done"},
		{[]string{"links", "list", "--pupil", "s-nobody"}, exitFailure, `pupil "s-nobody": nothing done`},
		{[]string{"links", "revoke"}, exitUsage, "give exactly one of LINK_ID, --pupil and --teacher"},
		{[]string{"links", "revoke", "5", "--pupil", "s-7a-01"}, exitUsage, "give exactly one"},
		{[]string{"links", "revoke", "five"}, exitUsage, `LINK_ID is "five"`},
		{[]string{"links", "list", "--pupil", "a", "--teacher", "b"}, exitUsage, "at most one"},
		{[]string{"links", "frob"}, exitUsage, `unknown links command "frob"`},
	} {
		code, _, stderr := dnevnik(t, env, c.args...)
		if code != c.code || !strings.Contains(stderr, c.stderr) {
			t.Errorf("%q: exit %d, %q; want %d, %q", c.args, code, stderr, c.code, c.stderr)
		}
	}
}
