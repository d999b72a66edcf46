package main

import (
	"context"
	"fmt"
	"io"
	"path"
	"text/tabwriter"
	"time"

	"github.com/pressly/goose/v3"

	"github.com/dnevnik/dnevnik/migrations"
)

func migrateCommand() command {
	return command{
		name:    "migrate",
		args:    "up|down|status",
		summary: "Apply the embedded schema migrations (up), roll back the latest one (down), or list them (status).",
		needs:   needDatabase,
		run:     runMigrate,
	}
}

func runMigrate(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return usageError{"expected one of up, down, status"}
	}
	action := args[0]
	if action != "up" && action != "down" && action != "status" {
		return usageError{fmt.Sprintf("unknown action %q: expected up, down or status", action)}
	}
	db, p, err := migrations.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()

	switch action {
	case "up":
		return migrateUp(ctx, p, e.stdout)
	case "down":
		r, err := p.Down(ctx)
		if err != nil {
			return fmt.Errorf("migrate down: %w", err)
		}
		fmt.Fprintf(e.stdout, "rolled back %s (%s)\n", path.Base(r.Source.Path), r.Duration.Round(time.Millisecond))
	case "status":
		statuses, err := p.Status(ctx)
		if err != nil {
			return fmt.Errorf("migrate status: %w", err)
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "VERSION\tMIGRATION\tSTATE\tAPPLIED AT")
		for _, s := range statuses {
			applied := "-"
			if s.State == goose.StateApplied {
				applied = s.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", s.Source.Version, path.Base(s.Source.Path), s.State, applied)
		}
		return tw.Flush()
	}
	return nil
}

// migrateUp applies the pending migrations and prints each, or says that the
// schema is up to date.
func migrateUp(ctx context.Context, p *goose.Provider, w io.Writer) error {
	results, err := p.Up(ctx)
	for _, r := range results {
		fmt.Fprintf(w, "applied %s (%s)\n", path.Base(r.Source.Path), r.Duration.Round(time.Millisecond))
	}
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	if len(results) == 0 {
		v, err := p.GetDBVersion(ctx)
		if err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		fmt.Fprintf(w, "schema is up to date (version %d)\n", v)
	}
	return nil
}
