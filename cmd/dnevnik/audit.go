package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
)

// auditOptions are the flags of `dnevnik audit`.
type auditOptions struct {
	since   string
	teacher string
	class   string
}

func auditCommand() command {
	var o auditOptions
	return command{
		name:    "audit",
		args:    "[--since DATE] [--teacher SOURCED_ID] [--class SOURCED_ID]",
		summary: "Print the audit log (who did what, when: teachers, the school's `links revoke`, families' unlinking and forgetting), oldest first, times in UTC.",
		needs:   needDatabase,
		flags:   o.declare,
		run:     o.run,
	}
}

func (o *auditOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.since, "since", "", "only actions from this day (2026-11-26, UTC) or instant (RFC 3339) on")
	fs.StringVar(&o.teacher, "teacher", "", "only this teacher's actions, by sourced id")
	fs.StringVar(&o.class, "class", "", "only actions on this class, by sourced id")
}

// parseSince reads --since as a day (midnight UTC) or an RFC 3339 instant.
func parseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, usageError{fmt.Sprintf("--since is %q; it must be a date (2026-11-26) or an RFC 3339 time", s)}
}

func (o *auditOptions) run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q: audit takes only flags", args[0])}
	}
	since, err := parseSince(o.since)
	if err != nil {
		return err
	}
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	records, err := diary.NewStore(pool).Audit(ctx, diary.AuditFilter{Since: since, Teacher: o.teacher, Class: o.class})
	var derr *diary.Error
	if errors.As(err, &derr) && derr.Code == diary.ENOTFOUND {
		return fmt.Errorf("no %s: nothing to print", derr.Message)
	}
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tBY\tACTION\tCLASS\tPUPIL\tREF\tDETAIL")
	for _, r := range records {
		ref := "-"
		if r.Ref != 0 {
			ref = strconv.FormatInt(r.Ref, 10)
		}
		by := r.Actor // the school, or a family (never named)
		if r.Actor == diary.ActorTeacher {
			by = r.TeacherSourcedID + " " + render.FullName(r.Teacher)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", utc(r.At), by, r.Action, dash(r.Class), dash(r.PupilSourcedID), ref, r.Detail)
	}
	return tw.Flush()
}

// dash stands in for an empty column, so that columns stay aligned.
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
