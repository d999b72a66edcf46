package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/dnevnik/dnevnik/diary"
)

// messagesOptions are the flags of `dnevnik messages`.
type messagesOptions struct {
	school      string
	pupilsWrite string
}

func messagesCommand() command {
	var o messagesOptions
	return command{
		name: "messages",
		args: "--school SOURCED_ID [--pupils-write on|off]",
		summary: "Show, or set with --pupils-write, whether the school's pupils may write to their teachers with /write " +
			"(guardians always may; off by default).",
		needs: needDatabase,
		flags: o.declare,
		run:   o.run,
	}
}

func (o *messagesOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.school, "school", "", "the school, by sourced id")
	fs.StringVar(&o.pupilsWrite, "pupils-write", "", "on: pupils may write to their teachers; off: only guardians")
}

func (o *messagesOptions) run(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q: messages takes only flags", args[0])}
	}
	if o.school == "" {
		return usageError{"--school is required"}
	}
	var set *bool
	switch o.pupilsWrite {
	case "":
	case "on", "off":
		on := o.pupilsWrite == "on"
		set = &on
	default:
		return usageError{fmt.Sprintf("--pupils-write is %q; it must be on or off", o.pupilsWrite)}
	}
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	on, err := diary.NewStore(pool).PupilsWrite(ctx, o.school, set)
	if diary.ErrorCode(err) == diary.ENOTFOUND {
		return fmt.Errorf("no school %q: nothing done", o.school)
	}
	if err != nil {
		return err
	}
	state := "off (only guardians write to teachers)"
	if on {
		state = "on (guardians and pupils write to teachers)"
	}
	fmt.Fprintf(e.stdout, "%s: pupils write %s\n", o.school, state)
	return nil
}
