package diary

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Role is how an account is linked to a person.
type Role string

const (
	RoleGuardian Role = "guardian" // a parent or legal guardian of the pupil
	RoleStudent  Role = "student"  // the pupil themself
	RoleTrusted  Role = "trusted"  // invited by a guardian: read-only, ends with the guardian's link
	RoleTeacher  Role = "teacher"  // linked to their own teacher record
)

// PupilAccess is an account's right to see one pupil, as checked at one moment.
//
// Only the access rule makes one that a view takes (checked): a request checks
// once, with PupilAccess or Children, and hands the value to every view it
// calls; a value made anywhere else, the zero value too, is refused.
type PupilAccess struct {
	Account AccountID
	LinkID  int64
	Role    Role
	Pupil   Person
	School  School
	checked bool
}

// valid refuses an access value the access rule did not make.
func (a PupilAccess) valid() error {
	if !a.checked {
		return Errorf(EFORBIDDEN, "access of account %d to pupil %d was not checked", a.Account, a.Pupil.ID)
	}
	return nil
}

// CanSign tells whether the account may sign the pupil's diary and invite others:
// only a guardian may; a pupil and a trusted person only read.
func (a PupilAccess) CanSign() bool { return a.Role == RoleGuardian }

// PupilAccess answers "may this account see this pupil now?". It is the one place
// that decides; every view calls it, and a batch of accounts (see Digests) goes
// through the same link query and pupilLink.check. The errors say why not:
// EFORBIDDEN (never linked, or a guessed id), EREVOKED (unlinked, or the trusted
// person's inviter was), EEXPIRED (the link ran out with the school year, or the
// pupil left).
func (s *Store) PupilAccess(ctx context.Context, account AccountID, pupil PersonID) (PupilAccess, error) {
	l, err := scanPupilLink(s.db.QueryRow(ctx, pupilLinkSQL, account, pupil))
	if errors.Is(err, pgx.ErrNoRows) {
		return PupilAccess{}, Errorf(EFORBIDDEN, "account %d has no link to pupil %d", account, pupil)
	}
	if err != nil {
		return PupilAccess{}, fmt.Errorf("check access of account %d to pupil %d: %w", account, pupil, err)
	}
	return l.check(s.Now())
}

// linkSQL selects the link that decides an account's access to a pupil: the live
// one if there is one, else the latest. With it come the inviting link of a
// trusted person, the pupil and the pupil's school. A condition on l and
// linkOrder complete it.
const linkSQL = `
SELECT DISTINCT ON (l.account_id, l.person_id)
       l.account_id, l.id, l.role, l.valid_from, l.valid_until, l.revoked_at,
       g.valid_from, g.valid_until, g.revoked_at,
       p.id, p.family_name, p.given_name, p.middle_name, p.active,
       coalesce(s.id, 0), coalesce(s.name, ''), coalesce(s.time_zone, 'Europe/Moscow'),
       coalesce(s.grade_min, 1), coalesce(s.grade_max, 5)
FROM account_links l
JOIN people p ON p.id = l.person_id
LEFT JOIN account_links g ON g.id = l.granted_by
LEFT JOIN schools s ON s.id = p.school_id
WHERE l.role <> 'teacher' AND `

const linkOrder = `
ORDER BY l.account_id, l.person_id, l.revoked_at IS NULL DESC, l.created_at DESC`

// pupilLinkSQL is the deciding link of one account ($1) to one pupil ($2);
// accountLinksSQL those of many accounts ($1) to each of their pupils. The
// accounts come as a set (IN, unnest), which the planner takes for a handful
// and joins by index lookups; as = ANY of an array it took them for a tenth
// of the links and read every person into a hash (0.9 ms for one account on
// a district of two schools, more the more people).
const (
	pupilLinkSQL    = linkSQL + `l.account_id = $1 AND l.person_id = $2` + linkOrder
	accountLinksSQL = linkSQL + `l.account_id IN (SELECT unnest((SELECT $1::bigint[])))` + linkOrder
)

// pupilLink is a row of linkSQL, not yet checked.
type pupilLink struct {
	access      PupilAccess // all but the school's location
	link, by    validity    // by: the inviting link of a trusted person
	pupilActive bool
	zone        string
}

func scanPupilLink(row pgx.Row) (pupilLink, error) {
	var l pupilLink
	dest, done := linkDest(&l)
	err := row.Scan(dest...)
	done()
	return l, err
}

// linkDest is where the columns of a row of linkSQL go, and done fills l from
// them once scanned. found is false where they were all NULL: an account
// without links, read with a LEFT JOIN (Visit).
func linkDest(l *pupilLink) (dest []any, done func() (found bool)) {
	var (
		a                    = &l.access
		account              *AccountID
		id                   *int64
		role, family, given  *string
		middle, school, zone *string
		from, byFrom         *time.Time
		pupil                *PersonID
		active               *bool
		schoolID             *SchoolID
		gradeMin, gradeMax   *int
	)
	dest = []any{&account, &id, &role, &from, &l.link.until, &l.link.revoked,
		&byFrom, &l.by.until, &l.by.revoked,
		&pupil, &family, &given, &middle, &active,
		&schoolID, &school, &zone, &gradeMin, &gradeMax}
	return dest, func() bool {
		if id == nil {
			return false
		}
		a.Account, a.LinkID, a.Role, l.link.from = *account, *id, Role(*role), *from
		a.Pupil = Person{ID: *pupil, FamilyName: *family, GivenName: *given, MiddleName: *middle}
		l.pupilActive = *active
		a.School.ID, a.School.Name, l.zone, a.School.GradeMin, a.School.GradeMax = *schoolID, *school, *zone, *gradeMin, *gradeMax
		if byFrom != nil {
			l.by.from = *byFrom
		}
		return true
	}
}

// check is the rule itself: the link must be live at now, so must the inviting
// link of a trusted person, and the pupil must still be at school.
func (l pupilLink) check(now time.Time) (PupilAccess, error) {
	a := l.access
	if err := l.link.check(now, "link %d", a.LinkID); err != nil {
		return PupilAccess{}, err
	}
	if a.Role == RoleTrusted {
		if err := l.by.check(now, "inviting link of link %d", a.LinkID); err != nil {
			return PupilAccess{}, err
		}
	}
	if !l.pupilActive {
		return PupilAccess{}, Errorf(EEXPIRED, "pupil %d is no longer active", a.Pupil.ID)
	}
	var err error
	if a.School.Location, err = location(l.zone); err != nil {
		return PupilAccess{}, err
	}
	a.checked = true
	return a, nil
}

// liveLinks reads rows of linkSQL and keeps those the access rule (check)
// lets through at now: a batch's PupilAccess.
func liveLinks(rows pgx.Rows, now time.Time) ([]PupilAccess, error) {
	links, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (pupilLink, error) { return scanPupilLink(row) })
	if err != nil {
		return nil, fmt.Errorf("read links: %w", err)
	}
	var live []PupilAccess
	for _, l := range links {
		a, err := l.check(now)
		switch ErrorCode(err) {
		case "":
			live = append(live, a)
		case EREVOKED, EEXPIRED, EFORBIDDEN:
		default:
			return nil, err
		}
	}
	return live, nil
}

// TeacherAccess is a teacher's right to act on one class.
//
// Only the access rule makes one that a teacher's read of or write to a class
// takes, as with PupilAccess: a value made elsewhere is refused. A write checks
// again in its transaction (stillTeaches) that the value still holds.
type TeacherAccess struct {
	Account AccountID
	LinkID  int64
	Teacher Person
	Class   ClassID
	School  School // the class's school
	checked bool
}

// validClass refuses an access value to a class that the access rule did
// not make.
func (a TeacherAccess) validClass() error {
	if !a.checked || a.Class == 0 {
		return refuse(EFORBIDDEN, ReasonNotYourClass, nil, "access of account %d to class %d was not checked", a.Account, a.Class)
	}
	return nil
}

// LessonAccess is a teacher's right to act at one lesson held: to read its
// class list and mark its pupils. Its teacher teaches the lesson's class or
// substitutes at the lesson; a substitute's gives nothing at the class's other
// lessons.
//
// Only the access rule makes one (Store.LessonAccess), as with TeacherAccess.
type LessonAccess struct {
	Account AccountID
	LinkID  int64
	Teacher Person
	Lesson  TeacherLesson // Lesson.School has the grading scale
	checked bool
}

// valid refuses a lesson access the access rule did not make.
func (a LessonAccess) valid() error {
	if !a.checked {
		return refuse(EFORBIDDEN, ReasonNotYourClass, nil, "access of account %d to a lesson of class %d was not checked",
			a.Account, a.Lesson.Class)
	}
	return nil
}

// MeetingAccess is a teacher's right to change one parent meeting, of a class
// they teach, with the meeting as it was at the check: the request that
// changes it shows it too.
//
// Only the access rule makes one (Store.MeetingAccess), as with TeacherAccess.
type MeetingAccess struct {
	Access  TeacherAccess // to the meeting's class
	Meeting Meeting
	checked bool
}

// valid refuses a meeting access the access rule did not make.
func (a MeetingAccess) valid() error {
	if !a.checked {
		return refuse(EFORBIDDEN, ReasonNotYourClass, nil, "access of account %d to meeting %d was not checked",
			a.Access.Account, a.Meeting.ID)
	}
	return nil
}

// TeacherClassAccess answers "may this teacher act on this class now?": the account
// must have a live teacher link, and that teacher must teach the class (an active
// teacher enrollment, which also covers the homeroom teacher of a homeroom class).
func (s *Store) TeacherClassAccess(ctx context.Context, account AccountID, class ClassID) (TeacherAccess, error) {
	classes, a, err := s.teacherClasses(ctx, account, class)
	if err != nil {
		return TeacherAccess{}, err
	}
	if len(classes) == 0 {
		return TeacherAccess{}, refuse(EFORBIDDEN, ReasonNotYourClass, nil, "teacher %d does not teach class %d", a.Teacher.ID, class)
	}
	return classes[0].Access, nil
}

// TeacherClass is a class a teacher teaches.
type TeacherClass struct {
	ID       ClassID
	Title    string // e.g. "7А" for a homeroom, "7А Алгебра" for a section
	Homeroom bool   // the teacher is its class teacher
	Subject  string // a section's subject; "" for a homeroom
	School   School
	// Access is the teacher's checked access to the class: what the reads and
	// writes of this request about the class take.
	Access TeacherAccess
}

// TeacherClasses returns the teacher linked to the account and the classes they
// teach, homerooms first, by title. It is TeacherClassAccess for all of them at
// once: the same link rule decides.
func (s *Store) TeacherClasses(ctx context.Context, account AccountID) (TeacherAccess, []TeacherClass, error) {
	classes, a, err := s.teacherClasses(ctx, account, 0)
	return a, classes, err
}

// teacherClasses checks the account's teacher link and lists the classes that
// teacher teaches: only class only (when not 0), else all.
func (s *Store) teacherClasses(ctx context.Context, account AccountID, only ClassID) ([]TeacherClass, TeacherAccess, error) {
	const q = `
SELECT l.id, l.valid_from, l.valid_until, l.revoked_at,
       p.id, p.family_name, p.given_name, p.middle_name, p.active
FROM account_links l
JOIN people p ON p.id = l.person_id
WHERE l.account_id = $1 AND l.role = 'teacher'
ORDER BY l.revoked_at IS NULL DESC, l.created_at DESC
LIMIT 1`
	var (
		a      = TeacherAccess{Account: account}
		link   validity
		active bool
	)
	err := s.db.QueryRow(ctx, q, account).Scan(&a.LinkID, &link.from, &link.until, &link.revoked,
		&a.Teacher.ID, &a.Teacher.FamilyName, &a.Teacher.GivenName, &a.Teacher.MiddleName, &active)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, TeacherAccess{}, refuse(EFORBIDDEN, ReasonNotTeacher, nil, "account %d is not a teacher", account)
	}
	if err != nil {
		return nil, TeacherAccess{}, fmt.Errorf("check teacher link of account %d: %w", account, err)
	}
	if err := link.check(s.Now(), "teacher link %d", a.LinkID); err != nil {
		return nil, TeacherAccess{}, err
	}
	if !active {
		return nil, TeacherAccess{}, Errorf(EEXPIRED, "teacher %d is no longer active", a.Teacher.ID)
	}
	const classesSQL = `
SELECT c.id, c.title, c.kind = 'homeroom', coalesce(sub.name, ''),
       s.id, s.name, s.time_zone, s.grade_min, s.grade_max
FROM enrollments e
JOIN classes c ON c.id = e.class_id
JOIN schools s ON s.id = c.school_id
LEFT JOIN subjects sub ON sub.id = c.subject_id
WHERE e.person_id = $1 AND e.role = 'teacher' AND e.active AND c.active AND ($2::bigint = 0 OR c.id = $2)
ORDER BY c.kind = 'homeroom' DESC, c.title, c.id`
	rows, _ := s.db.Query(ctx, classesSQL, a.Teacher.ID, only)
	classes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (TeacherClass, error) {
		var c TeacherClass
		var zone string
		err := row.Scan(&c.ID, &c.Title, &c.Homeroom, &c.Subject,
			&c.School.ID, &c.School.Name, &zone, &c.School.GradeMin, &c.School.GradeMax)
		if err == nil {
			c.School.Location, err = location(zone)
		}
		c.Access = a
		c.Access.Class, c.Access.School, c.Access.checked = c.ID, c.School, true
		return c, err
	})
	if err != nil {
		return nil, TeacherAccess{}, fmt.Errorf("classes of teacher %d: %w", a.Teacher.ID, err)
	}
	return classes, a, nil
}

// stillTeachesSQL reads again what a teacher's access value was made of: the
// teacher link ($1) with its life, whether its teacher is active, and whether
// they teach the class ($2) or substitute at its lesson on a date ($3) at a
// period ($4), at the lesson's own slot or moved there. FOR SHARE: a
// revocation waits for the write, or the write sees it.
const stillTeachesSQL = `
SELECT l.valid_from, l.valid_until, l.revoked_at, p.active,
       EXISTS (SELECT FROM enrollments e JOIN classes c ON c.id = e.class_id AND c.active
               WHERE e.person_id = p.id AND e.class_id = $2 AND e.role = 'teacher' AND e.active)
       OR EXISTS (SELECT FROM lesson_changes ch
                  WHERE ch.class_id = $2 AND ch.substitute_teacher_id = p.id
                    AND ((ch.lesson_date = $3 AND ch.period = $4 AND ch.kind NOT IN ('cancelled', 'moved'))
                         OR (ch.kind = 'moved' AND ch.moved_to_date = $3 AND ch.moved_to_period = $4)))
FROM account_links l
JOIN people p ON p.id = l.person_id
WHERE l.id = $1 AND l.role = 'teacher'
FOR SHARE OF l`

// stillTeaches is the access rule again inside a write's transaction, in one
// query, for a value checked before it began: the teacher link is still live,
// its teacher active, and they still teach at.Class or substitute at its
// lesson at.Date, at.Period (zero for a write to the whole class).
func (s *Store) stillTeaches(ctx context.Context, tx pgx.Tx, link int64, at LessonRef) error {
	var (
		v               validity
		active, teaches bool
	)
	err := tx.QueryRow(ctx, stillTeachesSQL, link, at.Class, at.Date, at.Period).Scan(&v.from, &v.until, &v.revoked, &active, &teaches)
	if errors.Is(err, pgx.ErrNoRows) {
		return refuse(EFORBIDDEN, ReasonNotTeacher, nil, "no teacher link %d", link)
	}
	if err != nil {
		return fmt.Errorf("check teacher link %d again: %w", link, err)
	}
	if err := v.check(s.Now(), "teacher link %d", link); err != nil {
		return err
	}
	switch {
	case !active:
		return Errorf(EEXPIRED, "the teacher of link %d is no longer active", link)
	case !teaches:
		return refuse(EFORBIDDEN, ReasonNotYourClass, nil, "the teacher of link %d no longer teaches class %d", link, at.Class)
	}
	return nil
}

// validity is the life of a link: from, until (nil: no end) and revocation.
type validity struct {
	from    time.Time
	until   *time.Time
	revoked *time.Time
}

func (v validity) check(now time.Time, format string, args ...any) error {
	what := fmt.Sprintf(format, args...)
	switch {
	case v.revoked != nil:
		return Errorf(EREVOKED, "%s was revoked", what)
	case now.Before(v.from):
		return Errorf(EFORBIDDEN, "%s is not valid yet", what)
	case v.until != nil && !now.Before(*v.until):
		return Errorf(EEXPIRED, "%s expired", what)
	}
	return nil
}

// zones caches loaded time zones: LoadLocation parses the zone file every call.
var zones sync.Map // name → *time.Location

func location(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("time zone %q: %w", name, err)
	}
	zones.Store(name, loc)
	return loc, nil
}

// guardianAccess is PupilAccess for what only a guardian may do.
// A refusal says reason: only a guardian may do what the caller does.
func (s *Store) guardianAccess(ctx context.Context, account AccountID, pupil PersonID, reason Reason) (PupilAccess, error) {
	a, err := s.PupilAccess(ctx, account, pupil)
	if err != nil {
		return PupilAccess{}, err
	}
	if !a.CanSign() {
		return PupilAccess{}, refuse(EFORBIDDEN, reason, nil, "account %d is %s of pupil %d, not a guardian", account, a.Role, pupil)
	}
	return a, nil
}
