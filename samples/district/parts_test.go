package district

import (
	"slices"
	"testing"
)

func TestDistrictFeminine(t *testing.T) {
	for masculine, want := range map[string]string{
		"Иванов": "Иванова", "Семёнов": "Семёнова", "Королёв": "Королёва", "Ильин": "Ильина",
		"Вишневский": "Вишневская", "Троицкий": "Троицкая", "Черных": "Черных", "Ким": "Ким",
	} {
		if got := feminine(masculine); got != want {
			t.Errorf("feminine(%s) = %s, want %s", masculine, got, want)
		}
	}
}

func TestDistrictShares(t *testing.T) {
	weights := 0
	for _, w := range gradeWeights {
		weights += w
	}
	for _, total := range []int{0, 1, 11, 60, 1000, 1001} {
		got := shares(total, gradeWeights[:])
		sum := 0
		for grade, n := range got {
			sum += n
			if exact := float64(total*gradeWeights[grade]) / float64(weights); float64(n) < exact-1 || float64(n) > exact+1 {
				t.Errorf("shares(%d): grade %d gets %d, want about %.1f", total, grade, n, exact)
			}
		}
		if sum != total {
			t.Errorf("shares(%d) hands out %d", total, sum)
		}
	}
}

func TestDistrictCalendar(t *testing.T) {
	cal := newCalendar(2026)
	if cal.start != "2026-09-01" || cal.end != "2027-05-31" || cal.endingYear != 2027 {
		t.Errorf("school year %s..%s, ending %d", cal.start, cal.end, cal.endingYear)
	}
	perTerm := make([]int, len(cal.terms))
	for _, d := range cal.days {
		perTerm[d.term]++
		if d.weekday > weekdays || d.date < cal.terms[d.term].start || d.date > cal.terms[d.term].end {
			t.Errorf("lessons on %s (weekday %d, term %d)", d.date, d.weekday, d.term+1)
		}
	}
	if cal.days[0].date != "2026-09-01" || cal.days[0].weekday != 2 {
		t.Errorf("first school day %+v, want Tuesday 2026-09-01", cal.days[0])
	}
	// Term 1: September has 22 weekdays from the 1st, October 17 to the 23rd.
	if perTerm[0] != 39 {
		t.Errorf("term 1 has %d school days, want 39", perTerm[0])
	}
	if slices.ContainsFunc(cal.days, func(d schoolDay) bool { return d.date == "2027-02-23" || d.date == "2027-03-08" }) {
		t.Error("lessons on a public holiday")
	}
}

func TestDistrictCurriculum(t *testing.T) {
	for grade := 1; grade <= grades; grade++ {
		cs := coursesOf(grade)
		hours := 0
		for _, c := range cs {
			hours += c.hours[grade]
		}
		if len(cs) < 8 || len(cs) > 14 || hours > weekdays*periods {
			t.Errorf("grade %d: %d subjects, %d lessons a week", grade, len(cs), hours)
		}
	}
}
