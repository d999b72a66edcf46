// Package chat is a terminal chat with a bot behind the bottest fake: the person
// at the terminal plays one Telegram user. Each line they type is sent as a
// message, a number presses that button of the newest message with buttons, and
// whatever the bot sends to or edits in the chat is printed as it arrives, so
// messages the bot sends on its own show up as well as answers.
//
// The chat waits for the bot to finish with each message before it reads the
// next line, so typed-ahead or piped input presses the buttons of the answer it
// follows. Wire Handled to the bot's after-update hook for that:
//
//	c := chat.New(fake, user, os.Stdout, chat.Options{Printer: locales.For("ru")})
//	b, _ := bot.New(ctx, store, bot.Options{..., AfterUpdate: func(string, time.Duration, error) { c.Handled() }})
//	go b.Poll(ctx)
//	err := c.Run(ctx, os.Stdin)
package chat

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/go-telegram/bot/models"

	"github.com/dnevnik/dnevnik/bot/bottest"
	"github.com/dnevnik/dnevnik/locales"
)

// Options say how the chat looks.
type Options struct {
	Printer *locales.Printer // required: the chat's own words, the edit mark and the hint for a wrong number
	Styled  bool             // show bold and struck-out text with ANSI escapes: the output is a terminal
	Echo    bool             // repeat each typed line: the input is not a terminal, so nobody saw it
}

// Chat is one person's conversation with the bot.
type Chat struct {
	fake    *bottest.Server
	user    bottest.User
	out     io.Writer
	opts    Options
	calls   <-chan bottest.Call
	queries map[string]bool // the callback queries of our presses, to show their answers

	sent    int64        // updates sent to the bot; read and written by Run only
	handled atomic.Int64 // updates the bot has finished with
	wake    chan struct{}
}

// New starts listening to the fake, so nothing the bot sends from now on is missed.
func New(fake *bottest.Server, user bottest.User, out io.Writer, opts Options) *Chat {
	return &Chat{fake: fake, user: user, out: out, opts: opts, calls: fake.Subscribe(),
		queries: map[string]bool{}, wake: make(chan struct{}, 1)}
}

// Handled tells the chat that the bot has finished with an update. It counts
// updates of any chat: the person at the terminal is the bot's only user.
func (c *Chat) Handled() {
	c.handled.Add(1)
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// Run reads typed lines from in until it ends or ctx ends.
func (c *Chat) Run(ctx context.Context, in io.Reader) error {
	lines := make(chan string)
	var readErr error // set before lines closes
	// A read of a terminal cannot be interrupted: on ctx's end this goroutine
	// stays blocked in it until the process exits.
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(in)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			case <-ctx.Done():
				return
			}
		}
		readErr = sc.Err()
	}()
	for {
		c.showArrived()
		select {
		case <-ctx.Done():
			return nil
		case call, ok := <-c.calls:
			if !ok { // the fake was closed
				return nil
			}
			c.show(call)
		case line, ok := <-lines:
			if !ok {
				if readErr != nil {
					return fmt.Errorf("read the typed lines: %w", readErr)
				}
				return nil
			}
			c.typed(ctx, line)
		}
	}
}

// typed sends a line to the bot, or presses a button for a number, and waits
// for the bot to finish with it.
func (c *Chat) typed(ctx context.Context, line string) {
	line = strings.TrimSpace(line)
	if line == "" {
		return
	}
	if c.opts.Echo {
		fmt.Fprintf(c.out, "> %s\n", line)
	}
	if n, err := strconv.Atoi(line); err == nil {
		if !c.press(n) {
			return
		}
	} else {
		c.fake.SendText(c.user, line)
	}
	c.sent++
	for c.handled.Load() < c.sent {
		select {
		case <-ctx.Done():
			return
		case call, ok := <-c.calls:
			if !ok {
				return
			}
			c.show(call)
		case <-c.wake:
		}
	}
}

// press presses the nth button of the newest message with buttons and reports
// whether it did.
func (c *Chat) press(n int) bool {
	msg, buttons := c.newestButtons()
	if n < 1 || n > len(buttons) {
		fmt.Fprintln(c.out, c.opts.Printer.T("demo_chat_no_button", "N", n))
		return false
	}
	fmt.Fprintf(c.out, "» %s\n", buttons[n-1].Text)
	id, err := c.fake.PressButton(c.user, msg, buttons[n-1].CallbackData)
	if err != nil { // the bot deleted the message in the meantime
		fmt.Fprintln(c.out, c.opts.Printer.T("demo_chat_no_button", "N", n))
		return false
	}
	c.queries[id] = true
	return true
}

// newestButtons finds the newest message with buttons and lists its buttons
// row by row, as print numbers them.
func (c *Chat) newestButtons() (bottest.Message, []models.InlineKeyboardButton) {
	sent := c.fake.Sent(c.user.ID)
	for i := len(sent) - 1; i >= 0; i-- {
		if kb := sent[i].ReplyMarkup; kb != nil {
			return sent[i], slices.Concat(kb.InlineKeyboard...)
		}
	}
	return bottest.Message{}, nil
}

// showArrived prints what the bot has sent and nobody has shown yet.
func (c *Chat) showArrived() {
	for {
		select {
		case call, ok := <-c.calls:
			if !ok {
				return
			}
			c.show(call)
		default:
			return
		}
	}
}

// show prints what the person would see of a call to the Bot API.
func (c *Chat) show(call bottest.Call) {
	if call.Status != http.StatusOK { // Telegram refused it: the person sees nothing
		return
	}
	switch call.Method {
	case "sendMessage", "sendDocument", "sendPhoto":
		c.print(call.Message, false)
	case "editMessageText", "editMessageReplyMarkup":
		c.print(call.Message, true)
	case "answerCallbackQuery":
		if text := call.Params["text"]; text != "" && c.queries[call.Params["callback_query_id"]] {
			fmt.Fprintf(c.out, "🔔 %s\n", text)
		}
	}
}

func (c *Chat) print(m *bottest.Message, edited bool) {
	if m == nil || m.ChatID != c.user.ID {
		return
	}
	var b strings.Builder
	b.WriteString("\n")
	if edited {
		b.WriteString(c.opts.Printer.T("demo_chat_edited") + "\n")
	}
	if m.Document != nil {
		fmt.Fprintf(&b, "📎 %s\n", m.Document.Name)
	}
	if m.Photo != nil { // a terminal shows no picture: its name, as for a document
		fmt.Fprintf(&b, "🖼 %s\n", m.Photo.Name)
	}
	b.WriteString(c.text(m.Content) + "\n")
	if m.ReplyMarkup != nil {
		n := 0
		for _, row := range m.ReplyMarkup.InlineKeyboard {
			labels := make([]string, len(row))
			for i, button := range row {
				n++
				labels[i] = fmt.Sprintf("[%d] %s", n, button.Text)
			}
			b.WriteString(strings.Join(labels, "  ") + "\n")
		}
	}
	io.WriteString(c.out, b.String())
}

// text is what the person reads: the plain text, or in a terminal the HTML
// with bold and struck-out parts drawn by ANSI escapes.
func (c *Chat) text(m bottest.Content) string {
	if !c.opts.Styled || !strings.EqualFold(m.ParseMode, "html") {
		return m.PlainText
	}
	styled := htmlTag.ReplaceAllStringFunc(m.Text, func(tag string) string {
		parts := htmlTag.FindStringSubmatch(tag)
		style, ok := ansiStyles[strings.ToLower(parts[2])]
		switch {
		case !ok:
			return ""
		case parts[1] == "/":
			return style[1]
		default:
			return style[0]
		}
	})
	return html.UnescapeString(styled)
}

// htmlTag is a start or end tag of the HTML Telegram takes; the fake has
// checked that the markup is well formed.
var htmlTag = regexp.MustCompile(`<(/?)([A-Za-z-]+)[^>]*>`)

// ansiStyles are the SGR sequences that start and end the tags a terminal can show.
var ansiStyles = map[string][2]string{
	"b": {"\x1b[1m", "\x1b[22m"}, "strong": {"\x1b[1m", "\x1b[22m"},
	"s": {"\x1b[9m", "\x1b[29m"}, "strike": {"\x1b[9m", "\x1b[29m"}, "del": {"\x1b[9m", "\x1b[29m"},
}
