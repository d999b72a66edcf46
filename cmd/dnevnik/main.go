// Command dnevnik is the school e-diary: one binary with a subcommand for each job.
// Run `dnevnik --help` for the list. This is the only place that wires packages
// together; configuration comes from the environment (config.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"text/tabwriter"
	"time"
	// Every school's "today" depends on its time zone: carry the zone database in the
	// binary rather than trust the image to have one.
	_ "time/tzdata"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed
	exitUsage   = 2 // bad arguments or configuration: nothing was done
)

// command is one subcommand.
type command struct {
	name    string
	args    string // the synopsis after the name
	summary string
	needs   needs
	// flags, when set, declares the command's flags on the set run parses them with.
	flags func(fs *flag.FlagSet)
	run   func(ctx context.Context, e *env, args []string) error
}

// env is what a running command gets: its configuration, a logger and its output.
type env struct {
	cfg    config
	log    *slog.Logger
	stdout io.Writer
}

// usageError is a mistake in the arguments: shown with the command's usage, exit 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func commands() []command {
	return []command{
		migrateCommand(),
		importCommand(),
		serveCommand(),
		botCommand(),
		workerCommand(),
		codesCommand(),
		printCommand(),
		auditCommand(),
		linksCommand(),
		messagesCommand(),
		demoCommand(),
		versionCommand(),
		genCommand(),
		benchCommand(),
	}
}

// run is main without the process: testable with any arguments and environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		printOverview(stdout, cmds)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	var cmd *command
	for i := range cmds {
		if cmds[i].name == args[0] {
			cmd = &cmds[i]
		}
	}
	if cmd == nil {
		fmt.Fprintf(stderr, "dnevnik: unknown command %q; run `dnevnik --help` for the list\n", args[0])
		return exitUsage
	}

	fs := flag.NewFlagSet("dnevnik "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(stderr) // the flag package's own complaint about a bad flag
	fs.Usage = func() {} // printed below, once, where it belongs
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			printUsage(stdout, cmd, fs)
			return exitOK
		}
		printUsage(stderr, cmd, fs)
		return exitUsage
	}

	cfg, errs := loadConfig(getenv, cmd.needs)
	if len(errs) > 0 {
		for _, err := range errs {
			fmt.Fprintf(stderr, "dnevnik: %v\n", err)
		}
		return exitUsage
	}
	e := &env{cfg: cfg, log: newLogger(stderr, cfg.LogLevel, cfg.LogFormat), stdout: stdout}
	if stderr == os.Stderr { // the command is the process: see redisLog
		redisLog.Store(e.log)
	}

	// A command gets SHUTDOWN_TIMEOUT after a signal to wind down; past that, run
	// gives up on it so the process can exit.
	done := make(chan error, 1)
	go func() { done <- cmd.run(ctx, e, fs.Args()) }()
	var err error
	select {
	case err = <-done:
	case <-ctx.Done():
		select {
		case err = <-done:
		case <-time.After(cfg.ShutdownTimeout):
			e.log.Error("command did not stop in time", "command", cmd.name, "timeout", cfg.ShutdownTimeout)
			return exitFailure
		}
	}

	var uerr usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &uerr):
		fmt.Fprintf(stderr, "dnevnik %s: %v\n", cmd.name, err)
		printUsage(stderr, cmd, fs)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "dnevnik %s: %v\n", cmd.name, err)
		return exitFailure
	}
}

func printOverview(w io.Writer, cmds []command) {
	fmt.Fprintln(w, "dnevnik, a school e-diary with a Telegram bot as its front end.")
	fmt.Fprintln(w, "\nUsage: dnevnik COMMAND [ARGS]\n\nCommands:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, c := range cmds {
		fmt.Fprintf(tw, "  %s\t%s\n", c.name, c.summary)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nRun `dnevnik COMMAND --help` for a command's arguments and the environment it reads.")
}

func printUsage(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "Usage: dnevnik %s %s\n\n%s\n", c.name, c.args, c.summary)
	if c.flags != nil {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
	printSettings(w, c.needs)
}

func newLogger(w io.Writer, level slog.Level, format string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
