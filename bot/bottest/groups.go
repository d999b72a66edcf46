package bottest

import (
	"fmt"
	"strconv"
	"time"

	"github.com/go-telegram/bot/models"
)

// A group is a chat with a negative id, as Telegram's are. The bot should not
// be in one; these play people trying to make it.

// SendTextInGroup has the user write text in the group chat (a negative id)
// and returns the update's id.
func (s *Server) SendTextInGroup(group int64, from User, text string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chat(group)
	c.lastMessageID++
	return s.enqueue(models.Update{Message: &models.Message{
		ID:       c.lastMessageID,
		From:     from.model(),
		Date:     int(time.Now().Unix()),
		Chat:     chatOf(group),
		Text:     text,
		Entities: commandEntities(text),
	}})
}

// AddToGroup has the user add the bot to the group chat (a negative id), as
// Telegram tells the bot with a my_chat_member update.
func (s *Server) AddToGroup(group int64, by User) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.enqueue(models.Update{MyChatMember: &models.ChatMemberUpdated{
		Chat: chatOf(group),
		From: *by.model(),
		Date: int(time.Now().Unix()),
		OldChatMember: models.ChatMember{Type: models.ChatMemberTypeLeft,
			Left: &models.ChatMemberLeft{User: &s.bot}},
		NewChatMember: models.ChatMember{Type: models.ChatMemberTypeMember,
			Member: &models.ChatMemberMember{User: &s.bot}},
	}})
}

// Left tells whether the bot left the chat (leaveChat).
func (s *Server) Left(chatID int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.chat(chatID).left
}

func (s *Server) leaveChat(req *request) (any, error) {
	id, err := strconv.ParseInt(req.params["chat_id"], 10, 64)
	if err != nil {
		return nil, &apiError{status: 400, description: fmt.Sprintf("Bad Request: chat_id %q", req.params["chat_id"])}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chat(id).left = true
	s.notify()
	return true, nil
}
