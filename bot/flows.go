package bot

import (
	"context"
	"encoding/json"
)

// A flow is a conversation in several messages (see diary.Conversation): the
// handler of a flow gets the state it saved and the text the person typed next.
type flowHandler func(r *request, ctx context.Context, state json.RawMessage, text string) error

// flows are the conversations by name, filled in init next to commands.
var flows map[string]flowHandler

// continueFlow hands typed text that is not a command to the account's
// conversation, if one waits for it.
func (r *request) continueFlow(ctx context.Context, text string) (handled bool, err error) {
	if !r.account.Conversing {
		return false, nil
	}
	conv, ok, err := r.b.store.Conversation(ctx, r.account.ID)
	if err != nil || !ok {
		return false, err
	}
	f, ok := flows[conv.Flow]
	if !ok { // a flow of an older version of the bot
		return false, r.b.store.EndConversation(ctx, r.account.ID)
	}
	return true, f(r, ctx, conv.State, text)
}

// cancel answers /cancel: it forgets whatever conversation was going on.
func (r *request) cancel(ctx context.Context, _ string) error {
	if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
		return err
	}
	return r.say(ctx, r.p.T("cancelled"))
}
