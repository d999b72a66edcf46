package oneroster

import (
	"context"
	"strconv"
	"time"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

var sessionKinds = map[string]string{
	"schoolyear": "school_year", "term": "term", "semester": "semester", "gradingperiod": "grading_period",
}

func (im *importer) stageSessions(ctx context.Context, r *csvin.Reader) (int64, error) {
	title, kind := r.Required("title"), r.Required("type")
	start, end := r.Required("startDate"), r.Required("endDate")
	parent, year := r.Optional("parentSourcedId"), r.Optional("schoolYear")
	columns := []string{"title", "kind", "school_year", "start_date", "end_date", "parent"}
	n, err := im.copy(ctx, r, "or_sessions", columns, func(f fields) []any {
		startDate, endDate := f.date(start, true, false), f.date(end, true, false)
		f.notBefore(end, endDate, start, startDate)
		return []any{f.Required(title), f.enum(kind, "session type", sessionKinds), f.schoolYear(year, endDate), startDate, endDate, f.Text(parent)}
	})
	if err != nil {
		return n, err
	}
	// A session is written after its parent: depth counts the parents above it in
	// this file. Sessions whose parents go round in a circle get none.
	_, err = im.tx.Exec(ctx, `
WITH RECURSIVE placed (sourced_id, depth) AS (
	SELECT sourced_id, 0 FROM or_sessions s
	WHERE NOT deleted AND NOT EXISTS (SELECT FROM or_sessions p WHERE p.sourced_id = s.parent AND NOT p.deleted)
	UNION ALL
	SELECT c.sourced_id, placed.depth + 1 FROM or_sessions c JOIN placed ON c.parent = placed.sourced_id
	WHERE NOT c.deleted
)
UPDATE or_sessions s SET depth = placed.depth FROM placed WHERE s.sourced_id = placed.sourced_id`)
	return n, err
}

// schoolYear is the field as a year (OneRoster: the year the school year ends in);
// OneRoster 1.0 files lack it, so it defaults to the year of the end date.
func (f fields) schoolYear(c csvin.Column, endDate any) any {
	v := f.Text(c)
	if v == "" {
		if end, ok := endDate.(time.Time); ok {
			return end.Year()
		}
		return nil
	}
	y, err := strconv.Atoi(v)
	if err != nil || y < minYear || y > maxYear {
		f.Fail(c, "expected a year such as 2027, not %q", v)
		return nil
	}
	return y
}

const checkSessions = `
SELECT line, 'parentSourcedId', format('the parents of this session go round in a circle through "%s"', parent)
FROM or_sessions WHERE NOT deleted AND depth IS NULL
ORDER BY line LIMIT 50`

var sessions = target{table: "academic_sessions", key: []string{"sourced_id"},
	columns: []string{"parent_id", "title", "kind", "school_year", "start_date", "end_date", "active"}}

func (im *importer) writeSessions(ctx context.Context) error {
	var deepest int
	if err := im.tx.QueryRow(ctx, `SELECT COALESCE(max(depth), -1) FROM or_sessions`).Scan(&deepest); err != nil {
		return err
	}
	var created, updated int64
	for depth := 0; depth <= deepest; depth++ {
		c, u, err := im.upsert(ctx, sessions, `
SELECT s.sourced_id, p.id, s.title, s.kind, s.school_year, s.start_date, s.end_date, true
FROM or_sessions s LEFT JOIN academic_sessions p ON p.sourced_id = s.parent
WHERE NOT s.deleted AND s.depth = $1`, depth)
		if err != nil {
			return err
		}
		created, updated = created+c, updated+u
	}
	deactivated, err := im.deactivate(ctx, sessions.table, "or_sessions")
	if err != nil {
		return err
	}
	im.count(sessions.table, created, updated, deactivated)
	return nil
}

const warnSessions = `
SELECT s.line, 'parentSourcedId', format('academic session "%s" not found: the session has no parent', s.parent)
FROM or_sessions s
WHERE NOT s.deleted AND s.parent <> '' AND NOT EXISTS (SELECT FROM academic_sessions p WHERE p.sourced_id = s.parent)
ORDER BY s.line LIMIT 50`
