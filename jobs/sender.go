package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"math/rand/v2"
	"time"

	"github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// Message is what an outbox message says, rendered when it is sent.
type Message struct {
	Text     string                       // Telegram HTML; a long one goes out in parts
	Keyboard *models.InlineKeyboardMarkup // under the last part; may be nil
	// ReplyTo is the message in the recipient's chat the first part answers
	// (a teacher's answer to the family's question); 0 for none.
	ReplyTo int
}

// SenderConfig paces the sender. Zero values take the defaults.
type SenderConfig struct {
	// Rate is the messages per second of the whole bot, shared by every worker
	// process: DefaultRate by default; below 0, no limit.
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

// Telegram's limits on a bot's messages a second: its free limit, and with
// allow_paid_broadcast (a fee for each message above the free limit).
const (
	FreeLimit = 30
	PaidLimit = 1000
)

// arrivalJitter is how much later after its slot a message may reach
// Telegram than a message sent a second after it, without a 429; see
// DefaultRate.
const arrivalJitter = 25 * time.Millisecond

// Limit is Telegram's limit for a bot that pays for broadcasts or not.
func Limit(paid bool) float64 {
	if paid {
		return PaidLimit
	}
	return FreeLimit
}

// DefaultRate is the rate to send at under Telegram's limit. Telegram counts
// the messages that reach it within any one second, so sending at the limit
// itself is refused whenever a message arrives a little later after its slot
// than one sent a second after it does (the network, the scheduler, a pause
// of the collector): 28 of 900 were, at 30 a second over a 100 ms round trip.
// Spaced so that a limit's worth of messages spans a second and
// arrivalJitter, none is refused unless one arrives 25 ms later than the
// message a second after it: 29.27 a second (97.6 % of the free limit),
// 975.6 paid. The sender's own part of that lateness is bounded (maxLate in
// ratelimit.go); the rest is the network's. BenchmarkSenderAtTelegramLimit and BenchmarkSenderPaidBroadcast
// show it.
func DefaultRate(paid bool) float64 { return Limit(paid) / (1 + arrivalJitter.Seconds()) }

const (
	defaultChatInterval = time.Second

	// maxSendTime bounds one Send from its claim, rate-limit waits included,
	// well inside the claim's lease: a live sender never loses its claim to a
	// retry.
	maxSendTime = diary.MessageLease * 2 / 3
	// recordTimeout bounds writing a send's outcome to the outbox.
	recordTimeout = 10 * time.Second
)

// Sender is the one way messages reach Telegram: each outbox message once
// (but for uncertain sends, see Send), at the pace the rate limits allow.
type Sender struct {
	client   *bot.Bot
	store    Outbox
	limits   *rateLimiter
	inFlight *inFlight
	paid     bool
	metrics  *Metrics
	log      *slog.Logger
}

// NewSender returns a sender on the Telegram client, the outbox in store and
// the rate limits in rdb.
func NewSender(client *bot.Bot, store Outbox, rdb redis.UniversalClient, cfg SenderConfig) *Sender {
	rate := cfg.Rate
	if rate == 0 {
		rate = DefaultRate(cfg.PaidBroadcast)
	}
	globalInterval := time.Duration(float64(time.Second) / rate) // below 0 for a negative rate: no limit
	return &Sender{
		client:   client,
		store:    store,
		limits:   newRateLimiter(rdb, globalInterval, cmp.Or(cfg.ChatInterval, defaultChatInterval)),
		inFlight: newInFlight(rate, concurrency(rate)),
		paid:     cfg.PaidBroadcast,
		metrics:  cfg.Metrics,
		log:      cmp.Or(cfg.Log, slog.Default()),
	}
}

// Concurrency is how many tasks the worker should run at once (asynq's
// Config.Concurrency): enough to keep the rate over a round trip of up to a
// second, the composing tasks beside them. How many of them send at once
// follows the round trip measured (inFlight); the rest wait their turn
// without a claim, a goroutine each.
func (s *Sender) Concurrency() int { return s.inFlight.most }

// concurrency is Concurrency for a rate; with no limit, as many as a
// database pool serves well.
func concurrency(rate float64) int {
	if rate <= 0 {
		return minConcurrency
	}
	return min(int(math.Ceil(rate))+minConcurrency, maxConcurrency)
}

const (
	minConcurrency = 20   // the composing tasks and a few sends
	maxConcurrency = 2000 // whatever the rate: Telegram allows 1000 a second at most
)

// Turn waits until one more message may be under way (inFlight) and returns
// the context to send it in and the function that ends the turn. The worker
// takes the turn before it reads and composes the message, so that messages
// waiting for their turn cost the database nothing; Send takes one itself
// when ctx holds none.
func (s *Sender) Turn(ctx context.Context) (context.Context, func(), error) {
	if err := s.inFlight.acquire(ctx); err != nil {
		return ctx, nil, err
	}
	t := &turn{start: time.Now()}
	return context.WithValue(ctx, turnKey{}, t), func() { s.inFlight.release(t.took()) }, nil
}

// turn is one message under way: what it took is measured from its start,
// less its waits for the rate limits, which the bound itself makes longer.
type turn struct {
	start  time.Time
	waited time.Duration
	called bool // Telegram was called
}

// took is what the turn measured: 0 (nothing) for one that never called
// Telegram, a message found sent, dropped or not due yet, whose short turn
// says nothing of the round trip.
func (t *turn) took() time.Duration {
	if !t.called {
		return 0
	}
	return time.Since(t.start) - t.waited
}

type turnKey struct{}

// turnIn is the turn ctx holds, or nil.
func turnIn(ctx context.Context) *turn {
	t, _ := ctx.Value(turnKey{}).(*turn)
	return t
}

// Result is what became of a message.
type Result int

const (
	Sent    Result = iota + 1 // Telegram accepted it
	Ended                     // it had ended (sent, dropped, failed) before: nothing was sent now
	Blocked                   // the person blocked the bot: nothing was sent
)

// Outcome is what became of a message, and the ids of the messages sent now.
type Outcome struct {
	Result     Result
	MessageIDs []int // one per part sent, in order
}

// RetryAfterError asks for the message to be sent again after Wait. It is not
// a failure: Telegram's flood control answered 429, another attempt holds the
// message's claim, or it is not due yet.
type RetryAfterError struct {
	Wait time.Duration
}

func (e *RetryAfterError) Error() string { return fmt.Sprintf("send again in %v", e.Wait) }

// Why a send failed, as the outbox and the metrics record it.
const (
	reasonThrottled   = "throttled"   // 429: Telegram's flood control
	reasonRejected    = "rejected"    // 400: Telegram will never take this message
	reasonUnavailable = "unavailable" // 5xx, a network error before the request went out: worth another try
	reasonUncertain   = "uncertain"   // the request went out and no answer came: it may have arrived
	reasonRetries     = "retries"     // every try failed
)

// Send sends the outbox message m, rendered as msg, unless another attempt
// sent it or holds it, splitting a text too long for one message at line
// boundaries. It claims the message, then waits for the rate limits and calls
// Telegram; the claim's lease outlasts the wait (maxSendTime). An error is
// either a *RetryAfterError or a
// failure to retry with backoff (see RetryDelay); a failure wrapping
// asynq.SkipRetry is not worth retrying.
//
// A send whose request went out and whose answer never came (a timeout, a
// reset) is uncertain: Telegram may have delivered it. It is recorded and
// counted as such and sent again, so the person may read it twice; the
// alternative, never sending it again, loses the message whenever the request
// died before Telegram had it (RELIABILITY.md).
func (s *Sender) Send(ctx context.Context, m diary.OutboxMessage, msg Message) (Outcome, error) {
	parts := render.Split(msg.Text, telegram.MessageLimit)
	if len(parts) == 0 {
		rctx, cancel := recording(ctx)
		defer cancel()
		return Outcome{}, errors.Join(fmt.Errorf("outbox message %d: empty text: %w", m.ID, asynq.SkipRetry),
			s.store.MessageEnded(rctx, m.ID, diary.StateFailed, reasonRejected))
	}
	// The claim waits for its turn: a claimed message waiting for its slot
	// would be uncertain if the worker died.
	t := turnIn(ctx)
	if t == nil {
		var (
			end func()
			err error
		)
		if ctx, end, err = s.Turn(ctx); err != nil {
			return Outcome{}, err
		}
		defer end()
		t = turnIn(ctx)
	}
	claim, err := s.store.ClaimMessage(ctx, m.ID, m.ChatID)
	if err != nil {
		return Outcome{}, err
	}
	if !claim.Claimed {
		if claim.State == diary.StateSending { // another attempt holds it: come back when its claim runs out
			return Outcome{}, &RetryAfterError{Wait: max(claim.HeldUntil.Sub(s.store.Now()), time.Second)}
		}
		return Outcome{Result: Ended}, nil
	}
	if claim.TookOver {
		s.metrics.countUncertain(m.Kind)
		s.log.Warn("uncertain send: its sender died while sending; sending again", "message", m.ID, "kind", m.Kind)
	}
	ctx, cancel := context.WithTimeout(ctx, maxSendTime)
	defer cancel()
	ids, uncertain, err := s.sendParts(ctx, m, msg.Keyboard, msg.ReplyTo, parts, claim.PartsSent, t)
	if err != nil {
		return s.failed(ctx, m, err, uncertain)
	}
	rctx, rcancel := recording(ctx)
	defer rcancel()
	if err := s.store.MessageSent(rctx, m.ID, ids[len(ids)-1]); err != nil {
		return Outcome{}, err
	}
	s.metrics.countSent(m.Kind)
	return Outcome{Result: Sent, MessageIDs: ids}, nil
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
	if err == nil || telegram.NotModified(err) {
		return nil
	}
	err = fmt.Errorf("edit message %d in chat %d: %w", messageID, chatID, err)
	switch f := telegram.Classify(err); f.Kind {
	case telegram.Throttled:
		return &RetryAfterError{Wait: f.RetryAfter}
	case telegram.Blocked, telegram.Rejected:
		return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
	}
	return err
}

// sendParts sends the parts of a claimed message in order from the first
// one an earlier attempt did not send, and returns the ids of those sent now.
// When it fails, uncertain tells whether the part it failed on may have
// reached Telegram. The time it waits for the rate limits is not the turn's.
func (s *Sender) sendParts(ctx context.Context, m diary.OutboxMessage, kb *models.InlineKeyboardMarkup, replyTo int, parts []string, first int, t *turn) (ids []int, uncertain bool, err error) {
	for i := first; i < len(parts); i++ {
		// Right before the call: what comes between the slot and the request
		// (a database round trip) would let two sends land closer than the limits.
		waitStart := time.Now()
		err := s.limits.wait(ctx, m.ChatID)
		t.waited += time.Since(waitStart)
		if err != nil {
			return nil, false, err
		}
		t.called = true
		params := &bot.SendMessageParams{ChatID: m.ChatID, Text: parts[i], ParseMode: models.ParseModeHTML, AllowPaidBroadcast: s.paid}
		if i == len(parts)-1 && kb != nil { // a nil pointer in the interface would be sent as a keyboard
			params.ReplyMarkup = kb
		}
		if i == 0 && replyTo != 0 { // sent all the same if the person deleted their message
			params.ReplyParameters = &models.ReplyParameters{MessageID: replyTo, AllowSendingWithoutReply: true}
		}
		wctx, call := telegram.Watch(ctx)
		sent, err := s.client.SendMessage(wctx, params)
		if err != nil {
			return nil, call.Uncertain(), err
		}
		ids = append(ids, sent.ID)
		if len(parts) > 1 {
			rctx, cancel := recording(ctx)
			err := s.store.PartSent(rctx, m.ID, i+1)
			cancel()
			if err != nil {
				return nil, false, err
			}
		}
	}
	return ids, false, nil
}

// failed records a send that did not go through, so that a retry may claim
// it at once, and says what the task should do next.
func (s *Sender) failed(ctx context.Context, m diary.OutboxMessage, sendErr error, uncertain bool) (Outcome, error) {
	ctx, cancel := recording(ctx)
	defer cancel()
	switch f := telegram.Classify(sendErr); f.Kind {
	case telegram.Throttled:
		s.metrics.countThrottled()
		s.log.Warn("telegram throttled a send", "message", m.ID, "retry_after", f.RetryAfter)
		return Outcome{}, errors.Join(&RetryAfterError{Wait: f.RetryAfter}, s.store.MessageRetry(ctx, m.ID, reasonThrottled, false))
	case telegram.Blocked:
		s.metrics.countDropped(m.Kind, diary.DropBlocked)
		s.log.Info("the person blocked the bot", "account", m.Account, "chat", m.ChatID, "message", m.ID)
		var err error
		if m.Account != 0 {
			err = s.store.MarkBlocked(ctx, m.Account)
		}
		return Outcome{Result: Blocked}, errors.Join(err, s.store.MessageEnded(ctx, m.ID, diary.StateDropped, diary.DropBlocked))
	case telegram.Rejected:
		s.metrics.countFailed(m.Kind, reasonRejected)
		return Outcome{}, errors.Join(fmt.Errorf("outbox message %d rejected: %w: %w", m.ID, sendErr, asynq.SkipRetry),
			s.store.MessageEnded(ctx, m.ID, diary.StateFailed, reasonRejected))
	}
	reason := reasonUnavailable
	if uncertain {
		reason = reasonUncertain
		s.metrics.countUncertain(m.Kind)
		s.log.Warn("uncertain send: no answer after the request went out; sending again", "message", m.ID, "kind", m.Kind)
	}
	s.metrics.countRetried(m.Kind)
	return Outcome{}, errors.Join(fmt.Errorf("outbox message %d: %w", m.ID, sendErr), s.store.MessageRetry(ctx, m.ID, reason, uncertain))
}

// recording returns a context to write a send's outcome to the outbox with.
// It outlives ctx: a send cut short by a shutdown or its deadline must still
// release its claim, and one Telegram accepted must still be recorded.
func recording(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
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
