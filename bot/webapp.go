package bot

import (
	"context"
	"fmt"

	tg "github.com/go-telegram/bot"
	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/locales"
)

// The Mini App (WEBAPP_URL): the menu button beside the message field opens
// it, and a button under the answers a screen shows better (the day, the
// week, the grades).

// setMenuButton makes the default menu button open the Mini App. Telegram
// keeps one default for every chat and language, so it reads in Russian.
func (b *Bot) setMenuButton(ctx context.Context) error {
	if b.webApp == "" {
		return nil
	}
	button := &models.MenuButtonWebApp{Type: models.MenuButtonTypeWebApp,
		Text: locales.For(locales.Languages[0]).T("webapp_family_menu"), WebApp: models.WebAppInfo{URL: b.webApp}}
	if _, err := b.client.SetChatMenuButton(ctx, &tg.SetChatMenuButtonParams{MenuButton: button}); err != nil {
		return fmt.Errorf("set the menu button: %w", err)
	}
	return nil
}

// withDiary adds the «📖 Открыть дневник» row to a keyboard when the Mini App
// is on.
func (r *request) withDiary(kb [][]models.InlineKeyboardButton) [][]models.InlineKeyboardButton {
	if r.b.webApp == "" {
		return kb
	}
	return append(kb, []models.InlineKeyboardButton{{Text: r.p.T("webapp_family_open"), WebApp: &models.WebAppInfo{URL: r.b.webApp}}})
}
