//go:build faults

package faults

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// A worker SIGKILLed in the middle of an announcement to 2,000 parents and
// started again: every parent gets it; only the sends in flight at the kill
// may arrive twice, and each of those is counted uncertain.
func TestWorkerKilledMidAnnouncement(t *testing.T) {
	s := newScene(t, 1000)
	worker, _ := s.worker()
	const body = "Завтра субботник: приходите к 9:00"
	s.announce(body)
	s.waitReceived(body, 600, 2*time.Minute)
	worker.kill()
	sentAtKill := len(s.fake.Calls("sendMessage"))
	inFlight := s.count(`SELECT count(*) FROM outbox WHERE status = 'sending'`)

	_, addr := s.worker()
	took := s.drain(4 * time.Minute)
	got := s.tally(body, s.chats)
	uncertain := s.count(`SELECT coalesce(sum(uncertain), 0) FROM outbox`)
	t.Logf("recipients %d; sent before the kill %d; in flight at the kill %d; after the restart all sent in %v; "+
		"duplicates %d; uncertain counted %d (metrics %v)", len(s.chats), sentAtKill, inFlight, took.Round(time.Second),
		got.duplicates, uncertain, metric(t, addr, "dnevnik_messages_uncertain_total"))
	if len(got.missing) > 0 {
		t.Errorf("%d parents got nothing, e.g. %v", len(got.missing), got.missing[:min(5, len(got.missing))])
	}
	if got.duplicates > inFlight {
		t.Errorf("%d duplicates, more than the %d sends in flight at the kill", got.duplicates, inFlight)
	}
}

// Redis flushed in the middle of an announcement to 2,000 parents, then
// restarted empty: every parent gets it exactly once.
func TestRedisFlushedAndRestartedMidAnnouncement(t *testing.T) {
	s := newScene(t, 1000)
	_, addr := s.worker()
	const body = "Родительское собрание переносится на четверг"
	s.announce(body)
	s.waitReceived(body, 400, 2*time.Minute)
	if err := s.rdb.FlushAll(s.ctx).Err(); err != nil {
		t.Fatal(err)
	}
	atFlush := len(s.received(body))
	flushed := time.Now()
	s.waitReceived(body, 1200, 4*time.Minute)
	recovered := time.Since(flushed)
	if err := redisServer.Restart(s.ctx, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	atRestart := len(s.received(body))
	took := s.drain(4 * time.Minute)
	got := s.tally(body, s.chats)
	t.Logf("recipients %d; received at the flush %d; 1,200 received %v after the flush; at the restart %d; "+
		"all sent %v after the restart; duplicates %d; uncertain %v", len(s.chats), atFlush, recovered.Round(time.Second),
		atRestart, took.Round(time.Second), got.duplicates, metric(t, addr, "dnevnik_messages_uncertain_total"))
	if len(got.missing) > 0 || got.duplicates > 0 {
		t.Errorf("%d parents got nothing, %d got it twice: want each once", len(got.missing), len(got.twice))
	}
}

// PostgreSQL down for 3 s and back while parents ask: every update is answered within
// 2 s, "temporarily unavailable" in the parent's language while the database
// is away, and the bot answers as usual again once it is back, with no
// restart of Dnevnik.
func TestPostgresRestartedWhileParentsAsk(t *testing.T) {
	s := newScene(t, 60)
	english := map[int64]bool{}
	for i, chat := range s.chats {
		if i%2 == 1 {
			english[chat] = true
		}
	}
	if _, err := s.db.Exec(s.ctx, `UPDATE accounts SET language = 'en' WHERE chat_id = ANY($1)`, keys(english)); err != nil {
		t.Fatal(err)
	}
	bot := s.start("bot", nil, "bot")
	if err := s.fake.WaitFor(10*time.Second, func() bool { return len(s.fake.Calls("setMyCommands")) > 0 }); err != nil {
		t.Fatalf("the bot never polled:\n%s", s.log("bot"))
	}

	asked := map[int64]time.Time{}
	var mu sync.Mutex
	var restarted, back time.Time
	restart := make(chan error, 1)
	for i, chat := range s.chats {
		if i == 30 {
			restarted = time.Now()
			go func() { restart <- postgres.Restart(s.ctx, 3*time.Second); back = time.Now() }()
		}
		lang := "ru"
		if english[chat] {
			lang = "en"
		}
		mu.Lock()
		asked[chat] = time.Now()
		mu.Unlock()
		s.fake.SendText(bottest.User{ID: chat, FirstName: "Родитель", LanguageCode: lang}, "/today")
		time.Sleep(100 * time.Millisecond)
	}
	if err := <-restart; err != nil {
		t.Fatal(err)
	}
	if err := s.fake.WaitFor(10*time.Second, func() bool { return len(s.answers()) == len(s.chats) }); err != nil {
		t.Errorf("%d of %d updates answered", len(s.answers()), len(s.chats))
	}

	var slowest time.Duration
	unavailable, usual := 0, 0
	firstUsualAfter := time.Duration(-1)
	answers := s.answers()
	for _, chat := range s.chats {
		a, ok := answers[chat]
		if !ok {
			continue
		}
		took := a.at.Sub(asked[chat])
		slowest = max(slowest, took)
		want := "временно недоступен"
		if english[chat] {
			want = "temporarily unavailable"
		}
		switch {
		case strings.Contains(a.text, want):
			unavailable++
		case strings.Contains(a.text, "недоступен") || strings.Contains(a.text, "unavailable"):
			t.Errorf("chat %d (%s) was told in the other language: %q", chat, map[bool]string{true: "en", false: "ru"}[english[chat]], a.text)
		case strings.Contains(a.text, "Что-то пошло не так") || strings.Contains(a.text, "Something went wrong"):
			t.Errorf("chat %d was told of an internal error: %q", chat, a.text)
		default:
			usual++
			if asked[chat].After(back) && (firstUsualAfter < 0 || asked[chat].Sub(back) < firstUsualAfter) {
				firstUsualAfter = asked[chat].Sub(back)
			}
		}
		if took > 2*time.Second {
			t.Errorf("chat %d answered after %v, want within 2 s", chat, took)
		}
	}
	t.Logf("updates %d; PostgreSQL down for %v; answered 'temporarily unavailable' %d, as usual %d; slowest answer %v; "+
		"first usual answer to a question asked %v after PostgreSQL was back; the bot process never restarted: %v",
		len(s.chats), back.Sub(restarted).Round(10*time.Millisecond), unavailable, usual, slowest.Round(time.Millisecond),
		firstUsualAfter.Round(time.Millisecond), bot.running())
	if unavailable == 0 {
		t.Error("no update was asked while PostgreSQL was away: the restart went unseen")
	}
	last := s.chats[len(s.chats)-1]
	if a := answers[last]; strings.Contains(a.text, "недоступен") || strings.Contains(a.text, "unavailable") || !bot.running() {
		t.Errorf("after PostgreSQL came back the last answer was %q (bot running: %v)", a.text, bot.running())
	}
}

// answer is the first message a chat got and when.
type answer struct {
	text string
	at   time.Time
}

// answers is the first message each chat got.
func (s *scene) answers() map[int64]answer {
	got := map[int64]answer{}
	for _, c := range s.fake.Calls("sendMessage") {
		if c.Message == nil {
			continue
		}
		if _, seen := got[c.Message.ChatID]; !seen {
			got[c.Message.ChatID] = answer{text: c.Message.Text, at: c.Time}
		}
	}
	return got
}

func keys(m map[int64]bool) []int64 {
	var k []int64
	for v := range m {
		k = append(k, v)
	}
	slices.Sort(k)
	return k
}

// A bad day at Telegram: 10 % of the sends answered 500, 5 % never answered
// (half of them after the message was accepted), a second of 429s every five.
// Every parent gets the announcement; only parents whose send was uncertain
// may get it twice, and every uncertain send is counted and listed.
func TestTelegramBadDay(t *testing.T) {
	s := newScene(t, 200)
	s.fake.SetChaos(bottest.Chaos{ServerErrors: 0.10, Timeouts: 0.05, BurstEvery: 5 * time.Second, BurstLength: time.Second, Seed: 7})
	_, addr := s.worker()
	const body = "Экскурсия в музей в пятницу"
	s.announce(body)
	took := s.drain(5 * time.Minute)
	got := s.tally(body, s.chats)
	chaos := s.fake.ChaosCount()

	rows, _ := s.db.Query(s.ctx, `SELECT chat_id, id, uncertain FROM outbox WHERE uncertain > 0 ORDER BY id`)
	uncertainChats := map[int64]bool{}
	var list []string
	total := 0
	var chat, id int64
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&chat, &id, &n}, func() error {
		uncertainChats[chat] = true
		list = append(list, fmt.Sprintf("outbox %d (chat %d) ×%d", id, chat, n))
		total += n
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	counted := metric(t, addr, "dnevnik_messages_uncertain_total")
	t.Logf("recipients %d, all sent in %v; Telegram answered 500 %d times, lost %d answers after accepting, left %d unanswered, "+
		"throttled %d; duplicates %d; uncertain sends %d (metrics %v):\n  %s",
		len(s.chats), took.Round(time.Second), chaos.ServerErrors, chaos.LostAnswers, chaos.Unanswered, chaos.Throttled,
		got.duplicates, total, counted, strings.Join(list, "\n  "))
	if len(got.missing) > 0 {
		t.Errorf("%d parents got nothing, e.g. %v", len(got.missing), got.missing[:min(5, len(got.missing))])
	}
	for _, c := range got.twice {
		if !uncertainChats[c] {
			t.Errorf("chat %d got it twice without an uncertain send", c)
		}
	}
	if got.duplicates > total || float64(total) != counted {
		t.Errorf("%d duplicates, %d uncertain sends in the outbox, %v in /metrics", got.duplicates, total, counted)
	}
}

// A grade held by a parent's quiet hours, then the parent's link revoked:
// the message is never sent, and the outbox says why. Redis, scanned after,
// holds no name of anyone at the school and not the grade's comment.
func TestHeldGradeRevokedNeverSent(t *testing.T) {
	s := newScene(t, 1)
	held, other := s.chats[0], s.chats[1]
	now := time.Now().In(moscow)
	from, to := now.Add(-time.Minute).Format("15:04"), now.Add(2*time.Minute).Format("15:04")
	if _, err := s.db.Exec(s.ctx, `UPDATE accounts SET quiet_from = $2, quiet_to = $3 WHERE chat_id = $1`, held, from, to); err != nil {
		t.Fatal(err)
	}
	s.worker()
	const comment = "Прекрасный ответ у доски"
	_, err := s.db.Exec(s.ctx, `
WITH g AS (
    INSERT INTO grades (class_id, pupil_id, score, graded_on, comment)
    SELECT c.id, l.person_id, 5, current_date, $2 FROM classes c, account_links l JOIN accounts a ON a.id = l.account_id
    WHERE c.sourced_id = $1 AND a.chat_id = $3 RETURNING id, class_id, pupil_id)
INSERT INTO notices (kind, school_id, class_id, pupil_id, ref_id)
SELECT 'grade', c.school_id, g.class_id, g.pupil_id, g.id FROM g JOIN classes c ON c.id = g.class_id`,
		demo.Class7A+"-0", comment, held)
	if err != nil {
		t.Fatal(err)
	}
	s.wake()
	s.waitReceived(comment, 1, time.Minute) // the other guardian, not in quiet hours
	if n := s.count(`SELECT count(*) FROM outbox WHERE chat_id = $1 AND status = 'queued' AND due_at > now()`, held); n != 1 {
		t.Fatalf("the grade is not held for chat %d: %d rows", held, n)
	}
	if _, err := s.db.Exec(s.ctx, `UPDATE account_links SET revoked_at = now(), revoked_by = 'school' WHERE account_id = (SELECT id FROM accounts WHERE chat_id = $1)`, held); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if !s.eventually(4*time.Minute, func() bool {
		return s.count(`SELECT count(*) FROM outbox WHERE chat_id = $1 AND status = 'dropped' AND reason = 'no_access'`, held) == 1
	}) {
		t.Fatalf("the held grade was not dropped in 4 min")
	}
	got := s.received(comment)
	t.Logf("quiet hours %s-%s Moscow; the revoked parent's grade dropped (no_access) %v after the revocation; "+
		"messages: revoked parent %d, other parent %d", from, to, time.Since(start).Round(time.Second), got[held], got[other])
	if got[held] != 0 || got[other] != 1 {
		t.Errorf("the revoked parent got %d messages, the other %d; want 0 and 1", got[held], got[other])
	}

	var secrets []string
	rows, _ := s.db.Query(s.ctx, `SELECT family_name FROM people UNION SELECT given_name FROM people UNION SELECT $1`, comment)
	if secrets, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		t.Fatal(err)
	}
	keys, values := s.scanRedis()
	for _, secret := range secrets {
		if strings.Contains(values, secret) {
			t.Errorf("Redis holds %q", secret)
		}
	}
	t.Logf("Redis after the run: %d keys, %d bytes of values, none of the %d names and comments", keys, len(values), len(secrets))
}

// scanRedis reads every value of every database of the Redis, whatever its type.
func (s *scene) scanRedis() (keys int, values string) {
	s.t.Helper()
	var b strings.Builder
	for db := 0; db < 16; db++ {
		c := s.rdb.Conn()
		if err := c.Select(s.ctx, db).Err(); err != nil {
			s.t.Fatal(err)
		}
		names, err := c.Keys(s.ctx, "*").Result()
		if err != nil {
			s.t.Fatal(err)
		}
		for _, k := range names {
			keys++
			var v any
			switch kind, _ := c.Type(s.ctx, k).Result(); kind {
			case "string":
				v, _ = c.Get(s.ctx, k).Result()
			case "hash":
				v, _ = c.HGetAll(s.ctx, k).Result()
			case "list":
				v, _ = c.LRange(s.ctx, k, 0, -1).Result()
			case "set":
				v, _ = c.SMembers(s.ctx, k).Result()
			case "zset":
				v, _ = c.ZRange(s.ctx, k, 0, -1).Result()
			}
			fmt.Fprint(&b, k, v)
		}
		c.Close()
	}
	return keys, b.String()
}
