// Command devenv runs a command with throwaway PostgreSQL and Redis servers for
// development and tests:
//
//	go run ./cmd/devenv [--postgres [--replica]] [--redis] [--tools LIST] -- go test ./...
//
// A server whose URL is already in the environment (DATABASE_URL,
// DATABASE_READ_URL, REDIS_URL) is used as it is. --replica adds a streaming
// replica of the PostgreSQL it starts (pg_basebackup -R) as DATABASE_READ_URL. Otherwise devenv starts one from the installed binaries on a free
// loopback port, in a temporary folder, passes its URL to the command, and stops and
// removes it when the command ends, whatever the outcome. PostgreSQL refuses to run
// as root, so as root it runs as the postgres user. A missing redis-server, and
// each of the --tools the tests call (pdftotext, which reads a printed PDF back;
// chromium, which the web app's browser tests drive), is installed from Debian when running as root.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/dnevnik/dnevnik/cmd/internal/services"
)

func main() {
	os.Exit(run())
}

func run() int {
	fs := flag.NewFlagSet("devenv", flag.ContinueOnError)
	withPostgres := fs.Bool("postgres", false, "provide DATABASE_URL (start PostgreSQL unless it is set)")
	withReplica := fs.Bool("replica", false, "provide DATABASE_READ_URL too: a streaming replica of the PostgreSQL devenv starts (unless it is set)")
	withRedis := fs.Bool("redis", false, "provide REDIS_URL (start Redis unless it is set)")
	tools := fs.String("tools", "", "comma-separated programs the command calls, installed from Debian when missing: "+strings.Join(slices.Sorted(maps.Keys(debianPackages)), ", "))
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: devenv [--postgres [--replica]] [--redis] [--tools LIST] -- COMMAND [ARG...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 2
	}

	for _, tool := range strings.FieldsFunc(*tools, func(r rune) bool { return r == ',' }) {
		pkg, ok := debianPackages[tool]
		if !ok {
			say("--tools: unknown program %q", tool)
			return 2
		}
		if _, err := services.Install(context.Background(), tool, pkg, ""); err != nil {
			say("%v", err)
			return 1
		}
	}

	// Ctrl-C reaches the command too (same process group); devenv only has to outlive
	// it to clean up.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	var servers []*services.Server
	defer func() {
		for i := len(servers) - 1; i >= 0; i-- {
			servers[i].Stop()
		}
	}()
	env := os.Environ()
	start := func(want bool, name string, starter func(context.Context) (*services.Server, error)) error {
		if !want {
			return nil
		}
		if os.Getenv(name) != "" {
			say("using %s from the environment", name)
			return nil
		}
		s, err := starter(ctx)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		env = append(env, name+"="+s.URL())
		return nil
	}
	if err := start(*withPostgres || *withReplica, "DATABASE_URL", services.StartPostgres); err != nil {
		say("%v", err)
		return 1
	}
	if *withReplica && os.Getenv("DATABASE_URL") != "" && os.Getenv("DATABASE_READ_URL") == "" {
		// A replica is made of the PostgreSQL devenv starts; the tests that need
		// one skip themselves without it.
		say("DATABASE_URL is from the environment and DATABASE_READ_URL is not set: no replica")
		*withReplica = false
	}
	replica := func(ctx context.Context) (*services.Server, error) { return services.StartReplica(ctx, servers[0]) }
	if err := start(*withReplica, "DATABASE_READ_URL", replica); err != nil {
		say("%v", err)
		return 1
	}
	if err := start(*withRedis, "REDIS_URL", services.StartRedis); err != nil {
		say("%v", err)
		return 1
	}

	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		if exit.ExitCode() < 0 { // killed by a signal
			return 1
		}
		return exit.ExitCode()
	default:
		say("%v", err)
		return 1
	}
}

// debianPackages are the programs --tools knows, with the package of each.
var debianPackages = map[string]string{
	"pdftotext": "poppler-utils",
	"chromium":  "chromium", // the browser tests (webapp/browsertest) drive it headless
}

func say(format string, args ...any) { services.Logf(format, args...) }
