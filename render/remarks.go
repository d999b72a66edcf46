package render

import (
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Remarks renders teachers' remarks by date, praise and warnings told apart by
// their icons. child is as for Day.
func Remarks(p *locales.Printer, l diary.RemarkList, child string) string {
	head := heading(iconRemark, p.T("render_remarks_title"), child, dateRange(p, l.From, l.To))
	return listing(p, head, p.T("render_remarks_none"), l.Remarks, func(r diary.Remark) time.Time { return r.Date },
		func(r diary.Remark) []string { return []string{remarkLine(r)} })
}

// remarkLine is "👍 <b>Математика</b> · Иванова М. П.: Лучшая работа в классе".
func remarkLine(r diary.Remark) string {
	var subject, author string
	if r.Subject != "" {
		subject = bold(field(r.Subject))
	}
	if r.Author != nil {
		author = field(TeacherName(*r.Author))
	}
	source := join(subject, author)
	if source != "" {
		source += ": "
	}
	return iconLine(remarkIcon(r.Kind), source+text(r.Text))
}

func remarkIcon(kind string) string {
	switch kind {
	case "praise":
		return iconPraise
	case "warning":
		return iconWarning
	}
	return iconRemark
}
