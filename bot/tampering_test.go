package bot_test

import (
	"context"
	"fmt"
	"html"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// schoolTables are the tables a tampered update must never change: the
// school's data, the links and codes, and what is to be sent. (An account's
// own settings, its conversation and the codes it typed may change.)
var schoolTables = []string{"grades", "attendance", "remarks", "assignments", "lesson_changes", "events", "event_rsvps",
	"notices", "audit_log", "diary_signatures", "account_links", "link_codes", "outbox", "people", "classes", "enrollments"}

// schoolState is a digest of every row of schoolTables.
func (w *world) schoolState() string {
	w.t.Helper()
	var sums []string
	for _, table := range schoolTables {
		var sum string
		q := fmt.Sprintf(`SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '') FROM %s t`,
			pgx.Identifier{table}.Sanitize())
		if err := w.db.QueryRow(context.Background(), q).Scan(&sum); err != nil {
			w.t.Fatalf("%s: %v", q, err)
		}
		sums = append(sums, table+"="+sum)
	}
	return strings.Join(sums, " ")
}

// ids lists the ids a query selects.
func (w *world) ids(sql string, args ...any) []int64 {
	w.t.Helper()
	rows, _ := w.db.Query(context.Background(), sql, args...)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
	return ids
}

// callbacks lists the data of every button the bot sent to a chat.
func (w *world) callbacks(chat int64) []string {
	var data []string
	for _, m := range w.fake.Sent(chat) {
		if m.ReplyMarkup == nil {
			continue
		}
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			for _, b := range row {
				if b.CallbackData != "" {
					data = append(data, b.CallbackData)
				}
			}
		}
	}
	return data
}

// attacker sends tampered updates as one person and checks what comes back.
type attacker struct {
	*person
	foreign   []string // text that must appear in no answer to them
	ids       []int64  // ids of pupils, classes and events that are not theirs
	replays   []string // genuine buttons of someone else
	own       []string // their own genuine buttons, to tamper with
	typedArgs []string
}

// 10,000 random tampered, forged and replayed button presses and typed ids,
// from a parent linked to one child and from a teacher of one class (and each
// pressing the other's buttons): not one answer holds another pupil's or
// class's data, no message goes to anyone else, nothing is written, and no
// update ends in an error. The forged buttons are signed with the bot's own
// key, as if it had leaked: the access rule alone must hold.
func TestTamperedUpdatesShowAndWriteNothing(t *testing.T) {
	w := newWorld(t)
	rng := rand.New(rand.NewPCG(11, 2026))
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	volkova := w.teacher(300, "t-volkova", "ru") // physics and biology in 7А only
	for _, cmd := range []string{"/today", "/schedule", "/grades", "/events", "/share", "/settings", "/sign", "/children",
		"/homework", "/attendance", "/remarks", "/missed", "/unlink"} {
		mum.say(cmd)
	}
	for _, cmd := range []string{"/marks", "/hw", "/change", "/announce", "/cancel", "/meeting", "/cancel", "/meetings",
		"/signed", "/classes", "/unlink"} {
		volkova.say(cmd)
	}
	before := w.schoolState()
	failedBefore := w.failed.Load()

	dasha := w.school.Pupils[demo.Dasha]
	otherPupils := w.ids(`SELECT id FROM people WHERE role = 'student' AND id <> $1`, dasha)
	class7B := w.ids(`SELECT id FROM classes WHERE sourced_id LIKE 'demo-7b%'`)
	pupils7B := w.ids(`SELECT e.person_id FROM enrollments e JOIN classes c ON c.id = e.class_id
	                   WHERE c.sourced_id = 'demo-7b' AND e.role = 'student'`)
	events7B := w.ids(`SELECT e.id FROM events e JOIN classes c ON c.id = e.class_id WHERE c.sourced_id LIKE 'demo-7b%'`)
	allClasses := w.ids(`SELECT id FROM classes`)
	// Names as whole words of a sentence: "Алёшин" alone is a prefix of Дарья Алёшина.
	others7A := []string{"Ёлкин", "Борисов", "Григорьева", "Денисов", "Егорова", "Нет спортивной формы"}
	in7B := []string{"Максим", "Жукова", "Ксения", "Зайцев", "7Б"}
	typed := []string{"7Б", "7А", "Максим", "Алёшин Максим", "Ёлкин", "999999", "-1", "0", "1", "12.12", "31.02", "2026-11-20",
		"p-alyoshin-m", "demo-7b", "AAAA-BBBB-CCCC", "'; DROP TABLE grades; --", "%", "_", strings.Repeat("Я", 300)}

	// A forged button may name only what is not the presser's: ids are
	// numbers shared by every table, so one that equals an id of their own
	// (a class of the teacher's equal to a pupil's id) is left out.
	mine := func(pool, own []int64) []int64 {
		return slices.DeleteFunc(pool, func(id int64) bool { return slices.Contains(own, id) })
	}
	mumOwns := []int64{dasha}
	volkovaOwns := w.ids(`SELECT e.class_id FROM enrollments e JOIN people p ON p.id = e.person_id WHERE p.sourced_id = 't-volkova'
	                      UNION SELECT e.person_id FROM enrollments e JOIN classes c ON c.id = e.class_id WHERE c.sourced_id LIKE 'demo-7a%'
	                      UNION SELECT ev.id FROM events ev JOIN classes c ON c.id = ev.class_id WHERE c.sourced_id LIKE 'demo-7a%'
	                      UNION SELECT id FROM people WHERE sourced_id = 't-volkova'`)
	attackers := []attacker{
		{person: mum, foreign: append(slices.Clone(others7A), in7B...), ids: mine(append(append(otherPupils, allClasses...), events7B...), mumOwns),
			own: w.callbacks(100), replays: w.callbacks(300), typedArgs: typed},
		{person: volkova, foreign: in7B, ids: mine(append(append(class7B, pupils7B...), events7B...), volkovaOwns),
			own: w.callbacks(300), replays: w.callbacks(100), typedArgs: typed},
	}
	commands := []string{"/today", "/tomorrow", "/homework", "/schedule", "/grades", "/attendance", "/remarks", "/events",
		"/missed", "/sign", "/children", "/share", "/unlink", "/marks", "/lesson", "/hw", "/change", "/announce", "/meeting",
		"/meetings", "/signed", "/classes", "/start", "/link", "/cancel", "/help"}
	// Buttons that act only on the presser's own account, with no id of anyone:
	// pressed forged, they would do what a genuine press does.
	self := []string{telegram.ButtonSetting, telegram.ButtonSettingPick, telegram.ButtonShortcut, telegram.ButtonStop,
		telegram.ButtonRole, telegram.ButtonUnlinkTeacher, telegram.ButtonForget}
	var kinds []string
	for _, k := range bot.ButtonKinds() {
		if !slices.Contains(self, k) {
			kinds = append(kinds, k)
		}
	}
	codec := telegram.NewCodec(token)

	const updates, batch = 10_000, 250
	per := updates / len(attackers)
	for _, a := range attackers {
		fromCall := len(w.fake.Calls(""))
		anchor := a.last()
		for sent := 0; sent < per; sent += batch {
			n := w.handled.Load()
			for range batch {
				switch rng.IntN(5) {
				case 0: // garbage
					b := make([]byte, rng.IntN(65))
					for i := range b {
						b[i] = byte(32 + rng.IntN(95))
					}
					w.fake.PressButton(a.user, anchor, string(b))
				case 1: // a genuine button of theirs, one character changed
					data := []byte(a.own[rng.IntN(len(a.own))])
					i, was := rng.IntN(len(data)), byte(0)
					for was = data[i]; data[i] == was; {
						data[i] = "0123456789abcz:~"[rng.IntN(16)]
					}
					w.fake.PressButton(a.user, anchor, string(data))
				case 2: // someone else's genuine button
					w.fake.PressButton(a.user, anchor, a.replays[rng.IntN(len(a.replays))])
				case 3: // a forged, correctly signed button naming what is not theirs
					args := make([]int64, rng.IntN(5))
					for i := range args {
						switch rng.IntN(4) {
						case 0:
							args[i] = 1_000_000 + rng.Int64N(1<<40)
						case 1:
							args[i] = -rng.Int64N(1000)
						default:
							args[i] = a.ids[rng.IntN(len(a.ids))]
						}
					}
					w.fake.PressButton(a.user, anchor, codec.Encode(kinds[rng.IntN(len(kinds))], args...))
				default: // a command with an id, a class, a name or junk
					w.fake.SendText(a.user, commands[rng.IntN(len(commands))]+" "+a.typedArgs[rng.IntN(len(a.typedArgs))])
				}
			}
			w.waitHandled(n + batch)
		}
		// Every answer went to the attacker, and none shows what is not theirs.
		for _, c := range w.fake.Calls("")[fromCall:] {
			if chat, ok := c.Params["chat_id"]; ok && chat != fmt.Sprint(a.user.ID) {
				t.Errorf("%s: %s to chat %s", a.user.FirstName, c.Method, chat)
			}
			shown := c.Params["text"] + c.Params["reply_markup"]
			for _, typed := range a.typedArgs { // "I don't understand «7Б»" quotes what they typed, and only that
				shown = strings.ReplaceAll(shown, "«"+html.EscapeString(typed)+"»", "")
			}
			for _, f := range a.foreign {
				if strings.Contains(shown, f) {
					t.Errorf("%s was shown %q by %s: %s", a.user.FirstName, f, c.Method, shown)
				}
			}
		}
	}
	if after := w.schoolState(); after != before {
		t.Errorf("tampered updates changed the school's data:\nbefore %s\nafter  %s", before, after)
		rows, _ := w.db.Query(context.Background(), `SELECT a::text FROM audit_log a`)
		audit, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		t.Logf("audit log: %q", audit)
	}
	if n := w.failed.Load() - failedBefore; n != 0 {
		t.Errorf("%d tampered updates ended in an error", n)
	}
}
