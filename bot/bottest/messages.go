package bottest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"
)

// Message is a message the bot sent, in its current state.
type Message struct {
	ChatID int64
	ID     int
	Content
	Document *File // set for sendDocument; Text is then the caption
	Photo    *File // set for sendPhoto; Text is then the caption
	Date     time.Time
	EditDate time.Time // zero unless edited
	History  []Content // the contents before each edit, oldest first
}

// Content is what an edit can change.
type Content struct {
	Text        string // as the bot sent it, markup included
	PlainText   string // what the user sees: Text with the HTML markup parsed
	ParseMode   string
	ReplyMarkup *models.InlineKeyboardMarkup // nil without an inline keyboard
}

// File is an uploaded file.
type File struct {
	ID   string // the file_id the fake gave a sent document; empty in Call.Files
	Name string
	Data []byte
}

// Edited reports whether the bot has edited the message.
func (m Message) Edited() bool { return len(m.History) > 0 }

// Button finds the inline keyboard button labelled text.
func (m Message) Button(text string) (models.InlineKeyboardButton, bool) {
	if m.ReplyMarkup == nil {
		return models.InlineKeyboardButton{}, false
	}
	for _, row := range m.ReplyMarkup.InlineKeyboard {
		for _, button := range row {
			if button.Text == text {
				return button, true
			}
		}
	}
	return models.InlineKeyboardButton{}, false
}

// chat is one chat's share of the state.
type chat struct {
	lastMessageID int       // message ids count up per chat, the user's messages included
	messages      []Message // the bot's messages not deleted, oldest first
	left          bool      // the bot left the chat (a group)
}

// Sent returns the bot's messages in a chat, oldest first, as they are now:
// edits applied, deleted ones left out.
func (s *Server) Sent(chatID int64) []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.chat(chatID).messages)
}

// LastMessage returns the bot's newest message in a chat.
func (s *Server) LastMessage(chatID int64) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	messages := s.chat(chatID).messages
	if len(messages) == 0 {
		return Message{}, false
	}
	return messages[len(messages)-1], true
}

// chat returns a chat's state, creating it on first use. Call it with mu held.
func (s *Server) chat(id int64) *chat {
	c, ok := s.chats[id]
	if !ok {
		c = &chat{}
		s.chats[id] = c
	}
	return c
}

// message finds the bot's message id in a chat. Call it with mu held.
func (s *Server) message(chatID int64, id int) *Message {
	c, i := s.find(chatID, id)
	if i < 0 {
		return nil
	}
	return &c.messages[i]
}

// find returns the chat and the index of the bot's message id in it, -1 if
// there is none. Call it with mu held.
func (s *Server) find(chatID int64, id int) (*chat, int) {
	c := s.chat(chatID)
	return c, slices.IndexFunc(c.messages, func(m Message) bool { return m.ID == id })
}

// textField is the limits Telegram puts on a message text or a caption.
type textField struct {
	name     string
	required bool
	max      int // in characters after entity parsing; the fake counts runes
	tooLong  string
}

var (
	messageText = textField{name: "text", required: true, max: 4096, tooLong: "message is too long"}
	caption     = textField{name: "caption", max: 1024, tooLong: "message caption is too long"}
)

// readContent reads and checks a call's text (or caption), parse mode and
// inline keyboard.
func readContent(req *request, field textField) (Content, error) {
	text, parseMode := req.params[field.name], req.params["parse_mode"]
	plain, err := visibleText(text, parseMode)
	if err != nil {
		return Content{}, err
	}
	if field.required && strings.TrimSpace(plain) == "" {
		return Content{}, badRequest("message text is empty")
	}
	if utf8.RuneCountInString(plain) > field.max {
		return Content{}, badRequest(field.tooLong)
	}
	markup, err := inlineKeyboard(req.params["reply_markup"])
	if err != nil {
		return Content{}, err
	}
	return Content{Text: text, PlainText: plain, ParseMode: parseMode, ReplyMarkup: markup}, nil
}

// maxCallbackData is Telegram's limit on callback_data, in bytes.
const maxCallbackData = 64

// inlineKeyboard reads and checks reply_markup. It returns nil when there is
// none or it is not an inline keyboard (a reply keyboard stays in Call.Params).
func inlineKeyboard(raw string) (*models.InlineKeyboardMarkup, error) {
	if raw == "" {
		return nil, nil
	}
	var markup models.InlineKeyboardMarkup
	if err := json.Unmarshal([]byte(raw), &markup); err != nil {
		return nil, badRequest("can't parse reply keyboard markup JSON object")
	}
	if markup.InlineKeyboard == nil {
		return nil, nil
	}
	for _, row := range markup.InlineKeyboard {
		for _, b := range row {
			if len(b.CallbackData) > maxCallbackData {
				return nil, badRequest("BUTTON_DATA_INVALID")
			}
			// Empty callback_data is dropped by the client's omitempty and reaches Telegram as a button that does nothing.
			acts := b.CallbackData != "" || b.URL != "" || b.WebApp != nil || b.LoginURL != nil ||
				b.SwitchInlineQuery != "" || b.SwitchInlineQueryCurrentChat != "" || b.SwitchInlineQueryChosenChat != nil ||
				b.CopyText.Text != "" || b.CallbackGame != nil || b.Pay
			if !acts {
				return nil, badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
			}
		}
	}
	return &markup, nil
}

func (s *Server) sendMessage(req *request) (any, error) {
	content, err := readContent(req, messageText)
	if err != nil {
		return nil, err
	}
	return s.send(req, Message{Content: content})
}

func (s *Server) sendDocument(req *request) (any, error) {
	content, err := readContent(req, caption)
	if err != nil {
		return nil, err
	}
	doc, err := s.upload(req, "document")
	if err != nil {
		return nil, err
	}
	return s.send(req, Message{Content: content, Document: doc})
}

func (s *Server) sendPhoto(req *request) (any, error) {
	content, err := readContent(req, caption)
	if err != nil {
		return nil, err
	}
	photo, err := s.upload(req, "photo")
	if err != nil {
		return nil, err
	}
	return s.send(req, Message{Content: content, Photo: photo})
}

// upload takes a sendDocument's or sendPhoto's upload (field is "document" or
// "photo"), or finds the file a file_id names, as Telegram lets a bot send one
// file again without uploading it.
func (s *Server) upload(req *request, field string) (*File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if upload, ok := req.files[field]; ok {
		upload.ID = fmt.Sprintf("file-%d", len(s.files)+1)
		s.files[upload.ID] = upload
		return &upload, nil
	}
	fileID := req.params[field]
	if fileID == "" {
		return nil, badRequest("there is no " + field + " in the request")
	}
	if known, ok := s.files[fileID]; ok {
		return &known, nil
	}
	return nil, badRequest("wrong file identifier/HTTP URL specified")
}

// send stores msg as the bot's newest message in the call's chat, within the rate limit.
func (s *Server) send(req *request, msg Message) (any, error) {
	chatID, err := req.chatID()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := time.Now()
	if err := s.limit.allow(chatID, now); err != nil {
		return nil, err
	}
	c := s.chat(chatID)
	c.lastMessageID++
	msg.ChatID, msg.ID, msg.Date = chatID, c.lastMessageID, now
	c.messages = append(c.messages, msg)
	return msg, nil
}

func (s *Server) editMessageText(req *request) (any, error) {
	content, err := readContent(req, messageText)
	if err != nil {
		return nil, err
	}
	// Like Telegram, an edit without reply_markup removes the keyboard.
	return s.edit(req, func(old Message) (Content, error) {
		if old.Document != nil || old.Photo != nil {
			return Content{}, badRequest("there is no text in the message to edit")
		}
		return content, nil
	})
}

func (s *Server) editMessageReplyMarkup(req *request) (any, error) {
	markup, err := inlineKeyboard(req.params["reply_markup"])
	if err != nil {
		return nil, err
	}
	return s.edit(req, func(old Message) (Content, error) {
		old.ReplyMarkup = markup
		return old.Content, nil
	})
}

// edit replaces the content of the message the call names with change's result.
func (s *Server) edit(req *request, change func(Message) (Content, error)) (any, error) {
	chatID, id, err := req.messageRef()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	msg := s.message(chatID, id)
	if msg == nil {
		return nil, badRequest("message to edit not found")
	}
	content, err := change(*msg)
	if err != nil {
		return nil, err
	}
	if reflect.DeepEqual(content, msg.Content) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	msg.History = append(slices.Clip(msg.History), msg.Content) // Clip: copies handed out keep their history
	msg.Content, msg.EditDate = content, time.Now()
	return *msg, nil
}

func (s *Server) deleteMessage(req *request) (any, error) {
	chatID, id, err := req.messageRef()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, i := s.find(chatID, id)
	if i < 0 {
		return nil, badRequest("message to delete not found")
	}
	c.messages = slices.Delete(c.messages, i, i+1)
	return true, nil
}

// apiMessage is msg as the Bot API shows it: plain text, from the bot.
func (s *Server) apiMessage(msg Message) *models.Message {
	from := s.bot
	out := &models.Message{
		ID:          msg.ID,
		From:        &from,
		Date:        int(msg.Date.Unix()),
		Chat:        chatOf(msg.ChatID),
		ReplyMarkup: msg.ReplyMarkup,
	}
	if msg.Edited() {
		out.EditDate = int(msg.EditDate.Unix())
	}
	if msg.Document == nil && msg.Photo == nil {
		out.Text = msg.PlainText
		return out
	}
	out.Caption = msg.PlainText
	if msg.Photo != nil {
		out.Photo = []models.PhotoSize{{FileID: msg.Photo.ID, FileUniqueID: msg.Photo.ID, FileSize: len(msg.Photo.Data)}}
		return out
	}
	out.Document = &models.Document{
		FileID:       msg.Document.ID,
		FileUniqueID: msg.Document.ID,
		FileName:     msg.Document.Name,
		FileSize:     int64(len(msg.Document.Data)),
	}
	return out
}

// chatOf is the chat an id names: users' private chats have positive ids, groups negative ones.
func chatOf(id int64) models.Chat {
	if id > 0 {
		return models.Chat{ID: id, Type: models.ChatTypePrivate}
	}
	return models.Chat{ID: id, Type: models.ChatTypeSupergroup}
}
