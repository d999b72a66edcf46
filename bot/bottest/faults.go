package bottest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// Fault is how the fake misbehaves for a call; see FailNext.
type Fault struct {
	Status      int           // the HTTP status and error_code to answer; 0 answers normally, after Delay
	Description string        // defaults to the status's name
	RetryAfter  int           // seconds, sent as parameters.retry_after
	ChatID      int64         // when set, only calls for this chat_id take the fault
	Delay       time.Duration // how long to wait before answering
	// Lost: the call takes effect (a message is accepted) and its answer never
	// comes: the fake holds the request until the client gives up.
	Lost bool
}

// RetryAfter is Telegram's flood control: 429, retry after so many seconds.
func RetryAfter(seconds int) Fault {
	return Fault{
		Status:      http.StatusTooManyRequests,
		Description: fmt.Sprintf("Too Many Requests: retry after %d", seconds),
		RetryAfter:  seconds,
	}
}

// Blocked is the answer to a send to someone who blocked the bot.
func Blocked() Fault {
	return Fault{Status: http.StatusForbidden, Description: "Forbidden: bot was blocked by the user"}
}

// ServerError is Telegram failing on its side.
func ServerError() Fault {
	return Fault{Status: http.StatusInternalServerError, Description: "Internal Server Error"}
}

// Delayed answers normally, after d.
func Delayed(d time.Duration) Fault {
	return Fault{Delay: d}
}

// LostAnswer is Telegram accepting a message and the connection dying before
// its answer: the client cannot know the message went out.
func LostAnswer() Fault {
	return Fault{Lost: true}
}

// InChat limits f to calls for one chat.
func (f Fault) InChat(chatID int64) Fault {
	f.ChatID = chatID
	return f
}

// Always, as FailNext's n, keeps a fault until ClearFaults.
const Always = -1

type queuedFault struct {
	Fault
	left int // calls still to take it; Always never runs out
}

// FailNext answers the next n calls of method with f. Faults queued for one
// method are taken in order: a call takes the first that applies to its chat.
func (s *Server) FailNext(method string, n int, f Fault) {
	if n == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[method] = append(s.faults[method], &queuedFault{Fault: f, left: n})
}

// ClearFaults drops the faults not taken yet.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.faults)
}

// applyFault takes the call's fault, if one is queued, waits out its delay and
// returns its refusal, or whether the answer to the call is to be lost.
func (s *Server) applyFault(req *request, method string) (lost bool, err error) {
	chatID, _ := strconv.ParseInt(req.params["chat_id"], 10, 64) // a bad one matches no chat's fault
	f, ok := s.takeFault(method, chatID)
	if !ok {
		if f, ok = s.chaosFault(method); !ok {
			return false, nil
		}
	}
	if err := wait(req.ctx, f.Delay); err != nil {
		return false, fmt.Errorf("delayed answer: %w", err)
	}
	if f.Status == 0 {
		return f.Lost, nil
	}
	return false, f.refusal()
}

func (f Fault) refusal() *apiError {
	return &apiError{status: f.Status, description: cmp.Or(f.Description, http.StatusText(f.Status)), retryAfter: f.RetryAfter}
}

func (s *Server) takeFault(method string, chatID int64) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	queue := s.faults[method]
	for i, q := range queue {
		if q.ChatID != 0 && q.ChatID != chatID {
			continue
		}
		if q.left > 0 {
			q.left--
			if q.left == 0 {
				s.faults[method] = slices.Delete(queue, i, i+1)
			}
		}
		return q.Fault, true
	}
	return Fault{}, false
}

// SetRateLimit makes sendMessage, sendDocument and sendPhoto refuse with 429 beyond
// overall messages per second in total, or perChat per second to one chat,
// as Telegram's flood control does; 0 lifts a limit.
//
// The limit is a sliding window: a send is refused when the sends accepted in
// the second before it already reach the limit, and retry_after says when the
// oldest of them leaves the window. So no one-second span ever holds more than
// the limit, and a sender pacing itself below it never sees a 429. Refused
// sends do not count. A client token bucket must keep its burst within the limit.
func (s *Server) SetRateLimit(overall, perChat int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limit = rateLimit{overall: overall, perChat: perChat}
}

// SetLatency makes every call take d longer, half on the way in (before the
// call takes effect and counts against the rate limit) and half on the way
// back, as Telegram's round trip over a real network does (about 100 ms); 0
// answers at once.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) roundTrip() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.latency
}

// wait waits for d, or less if ctx ends first.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Throttled counts the calls answered 429, by a fault or by the rate limit.
func (s *Server) Throttled() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Status == http.StatusTooManyRequests {
			n++
		}
	}
	return n
}

type rateLimit struct {
	overall, perChat int
	sent             window
	sentToChat       map[int64]*window
}

// allow accepts a send to chatID at now, or refuses it with a 429.
func (l *rateLimit) allow(chatID int64, now time.Time) error {
	if l.overall <= 0 && l.perChat <= 0 {
		return nil
	}
	if l.sentToChat == nil {
		l.sentToChat = map[int64]*window{}
	}
	chat, ok := l.sentToChat[chatID]
	if !ok {
		chat = &window{}
		l.sentToChat[chatID] = chat
	}
	wait := max(l.sent.wait(now, l.overall), chat.wait(now, l.perChat))
	if wait > 0 {
		return RetryAfter(max(1, int(math.Ceil(wait.Seconds())))).refusal()
	}
	l.sent.add(now)
	chat.add(now)
	return nil
}

// window holds the times of the sends accepted within the last second, oldest first.
type window struct{ times []time.Time }

// wait forgets sends older than a second and returns how long until one more
// fits under limit: 0 if it fits now or limit is 0.
func (w *window) wait(now time.Time, limit int) time.Duration {
	cutoff := now.Add(-time.Second)
	expired := 0
	for expired < len(w.times) && !w.times[expired].After(cutoff) {
		expired++
	}
	w.times = slices.Delete(w.times, 0, expired)
	if limit <= 0 || len(w.times) < limit {
		return 0
	}
	return w.times[len(w.times)-limit].Add(time.Second).Sub(now)
}

func (w *window) add(t time.Time) { w.times = append(w.times, t) }
