package jobs

import (
	"context"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// What the sender, the scheduler and the worker need of the diary, each the
// methods it calls; *diary.Store has them all.
type (
	// Outbox is the sender's: claim a message and record how its send went.
	Outbox interface {
		Now() time.Time
		ClaimMessage(ctx context.Context, id, chatID int64) (diary.Claim, error)
		PartSent(ctx context.Context, id int64, parts int) error
		MessageSent(ctx context.Context, id int64, messageID int) error
		MessageRetry(ctx context.Context, id int64, reason string, uncertain bool) error
		MessageEnded(ctx context.Context, id int64, state diary.MessageState, reason string) error
		MarkBlocked(ctx context.Context, account diary.AccountID) error
	}

	// Planner is the scheduler's: the minutes to plan, the outbox to sweep,
	// and the purge.
	Planner interface {
		Now() time.Time
		DigestMinutesToPlan(ctx context.Context, window time.Duration) ([]time.Time, error)
		OutboxToSweep(ctx context.Context, limit int, queueLost bool) ([]diary.Pending, error)
		Purge(ctx context.Context, retention time.Duration) (diary.Purged, error)
	}

	// Diary is the worker's: the outbox, the notices to fan out, and what a
	// message is composed from when it is sent (each read asks the access
	// rule again).
	Diary interface {
		Outbox
		Message(ctx context.Context, id int64) (diary.OutboxMessage, error)
		MessageAgain(ctx context.Context, id int64) error
		Plan(ctx context.Context, msgs []diary.Outgoing) ([]diary.Pending, error)

		DueNotices(ctx context.Context, limit int) ([]int64, error)
		LoadNotice(ctx context.Context, id int64) (diary.Notice, error)
		NoticeRecipients(ctx context.Context, n diary.Notice, after diary.AccountID, limit int) ([]diary.NoticeRecipient, diary.AccountID, error)
		NoticeFannedOut(ctx context.Context, id int64) (int, error)
		NoticeProgress(ctx context.Context, id int64) (diary.NoticeProgress, error)
		NoticeTo(ctx context.Context, n diary.Notice, account diary.AccountID) (diary.NoticeRecipient, string, error)

		DueDigests(ctx context.Context, at time.Time) ([]diary.DueAccount, error)
		DigestMinutePlanned(ctx context.Context, minute time.Time) error
		Digests(ctx context.Context, accounts []diary.AccountID, now time.Time) ([]diary.Digest, error)
		WeeklySummaries(ctx context.Context, accounts []diary.AccountID, now time.Time) ([]diary.WeeklySummary, error)
		LinkEndedBySchool(ctx context.Context, account diary.AccountID, link int64) (diary.EndedLink, error)

		QuestionTo(ctx context.Context, id int64, account diary.AccountID) (diary.ThreadMessage, string, error)
		AnswerTo(ctx context.Context, id int64, account diary.AccountID) (diary.ThreadMessage, string, error)
		MessageHeld(ctx context.Context, id int64, until time.Time) error
	}
)

// The store is all three.
var (
	_ Diary   = (*diary.Store)(nil)
	_ Planner = (*diary.Store)(nil)
)
