package main

import (
	"context"
	"strings"
	"testing"
)

func TestAudit(t *testing.T) {
	env, pool := teachersSchool(t)
	_, err := pool.Exec(context.Background(), `
INSERT INTO audit_log (at, teacher_id, action, class_id, pupil_id, ref_id, detail)
SELECT v.at::timestamptz, t.id, v.action, c.id, p.id, v.ref, v.detail::jsonb
FROM (VALUES ('2026-11-26T07:00:00Z', 't-1', 'announce', 'c-5b', NULL, 41, '{"urgent": true}'),
             ('2026-11-27T09:30:00+03:00', 't-2', 'grade.set', 'c-5b', 'p-2', 7, '{"score": 5}'),
             ('2026-11-27T10:00:00Z', 't-1', 'meeting.cancel', NULL, NULL, NULL, '{}'))
     v (at, teacher, action, class, pupil, ref, detail)
JOIN people t ON t.sourced_id = v.teacher
LEFT JOIN classes c ON c.sourced_id = v.class
LEFT JOIN people p ON p.sourced_id = v.pupil`)
	if err != nil {
		t.Fatal(err)
	}
	code, out, stderr := dnevnik(t, env, "audit")
	if code != exitOK {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := `TIME                  BY                          ACTION          CLASS  PUPIL  REF  DETAIL
2026-11-26T07:00:00Z  t-1 Иванова Мария Петровна  announce        5Б     -      41   {"urgent": true}
2026-11-27T06:30:00Z  t-2 Волкова Елена           grade.set       5Б     p-2    7    {"score": 5}
2026-11-27T10:00:00Z  t-1 Иванова Мария Петровна  meeting.cancel  -      -      -    {}
`
	if out != want {
		t.Errorf("audit printed\n%s\nwant\n%s", out, want)
	}
	for _, c := range []struct {
		args []string
		rows int
	}{
		{[]string{"--since", "2026-11-27"}, 2},
		{[]string{"--since", "2026-11-27T08:00:00Z"}, 1},
		{[]string{"--teacher", "t-1"}, 2},
		{[]string{"--class", "c-5b", "--teacher", "t-2"}, 1},
	} {
		code, out, stderr := dnevnik(t, env, append([]string{"audit"}, c.args...)...)
		if lines := strings.Count(out, "\n") - 1; code != exitOK || lines != c.rows {
			t.Errorf("%q: exit %d, %d rows, want %d\n%s%s", c.args, code, lines, c.rows, out, stderr)
		}
	}
	code, _, stderr = dnevnik(t, env, "audit", "--teacher", "t-nobody")
	if code != exitFailure || !strings.Contains(stderr, `no teacher "t-nobody"`) {
		t.Errorf("unknown teacher: exit %d, %q", code, stderr)
	}
	code, _, stderr = dnevnik(t, env, "audit", "--since", "yesterday")
	if code != exitUsage || !strings.Contains(stderr, `--since is "yesterday"`) {
		t.Errorf("bad --since: exit %d, %q", code, stderr)
	}
}
