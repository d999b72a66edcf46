package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/imports/oneroster"
	"github.com/dnevnik/dnevnik/imports/timetable"
)

// importOptions are the flags of `dnevnik import`.
type importOptions struct {
	homework string // comma-separated category titles
	silent   bool   // tell no one of the grades imported
}

func importCommand() command {
	o := &importOptions{homework: strings.Join(oneroster.DefaultHomeworkCategories, ",")}
	return command{
		name: "import",
		args: "oneroster [--homework-categories LIST] [--silent] DIR | timetable FILE.csv",
		summary: "Import a school's OneRoster 1.1 CSV files (roster and gradebook) or its timetable; " +
			"a bad row is named by file, line and column, and nothing is written.",
		needs: needDatabase | mayRedis,
		flags: o.declare,
		run:   o.run,
	}
}

// declare takes the flag's current value as its default, so that run can parse
// the flag again after `oneroster` without losing a value given before it.
func (o *importOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.homework, "homework-categories", o.homework,
		"comma-separated titles of the grade categories whose lineItems are homework (any case)")
	fs.BoolVar(&o.silent, "silent", o.silent,
		"tell no family of the grades imported; without it, new and changed grades of classes graded before are pushed")
}

func (o *importOptions) run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"expected oneroster DIR or timetable FILE.csv"}
	}
	var importer func(ctx context.Context, e *env, pool *pgxpool.Pool) error
	var err error
	switch args[0] {
	case "oneroster":
		importer, err = o.oneRoster(args[1:])
	case "timetable":
		importer, err = timetableImport(args[1:])
	default:
		return usageError{fmt.Sprintf("unknown import %q: expected oneroster or timetable", args[0])}
	}
	if err != nil {
		return err
	}
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	return importer(ctx, e, pool)
}

// oneRoster reads the arguments after `import oneroster` and returns the import.
func (o *importOptions) oneRoster(args []string) (func(context.Context, *env, *pgxpool.Pool) error, error) {
	fs := flag.NewFlagSet("import oneroster", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.declare(fs)
	if err := fs.Parse(args); err != nil {
		return nil, usageError{err.Error()}
	}
	dir, err := oneArg(fs.Args(), "DIR", true)
	if err != nil {
		return nil, err
	}
	homework := []string{} // not nil: an empty list means no category is homework
	for title := range strings.SplitSeq(o.homework, ",") {
		if title = strings.TrimSpace(title); title != "" {
			homework = append(homework, title)
		}
	}
	return func(ctx context.Context, e *env, pool *pgxpool.Pool) error {
		start := time.Now()
		s, err := oneroster.Import(ctx, pool, dir, oneroster.Options{HomeworkCategories: homework, Progress: e.stdout, Silent: o.silent})
		if err != nil {
			return err
		}
		e.log.Info("oneroster import done", "files", len(s.Files), "warnings", s.Warnings.Len(), "duration", time.Since(start))
		if err := s.Print(e.stdout); err != nil || s.Notices == 0 {
			return err
		}
		return wakeWorker(ctx, e, s.Notices)
	}, nil
}

// timetableImport reads the arguments after `import timetable` and returns the import.
func timetableImport(args []string) (func(context.Context, *env, *pgxpool.Pool) error, error) {
	file, err := oneArg(args, "FILE.csv", false)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, e *env, pool *pgxpool.Pool) error {
		start := time.Now()
		s, err := timetable.Import(ctx, pool, file)
		if err != nil {
			return err
		}
		e.log.Info("timetable import done", "rows", s.Rows, "duration", time.Since(start))
		_, err = fmt.Fprintf(e.stdout, "%s: %d rows: entries created %d, unchanged %d, trimmed %d, removed %d; subjects created %d\n",
			file, s.Rows, s.Created, s.Unchanged, s.Trimmed, s.Removed, s.Subjects)
		return err
	}, nil
}

// oneArg is the one path an import takes, which must exist: a folder or a file.
func oneArg(args []string, name string, folder bool) (string, error) {
	if len(args) != 1 {
		return "", usageError{fmt.Sprintf("expected one %s, got %d arguments", name, len(args))}
	}
	info, err := os.Stat(args[0])
	switch {
	case err != nil:
		return "", usageError{fmt.Sprintf("%s: %v", name, err)}
	case folder && !info.IsDir():
		return "", usageError{fmt.Sprintf("%s: %s is not a folder", name, args[0])}
	case !folder && info.IsDir():
		return "", usageError{fmt.Sprintf("%s: %s is a folder", name, args[0])}
	}
	return args[0], nil
}
