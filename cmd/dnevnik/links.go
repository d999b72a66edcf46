package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
)

// linksOptions are the flags of `dnevnik links`.
type linksOptions struct {
	class, pupil, teacher string
	ended                 bool
}

func linksCommand() command {
	var o linksOptions
	return command{
		name: "links",
		args: "list [--class ID | --pupil ID | --teacher ID] [--ended] | revoke (LINK_ID | --pupil ID | --teacher ID)",
		summary: "List who is linked to which pupil or teacher, in which role, since and until when (accounts by number, no " +
			"Telegram names); or end links at once: the person is told, the pupil's or teacher's unused codes are voided, " +
			"and each ended link is written to the audit log. IDs are sourced ids.",
		needs: needDatabase | mayRedis,
		flags: o.declare,
		run:   o.run,
	}
}

// declare takes the flag's current value as its default, so that run can
// parse the flags again after the subcommand without losing one given before.
func (o *linksOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.class, "class", o.class, "list: only the pupils of this class (their families' links and their own) and its teachers")
	fs.StringVar(&o.pupil, "pupil", o.pupil, "only the links to this pupil: their family's, the people those invited, their own")
	fs.StringVar(&o.teacher, "teacher", o.teacher, "only this teacher's link")
	fs.BoolVar(&o.ended, "ended", o.ended, "list: ended links too, with when and by whom")
}

func (o *linksOptions) run(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{"expected list or revoke"}
	}
	fs := flag.NewFlagSet("links "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o.declare(fs)
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return usageError{err.Error()}
	}
	var job func(ctx context.Context, e *env, store *diary.Store) error
	switch args[0] {
	case "list":
		if len(rest) > 0 {
			return usageError{fmt.Sprintf("unexpected argument %q: links list takes only flags", rest[0])}
		}
		if set(o.class, o.pupil, o.teacher) > 1 {
			return usageError{"give at most one of --class, --pupil and --teacher"}
		}
		job = o.list
	case "revoke":
		sel, err := o.selector(rest)
		if err != nil {
			return err
		}
		job = func(ctx context.Context, e *env, store *diary.Store) error { return revoke(ctx, e, store, sel) }
	default:
		return usageError{fmt.Sprintf("unknown links command %q: expected list or revoke", args[0])}
	}
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	err = job(ctx, e, diary.NewStore(pool))
	var derr *diary.Error
	if errors.As(err, &derr) && derr.Code == diary.ENOTFOUND {
		return fmt.Errorf("%s: nothing done", derr.Message)
	}
	return err
}

// parseInterspersed parses flags wherever they stand among the arguments
// (`revoke 12 --pupil x` as well as `revoke --pupil x 12`), and returns the
// arguments that are not flags.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
}

// set counts the values given.
func set(values ...string) int {
	n := 0
	for _, v := range values {
		if v != "" {
			n++
		}
	}
	return n
}

// selector reads what `links revoke` ends: exactly one of a link id, --pupil
// or --teacher.
func (o *linksOptions) selector(args []string) (diary.LinkSelector, error) {
	sel := diary.LinkSelector{Pupil: o.pupil, Teacher: o.teacher}
	given := set(o.pupil, o.teacher)
	if len(args) > 1 {
		return sel, usageError{fmt.Sprintf("expected one LINK_ID, got %d arguments", len(args))}
	}
	if len(args) == 1 {
		id, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil || id <= 0 {
			return sel, usageError{fmt.Sprintf("LINK_ID is %q; it must be a link's number from `dnevnik links list`", args[0])}
		}
		sel.Link = id
		given++
	}
	if o.class != "" || o.ended {
		return sel, usageError{"--class and --ended are for links list"}
	}
	if given != 1 {
		return sel, usageError{"give exactly one of LINK_ID, --pupil and --teacher"}
	}
	return sel, nil
}

func (o *linksOptions) list(ctx context.Context, e *env, store *diary.Store) error {
	links, err := store.Links(ctx, diary.LinkFilter{Class: o.class, Pupil: o.pupil, Teacher: o.teacher, Ended: o.ended})
	if err != nil {
		return err
	}
	return printLinks(e.stdout, links)
}

// revoke ends the selected links, prints them and has the people told.
func revoke(ctx context.Context, e *env, store *diary.Store, sel diary.LinkSelector) error {
	r, err := store.RevokeLinks(ctx, sel)
	if err != nil {
		return err
	}
	if err := printLinks(e.stdout, r.Links); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(e.stdout, "%d links ended, %d unused codes voided\n", len(r.Links), r.CodesVoided); err != nil {
		return err
	}
	e.log.Info("links revoked", "links", len(r.Links), "codes_voided", r.CodesVoided)
	if len(r.Messages) == 0 {
		return nil
	}
	return sendNow(ctx, e, r.Messages)
}

// printLinks writes links as a table, times in UTC.
func printLinks(w io.Writer, links []diary.LinkRecord) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "LINK\tACCOUNT\tROLE\tPERSON\tNAME\tCLASS\tSINCE\tUNTIL\tENDED")
	for _, l := range links {
		role := string(l.Role)
		if l.InvitedBy != 0 {
			role += " (by " + strconv.FormatInt(l.InvitedBy, 10) + ")"
		}
		ended := "-"
		if !l.Ended.IsZero() {
			ended = utc(l.Ended) + " " + l.EndedBy
		}
		fmt.Fprintf(tw, "%d\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.ID, l.Account, role, l.PersonSourcedID, render.FullName(l.Person),
			dash(l.Class), utc(l.Since), dash(utc(l.Until)), ended)
	}
	return tw.Flush()
}

// utc writes an instant as the audit log does; "" for none.
func utc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
