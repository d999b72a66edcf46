// Package timetable imports a school's weekly timetable from a CSV file.
//
// The file is UTF-8 (with or without a byte order mark), comma-separated, with a
// header naming the columns in any order; other columns are ignored:
//
//	classSourcedId    the class (homeroom or section) as imported from OneRoster; required
//	weekday           1–7 (Monday is 1), пн…вс, mon…sun or the full name, any case; required
//	period            the lesson's number in the day, 0–20; required
//	startTime         the bell, HH:MM; required
//	endTime           HH:MM, after startTime; required
//	subject           the subject's name, added to the school's subjects if new; required
//	teacherSourcedId  a person with the role teacher; may be empty
//	room              may be empty
//	validFrom         the first day the lesson is given, YYYY-MM-DD or DD.MM.YYYY; required
//	validTo           the last day (inclusive); required
//
// For example:
//
//	classSourcedId,weekday,period,startTime,endTime,subject,teacherSourcedId,room,validFrom,validTo
//	class-7a-math,пн,1,08:30,09:15,Математика,t-ivanova,каб. 21,2026-09-01,2027-05-31
//
// A class has one lesson per weekday and period at any date: two rows for the same
// class, weekday and period whose dates overlap are an error. Importing replaces
// each class's timetable for the dates the file gives it: an entry of the class
// already stored that overlaps them keeps only its days outside them (an entry for
// the whole year, re-imported from January, keeps September to December; one that
// spans the new dates on both sides is split in two), and an entry identical to a
// row of the file is left as it is. The import is one transaction: a bad row is
// reported as file:line: column: problem and nothing is written.
package timetable

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// DB begins the import's transaction: a *pgxpool.Pool or a *pgx.Conn.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Summary is what an import did to the stored timetable.
type Summary struct {
	Rows      int64 // rows read
	Created   int64 // entries added
	Unchanged int64 // rows already stored as they are
	Trimmed   int64 // entries cut down (or split) to the days outside the new dates
	Removed   int64 // entries wholly replaced
	Subjects  int64 // subjects added
}

// Import reads the timetable file at path and writes it in one transaction. Bad rows
// come back as a *csvin.Error naming file, line, column and problem.
func Import(ctx context.Context, db DB, path string) (*Summary, error) {
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	defer tx.Rollback(ctx)
	problems := &csvin.Problems{}
	s := &Summary{}
	if s.Rows, err = stage(ctx, tx, path, problems); err != nil {
		return nil, err
	}
	if problems.Len() == 0 {
		if err := problems.Query(ctx, tx, filepath.Base(path), checkRows); err != nil {
			return nil, err
		}
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	if err := write(ctx, tx, s); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit import: %w", err)
	}
	return s, nil
}

const staging = `
CREATE TEMP TABLE tt_rows (
	line int, class text, weekday smallint, period smallint, starts_at time, ends_at time,
	subject text, teacher text, room text, valid_from date, valid_to date
) ON COMMIT DROP`

// stage copies the file's rows into tt_rows, checking each on its own.
func stage(ctx context.Context, tx pgx.Tx, path string, problems *csvin.Problems) (int64, error) {
	if _, err := tx.Exec(ctx, staging); err != nil {
		return 0, err
	}
	r, err := csvin.Open(path, problems)
	if err != nil {
		return 0, err
	}
	defer r.Close()
	class, weekday, period := r.Required("classSourcedId"), r.Required("weekday"), r.Required("period")
	start, end, subject := r.Required("startTime"), r.Required("endTime"), r.Required("subject")
	teacher, room := r.Required("teacherSourcedId"), r.Required("room")
	from, to := r.Required("validFrom"), r.Required("validTo")
	columns := []string{"line", "class", "weekday", "period", "starts_at", "ends_at", "subject", "teacher", "room", "valid_from", "valid_to"}
	n, err := csvin.Copy(ctx, tx, r, "tt_rows", columns, func() []any {
		f := r.Row()
		startsAt, endsAt := csvin.Parsed(f, start, true, parseClock), csvin.Parsed(f, end, true, parseClock)
		if s, ok := startsAt.(int); ok {
			if e, ok := endsAt.(int); ok && e <= s {
				f.Fail(end, "%s is not after startTime %s", f.Text(end), f.Text(start))
			}
		}
		validFrom, validTo := csvin.Parsed(f, from, true, parseDate), csvin.Parsed(f, to, true, parseDate)
		if s, ok := validFrom.(time.Time); ok {
			if e, ok := validTo.(time.Time); ok && e.Before(s) {
				f.Fail(to, "%s is before validFrom %s", f.Text(to), f.Text(from))
			}
		}
		row := []any{f.Line(), f.Required(class), csvin.Parsed(f, weekday, true, parseWeekday),
			csvin.Parsed(f, period, true, parsePeriod), clock(startsAt), clock(endsAt),
			f.Required(subject), f.Text(teacher), f.Text(room), validFrom, validTo}
		if f.Bad() {
			return nil
		}
		return row
	})
	if err != nil {
		return n, err
	}
	_, err = tx.Exec(ctx, "ANALYZE tt_rows")
	return n, err
}

// clock turns minutes after midnight into a time of day for COPY, as HH:MM.
func clock(minutes any) any {
	m, ok := minutes.(int)
	if !ok {
		return nil
	}
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// checkRows finds rows whose class or teacher is unknown and rows that give a class
// two lessons at once.
const checkRows = `
SELECT r.line, 'classSourcedId', format('class "%s" not found', r.class)
FROM tt_rows r
WHERE NOT EXISTS (SELECT FROM classes c WHERE c.sourced_id = r.class)
UNION ALL
SELECT r.line, 'teacherSourcedId', CASE
	WHEN p.id IS NULL THEN format('person "%s" not found', r.teacher)
	ELSE format('person "%s" is a %s, not a teacher', r.teacher, p.role) END
FROM tt_rows r LEFT JOIN people p ON p.sourced_id = r.teacher
WHERE r.teacher <> '' AND (p.id IS NULL OR p.role <> 'teacher')
UNION ALL
SELECT b.line, 'period',
	format('class "%s" already has period %s on weekday %s on some of these dates (line %s)', b.class, b.period, b.weekday, a.line)
FROM tt_rows a JOIN tt_rows b ON a.class = b.class AND a.weekday = b.weekday AND a.period = b.period AND a.line < b.line
WHERE daterange(a.valid_from, a.valid_to, '[]') && daterange(b.valid_from, b.valid_to, '[]')
ORDER BY 1 LIMIT 50`

// write stores the rows: new subjects, then the stored entries trimmed off the
// new dates, then the new entries.
func write(ctx context.Context, tx pgx.Tx, s *Summary) error {
	tag, err := tx.Exec(ctx, `
INSERT INTO subjects (school_id, name)
SELECT DISTINCT c.school_id, r.subject FROM tt_rows r JOIN classes c ON c.sourced_id = r.class
ON CONFLICT DO NOTHING`)
	if err != nil {
		return fmt.Errorf("add subjects: %w", err)
	}
	s.Subjects = tag.RowsAffected()

	// same_id: the stored entry the row repeats exactly, which stays. A timetable
	// stored moments ago has no statistics yet, and without them the planner may
	// compare every row with every entry.
	_, err = tx.Exec(ctx, `
ANALYZE timetable_entries;
CREATE TEMP TABLE tt_new ON COMMIT DROP AS
SELECT c.id AS class_id, r.weekday, r.period, r.starts_at, r.ends_at, sub.id AS subject_id,
	p.id AS teacher_id, r.room, daterange(r.valid_from, r.valid_to, '[]') AS valid, same.id AS same_id
FROM tt_rows r
JOIN classes c ON c.sourced_id = r.class
JOIN subjects sub ON sub.school_id = c.school_id AND sub.name = r.subject
LEFT JOIN people p ON p.sourced_id = r.teacher AND r.teacher <> ''
LEFT JOIN timetable_entries same ON same.class_id = c.id AND same.weekday = r.weekday AND same.period = r.period
	AND same.valid = daterange(r.valid_from, r.valid_to, '[]')
	AND (same.starts_at, same.ends_at, same.subject_id, same.teacher_id, same.room)
		IS NOT DISTINCT FROM (r.starts_at, r.ends_at, sub.id, p.id, r.room)`)
	if err != nil {
		return fmt.Errorf("resolve rows: %w", err)
	}

	// Take each class's other entries off the dates the file covers for it, then
	// put back what lies outside them (nothing, one piece, or two).
	_, err = tx.Exec(ctx, `
CREATE TEMP TABLE tt_old ON COMMIT DROP AS SELECT * FROM timetable_entries LIMIT 0;
ALTER TABLE tt_old ADD COLUMN rest datemultirange;
WITH cover AS (
	SELECT class_id, range_agg(valid) AS valid FROM tt_new GROUP BY class_id
), gone AS (
	DELETE FROM timetable_entries t USING cover
	WHERE t.class_id = cover.class_id AND t.valid && cover.valid
		AND t.id NOT IN (SELECT same_id FROM tt_new WHERE same_id IS NOT NULL)
	RETURNING t.*, multirange(t.valid) - cover.valid
)
INSERT INTO tt_old SELECT * FROM gone`)
	if err != nil {
		return fmt.Errorf("take old entries off the new dates: %w", err)
	}
	err = tx.QueryRow(ctx, `
SELECT count(*) FILTER (WHERE NOT isempty(rest)), count(*) FILTER (WHERE isempty(rest)) FROM tt_old`).
		Scan(&s.Trimmed, &s.Removed)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `
INSERT INTO timetable_entries (class_id, weekday, period, starts_at, ends_at, subject_id, teacher_id, room, valid)
SELECT class_id, weekday, period, starts_at, ends_at, subject_id, teacher_id, room, piece
FROM tt_old, unnest(rest) AS piece`)
	if err != nil {
		return fmt.Errorf("put back the rest of old entries: %w", err)
	}

	tag, err = tx.Exec(ctx, `
INSERT INTO timetable_entries (class_id, weekday, period, starts_at, ends_at, subject_id, teacher_id, room, valid)
SELECT class_id, weekday, period, starts_at, ends_at, subject_id, teacher_id, room, valid
FROM tt_new WHERE same_id IS NULL`)
	if err != nil {
		return fmt.Errorf("add entries: %w", err)
	}
	s.Created = tag.RowsAffected()
	return tx.QueryRow(ctx, `SELECT count(*) FROM tt_new WHERE same_id IS NOT NULL`).Scan(&s.Unchanged)
}
