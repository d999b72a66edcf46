package telegram

import (
	"context"
	"net/http/httptrace"
	"sync/atomic"
)

// Exchange watches one call to Telegram on the wire, to tell a call that
// failed before Telegram had the request from one whose answer never came.
type Exchange struct {
	wrote, answered atomic.Bool
}

// Watch returns a context that makes the HTTP request of a call made with it
// report to the exchange.
func Watch(ctx context.Context) (context.Context, *Exchange) {
	x := &Exchange{}
	return httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		WroteRequest: func(info httptrace.WroteRequestInfo) {
			if info.Err == nil {
				x.wrote.Store(true)
			}
		},
		GotFirstResponseByte: func() { x.answered.Store(true) },
	}), x
}

// Uncertain tells that the whole request went out and no answer came back (a
// timeout, a connection reset): Telegram may have acted on it, and a message
// sent again may arrive twice.
func (x *Exchange) Uncertain() bool { return x.wrote.Load() && !x.answered.Load() }
