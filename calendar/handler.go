package calendar

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// Path is where the feeds are served: Path, the token, ".ics".
const Path = "/calendar/"

// Feeds is what the handler needs of the diary; *diary.Store is one.
type Feeds interface {
	CalendarFeed(ctx context.Context, token string) (diary.Calendar, error)
	Now() time.Time
}

// tokenPattern is a token as diary.Store.NewCalendarToken makes it (32 bytes,
// base64url): anything else is answered 404 without asking the database.
var tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// Handler serves the feeds at Path. An unknown token, a token replaced by a
// new one and an account that may see no child now are all 404, alike. The
// UIDs of the feed's events end in @domain. Logs never carry the token.
func Handler(feeds Feeds, domain string, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+Path+"{file}", func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
		if !ok || !tokenPattern.MatchString(token) {
			http.NotFound(w, r)
			return
		}
		c, err := feeds.CalendarFeed(r.Context(), token)
		if diary.ErrorCode(err) == diary.ENOTFOUND {
			http.NotFound(w, r)
			return
		}
		var body bytes.Buffer
		if err == nil {
			err = Write(&body, c, domain, feeds.Now())
		}
		if err != nil {
			log.Error("calendar feed", "err", err)
			http.Error(w, "the calendar is unavailable, try again later", http.StatusServiceUnavailable)
			return
		}
		etag := etagOf(body.Bytes())
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "private, no-cache")
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "text/calendar; charset=utf-8")
		h.Set("Content-Disposition", `inline; filename="dnevnik.ics"`)
		_, _ = w.Write(body.Bytes())
	})
	return mux
}

// etagOf is the feed's ETag: a hash of everything but the DTSTAMP lines,
// which say when the feed was made and change every time, so that an app
// asking again for an unchanged diary gets 304.
func etagOf(feed []byte) string {
	h := sha256.New()
	lines := bufio.NewScanner(bytes.NewReader(feed))
	for lines.Scan() {
		if !bytes.HasPrefix(lines.Bytes(), []byte("DTSTAMP")) {
			h.Write(lines.Bytes())
			h.Write([]byte{'\n'})
		}
	}
	return `"` + base64.RawURLEncoding.EncodeToString(h.Sum(nil)[:16]) + `"`
}
