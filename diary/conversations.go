package diary

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// A conversation is a task in several messages (a teacher writing an
// announcement: the class, then the text, then the confirmation). The account's
// next typed message answers its current step; the state is the flow's own.

// Conversation is the step an account is in.
type Conversation struct {
	Flow  string          // which flow the next message answers
	State json.RawMessage // the flow's own state, as it saved it
}

// ConversationTTL is how long a conversation waits for the next message.
const ConversationTTL = 30 * time.Minute

// Conversation returns the account's current conversation; ok is false when
// there is none or it lapsed.
func (s *Store) Conversation(ctx context.Context, account AccountID) (c Conversation, ok bool, err error) {
	const q = `SELECT flow, state FROM conversations WHERE account_id = $1 AND expires_at > $2`
	err = s.db.QueryRow(ctx, q, account, s.Now()).Scan(&c.Flow, &c.State)
	if errors.Is(err, pgx.ErrNoRows) {
		return Conversation{}, false, nil
	}
	if err != nil {
		return Conversation{}, false, fmt.Errorf("conversation of account %d: %w", account, err)
	}
	return c, true, nil
}

// SetConversation starts or moves on the account's conversation, with the
// flow's state (marshalled as JSON), for ConversationTTL.
func (s *Store) SetConversation(ctx context.Context, account AccountID, flow string, state any) error {
	b, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("encode %s conversation: %w", flow, err)
	}
	const q = `
INSERT INTO conversations (account_id, flow, state, expires_at) VALUES ($1, $2, $3, $4)
ON CONFLICT (account_id) DO UPDATE SET flow = excluded.flow, state = excluded.state, expires_at = excluded.expires_at`
	if _, err := s.db.Exec(ctx, q, account, flow, b, s.Now().Add(ConversationTTL)); err != nil {
		return fmt.Errorf("save conversation of account %d: %w", account, err)
	}
	return nil
}

// EndConversation forgets the account's conversation, if any.
func (s *Store) EndConversation(ctx context.Context, account AccountID) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM conversations WHERE account_id = $1`, account); err != nil {
		return fmt.Errorf("end conversation of account %d: %w", account, err)
	}
	return nil
}

// TakeConversation ends the account's conversation of the flow and tells
// whether this call ended it: of two presses of one "send" button, one
// takes the conversation and the other finds nothing to send.
func (s *Store) TakeConversation(ctx context.Context, account AccountID, flow string) (bool, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM conversations WHERE account_id = $1 AND flow = $2`, account, flow)
	if err != nil {
		return false, fmt.Errorf("take conversation of account %d: %w", account, err)
	}
	return tag.RowsAffected() == 1, nil
}
