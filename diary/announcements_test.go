package diary_test

import (
	"context"
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
)

// classroom is a fixture with two homerooms: Иванова teaches both, Волкова
// only 7А. In 7А Даша has two guardians, one of whom invited a trusted person
// and one who blocked the bot, and her own account; Петя has a guardian whose
// link was revoked; Лев has nobody in the bot. In 7Б Макс has a guardian.
type classroom struct {
	*fixture
	c7a, c7b             diary.ClassID
	ivanova, volkova     diary.AccountID
	ivanovaID            diary.PersonID
	dasha, petya, lev    diary.PersonID
	mum, dad, granny     diary.AccountID // Даша's guardians and trusted person
	dashaSelf, maxParent diary.AccountID
}

func newClassroom(t *testing.T) *classroom {
	f := &classroom{fixture: newFixture(t)}
	f.c7a, f.c7b = f.Homeroom("7А"), f.Homeroom("7Б")
	f.ivanovaID = f.Teacher("Иванова", "Мария", f.c7a, f.c7b)
	f.ivanova, f.volkova = f.Account(), f.Account()
	f.Link(f.ivanova, f.ivanovaID, diary.RoleTeacher)
	f.Link(f.volkova, f.Teacher("Волкова", "Елена", f.c7a), diary.RoleTeacher)
	f.dasha, f.petya, f.lev = f.Pupil("Алёшина", "Дарья", f.c7a), f.Pupil("Ёлкин", "Пётр", f.c7a), f.Pupil("Львов", "Лев", f.c7a)
	f.mum, f.dad = f.Guardian(f.dasha), f.Guardian(f.dasha)
	f.granny = f.Account()
	f.Exec(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from)
	        SELECT $1, person_id, 'trusted', id, '2026-10-01' FROM account_links WHERE account_id = $2`, f.granny, f.mum)
	f.Exec(`UPDATE accounts SET blocked_at = now() WHERE id = $1`, f.dad)
	f.dashaSelf = f.Account()
	f.Link(f.dashaSelf, f.dasha, diary.RoleStudent)
	f.Exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, f.Guardian(f.petya))
	f.maxParent = f.Guardian(f.Pupil("Алёшин", "Максим", f.c7b))
	return f
}

// count runs a count(*) query.
func (f *fixture) count(sql string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.db.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		f.t.Fatalf("%s: %v", sql, err)
	}
	return n
}

// nothingWritten fails if any notice or audit record exists.
func (f *fixture) nothingWritten() {
	f.t.Helper()
	if n := f.count(`SELECT (SELECT count(*) FROM notices) + (SELECT count(*) FROM audit_log)`); n != 0 {
		f.t.Errorf("a refused action wrote %d notices and audit records", n)
	}
}

func TestAnnouncementRecipients(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	// Families: mum and granny (dad blocked the bot; Петя's link was revoked).
	n, err := f.store.AnnouncementRecipients(ctx, f.teaching(f.ivanova, f.c7a), false)
	if err != nil || n != 2 {
		t.Errorf("families of 7А: %d, %v; want 2", n, err)
	}
	n, err = f.store.AnnouncementRecipients(ctx, f.teaching(f.ivanova, f.c7a), true)
	if err != nil || n != 3 {
		t.Errorf("families and pupils of 7А: %d, %v; want 3", n, err)
	}
	_, err = f.store.TeacherClassAccess(ctx, f.volkova, f.c7b)
	wantCode(t, err, diary.EFORBIDDEN)
}

func TestAnnounce(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	id, err := f.store.Announce(ctx, f.teaching(f.volkova, f.c7a), diary.Announcement{Body: "  Завтра экскурсия  ", ToPupils: true,
		Urgent: true, ReportChat: 5_000_000_001, ReportMessage: 42})
	if err != nil {
		t.Fatal(err)
	}
	var (
		kind, action, body           string
		class                        diary.ClassID
		toPupils, toFamilies, urgent bool
		reportChat, reportMessage    int64
		auditAction, auditDetail     string
		auditRef                     int64
	)
	err = f.db.QueryRow(ctx, `SELECT kind, action, class_id, body, to_pupils, to_families, urgent, report_chat_id, report_message_id
	                          FROM notices WHERE id = $1`, id).
		Scan(&kind, &action, &class, &body, &toPupils, &toFamilies, &urgent, &reportChat, &reportMessage)
	if err != nil || kind != "announcement" || action != "new" || class != f.c7a || body != "Завтра экскурсия" ||
		!toPupils || !toFamilies || !urgent || reportChat != 5_000_000_001 || reportMessage != 42 {
		t.Errorf("notice: %s %s class %d %q pupils %v families %v urgent %v report %d/%d (%v)",
			kind, action, class, body, toPupils, toFamilies, urgent, reportChat, reportMessage, err)
	}
	err = f.db.QueryRow(ctx, `SELECT action, ref_id, detail::text FROM audit_log WHERE account_id = $1 AND class_id = $2`,
		f.volkova, f.c7a).Scan(&auditAction, &auditRef, &auditDetail)
	if err != nil || auditAction != "announce" || auditRef != id || strings.Contains(auditDetail, "экскурсия") {
		t.Errorf("audit: %s ref %d %s (%v)", auditAction, auditRef, auditDetail, err)
	}
}

func TestAnnounceRefusedWritesNothing(t *testing.T) {
	f := newClassroom(t)
	ctx := context.Background()
	_, err := f.store.TeacherClassAccess(ctx, f.volkova, f.c7b)
	wantCode(t, err, diary.EFORBIDDEN)
	_, err = f.store.TeacherClassAccess(ctx, f.mum, f.c7a)
	wantCode(t, err, diary.EFORBIDDEN)
	c7a := f.teaching(f.ivanova, f.c7a)
	for _, body := range []string{"", "  \n ", strings.Repeat("я", diary.MaxAnnouncementLength+1)} {
		_, err = f.store.Announce(ctx, c7a, diary.Announcement{Body: body})
		wantCode(t, err, diary.EINVALID)
	}
	f.nothingWritten()
	if _, err := f.store.Announce(ctx, c7a, diary.Announcement{Body: strings.Repeat("я", diary.MaxAnnouncementLength)}); err != nil {
		t.Errorf("an announcement of the longest length: %v", err)
	}
}
