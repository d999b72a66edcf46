package jobs

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/hibiken/asynq"

	"github.com/dnevnik/dnevnik/diary"
)

// How late a message composed for a moment may still go out after an outage
// (or after quiet hours that end later than planned): past it the message is
// dropped as stale. An evening digest two hours late still helps with
// tomorrow's homework; one at breakfast is noise. A morning digest two hours
// late still has most of the day's lessons ahead. A weekly summary keeps its
// day. A reminder of an event is stale once the event starts.
const (
	digestLateness = 2 * time.Hour
	weeklyLateness = 12 * time.Hour
)

// digestBatch is how many accounts' digests are planned together: the queries
// per batch stay the same, whatever its size.
const digestBatch = 500

// handleDigestsDue plans into the outbox the digest (evening or morning) of each account
// whose digest time is the minute, a reminder of each event its children
// have tomorrow, and on a Sunday in the account's zone the weekly summary;
// each held past the account's quiet hours. Their keys (the account and the
// local day; the event and the account) make a minute planned twice plan
// nothing new. What they say is read when they are sent.
func (w *Worker) handleDigestsDue(ctx context.Context, t *asynq.Task) error {
	p, err := decode[digestsDue](t)
	if err != nil {
		return err
	}
	due, err := w.store.DueDigests(ctx, p.Minute)
	if err != nil {
		return err
	}
	zones := make(map[diary.AccountID]*time.Location, len(due))
	for _, d := range due {
		zones[d.Account] = d.Location
	}
	for batch := range slices.Chunk(due, digestBatch) {
		ids := make([]diary.AccountID, len(batch))
		for i, d := range batch {
			ids[i] = d.Account
		}
		// The digests as they stand now, for the settings and the events to remind of.
		digests, err := w.store.Digests(ctx, ids, p.Minute)
		if err != nil {
			return err
		}
		var msgs []diary.Outgoing
		for _, d := range digests {
			msgs = append(msgs, digestMessages(d, p.Minute, zones[d.Account])...)
		}
		if err := w.plan(ctx, msgs); err != nil {
			return err
		}
	}
	if err := w.store.DigestMinutePlanned(ctx, p.Minute); err != nil {
		return err
	}
	w.log.Info("digests planned", "minute", p.Minute.Format(time.RFC3339), "accounts", len(due))
	return nil
}

// digestMessages are the messages an account's digest time brings: the
// digest, a reminder of each event tomorrow, and on Sunday the weekly summary.
func digestMessages(d diary.Digest, minute time.Time, loc *time.Location) []diary.Outgoing {
	st := d.Settings
	due := HoldUntil(minute, st.QuietFrom, st.QuietTo, loc)
	day := diary.Date(minute, loc).Format(time.DateOnly)
	message := func(key string, kind diary.MessageKind, ref int64, expires time.Time) diary.Outgoing {
		return diary.Outgoing{Key: key, Kind: kind, Ref: ref, Account: d.Account, ChatID: d.ChatID, About: minute, Due: due,
			Expires: expires}
	}
	// A morning digest has a key of its own: moving the digest from the
	// morning to the evening of one day still brings the evening's.
	which := "digest"
	if d.Children[0].Morning {
		which = "morning"
	}
	msgs := []diary.Outgoing{message(fmt.Sprintf("%s:%d:%s", which, d.Account, day), diary.MessageDigest, 0, due.Add(digestLateness))}
	if st.Reminders {
		for _, e := range tomorrowsEvents(d) {
			msgs = append(msgs, message(fmt.Sprintf("reminder:%d:%d", e.event, d.Account), diary.MessageReminder, e.event, e.starts))
		}
	}
	if st.WeeklySummary && minute.In(loc).Weekday() == time.Sunday {
		msgs = append(msgs, message(fmt.Sprintf("weekly:%d:%s", d.Account, day), diary.MessageWeekly, 0, due.Add(weeklyLateness)))
	}
	return msgs
}

// tomorrowsEvents lists, once each, the events a digest's children are
// invited to that start on the day after the digest's, in their school's
// zone, and that the person has not said no to: what reminders are planned for.
func tomorrowsEvents(d diary.Digest) []reminderOf {
	var events []reminderOf
	seen := map[int64]bool{}
	for _, c := range d.Children {
		tomorrow := c.Today.AddDate(0, 0, 1)
		for _, e := range c.Events {
			if seen[e.ID] || e.Cancelled || e.Answer == diary.AnswerNo || !diary.Date(e.Starts, c.School.Location).Equal(tomorrow) {
				continue
			}
			seen[e.ID] = true
			events = append(events, reminderOf{event: e.ID, starts: e.Starts})
		}
	}
	return events
}

// reminderOf is an event to remind of, and when it starts.
type reminderOf struct {
	event  int64
	starts time.Time
}
