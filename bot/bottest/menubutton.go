package bottest

import (
	"encoding/json"

	"github.com/go-telegram/bot/models"
)

// setChatMenuButton keeps the default menu button (a chat's own is not
// recorded: the bot sets none).
func (s *Server) setChatMenuButton(req *request) (any, error) {
	var b models.MenuButton
	if raw := req.params["menu_button"]; raw != "" {
		if err := json.Unmarshal([]byte(raw), &b); err != nil {
			return nil, badRequest("can't parse menu button JSON object")
		}
	}
	if b.Type == models.MenuButtonTypeWebApp && (b.WebApp == nil || b.WebApp.WebApp.URL == "" || b.WebApp.Text == "") {
		return nil, badRequest("BUTTON_TYPE_INVALID")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.menuButton = b
	return true, nil
}

// MenuButton is the default menu button the bot set last; its Type is empty
// when it set none.
func (s *Server) MenuButton() models.MenuButton {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.menuButton
}
