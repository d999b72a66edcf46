package bottest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"

	"github.com/go-telegram/bot/models"
)

// commandKey is what Telegram keeps one command list for.
type commandKey struct {
	scope        string // the scope as canonical JSON
	languageCode string
}

// commandName is what Telegram allows as a command.
var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

// setMyCommands keeps the latest list per scope and language; an empty list
// deletes it.
func (s *Server) setMyCommands(req *request) (any, error) {
	var commands []models.BotCommand
	if err := json.Unmarshal([]byte(req.params["commands"]), &commands); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	for _, c := range commands {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if c.Description == "" {
			return nil, badRequest("command description must be non-empty")
		}
	}
	scope, err := canonicalScope([]byte(req.params["scope"]))
	if err != nil {
		return nil, badRequest("can't parse BotCommandScope JSON object")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[commandKey{scope: scope, languageCode: req.params["language_code"]}] = commands
	return true, nil
}

// Commands returns the commands last set for a scope (nil for the default
// one) and a language ("" for all languages without their own list).
func (s *Server) Commands(scope models.BotCommandScope, languageCode string) []models.BotCommand {
	key, err := scopeKey(scope)
	if err != nil { // only a scope the client could not send either
		panic(fmt.Sprintf("bottest: %v", err))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.commands[commandKey{scope: key, languageCode: languageCode}])
}

func scopeKey(scope models.BotCommandScope) (string, error) {
	if scope == nil {
		return canonicalScope(nil)
	}
	scopeJSON, err := scope.MarshalCustom()
	if err != nil {
		return "", fmt.Errorf("encode scope: %w", err)
	}
	return canonicalScope(scopeJSON)
}

// canonicalScope re-encodes a scope so that equal scopes compare equal; no scope is the default one.
func canonicalScope(scopeJSON []byte) (string, error) {
	if len(scopeJSON) == 0 {
		scopeJSON = []byte(`{"type":"default"}`)
	}
	var fields map[string]any
	if err := json.Unmarshal(scopeJSON, &fields); err != nil {
		return "", fmt.Errorf("decode scope: %w", err)
	}
	canonical, err := json.Marshal(fields) // map keys come out sorted
	if err != nil {
		return "", fmt.Errorf("encode scope: %w", err)
	}
	return string(canonical), nil
}
