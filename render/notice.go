package render

import (
	"time"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// Notice renders what the bot tells first: a new grade, homework for tomorrow,
// a lesson change, a meeting, an announcement. child labels the pupil a grade,
// mark or remark is about for their family; "" for the pupil themself and for
// a notice to a class. It is "" for a notice that is Gone.
func Notice(p *locales.Printer, n diary.Notice, child string) string {
	if n.Gone {
		return ""
	}
	var m message
	loc := n.School.Location
	class := field(n.ClassTitle)
	switch n.Kind {
	case diary.NoticeGrade:
		g := *n.Grade
		m.add(heading(iconGrade, p.T(actionID("notice_grade", n.Action)), child, p.Date(g.Date)))
		m.add(subjectItem(g.Subject, changedGrade(p, g, n.OldScore)))
	case diary.NoticeAttendance:
		m.add(heading(iconAttendance, p.T("notice_mark"), child, p.Date(n.Mark.Date)))
		m.add(markLine(p, *n.Mark))
	case diary.NoticeRemark:
		m.add(heading(iconRemark, p.T("notice_remark"), child, p.Date(n.Remark.Date)))
		m.add(remarkLine(*n.Remark))
	case diary.NoticeHomework:
		h := *n.Homework
		m.add(heading(iconHomework, p.T(actionID("notice_homework", n.Action), "Date", p.Date(h.Due)), "", class))
		m.add(homeworkLine(h))
	case diary.NoticeSchedule:
		l := *n.Lesson
		m.add(heading(iconSubstitute, p.T("notice_schedule", "Date", p.Date(l.Date)), "", class))
		m.add(lessonLine(p, l, false))
		if l.Change.Note != "" {
			m.add(iconLine(iconNote, text(l.Change.Note)))
		}
	case diary.NoticeMeeting:
		e := *n.Event
		m.add(bold(p.T(actionID("notice_meeting", n.Action))))
		m.add(eventLines(p, e, loc)...)
		if n.Action != diary.ActionCancelled {
			m.block()
			m.add(p.T("notice_meeting_rsvp"))
		}
	case diary.NoticeAnnouncement:
		title := p.T("notice_announcement")
		if n.Urgent {
			title = p.T("notice_announcement_urgent")
		}
		m.add(heading(iconAnnouncement, title, "", class))
		m.block()
		m.add(text(n.Body))
		if n.Author != nil {
			m.block()
			m.add(iconLine(iconAuthor, field(TeacherName(*n.Author))))
		}
	}
	return m.String()
}

// changedGrade is a grade as gradeDetail shows it, with what it was when it
// was changed: "было 3, стало <b>4</b> · Контрольная работа".
func changedGrade(p *locales.Printer, g diary.Grade, old *float64) string {
	if old == nil {
		return gradeDetail(p, g)
	}
	was := g
	was.Score, was.Weight = *old, 1
	change := p.T("grades_notice_was", "Old", score(p, was), "New", bold(score(p, g)))
	return join(change, field(g.Work), quote(p, g.Comment))
}

// actionID is the message id of a notice title for its action:
// "notice_grade" for a new grade, "notice_grade_changed" for a changed one.
func actionID(id string, a diary.NoticeAction) string {
	if a == diary.ActionNew {
		return id
	}
	return id + "_" + string(a)
}

// Reminder renders the day-before reminder of an event.
func Reminder(p *locales.Printer, e diary.Event, loc *time.Location) string {
	var m message
	m.add(bold(p.T("notice_reminder")))
	m.add(eventLines(p, e, loc)...)
	return m.String()
}

// NoticeReport is the author's view of an announcement on its way: the text
// sent and how many of its recipients have it, "delivered 23 of 25".
func NoticeReport(p *locales.Printer, n diary.Notice, progress diary.NoticeProgress) string {
	var m message
	title := p.T("notice_report_title")
	if n.FannedOut && progress.Done() {
		title = p.T("notice_report_title_done")
	}
	m.add(heading(iconAnnouncement, title, "", field(n.ClassTitle)))
	m.block()
	m.add(text(n.Body))
	m.block()
	switch {
	case !n.FannedOut:
		m.add(iconLine(iconSending, p.T("notice_report_sending")))
	case progress.Done():
		m.add(iconLine(iconYes, p.T("notice_report_done", "Delivered", progress.Delivered, "Total", progress.Total)))
	default:
		m.add(iconLine(iconSending, p.T("notice_report_progress", "Delivered", progress.Delivered, "Total", progress.Total)))
	}
	return m.String()
}

// LinkRevoked tells a person that the school ended their link: to a child's
// diary, or their access as a teacher.
func LinkRevoked(p *locales.Printer, l diary.EndedLink) string {
	var m message
	if l.Role == diary.RoleTeacher {
		m.add(iconLine(iconLocked, bold(p.T("notice_revoked_teacher"))))
	} else {
		m.add(iconLine(iconLocked, bold(p.T("notice_revoked", "Child", field(ChildName(l.Person))))))
	}
	m.add(p.T("notice_revoked_help"))
	return m.String()
}

// Forgotten tells a person what /forget deleted: every kind of thing it had,
// with how many; the settings always.
func Forgotten(p *locales.Printer, f diary.Forgotten) string {
	var m message
	m.add(iconLine(iconYes, bold(p.T("forget_done"))))
	m.add("• " + p.T("forget_settings"))
	for _, item := range []struct {
		id string
		n  int64
	}{
		{"forget_links", f.Links}, {"forget_invited", f.Invited}, {"forget_codes", f.Codes + f.Attempts},
		{"forget_messages", f.Messages + f.Reports}, {"forget_signatures", f.Signatures}, {"forget_answers", f.Answers},
		{"forget_conversation", f.Conversation},
	} {
		if item.n > 0 {
			m.add("• " + p.T(item.id, "N", item.n))
		}
	}
	m.block()
	m.add(p.T("forget_after"))
	return m.String()
}
