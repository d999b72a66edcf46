package main

import (
	"strings"
	"testing"
)

// The school lets its pupils write to teachers, and stops it; a school that
// is not there changes nothing.
func TestMessagesPupilsWrite(t *testing.T) {
	t.Parallel()
	_, env, _ := importedSchool(t, "616162:MESSAGES-token-for-the-fake-api")
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--school", "school-1"}, "school-1: pupils write off"},
		{[]string{"--school", "school-1", "--pupils-write", "on"}, "school-1: pupils write on"},
		{[]string{"--school", "school-1"}, "school-1: pupils write on"},
		{[]string{"--school", "school-1", "--pupils-write", "off"}, "school-1: pupils write off"},
	} {
		code, out, stderr := dnevnik(t, env, append([]string{"messages"}, c.args...)...)
		if code != exitOK || !strings.HasPrefix(out, c.want) {
			t.Errorf("messages %v: %d %q %s", c.args, code, out, stderr)
		}
	}
	if code, _, stderr := dnevnik(t, env, "messages", "--school", "no-such"); code != exitFailure || !strings.Contains(stderr, "nothing done") {
		t.Errorf("an unknown school: %d %s", code, stderr)
	}
	if code, _, _ := dnevnik(t, env, "messages", "--school", "school-1", "--pupils-write", "maybe"); code != exitUsage {
		t.Errorf("--pupils-write maybe: exit %d", code)
	}
}
