package diary

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// WeeklySummary is the Sunday-evening message of one account: each child's week.
type WeeklySummary struct {
	Account  AccountID
	ChatID   int64
	Language string
	Settings Settings
	Children []ChildWeek
}

// ChildWeek is one child's week, Monday to Sunday.
type ChildWeek struct {
	Pupil          Person
	Class          string // the homeroom class's title, e.g. 7А
	School         School
	Monday, Sunday time.Time
	Subjects       []WeekSubject    // the subjects graded this week, by name
	Attendance     AttendanceReport // the week's absences and late arrivals, counted
	Remarks        int              // how many remarks teachers gave this week
	CanSign        bool             // the account is a guardian, who signs the week
	Signed         bool             // the account has signed this week already
}

// WeekSubject is a subject's grades of the week against the week before.
type WeekSubject struct {
	SubjectGrades           // this week's grades and their weighted average
	PreviousAverage float64 // the week before's weighted average; 0 when it had no grades
}

// WeeklySummaries composes the weekly summaries of a batch of accounts at the
// instant now, as Digests does its digests: the same accounts and children get
// one, from a fixed number of set-based queries in two round trips. A child's
// week is the Monday-to-Sunday week holding its today, the week a guardian signs
// on Sunday.
func (s *Store) WeeklySummaries(ctx context.Context, accounts []AccountID, now time.Time) ([]WeeklySummary, error) {
	aud, err := s.audience(ctx, accounts, now)
	if err != nil || len(aud.recipients) == 0 {
		return nil, err
	}
	var (
		week, fortnight pupilDays // this week; this week and the one before
		parts           dayParts
		signatures      childRequests[time.Time]
		signed          = map[int]bool{} // by signature request number
		b               = &pgx.Batch{}
	)
	for i, a := range aud.pupils {
		monday, sunday := WeekOf(aud.today[i])
		week.add(a.Pupil.ID, monday, sunday)
		fortnight.add(a.Pupil.ID, monday.AddDate(0, 0, -7), sunday)
	}
	for _, r := range aud.recipients {
		for _, a := range r.children {
			signatures.add(a, week.from[aud.index[a.Pupil.ID]])
		}
	}
	aud.queueClasses(b, &week)
	pupils := len(aud.pupils)
	queuePerRequest(b, pupils, gradesSQL, fortnight.args(), scanGrade, &parts.grades)
	queuePerRequest(b, pupils, attendanceSQL, week.args(), scanAttendance, &parts.marks)
	queuePerRequest(b, pupils, remarksSQL, week.args(), scanRemark, &parts.remarks)
	b.Queue(signedSQL, signatures.args()...).Query(func(rows pgx.Rows) error {
		var n int
		_, err := pgx.ForEachRow(rows, []any{&n}, func() error {
			signed[n] = true
			return nil
		})
		return err
	})
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, fmt.Errorf("read weekly summaries of %d accounts: %w", len(accounts), err)
	}

	summaries := make([]WeeklySummary, len(aud.recipients))
	n := 0 // the signature request of the child, numbered from 1 in the order added
	for k, r := range aud.recipients {
		w := WeeklySummary{Account: r.ID, ChatID: r.ChatID, Language: r.Language, Settings: r.Settings}
		for _, a := range r.children {
			n++
			i := aud.index[a.Pupil.ID]
			monday, sunday := week.from[i], week.to[i]
			w.Children = append(w.Children, ChildWeek{
				Pupil: a.Pupil, Class: aud.classes[i], School: a.School, Monday: monday, Sunday: sunday,
				Subjects:   weekSubjects(parts.grades[i], monday),
				Attendance: attendanceReport(a, monday, sunday, parts.marks[i]),
				Remarks:    len(parts.remarks[i]),
				CanSign:    a.CanSign(),
				Signed:     signed[n],
			})
		}
		summaries[k] = w
	}
	return summaries, nil
}

// weekSubjects groups a fortnight's grades by subject: those from monday on
// make the week, those before make the previous week's averages.
func weekSubjects(grades []Grade, monday time.Time) []WeekSubject {
	var before, this []Grade
	for _, g := range grades {
		if g.Date.Before(monday) {
			before = append(before, g)
		} else {
			this = append(this, g)
		}
	}
	previous := map[ClassID]float64{}
	for _, sg := range bySubject(before, nil) {
		previous[sg.Class] = sg.Average
	}
	var subjects []WeekSubject
	for _, sg := range bySubject(this, nil) {
		subjects = append(subjects, WeekSubject{SubjectGrades: sg, PreviousAverage: previous[sg.Class]})
	}
	return subjects
}

// signedSQL returns the numbers of the requests of childRequests with Mondays
// ($3) whose account has signed the pupil's week.
var signedSQL = `
SELECT q.n FROM ` + childRequestsSQL("date", "week_start") + `
JOIN diary_signatures s ON s.pupil_id = q.pupil_id AND s.account_id = q.account_id AND s.week_start = q.week_start`
