package telegram

import (
	"errors"
	"strings"
	"time"

	"github.com/go-telegram/bot"
)

// Failure is what a failed call to Telegram means for the caller.
type Failure struct {
	Kind       FailureKind
	RetryAfter time.Duration // for Throttled: the wait Telegram asked for
}

// FailureKind sorts the errors of calls to Telegram by what to do about them.
type FailureKind int

const (
	Unavailable FailureKind = iota // 5xx, a timeout, a network error: worth another try
	Throttled                      // 429, flood control: try again after RetryAfter
	Blocked                        // 403: the person blocked the bot; send the chat nothing more
	Rejected                       // 400, or a chat that moved: never worth another try
)

// Classify sorts a non-nil error of a call to Telegram by what to do about it.
func Classify(err error) Failure {
	var tooMany *bot.TooManyRequestsError
	switch {
	case errors.As(err, &tooMany):
		return Failure{Kind: Throttled, RetryAfter: time.Duration(tooMany.RetryAfter) * time.Second}
	case errors.Is(err, bot.ErrorForbidden):
		return Failure{Kind: Blocked}
	case errors.Is(err, bot.ErrorBadRequest) || bot.IsMigrateError(err):
		return Failure{Kind: Rejected}
	}
	return Failure{Kind: Unavailable}
}

// NotModified tells whether err is Telegram refusing an edit that changes
// nothing (Rejected, as any 400): the message shows what was asked already, as
// when the button for what is shown is pressed again, so nothing is left to do.
func NotModified(err error) bool {
	return err != nil && strings.Contains(err.Error(), "message is not modified")
}
