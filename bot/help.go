package bot

import (
	"context"
	"strings"
)

// help answers /help: what the bot does and the questions parents ask.
func (r *request) help(ctx context.Context, _ string) error {
	return r.say(ctx, strings.Join([]string{r.p.T("help_intro"), r.p.T("help_commands"), r.p.T("print_help"), r.p.T("messages_help"), r.p.T("help_faq")}, "\n\n"))
}
