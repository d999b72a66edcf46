package district

import (
	"math/rand/v2"
	"strconv"
)

// category is a OneRoster grade category with its weight in the weighted average.
type category struct{ id, title, weight string }

var (
	homeworkCategory  = category{"cat-homework", "Домашняя работа", "1"}
	classworkCategory = category{"cat-classwork", "Работа на уроке", "1"}
	quizCategory      = category{"cat-quiz", "Самостоятельная работа", "1.5"}
	testCategory      = category{"cat-test", "Контрольная работа", "2"}
	checkCategory     = category{"cat-check", "Проверочная работа", "1.5"}
	categories        = []category{homeworkCategory, classworkCategory, quizCategory, testCategory, checkCategory}
)

// work is what a graded line item asks of the class.
type work struct {
	category category
	title    string
	weight   string // ext_weight, overriding the category's; empty: the category's
}

var (
	classwork = &work{classworkCategory, "Работа на уроке", ""}
	quiz      = &work{quizCategory, "Самостоятельная работа", ""}
	check     = &work{checkCategory, "Проверочная работа", ""}
	test      = &work{testCategory, "Контрольная работа", ""}
	finalTest = &work{testCategory, "Итоговая контрольная работа", "3"}
)

const homeworkTitle = "Домашнее задание"

// What a pupil's grades in a term add up to, and how they come about.
const (
	gradesPerTerm = 150  // grades a pupil gets in a graded term, across subjects
	sitsTests     = 0.94 // the share of a class present at a test and graded
	homeworkRate  = 0.03 // the chance that a pupil's homework is graded
	commentRate   = 50   // one grade in this many carries a comment
)

// scoreTiers are a pupil's chances in percent of a 5, a 4, a 3 and a 2, for pupils
// who do excellently, well and fairly.
var scoreTiers = [][4]int{{70, 27, 3, 0}, {35, 50, 13, 2}, {15, 40, 38, 7}}

// drawTier makes a quarter of pupils excellent, half good and a quarter fair.
func drawTier(rng *rand.Rand) int {
	return [4]int{0, 1, 1, 2}[rng.IntN(4)]
}

// scores are the scores as written, indexed by score.
var scores = [6]string{2: "2", 3: "3", 4: "4", 5: "5"}

var (
	praise   = []string{"Молодец!", "Отличная работа", "Хороший ответ у доски", "Работа выполнена аккуратно", "Хорошо, но есть небольшие недочёты"}
	critique = []string{"Не выполнено задание 3", "Много ошибок, повторить правило", "Работа выполнена не полностью", "Ошибки в вычислениях, повторить тему", "Неаккуратное оформление, есть исправления"}
)

// gradebook writes one school's line items and results.
type gradebook struct {
	rng         *rand.Rand
	cal         *calendar
	out         *output
	gradedTerms int    // terms 1 to gradedTerms are graded
	resultID    []byte // the school's prefix for result sourcedIds, with room for the number
	prefixLen   int
	results     int    // results written for the school
	task        []byte // a homework description, reused for each
}

func newGradebook(rng *rand.Rand, cal *calendar, out *output, schoolID string, gradedTerms int) *gradebook {
	prefix := append([]byte(schoolID), "-r"...)
	return &gradebook{rng: rng, cal: cal, out: out, gradedTerms: gradedTerms, resultID: prefix, prefixLen: len(prefix)}
}

// lessons are the lessons of one section over the year.
type lessons struct {
	section *section
	days    []int   // indices into calendar.days
	work    []*work // the graded work at each lesson; nil in terms that are not graded
}

// homeroom writes the line items and results of all of a homeroom's sections.
func (g *gradebook) homeroom(h *homeroom) {
	year := make([]lessons, len(h.sections))
	for i, sec := range h.sections {
		year[i] = g.plan(h, sec)
	}
	// Classwork is graded as often as it takes for the term's grades to come to
	// gradesPerTerm a pupil, after the tests and the odd homework.
	var classworkRate [len(termBounds)]float64
	for t := range g.gradedTerms {
		var tests, classworks, homeworks float64
		for _, ls := range year {
			for j, d := range ls.days {
				if g.cal.days[d].term != t {
					continue
				}
				if ls.work[j] == classwork {
					classworks++
				} else {
					tests++
				}
				if g.nextLesson(ls, j) >= 0 {
					homeworks++
				}
			}
		}
		if classworks > 0 {
			classworkRate[t] = min(1, max(0, (gradesPerTerm-sitsTests*tests-homeworkRate*homeworks)/classworks))
		}
	}
	for _, ls := range year {
		g.write(h, ls, classworkRate)
	}
}

// plan finds a section's lesson days and, in graded terms, what is graded at each.
func (g *gradebook) plan(h *homeroom, sec *section) lessons {
	ls := lessons{section: sec}
	var weekly [weekdays + 1]bool
	for d := range h.week {
		for _, s := range h.week[d] {
			weekly[d+1] = weekly[d+1] || s == sec
		}
	}
	for i, day := range g.cal.days {
		if weekly[day.weekday] {
			ls.days = append(ls.days, i)
		}
	}
	ls.work = make([]*work, len(ls.days))
	for first := 0; first < len(ls.days); {
		t := g.cal.days[ls.days[first]].term
		end := first
		for end < len(ls.days) && g.cal.days[ls.days[end]].term == t {
			end++
		}
		if t < g.gradedTerms {
			g.planTerm(ls.work[first:end], sec.hours)
		}
		first = end
	}
	return ls
}

// planTerm sets the work of a term's lessons: a final test near the end, some
// more tests, quizzes and checks on random lessons, classwork at the rest.
func (g *gradebook) planTerm(term []*work, hours int) {
	for i := range term {
		term[i] = classwork
	}
	if len(term) == 0 {
		return
	}
	term[len(term)-1-g.rng.IntN(min(3, len(term)))] = finalTest
	var others []*work
	if hours > 3 {
		others = append(others, test)
	}
	for range hours {
		others = append(others, quiz)
	}
	for range 1 + hours/3 {
		others = append(others, check)
	}
	// The first lesson of a term is never a test.
	free := make([]int, 0, len(term))
	for i := 1; i < len(term); i++ {
		if term[i] == classwork {
			free = append(free, i)
		}
	}
	g.rng.Shuffle(len(free), func(i, j int) { free[i], free[j] = free[j], free[i] })
	for i, w := range others[:min(len(others), len(free))] {
		term[free[i]] = w
	}
}

// nextLesson is the index of the lesson after the j-th in the same term, or -1:
// no homework is set over the holidays.
func (g *gradebook) nextLesson(ls lessons, j int) int {
	if j+1 < len(ls.days) && g.cal.days[ls.days[j+1]].term == g.cal.days[ls.days[j]].term {
		return j + 1
	}
	return -1
}

// write writes a section's line items, each followed by its results.
func (g *gradebook) write(h *homeroom, ls lessons, classworkRate [len(termBounds)]float64) {
	sec := ls.section
	for j, d := range ls.days {
		day := g.cal.days[d]
		termID := g.cal.terms[day.term].id
		lesson := strconv.Itoa(j + 1)
		if next := g.nextLesson(ls, j); next >= 0 {
			due := g.cal.days[ls.days[next]].date
			id := sec.id + "-hw" + lesson
			g.task = homeworkTask(g.task[:0], g.rng, sec, j)
			g.out.write(lineItemsTable, id, "", "", homeworkTitle, string(g.task), day.date, due, sec.id,
				homeworkCategory.id, termID, "1", "5", "")
			if day.term < g.gradedTerms {
				g.grade(id, h.pupils, homeworkRate, due)
			}
		}
		if w := ls.work[j]; w != nil {
			id := sec.id + "-lw" + lesson
			g.out.write(lineItemsTable, id, "", "", w.title, "", day.date, day.date, sec.id, w.category.id,
				termID, "1", "5", w.weight)
			rate := sitsTests
			if w == classwork {
				rate = classworkRate[day.term]
			}
			g.grade(id, h.pupils, rate, day.date)
		}
	}
}

// grade writes the results of a line item: each pupil is graded with the given
// chance, with a score drawn from the pupil's tier.
func (g *gradebook) grade(lineItemID string, pupils []*pupil, rate float64, date string) {
	for _, p := range pupils {
		if g.rng.Float64() >= rate {
			continue
		}
		score := drawScore(g.rng, p.tier)
		comment := ""
		if g.rng.IntN(commentRate) == 0 {
			comment = pick(g.rng, praise)
			if score <= 3 {
				comment = pick(g.rng, critique)
			}
		}
		g.results++
		g.resultID = strconv.AppendInt(g.resultID[:g.prefixLen], int64(g.results), 10)
		g.out.write(resultsTable, string(g.resultID), "", "", lineItemID, p.id, "fully graded",
			scores[score], date, comment)
	}
}

// drawScore draws a score from 5 down to 2 with the tier's chances.
func drawScore(rng *rand.Rand, tier int) int {
	r := rng.IntN(100)
	for i, chance := range scoreTiers[tier] {
		if r < chance {
			return 5 - i
		}
		r -= chance
	}
	return 2
}
