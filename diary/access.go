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
type PupilAccess struct {
	Account AccountID
	LinkID  int64
	Role    Role
	Pupil   Person
	School  School
}

// CanSign tells whether the account may sign the pupil's diary and invite others:
// only a guardian may; a pupil and a trusted person only read.
func (a PupilAccess) CanSign() bool { return a.Role == RoleGuardian }

// PupilAccess answers "may this account see this pupil now?". It is the one place
// that decides; every view calls it. The errors say why not: EFORBIDDEN (never
// linked, or a guessed id), EREVOKED (unlinked, or the trusted person's inviter
// was), EEXPIRED (the link ran out with the school year, or the pupil left).
func (s *Store) PupilAccess(ctx context.Context, account AccountID, pupil PersonID) (PupilAccess, error) {
	const q = `
SELECT l.id, l.role, l.valid_from, l.valid_until, l.revoked_at,
       g.valid_from, g.valid_until, g.revoked_at,
       p.family_name, p.given_name, p.middle_name, p.active,
       coalesce(s.id, 0), coalesce(s.name, ''), coalesce(s.time_zone, 'Europe/Moscow'),
       coalesce(s.grade_min, 1), coalesce(s.grade_max, 5)
FROM account_links l
JOIN people p ON p.id = l.person_id
LEFT JOIN account_links g ON g.id = l.granted_by
LEFT JOIN schools s ON s.id = p.school_id
WHERE l.account_id = $1 AND l.person_id = $2 AND l.role <> 'teacher'
ORDER BY l.revoked_at IS NULL DESC, l.created_at DESC
LIMIT 1`
	var (
		a          = PupilAccess{Account: account, Pupil: Person{ID: pupil}}
		link, by   validity
		active     bool
		zone       string
		role       string
		byFrom     *time.Time
		schoolName string
	)
	err := s.db.QueryRow(ctx, q, account, pupil).Scan(
		&a.LinkID, &role, &link.from, &link.until, &link.revoked,
		&byFrom, &by.until, &by.revoked,
		&a.Pupil.FamilyName, &a.Pupil.GivenName, &a.Pupil.MiddleName, &active,
		&a.School.ID, &schoolName, &zone, &a.School.GradeMin, &a.School.GradeMax)
	if errors.Is(err, pgx.ErrNoRows) {
		return PupilAccess{}, Errorf(EFORBIDDEN, "account %d has no link to pupil %d", account, pupil)
	}
	if err != nil {
		return PupilAccess{}, fmt.Errorf("check access of account %d to pupil %d: %w", account, pupil, err)
	}
	a.Role = Role(role)
	a.School.Name = schoolName
	now := s.Now()
	if err := link.check(now, "link %d", a.LinkID); err != nil {
		return PupilAccess{}, err
	}
	if a.Role == RoleTrusted {
		if byFrom != nil {
			by.from = *byFrom
		}
		if err := by.check(now, "inviting link of link %d", a.LinkID); err != nil {
			return PupilAccess{}, err
		}
	}
	if !active {
		return PupilAccess{}, Errorf(EEXPIRED, "pupil %d is no longer active", pupil)
	}
	if a.School.Location, err = location(zone); err != nil {
		return PupilAccess{}, err
	}
	return a, nil
}

// TeacherAccess is a teacher's right to act on one class.
type TeacherAccess struct {
	Account AccountID
	LinkID  int64
	Teacher Person
	Class   ClassID
}

// TeacherClassAccess answers "may this teacher act on this class now?": the account
// must have a live teacher link, and that teacher must teach the class (an active
// teacher enrollment, which also covers the homeroom teacher of a homeroom class).
func (s *Store) TeacherClassAccess(ctx context.Context, account AccountID, class ClassID) (TeacherAccess, error) {
	const q = `
SELECT l.id, l.valid_from, l.valid_until, l.revoked_at,
       p.id, p.family_name, p.given_name, p.middle_name, p.active,
       EXISTS (SELECT FROM enrollments e JOIN classes c ON c.id = e.class_id
               WHERE e.person_id = p.id AND e.class_id = $2 AND e.role = 'teacher' AND e.active AND c.active)
FROM account_links l
JOIN people p ON p.id = l.person_id
WHERE l.account_id = $1 AND l.role = 'teacher'
ORDER BY l.revoked_at IS NULL DESC, l.created_at DESC
LIMIT 1`
	var (
		a        = TeacherAccess{Account: account, Class: class}
		link     validity
		active   bool
		teaching bool
	)
	err := s.db.QueryRow(ctx, q, account, class).Scan(&a.LinkID, &link.from, &link.until, &link.revoked,
		&a.Teacher.ID, &a.Teacher.FamilyName, &a.Teacher.GivenName, &a.Teacher.MiddleName, &active, &teaching)
	if errors.Is(err, pgx.ErrNoRows) {
		return TeacherAccess{}, Errorf(EFORBIDDEN, "account %d is not a teacher", account)
	}
	if err != nil {
		return TeacherAccess{}, fmt.Errorf("check teacher access of account %d to class %d: %w", account, class, err)
	}
	if err := link.check(s.Now(), "teacher link %d", a.LinkID); err != nil {
		return TeacherAccess{}, err
	}
	if !active {
		return TeacherAccess{}, Errorf(EEXPIRED, "teacher %d is no longer active", a.Teacher.ID)
	}
	if !teaching {
		return TeacherAccess{}, Errorf(EFORBIDDEN, "teacher %d does not teach class %d", a.Teacher.ID, class)
	}
	return a, nil
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
