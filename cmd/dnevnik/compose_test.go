package main

import (
	"os"
	"strings"
	"testing"
)

// docker-compose.yml starts nothing without its passwords, gives none a
// default, and publishes only the webhook port. Docker is not on the test
// machines, so the file is read as text.
func TestComposeNeedsPasswordsAndPublishesOnePort(t *testing.T) {
	b, err := os.ReadFile("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	compose := string(b)
	for _, want := range []string{
		"POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?", // the database's own
		"postgres://dnevnik:${POSTGRES_PASSWORD:?", // dnevnik's URL
		`"--requirepass", "${REDIS_PASSWORD:?`,     // Redis asks for it
		"redis://:${REDIS_PASSWORD:?",              // dnevnik's URL
		"DNEVNIK_SECRET: ${DNEVNIK_SECRET:?",       // the codes' key
	} {
		if !strings.Contains(compose, want) {
			t.Errorf("docker-compose.yml lacks %q", want)
		}
	}
	for _, bad := range []string{":-dnevnik}", "PASSWORD:-"} {
		if strings.Contains(compose, bad) {
			t.Errorf("docker-compose.yml gives a password a default: %q", bad)
		}
	}
	if n := strings.Count(compose, "ports:"); n != 1 || !strings.Contains(compose, `- "8080:8080"`) {
		t.Errorf("docker-compose.yml publishes %d port lists; want only the webhook's 8080", n)
	}
}
