package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// Messages between families and teachers, end to end: the bot writes the
// message into the outbox, the worker sends it to the fake Telegram.

// sendOutbox enqueues what the outbox holds that is due, as the worker's
// sweep does, and waits until every send is done.
func (d *delivery) sendOutbox() {
	d.w.t.Helper()
	ctx := context.Background()
	due, err := d.w.store.OutboxToSweep(ctx, 1000, true)
	if err != nil {
		d.w.t.Fatal(err)
	}
	for _, m := range due {
		if err := d.enqueue.Send(ctx, m.ID, time.Time{}); err != nil {
			d.w.t.Fatal(err)
		}
	}
	d.deliver()
}

// writeTo writes text to the teacher whose button label holds teacher, about
// the account's only child, and returns the bot's answer to the text.
func writeTo(p *person, teacher, text string) bottest.Message {
	p.w.t.Helper()
	choose := p.say("/write")
	if len(choose) != 1 {
		p.w.t.Fatalf("/write: %v", choose)
	}
	label := ""
	for _, row := range choose[0].ReplyMarkup.InlineKeyboard {
		if strings.Contains(row[0].Text, teacher) {
			label = row[0].Text
		}
	}
	if label == "" {
		p.w.t.Fatalf("no teacher %q in %s", teacher, buttons(choose[0]))
	}
	p.press(choose[0], label)
	answers := p.say(text)
	if len(answers) != 1 {
		p.w.t.Fatalf("writing %q: %v", text, answers)
	}
	return answers[0]
}

// A guardian writes to the class teacher; the teacher reads it with the
// pupil's name and class and not the guardian's Telegram name, answers with
// one button, and the answer arrives in the guardian's chat as a reply to
// their message. Both languages.
func TestGuardianWritesTeacherAnswers(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := newWorld(t)
			p := locales.For(lang)
			d := w.startWorker()
			ivanova := w.teacher(300, demo.TeacherMat, lang)
			mum := w.person(100, "Секретная-Фамилия", lang)
			mum.say(w.code(demo.Dasha))

			choose := mum.say("/write")[0]
			if !strings.Contains(buttons(choose), "Иванова М. П. — "+p.T("messages_class_teacher")+", Математика") {
				t.Errorf("the teachers to write to: %s", buttons(choose))
			}
			sent := writeTo(mum, "Иванова", "Когда будет контрольная?")
			if !strings.Contains(sent.Text, strings.Split(p.T("messages_sent", "Teacher", "Иванова М. П."), ".")[0]) {
				t.Errorf("the guardian is told: %q", sent.Text)
			}
			d.sendOutbox()
			question := ivanova.last()
			for _, want := range []string{"Когда будет контрольная?", "Дарья Алёшина, 7А", p.T("messages_from_guardian")} {
				if !strings.Contains(question.PlainText, want) {
					t.Errorf("the teacher's message lacks %q: %q", want, question.PlainText)
				}
			}
			if strings.Contains(question.PlainText, "Секретная") {
				t.Errorf("the teacher sees the guardian's Telegram name: %q", question.PlainText)
			}

			ivanova.press(question, p.T("messages_reply_button"))
			if got := ivanova.say("В пятницу, параграф 5.")[0].Text; got != p.T("messages_answer_sent") {
				t.Errorf("the teacher is told: %q", got)
			}
			d.sendOutbox()
			answer := mum.last()
			if !strings.Contains(answer.PlainText, "В пятницу, параграф 5.") || !strings.Contains(answer.PlainText, "Иванова М. П.") {
				t.Fatalf("the guardian's answer: %q", answer.PlainText)
			}
			asked := w.count(`SELECT chat_message_id FROM thread_messages WHERE NOT from_teacher`)
			if got := replyTo(w, answer); got != asked || asked == 0 {
				t.Errorf("the answer replies to message %d, the guardian's question is %d", got, asked)
			}
		})
	}
}

// replyTo is the message the send of msg replied to, 0 for none.
func replyTo(w *world, msg bottest.Message) int64 {
	for _, c := range w.fake.Calls("sendMessage") {
		if c.Message != nil && c.Message.ID == msg.ID && c.Message.ChatID == msg.ChatID {
			var id int64
			fmt.Sscanf(c.Params["reply_parameters"], `{"message_id":%d`, &id)
			return id
		}
	}
	return 0
}

// A guardian whose link ended reads no answer written before, and is told so
// when they try to write.
func TestRevokedGuardianNeitherWritesNorReads(t *testing.T) {
	w := newWorld(t)
	d := w.startWorker()
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	mum := w.person(100, "Мама", "en")
	mum.say(w.code(demo.Dasha))
	writeTo(mum, "Иванова", "Question")
	d.sendOutbox()
	ivanova.press(ivanova.last(), "✍️ Ответить")
	ivanova.say("Ответ")

	w.exec(`UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = $1`, w.accountOf(100))
	before := len(w.fake.Sent(100))
	d.sendOutbox()
	if got := w.fake.Sent(100)[before:]; len(got) != 0 {
		t.Errorf("the revoked guardian got %v", got)
	}
	if n := w.count(`SELECT count(*) FROM outbox WHERE kind = 'answer' AND status = 'dropped' AND reason = 'no_access'`); n != 1 {
		t.Errorf("%d answers dropped no_access, want 1", n)
	}
	// Told in their language; what they read depends on whether the link
	// still shows (diary.Store.Visit).
	en := locales.For("en")
	got := mum.say("/write")
	if len(got) != 1 || got[0].Text != en.T("no_children") && got[0].Text != en.T("access_ended", "Child", "Дарья Алёшина") {
		t.Errorf("the revoked guardian writes: %v", got)
	}
}

// Outside the teacher's office hours a message waits in the outbox until they
// begin, and the writer is told when.
func TestOfficeHoursHoldTheMessage(t *testing.T) {
	w := newWorld(t)
	d := w.startWorker()
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	if got := ivanova.say("/hours пн-пт 15:00-18:00")[0].Text; !strings.Contains(got, "пн–пт 15:00–18:00") {
		t.Errorf("/hours: %q", got)
	}
	if got := ivanova.say("/hours когда-нибудь")[0].Text; !strings.Contains(got, "Не понял часы приёма") {
		t.Errorf("/hours with nonsense: %q", got)
	}
	mum := w.person(100, "Мама", "ru")
	mum.say(w.code(demo.Dasha))
	sent := writeTo(mum, "Иванова", "Можно перенести?") // Thursday 10:00
	if !strings.Contains(sent.Text, "Учитель ответит в часы приёма: пн–пт 15:00–18:00") {
		t.Errorf("the writer is told: %q", sent.Text)
	}
	before := len(w.fake.Sent(300))
	d.sendOutbox()
	if got := w.fake.Sent(300)[before:]; len(got) != 0 {
		t.Fatalf("the teacher got it outside office hours: %v", got)
	}
	w.now = thursday.Add(5*time.Hour + time.Minute) // 15:01
	d.sendOutbox()
	if got := ivanova.last().PlainText; !strings.Contains(got, "Можно перенести?") {
		t.Errorf("at 15:01 the teacher has %q", got)
	}
}

// The teacher closes a thread (its answer button says so) and mutes a
// family for a week (they are told until when).
func TestTeacherClosesAndMutes(t *testing.T) {
	w := newWorld(t)
	d := w.startWorker()
	p := locales.For("ru")
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	mum := w.person(100, "Мама", "ru")
	mum.say(w.code(demo.Dasha))
	writeTo(mum, "Иванова", "Первый вопрос")
	d.sendOutbox()
	first := ivanova.last()
	ivanova.press(first, p.T("messages_close_button"))
	if got := w.lastNotice(); got != p.T("messages_closed") {
		t.Errorf("closing: %q", got)
	}
	ivanova.press(first, p.T("messages_reply_button"))
	if got := w.lastNotice(); got != p.T("messages_thread_closed") {
		t.Errorf("answering a closed thread: %q", got)
	}

	writeTo(mum, "Иванова", "Второй вопрос") // a new thread
	d.sendOutbox()
	second := ivanova.last()
	if !strings.Contains(second.PlainText, "Второй вопрос") {
		t.Fatalf("the second question: %q", second.PlainText)
	}
	ivanova.press(second, p.T("messages_mute_button"))
	if got := w.lastNotice(); !strings.Contains(got, "до чт, 3 декабря") {
		t.Errorf("muting: %q", got)
	}
	if got := writeTo(mum, "Иванова", "Третий вопрос").Text; !strings.Contains(got, "не принимает сообщения от вашей семьи до чт, 3 декабря") {
		t.Errorf("a muted family writes: %q", got)
	}
	// The physics teacher is not muted.
	w.teacher(301, volkova, "ru")
	if got := writeTo(mum, "Волкова", "Вопрос по физике").Text; !strings.Contains(got, "отправлено") {
		t.Errorf("to another teacher: %q", got)
	}
}

// A family writes at most diary.MessagesPerHour messages an hour, and is told
// so in their language.
func TestHourlyLimit(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := newWorld(t)
			w.teacher(300, demo.TeacherMat, "ru")
			mum := w.person(100, "Мама", lang)
			mum.say(w.code(demo.Dasha))
			for i := range diary.MessagesPerHour {
				writeTo(mum, "Иванова", fmt.Sprintf("Вопрос %d", i+1))
			}
			want := locales.For(lang).N("messages_too_many", diary.MessagesPerHour, "Count", diary.MessagesPerHour)
			if got := writeTo(mum, "Иванова", "Ещё вопрос").Text; got != want {
				t.Errorf("the sixth message: %q, want %q", got, want)
			}
			w.now = w.now.Add(time.Hour)
			if got := writeTo(mum, "Иванова", "Через час").Text; !strings.Contains(got, "✉️") {
				t.Errorf("an hour later: %q", got)
			}
		})
	}
}

// A pupil writes only where the school allows it; a trusted person never.
func TestWhoMayWrite(t *testing.T) {
	w := newWorld(t)
	p := locales.For("ru")
	w.teacher(300, demo.TeacherMat, "ru")
	codes, err := w.store.IssueClassCodes(context.Background(), demo.Class7A, diary.RoleStudent, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	dasha := w.person(200, "Даша", "ru")
	for _, c := range codes {
		if int64(c.Person.ID) == w.school.Pupils[demo.Dasha] {
			dasha.say(diary.FormatCode(c.Code))
		}
	}
	if got := dasha.say("/write")[0].Text; got != p.T("messages_pupils_off") {
		t.Errorf("a pupil of a school that does not allow it: %q", got)
	}
	w.exec(`UPDATE schools SET pupils_write = true`)
	if got := writeTo(dasha, "Иванова", "Можно пересдать?").Text; !strings.Contains(got, "отправлено") {
		t.Errorf("a pupil of a school that allows it: %q", got)
	}
	if n := w.count(`SELECT count(*) FROM thread_messages`); n != 1 {
		t.Errorf("%d messages written, want 1", n)
	}

	// Даша's mother invited her grandmother, who reads only.
	w.person(100, "Мама", "ru").say(w.code(demo.Dasha))
	gran := w.person(101, "Бабушка", "ru")
	gran.say("/start")
	w.exec(`INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from)
	        SELECT $1, $2, 'trusted', l.id, '2026-09-01' FROM account_links l WHERE l.account_id = $3`,
		w.accountOf(101), w.school.Pupils[demo.Dasha], w.accountOf(100))
	if got := gran.say("/write")[0].Text; got != p.T("messages_trusted") {
		t.Errorf("a trusted person: %q", got)
	}
}

// exec runs a statement of a test's own setup.
func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.db.Exec(context.Background(), sql, args...); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
}

// Buttons of the messages refuse what is not the presser's: another
// teacher's thread, another family's child, a forged signature.
func TestMessageButtonsRefuseTampering(t *testing.T) {
	w := newWorld(t)
	d := w.startWorker()
	p := locales.For("ru")
	codec := telegram.NewCodec(token)
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	mum := w.person(100, "Мама", "ru")
	mum.say(w.code(demo.Dasha))
	writeTo(mum, "Иванова", "Вопрос")
	d.sendOutbox()
	question := w.count(`SELECT id FROM thread_messages`)
	thread := w.count(`SELECT id FROM threads`)

	volkovaChat := w.teacher(301, volkova, "ru")
	for _, data := range []string{
		codec.Encode(telegram.ButtonThreadReply, question),
		codec.Encode(telegram.ButtonThreadClose, thread),
		codec.Encode(telegram.ButtonThreadMute, thread),
	} {
		volkovaChat.pressData(volkovaChat.last(), data)
		if got := w.lastNotice(); got != p.T("messages_no_teacher") {
			t.Errorf("another teacher pressed %s: %q", data, got)
		}
	}
	if n := w.count(`SELECT count(*) FROM threads WHERE closed_at IS NOT NULL`) + w.count(`SELECT count(*) FROM thread_mutes`); n != 0 {
		t.Errorf("another teacher's press closed or muted: %d", n)
	}
	ivanova.pressData(ivanova.last(), codec.Encode(telegram.ButtonThreadReply, question)[:5]+"~AAAAAAAA")
	if got := w.lastNotice(); got != p.T("button_outdated") {
		t.Errorf("a forged signature: %q", got)
	}
	// Петя's father may not write about Даша, by a genuine button of another child.
	dad := w.person(101, "Папа", "ru")
	dad.say(w.code(demo.Petya))
	dad.pressData(dad.last(), codec.Encode(telegram.ButtonWriteTeacher, w.school.Pupils[demo.Dasha], w.count(`SELECT teacher_id FROM threads`)))
	if n := w.count(`SELECT count(*) FROM conversations WHERE account_id = $1`, w.accountOf(101)); n != 0 {
		t.Errorf("a father began writing about another child")
	}
}

// A teacher's answer written late in the evening waits for the end of the
// family's quiet hours (22:00–07:00 by default), as every push does.
func TestLateAnswerWaitsForQuietHours(t *testing.T) {
	w := newWorld(t)
	d := w.startWorker()
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	mum := w.person(100, "Мама", "ru")
	mum.say(w.code(demo.Dasha))
	writeTo(mum, "Иванова", "Вопрос")
	d.sendOutbox()
	w.now = thursday.Add(13 * time.Hour) // 23:00
	ivanova.press(ivanova.last(), "✍️ Ответить")
	ivanova.say("Поздний ответ")
	before := len(w.fake.Sent(100))
	d.sendOutbox()
	if got := w.fake.Sent(100)[before:]; len(got) != 0 {
		t.Fatalf("the answer woke the family at 23:00: %v", got)
	}
	w.now = thursday.Add(21*time.Hour + time.Minute) // Friday 07:01
	d.sendOutbox()
	if got := mum.last().PlainText; !strings.Contains(got, "Поздний ответ") {
		t.Errorf("at 07:01 the family has %q", got)
	}
}
