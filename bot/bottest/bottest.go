// Package bottest is a fake Telegram Bot API served over HTTP, for tests and the demo.
//
// Point the real go-telegram/bot client at it, play the user with SendText and
// PressButton, and assert on what the bot sent; wait on conditions, never sleep:
//
//	fake := bottest.New("123:secret")
//	defer fake.Close()
//	b, _ := bot.New("123:secret", bot.WithServerURL(fake.URL()), bot.WithDefaultHandler(reply))
//	go b.Start(ctx)
//	parent := bottest.User{ID: 42, FirstName: "Anna", LanguageCode: "ru"}
//	fake.SendText(parent, "/start CODE")
//	msgs, err := fake.WaitSent(parent.ID, 1, time.Second)
//	queryID, err := fake.PressButton(parent, msgs[0], "grades")
//	calls, err := fake.WaitCalls("answerCallbackQuery", 1, time.Second)
//
// Faults (FailNext, SetRateLimit) make the fake answer 429, 403 or 5xx like
// Telegram. It checks what Telegram would refuse of Dnevnik's calls: text
// length (counted in runes), callback_data size, HTML markup, edits that change
// nothing. It differs from Telegram where tests need it to: any webhook URL is
// fine, chats are known by number only, Markdown is not checked, and messages
// come back with their plain text but without formatting entities.
package bottest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-telegram/bot/models"
)

// Server is the fake Bot API. It is safe for concurrent use.
type Server struct {
	token string
	bot   models.User
	http  *httptest.Server

	ctx       context.Context // ends on Close; long polls, delays and webhook delivery stop with it
	cancel    context.CancelFunc
	delivered chan struct{} // closed when webhook delivery has stopped
	closeOnce sync.Once

	mu             sync.Mutex
	changed        chan struct{} // closed and replaced on every change of state, to wake waiters
	calls          []Call
	observer       func(Call) // sees every call; see Observe
	forget         bool       // calls are not kept; see Observe
	subscribers    []chan Call
	chats          map[int64]*chat
	files          map[string]File // documents and photos by the file_id the fake gave them
	pending        []models.Update // updates the bot has not confirmed yet, oldest first
	lastUpdateID   int64
	lastQueryID    int64
	openQueries    map[string]bool // callback queries not answered yet
	pollGeneration int64           // bumped by each getUpdates; an older long poll then ends with 409
	webhook        webhook
	commands       map[commandKey][]models.BotCommand
	menuButton     models.MenuButton // the default one; see MenuButton
	faults         map[string][]*queuedFault
	chaos          *chaos // random faults of sendMessage; nil: none
	limit          rateLimit
	latency        time.Duration // Telegram's round trip; see SetLatency
}

// handlers are the Bot API methods the fake knows, by name.
var handlers = map[string]func(*Server, *request) (any, error){
	"getMe":                  (*Server).getMe,
	"getUpdates":             (*Server).getUpdates,
	"setWebhook":             (*Server).setWebhook,
	"deleteWebhook":          (*Server).deleteWebhook,
	"getWebhookInfo":         (*Server).getWebhookInfo,
	"sendMessage":            (*Server).sendMessage,
	"sendDocument":           (*Server).sendDocument,
	"sendPhoto":              (*Server).sendPhoto,
	"editMessageText":        (*Server).editMessageText,
	"editMessageReplyMarkup": (*Server).editMessageReplyMarkup,
	"deleteMessage":          (*Server).deleteMessage,
	"answerCallbackQuery":    (*Server).answerCallbackQuery,
	"leaveChat":              (*Server).leaveChat,
	"setMyCommands":          (*Server).setMyCommands,
	"setChatMenuButton":      (*Server).setChatMenuButton,
}

// New starts a fake that accepts token. The bot's user id is the token's number
// before the colon, as in Telegram.
func New(token string) *Server {
	ctx, cancel := context.WithCancel(context.Background())
	botID, _ := strconv.ParseInt(strings.Split(token, ":")[0], 10, 64)
	s := &Server{
		token:       token,
		bot:         models.User{ID: botID, IsBot: true, FirstName: "Dnevnik", Username: "dnevnik_test_bot"},
		ctx:         ctx,
		cancel:      cancel,
		delivered:   make(chan struct{}),
		changed:     make(chan struct{}),
		chats:       map[int64]*chat{},
		files:       map[string]File{},
		openQueries: map[string]bool{},
		commands:    map[commandKey][]models.BotCommand{},
		faults:      map[string][]*queuedFault{},
	}
	s.http = httptest.NewServer(http.HandlerFunc(s.handle))
	go s.deliverUpdates()
	return s
}

// URL is the address to give bot.WithServerURL.
func (s *Server) URL() string { return s.http.URL }

// Close ends pending long polls and webhook delivery, stops the server and
// closes the Subscribe channels. It may be called more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		s.http.Close()
		<-s.delivered
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, sub := range s.subscribers {
			close(sub)
		}
		s.subscribers = nil
	})
}

// handle answers one Bot API call at /bot{token}/{method} and records it.
func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := s.bind(r.Context())
	defer cancel()
	half := s.roundTrip() / 2
	if wait(ctx, half) != nil {
		return // the client gave up on the way
	}
	call := Call{Time: time.Now()}
	result, err := s.serve(ctx, r, &call)
	_ = wait(ctx, half) // the answer's way back; a client gone meanwhile reads nothing

	resp := response{OK: err == nil, Result: result}
	call.Status = http.StatusOK
	if err != nil {
		apiErr := asAPIError(err)
		call.Status, call.Error = apiErr.status, apiErr.description
		resp.ErrorCode, resp.Description = apiErr.status, apiErr.description
		if apiErr.retryAfter > 0 {
			resp.Parameters = &responseParameters{RetryAfter: apiErr.retryAfter}
		}
	}
	s.record(call)

	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(call.Status)
	_ = json.NewEncoder(w).Encode(resp) // the client may be gone; nothing to do about it
}

func (s *Server) serve(ctx context.Context, r *http.Request, call *Call) (any, error) {
	path, isAPI := strings.CutPrefix(r.URL.Path, "/bot")
	token, method, found := strings.Cut(path, "/")
	call.Method = method
	if !isAPI || !found {
		return nil, &apiError{status: http.StatusNotFound, description: "Not Found"}
	}
	if token != s.token {
		return nil, &apiError{status: http.StatusUnauthorized, description: "Unauthorized"}
	}
	answer, ok := handlers[method]
	if !ok {
		return nil, &apiError{status: http.StatusNotFound, description: "Not Found: method not found"}
	}
	params, files, err := readParams(r)
	if err != nil {
		return nil, err
	}
	call.Params, call.Files = params, files
	req := &request{ctx: ctx, params: params, files: files}
	lost, err := s.applyFault(req, method)
	if err != nil {
		return nil, err
	}
	result, err := answer(s, req)
	if msg, ok := result.(Message); ok { // kept for the record, shown as the Bot API shows it
		call.Message = &msg
		result = s.apiMessage(msg)
	}
	if lost {
		<-ctx.Done() // the client gives up; the answer goes nowhere
		return nil, fmt.Errorf("answer lost: %w", ctx.Err())
	}
	return result, err
}

// bind returns a context that ends with ctx or when the server closes, so that
// no handler or waiter outlives Close.
func (s *Server) bind(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(s.ctx, cancel)
	return ctx, func() {
		stop()
		cancel()
	}
}

// notify wakes everyone waiting for a change of state. Call it with mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// await blocks until check returns true or ctx ends, re-running check after
// every change of state. check runs without mu held.
func (s *Server) await(ctx context.Context, check func() bool) error {
	for {
		s.mu.Lock()
		changed := s.changed // taken before check, so no change slips in between
		s.mu.Unlock()
		if check() {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (s *Server) getMe(*request) (any, error) {
	return s.bot, nil
}

type response struct {
	OK          bool                `json:"ok"`
	Result      any                 `json:"result,omitempty"`
	ErrorCode   int                 `json:"error_code,omitempty"`
	Description string              `json:"description,omitempty"`
	Parameters  *responseParameters `json:"parameters,omitempty"`
}

type responseParameters struct {
	RetryAfter int `json:"retry_after"`
}

// apiError is a refusal the way Telegram words it.
type apiError struct {
	status      int
	description string
	retryAfter  int // seconds, for a 429
}

func (e *apiError) Error() string { return e.description }

// asAPIError turns any handler error into an answer; one that is not already
// a Telegram refusal (a client gone mid-delay, say) becomes a 500.
func asAPIError(err error) *apiError {
	var apiErr *apiError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	return &apiError{status: http.StatusInternalServerError, description: "Internal Server Error: " + err.Error()}
}

func badRequest(description string) *apiError {
	return &apiError{status: http.StatusBadRequest, description: "Bad Request: " + description}
}
