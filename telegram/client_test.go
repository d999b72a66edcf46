package telegram

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
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
