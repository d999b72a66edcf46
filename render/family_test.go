package render

import (
	"strings"

	"github.com/dnevnik/dnevnik/locales"
)

// familyText is a guardian's sharing screen (nobody yet with a link just
// made, and two readers with an invitation waiting) and the signing of a week.
func familyText(p *locales.Printer) string {
	header := ChildHeader("Алёшина <Дарья>")
	return strings.Join([]string{
		Sharing(p, header, "https://t.me/dnevnik_bot?start=ABCD-EFGH&x=<1>", 0, 0),
		Sharing(p, header, "", 2, 1),
		SignAsk(p, header, date("2026-11-16")),
		SignDone(p, header, date("2026-11-16")),
	}, "\n\n—\n\n")
}
