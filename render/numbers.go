package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// number writes v with the language's decimal mark, "4,25" or "4.25"; decimals
// is as strconv.FormatFloat's precision (-1: as few as needed).
func number(p *locales.Printer, v float64, decimals int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', decimals, 64), ".", p.T("render_decimal_point"), 1)
}

// average writes a weighted average as report cards do: two decimals.
func average(p *locales.Printer, v float64) string { return number(p, v, 2) }

// score writes a grade with its weight when that is not the usual 1: "4 (×2)".
func score(p *locales.Printer, g diary.Grade) string {
	s := number(p, g.Score, -1)
	if g.Weight != 1 {
		s += fmt.Sprintf(" (×%s)", number(p, g.Weight, -1))
	}
	return s
}

// Score is a grade as score writes it, in plain text for a page that is not a
// message: the printed week (package paper).
func Score(p *locales.Printer, g diary.Grade) string { return score(p, g) }
