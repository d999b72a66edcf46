package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// request is one update from one person, with what every handler needs.
type request struct {
	b       *Bot
	account diary.Account
	// familyChildren are the account's children as the access rule saw them
	// when the update arrived, read with the account (diary.Store.Visit) when
	// it acts as a family (family): the one access check of a family's command.
	familyChildren []diary.Child
	family         bool
	p              *locales.Printer
	chatID         int64
	userID         int64
	// For a button press: the query to answer and the message the button is on.
	query   *models.CallbackQuery
	message *models.Message
	// typed is the id of the person's own message for typed text: what an
	// answer to it replies to.
	typed int
	// answered is set once the callback query has been answered.
	answered bool
	// told is set once the person was told why what they asked failed.
	told bool
}

func (b *Bot) route(ctx context.Context, upd *models.Update) (string, error) {
	if group, from, ok := groupOf(upd); ok {
		err := b.leaveGroup(ctx, group, from)
		if q := upd.CallbackQuery; q != nil { // Telegram shows a spinner until the query is answered
			_, answerErr := b.client.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID})
			err = errors.Join(err, answerErr)
		}
		return "group", err
	}
	switch {
	case upd.Message != nil && upd.Message.From != nil && upd.Message.Chat.Type == models.ChatTypePrivate:
		m := upd.Message
		r, err := b.newRequest(ctx, m.From, m.Chat.ID, asksAboutChild(m.Text, b.username))
		r.typed = m.ID
		if err == nil {
			err = r.onText(ctx, m.Text)
		}
		return "message", r.tell(ctx, err)
	case upd.CallbackQuery != nil:
		q := upd.CallbackQuery
		msg := q.Message.Message
		if msg == nil { // a message too old for Telegram to show us
			_, err := b.client.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{CallbackQueryID: q.ID})
			return "callback", err
		}
		r, err := b.newRequest(ctx, &q.From, msg.Chat.ID, true) // most buttons are about a child
		r.query, r.message = q, msg
		if err == nil {
			err = r.onButton(ctx, q.Data)
		}
		err = r.tell(ctx, err)
		if !r.answered { // Telegram shows a spinner until the query is answered
			err = errors.Join(err, r.answer(ctx, ""))
		}
		return "callback", err
	}
	return "ignored", nil
}

// groupOf is the chat of an update from a group, a supergroup or a channel
// (a message, a post, the bot added, a button pressed there), and who sent
// it, if known. The diary is private: nothing from such a chat reaches an
// account.
func groupOf(upd *models.Update) (models.Chat, *models.User, bool) {
	var (
		chat models.Chat
		from *models.User
	)
	switch {
	case upd.Message != nil:
		chat, from = upd.Message.Chat, upd.Message.From
	case upd.ChannelPost != nil:
		chat = upd.ChannelPost.Chat
	case upd.MyChatMember != nil:
		if upd.MyChatMember.NewChatMember.Type == models.ChatMemberTypeLeft ||
			upd.MyChatMember.NewChatMember.Type == models.ChatMemberTypeBanned {
			return models.Chat{}, nil, false // removed: nothing to say
		}
		chat, from = upd.MyChatMember.Chat, &upd.MyChatMember.From
	case upd.CallbackQuery != nil && upd.CallbackQuery.Message.Message != nil:
		chat, from = upd.CallbackQuery.Message.Message.Chat, &upd.CallbackQuery.From
	default:
		return models.Chat{}, nil, false
	}
	return chat, from, chat.Type != models.ChatTypePrivate
}

// leaveGroup says once, in the group, in the language of who brought the bot
// there, "write to me privately", and leaves.
func (b *Bot) leaveGroup(ctx context.Context, group models.Chat, from *models.User) error {
	lang := ""
	if from != nil {
		lang = from.LanguageCode
	}
	_, sayErr := b.client.SendMessage(ctx, &tg.SendMessageParams{ChatID: group.ID, Text: locales.For(locales.Pick(lang)).T("group_refused")})
	_, leaveErr := b.client.LeaveChat(ctx, &tg.LeaveChatParams{ChatID: group.ID})
	if sayErr != nil || leaveErr != nil {
		return fmt.Errorf("leave group %d: %w", group.ID, errors.Join(sayErr, leaveErr))
	}
	b.log.Info("left a group", "chat", group.ID, "type", group.Type)
	return nil
}

// newRequest reads the account of the person who wrote and, for an update
// about a child, the children it may see, in one statement
// (diary.Store.Visit). When that fails (the database is away) the request
// still speaks their language, as Telegram gives it, so that tell can say
// what went wrong.
func (b *Bot) newRequest(ctx context.Context, from *models.User, chatID int64, aboutChild bool) (*request, error) {
	r := &request{b: b, p: locales.For(locales.Pick(from.LanguageCode)), chatID: chatID, userID: from.ID}
	v, err := b.store.Visit(ctx, from.ID, chatID, locales.Pick(from.LanguageCode), aboutChild)
	if err != nil {
		return r, err
	}
	r.account, r.familyChildren, r.family, r.p = v.Account, v.Children, v.Family, locales.For(v.Account.Language)
	return r, nil
}

// tell makes sure the person hears of an error they were not told of: every
// update gets an answer, "temporarily unavailable" while the database is away.
func (r *request) tell(ctx context.Context, err error) error {
	if err == nil || r.told {
		return err
	}
	return r.fail(ctx, err)
}

// onText handles a typed message: a command, a code, a date, or a hint.
func (r *request) onText(ctx context.Context, text string) error {
	text = strings.TrimSpace(text)
	if name, args, ok := parseCommand(text, r.b.username); ok {
		c, ok := commandNamed(name)
		if !ok {
			return r.say(ctx, r.p.T("unknown_command", "Command", "/"+name))
		}
		// A command leaves whatever conversation was going on.
		if r.account.Conversing {
			if err := r.b.store.EndConversation(ctx, r.account.ID); err != nil {
				return err
			}
		}
		return c.run(r, ctx, args)
	}
	if handled, err := r.continueFlow(ctx, text); handled || err != nil {
		return err
	}
	if _, ok := diary.NormalizeCode(text); ok {
		return r.link(ctx, text)
	}
	if _, ok := parseDay(text, r.typedToday()); ok {
		return r.showDay(ctx, text)
	}
	return r.say(ctx, r.p.T("not_understood"))
}

// commandNamed is the command of a name, if there is one.
func commandNamed(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// asksAboutChild tells whether a typed message may ask about a child: a
// command that does (command.child), or anything but a command (a date, an
// answer in a conversation).
func asksAboutChild(text, botUsername string) bool {
	name, _, ok := parseCommand(strings.TrimSpace(text), botUsername)
	if !ok {
		return true
	}
	c, _ := commandNamed(name)
	return c.child
}

// onButton handles a button press.
func (r *request) onButton(ctx context.Context, data string) error {
	cb, err := r.b.codec.Decode(data)
	if err != nil {
		// A tampered or foreign button: say it is out of date, show nothing.
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	h, ok := buttons[cb.Kind]
	if !ok {
		return r.answerAlert(ctx, r.p.T("button_outdated"))
	}
	return h(r, ctx, cb.Args)
}

// say sends text as new messages (split to fit Telegram), the keyboard on the last.
func (r *request) say(ctx context.Context, text string, kb ...[]models.InlineKeyboardButton) error {
	parts := render.Split(text, telegram.MessageLimit)
	for i, part := range parts {
		params := &tg.SendMessageParams{ChatID: r.chatID, Text: part, ParseMode: models.ParseModeHTML,
			LinkPreviewOptions: noPreview}
		if i == len(parts)-1 && len(kb) > 0 {
			params.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: kb}
		}
		if _, err := r.b.client.SendMessage(ctx, params); err != nil {
			return fmt.Errorf("send message: %w", err)
		}
	}
	return nil
}

// show answers a button press by editing the message the button is on, or, for
// a typed command, by sending a new message.
func (r *request) show(ctx context.Context, text string, kb ...[]models.InlineKeyboardButton) error {
	if r.message == nil || len([]rune(text)) > telegram.MessageLimit {
		return r.say(ctx, text, kb...)
	}
	params := &tg.EditMessageTextParams{ChatID: r.chatID, MessageID: r.message.ID, Text: text,
		ParseMode: models.ParseModeHTML, LinkPreviewOptions: noPreview}
	if len(kb) > 0 {
		params.ReplyMarkup = &models.InlineKeyboardMarkup{InlineKeyboard: kb}
	}
	_, err := r.b.client.EditMessageText(ctx, params)
	if telegram.NotModified(err) {
		return nil // pressed the button for what is already shown
	}
	if err != nil {
		return fmt.Errorf("edit message: %w", err)
	}
	return nil
}

// answer answers the button press with a short notice (or none).
func (r *request) answer(ctx context.Context, text string) error {
	return r.answerQuery(ctx, text, false)
}

// answerAlert answers the button press with a notice the person must dismiss.
func (r *request) answerAlert(ctx context.Context, text string) error {
	return r.answerQuery(ctx, text, true)
}

func (r *request) answerQuery(ctx context.Context, text string, alert bool) error {
	if r.query == nil || r.answered {
		if text == "" {
			return nil
		}
		return r.say(ctx, text)
	}
	r.answered = true
	_, err := r.b.client.AnswerCallbackQuery(ctx, &tg.AnswerCallbackQueryParams{
		CallbackQueryID: r.query.ID, Text: text, ShowAlert: alert})
	if err != nil {
		return fmt.Errorf("answer button: %w", err)
	}
	return nil
}

// fail tells the person, in their language, why what they asked cannot be done.
// Errors they did not cause are returned for the log.
func (r *request) fail(ctx context.Context, err error) error {
	r.told = true
	sayErr := r.answerAlertOrSay(ctx, render.Refusal(r.p, err))
	if code := diary.ErrorCode(err); code == diary.EINTERNAL || code == diary.EUNAVAILABLE {
		return errors.Join(err, sayErr)
	}
	return sayErr
}

// answerAlertOrSay shows a short notice on the button for a press, or a message.
func (r *request) answerAlertOrSay(ctx context.Context, text string) error {
	if r.query != nil && !r.answered {
		return r.answerAlert(ctx, text)
	}
	return r.say(ctx, text)
}

var noPreview = &models.LinkPreviewOptions{IsDisabled: tg.True()}
