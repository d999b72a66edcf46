package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/dnevnik/dnevnik/samples/district"
)

// genOptions are the flags of `dnevnik gen`.
type genOptions struct {
	cfg   district.Config
	out   string
	force bool
}

func genCommand() command {
	var o genOptions
	return command{
		name: "gen",
		// The synopsis shows each flag with its default.
		args:    "--out DIR [--schools 1] [--pupils-per-school 1000] [--seed 1] [--year 2026] [--graded-terms 1] [--force]",
		summary: "Generate a school district (OneRoster 1.1 CSV files and timetable.csv) in DIR, the same for the same flags.",
		flags:   o.declare,
		run:     o.run,
	}
}

func (o *genOptions) declare(fs *flag.FlagSet) {
	fs.IntVar(&o.cfg.Schools, "schools", 1, "how many schools")
	fs.IntVar(&o.cfg.PupilsPerSchool, "pupils-per-school", 1000, "pupils in each school")
	fs.Uint64Var(&o.cfg.Seed, "seed", 1, "the random seed")
	fs.IntVar(&o.cfg.Year, "year", 2026, "the school year that starts in September of this year")
	fs.IntVar(&o.cfg.GradedTerms, "graded-terms", 1, "terms 1 to this one get grades (1-4)")
	fs.StringVar(&o.out, "out", "", "the directory to write (required)")
	fs.BoolVar(&o.force, "force", false, "write into a directory that is not empty")
}

func (o *genOptions) run(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) > 0:
		return usageError{fmt.Sprintf("unexpected argument %q: gen takes only flags", args[0])}
	case o.out == "":
		return usageError{"--out is required"}
	}
	if err := o.cfg.Validate(); err != nil {
		return usageError{err.Error()}
	}
	if err := o.prepareOut(); err != nil {
		return err
	}
	start := time.Now()
	c, err := district.Generate(ctx, o.out, o.cfg, e.stdout)
	if err != nil {
		return fmt.Errorf("generate into %s: %w", o.out, err)
	}
	fmt.Fprintf(e.stdout, "wrote %s in %s: schools %d, pupils %d, guardians %d, teachers %d, staff %d, "+
		"classes %d, enrollments %d, timetable rows %d, lineItems %d, results %d\n",
		o.out, time.Since(start).Round(10*time.Millisecond), c.Schools, c.Pupils, c.Guardians, c.Teachers, c.Staff,
		c.Classes, c.Enrollments, c.Lessons, c.LineItems, c.Results)
	return nil
}

// prepareOut creates the output directory, refusing one with files in it unless
// --force says they may be written over.
func (o *genOptions) prepareOut() error {
	entries, err := os.ReadDir(o.out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return fmt.Errorf("--out: %w", err)
	case len(entries) > 0 && !o.force:
		return usageError{fmt.Sprintf("%s is not empty; pass --force to write over it", o.out)}
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	return nil
}
