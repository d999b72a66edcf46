package district

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// tries is how many random weeks schedule draws for a school, keeping the best.
const tries = 10

// schedule lays out the week of all of a school's homerooms together, one period
// at a time: at each period every homeroom that has a lesson then gets one, and a
// matching of homerooms to teachers keeps each teacher in one classroom. A
// homeroom never has two lessons in one period. A subject comes at most once a
// day where that can be kept, and a teacher is double-booked only where nothing
// else fits; of its tries schedule keeps the week with the fewest of both.
func schedule(rng *rand.Rand, homerooms []*homeroom) {
	var best [][weekdays][periods]*section
	var bestFlaws weekFlaws
	for range tries {
		weeks, doubles := drawWeek(rng, homerooms)
		flaws := weekFlaws{clashes: repair(weeks), doubles: doubles}
		if best == nil || flaws.less(bestFlaws) {
			best, bestFlaws = weeks, flaws
		}
		if flaws == (weekFlaws{}) {
			break
		}
	}
	for i, h := range homerooms {
		h.week = best[i]
	}
}

// weekFlaws counts what a drawn week could not keep.
type weekFlaws struct {
	clashes int // a teacher in two homerooms at once
	doubles int // a subject twice in one day
}

func (f weekFlaws) less(g weekFlaws) bool {
	return cmp.Or(cmp.Compare(f.clashes, g.clashes), cmp.Compare(f.doubles, g.doubles)) < 0
}

// weekDraft is one homeroom's week as it is being drawn.
type weekDraft struct {
	h     *homeroom
	loads [weekdays]int // lessons each day
	left  []int         // lessons a week still to place, by section
	today []bool        // sections already given a lesson today
	week  [weekdays][periods]*section
}

// drawWeek draws one week for every homeroom and counts the subjects it had to
// give twice in a day.
func drawWeek(rng *rand.Rand, homerooms []*homeroom) (weeks [][weekdays][periods]*section, doubles int) {
	drafts := make([]*weekDraft, len(homerooms))
	for i, h := range homerooms {
		drafts[i] = newWeekDraft(rng, h)
	}
	for d := range weekdays {
		for _, w := range drafts {
			clear(w.today)
		}
		for p := range periods {
			var active []*weekDraft
			for _, w := range drafts {
				if p < w.loads[d] {
					active = append(active, w)
				}
			}
			rng.Shuffle(len(active), func(i, j int) { active[i], active[j] = active[j], active[i] })
			doubles += fillPeriod(rng, active, d, p)
		}
	}
	weeks = make([][weekdays][periods]*section, len(drafts))
	for i, w := range drafts {
		weeks[i] = w.week
	}
	return weeks, doubles
}

// newWeekDraft spreads a homeroom's lessons a week over the days as evenly as they go.
func newWeekDraft(rng *rand.Rand, h *homeroom) *weekDraft {
	w := &weekDraft{h: h, left: make([]int, len(h.sections)), today: make([]bool, len(h.sections))}
	total := 0
	for i, s := range h.sections {
		w.left[i] = s.hours
		total += s.hours
	}
	for d := range w.loads {
		w.loads[d] = total / weekdays
	}
	for _, d := range rng.Perm(weekdays)[:total%weekdays] {
		w.loads[d]++
	}
	return w
}

// fillPeriod gives every active homeroom a lesson at day d, period p, and counts
// the subjects it gave a second time today.
func fillPeriod(rng *rand.Rand, active []*weekDraft, d, p int) (doubles int) {
	m := matching{owner: make(map[*teacher]int), choice: make([]int, len(active)), options: make([][]int, len(active))}
	for a, w := range active {
		m.options[a] = w.spreadOptions(rng, d, p)
		m.choice[a] = -1
	}
	for a, w := range active {
		if m.assign(active, a) {
			continue
		}
		// Give up the spread first: the subject may come twice today.
		m.options[a] = w.anyOptions(rng)
		if !m.assign(active, a) {
			// Nothing fits: a teacher is double-booked (repair may mend it later)
			// rather than a lesson lost.
			m.choice[a] = m.options[a][0]
		}
	}
	for a, w := range active {
		i := m.choice[a]
		if w.today[i] {
			doubles++
		}
		w.week[d][p] = w.h.sections[i]
		w.left[i]--
		w.today[i] = true
	}
	return doubles
}

// spreadOptions are the sections that may take period p of day d without a
// second lesson of a subject today, the most pressing first: those with the most
// lessons left for the days left. When the lessons that must come today fill the
// rest of the day, only they may.
func (w *weekDraft) spreadOptions(rng *rand.Rand, d, p int) []int {
	daysLeft := weekdays - d
	var options []int
	must := 0
	for i, n := range w.left {
		if n > 0 && !w.today[i] {
			options = append(options, i)
			if n >= daysLeft {
				must++
			}
		}
	}
	if must > w.loads[d]-p {
		return nil
	}
	rng.Shuffle(len(options), func(i, j int) { options[i], options[j] = options[j], options[i] })
	slices.SortStableFunc(options, func(a, b int) int { return cmp.Compare(w.left[b], w.left[a]) })
	if must == w.loads[d]-p {
		options = slices.DeleteFunc(options, func(i int) bool { return w.left[i] < daysLeft })
	}
	return options
}

// anyOptions are all sections with lessons left, those not yet given one today first.
func (w *weekDraft) anyOptions(rng *rand.Rand) []int {
	var options []int
	for i, n := range w.left {
		if n > 0 {
			options = append(options, i)
		}
	}
	rng.Shuffle(len(options), func(i, j int) { options[i], options[j] = options[j], options[i] })
	slices.SortStableFunc(options, func(a, b int) int {
		return cmp.Or(cmpBool(w.today[a], w.today[b]), cmp.Compare(w.left[b], w.left[a]))
	})
	return options
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	default:
		return -1
	}
}

// matching pairs the homerooms of one period with sections whose teachers differ
// (Kuhn's augmenting paths): a homeroom that finds its teachers taken may move an
// earlier homeroom to another of its options.
type matching struct {
	owner   map[*teacher]int // the homeroom (index into active) a teacher is matched to
	choice  []int            // by homeroom: the matched section, or -1
	options [][]int          // by homeroom: the sections it may take, preferred first
}

func (m *matching) assign(active []*weekDraft, a int) bool {
	return m.augment(active, a, make(map[*teacher]bool))
}

func (m *matching) augment(active []*weekDraft, a int, seen map[*teacher]bool) bool {
	for _, i := range m.options[a] {
		t := active[a].h.sections[i].teacher
		if seen[t] {
			continue
		}
		seen[t] = true
		if b, taken := m.owner[t]; !taken || m.augment(active, b, seen) {
			m.owner[t] = a
			m.choice[a] = i
			return true
		}
	}
	return false
}

// repair mends double-booked teachers by swapping two lessons of one homeroom's
// week where the swap books neither teacher twice and gives no subject twice in a
// day. It returns the clashes left.
func repair(weeks [][weekdays][periods]*section) (clashes int) {
	booked := make(map[*teacher]*[weekdays][periods]int)
	for _, week := range weeks {
		for d := range week {
			for p, s := range week[d] {
				if s != nil {
					if booked[s.teacher] == nil {
						booked[s.teacher] = new([weekdays][periods]int)
					}
					booked[s.teacher][d][p]++
				}
			}
		}
	}
	for i := range weeks {
		week := &weeks[i]
		for d := range week {
			for p, s := range week[d] {
				if s == nil || booked[s.teacher][d][p] < 2 {
					continue
				}
				if d2, p2, ok := swapFor(week, booked, d, p); ok {
					s2 := week[d2][p2]
					booked[s.teacher][d][p]--
					booked[s.teacher][d2][p2]++
					booked[s2.teacher][d2][p2]--
					booked[s2.teacher][d][p]++
					week[d][p], week[d2][p2] = s2, s
					continue
				}
				clashes++
			}
		}
	}
	return clashes
}

// swapFor finds a lesson of the week to swap with the one at d, p.
func swapFor(week *[weekdays][periods]*section, booked map[*teacher]*[weekdays][periods]int, d, p int) (int, int, bool) {
	s := week[d][p]
	for d2 := range week {
		for p2, s2 := range week[d2] {
			if s2 == nil || s2.teacher == s.teacher || booked[s.teacher][d2][p2] > 0 || booked[s2.teacher][d][p] > 0 {
				continue
			}
			if d2 == d || (!onDay(week, d2, s) && !onDay(week, d, s2)) {
				return d2, p2, true
			}
		}
	}
	return 0, 0, false
}

func onDay(week *[weekdays][periods]*section, d int, s *section) bool {
	return slices.Contains(week[d][:], s)
}
