package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// invitation makes a new invitation from the guardian's /share and returns
// its code, read from the link in the message.
func invitation(guardian *person) string {
	guardian.w.t.Helper()
	shown, _ := guardian.press(guardian.say("/share")[0], "➕ Новая ссылка-приглашение")
	return codeIn(guardian.w.t, shown)
}

// codeIn is the code of the first start link in a message.
func codeIn(t *testing.T, m bottest.Message) string {
	t.Helper()
	i := strings.Index(m.Text, "?start=")
	if i < 0 {
		t.Fatalf("no invitation link in %q", m.Text)
	}
	return strings.Fields(m.Text[i+len("?start="):])[0]
}

func TestShareListsAndCancelsInvitations(t *testing.T) {
	w := newWorld(t)
	mum, gran, nanny := w.person(100, "Ольга", "ru"), w.person(200, "Нина", "ru"), w.person(300, "Анна", "ru")
	mum.say(w.code(demo.Dasha))

	screen := mum.say("/share")[0]
	if !strings.Contains(screen.Text, "доступ есть только у вас") || strings.Contains(screen.Text, "?start=") {
		t.Fatalf("/share before any invitation: %q", screen.Text)
	}
	first, _ := mum.press(screen, "➕ Новая ссылка-приглашение")
	firstCode := codeIn(t, first)
	second, _ := mum.press(first, "➕ Новая ссылка-приглашение")
	secondCode := codeIn(t, second)
	if firstCode == secondCode || !strings.Contains(second.Text, "Ждут ответа 2 приглашения") {
		t.Fatalf("two invitations: %q", second.Text)
	}
	// The first one went to the wrong person: cancel it.
	after, _ := mum.press(mum.say("/share")[0], "Отменить приглашение №1 (до пт, 27 ноября, 10:00)")
	if !strings.Contains(after.Text, "Ждёт ответа 1 приглашение") || w.lastNotice() != "Приглашение отменено" {
		t.Fatalf("after cancelling: %q, %q", after.Text, w.lastNotice())
	}
	if got := nanny.say("/start " + firstCode)[0].Text; !strings.Contains(got, "Код не подошёл") {
		t.Errorf("a cancelled invitation: %q", got)
	}
	if got := gran.say("/start " + secondCode)[0].Text; !strings.Contains(got, "только для чтения") {
		t.Fatalf("the invitation kept: %q", got)
	}
	list := mum.say("/share")[0]
	if !strings.Contains(list.Text, "Доступ открыт 1 человеку") || strings.Contains(list.Text, "Ждёт ответа") {
		t.Errorf("after the grandmother linked: %q", list.Text)
	}
	// The grandmother reads; she cannot share further.
	if got := gran.say("/share")[0].Text; !strings.Contains(got, "только родитель") {
		t.Errorf("the grandmother's /share: %q", got)
	}
}

func TestTeacherUnlinksThemself(t *testing.T) {
	w := newWorld(t)
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	confirm := ivanova.say("/unlink")[0]
	if !strings.Contains(confirm.Text, "Отключить ваш доступ учителя") {
		t.Fatalf("/unlink of a teacher: %q", confirm.Text)
	}
	if kept, _ := ivanova.press(confirm, "Отмена"); !strings.Contains(kept.Text, "ничего не меняю") {
		t.Fatalf("kept: %q", kept.Text)
	}
	done, _ := ivanova.press(ivanova.say("/unlink")[0], "Да, отвязать")
	if !strings.Contains(done.Text, "доступ учителя отключён") {
		t.Fatalf("unlinked: %q", done.Text)
	}
	if menu := w.chatMenu(300); slices.Contains(menu, "announce") {
		t.Errorf("the chat keeps the teacher's menu: %v", menu)
	}
	if got := ivanova.say("/announce")[0].Text; !strings.Contains(got, "отозван") {
		t.Errorf("/announce after unlinking: %q", got)
	}
	if n := w.count(`SELECT count(*) FROM audit_log WHERE action = 'link.unlink' AND actor = 'teacher'`); n != 1 {
		t.Errorf("%d audit rows", n)
	}
}

func TestForgetDeletesTheAccount(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	mum.say(w.code(demo.Petya))
	invitation(mum)

	confirm := mum.say("/forget")[0]
	if !strings.Contains(confirm.Text, "Удалить всё, что Дневник хранит о вас?") {
		t.Fatalf("/forget: %q", confirm.Text)
	}
	if kept, _ := mum.press(confirm, "Отмена"); !strings.Contains(kept.Text, "ничего не меняю") || !accountExists(w, 100) {
		t.Fatalf("kept: %q", kept.Text)
	}
	done, _ := mum.press(mum.say("/forget")[0], "Да, удалить всё")
	for _, want := range []string{"всё, что Дневник хранил о вас, удалено", "привязки к ученикам и классам: 2",
		"введённые коды и ваши приглашения: 5"} {
		if !strings.Contains(done.Text, want) {
			t.Errorf("the answer lacks %q:\n%s", want, done.Text)
		}
	}
	if accountExists(w, 100) {
		t.Error("the account is still there")
	}
	if n := w.count(`SELECT count(*) FROM link_attempts WHERE telegram_user_id = 100`); n != 0 {
		t.Errorf("%d typed codes kept", n)
	}
	// Writing again starts from nothing.
	if got := mum.say("/today")[0].Text; !strings.Contains(got, "не привязан ни один ученик") {
		t.Errorf("/today after forgetting: %q", got)
	}
}
