package main

import (
	"context"
	"encoding/base64"
	"encoding/csv"
	"flag"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"regexp"
	"slices"
	"strings"
	"time"

	tg "github.com/go-telegram/bot"
	"github.com/skip2/go-qrcode"

	"github.com/dnevnik/dnevnik/bot"
	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/render"
	"github.com/dnevnik/dnevnik/telegram"
)

// codesOptions are the flags of `dnevnik codes`.
type codesOptions struct {
	class    string
	role     string
	teachers bool   // a code for each teacher of school instead
	school   string // with teachers
	ttl      time.Duration
	format   string
	lang     string
	bot      string // the bot's username without @; empty: ask Telegram
}

func codesCommand() command {
	var o codesOptions
	return command{
		name:    "codes",
		args:    "(--class CLASS_SOURCED_ID --role guardian|student | --teachers --school SCHOOL_SOURCED_ID) [--ttl 336h] [--format csv|html] [--lang ru|en] [--bot USERNAME]",
		summary: "Issue a one-time link code for each pupil of a class, or each teacher of a school, and print them as CSV or as an A4 sheet of cut-out cards (HTML).",
		// Telegram too, unless --bot names the bot: see botUsername.
		needs: needDatabase | needSecret | mayTelegram,
		flags: o.declare,
		run:   o.run,
	}
}

func (o *codesOptions) declare(fs *flag.FlagSet) {
	fs.StringVar(&o.class, "class", "", "the sourced id of the class whose pupils get codes (with --role)")
	fs.StringVar(&o.role, "role", "", "who links with the codes: guardian or student (required with --class)")
	fs.BoolVar(&o.teachers, "teachers", false, "issue a code for each active teacher of --school instead of a class's pupils")
	fs.StringVar(&o.school, "school", "", "the sourced id of the school (with --teachers)")
	fs.DurationVar(&o.ttl, "ttl", 14*24*time.Hour, "how long the codes can be used")
	fs.StringVar(&o.format, "format", "csv", "csv, or html for a printable sheet")
	fs.StringVar(&o.lang, "lang", "ru", "the language of the sheet: ru or en")
	fs.StringVar(&o.bot, "bot", "", "the bot's username for links and QR codes; without it the command reads\n"+
		"TELEGRAM_TOKEN and TELEGRAM_API_URL and asks Telegram")
}

func (o *codesOptions) run(ctx context.Context, e *env, args []string) error {
	if err := o.validate(args); err != nil {
		return err
	}
	// Ask Telegram before issuing, so that a failure leaves no unprinted codes.
	username, err := o.botUsername(ctx, e.cfg, e.log)
	if err != nil {
		return err
	}
	pool, err := openPool(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()

	store := newStore(pool, e.cfg.CodeSecrets)
	var codes []diary.IssuedCode
	what, id, holders := "class", o.class, "pupils"
	if o.teachers {
		what, id, holders = "school", o.school, "teachers"
		codes, err = store.IssueTeacherCodes(ctx, o.school, o.ttl)
	} else {
		codes, err = store.IssueClassCodes(ctx, o.class, diary.Role(o.role), o.ttl)
	}
	switch {
	case diary.ErrorCode(err) == diary.ENOTFOUND:
		return fmt.Errorf("no active %s has the sourced id %q", what, id)
	case diary.ErrorCode(err) == diary.EINVALID:
		return usageError{err.Error()}
	case err != nil:
		return fmt.Errorf("issue codes: %w", err)
	case len(codes) == 0:
		return fmt.Errorf("%s %q has no active %s: no codes issued", what, id, holders)
	}

	if o.format == "html" {
		err = writeCodeSheet(e.stdout, codes, username, locales.For(o.lang))
	} else {
		err = writeCodeCSV(e.stdout, codes, username)
	}
	if err != nil {
		return fmt.Errorf("print %d issued codes: %w", len(codes), err)
	}
	e.log.Info("issued link codes", what, id, "role", codes[0].Role, "count", len(codes),
		"expires_at", codes[0].ExpiresAt.UTC().Format(time.RFC3339))
	return nil
}

// usernamePattern is a Telegram username: 5 to 32 letters, digits and
// underscores, starting with a letter.
var usernamePattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{4,31}$`)

// validate checks the flags before anything is done and drops the @ people
// naturally type before a username.
func (o *codesOptions) validate(args []string) error {
	o.bot = strings.TrimPrefix(o.bot, "@")
	switch {
	case len(args) > 0:
		return usageError{fmt.Sprintf("unexpected argument %q: codes takes only flags", args[0])}
	case o.teachers && (o.class != "" || o.role != ""):
		return usageError{"--teachers takes --school, not --class or --role"}
	case o.teachers && o.school == "":
		return usageError{"--school is required with --teachers"}
	case !o.teachers && o.school != "":
		return usageError{"--school goes with --teachers"}
	case !o.teachers && o.class == "":
		return usageError{"--class is required"}
	case !o.teachers && o.role != string(diary.RoleGuardian) && o.role != string(diary.RoleStudent):
		return usageError{fmt.Sprintf("--role is %q; it must be guardian or student", o.role)}
	case o.ttl <= 0:
		return usageError{fmt.Sprintf("--ttl is %s; it must be longer than zero", o.ttl)}
	case o.format != "csv" && o.format != "html":
		return usageError{fmt.Sprintf("--format is %q; it must be csv or html", o.format)}
	case !slices.Contains(locales.Languages, o.lang):
		return usageError{fmt.Sprintf("--lang is %q; it must be one of %s", o.lang, strings.Join(locales.Languages, ", "))}
	case o.bot != "" && !usernamePattern.MatchString(o.bot):
		return usageError{fmt.Sprintf("--bot is %q, which is not a Telegram username", o.bot)}
	}
	return nil
}

// getMeTimeout bounds the one call to Telegram: the client's own timeout is
// made for long polling.
const getMeTimeout = 15 * time.Second

// botUsername is --bot, or else the username Telegram reports for
// TELEGRAM_TOKEN, so that printing offline needs no token.
func (o *codesOptions) botUsername(ctx context.Context, cfg config, log *slog.Logger) (string, error) {
	if o.bot != "" {
		return o.bot, nil
	}
	api, errs := cfg.telegramAPI()
	if len(errs) > 0 {
		lines := make([]string, len(errs))
		for i, err := range errs {
			lines[i] = err.Error()
		}
		return "", usageError{strings.Join(lines, "; ") + " (or pass --bot USERNAME to print without asking Telegram)"}
	}
	b, err := tg.New(api.Token, telegram.ClientOptions(api.APIURL, 0, log)...)
	if err != nil {
		return "", fmt.Errorf("telegram client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, getMeTimeout)
	defer cancel()
	me, err := b.GetMe(ctx)
	if err != nil {
		return "", fmt.Errorf("ask Telegram for the bot's username (or pass --bot USERNAME): %w", err)
	}
	return me.Username, nil
}

var codeCSVHeader = []string{"student_sourced_id", "student_name", "class", "role", "code", "link", "expires_at"}

// teacherCSVHeader heads teachers' codes; a teacher's classes are their
// homerooms, several in one cell ("7А, 7Б"), hence the plural the README names.
var teacherCSVHeader = []string{"teacher_sourced_id", "teacher_name", "classes", "role", "code", "link", "expires_at"}

// writeCodeCSV writes one row per code, for mail merges and the school's records.
func writeCodeCSV(w io.Writer, codes []diary.IssuedCode, username string) error {
	records := [][]string{codeCSVHeader}
	if codes[0].Role == diary.RoleTeacher {
		records[0] = teacherCSVHeader
	}
	for _, c := range codes {
		records = append(records, []string{c.PersonSourceID, render.FullName(c.Person), c.Class, string(c.Role),
			diary.FormatCode(c.Code), bot.StartLink(username, c.Code), c.ExpiresAt.UTC().Format(time.RFC3339)})
	}
	for _, r := range records[1:] {
		for i := range r {
			r[i] = inertCell(r[i])
		}
	}
	return csv.NewWriter(w).WriteAll(records)
}

// inertCell keeps a spreadsheet from reading a cell as a formula: one that
// begins with =, +, -, @, a tab or a carriage return gets a leading '. A
// name from the school's export is not ours to trust, and the sheet it lands
// in holds every family's code.
func inertCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// A sheet is A4 pages of cut-out cards, two columns by four rows.
const cardsPerPage = 8

// codeSheet is what the sheet template shows.
type codeSheet struct {
	Lang    string
	Title   string
	Heading string   // whose code it is: a parent's or the pupil's
	Steps   []string // how to link, the same on every card
	Pages   [][]codeCard
}

type codeCard struct {
	Name, Class, Code, ValidUntil, Link string
	QR                                  template.URL // a PNG data URI
}

// writeCodeSheet writes a printable HTML sheet with one card per code.
func writeCodeSheet(w io.Writer, codes []diary.IssuedCode, username string, p *locales.Printer) error {
	s := codeSheet{
		Lang:    p.Lang(),
		Title:   p.T("codes_sheet_title", "Class", codes[0].Class),
		Heading: p.T("codes_for_guardian"),
		Steps:   []string{p.T("codes_step_open", "Bot", username), p.T("codes_step_start"), p.T("codes_step_done")},
	}
	switch codes[0].Role {
	case diary.RoleStudent:
		s.Heading = p.T("codes_for_student")
	case diary.RoleTeacher:
		s.Title, s.Heading = p.T("codes_sheet_title_teachers", "School", codes[0].School), p.T("codes_for_teacher")
	}
	cards := make([]codeCard, len(codes))
	for i, c := range codes {
		link := bot.StartLink(username, c.Code)
		qr, err := qrDataURI(link)
		if err != nil {
			return fmt.Errorf("QR code for %s: %w", c.PersonSourceID, err)
		}
		cards[i] = codeCard{
			Name:       render.FullName(c.Person),
			Class:      c.Class,
			Code:       diary.FormatCode(c.Code),
			ValidUntil: p.T("codes_valid_until", "Date", p.DateYear(diary.Date(c.ExpiresAt, c.Location))),
			Link:       link,
			QR:         qr,
		}
	}
	s.Pages = slices.Collect(slices.Chunk(cards, cardsPerPage))
	return codeSheetTemplate.Execute(w, s)
}

// qrModulePixels makes the QR image about 300 dpi at the 28 mm it is printed.
const qrModulePixels = 8

// qrDataURI draws the link as a QR code. Level High (25% of the symbol can be
// lost) forgives a folded or smudged card; the link is short enough that the
// symbol still has only 33 to 41 modules a side.
func qrDataURI(link string) (template.URL, error) {
	png, err := qrcode.Encode(link, qrcode.High, -qrModulePixels)
	if err != nil {
		return "", err
	}
	// A data URI built here from our own bytes: safe to mark as a URL.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), nil
}

// The sheet is self-contained: inline CSS, system fonts, images as data URIs.
var codeSheetTemplate = template.Must(template.New("codes").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: #000; }
/* 2 × 4 cards fill the 190 × 277 mm inside the page margins; the dashed lines are where to cut. */
.page { width: 190mm; display: grid; grid-template-columns: repeat(2, 1fr); grid-auto-rows: 69mm;
  border-top: 0.3mm dashed #888; border-left: 0.3mm dashed #888; break-after: page; }
.page:last-child { break-after: auto; }
.card { display: grid; grid-template-columns: 28mm 1fr; grid-template-rows: auto auto 1fr; column-gap: 4mm;
  padding: 3.5mm 5mm; border-right: 0.3mm dashed #888; border-bottom: 0.3mm dashed #888;
  break-inside: avoid; overflow: hidden; }
.who { grid-column: 1 / -1; display: flex; justify-content: space-between; align-items: baseline; gap: 3mm;
  margin-bottom: 1.5mm; }
.name { font-size: 11pt; font-weight: bold; }
.class { font-size: 11pt; white-space: nowrap; }
.heading, .until { font-size: 8.5pt; }
.qr { width: 28mm; height: 28mm; image-rendering: pixelated; }
.info { display: flex; flex-direction: column; justify-content: center; gap: 1.5mm; }
.code { font-family: "DejaVu Sans Mono", "Courier New", monospace; font-size: 16pt; font-weight: bold;
  white-space: nowrap; }
.steps { grid-column: 1 / -1; margin: 1.5mm 0 0; padding-left: 4mm; font-size: 7.5pt; line-height: 1.25; }
@media screen {
  body { background: #ddd; }
  .page { margin: 10mm auto; background: #fff; }
}
</style>
</head>
<body>
{{range .Pages}}<div class="page">
{{range .}}<section class="card">
<div class="who"><span class="name">{{.Name}}</span><span class="class">{{.Class}}</span></div>
<img class="qr" src="{{.QR}}" alt="{{.Link}}">
<div class="info"><div class="heading">{{$.Heading}}</div><div class="code">{{.Code}}</div><div class="until">{{.ValidUntil}}</div></div>
<ol class="steps">{{range $.Steps}}<li>{{.}}</li>{{end}}</ol>
</section>
{{end}}</div>
{{end}}</body>
</html>
`))
