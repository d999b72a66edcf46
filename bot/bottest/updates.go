package bottest

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// User is a person talking to the bot. Their private chat with it has the same id.
type User struct {
	ID           int64
	FirstName    string
	LanguageCode string
}

func (u User) model() *models.User {
	return &models.User{ID: u.ID, FirstName: u.FirstName, LanguageCode: u.LanguageCode}
}

// SendText has the user send text to the bot in their private chat and
// returns the update's id. "/start CODE" is a deep link.
func (s *Server) SendText(from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueue(s.textUpdate(from, text))
}

// textUpdate is the update of the user's text message, not numbered yet. Call it with mu held.
func (s *Server) textUpdate(from User, text string) models.Update {
	c := s.chat(from.ID)
	c.lastMessageID++
	return models.Update{Message: &models.Message{
		ID:       c.lastMessageID,
		From:     from.model(),
		Date:     int(time.Now().Unix()),
		Chat:     models.Chat{ID: from.ID, Type: models.ChatTypePrivate, FirstName: from.FirstName},
		Text:     text,
		Entities: commandEntities(text),
	}}
}

// PressButton has the user press a button with callbackData under msg and
// returns the callback query's id, to find its answerCallbackQuery by. The
// data is not checked against msg's keyboard, so tests can tamper with it.
func (s *Server) PressButton(from User, msg Message, callbackData string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	stored := s.message(msg.ChatID, msg.ID)
	if stored == nil {
		return "", fmt.Errorf("bottest: press a button: no message %d in chat %d", msg.ID, msg.ChatID)
	}
	s.lastQueryID++
	id := strconv.FormatInt(s.lastQueryID, 10)
	s.openQueries[id] = true
	s.enqueue(models.Update{CallbackQuery: &models.CallbackQuery{
		ID:   id,
		From: *from.model(),
		Message: models.MaybeInaccessibleMessage{
			Type:    models.MaybeInaccessibleMessageTypeMessage,
			Message: s.apiMessage(*stored),
		},
		ChatInstance: strconv.FormatInt(msg.ChatID, 10),
		Data:         callbackData,
	}})
	return id, nil
}

// enqueue numbers an update and queues it for getUpdates or the webhook. Call it with mu held.
func (s *Server) enqueue(update models.Update) int64 {
	s.number(&update)
	s.pending = append(s.pending, update)
	s.notify()
	return update.ID
}

// number gives an update the next id. Call it with mu held.
func (s *Server) number(update *models.Update) {
	s.lastUpdateID++
	update.ID = s.lastUpdateID
}

// botCommand matches a /command, which Telegram marks when it starts the text or follows a space.
var botCommand = regexp.MustCompile(`/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]+)?`)

// commandEntities marks the text's /commands as Telegram does, offsets in
// UTF-16 code units, so that handlers matching bot.MatchTypeCommand see them.
func commandEntities(text string) []models.MessageEntity {
	var entities []models.MessageEntity
	for _, loc := range botCommand.FindAllStringIndex(text, -1) {
		if before, _ := utf8.DecodeLastRuneInString(text[:loc[0]]); loc[0] > 0 && !unicode.IsSpace(before) {
			continue
		}
		entities = append(entities, models.MessageEntity{
			Type:   models.MessageEntityTypeBotCommand,
			Offset: utf16Length(text[:loc[0]]),
			Length: utf16Length(text[loc[0]:loc[1]]),
		})
	}
	return entities
}

func utf16Length(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

func (s *Server) answerCallbackQuery(req *request) (any, error) {
	id := req.params["callback_query_id"]
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.openQueries[id] { // unknown, or answered already
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	delete(s.openQueries, id)
	return true, nil
}

var (
	errWebhookActive = &apiError{status: http.StatusConflict, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
	errOtherPoller   = &apiError{status: http.StatusConflict, description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"}
)

// getUpdates is Telegram's long polling: it confirms the updates below offset,
// then answers at most limit pending updates as soon as there are any, or
// none once timeout seconds pass. A newer getUpdates ends it with 409.
func (s *Server) getUpdates(req *request) (any, error) {
	offset, err := req.int("offset")
	if err != nil {
		return nil, err
	}
	limit, err := req.int("limit")
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout, err := req.int("timeout")
	if err != nil {
		return nil, err
	}

	s.mu.Lock()
	if s.webhook.url != "" {
		s.mu.Unlock()
		return nil, errWebhookActive
	}
	s.confirm(offset)
	s.pollGeneration++
	generation := s.pollGeneration
	s.notify()
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(req.ctx, time.Duration(timeout)*time.Second)
	defer cancel()
	updates := []models.Update{}
	var conflict error
	_ = s.await(ctx, func() bool { // at the timeout, or on Close, the answer is an empty list
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case s.webhook.url != "":
			conflict = errWebhookActive
		case s.pollGeneration != generation:
			conflict = errOtherPoller
		default:
			updates = append(updates[:0], s.pending[:min(int(limit), len(s.pending))]...)
		}
		return conflict != nil || len(updates) > 0
	})
	if conflict != nil {
		return nil, conflict
	}
	return updates, nil
}

// confirm forgets the updates the bot has seen, as Telegram does: those below
// offset, or for a negative offset all but the last -offset. Call it with mu held.
func (s *Server) confirm(offset int64) {
	switch {
	case offset > 0:
		seen := 0
		for seen < len(s.pending) && s.pending[seen].ID < offset {
			seen++
		}
		s.pending = slices.Delete(s.pending, 0, seen)
	case offset < 0:
		s.pending = slices.Delete(s.pending, 0, max(0, len(s.pending)+int(offset)))
	}
}
