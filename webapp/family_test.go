package webapp_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/samples/demo"
	"github.com/dnevnik/dnevnik/webapp"
)

// dataGet is the address an element with the id asks for (data-get).
func dataGet(t *testing.T, body, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `" data-get="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no #%s in\n%s", id, body)
	}
	return strings.ReplaceAll(m[1], "&amp;", "&")
}

// The mother of Даша alone opens the app: it lands on Даша's week, a grid of
// the school days with her lessons, tomorrow's substitute and cancelled
// lesson, her homework and a grade with its comment; ◀ goes to last week,
// where she was ill on Sunday, and ▶ back. Nothing of another pupil shows.
func TestFamilyWeek(t *testing.T) {
	a := newApp(t)
	user := a.guardian(demo.Dasha)
	dasha := a.pupils[demo.Dasha]
	a.school.Exec(`UPDATE grades SET comment = 'Ошибка в задаче 3' WHERE id = (
	               SELECT id FROM grades WHERE pupil_id = $1 AND graded_on BETWEEN '2026-11-23' AND '2026-11-24' ORDER BY id LIMIT 1)`, dasha)
	good := webapp.Sign(user, token, now)

	resp, body := a.get(webapp.Path+"home", good)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("home: %s\n%s", resp.Status, body)
	}
	for _, want := range []string{
		`<table class="week" data-child="` + strconv.FormatInt(dasha, 10) + `"`,
		`data-date="2026-11-23"`, `data-date="2026-11-27"`, // Monday to Friday
		`class="lesson"`, "Математика",
		"Фёдорова А. О. (замена)", "<s>", "отменён", "Учитель на курсах", // tomorrow's changes
		"§12, упр. 5, 6 и 7", "«Ошибка в задаче 3»", "Линейные уравнения",
		`nav class="tabs"`, `data-get="grades?child=`, `data-get="events?child=`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the week lacks %q", want)
		}
	}
	for _, other := range []string{"Ёлкин", "Пётр", "опоздание", "Нет спортивной формы", "Максим"} {
		if strings.Contains(body, other) {
			t.Errorf("Даша's week shows %q, another pupil's", other)
		}
	}
	if strings.Contains(body, `nav class="children"`) {
		t.Error("a family with one child gets a switcher")
	}

	prev := dataGet(t, body, "prev-week")
	if !strings.Contains(prev, "week=2026-11-16") {
		t.Errorf("◀ asks for %q", prev)
	}
	resp, last := a.get(webapp.Path+prev, good)
	if resp.StatusCode != http.StatusOK || !strings.Contains(last, `data-date="2026-11-22"`) || !strings.Contains(last, "болезнь") {
		t.Errorf("last week, with Sunday's absence: %s\n%s", resp.Status, last)
	}
	next := dataGet(t, last, "next-week")
	if _, back := a.get(webapp.Path+next, good); !strings.Contains(next, "week=2026-11-23") || !strings.Contains(back, "отменён") {
		t.Errorf("▶ from last week asks for %q", next)
	}
}

// A guardian of Даша asking for another child's screens, by a guessed id,
// gets 403 and none of that child's data; a tampered initData gets 401.
func TestFamilyForeignChild(t *testing.T) {
	a := newApp(t)
	good := webapp.Sign(a.guardian(demo.Dasha), token, now)
	petya := strconv.FormatInt(a.pupils[demo.Petya], 10)
	for _, path := range []string{"week?child=" + petya, "grades?child=" + petya, "events?child=" + petya,
		"chart?child=" + petya + "&class=1&term=1"} {
		resp, body := a.get(webapp.Path+path, good)
		if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Ёлкин") || strings.Contains(body, "Пётр") ||
			strings.Contains(body, "<table") || strings.Contains(body, "Математика") {
			t.Errorf("%s: %s\n%s", path, resp.Status, body)
		}
	}
	tampered := strings.Replace(good, "auth_date=", "auth_date=1", 1)
	dasha := strconv.FormatInt(a.pupils[demo.Dasha], 10)
	if resp, body := a.get(webapp.Path+"week?child="+dasha, tampered); resp.StatusCode != http.StatusUnauthorized || strings.Contains(body, "Математика") {
		t.Errorf("tampered: %s\n%s", resp.Status, body)
	}
}

// A family with two children switches between them; the week speaks the
// account's language (English here), as the bot does.
func TestFamilyChildrenAndLanguage(t *testing.T) {
	a := newApp(t)
	user := a.guardian(demo.Dasha)
	account := a.school.Insert(`SELECT account_id FROM account_links WHERE account_id = (SELECT id FROM accounts WHERE telegram_user_id = $1)`, user.ID)
	a.school.Link(diary.AccountID(account), diary.PersonID(a.pupils[demo.Maxim]), "guardian")
	a.school.Exec(`UPDATE accounts SET language = 'en' WHERE id = $1`, account) // as /settings sets it
	good := webapp.Sign(user, token, now)

	_, home := a.get(webapp.Path+"home", good)
	if !strings.Contains(home, "Children") || !strings.Contains(home, "Дарья") || !strings.Contains(home, "Максим") {
		t.Errorf("two children's home:\n%s", home)
	}
	maxim := strconv.FormatInt(a.pupils[demo.Maxim], 10)
	resp, body := a.get(webapp.Path+"week?child="+maxim, good)
	for _, want := range []string{`nav class="children"`, `data-get="week?child=` + maxim + `" class="active"`,
		">Week<", ">Grades<", ">Events<", "Thu, 26 November"} {
		if !strings.Contains(body, want) {
			t.Errorf("%s: Максим's week in English lacks %q", resp.Status, want)
		}
	}
	if strings.Contains(body, "Неделя") || strings.Contains(body, "отменён") { // 7А's changes are not 7Б's
		t.Errorf("Максим's week:\n%s", body)
	}
}

// The term's grades per subject, each with its chart: the <img> asks with
// initData in its address (it cannot send a header) and gets the bot's PNG;
// without it, 401.
func TestFamilyGradesChart(t *testing.T) {
	a := newApp(t)
	good := webapp.Sign(a.guardian(demo.Dasha), token, now)
	dasha := strconv.FormatInt(a.pupils[demo.Dasha], 10)
	resp, body := a.get(webapp.Path+"grades?child="+dasha, good)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<section class="subject">`) || !strings.Contains(body, "Математика") {
		t.Fatalf("grades: %s\n%s", resp.Status, body)
	}
	m := regexp.MustCompile(`<img class="chart" src="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no chart:\n%s", body)
	}
	src := strings.ReplaceAll(m[1], "&amp;", "&")
	resp, png := a.get(src, "")
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(png, "\x89PNG") {
		t.Errorf("the chart: %s %s", resp.Status, resp.Header.Get("Content-Type"))
	}
	u, _ := url.Parse(src)
	q := u.Query()
	q.Del("init")
	if resp, _ := a.get(u.Path+"?"+q.Encode(), ""); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("the chart without initData: %s", resp.Status)
	}
}

// The events screen answers a meeting through the diary's RSVP; once the
// link is revoked the answer is refused and stays as it was.
func TestFamilyRSVP(t *testing.T) {
	a := newApp(t)
	user := a.guardian(demo.Dasha)
	good := webapp.Sign(user, token, now)
	dasha := strconv.FormatInt(a.pupils[demo.Dasha], 10)
	_, body := a.get(webapp.Path+"events?child="+dasha, good)
	m := regexp.MustCompile(`data-post="rsvp" data-child="` + dasha + `" data-event="(\d+)" data-yes="1"`).FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "Родительское собрание 7А") {
		t.Fatalf("no RSVP buttons:\n%s", body)
	}
	event := m[1]
	resp, body := a.post(webapp.Path+"rsvp", good, url.Values{"child": {dasha}, "event": {event}, "yes": {"1"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "✅ Приду") {
		t.Errorf("RSVP yes: %s\n%s", resp.Status, body)
	}
	answer := func() string {
		var s string
		if err := a.school.DB.QueryRow(t.Context(), `SELECT answer FROM event_rsvps WHERE event_id = $1`, event).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	if got := answer(); got != "yes" {
		t.Errorf("stored answer %q", got)
	}
	a.school.Exec(`UPDATE account_links SET revoked_at = '2026-11-25 12:00Z', revoked_by = 'school'
	               WHERE account_id = (SELECT id FROM accounts WHERE telegram_user_id = $1)`, user.ID)
	resp, body = a.post(webapp.Path+"rsvp", good, url.Values{"child": {dasha}, "event": {event}, "yes": {"0"}})
	if resp.StatusCode != http.StatusForbidden || strings.Contains(body, "Родительское собрание") {
		t.Errorf("RSVP after revocation: %s\n%s", resp.Status, body)
	}
	if got := answer(); got != "yes" {
		t.Errorf("a revoked link changed the answer to %q", got)
	}
}

// The first load, as a phone opens the app: the page, its stylesheet and
// script, and the first screen (the week), gzipped, under 100 KB.
func TestFirstLoadUnder100KB(t *testing.T) {
	a := newApp(t)
	good := webapp.Sign(a.guardian(demo.Dasha), token, now)
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	fetch := func(path, initData string) int {
		req, _ := http.NewRequest(http.MethodGet, a.srv.URL+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if initData != "" {
			req.Header.Set(webapp.InitDataHeader, initData)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %s", path, resp.Status)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" { // under 1 KB: not worth it
			if len(raw) >= 1024 {
				t.Errorf("%s: %d bytes not gzipped", path, len(raw))
			}
			return len(raw)
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		plain, _ := io.ReadAll(zr)
		t.Logf("%s: %d bytes, %d gzipped", path, len(plain), len(raw))
		return len(raw)
	}
	_, page := a.get(webapp.Path, "")
	total := fetch(webapp.Path, "")
	for _, asset := range regexp.MustCompile(`"(`+regexp.QuoteMeta(webapp.Path)+`assets/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		total += fetch(asset[1], "")
	}
	total += fetch(webapp.Path+"home", good)
	t.Logf("first load: %d bytes gzipped", total)
	if total >= 100<<10 {
		t.Errorf("first load %d bytes, over 100 KB", total)
	}
}
