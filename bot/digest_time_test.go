package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// digestTime is the account's digest time as stored.
func (w *world) digestTime(telegramID int64) string {
	w.t.Helper()
	var t string
	if err := w.db.QueryRow(context.Background(), `SELECT to_char(digest_time, 'HH24:MI') FROM accounts WHERE telegram_user_id = $1`, telegramID).Scan(&t); err != nil {
		w.t.Fatal(err)
	}
	return t
}

// /settings offers morning and evening digest times and takes a typed one: a
// bad time is refused in the person's language and changes nothing; 19.30 is
// saved and the digest falls due at 19:30; a button pressed ends the wait for
// a typed time.
func TestDigestTimeTyped(t *testing.T) {
	for lang, labels := range map[string][3]string{
		"ru": {"🌙 Вечерняя сводка: 19:00", "🌙 Вечерняя сводка: 19:30", "🌅 Утренняя сводка: 07:00"},
		"en": {"🌙 Evening digest: 19:00", "🌙 Evening digest: 19:30", "🌅 Morning digest: 07:00"},
	} {
		t.Run(lang, func(t *testing.T) {
			p := locales.For(lang)
			w := newWorld(t)
			mum := w.person(100, "Ольга", lang)
			mum.say(w.code(demo.Dasha))
			picker, _ := mum.press(mum.say("/settings")[0], labels[0])
			if offered := buttons(picker); picker.Text != p.T("digest2_pick") || !strings.Contains(offered, "[06:30]") ||
				!strings.Contains(offered, "[07:00]") || !strings.Contains(offered, "[21:00]") {
				t.Fatalf("the digest times on offer: %q\n%s", picker.Text, offered)
			}

			for _, bad := range []string{"25:00", "в семь", "7:5"} {
				if got := mum.say(bad); len(got) != 1 || got[0].Text != p.T("digest2_time_bad") {
					t.Errorf("%q: %v", bad, got)
				}
			}
			if got := w.digestTime(100); got != "19:00" {
				t.Errorf("after bad times the digest time is %s", got)
			}

			answers := mum.say("19.30")
			if len(answers) != 2 || answers[0].Text != p.T("digest2_saved_evening", "Time", "19:30") || !strings.Contains(buttons(answers[1]), labels[1]) {
				t.Fatalf("19.30 typed: %v", answers)
			}
			account := w.accountOf(100)
			moscow, _ := time.LoadLocation("Europe/Moscow")
			for at, want := range map[string]bool{"19:00": false, "19:30": true} {
				clock, _ := time.Parse("15:04", at)
				due, err := w.store.DueDigests(context.Background(), time.Date(2026, 11, 26, clock.Hour(), clock.Minute(), 0, 0, moscow))
				if err != nil {
					t.Fatal(err)
				}
				if got := slices.ContainsFunc(due, func(d diary.DueAccount) bool { return d.Account == account }); got != want {
					t.Errorf("due at %s: %v, want %v", at, got, want)
				}
			}

			// A time on a button: saved, and typing is no longer read as a time.
			picker, _ = mum.press(answers[1], labels[1])
			settings, _ := mum.press(picker, "07:00")
			if !strings.Contains(buttons(settings), labels[2]) {
				t.Errorf("after pressing 07:00: %s", buttons(settings))
			}
			mum.say("8:00")
			if got := w.digestTime(100); got != "07:00" {
				t.Errorf("typed after a button: the digest time is %s", got)
			}
		})
	}
}
