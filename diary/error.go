package diary

import (
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// Code classifies an error for the edge: the bot maps each code to a message in the
// user's language, so diary never needs to know about translations.
type Code string

const (
	EINVALID   Code = "invalid"   // the input is malformed or out of range
	ENOTFOUND  Code = "not_found" // no such thing, or none this account may know of
	EFORBIDDEN Code = "forbidden" // the account has no right to this pupil or class
	EEXPIRED   Code = "expired"   // the right existed but has run out (school year ended, pupil left)
	EREVOKED   Code = "revoked"   // the right was withdrawn (unlinked, or the inviting guardian's link ended)
	ECONFLICT  Code = "conflict"  // already done: a code already used, a week already signed
	ELOCKED    Code = "locked"    // too many attempts: try again at Error.Until
	// EUNAVAILABLE: the database cannot be reached now (down, restarting, the
	// connection lost); the same request will work once it is back.
	EUNAVAILABLE Code = "unavailable"
	EINTERNAL    Code = "internal" // anything else: a bug

)

// Error is a domain error. Message is for logs: English, ids only, never names.
type Error struct {
	Code    Code
	Message string
	Until   time.Time // for ELOCKED: when trying again is allowed
}

func (e *Error) Error() string { return fmt.Sprintf("diary: %s: %s", e.Code, e.Message) }

// Errorf returns an *Error with the given code.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any
// other error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if unreachable(err) {
		return EUNAVAILABLE
	}
	return EINTERNAL
}

// unreachable tells the errors of a database that cannot be reached now: the
// connection refused, lost or timed out, the server shutting down or starting
// up (SQLSTATE classes 08 and 57P).
func unreachable(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var (
		connect *pgconn.ConnectError
		network net.Error
	)
	return errors.As(err, &connect) || errors.As(err, &network) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, io.EOF) || pgconn.Timeout(err) || pgconn.SafeToRetry(err)
}
