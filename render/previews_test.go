package render

import (
	"strings"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

// previewsText is every preview a teacher confirms: announcements to each
// audience, homework with a line to escape, and each kind of lesson change.
func previewsText(p *locales.Printer) string {
	thursday := date("2026-11-26")
	change := func(kind diary.ChangeKind) diary.NewLessonChange {
		return diary.NewLessonChange{LessonRef: diary.LessonRef{Date: thursday, Period: 3}, Kind: kind, Room: "301 <б>",
			MovedTo: date("2026-11-27"), MovedToPeriod: 5}
	}
	return strings.Join([]string{
		AnnounceOptions(p, "7А <б>", true, true),
		AnnouncementPreview(p, "7А", "Завтра экскурсия.\nСбор в 8:30, с собой <сменная обувь>.", false, false, 25),
		AnnouncementPreview(p, "7Б", "Отмена уроков", true, true, 1),
		HomeworkPreview(p, "7А Математика", date("2026-11-27"), "§12, упр. 5 & 6 <устно>"),
		ChangePreview(p, "7А Математика", change(diary.ChangeCancelled), ""),
		ChangePreview(p, "7А Математика", change(diary.ChangeSubstitute), "Петрова Анна <И.>"),
		ChangePreview(p, "7А Математика", change(diary.ChangeRoom), ""),
		ChangePreview(p, "7А Математика", change(diary.ChangeMoved), ""),
	}, "\n\n—\n\n")
}
