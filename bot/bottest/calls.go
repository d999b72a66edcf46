package bottest

import (
	"context"
	"fmt"
	"time"
)

// Call is one Bot API request the fake answered.
type Call struct {
	Method  string
	Params  map[string]string // form fields; JSON ones (reply_markup, commands, scope) as sent
	Files   map[string]File   // uploads, by field name
	Time    time.Time         // when it arrived
	Status  int               // the HTTP status answered: 200, or the error_code
	Error   string            // the description of a refusal
	Message *Message          // the message a successful send or edit left
}

// subscriptionBuffer is how far a subscriber may fall behind before calls are dropped for it.
const subscriptionBuffer = 1024

// userVisible are the methods whose calls a user sees, which Subscribe delivers.
var userVisible = map[string]bool{
	"sendMessage":            true,
	"sendDocument":           true,
	"sendPhoto":              true,
	"editMessageText":        true,
	"editMessageReplyMarkup": true,
	"deleteMessage":          true,
	"answerCallbackQuery":    true,
}

func (s *Server) record(call Call) {
	s.mu.Lock()
	observe := s.observer
	defer func() {
		s.mu.Unlock()
		if observe != nil {
			observe(call)
		}
	}()
	if !s.forget {
		s.calls = append(s.calls, call)
	}
	if userVisible[call.Method] {
		for _, sub := range s.subscribers {
			select {
			case sub <- call:
			default: // a stalled reader must not stall the bot
			}
		}
	}
	s.notify()
}

// Observe has f see every call as it is answered, in the goroutine that
// answered it (so f must be safe for concurrent use and quick). With forget,
// the fake stops keeping calls for Calls, WaitCalls and Throttled, so that a
// load test of tens of thousands of sends counts them without holding them.
func (s *Server) Observe(f func(Call), forget bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.observer, s.forget = f, forget
}

// Calls returns the calls of method in the order they arrived; "" returns all calls.
func (s *Server) Calls(method string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var calls []Call
	for _, c := range s.calls {
		if method == "" || c.Method == method {
			calls = append(calls, c)
		}
	}
	return calls
}

// Subscribe returns a channel that receives every call a user would see
// (sends, edits, deletions, callback answers), refused ones included, as it
// is answered. The channel holds subscriptionBuffer calls; when it is full,
// calls are dropped for it rather than held up. Close closes it.
func (s *Server) Subscribe() <-chan Call {
	sub := make(chan Call, subscriptionBuffer)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx.Err() != nil {
		close(sub)
		return sub
	}
	s.subscribers = append(s.subscribers, sub)
	return sub
}

// WaitFor waits until done returns true, checking it again after every change
// of state: each call answered, each update sent or taken. It fails after
// timeout or when the server closes. done must not block.
func (s *Server) WaitFor(timeout time.Duration, done func() bool) error {
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	if err := s.await(ctx, done); err != nil {
		return fmt.Errorf("bottest: waited %v: %w", timeout, err)
	}
	return nil
}

// WaitSent waits until the bot has at least n messages in a chat and returns them all.
func (s *Server) WaitSent(chatID int64, n int, timeout time.Duration) ([]Message, error) {
	return waitCount(s, timeout, n, fmt.Sprintf("messages in chat %d", chatID), func() []Message { return s.Sent(chatID) })
}

// WaitCalls waits until there are at least n calls of method and returns them all.
func (s *Server) WaitCalls(method string, n int, timeout time.Duration) ([]Call, error) {
	return waitCount(s, timeout, n, method+" calls", func() []Call { return s.Calls(method) })
}

func waitCount[T any](s *Server, timeout time.Duration, n int, what string, list func() []T) ([]T, error) {
	var items []T
	err := s.WaitFor(timeout, func() bool {
		items = list()
		return len(items) >= n
	})
	if err != nil {
		return items, fmt.Errorf("have %d %s, want %d: %w", len(items), what, n, err)
	}
	return items, nil
}
