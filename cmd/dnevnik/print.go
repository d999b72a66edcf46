package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/paper"
)

// printOptions are the flags of `dnevnik print`.
type printOptions struct {
	class string
	week  string
	lang  string
}

func printCommand() command {
	var o printOptions
	return command{
		name:    "print",
		args:    "--class CLASS_SOURCED_ID --week YYYY-MM-DD [--lang ru|en] > week.pdf",
		summary: "Print a homeroom class's week as an A4 PDF, a page per pupil with a line for the parent's signature.",
		needs:   needDatabase,
		flags:   o.declare,
		run:     o.run,
	}
}

func (o *printOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.class, "class", "", "the sourced id of the homeroom class to print")
	fs.StringVar(&o.week, "week", "", "any day of the week to print, YYYY-MM-DD")
	fs.StringVar(&o.lang, "lang", "ru", "the language of the pages: ru or en")
}

func (o *printOptions) run(ctx context.Context, e *env, args []string) error {
	day, err := o.validate(args)
	if err != nil {
		return err
	}
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	week, err := diary.NewStore(pool).ClassWeekOf(ctx, o.class, day)
	switch {
	case diary.ErrorCode(err) == diary.ENOTFOUND:
		return fmt.Errorf("--class: no active homeroom class has the sourced id %q", o.class)
	case err != nil:
		return fmt.Errorf("read the week: %w", err)
	case len(week.Pupils) == 0:
		return fmt.Errorf("class %q has no active pupils: nothing to print", o.class)
	}
	// The whole document first: a failure leaves no half a PDF on stdout.
	var pdf bytes.Buffer
	if err := paper.Week(&pdf, week, locales.For(o.lang)); err != nil {
		return fmt.Errorf("print the week: %w", err)
	}
	if _, err := pdf.WriteTo(e.stdout); err != nil {
		return fmt.Errorf("write the PDF: %w", err)
	}
	e.log.Info("printed a class's week", "class", o.class, "week", week.Monday.Format(time.DateOnly), "pupils", len(week.Pupils))
	return nil
}

// validate checks the flags before anything is done and returns the day.
func (o *printOptions) validate(args []string) (time.Time, error) {
	switch {
	case len(args) > 0:
		return time.Time{}, usageError{fmt.Sprintf("unexpected argument %q: print takes only flags", args[0])}
	case o.class == "":
		return time.Time{}, usageError{"--class is required"}
	case o.week == "":
		return time.Time{}, usageError{"--week is required"}
	case !slices.Contains(locales.Languages, o.lang):
		return time.Time{}, usageError{fmt.Sprintf("--lang is %q; it must be one of %s", o.lang, strings.Join(locales.Languages, ", "))}
	}
	day, err := time.Parse(time.DateOnly, o.week)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("--week is %q; it must be a date, YYYY-MM-DD", o.week)}
	}
	return day, nil
}
