package oneroster

import (
	"context"
	"fmt"
	"strings"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// enrollmentRoles are the roles the diary keeps; skippedEnrollmentRoles are valid
// OneRoster roles it has no use for in a class.
var (
	enrollmentRoles        = enumOf("student", "teacher", "aide")
	skippedEnrollmentRoles = enumOf("administrator", "proctor", "parent", "guardian", "relative")
)

func (im *importer) stageEnrollments(ctx context.Context, r *csvin.Reader) (int64, error) {
	class, user, role := r.Required("classSourcedId"), r.Required("userSourcedId"), r.Required("role")
	primary, begin, end := r.Optional("primary"), r.Optional("beginDate"), r.Optional("endDate")
	pairs := csvin.NewSeen(r)
	columns := []string{"class", "person", "role", "is_primary", "begin_date", "end_date"}
	n, err := im.copy(ctx, r, "or_enrollments", columns, func(f fields) []any {
		if v := f.Text(role); skippedEnrollmentRoles[strings.ToLower(v)] != "" {
			im.summary.Warnings.Add(csvin.Problem{File: r.File(), Line: r.Line(), Column: role.Name,
				Message: fmt.Sprintf("%s enrollments are not kept: row skipped", v)})
			return nil
		}
		classID, userID := f.Required(class), f.Required(user)
		pairs.AddPair(classID, userID)
		beginDate, endDate := f.date(begin, false, false), f.date(end, false, false)
		f.notBefore(end, endDate, begin, beginDate)
		return []any{classID, userID, f.enum(role, "role", enrollmentRoles), f.boolean(primary), beginDate, endDate}
	})
	pairs.Report(user, "the user is enrolled in this class on line %d too")
	return n, err
}

// checkEnrollments also refuses a second enrollment of a person in a class the
// database already holds under another sourcedId: the schema allows one.
const checkEnrollments = `
SELECT e.line, 'classSourcedId', format('class "%s" not found', e.class)
FROM or_enrollments e
WHERE NOT e.deleted AND NOT EXISTS (SELECT FROM classes c WHERE c.sourced_id = e.class)
UNION ALL
SELECT e.line, 'userSourcedId', format('user "%s" not found', e.person)
FROM or_enrollments e
WHERE NOT e.deleted AND NOT EXISTS (SELECT FROM people p WHERE p.sourced_id = e.person)
UNION ALL
SELECT e.line, 'userSourcedId',
	format('user "%s" is already enrolled in class "%s" (%s)', e.person, e.class,
		COALESCE(format('enrollment "%s"', x.sourced_id), 'entered in the diary'))
FROM or_enrollments e
JOIN classes c ON c.sourced_id = e.class
JOIN people p ON p.sourced_id = e.person
JOIN enrollments x ON x.class_id = c.id AND x.person_id = p.id
WHERE NOT e.deleted AND x.sourced_id IS DISTINCT FROM e.sourced_id
ORDER BY 1 LIMIT 50`

var enrollments = target{table: "enrollments", key: []string{"sourced_id"}, bulk: true,
	columns: []string{"class_id", "person_id", "role", "is_primary", "begin_date", "end_date", "active"}}

func (im *importer) writeEnrollments(ctx context.Context) error {
	return im.upsertActive(ctx, enrollments, "or_enrollments", `
SELECT e.sourced_id, c.id, p.id, e.role, e.is_primary, e.begin_date, e.end_date, true
FROM or_enrollments e
JOIN classes c ON c.sourced_id = e.class
JOIN people p ON p.sourced_id = e.person
WHERE NOT e.deleted`)
}
