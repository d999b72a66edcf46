package telegram

import (
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary/diarytest"
	tg "github.com/go-telegram/bot"
)

// The client library's own errors (here, polling a Bot API that fails) go to
// our logger, in its format, not to the log package as text.
func TestClientErrorsFollowTheLogFormat(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`, http.StatusInternalServerError)
	}))
	defer api.Close()
	var logs diarytest.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	client, err := tg.New("1:token", ClientOptions(api.URL, time.Second, log)...)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	client.Start(ctx)
	out := strings.TrimSpace(logs.String())
	if !strings.Contains(out, `"msg":"telegram client"`) {
		t.Fatalf("no error of the client in the log: %q", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("not a JSON line: %q", line)
		}
	}
}

// Calls made at once keep their connections for the next ones: net/http's
// default would keep two and open the rest anew each time (a TLS handshake
// with Telegram each).
func TestClientReusesConnections(t *testing.T) {
	var opened atomic.Int64
	api := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(20 * time.Millisecond) // the calls overlap
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true,"result":{"message_id":1,"date":1,"chat":{"id":1,"type":"private"}}}`))
	}))
	api.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			opened.Add(1)
		}
	}
	api.Start()
	defer api.Close()
	client, err := tg.New("1:token", ClientOptions(api.URL, 0, slog.New(slog.DiscardHandler))...)
	if err != nil {
		t.Fatal(err)
	}
	const atOnce, rounds = 40, 5
	for range rounds {
		var wg sync.WaitGroup
		for range atOnce {
			wg.Go(func() {
				if _, err := client.SendMessage(context.Background(), &tg.SendMessageParams{ChatID: 1, Text: "hi"}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	if n := opened.Load(); n > atOnce+atOnce/4 {
		t.Errorf("%d rounds of %d calls at once opened %d connections", rounds, atOnce, n)
	}
}
