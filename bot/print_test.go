package bot_test

import (
	"strings"
	"testing"

	"github.com/dnevnik/dnevnik/locales"
	"github.com/dnevnik/dnevnik/paper/papertest"
	"github.com/dnevnik/dnevnik/samples/demo"
)

// /print sends the class teacher each homeroom's week as a PDF document, a
// page per pupil, with a caption naming the class and the week; «следующая»
// is the next week. A subject teacher is refused and gets no document.
func TestPrintSendsTheClassTeacherTheWeek(t *testing.T) {
	w := newWorld(t)
	ivanova := w.teacher(300, demo.TeacherMat, "ru")
	ivanova.say("/print")
	docs := w.fake.Calls("sendDocument")
	if len(docs) != 2 {
		t.Fatalf("%d documents for the class teacher of 7А and 7Б, want 2", len(docs))
	}
	first := docs[0]
	if caption := first.Params["caption"]; !strings.Contains(caption, "Дневник 7А: неделя пн, 23 ноября – вс, 29 ноября 2026") {
		t.Errorf("caption %q", caption)
	}
	file := first.Files["document"]
	if file.Name != "dnevnik-7А-2026-11-23.pdf" {
		t.Errorf("file name %q", file.Name)
	}
	pages := papertest.Pages(t, file.Data)
	if len(pages) != 6 || !strings.Contains(pages[0], "Алёшина Дарья Сергеевна") || !strings.Contains(pages[0], "Подпись родителя") {
		t.Errorf("7А's week: %d pages, want 6; the first:\n%s", len(pages), pages[0])
	}

	ivanova.say("/print следующая")
	if docs := w.fake.Calls("sendDocument"); len(docs) != 4 || !strings.Contains(docs[2].Params["caption"], "неделя пн, 30 ноября") {
		t.Errorf("/print следующая: %d documents in all, the third captioned %q", len(docs), docs[2].Params["caption"])
	}
	if got := ivanova.say("/print 31.02"); len(got) != 1 || !strings.Contains(got[0].Text, "Не понял дату «31.02»") {
		t.Errorf("/print 31.02: %+v", got)
	}

	refused := w.teacher(301, volkova, "en").say("/print")
	if len(refused) != 1 || refused[0].Text != locales.For("en").T("print_not_class_teacher") {
		t.Errorf("/print of a subject teacher: %+v", refused)
	}
	if n := len(w.fake.Calls("sendDocument")); n != 4 {
		t.Errorf("%d documents after a subject teacher's /print, want still 4", n)
	}
}
