package jobs

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/dnevnik/dnevnik/diary"
)

// Metrics counts what the worker sends. Each try of an outbox message ends
// in one of sent, dropped, failed, retried or throttled; uncertain counts the
// tries that may have reached the person without an answer. A nil *Metrics
// counts nothing.
type Metrics struct {
	sent       *prometheus.CounterVec
	dropped    *prometheus.CounterVec
	failed     *prometheus.CounterVec
	retried    *prometheus.CounterVec
	uncertain  *prometheus.CounterVec
	throttled  prometheus.Counter
	held       *prometheus.CounterVec
	queueDepth *prometheus.GaugeVec
	updates    *prometheus.HistogramVec
	braked     prometheus.Counter
}

// NewMetrics registers the worker's metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	counter := func(name, help string, labels ...string) *prometheus.CounterVec {
		return f.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
	}
	return &Metrics{
		sent: counter("dnevnik_messages_sent_total",
			"Messages Telegram accepted, by kind (a message split in parts counts once).", "kind"),
		dropped: counter("dnevnik_messages_dropped_total",
			"Messages not sent because the diary said no at sending: reason blocked, no_access, gone, switched_off, empty, stale or declined.",
			"kind", "reason"),
		failed: counter("dnevnik_messages_failed_total",
			"Messages given up: reason rejected (Telegram refused the message) or retries (every try failed).", "kind", "reason"),
		uncertain: counter("dnevnik_messages_uncertain_total",
			"Sends that may have reached the person with no answer from Telegram (a timeout after the request went out, a sender killed mid-send); each is sent again.",
			"kind"),
		retried: counter("dnevnik_messages_retried_total",
			"Sends that failed on Telegram's side or on the way (5xx, timeouts) and go back to the queue to be retried.", "kind"),
		throttled: f.NewCounter(prometheus.CounterOpts{Name: "dnevnik_telegram_throttled_total",
			Help: "Sends Telegram refused with 429 Too Many Requests; each is retried after its retry_after."}),
		held: counter("dnevnik_messages_held_total",
			"Messages held until the end of the person's quiet hours, by kind.", "kind"),
		queueDepth: f.NewGaugeVec(prometheus.GaugeOpts{Name: "dnevnik_queue_depth",
			Help: "Tasks waiting in a queue: pending, scheduled and waiting to be retried."}, []string{"queue"}),
		braked: f.NewCounter(prometheus.CounterOpts{Name: "dnevnik_code_checks_braked_total",
			Help: "Code checks slowed down because wrong codes flooded in from many accounts."}),
		updates: f.NewHistogramVec(prometheus.HistogramOpts{Name: "dnevnik_bot_update_seconds",
			Help:    "Time to handle one Telegram update, by kind (message, callback) and result (ok, error).",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, 1}}, []string{"kind", "result"}),
	}
}

// Update records a handled bot update (bot.Options.AfterUpdate).
func (m *Metrics) Update(kind string, took time.Duration, err error) {
	if m == nil {
		return
	}
	result := "ok"
	if err != nil {
		result = "error"
	}
	m.updates.WithLabelValues(kind, result).Observe(took.Seconds())
}

// CodeBrake counts a code check slowed down by a flood of wrong codes
// (bot.Options.CodeBrake).
func (m *Metrics) CodeBrake() {
	if m != nil {
		m.braked.Inc()
	}
}

// Held counts a message of the kind held for quiet hours.
func (m *Metrics) Held(kind diary.MessageKind) {
	if m != nil {
		m.held.WithLabelValues(string(kind)).Inc()
	}
}

// SetQueueDepth reports how many tasks wait in the queue.
func (m *Metrics) SetQueueDepth(queue string, n int) {
	if m != nil {
		m.queueDepth.WithLabelValues(queue).Set(float64(n))
	}
}

func (m *Metrics) countSent(kind diary.MessageKind) {
	if m != nil {
		m.sent.WithLabelValues(string(kind)).Inc()
	}
}

func (m *Metrics) countDropped(kind diary.MessageKind, reason string) {
	if m != nil {
		m.dropped.WithLabelValues(string(kind), reason).Inc()
	}
}

func (m *Metrics) countFailed(kind diary.MessageKind, reason string) {
	if m != nil {
		m.failed.WithLabelValues(string(kind), reason).Inc()
	}
}

func (m *Metrics) countRetried(kind diary.MessageKind) {
	if m != nil {
		m.retried.WithLabelValues(string(kind)).Inc()
	}
}

func (m *Metrics) countUncertain(kind diary.MessageKind) {
	if m != nil {
		m.uncertain.WithLabelValues(string(kind)).Inc()
	}
}

func (m *Metrics) countThrottled() {
	if m != nil {
		m.throttled.Inc()
	}
}
