package render

import (
	"time"

	"github.com/dnevnik/dnevnik/locales"
)

// The screens of what a guardian does for the family rather than reads:
// sharing the child's diary, signing the week.

// Sharing is /share for a child (header from ChildHeader): the link of an
// invitation just made (link, "" for none), then how many trusted people
// read the diary and how many invitations wait for someone to use them.
func Sharing(p *locales.Printer, header, link string, trusted, pending int) string {
	text := header
	if link != "" {
		text += Text(p, "share_invite", "Link", link) + "\n\n"
	}
	if trusted == 0 {
		text += p.T("share_nobody")
	} else {
		text += p.N("share_list", trusted)
	}
	if pending > 0 {
		text += "\n\n" + p.N("share_pending", pending)
	}
	return text
}

// SignAsk asks a guardian to sign the child's week from monday.
func SignAsk(p *locales.Printer, header string, monday time.Time) string {
	return header + p.T("sign_ask", "Week", WeekSpan(p, monday))
}

// SignDone says the week is signed.
func SignDone(p *locales.Printer, header string, monday time.Time) string {
	return header + p.T("sign_done", "Week", WeekSpan(p, monday))
}
