package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dnevnik/dnevnik/bot/bottest"
)

// The bot the runs play: any token of the right shape and a webhook secret,
// both known only to the tool and the process it starts.
const (
	token         = "100000:bench-token-for-the-bot-api-fake"
	webhookSecret = "bench-webhook-secret"
)

// WebhookOptions is what `dnevnik bench webhook` offers the bot.
type WebhookOptions struct {
	Rates     []int         // updates a second offered, one step each, in order
	Duration  time.Duration // how long each rate is offered
	Parents   int           // linked guardians sending the updates in turn
	FirstUser int64         // their Telegram ids from here on
	Latency   time.Duration // the Bot API's round trip
	// Drain is how long after a step's last post the step waits for answers,
	// posting refused updates again meanwhile; unanswered after it is lost.
	Drain time.Duration
	// RetryDelay is how long Telegram waits before posting a refused update again.
	RetryDelay time.Duration
	Log        io.Writer // progress
}

// WebhookStep is what one offered rate got.
type WebhookStep struct {
	Offered  int     // updates a second offered
	Posted   int     // updates posted (once each; posting again is Refused)
	Answered int     // updates answered
	PerSec   float64 // answers a second, from the step's start to its last answer
	// Latency is from an update's scheduled arrival (open loop: not when
	// it got a connection) to the fake accepting the answer in its chat.
	Latency Latencies
	// Accepted is from the post the bot took (its connection open, after
	// any refused ones) to the answer: how long the bot held an update it
	// accepted, where Latency adds the time it waited at Telegram.
	Accepted Latencies
	Refused  int   // posts the webhook refused or never answered, each posted again
	Lost     int   // updates never answered, after every retry within Drain
	Extra    int   // answers beyond one per update, in a chat
	MaxRSS   int64 // the bot's largest resident set during the step, bytes
	// BotCPU and ToolCPU are the cores the bot and this tool (the fake and
	// the posting) kept busy over the step, on average: what the machine had
	// left for PostgreSQL and everything else.
	BotCPU, ToolCPU float64
}

// The commands each parent sends in turn.
var commands = []string{"/today", "/homework", "/grades"}

// Webhook starts `dnevnik bot` in webhook mode against the fake, links
// o.Parents guardians with /start CODE through the webhook, and offers each
// rate in turn, open loop: updates are posted on schedule whether or not the
// earlier ones are answered.
func Webhook(ctx context.Context, t Target, d District, o WebhookOptions) ([]WebhookStep, error) {
	fake := bottest.New(token)
	defer fake.Close()
	fake.SetLatency(o.Latency)
	chats := newChats()
	registered := make(chan struct{}, 1)
	fake.Observe(func(c bottest.Call) {
		switch {
		case c.Method == "setWebhook" && c.Status == http.StatusOK:
			select {
			case registered <- struct{}{}:
			default:
			}
		case c.Method == "sendMessage" && c.Status == http.StatusOK && c.Message != nil:
			chats.answer(c.Message.ChatID, c.Time)
		}
	}, true)

	parents := users(o.FirstUser, o.Parents)
	codes, release, err := d.claim(ctx, parents, o.Log)
	if err != nil {
		return nil, err
	}
	defer release()

	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	bot, err := start(t, []string{"TELEGRAM_TOKEN=" + token, "TELEGRAM_API_URL=" + fake.URL(),
		"TELEGRAM_WEBHOOK_URL=http://" + addr + "/telegram", "TELEGRAM_WEBHOOK_SECRET=" + webhookSecret,
		"HTTP_ADDR=" + addr, "METRICS_ADDR=off"}, "bot")
	if err != nil {
		return nil, err
	}
	defer bot.stop()
	select {
	case <-registered:
	case <-bot.exited:
		return nil, bot.alive()
	case <-time.After(time.Minute):
		return nil, errors.New("dnevnik bot did not register its webhook within a minute")
	case <-ctx.Done():
		return nil, ctx.Err()
	}

	r := &webhookRun{o: o, fake: fake, bot: bot, chats: chats}
	fmt.Fprintf(o.Log, "bench: linking %d parents with /start CODE through the webhook\n", len(parents))
	if err := r.link(ctx, parents, codes); err != nil {
		return nil, err
	}
	var steps []WebhookStep
	for _, rate := range o.Rates {
		fmt.Fprintf(o.Log, "bench: %d updates/s for %v\n", rate, o.Duration)
		step, err := r.step(ctx, rate, parents)
		if err != nil {
			return steps, err
		}
		steps = append(steps, step)
	}
	return steps, nil
}

// webhookRun is a running webhook benchmark.
type webhookRun struct {
	o     WebhookOptions
	fake  *bottest.Server
	bot   *process
	chats *chats
}

// link sends each parent's /start CODE, a few at a time, and waits until
// every parent is answered.
func (r *webhookRun) link(ctx context.Context, parents []int64, codes []code) error {
	r.chats.reset()
	deadline := time.Now().Add(r.o.Drain + time.Duration(len(parents))*50*time.Millisecond)
	ctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var refused atomic.Int64
	err := forEach(ctx, parents, func(ctx context.Context, i int, user int64) error {
		k := r.chats.post(user, time.Now())
		r.post(ctx, user, k, "/start "+codes[i].code, &refused)
		return r.bot.alive()
	})
	if err != nil {
		return err
	}
	if err := r.waitAnswers(ctx, deadline); err != nil {
		return err
	}
	if lost := r.chats.unanswered(); lost > 0 {
		return fmt.Errorf("%d of %d parents got no answer to /start CODE", lost, len(parents))
	}
	return nil
}

// step offers rate updates a second for the run's duration and waits for
// the answers.
func (r *webhookRun) step(ctx context.Context, rate int, parents []int64) (WebhookStep, error) {
	r.chats.reset()
	r.bot.rss.take()
	n := int(float64(rate) * r.o.Duration.Seconds())
	start, botCPU, toolCPU := time.Now(), r.bot.cpuTime(), ownCPUTime()
	deadline := start.Add(r.o.Duration + r.o.Drain)
	postCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	var refused atomic.Int64
	var wg sync.WaitGroup
	for i := range n {
		at := start.Add(time.Duration(i) * time.Second / time.Duration(rate))
		if err := sleepUntil(ctx, at); err != nil {
			return WebhookStep{}, err
		}
		if err := r.bot.alive(); err != nil {
			return WebhookStep{}, err
		}
		user := parents[i%len(parents)]
		k := r.chats.post(user, at)
		wg.Go(func() { r.post(postCtx, user, k, commands[i%len(commands)], &refused) })
	}
	err := r.waitAnswers(ctx, deadline)
	cancel()
	wg.Wait()
	if err != nil {
		return WebhookStep{}, err
	}
	step := r.chats.tally(start)
	step.Offered, step.Posted, step.Refused = rate, n, int(refused.Load())
	step.MaxRSS = r.bot.rss.take()
	took := time.Since(start).Seconds()
	step.BotCPU = (r.bot.cpuTime() - botCPU).Seconds() / took
	step.ToolCPU = (ownCPUTime() - toolCPU).Seconds() / took
	return step, nil
}

// post posts the user's text to the webhook until it is taken (2xx) or ctx
// ends, waiting RetryDelay after each refusal, as Telegram posts an update
// again after an error. The post taken is the user's k-th update.
func (r *webhookRun) post(ctx context.Context, user int64, k int, text string, refused *atomic.Int64) {
	from := bottest.User{ID: user, FirstName: "Parent", LanguageCode: "ru"}
	for {
		_, posted, err := r.fake.PostText(ctx, from, text)
		if err == nil {
			r.chats.accept(user, k, posted)
			return
		}
		if ctx.Err() != nil {
			return
		}
		refused.Add(1)
		if sleepUntil(ctx, time.Now().Add(r.o.RetryDelay)) != nil {
			return
		}
	}
}

// waitAnswers waits until every update posted is answered, the deadline
// passes or the bot exits.
func (r *webhookRun) waitAnswers(ctx context.Context, deadline time.Time) error {
	for r.chats.unanswered() > 0 && time.Now().Before(deadline) {
		if err := r.bot.alive(); err != nil {
			return err
		}
		if err := sleepUntil(ctx, time.Now().Add(20*time.Millisecond)); err != nil {
			return err
		}
	}
	return nil
}

// chats pairs the updates posted to each chat with the answers in it, in
// order: the k-th answer in a chat answers its k-th update.
type chats struct {
	mu               sync.Mutex
	posted, answered map[int64][]time.Time
	accepted         map[int64][]time.Time // by the k of posted; zero until the bot takes it
	nPosted, nAnswer int
}

func newChats() *chats {
	c := &chats{}
	c.reset()
	return c
}

func (c *chats) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.posted, c.answered, c.accepted = map[int64][]time.Time{}, map[int64][]time.Time{}, map[int64][]time.Time{}
	c.nPosted, c.nAnswer = 0, 0
}

// post records the chat's next update, due at, and returns its k.
func (c *chats) post(chat int64, at time.Time) (k int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.posted[chat] = append(c.posted[chat], at)
	c.accepted[chat] = append(c.accepted[chat], time.Time{})
	c.nPosted++
	return len(c.posted[chat]) - 1
}

// accept records when the post the bot took of the chat's k-th update went out.
func (c *chats) accept(chat int64, k int, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.accepted[chat][k] = at
}

func (c *chats) answer(chat int64, at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.answered[chat] = append(c.answered[chat], at)
	c.nAnswer++
}

// unanswered counts the updates posted and not answered yet, over all chats.
func (c *chats) unanswered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for chat, posted := range c.posted {
		n += max(0, len(posted)-len(c.answered[chat]))
	}
	return n
}

// tally reads the step's answers, latencies and losses.
func (c *chats) tally(start time.Time) WebhookStep {
	c.mu.Lock()
	defer c.mu.Unlock()
	var s WebhookStep
	var latencies, held []time.Duration
	last := start
	for chat, posted := range c.posted {
		answered := c.answered[chat]
		for k := range min(len(posted), len(answered)) {
			latencies = append(latencies, answered[k].Sub(posted[k]))
			if accepted := c.accepted[chat][k]; !accepted.IsZero() {
				held = append(held, answered[k].Sub(accepted))
			}
		}
		s.Lost += max(0, len(posted)-len(answered))
		s.Extra += max(0, len(answered)-len(posted))
		if len(answered) > 0 {
			last = later(last, answered[len(answered)-1])
		}
	}
	s.Answered = len(latencies)
	if secs := last.Sub(start).Seconds(); secs > 0 {
		s.PerSec = float64(s.Answered) / secs
	}
	s.Latency, s.Accepted = distribution(latencies), distribution(held)
	return s
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// freeAddr is a free loopback address for the bot to listen on.
func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().String(), nil
}
