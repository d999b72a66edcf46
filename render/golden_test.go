package render

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/dnevnik/dnevnik/diary"
	"github.com/dnevnik/dnevnik/locales"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// views render the fixture, each into testdata/NAME.LANG.golden.
var views = map[string]func(p *locales.Printer) string{
	"day":          func(p *locales.Printer) string { return Day(p, friday(), child) },
	"day_saturday": func(p *locales.Printer) string { return Day(p, saturday(), "") },
	"day_sunday":   func(p *locales.Printer) string { return Day(p, diary.Day{Date: date("2026-11-29")}, child) },
	"day_holiday":  func(p *locales.Printer) string { return Day(p, diary.Day{Date: date("2026-11-04")}, "") },
	"week":         func(p *locales.Printer) string { return Week(p, week(), child) },
	"homework":     func(p *locales.Printer) string { return Homework(p, homework(), child) },
	"homework_empty": func(p *locales.Printer) string {
		return Homework(p, diary.HomeworkList{From: date("2026-12-28"), To: date("2027-01-10")}, "")
	},
	"grades": func(p *locales.Printer) string { return Grades(p, termGrades(), child) },
	"grades_empty": func(p *locales.Printer) string {
		return Grades(p, diary.GradeReport{From: date("2026-09-01"), To: date("2026-09-07")}, "")
	},
	"subject_grades":       func(p *locales.Printer) string { return SubjectGrades(p, mathTerm(), child) },
	"subject_grades_empty": func(p *locales.Printer) string { return SubjectGrades(p, emptyTerm(), "") },
	"attendance":           func(p *locales.Printer) string { return Attendance(p, attendance(), child) },
	"attendance_clean": func(p *locales.Printer) string {
		return Attendance(p, diary.AttendanceReport{From: date("2026-11-30"), To: date("2026-12-06")}, "")
	},
	"remarks": func(p *locales.Printer) string {
		return Remarks(p, diary.RemarkList{From: date("2026-11-23"), To: date("2026-11-30"), Remarks: remarks()}, child)
	},
	"events":       func(p *locales.Printer) string { return Events(p, events(), moscow, child) },
	"events_empty": func(p *locales.Printer) string { return Events(p, diary.EventList{}, moscow, "") },
	"missed":       func(p *locales.Printer) string { return Missed(p, missed(), child) },
	"missed_empty": func(p *locales.Printer) string {
		return Missed(p, diary.MissedReport{From: date("2026-11-30"), To: date("2026-12-06")}, "")
	},
	"digest":     func(p *locales.Printer) string { return digestText(p, digestOf(daryaFriday(), quiet(maximSaturday()))) },
	"digest_one": func(p *locales.Printer) string { return digestText(p, digestOf(maximSaturday())) },
	"digest_morning": func(p *locales.Printer) string {
		return digestText(p, digestOf(daryaMorning(), quiet(maximSaturday())))
	},
	"digest_empty": func(p *locales.Printer) string {
		d := digestOf(quiet(daryaFriday()))
		d.Settings.DigestWhenEmpty = true
		return digestText(p, d)
	},
	"weekly":         func(p *locales.Printer) string { return weeklyText(p, week23()) },
	"weekly_trusted": func(p *locales.Printer) string { return weeklyText(p, trustedWeek()) },
	"notices":        noticesText,
	"marks":          marksText,
	"teacher":        teacherText,
	"previews":       previewsText,
	"family":         familyText,
}

func TestGolden(t *testing.T) {
	for name, view := range views {
		for _, lang := range locales.Languages {
			t.Run(name+"."+lang, func(t *testing.T) {
				got := view(locales.For(lang))
				checkMarkup(t, got)
				path := filepath.Join("testdata", name+"."+lang+".golden")
				if *update {
					if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./render -update to write it)", err)
				}
				if got+"\n" != string(want) {
					t.Errorf("%s differs from the rendering:\n--- got\n%s\n--- want\n%s", path, got, want)
				}
			})
		}
	}
}
