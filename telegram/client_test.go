package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	tg "github.com/go-telegram/bot"
)

// lockedBuffer is a log written by the client's goroutines while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// The client library's own errors (here, polling a Bot API that fails) go to
// our logger, in its format, not to the log package as text.
func TestClientErrorsFollowTheLogFormat(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"ok":false,"error_code":500,"description":"Internal Server Error"}`, http.StatusInternalServerError)
	}))
	defer api.Close()
	var logs lockedBuffer
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
