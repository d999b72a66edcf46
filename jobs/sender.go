package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
)

// Message is one message to send, with its entry in the delivery ledger.
type Message struct {
	Delivery diary.Delivery
	Text     string                       // Telegram HTML; a long one goes out in parts
	Keyboard *models.InlineKeyboardMarkup // under the last part; may be nil
}

// SenderConfig paces the sender. Zero values take the defaults.
type SenderConfig struct {
	// Rate is the messages per second of the whole bot, shared by every worker
	// process: 25 by default, 1000 with PaidBroadcast; below 0, no limit.
	Rate float64
	// ChatInterval is the least time between two messages to one chat: 1 s
	// by default; below 0, no limit.
	ChatInterval time.Duration
	// PaidBroadcast sends with allow_paid_broadcast, which Telegram lets go
	// faster than its free 30 messages a second, for a fee per message.
	PaidBroadcast bool
	Metrics       *Metrics     // may be nil
	Log           *slog.Logger // may be nil: slog.Default()
}

const (
	defaultRate         = 25   // under Telegram's 30 messages a second for a bot
	paidBroadcastRate   = 1000 // Telegram's most with allow_paid_broadcast
	defaultChatInterval = time.Second

	// maxSendTime bounds one Send, rate-limit waits included, well inside the
	// lease of its claim: a live sender never loses its claim to a retry.
	maxSendTime = diary.DeliveryLease / 2
	// recordTimeout bounds writing a send's outcome to the ledger.
	recordTimeout = 10 * time.Second
	// requestTimeout bounds one call to Telegram; one that hangs is retried.
	requestTimeout = 30 * time.Second
)

// Sender is the one way messages reach Telegram: once per ledger key, at the
// pace the rate limits allow, never to a person who blocked the bot.
type Sender struct {
	client  *bot.Bot
	store   *diary.Store
	limits  *rateLimiter
	paid    bool
	metrics *Metrics
	log     *slog.Logger
}

// NewSender returns a sender on the Telegram client, the ledger in store and
// the rate limits in rdb.
func NewSender(client *bot.Bot, store *diary.Store, rdb redis.UniversalClient, cfg SenderConfig) *Sender {
	rate := cfg.Rate
	if rate == 0 {
		rate = defaultRate
		if cfg.PaidBroadcast {
			rate = paidBroadcastRate
		}
	}
	globalInterval := time.Duration(float64(time.Second) / rate) // below 0 for a negative rate: no limit
	return &Sender{
		client:  client,
		store:   store,
		limits:  newRateLimiter(rdb, globalInterval, cmp.Or(cfg.ChatInterval, defaultChatInterval)),
		paid:    cfg.PaidBroadcast,
		metrics: cfg.Metrics,
		log:     cmp.Or(cfg.Log, slog.Default()),
	}
}

// Result is what became of a message.
type Result int

const (
	Sent        Result = iota + 1 // Telegram accepted it
	AlreadySent                   // the ledger has it sent: nothing was sent now
	Blocked                       // the person blocked the bot: nothing was sent
)

// Outcome is what became of a message, and the ids of the messages sent now.
type Outcome struct {
	Result     Result
	MessageIDs []int // one per part sent, in order
}

// RetryAfterError asks for the message to be sent again after Wait. It is not
// a failure: Telegram's flood control answered 429, or another attempt holds
// the delivery's claim.
type RetryAfterError struct {
	Wait time.Duration
}

func (e *RetryAfterError) Error() string { return fmt.Sprintf("send again in %v", e.Wait) }

// Why a send failed, as the ledger and the metrics record it.
const (
	reasonThrottled   = "throttled"   // 429: Telegram's flood control
	reasonBlocked     = "blocked"     // 403: the person blocked the bot
	reasonRejected    = "rejected"    // 400: Telegram will never take this message
	reasonUnavailable = "unavailable" // 5xx, a timeout, a network or Redis error: worth another try
)

// Send sends the message unless the ledger has it sent, splitting a text too
// long for one message at line boundaries. An error is either a
// *RetryAfterError or a failure to retry with backoff (see RetryDelay);
// a failure wrapping asynq.SkipRetry is not worth retrying.
func (s *Sender) Send(ctx context.Context, m Message) (Outcome, error) {
	d := m.Delivery
	parts := render.Split(m.Text, render.MessageLimit)
	if len(parts) == 0 {
		return Outcome{}, fmt.Errorf("delivery %s: empty text: %w", d.Key, asynq.SkipRetry)
	}
	ctx, cancel := context.WithTimeout(ctx, maxSendTime)
	defer cancel()
	if d.Account != 0 {
		blocked, err := s.store.Blocked(ctx, d.Account)
		if err != nil {
			return Outcome{}, err
		}
		if blocked {
			return Outcome{Result: Blocked}, s.recordBlocked(ctx, d)
		}
	}
	claimed, err := s.store.ClaimDelivery(ctx, d)
	if err != nil {
		return Outcome{}, err
	}
	if !claimed {
		return s.unclaimed(ctx, d)
	}
	ids, err := s.sendParts(ctx, m, parts)
	if err != nil {
		return s.failed(ctx, d, err)
	}
	rctx, rcancel := recording(ctx)
	defer rcancel()
	if err := s.store.DeliverySent(rctx, d.Key, ids); err != nil {
		return Outcome{}, err
	}
	s.metrics.countSent(d.Kind)
	return Outcome{Result: Sent, MessageIDs: ids}, nil
}

// recordBlocked leaves in the ledger that a delivery will not go out, the
// person having blocked the bot, so that "delivered N of M" comes to an end.
func (s *Sender) recordBlocked(ctx context.Context, d diary.Delivery) error {
	claimed, err := s.store.ClaimDelivery(ctx, d)
	if err != nil || !claimed {
		return err
	}
	s.metrics.countFailed(d.Kind, reasonBlocked)
	return s.store.DeliveryFailed(ctx, d.Key, reasonBlocked)
}

// Edit replaces the text of a message the bot sent (the author's "delivered N
// of M"), at the pace the rate limits allow. An edit to the same text is no
// error.
func (s *Sender) Edit(ctx context.Context, chatID int64, messageID int, text string) error {
	if err := s.limits.wait(ctx, chatID); err != nil {
		return err
	}
	_, err := s.client.EditMessageText(ctx, &bot.EditMessageTextParams{ChatID: chatID, MessageID: messageID, Text: text,
		ParseMode: models.ParseModeHTML})
	if err == nil || strings.Contains(err.Error(), "message is not modified") {
		return nil
	}
	err = fmt.Errorf("edit message %d in chat %d: %w", messageID, chatID, err)
	switch reason, wait := telegramFailure(err); reason {
	case reasonThrottled:
		return &RetryAfterError{Wait: wait}
	case reasonBlocked, reasonRejected:
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

// unclaimed tells why a delivery could not be claimed: it went out already,
// or another attempt holds it, and then this one must come back when that
// claim runs out, in case its sender died.
func (s *Sender) unclaimed(ctx context.Context, d diary.Delivery) (Outcome, error) {
	st, err := s.store.DeliveryState(ctx, d.Key)
	if err != nil {
		return Outcome{}, err
	}
	if st.Sent {
		return Outcome{Result: AlreadySent}, nil
	}
	return Outcome{}, &RetryAfterError{Wait: max(st.HeldUntil.Sub(s.store.Now()), time.Second)}
}

// sendParts sends the parts of a claimed message in order and returns the ids
// of those sent now. A message of several parts leaves a receipt for each
// part sent, and skips the parts an earlier attempt sent.
func (s *Sender) sendParts(ctx context.Context, m Message, parts []string) ([]int, error) {
	d := m.Delivery
	first := 0
	if len(parts) > 1 {
		sent, err := s.store.PartsSent(ctx, d.Key, len(parts))
		if err != nil {
			return nil, err
		}
		first = sent
	}
	var ids []int
	for i := first; i < len(parts); i++ {
		var keyboard *models.InlineKeyboardMarkup
		if i == len(parts)-1 {
			keyboard = m.Keyboard
		}
		id, err := s.sendText(ctx, d.ChatID, parts[i], keyboard)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
		if len(parts) > 1 {
			rctx, cancel := recording(ctx)
			err := s.store.PartSent(rctx, d, i+1, id)
			cancel()
			if err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}

// sendText sends one message when the rate limits allow.
func (s *Sender) sendText(ctx context.Context, chatID int64, text string, keyboard *models.InlineKeyboardMarkup) (int, error) {
	if err := s.limits.wait(ctx, chatID); err != nil {
		return 0, err
	}
	params := &bot.SendMessageParams{ChatID: chatID, Text: text, ParseMode: models.ParseModeHTML, AllowPaidBroadcast: s.paid}
	if keyboard != nil { // a nil pointer in the interface would be sent as a keyboard
		params.ReplyMarkup = keyboard
	}
	msg, err := s.client.SendMessage(ctx, params)
	if err != nil {
		return 0, err
	}
	return msg.ID, nil
}

// failed releases the claim of a send that did not go through, so that a
// retry may claim it at once, and says what the task should do next.
func (s *Sender) failed(ctx context.Context, d diary.Delivery, sendErr error) (Outcome, error) {
	ctx, cancel := recording(ctx)
	defer cancel()
	switch reason, wait := telegramFailure(sendErr); reason {
	case reasonThrottled:
		s.metrics.countThrottled()
		s.log.Warn("telegram throttled a send", "delivery", d.Key, "retry_after", wait)
		return Outcome{}, s.release(ctx, d, reason, &RetryAfterError{Wait: wait})
	case reasonBlocked:
		s.metrics.countFailed(d.Kind, reason)
		s.log.Info("the person blocked the bot", "account", d.Account, "chat", d.ChatID, "delivery", d.Key)
		var err error
		if d.Account != 0 {
			err = s.store.MarkBlocked(ctx, d.Account)
		}
		return Outcome{Result: Blocked}, s.release(ctx, d, reason, err)
	case reasonRejected:
		s.metrics.countFailed(d.Kind, reason)
		return Outcome{}, s.release(ctx, d, reason, fmt.Errorf("delivery %s rejected: %w: %w", d.Key, sendErr, asynq.SkipRetry))
	default:
		s.metrics.countRetried(d.Kind)
		return Outcome{}, s.release(ctx, d, reason, fmt.Errorf("delivery %s: %w", d.Key, sendErr))
	}
}

// telegramFailure sorts an error of a call to Telegram by what to do about
// it: reasonThrottled with the wait Telegram asked for, reasonBlocked,
// reasonRejected (never worth another try), or reasonUnavailable.
func telegramFailure(err error) (reason string, wait time.Duration) {
	var tooMany *bot.TooManyRequestsError
	switch {
	case errors.As(err, &tooMany):
		return reasonThrottled, time.Duration(tooMany.RetryAfter) * time.Second
	case errors.Is(err, bot.ErrorForbidden):
		return reasonBlocked, 0
	case errors.Is(err, bot.ErrorBadRequest) || bot.IsMigrateError(err):
		return reasonRejected, 0
	}
	return reasonUnavailable, 0
}

// release records the delivery failed for the reason and returns then, with
// the ledger's error if that fails too.
func (s *Sender) release(ctx context.Context, d diary.Delivery, reason string, then error) error {
	return errors.Join(then, s.store.DeliveryFailed(ctx, d.Key, reason))
}

// recording returns a context to write a send's outcome to the ledger with.
// It outlives ctx: a send cut short by a shutdown or its deadline must still
// release its claim, and one Telegram accepted must still be recorded.
func recording(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
}

// NewHTTPClient returns the HTTP client to give the sender's Telegram client
// (bot.WithHTTPClient). net/http's default keeps two idle connections to a
// host, so concurrent sends would each open a connection of their own (a TLS
// handshake with Telegram) and leave thousands of sockets in TIME_WAIT.
func NewHTTPClient() *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: transport, Timeout: requestTimeout}
}

// IsFailure tells asynq which errors count against a task's retries: all but
// a *RetryAfterError. Use it as asynq.Config.IsFailure.
func IsFailure(err error) bool {
	var wait *RetryAfterError
	return !errors.As(err, &wait)
}

// Backoff of failed sends: doubling from baseRetryDelay up to maxRetryDelay.
const (
	baseRetryDelay = 2 * time.Second
	maxRetryDelay  = 10 * time.Minute
)

// RetryDelay is how long asynq waits before retrying the nth time (from 0):
// a *RetryAfterError's Wait, else a backoff doubling from 2 s up to 10 min,
// with random jitter of up to half of it so retries of a batch spread out.
// Use it as asynq.Config.RetryDelayFunc.
func RetryDelay(n int, err error, _ *asynq.Task) time.Duration {
	var wait *RetryAfterError
	if errors.As(err, &wait) {
		return wait.Wait
	}
	backoff := min(baseRetryDelay<<min(n, 20), maxRetryDelay)
	return backoff/2 + rand.N(backoff/2+1)
}
