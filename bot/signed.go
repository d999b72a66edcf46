package bot

import (
	"context"
	"html"
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
)

// signed answers /signed: for each of the teacher's homeroom classes, whose
// families signed the week guardians are now asked to sign (see /sign), and
// whose did not.
func (r *request) signed(ctx context.Context, _ string) error {
	classes, ok, err := r.teacherClasses(ctx)
	if !ok {
		return err
	}
	var parts []string
	for _, c := range classes {
		if !c.Homeroom {
			continue
		}
		monday := diary.WeekToSign(r.b.store.Today(c.School))
		list, err := r.b.store.ClassSignatures(ctx, r.account.ID, c.ID, monday)
		if err != nil {
			return r.refuseTeacher(ctx, err)
		}
		var signed, unsigned []string
		for _, ps := range list {
			name := html.EscapeString(render.ChildName(ps.Pupil))
			if ps.Signed > 0 {
				signed = append(signed, name)
			} else {
				unsigned = append(unsigned, name)
			}
		}
		parts = append(parts, strings.Join([]string{
			r.p.T("signed_title", "Class", html.EscapeString(c.Title), "Week", r.weekTitle(monday)),
			r.p.T("signed_yes", "Count", len(signed), "Names", namesOrDash(signed)),
			r.p.T("signed_no", "Count", len(unsigned), "Names", namesOrDash(unsigned)),
		}, "\n"))
	}
	if len(parts) == 0 {
		return r.say(ctx, r.p.T("signed_no_homeroom"))
	}
	return r.say(ctx, strings.Join(parts, "\n\n"))
}

// namesOrDash joins names, or is a dash for none.
func namesOrDash(names []string) string {
	if len(names) == 0 {
		return "—"
	}
	return strings.Join(names, ", ")
}
