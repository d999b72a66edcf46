package diary

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// A teacher's announcement is a notice with a text of its own, to the families
// of a class and, if the teacher chooses, its pupils. The bot shows how many
// accounts will get it before the teacher confirms.

// MaxAnnouncementLength bounds an announcement's text, in characters: it must
// fit one Telegram message with the heading the worker puts above it.
const MaxAnnouncementLength = 3500

// Announcement is what a teacher sends to a class.
type Announcement struct {
	Body     string
	ToPupils bool // the pupils get it too, not only their families
	Urgent   bool // goes through quiet hours
	// The teacher's message that the worker edits into "delivered N of M".
	ReportChat, ReportMessage int64
}

// CheckAnnouncement refuses an empty text or one over MaxAnnouncementLength,
// so that the bot can say which before it asks for confirmation.
func CheckAnnouncement(body string) error {
	return checkLength(ReasonAnnouncementLength, "announcement", body, MaxAnnouncementLength)
}

// AnnouncementRecipients counts the accounts an announcement to the class would
// reach now: exactly those its fan-out would (NoticeRecipients), so the
// preview's number is the "M" of "delivered N of M". Only a teacher of the
// class may ask.
func (s *Store) AnnouncementRecipients(ctx context.Context, t TeacherAccess, toPupils bool) (int, error) {
	if err := t.validClass(); err != nil {
		return 0, err
	}
	n := Notice{Kind: NoticeAnnouncement, School: t.School, Class: t.Class, ToPupils: toPupils, ToFamilies: true}
	count := 0
	for after := AccountID(0); ; {
		page, next, err := s.NoticeRecipients(ctx, n, after, recipientsPage)
		if err != nil {
			return 0, err
		}
		count += len(page)
		if next == 0 {
			return count, nil
		}
		after = next
	}
}

// recipientsPage is how many recipients AnnouncementRecipients reads at a time.
const recipientsPage = 500

// audienceRoles are the link roles a class notice reaches.
func audienceRoles(toPupils bool) []string {
	if toPupils {
		return []string{string(RoleGuardian), string(RoleTrusted), string(RoleStudent)}
	}
	return []string{string(RoleGuardian), string(RoleTrusted)}
}

// Announce writes the announcement to the class of the teacher's access as a
// notice, with its audit record; it returns the notice's id.
func (s *Store) Announce(ctx context.Context, t TeacherAccess, a Announcement) (int64, error) {
	if err := t.validClass(); err != nil {
		return 0, err
	}
	if err := CheckAnnouncement(a.Body); err != nil {
		return 0, err
	}
	var id int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if err := s.stillTeaches(ctx, tx, t.LinkID, LessonRef{Class: t.Class}); err != nil {
			return err
		}
		var err error
		id, err = s.addNotice(ctx, tx, NewNotice{Kind: NoticeAnnouncement, School: t.School.ID, Class: t.Class,
			Body: strings.TrimSpace(a.Body), NoPupils: !a.ToPupils, Urgent: a.Urgent, Author: t.Teacher.ID,
			ReportChat: a.ReportChat, ReportMessage: a.ReportMessage})
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEntry{Account: t.Account, Teacher: t.Teacher.ID, Action: "announce", Class: t.Class, Ref: id,
			Detail: map[string]any{"to_pupils": a.ToPupils, "urgent": a.Urgent, "length": utf8.RuneCountInString(a.Body)}})
	})
	if err != nil {
		return 0, fmt.Errorf("announce to class %d by account %d: %w", t.Class, t.Account, err)
	}
	return id, nil
}

// classLinksSQL is the deciding link of each account, not blocked, to each
// active pupil of the classes $1, among the links of the roles $2.
const classLinksSQL = linkSQL + `l.role = ANY($2::text[])
  AND l.person_id IN (SELECT person_id FROM enrollments WHERE class_id = ANY($1) AND role = 'student' AND active)
  AND l.account_id IN (SELECT id FROM accounts WHERE blocked_at IS NULL)` + linkOrder
