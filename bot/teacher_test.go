package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// accountOf is the account id of a Telegram user.
func (w *world) accountOf(telegramID int64) diary.AccountID {
	return diary.AccountID(w.count(`SELECT id FROM accounts WHERE telegram_user_id = $1`, telegramID))
}

// chatMenu lists the commands of a chat's own menu.
func (w *world) chatMenu(chatID int64) []string {
	var names []string
	for _, c := range w.fake.Commands(&models.BotCommandScopeChat{ChatID: chatID}, "") {
		names = append(names, c.Command)
	}
	return names
}

// last is the bot's newest message in the person's chat.
func (p *person) last() bottest.Message {
	p.w.t.Helper()
	m, ok := p.w.fake.LastMessage(p.user.ID)
	if !ok {
		p.w.t.Fatal("the bot sent nothing")
	}
	return m
}

// pressed presses a button for the transcript: the message as edited, if it
// was, and the new ones; it returns the newest of them.
func (tr *transcript) press(p *person, msg bottest.Message, label string) bottest.Message {
	p.w.t.Helper()
	after, added := p.press(msg, label)
	if after.Text != msg.Text || buttons(after) != buttons(msg) {
		added = append([]bottest.Message{after}, added...)
	}
	tr.add("["+label+"]", added...)
	if len(added) == 0 {
		return after
	}
	return added[len(added)-1]
}

// A teacher's code links the teacher: the answer lists the classes and the
// chat's menu becomes the teacher's. A teacher who is also a parent switches
// between the menus with one button.
func TestTeacherMenuAndRoleSwitch(t *testing.T) {
	w := newWorld(t)
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	greeting := ivanova.last().Text
	for _, want := range []string{"Учительский аккаунт подключён", "Мария Иванова", "• 7А (классное руководство)", "• 7Б Математика", "/announce"} {
		if !strings.Contains(greeting, want) {
			t.Errorf("the teacher's greeting lacks %q:\n%s", want, greeting)
		}
	}
	if menu := w.chatMenu(300); !slices.Contains(menu, "announce") || !slices.Contains(menu, "meetings") || slices.Contains(menu, "today") {
		t.Errorf("the teacher's menu: %v", menu)
	}
	if got := ivanova.say("/role")[0].Text; got != locales.For("ru").T("role_single") {
		t.Errorf("/role of a teacher only: %q", got)
	}
	if got := ivanova.say("/start")[0].Text; !strings.Contains(got, "• 7Б (классное руководство)") {
		t.Errorf("/start of a teacher: %q", got)
	}

	// Ольга is Даша's mother and a teacher.
	p := locales.For("en")
	olga := w.person(500, "Olga", "en")
	olga.say(w.code(demo.Dasha))
	codes, err := w.store.IssueTeacherCodes(context.Background(), "demo-school", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	linked := olga.say(diary.FormatCode(codes[slices.IndexFunc(codes, func(c diary.IssuedCode) bool { return c.PersonSourceID == volkova })].Code))[0]
	toFamily, ok := linked.Button(p.T("role_to_family"))
	if !ok || !strings.Contains(linked.Text, "7А Физика") {
		t.Fatalf("a parent's teacher code: %q %s", linked.Text, buttons(linked))
	}
	_, added := olga.pressData(linked, toFamily.CallbackData)
	if len(added) != 1 || !strings.Contains(buttons(added[0]), p.T("role_to_teacher")) {
		t.Fatalf("switched to the family: %v", added)
	}
	if menu := w.chatMenu(500); !slices.Contains(menu, "today") || !slices.Contains(menu, "role") || slices.Contains(menu, "announce") {
		t.Errorf("the family's menu of a teacher: %v", menu)
	}
	start := olga.say("/start")[0]
	if start.Text != p.T("welcome_back") || !strings.Contains(buttons(start), p.T("role_to_teacher")) {
		t.Errorf("/start acting as family: %q %s", start.Text, buttons(start))
	}
	_, added = olga.press(start, p.T("role_to_teacher"))
	if len(added) != 1 || !strings.Contains(added[0].Text, "Your classes") || !slices.Contains(w.chatMenu(500), "announce") {
		t.Errorf("switched back to the teacher: %v, menu %v", added, w.chatMenu(500))
	}
	// A parent only has no teacher's menu to switch to, by a forged button either.
	mum := w.person(100, "Мама", "ru")
	mum.say(w.code(demo.Petya))
	after, _ := mum.pressData(mum.last(), telegram.NewCodec(token).Encode(telegram.ButtonRole, 1))
	if !strings.Contains(w.lastNotice(), "для учителей") || w.accountActing(100) != diary.ActingFamily {
		t.Errorf("a parent switched to the teacher's menu: %q, %q", after.Text, w.lastNotice())
	}
}

func (w *world) accountActing(telegramID int64) string {
	var role string
	if err := w.db.QueryRow(context.Background(), `SELECT acting_as FROM accounts WHERE telegram_user_id = $1`, telegramID).Scan(&role); err != nil {
		w.t.Fatal(err)
	}
	return role
}

// families links Даша's mother (100) and Петя's father (101), both of 7А.
func (w *world) families() {
	w.person(100, "Мама", "ru").say(w.code(demo.Dasha))
	w.person(101, "Папа", "ru").say(w.code(demo.Petya))
}

// /announce from the class to the report, per language: the text too long,
// then the real one; the preview counts the recipients and becomes the report.
func TestAnnounceFlow(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := newWorld(t)
			p := locales.For(lang)
			w.families()
			w.person(102, "Даша", "ru").say(w.code(demo.Maxim)) // 7Б: not an audience of 7А Физика
			teacher := w.teacher(300, volkova, lang)
			var tr transcript
			tr.add("CODE", teacher.last())

			choose := teacher.say("/announce")
			tr.add("/announce", choose...)
			options := tr.press(teacher, choose[0], "7А Физика")
			tr.press(teacher, options, "☐ "+p.T("announce_urgent"))
			long := teacher.say(strings.Repeat("я", diary.MaxAnnouncementLength+1))
			tr.add("(3501)", long...)
			preview := teacher.say("Завтра экскурсия в музей, сбор в 8:30 у школы.")
			tr.add("Завтра экскурсия в музей, сбор в 8:30 у школы.", preview...)
			send, _ := preview[0].Button(p.T("announce_send"))
			tr.press(teacher, preview[0], p.T("announce_send"))
			golden(t, "announce."+lang+".golden", tr.String())

			var (
				kind, body               string
				class                    int64
				toPupils, urgent         bool
				reportChat, reportMsg, n int64
			)
			err := w.db.QueryRow(context.Background(), `SELECT kind, class_id, body, to_pupils, urgent, report_chat_id, report_message_id,
			                                            (SELECT count(*) FROM notices) FROM notices`).
				Scan(&kind, &class, &body, &toPupils, &urgent, &reportChat, &reportMsg, &n)
			if err != nil || n != 1 || kind != "announcement" || class != w.classID("demo-7a-4") || toPupils || !urgent ||
				reportChat != 300 || reportMsg != int64(preview[0].ID) || !strings.HasPrefix(body, "Завтра") {
				t.Errorf("notice: %d rows, %s class %d pupils %v urgent %v report %d/%d (%v)", n, kind, class, toPupils, urgent,
					reportChat, reportMsg, err)
			}
			if got := w.count(`SELECT count(*) FROM audit_log WHERE action = 'announce'`); got != 1 {
				t.Errorf("%d audit records", got)
			}
			// The Send button pressed again sends nothing more.
			teacher.pressData(preview[0], send.CallbackData)
			if got := w.count(`SELECT count(*) FROM notices`); got != 1 {
				t.Errorf("a second press made %d notices", got)
			}
		})
	}
}

// Pupils too, and cancelled at the preview: nothing is written.
func TestAnnounceToPupilsCancelled(t *testing.T) {
	w := newWorld(t)
	p := locales.For("en")
	w.person(100, "Mum", "en").say(w.code(demo.Dasha))
	codes, err := w.store.IssueClassCodes(context.Background(), demo.Class7A, diary.RoleStudent, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	w.person(101, "Petya", "ru").say(diary.FormatCode(codes[1].Code))
	teacher := w.teacher(300, demo.TeacherMat, "en")
	options, _ := teacher.press(teacher.say("/announce")[0], "7А")
	teacher.press(options, "☐ "+p.T("announce_pupils_too"))
	preview := teacher.say("Bring warm clothes")[0]
	if !strings.Contains(preview.Text, "parents and pupils") || !strings.Contains(preview.Text, "2 people will get it") {
		t.Errorf("preview: %q", preview.Text)
	}
	after, _ := teacher.press(preview, p.T("announce_cancel"))
	if after.Text != p.T("announce_cancelled") || w.count(`SELECT (SELECT count(*) FROM notices) + (SELECT count(*) FROM audit_log)`) != 0 {
		t.Errorf("cancelled: %q", after.Text)
	}
}

// /meeting with a time in the past and one not understood, then /meetings
// with the answers, a move and a cancel, per language.
func TestMeetingFlow(t *testing.T) {
	typed := map[string][]string{
		"ru": {"вчера 18:00", "завтра", "3 декабря 18:30", "Кабинет 214", "-", "4 декабря 19:00"},
		"en": {"yesterday 18:00", "tomorrow", "dec 3 6:30pm", "Room 214", "-", "4.12 19:00"},
	}
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := newWorld(t)
			p := locales.For(lang)
			w.families()
			teacher := w.teacher(300, demo.TeacherMat, lang)
			var tr transcript
			choose := teacher.say("/meeting")
			tr.add("/meeting", choose...)
			tr.press(teacher, choose[0], "7А")
			for _, text := range typed[lang][:5] {
				tr.add(text, teacher.say(text)...)
			}
			created := w.count(`SELECT max(id) FROM events WHERE kind = 'meeting'`)
			// The worker tells the invitation before the meeting changes.
			if _, err := w.db.Exec(context.Background(), `UPDATE notices SET fanned_out_at = $1, recipients = 2`, w.now); err != nil {
				t.Fatal(err)
			}
			demoMeeting := w.event("meeting", demo.Class7A)
			w.rsvp(created, 100, true)
			w.rsvp(demoMeeting, 101, false)

			list := teacher.say("/meetings")
			tr.add("/meetings", list...)
			if len(list) != 2 {
				t.Fatalf("/meetings sent %d messages", len(list))
			}
			tr.press(teacher, list[1], p.T("meeting_move"))
			tr.add(typed[lang][5], teacher.say(typed[lang][5])...)
			confirm := tr.press(teacher, list[1], p.T("meeting_cancel"))
			tr.press(teacher, confirm, p.T("meeting_cancel_yes"))
			golden(t, "meeting."+lang+".golden", tr.String())

			var action string
			var class int64
			var toPupils bool
			err := w.db.QueryRow(context.Background(), `SELECT action, class_id, to_pupils FROM notices
			                                            WHERE kind = 'meeting' AND ref_id = $1 AND fanned_out_at IS NULL`, created).Scan(&action, &class, &toPupils)
			if err != nil || action != "cancelled" || class != w.classID(demo.Class7A) || toPupils {
				t.Errorf("the meeting's notice: %s to class %d, pupils %v (%v)", action, class, toPupils, err)
			}
			if got := w.count(`SELECT count(*) FROM audit_log WHERE ref_id = $1`, created); got != 3 {
				t.Errorf("%d audit records of create, move, cancel", got)
			}
			if got := w.count(`SELECT count(*) FROM events WHERE id = $1 AND cancelled_at IS NOT NULL
			                   AND starts_at = '2026-12-04 19:00+03'`, created); got != 1 {
				t.Error("the meeting was not moved and cancelled")
			}
		})
	}
}

// rsvp stores a family's answer, as the invitation's buttons do.
func (w *world) rsvp(event, telegramID int64, yes bool) {
	w.t.Helper()
	if err := w.store.AnswerMeeting(context.Background(), w.accountOf(telegramID), event, yes); err != nil {
		w.t.Fatal(err)
	}
}

func TestSigned(t *testing.T) {
	w := newWorld(t)
	w.person(100, "Мама", "ru").say(w.code(demo.Dasha))
	monday := diary.WeekToSign(diary.Date(w.now, w.now.Location()))
	if err := w.store.SignWeek(context.Background(), w.accountOf(100), diary.PersonID(w.school.Pupils[demo.Dasha]), monday); err != nil {
		t.Fatal(err)
	}
	got := w.teacher(300, demo.TeacherMat, "ru").say("/signed")[0].Text
	for _, want := range []string{"<b>7А</b>: подписи за неделю пн, 16 ноября — вс, 22 ноября", "✅ Подписали (1): Дарья Алёшина",
		"❌ Без подписи (5): Иван Борисов, Софья Григорьева, Артём Денисов, Мария Егорова, Пётр Ёлкин", "<b>7Б</b>", "❌ Без подписи (3): Максим Алёшин"} {
		if !strings.Contains(got, want) {
			t.Errorf("/signed lacks %q:\n%s", want, got)
		}
	}
	english := w.teacher(302, demo.TeacherMat, "en").say("/signed")[0].Text
	for _, want := range []string{"<b>7А</b>: signatures for the week", "✅ Signed (1): Дарья Алёшина", "❌ Not signed (5):"} {
		if !strings.Contains(english, want) {
			t.Errorf("/signed in English lacks %q:\n%s", want, english)
		}
	}
	if got := w.teacher(301, volkova, "en").say("/signed")[0].Text; got != locales.For("en").T("signed_no_homeroom") {
		t.Errorf("/signed of a subject teacher: %q", got)
	}
}

// Волкова teaches 7А only: a forged or replayed button for 7Б, or a saved step
// of a conversation about 7Б, is refused and writes nothing.
func TestTeacherOfOneClassCannotAnnounceOrMeetAnother(t *testing.T) {
	w := newWorld(t)
	teacher := w.teacher(300, volkova, "ru")
	choose := teacher.say("/announce")[0]
	if strings.Contains(buttons(choose), "7Б") {
		t.Fatalf("/announce offers %s", buttons(choose))
	}
	codec := telegram.NewCodec(token)
	c7b := w.classID(demo.Class7B)
	meeting7b, err := diarytest.AddMeeting(context.Background(), w.db, demo.Class7B, "Собрание 7Б", "215", w.now.Add(72*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	before := w.teacherWrites()
	for name, data := range map[string]string{
		"an announcement to 7Б":     codec.Encode(telegram.ButtonAnnounceClass, c7b),
		"7Б's announcement options": codec.Encode(telegram.ButtonAnnounceOption, c7b, 1, 1),
		"a meeting of 7Б":           codec.Encode(telegram.ButtonMeetingClass, c7b),
		"cancel 7Б's meeting":       codec.Encode(telegram.ButtonMeetingCancel, meeting7b, 1),
		"move 7Б's meeting":         codec.Encode(telegram.ButtonMeetingMove, meeting7b),
		"a new place for 7Б's":      codec.Encode(telegram.ButtonMeetingPlace, meeting7b),
	} {
		after, added := teacher.pressData(choose, data)
		if len(added) != 0 || after.Text != choose.Text || !strings.Contains(w.lastNotice(), "только в своих классах") {
			t.Errorf("%s: %d messages, notice %q", name, len(added), w.lastNotice())
		}
	}
	// A conversation about 7Б (as a replayed button would have left): every
	// typed step and the Send button check again.
	acc := w.accountOf(300)
	ctx := context.Background()
	steps := map[string]any{
		"announce": map[string]any{"class": c7b, "text": "Чужому классу"},
		"meeting":  map[string]any{"step": "when", "class": c7b},
	}
	for flow, state := range steps {
		if err := w.store.SetConversation(ctx, acc, flow, state); err != nil {
			t.Fatal(err)
		}
		if got := teacher.say("3 декабря 18:30")[0].Text; !strings.Contains(got, "только в своих классах") {
			t.Errorf("a typed step of %s for 7Б: %q", flow, got)
		}
	}
	if err := w.store.SetConversation(ctx, acc, "announce", steps["announce"]); err != nil {
		t.Fatal(err)
	}
	teacher.pressData(choose, codec.Encode(telegram.ButtonAnnounceSend, c7b, 1))
	if !strings.Contains(w.lastNotice(), "только в своих классах") {
		t.Errorf("Send for 7Б: notice %q", w.lastNotice())
	}
	if err := w.store.SetConversation(ctx, acc, "meeting", map[string]any{"step": "move", "meeting": meeting7b}); err != nil {
		t.Fatal(err)
	}
	if got := teacher.say("4 декабря 19:00")[0].Text; !strings.Contains(got, "только в своих классах") {
		t.Errorf("a typed move of 7Б's meeting: %q", got)
	}
	if got := w.teacherWrites(); got != before {
		t.Errorf("refused steps wrote: %v, before %v", got, before)
	}
	if w.count(`SELECT count(*) FROM events WHERE id = $1 AND cancelled_at IS NULL AND place = '215'`, meeting7b) != 1 {
		t.Error("7Б's meeting was changed")
	}
}

// A command typed in the middle of a conversation leaves it: the next text is
// no longer the announcement's. /cancel leaves it too.
func TestCommandLeavesTheConversation(t *testing.T) {
	w := newWorld(t)
	w.families()
	teacher := w.teacher(300, demo.TeacherMat, "ru")
	teacher.press(teacher.say("/announce")[0], "7А")
	teacher.say("/classes")
	if got := teacher.say("Собрание в пятницу")[0].Text; strings.Contains(got, "Отправить?") {
		t.Errorf("the text after a command went to the announcement: %q", got)
	}
	teacher.press(teacher.say("/announce")[0], "7А")
	if got := teacher.say("/cancel")[0].Text; got != "Хорошо, отменил." {
		t.Errorf("/cancel: %q", got)
	}
	if got := teacher.say("Собрание в пятницу")[0].Text; strings.Contains(got, "Отправить?") {
		t.Errorf("the text after /cancel went to the announcement: %q", got)
	}
	if n := w.count(`SELECT count(*) FROM conversations`); n != 0 {
		t.Errorf("%d conversations left", n)
	}
}
