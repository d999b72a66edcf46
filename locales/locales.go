// Package locales holds every text a user reads, in Russian and English, as
// go-i18n message files embedded in the binary, and a Printer that renders them
// with CLDR plural forms and dates written the way people write them.
//
// Code names messages by id: p.T("linked", "Child", name). A test walks the
// repository and fails on an id that some language lacks.
package locales

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed *.toml
var files embed.FS

// Languages are the languages users may choose, Russian first: the default for
// anyone whose Telegram language is neither.
var Languages = []string{"ru", "en"}

// Message files are named PART.LANG.toml (common.ru.toml, bot.en.toml): each part
// of the product keeps its texts in its own files.
var bundle = sync.OnceValue(func() *i18n.Bundle {
	b := i18n.NewBundle(language.Russian)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(files, "*.toml")
	if err == nil && len(names) == 0 {
		err = errors.New("no message files")
	}
	for _, name := range names {
		if err == nil {
			_, err = b.LoadMessageFileFS(files, name)
		}
	}
	if err != nil {
		panic(fmt.Sprintf("locales: %v", err)) // embedded files: a broken one is a build defect
	}
	return b
})

// Pick chooses a supported language for Telegram's language_code: English for
// English speakers, Russian for everyone else, the school's language.
func Pick(telegramLanguageCode string) string {
	if strings.HasPrefix(strings.ToLower(telegramLanguageCode), "en") {
		return "en"
	}
	return "ru"
}

// Printer renders messages in one language.
type Printer struct {
	lang string
	loc  *i18n.Localizer
	// plain keeps the messages asked for without arguments, rendered once:
	// they read the same every time, and a view asks for some per line (the
	// decimal point per grade, a weekday's name).
	plain sync.Map // id → string
}

var printers sync.Map // language → *Printer

// For returns the printer of a language; an unsupported one gets Russian.
func For(lang string) *Printer {
	if lang != "en" {
		lang = "ru"
	}
	if p, ok := printers.Load(lang); ok {
		return p.(*Printer)
	}
	p, _ := printers.LoadOrStore(lang, &Printer{lang: lang, loc: i18n.NewLocalizer(bundle(), lang)})
	return p.(*Printer)
}

// Lang is the printer's language code.
func (p *Printer) Lang() string { return p.lang }

// T renders a message; kv are template names and values in pairs.
func (p *Printer) T(id string, kv ...any) string {
	if len(kv) > 0 {
		return p.localize(id, nil, kv)
	}
	if s, ok := p.plain.Load(id); ok {
		return s.(string)
	}
	s := p.localize(id, nil, nil)
	p.plain.Store(id, s)
	return s
}

// N renders a message in the plural form for count, which the template sees as
// .Count.
func (p *Printer) N(id string, count int, kv ...any) string {
	return p.localize(id, count, append(kv, "Count", count))
}

func (p *Printer) localize(id string, count any, kv []any) string {
	data := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		data[fmt.Sprint(kv[i])] = kv[i+1]
	}
	s, err := p.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil {
		// A missing id is caught by TestEveryMessageIDExists; show the id rather
		// than nothing if one slips through.
		return id
	}
	return s
}

// Weekday is the short name of a weekday: пт, Fri.
func (p *Printer) Weekday(d time.Weekday) string {
	return p.T(fmt.Sprintf("weekday_short_%d", d))
}

// Date writes a calendar day as people do: "пт, 28 ноября", "Fri, 28 November".
func (p *Printer) Date(d time.Time) string {
	return p.T("date", "Weekday", p.Weekday(d.Weekday()), "Day", d.Day(), "Month", p.T(fmt.Sprintf("month_of_%d", d.Month())))
}

// DateYear is Date with the year, for days outside the current school year.
func (p *Printer) DateYear(d time.Time) string {
	return p.T("date_year", "Date", p.Date(d), "Year", d.Year())
}
