package oneroster

import (
	"context"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// Courses are not stored: classes take their subject and school year from them.
func (im *importer) stageCourses(ctx context.Context, r *csvin.Reader) (int64, error) {
	title, subjects := r.Required("title"), r.Optional("subjects")
	year := r.Optional("schoolYearSourcedId", "schoolYearId")
	return im.copy(ctx, r, "or_courses", []string{"title", "subject", "school_year"}, func(f fields) []any {
		return []any{f.Required(title), f.first(subjects), f.Text(year)}
	})
}

var classKinds = map[string]string{"homeroom": "homeroom", "scheduled": "section"}

func (im *importer) stageClasses(ctx context.Context, r *csvin.Reader) (int64, error) {
	title, kind, school := r.Required("title"), r.Required("classType"), r.Required("schoolSourcedId")
	grades, course := r.Optional("grades", "grade"), r.Optional("courseSourcedId")
	terms, subjects := r.Optional("termSourcedIds"), r.Optional("subjects")
	columns := []string{"title", "kind", "grade_level", "course", "school", "terms", "subject"}
	return im.copy(ctx, r, "or_classes", columns, func(f fields) []any {
		return []any{f.Required(title), f.enum(kind, "class type", classKinds), f.Text(grades),
			f.Text(course), f.Required(school), f.list(terms), f.first(subjects)}
	})
}

const checkClasses = `
SELECT c.line, 'schoolSourcedId', CASE
	WHEN o.type IS NULL THEN format('school "%s" not found', c.school)
	ELSE format('org "%s" is a %s, not a school', c.school, o.type) END
FROM or_classes c LEFT JOIN or_orgs o ON o.sourced_id = c.school
WHERE NOT c.deleted AND NOT EXISTS (SELECT FROM schools s WHERE s.sourced_id = c.school)
ORDER BY c.line LIMIT 50`

var classes = target{table: "classes", key: []string{"sourced_id"},
	columns: []string{"school_id", "title", "kind", "grade_level", "subject_id", "school_year_id", "active"}}

func (im *importer) writeClasses(ctx context.Context) error {
	// The subject is the class's own, else its course's, else the course's title.
	_, err := im.tx.Exec(ctx, `
UPDATE or_classes c SET subject = COALESCE(NULLIF(co.subject, ''), NULLIF(co.title, ''), '')
FROM or_courses co WHERE co.sourced_id = c.course AND c.subject = ''`)
	if err != nil {
		return err
	}
	tag, err := im.tx.Exec(ctx, `
INSERT INTO subjects (school_id, name)
SELECT DISTINCT s.id, c.subject FROM or_classes c JOIN schools s ON s.sourced_id = c.school
WHERE NOT c.deleted AND c.subject <> ''
ON CONFLICT DO NOTHING`)
	if err != nil {
		return err
	}
	im.count("subjects", tag.RowsAffected(), 0, 0)

	// A class's school year is the school year above its first known term (the
	// term itself when it is one), else its course's.
	return im.upsertActive(ctx, classes, "or_classes", `
WITH RECURSIVE up (session_id, id, parent_id, kind) AS (
	SELECT id, id, parent_id, kind FROM academic_sessions
	UNION ALL
	SELECT up.session_id, p.id, p.parent_id, p.kind FROM up JOIN academic_sessions p ON p.id = up.parent_id
	WHERE up.kind <> 'school_year'
), year_of AS (
	SELECT session_id, id AS year_id FROM up WHERE kind = 'school_year'
)
SELECT c.sourced_id, s.id, c.title, c.kind, c.grade_level, sub.id,
	COALESCE(term_year.year_id, course_year.year_id), true
FROM or_classes c
JOIN schools s ON s.sourced_id = c.school
LEFT JOIN subjects sub ON sub.school_id = s.id AND sub.name = c.subject
LEFT JOIN LATERAL (
	SELECT y.year_id FROM unnest(c.terms) WITH ORDINALITY AS t (sourced_id, n)
	JOIN academic_sessions a ON a.sourced_id = t.sourced_id
	JOIN year_of y ON y.session_id = a.id
	ORDER BY t.n LIMIT 1
) term_year ON true
LEFT JOIN or_courses co ON co.sourced_id = c.course
LEFT JOIN academic_sessions cy ON cy.sourced_id = co.school_year
LEFT JOIN year_of course_year ON course_year.session_id = cy.id
WHERE NOT c.deleted`)
}

const warnClasses = `
SELECT c.line, 'courseSourcedId', format('course "%s" not found: the subject comes from the class alone', c.course)
FROM or_classes c
WHERE NOT c.deleted AND c.course <> '' AND NOT EXISTS (SELECT FROM or_courses co WHERE co.sourced_id = c.course)
UNION ALL
SELECT c.line, 'termSourcedIds', format('academic session "%s" not found', t)
FROM or_classes c, unnest(c.terms) t
WHERE NOT c.deleted AND NOT EXISTS (SELECT FROM academic_sessions a WHERE a.sourced_id = t)
ORDER BY 1 LIMIT 50`
