package diarytest

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Notice is a notice as a teacher's write leaves it, for tests of the
// worker's fan-out. Class names the class (a sourced id) and through it the
// school; with no Class, School names the whole school the notice is to.
type Notice struct {
	Kind          string // grade, meeting, announcement, …
	School, Class string // sourced ids
	Pupil, Ref    int64  // 0: none
	Body          string // an announcement's text
	ToPupils      bool
	Urgent        bool
	Report        [2]int64  // the chat and message of the teacher's "delivered N of M"
	At            time.Time // when it was written, and due
}

// AddNotice writes the notice and returns its id.
func AddNotice(ctx context.Context, db *pgxpool.Pool, n Notice) (int64, error) {
	const q = `
INSERT INTO notices (kind, school_id, class_id, pupil_id, ref_id, body, to_pupils, urgent,
                     report_chat_id, report_message_id, created_at, due_at)
SELECT $1, s.id, c.id, nullif($4::bigint, 0), nullif($5::bigint, 0), $6, $7, $8,
       nullif($9::bigint, 0), nullif($10::bigint, 0), $11, $11
FROM schools s LEFT JOIN classes c ON c.school_id = s.id AND c.sourced_id = $3
WHERE s.id = coalesce((SELECT school_id FROM classes WHERE sourced_id = $3),
                      (SELECT id FROM schools WHERE sourced_id = $2))
RETURNING id`
	var id int64
	err := db.QueryRow(ctx, q, n.Kind, n.School, n.Class, n.Pupil, n.Ref, n.Body, n.ToPupils, n.Urgent,
		n.Report[0], n.Report[1], n.At).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("add %s notice to %s%s: %w", n.Kind, n.School, n.Class, err)
	}
	return id, nil
}

// AddGrade gives a pupil a grade in a class (both sourced ids) on a date, with
// a comment, at no lesson, and returns the notice that tells of it, for the
// test to add when it wants it told.
func AddGrade(ctx context.Context, db *pgxpool.Pool, class, pupil string, score int, on, comment string) (Notice, error) {
	const q = `
INSERT INTO grades (class_id, pupil_id, score, graded_on, comment)
SELECT c.id, p.id, $3, $4, $5 FROM classes c, people p WHERE c.sourced_id = $1 AND p.sourced_id = $2
RETURNING id, pupil_id`
	n := Notice{Kind: "grade", Class: class, ToPupils: true}
	if err := db.QueryRow(ctx, q, class, pupil, score, on, comment).Scan(&n.Ref, &n.Pupil); err != nil {
		return Notice{}, fmt.Errorf("grade %s in %s: %w", pupil, class, err)
	}
	return n, nil
}

// AddMeeting adds a parents' meeting of a class (a sourced id) and returns its id.
func AddMeeting(ctx context.Context, db *pgxpool.Pool, class, title, place string, starts time.Time) (int64, error) {
	const q = `
INSERT INTO events (school_id, class_id, kind, title, place, starts_at)
SELECT school_id, id, 'meeting', $2, $3, $4 FROM classes WHERE sourced_id = $1 RETURNING id`
	var id int64
	if err := db.QueryRow(ctx, q, class, title, place, starts).Scan(&id); err != nil {
		return 0, fmt.Errorf("add a meeting of %s: %w", class, err)
	}
	return id, nil
}
