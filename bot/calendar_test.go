package bot_test

import (
	"context"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/telegram"
)

// calendarURL is where the tests' bot says the feeds are (PUBLIC_URL and
// the feeds' path).
const calendarURL = "https://dnevnik.test/calendar/"

var feedAddress = regexp.MustCompile(regexp.QuoteMeta(calendarURL) + `([A-Za-z0-9_-]{43})\.ics`)

// feedOf is the account the feed of a token shows, and its children; an
// error for a token that answers 404.
func (w *world) feedOf(token string) (diary.Calendar, error) {
	return w.store.CalendarFeed(context.Background(), token)
}

// /calendar gives a private address once, in the person's language; asked
// again it says when it was given (it cannot show it again), and its button
// replaces it: the old address ends at once, the new one works. A forged
// button changes nothing; an account without children gets no address.
func TestCalendarCommand(t *testing.T) {
	w := newWorld(t)
	mum := w.person(100, "Ольга", "ru")
	mum.say(w.code(demo.Dasha))
	first := mum.say("/calendar")[0]
	m := feedAddress.FindStringSubmatch(first.Text)
	if m == nil || !strings.Contains(first.Text, "Подпишитесь") {
		t.Fatalf("/calendar = %q", first.Text)
	}
	old := m[1]
	if c, err := w.feedOf(old); err != nil || len(c.Children) != 1 || c.Children[0].Access.Pupil.GivenName != "Дарья" {
		t.Fatalf("the feed of the address: %+v, %v", c, err)
	}

	again := mum.say("/calendar")[0]
	if feedAddress.MatchString(again.Text) || !strings.Contains(again.Text, "нельзя") {
		t.Errorf("/calendar again = %q", again.Text)
	}
	if _, err := w.feedOf(old); err != nil {
		t.Errorf("asking again ended the address: %v", err)
	}

	mum.pressData(again, "cn~AAAAAAAA") // forged
	mum.pressData(again, telegram.NewCodec("another bot's token").Encode(telegram.ButtonCalendarNew))
	if _, err := w.feedOf(old); err != nil {
		t.Errorf("a forged button ended the address: %v", err)
	}

	replaced, _ := mum.press(again, "🔄 Новый адрес")
	m = feedAddress.FindStringSubmatch(replaced.Text)
	if m == nil || m[1] == old || !strings.Contains(replaced.Text, "Старый адрес больше не работает") {
		t.Fatalf("after the button: %q", replaced.Text)
	}
	if _, err := w.feedOf(old); diary.ErrorCode(err) != diary.ENOTFOUND {
		t.Errorf("the old address: %v, want not found", err)
	}
	if _, err := w.feedOf(m[1]); err != nil {
		t.Errorf("the new address: %v", err)
	}

	if help := mum.say("/help")[0].Text; !strings.Contains(help, "/calendar") {
		t.Errorf("/help does not name /calendar: %q", help)
	}
	dad := w.person(101, "John", "en")
	dad.say(w.code(demo.Maxim))
	if got := dad.say("/calendar")[0].Text; !feedAddress.MatchString(got) || !strings.Contains(got, "Subscribe to the calendar") {
		t.Errorf("/calendar in English = %q", got)
	}
	if got := w.person(102, "Nobody", "en").say("/calendar")[0].Text; feedAddress.MatchString(got) || !strings.Contains(got, "No pupil is linked") {
		t.Errorf("/calendar without children = %q", got)
	}
}

// A bot without a calendar address (no PUBLIC_URL) says the school has not
// enabled calendars, and makes no address.
func TestCalendarOff(t *testing.T) {
	w := newWorld(t)
	w.stop() // this test feeds updates by webhook, to a bot without calendars
	off, err := bot.New(context.Background(), w.store, bot.Options{Token: token, APIURL: w.fake.URL(), WebhookSecret: "s3cret"})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(off.WebhookHandler())
	defer srv.Close()
	for chat, want := range map[int64]string{800: "Школа пока не включила календари", 801: "The school has not enabled calendars"} {
		lang := map[int64]string{800: "ru", 801: "en"}[chat]
		postUpdate(t, srv.URL, chat, lang, "/calendar")
		if sent := w.fake.Sent(chat); len(sent) != 1 || !strings.Contains(sent[0].Text, want) {
			t.Errorf("%s: /calendar = %+v", lang, sent)
		}
	}
	if n := w.count(`SELECT count(*) FROM calendar_feeds`); n != 0 {
		t.Errorf("%d calendar addresses made", n)
	}
}
