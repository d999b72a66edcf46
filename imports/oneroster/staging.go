package oneroster

import (
	"context"
	"strings"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// stagingTables hold each file's rows as read, with the line each came from, until
// set-based statements check and write them. Every table exists even when its file
// does not, so the statements need not ask. Columns take the types of the columns
// they are written to (numeric(5,2), …), so a value compares equal to what an earlier
// import stored and re-importing it changes nothing.
const stagingTables = `
CREATE TEMP TABLE or_orgs (
	line int, sourced_id text, deleted bool,
	name text, type text, parent text, time_zone text
) ON COMMIT DROP;
CREATE TEMP TABLE or_sessions (
	line int, sourced_id text, deleted bool,
	title text, kind text, school_year smallint, start_date date, end_date date, parent text,
	depth int -- levels below the topmost session of the file on its parent chain
) ON COMMIT DROP;
CREATE TEMP TABLE or_courses (
	line int, sourced_id text, deleted bool,
	title text, subject text, school_year text
) ON COMMIT DROP;
CREATE TEMP TABLE or_classes (
	line int, sourced_id text, deleted bool,
	title text, kind text, grade_level text, course text, school text, terms text[], subject text
) ON COMMIT DROP;
CREATE TEMP TABLE or_users (
	line int, sourced_id text, deleted bool,
	role text, relation text, family_name text, given_name text, middle_name text,
	orgs text[], agents text[]
) ON COMMIT DROP;
CREATE TEMP TABLE or_enrollments (
	line int, sourced_id text, deleted bool,
	class text, person text, role text, is_primary bool, begin_date date, end_date date
) ON COMMIT DROP;
CREATE TEMP TABLE or_categories (
	line int, sourced_id text, deleted bool,
	title text, weight numeric(5,2)
) ON COMMIT DROP;
CREATE TEMP TABLE or_line_items (
	line int, sourced_id text, deleted bool,
	class_id bigint, category_id bigint, kind text,
	title text, description text, assigned_on date, due_on date, weight numeric(5,2)
) ON COMMIT DROP;
CREATE TEMP TABLE or_results (
	line int, sourced_id text, deleted bool,
	assignment_id bigint, class_id bigint, pupil_id bigint,
	score numeric(6,2), weight numeric(5,2), graded_on date, comment text
) ON COMMIT DROP;
`

// progressEvery is how many rows of a big file are read between progress lines.
const progressEvery = 1_000_000

// statuses maps OneRoster's status to whether the row deactivates its record.
// "inactive" is OneRoster 1.0's word for it.
var statuses = map[string]bool{"": false, "active": false, "tobedeleted": true, "inactive": true}

// copy stages a file: the line, the sourcedId (required, unique in the file) and
// whether the status deactivates it, then the columns values reads from the
// record. values returns nil to leave a row out; a row with a bad field is left out
// too. A row that deactivates its record needs nothing but its sourcedId.
// The table is analysed after: temporary tables never are on their own, and
// without statistics the planner takes a million staged rows for a thousand and
// loops where it should hash.
func (im *importer) copy(ctx context.Context, r *csvin.Reader, table string, columns []string, values func(f fields) []any) (int64, error) {
	var out []any // reused: Copy encodes a row before asking for the next
	n, err := im.copyRows(ctx, r, table, append([]string{"line", "sourced_id", "deleted"}, columns...), len(columns), values,
		func(sourcedID string, deleted bool, row []any) []any {
			out = append(append(out[:0], r.Line(), sourcedID, deleted), row...)
			return out
		})
	if err != nil {
		return n, err
	}
	_, err = im.tx.Exec(ctx, "ANALYZE "+table)
	return n, err
}

// copyRows reads a file's rows as copy does, checking the sourcedId and the
// status, and COPYs into table, of columns, what lead makes of each good row: its
// sourcedId, whether it deactivates its record, and what values returned
// (width values, or none for a row that deactivates its record), or nil to
// leave it out.
func (im *importer) copyRows(ctx context.Context, r *csvin.Reader, table string, columns []string, width int,
	values func(f fields) []any, lead func(sourcedID string, deleted bool, row []any) []any) (int64, error) {
	id, status := r.Required("sourcedId"), r.Optional("status")
	seen := csvin.NewSeen(r)
	deletedRow := make([]any, width)
	records := 0
	n, err := csvin.Copy(ctx, im.tx, r, table, columns, func() []any {
		if records++; records%progressEvery == 0 {
			im.progress("%s: %d rows…", r.File(), records)
		}
		f := fields{r.Row()}
		sourcedID := f.Required(id)
		if sourcedID != "" {
			seen.Add(sourcedID)
		}
		deleted, ok := statuses[strings.ToLower(f.Text(status))]
		if !ok {
			f.Fail(status, "unknown status %q: expected active or tobedeleted", f.Text(status))
		}
		row := deletedRow
		if !deleted {
			row = values(f)
		}
		if f.Bad() || row == nil {
			return nil
		}
		return lead(sourcedID, deleted, row)
	})
	if err != nil {
		return n, err
	}
	seen.Report(id, "duplicate sourcedId: line %d has it too")
	return n, nil
}
