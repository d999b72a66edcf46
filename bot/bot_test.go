package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// A parent links with a code and goes through every command; the transcript of
// what they read is the golden file, in each language.
func TestConversation(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			w := newWorld(t)
			mum := w.person(100, "Ольга", lang)
			var tr transcript
			talk := func(text string) []bottest.Message {
				answers := mum.say(text)
				tr.add(text, answers...)
				return answers
			}
			talk("/start")
			talk("/today") // not linked yet
			talk("/start " + strings.ReplaceAll(w.code(demo.Dasha), "-", ""))
			for _, cmd := range []string{"/today", "/tomorrow", "/homework", "/homework week", "/schedule",
				"/schedule 27.11", "завтра", "/grades", "/grades матем", "/grades физкультура", "/attendance", "/remarks",
				"/events", "/missed", "/sign", "/settings", "/children", "/help", "/unknown", "привет", "/schedule 31.02"} {
				talk(cmd)
			}
			golden(t, "conversation."+lang+".golden", tr.String())
			if w.failed.Load() > 0 {
				t.Errorf("%d updates failed", w.failed.Load())
			}
		})
	}
}

// Day answers carry ◀ ▶ buttons that edit the same message.
func TestDayNavigationEditsTheMessage(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	day := mum.say("/today")[0]
	if !strings.Contains(day.Text, "чт, 26 ноября") {
		t.Fatalf("today = %q", day.Text)
	}
	next, added := mum.press(day, "пт, 27 ноября ▶")
	if len(added) != 0 || next.ID != day.ID || !next.Edited() || !strings.Contains(next.Text, "пт, 27 ноября") {
		t.Fatalf("after ▶: %d new messages; message %d edited %v: %q", len(added), next.ID, next.Edited(), next.Text)
	}
	week, _ := mum.press(next, "🗓 Вся неделя")
	if !strings.Contains(week.Text, "пн, 23 ноября") || !strings.Contains(week.Text, "вс, 29 ноября") {
		t.Errorf("week = %q", week.Text)
	}
	prev, _ := mum.press(week, "◀ Прошлая неделя")
	if !strings.Contains(prev.Text, "пн, 16 ноября") {
		t.Errorf("last week = %q", prev.Text)
	}
}

// A parent of two children picks one with /children; with two, every answer
// names the child.
func TestTwoChildren(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	mum.say(w.code(demo.Maxim))
	list := mum.say("/children")[0]
	if !strings.Contains(buttons(list), "Дарья") || !strings.Contains(buttons(list), "Максим") {
		t.Fatalf("children = %s", buttons(list))
	}
	// The last linked child is the active one.
	if got := mum.say("/today")[0].Text; !strings.Contains(got, "Максим") {
		t.Errorf("today names %q", got)
	}
	chosen, _ := mum.press(list, "Дарья, 7А")
	if !strings.Contains(chosen.Text, "Дарья") {
		t.Errorf("after choosing: %q", chosen.Text)
	}
	if got := mum.say("/tomorrow")[0].Text; !strings.Contains(got, "Дарья") || !strings.Contains(got, "Фёдорова А. О. (замена)") {
		t.Errorf("tomorrow = %q", got)
	}
}

// What the access rules refuse, the bot refuses with a clear message and no data.
func TestAccessRefusals(t *testing.T) {
	t.Run("a tampered button naming another pupil", func(t *testing.T) {
		w := newWorld(t)
		mum := w.person(100, "Ольга", "ru")
		mum.say(w.code(demo.Petya))
		day := mum.say("/today")[0]
		btn, _ := day.Button("пт, 27 ноября ▶")
		// Swap Petya's id for Dasha's in the button's data.
		petya, dasha := base36(w.school.Pupils[demo.Petya]), base36(w.school.Pupils[demo.Dasha])
		tampered := strings.Replace(btn.CallbackData, ":"+petya+":", ":"+dasha+":", 1)
		if tampered == btn.CallbackData {
			t.Fatalf("could not tamper with %q", btn.CallbackData)
		}
		after, added := mum.pressData(day, tampered)
		if len(added) != 0 || after.Text != day.Text || !strings.Contains(w.lastNotice(), "кнопка устарела") {
			t.Errorf("tampered press: %d messages, notice %q", len(added), w.lastNotice())
		}
	})
	t.Run("a revoked link, and its stale buttons", func(t *testing.T) {
		w := newWorld(t)
		mum := w.person(100, "Ольга", "ru")
		mum.say(w.code(demo.Dasha))
		day := mum.say("/today")[0]
		confirm := mum.say("/unlink")[0]
		done, _ := mum.press(confirm, "Да, отвязать")
		if !strings.Contains(done.Text, "отвязан") {
			t.Fatalf("unlink: %q", done.Text)
		}
		if got := mum.say("/today")[0].Text; !strings.Contains(got, "не привязан ни один ученик") {
			t.Errorf("today after unlink = %q", got)
		}
		after, _ := mum.press(day, "пт, 27 ноября ▶")
		if after.Text != day.Text || !strings.Contains(w.lastNotice(), "отозван") {
			t.Errorf("stale button: %q, notice %q", after.Text, w.lastNotice())
		}
	})
	t.Run("an expired school year", func(t *testing.T) {
		w := newWorld(t)
		mum := w.person(100, "Ольга", "ru")
		mum.say(w.code(demo.Dasha))
		w.now = time.Date(2027, 6, 2, 10, 0, 0, 0, thursday.Location())
		if got := mum.say("/today")[0].Text; !strings.Contains(got, "Доступ к дневнику ученика Дарья Алёшина закончился") {
			t.Errorf("after the school year: %q", got)
		}
	})
	t.Run("a revoked trusted person", func(t *testing.T) {
		w := newWorld(t)
		mum, gran := w.person(100, "Ольга", "ru"), w.person(200, "Нина", "ru")
		mum.say(w.code(demo.Dasha))
		code := invitation(mum)
		if got := gran.say("/start " + code)[0].Text; !strings.Contains(got, "только для чтения") {
			t.Fatalf("grandmother linked: %q", got)
		}
		if got := gran.say("/today")[0].Text; !strings.Contains(got, "Математика") {
			t.Fatalf("grandmother's today: %q", got)
		}
		if got := gran.say("/sign")[0].Text; !strings.Contains(got, "только родитель") {
			t.Errorf("grandmother signing: %q", got)
		}
		list := mum.say("/share")[0]
		var revoke string
		for _, row := range list.ReplyMarkup.InlineKeyboard {
			if strings.HasPrefix(row[0].Text, "Отозвать") {
				revoke = row[0].Text
			}
		}
		mum.press(list, revoke)
		if got := gran.say("/today")[0].Text; !strings.Contains(got, "не привязан ни один ученик") {
			t.Errorf("grandmother after revocation: %q", got)
		}
	})
	t.Run("a locked-out code guesser", func(t *testing.T) {
		w := newWorld(t)
		guesser := w.person(300, "X", "ru")
		for range 5 {
			if got := guesser.say("AAAA-BBBB-CCCC")[0].Text; !strings.Contains(got, "Код не подошёл") {
				t.Fatalf("wrong code: %q", got)
			}
		}
		got := guesser.say(w.code(demo.Dasha))[0].Text
		if !strings.Contains(got, "Попробуйте снова через 15 минут") {
			t.Errorf("locked out: %q", got)
		}
		if strings.Contains(got, "Дарья") {
			t.Error("the right code worked while locked out")
		}
	})
	t.Run("used and expired codes", func(t *testing.T) {
		w := newWorld(t)
		code := w.code(demo.Dasha)
		w.person(100, "Ольга", "ru").say(code)
		if got := w.person(101, "Сергей", "ru").say(code)[0].Text; !strings.Contains(got, "уже использован") {
			t.Errorf("used code: %q", got)
		}
		late := w.code(demo.Dasha)
		w.now = w.now.Add(25 * time.Hour)
		if got := w.person(102, "Кто-то", "ru").say(late)[0].Text; !strings.Contains(got, "истёк") {
			t.Errorf("expired code: %q", got)
		}
	})
}

func TestSettings(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	settings := mum.say("/settings")[0]
	picker, _ := mum.press(settings, "🌙 Вечерняя сводка: 19:00")
	saved, _ := mum.press(picker, "20:30")
	if !strings.Contains(buttons(saved), "🌙 Вечерняя сводка: 20:30") {
		t.Errorf("after picking 20:30: %s", buttons(saved))
	}
	off, _ := mum.press(saved, "✅ Оценки")
	if !strings.Contains(buttons(off), "☐ Оценки") {
		t.Errorf("grades switched off: %s", buttons(off))
	}
	english, _ := mum.press(off, "🌐 Язык: русский (switch to English)")
	if !strings.Contains(english.Text, "Settings") || !strings.Contains(buttons(english), "Evening digest: 20:30") {
		t.Errorf("in English: %q %s", english.Text, buttons(english))
	}
	if got := mum.say("/today")[0].Text; !strings.Contains(got, "Thu, 26 November") {
		t.Errorf("today after switching language: %q", got)
	}
}

// Telegram's command menu is set in each language; Russian is the default.
func TestCommandMenu(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say("/help") // the menu is set before polling starts; by now it is there
	for lang, want := range map[string]string{"ru": "Расписание и задания на сегодня", "": "Расписание и задания на сегодня", "en": "Today's lessons and homework"} {
		menu := w.fake.Commands(nil, lang)
		if len(menu) < 10 || menu[0].Command != "today" || menu[0].Description != want {
			t.Errorf("menu %q = %+v", lang, menu)
		}
		// Descriptions are looked up by a computed id ("cmd_" + name), which
		// the locale test cannot see: a missing one would show as its id.
		for _, c := range menu {
			if c.Description == "" || strings.HasPrefix(c.Description, "cmd_") {
				t.Errorf("menu %q: /%s has no description", lang, c.Command)
			}
		}
	}
}

// A long answer is split into messages that each fit Telegram's limit.
func TestLongAnswersSplit(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	long := strings.Repeat("Решить задачи из сборника, оформить подробно. ", 60)
	if _, err := w.db.Exec(context.Background(), `UPDATE assignments SET description = $1 WHERE kind = 'homework'`, long); err != nil {
		t.Fatal(err)
	}
	answers := mum.say("/homework week")
	if len(answers) < 2 {
		t.Fatalf("%d messages for a long answer", len(answers))
	}
	for _, m := range answers {
		if n := len([]rune(m.Text)); n > 4096 {
			t.Errorf("a message of %d characters", n)
		}
	}
	if w.failed.Load() > 0 {
		t.Errorf("%d updates failed", w.failed.Load())
	}
}

// Stopping the bot waits for the update it is handling.
func TestShutdownWaitsForHandlers(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	w.fake.FailNext("sendMessage", 1, bottest.Delayed(300*time.Millisecond))
	w.fake.SendText(mum.user, "/help")
	// Wait until the handler is in Telegram's sendMessage, then stop.
	if _, err := w.fake.WaitCalls("getUpdates", 2, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if err := w.fake.WaitFor(5*time.Second, func() bool { return accountExists(w, mum.user.ID) }); err != nil {
		t.Fatal(err)
	}
	w.stop()
	if got := len(w.fake.Sent(mum.user.ID)); got != 1 {
		t.Errorf("after stopping, %d messages sent; the answer in flight was dropped", got)
	}
}

func accountExists(w *world, telegramID int64) bool {
	var ok bool
	_ = w.db.QueryRow(context.Background(), `SELECT EXISTS (SELECT FROM accounts WHERE telegram_user_id = $1)`, telegramID).Scan(&ok)
	return ok
}

func base36(n int64) string {
	const digits = "0123456789abcdefghijklmnopqrstuvwxyz"
	var b []byte
	for ; n > 0; n /= 36 {
		b = append([]byte{digits[n%36]}, b...)
	}
	return string(b)
}

// In webhook mode a request without the secret token is refused with 401 and
// handles nothing; with it, the update is handled before the answer.
func TestWebhook(t *testing.T) {
	w := newWorld(t)
	w.stop() // this test feeds updates by webhook instead
	ctx := context.Background()
	hooked, err := bot.New(ctx, w.store, bot.Options{Token: token, APIURL: w.fake.URL(), WebhookSecret: "s3cret-Token_1"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hooked.WebhookHandler())
	defer srv.Close()
	post := func(secret string) int {
		body := `{"update_id": 1, "message": {"message_id": 1, "date": 1, "text": "/help",
		          "from": {"id": 700, "is_bot": false, "first_name": "Ольга", "language_code": "ru"},
		          "chat": {"id": 700, "type": "private"}}}`
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, wrong := range []string{"", "s3cret-Token_2", "s3cret-Token_1x"} {
		if code := post(wrong); code != http.StatusUnauthorized {
			t.Errorf("secret %q: %d, want 401", wrong, code)
		}
	}
	if n := len(w.fake.Sent(700)); n != 0 {
		t.Fatalf("%d messages sent for refused requests", n)
	}
	if code := post("s3cret-Token_1"); code != http.StatusOK {
		t.Fatalf("right secret: %d", code)
	}
	// Answered only after handling: the reply is already there.
	if sent := w.fake.Sent(700); len(sent) != 1 || !strings.Contains(sent[0].Text, "Электронный дневник") {
		t.Errorf("after the webhook answered: %+v", sent)
	}
	// Registered with the max_connections the bot chose; Telegram's 40 unless set.
	if err := hooked.RegisterWebhook(ctx, srv.URL); err != nil {
		t.Fatal(err)
	}
	if calls := w.fake.Calls("setWebhook"); len(calls) != 1 || calls[0].Params["max_connections"] != "" {
		t.Errorf("setWebhook without MaxConnections: %+v", calls)
	}
	limited, err := bot.New(ctx, w.store, bot.Options{Token: token, APIURL: w.fake.URL(), WebhookSecret: "s3cret-Token_1",
		MaxConnections: 12})
	if err != nil {
		t.Fatal(err)
	}
	if err := limited.RegisterWebhook(ctx, srv.URL); err != nil {
		t.Fatal(err)
	}
	if calls := w.fake.Calls("setWebhook"); len(calls) != 2 || calls[1].Params["max_connections"] != "12" {
		t.Errorf("setWebhook with MaxConnections 12: %+v", calls)
	}
}

// A webhook handles at most Workers updates at once: with two workers and a
// Bot API that takes 300 ms to answer, six updates posted together take three
// rounds; each is answered, none lost.
func TestWebhookHandlesAtMostWorkersAtOnce(t *testing.T) {
	w := newWorld(t)
	w.stop() // this test feeds updates by webhook instead
	ctx := context.Background()
	hooked, err := bot.New(ctx, w.store, bot.Options{Token: token, APIURL: w.fake.URL(), WebhookSecret: "s3cret", Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hooked.WebhookHandler())
	defer srv.Close()
	const updates, delay = 6, 300 * time.Millisecond
	w.fake.FailNext("sendMessage", updates, bottest.Delayed(delay))
	start := time.Now()
	var posted sync.WaitGroup
	for i := range updates {
		posted.Go(func() {
			if status := postHelp(t, srv.URL, 800+i); status != http.StatusOK {
				t.Errorf("update %d: %d", i+1, status)
			}
		})
	}
	posted.Wait()
	// A lower bound: a slow machine makes it longer, never shorter.
	if took := time.Since(start); took < 3*delay*9/10 {
		t.Errorf("six updates took %v with two workers and %v a call: more than two at once", took, delay)
	}
	for i := range updates {
		if n := len(w.fake.Sent(int64(800 + i))); n != 1 {
			t.Errorf("user %d got %d answers", 800+i, n)
		}
	}
}

// postHelp posts the user's /help to the webhook at url as Telegram would,
// the user's id as the update's, and returns the HTTP status (0: none).
func postHelp(t *testing.T, url string, user int) int {
	body := fmt.Sprintf(`{"update_id": %d, "message": {"message_id": 1, "date": 1, "text": "/help",
		"from": {"id": %d, "is_bot": false, "first_name": "Ольга", "language_code": "ru"},
		"chat": {"id": %d, "type": "private"}}}`, user, user, user)
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
}

// A poster opening more connections than the webhook's max_connections is
// refused beyond them at once, not held in memory; what it posts again is
// answered.
func TestWebhookRefusesBeyondMaxConnections(t *testing.T) {
	w := newWorld(t)
	w.stop() // this test feeds updates by webhook instead
	ctx := context.Background()
	hooked, err := bot.New(ctx, w.store, bot.Options{Token: token, APIURL: w.fake.URL(), WebhookSecret: "s3cret",
		Workers: 1, MaxConnections: 2})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hooked.WebhookHandler())
	defer srv.Close()
	post := func(user int) int { return postHelp(t, srv.URL, user) }
	// The first two answers are slow: two updates are in, the others find no room.
	w.fake.FailNext("sendMessage", 2, bottest.Delayed(time.Second))
	const updates = 6
	status := make([]int, updates)
	var posted sync.WaitGroup
	for i := range updates {
		posted.Go(func() { status[i] = post(700 + i) })
	}
	posted.Wait()
	var refused []int
	for i, code := range status {
		if code == http.StatusServiceUnavailable {
			refused = append(refused, i)
		}
	}
	if len(refused) != updates-2 {
		t.Fatalf("answers %v: want two updates in and four refused", status)
	}
	for _, i := range refused { // as Telegram does
		if code := post(700 + i); code != http.StatusOK {
			t.Errorf("update %d posted again: %d", i, code)
		}
	}
	for i := range updates {
		if n := len(w.fake.Sent(int64(700 + i))); n != 1 {
			t.Errorf("user %d got %d answers", 700+i, n)
		}
	}
}

// Polling, the bot fetches no more updates while its workers are busy and
// as many wait: the rest stay with Telegram, which keeps them for a day,
// rather than piling up in the bot's memory.
func TestPollingFetchesNoMoreWhileBusy(t *testing.T) {
	w := newWorld(t)
	w.stop() // this test polls with a bot of its own
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polling, err := bot.New(ctx, w.store, bot.Options{Token: token, APIURL: w.fake.URL(), Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	// More than one getUpdates brings (100), each answer slow.
	const updates = 120
	for i := range updates {
		w.fake.SendText(bottest.User{ID: int64(900 + i), FirstName: "Ольга", LanguageCode: "ru"}, "/help")
	}
	w.fake.FailNext("sendMessage", updates, bottest.Delayed(20*time.Millisecond))
	sent := w.fake.Subscribe()
	go func() { _ = polling.Poll(ctx) }()

	answered := 0
	for c := range sent {
		if c.Method != "sendMessage" {
			continue
		}
		if answered++; answered == 10 {
			// Two in handlers, two waiting: the first hundred are still being
			// handed out, and the next are not fetched.
			if n := len(w.fake.Calls("getUpdates")); n != 1 {
				t.Errorf("%d getUpdates after 10 answers", n)
			}
		}
		if answered == updates {
			break
		}
	}
	for i := range updates {
		if n := len(w.fake.Sent(int64(900 + i))); n != 1 {
			t.Errorf("user %d got %d answers", 900+i, n)
		}
	}
}

// While the database is away every update is answered at once, "temporarily
// unavailable" in the person's language, and nothing else is said.
func TestDatabaseAwayAnswersUnavailable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	fake := bottest.New(token)
	defer fake.Close()
	// Port 1 on loopback refuses connections: a PostgreSQL that is down.
	pool, err := pgxpool.New(ctx, "postgres://postgres@127.0.0.1:1/dnevnik?sslmode=disable&connect_timeout=2")
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	b, err := bot.New(ctx, diary.NewStore(pool), bot.Options{Token: token, APIURL: fake.URL(), WebhookSecret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.WebhookHandler())
	defer srv.Close()
	for chat, c := range map[int64]struct{ lang, want string }{
		801: {"ru", "Дневник временно недоступен"},
		802: {"en", "The diary is temporarily unavailable"},
	} {
		took := postUpdate(t, srv.URL, chat, c.lang, "/today")
		if sent := fake.Sent(chat); len(sent) != 1 || !strings.Contains(sent[0].Text, c.want) || took > 2*time.Second {
			t.Errorf("%s: after %v the chat has %+v, want %q within 2 s", c.lang, took, sent, c.want)
		}
	}
}

// A flood of wrong codes from many accounts slows every code check: a parent
// with a real code still links, after the brake, which is logged and counted.
func TestFloodOfWrongCodesBrakesCodeChecks(t *testing.T) {
	w := newWorld(t)
	w.stop() // this test feeds updates by webhook to a bot of its own
	ctx := context.Background()
	if _, err := w.db.Exec(ctx, `INSERT INTO link_attempts (telegram_user_id, attempted_at, succeeded)
		SELECT 900000 + i, $1::timestamptz - interval '10 seconds', false FROM generate_series(1, $2) i`, w.now, diary.CodeFlood); err != nil {
		t.Fatal(err)
	}
	var logs strings.Builder
	var braked atomic.Int32
	b, err := bot.New(ctx, w.store, bot.Options{Token: token, APIURL: w.fake.URL(), WebhookSecret: "s3cret",
		Logger: slog.New(slog.NewTextHandler(&logs, nil)), CodeBrake: func() { braked.Add(1) }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(b.WebhookHandler())
	defer srv.Close()
	took := postUpdate(t, srv.URL, 702, "ru", "/start "+w.code(demo.Dasha))
	if sent := w.fake.Sent(702); len(sent) == 0 || !strings.Contains(sent[0].Text, "Готово") {
		t.Errorf("the parent with a real code read %+v", sent)
	}
	if took < 2*time.Second || braked.Load() != 1 || !strings.Contains(logs.String(), "code check braked") {
		t.Errorf("answered in %v, braked %d times, log %q; want a 2 s brake, counted and logged", took, braked.Load(), logs.String())
	}
}

// postUpdate posts to a bot's webhook (secret "s3cret") a private message
// from the user whose id is also the chat's, and returns how long the bot
// took to answer the request: the update is handled by then.
func postUpdate(t *testing.T, url string, chat int64, lang, text string) time.Duration {
	t.Helper()
	body, err := json.Marshal(map[string]any{"update_id": chat, "message": map[string]any{
		"message_id": 1, "date": 1, "text": text,
		"from": map[string]any{"id": chat, "is_bot": false, "first_name": "Ольга", "language_code": lang},
		"chat": map[string]any{"id": chat, "type": "private"}}})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "s3cret")
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return time.Since(start)
}
