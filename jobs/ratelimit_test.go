package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/jobs"
)

// sendAll sends the messages, workers at a time per sender, the messages
// dealt out to the senders in turn, and returns how long it took.
func sendAll(t *testing.T, senders []*jobs.Sender, workers int, messages []letter) time.Duration {
	t.Helper()
	queue := make(chan letter, len(messages))
	for _, m := range messages {
		queue <- m
	}
	close(queue)
	start := time.Now()
	var wg sync.WaitGroup
	for _, s := range senders {
		for range workers {
			wg.Go(func() {
				for m := range queue {
					if out, err := s.Send(context.Background(), m.row, m.msg); err != nil || out.Result != jobs.Sent {
						t.Errorf("Send %s = %+v, %v", m.row.Key, out, err)
					}
				}
			})
		}
	}
	wg.Wait()
	return time.Since(start)
}

// arrivals returns when the fake received the messages to a chat.
func arrivals(fake *bottest.Server, chat int64) []time.Time {
	var times []time.Time
	for _, c := range fake.Calls("sendMessage") {
		if c.Params["chat_id"] == fmt.Sprint(chat) {
			times = append(times, c.Time)
		}
	}
	return times
}

func TestRateOneMessagePerChatInterval(t *testing.T) {
	h := newHarness(t)
	const interval = 400 * time.Millisecond
	// The limiter grants slots interval apart; the HTTP request after it may
	// take a little longer one time than the next (the first opens a connection).
	const jitter = 10 * time.Millisecond
	s := h.sender(jobs.SenderConfig{ChatInterval: interval})
	a, b := h.message("a:0", "a"), h.message("b:0", "b")
	messages := []letter{a, b}
	for i := 1; i < 3; i++ {
		for _, to := range []letter{a, b} {
			messages = append(messages, h.messageTo(to.row.Account, fmt.Sprintf("%s:%d", to.row.Key, i), to.msg.Text))
		}
	}

	took := sendAll(t, []*jobs.Sender{s}, len(messages), messages)

	first := map[int64]time.Time{}
	for _, chat := range []int64{a.row.ChatID, b.row.ChatID} {
		times := arrivals(h.fake, chat)
		if len(times) != 3 {
			t.Fatalf("chat %d got %d messages", chat, len(times))
		}
		slices.SortFunc(times, time.Time.Compare)
		for i := 1; i < len(times); i++ {
			if gap := times[i].Sub(times[i-1]); gap < interval-jitter {
				t.Errorf("chat %d: messages %v apart", chat, gap)
			}
		}
		first[chat] = times[0]
	}
	// Three to each chat take two intervals; waiting for each other, six would take five.
	if apart := first[a.row.ChatID].Sub(first[b.row.ChatID]).Abs(); apart > interval/2 || took > 4*interval {
		t.Errorf("the chats held each other back: first messages %v apart, all sent in %v", apart, took)
	}
}

// Two worker processes share the global limit: 60 messages at 30 a second
// take two seconds, less the first message's slot.
func TestRateGlobalLimitSharedByTwoProcesses(t *testing.T) {
	h := newHarness(t)
	cfg := jobs.SenderConfig{Rate: 30}
	var messages []letter
	for i := range 60 {
		messages = append(messages, h.message(fmt.Sprintf("grade:%d", i), "5"))
	}

	took := sendAll(t, []*jobs.Sender{h.sender(cfg), h.sender(cfg)}, 8, messages)

	if n := len(h.fake.Calls("sendMessage")); n != 60 {
		t.Fatalf("%d messages sent", n)
	}
	if took < 1900*time.Millisecond || took > 3*time.Second {
		t.Errorf("60 messages at 30/s by two processes took %v, want about 2 s", took)
	}
}
