package district

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strconv"
)

// school is one generated school: its people, classes and week of lessons.
type school struct {
	id, name, timeZone string
	homerooms          []*homeroom
	teachers           []*teacher
	staff              []*person
	guardians          []*person
}

// person is anyone in users.csv.
type person struct {
	id                                string
	role                              string // as OneRoster names it
	givenName, middleName, familyName string
	agents                            []*person // a pupil's guardians, a guardian's children
}

type pupil struct {
	person
	tier int // how well the pupil does: an index into scoreTiers
}

type teacher struct {
	person
	room string
}

// homeroom is a class of pupils (7А), who attend all of its sections.
type homeroom struct {
	id, title string
	grade     int
	pupils    []*pupil
	sections  []*section
	teacher   *teacher // the class teacher (классный руководитель)
	week      [weekdays][periods]*section
}

// section is the lessons of one subject in one homeroom (7А Алгебра).
type section struct {
	id, title string
	course    course
	hours     int // lessons a week
	teacher   *teacher
}

// homeroomLetters are the parallel classes of a grade, with their ASCII spelling
// for sourcedIds.
var homeroomLetters = []struct{ cyrillic, latin string }{
	{"А", "a"}, {"Б", "b"}, {"В", "v"}, {"Г", "g"}, {"Д", "d"}, {"Е", "e"},
	{"Ж", "zh"}, {"И", "i"}, {"К", "k"}, {"Л", "l"}, {"М", "m"}, {"Н", "n"},
}

// gradeWeights share a school's pupils among grades: fewer stay on after grade 9.
var gradeWeights = [grades + 1]int{0, 10, 10, 10, 10, 10, 10, 10, 10, 10, 6, 6}

// classSize is the most pupils a homeroom takes before the grade opens another.
const classSize = 30

// populate fills the school with pupils, their families, teachers and staff, and
// lays out its week of lessons.
func (s *school) populate(rng *rand.Rand, pupils int) {
	n := namer{rng}
	var seats [][]*homeroom
	s.homerooms, seats = newHomerooms(s.id, pupils)
	s.guardians = seatFamilies(n, s.id, seats)
	numberPupils(s.id, s.homerooms)
	s.teachers = hireTeachers(n, s.id, s.homerooms)
	appointClassTeachers(s.homerooms)
	schedule(rng, s.homerooms)
	for i := range 3 { // a director and two deputies
		p := adult(n)
		p.id, p.role = s.id+"-a"+strconv.Itoa(i+1), "administrator"
		s.staff = append(s.staff, &p)
	}
}

// newHomerooms opens the homerooms of every grade with their sections, and returns
// with them the seats of each grade: a homeroom once for every pupil it takes.
func newHomerooms(schoolID string, pupils int) (homerooms []*homeroom, seats [][]*homeroom) {
	seats = make([][]*homeroom, grades+1)
	for grade, n := range shares(pupils, gradeWeights[:]) {
		if n == 0 {
			continue
		}
		classes := min((n+classSize-1)/classSize, len(homeroomLetters))
		for c := range classes {
			letter := homeroomLetters[c]
			h := &homeroom{
				id:    schoolID + "-" + strconv.Itoa(grade) + letter.latin,
				title: strconv.Itoa(grade) + letter.cyrillic,
				grade: grade,
			}
			for _, c := range coursesOf(grade) {
				h.sections = append(h.sections, &section{
					id:     h.id + "-" + c.subject.code,
					title:  h.title + " " + c.subject.name,
					course: c,
					hours:  c.hours[grade],
				})
			}
			homerooms = append(homerooms, h)
			size := n / classes
			if c < n%classes {
				size++
			}
			for range size {
				seats[grade] = append(seats[grade], h)
			}
		}
	}
	return homerooms, seats
}

// shares splits total in proportion to weights, by largest remainder.
func shares(total int, weights []int) []int {
	sum := 0
	for _, w := range weights {
		sum += w
	}
	out := make([]int, len(weights))
	given := 0
	for i, w := range weights {
		out[i] = total * w / sum
		given += out[i]
	}
	byRemainder := make([]int, len(weights))
	for i := range byRemainder {
		byRemainder[i] = i
	}
	slices.SortStableFunc(byRemainder, func(a, b int) int {
		return cmp.Compare(total*weights[b]%sum, total*weights[a]%sum)
	})
	for _, i := range byRemainder[:total-given] {
		out[i]++
	}
	return out
}

// seatFamilies fills every seat with a child of a generated family, brothers and
// sisters in different grades of the school, and returns the families' guardians.
func seatFamilies(n namer, schoolID string, seats [][]*homeroom) []*person {
	var open []int // grades with seats left
	for grade, hs := range seats {
		n.rng.Shuffle(len(hs), func(i, j int) { hs[i], hs[j] = hs[j], hs[i] })
		if len(hs) > 0 {
			open = append(open, grade)
		}
	}
	var guardians []*person
	for len(open) > 0 {
		family, father := n.familyName(), pick(n.rng, maleNames)
		k := min(siblings(n.rng), len(open))
		children := make([]*person, 0, k)
		for i := range k {
			j := i + n.rng.IntN(len(open)-i)
			open[i], open[j] = open[j], open[i]
			grade := open[i]
			last := len(seats[grade]) - 1
			h := seats[grade][last]
			seats[grade] = seats[grade][:last]

			child := &pupil{person: n.child(family, father, n.rng.IntN(2) == 0), tier: drawTier(n.rng)}
			child.role = "student"
			h.pupils = append(h.pupils, child)
			children = append(children, &child.person)
		}
		open = slices.DeleteFunc(open, func(g int) bool { return len(seats[g]) == 0 })

		parents := guardiansOf(n, family, father)
		for _, g := range parents {
			g.id = schoolID + "-g" + strconv.Itoa(len(guardians)+1)
			g.agents = children
			guardians = append(guardians, g)
		}
		for _, c := range children {
			c.agents = parents
		}
	}
	return guardians
}

// siblings is how many children of one family attend the school.
func siblings(rng *rand.Rand) int {
	switch r := rng.IntN(100); {
	case r < 70:
		return 1
	case r < 92:
		return 2
	default:
		return 3
	}
}

// guardiansOf draws who of a family the school knows as the children's guardians:
// mostly both parents or the mother, sometimes a grandmother or a legal guardian.
func guardiansOf(n namer, family string, father maleName) []*person {
	withRole := func(p person, role string) *person {
		p.role = role
		return &p
	}
	mother := func() *person { return withRole(n.woman(family, femaleNames), "parent") }
	switch r := n.rng.IntN(100); {
	case r < 60:
		return []*person{mother(), withRole(n.man(family, father), "parent")}
	case r < 82:
		return []*person{mother()}
	case r < 88:
		return []*person{withRole(n.man(family, father), "parent")}
	case r < 94:
		return []*person{mother(), withRole(n.woman(family, grandmotherNames), "relative")}
	default:
		return []*person{withRole(n.woman(n.familyName(), femaleNames), "guardian")}
	}
}

// numberPupils gives pupils their sourcedIds in class-register order: by homeroom,
// then alphabetically.
func numberPupils(schoolID string, homerooms []*homeroom) {
	id := 0
	for _, h := range homerooms {
		slices.SortStableFunc(h.pupils, func(a, b *pupil) int {
			return cmp.Or(cmp.Compare(a.familyName, b.familyName), cmp.Compare(a.givenName, b.givenName),
				cmp.Compare(a.middleName, b.middleName))
		})
		for _, p := range h.pupils {
			id++
			p.id = schoolID + "-p" + strconv.Itoa(id)
		}
	}
}

// A teacher's load in lessons a week: what the school aims at, and the most it
// gives before it hires another teacher. A primary homeroom has at most five
// lessons a day, so a primary teacher cannot give many more than twenty.
const (
	teacherLoad    = 20
	maxTeacherLoad = 24
)

// hireTeachers employs teachers of each specialty for the school's lessons and
// gives every section one. A teacher takes all of a homeroom's sections of their
// specialty (its Алгебра and its Геометрия); the least loaded teacher takes the
// next homeroom, and one more is hired when that would overload them.
func hireTeachers(n namer, schoolID string, homerooms []*homeroom) []*teacher {
	var all []*teacher
	var bySpecialty [specialties][]*teacher
	hire := func(sp specialty) {
		t := &teacher{person: adult(n), room: classroom(len(all))}
		t.id, t.role = schoolID+"-t"+strconv.Itoa(len(all)+1), "teacher"
		bySpecialty[sp] = append(bySpecialty[sp], t)
		all = append(all, t)
	}
	var hours [specialties]int
	for _, h := range homerooms {
		for _, s := range h.sections {
			hours[s.course.teacher] += s.hours
		}
	}
	for sp, h := range hours {
		for range (h + teacherLoad - 1) / teacherLoad {
			hire(specialty(sp))
		}
	}

	load := make(map[*teacher]int, len(all))
	for _, h := range homerooms {
		var bundle [specialties]int
		for _, s := range h.sections {
			bundle[s.course.teacher] += s.hours
		}
		var chosen [specialties]*teacher
		for sp, b := range bundle {
			if b == 0 {
				continue
			}
			t := slices.MinFunc(bySpecialty[sp], func(a, b *teacher) int { return cmp.Compare(load[a], load[b]) })
			if load[t]+b > maxTeacherLoad {
				hire(specialty(sp))
				t = all[len(all)-1]
			}
			chosen[sp] = t
			load[t] += b
		}
		for _, s := range h.sections {
			s.teacher = chosen[s.course.teacher]
		}
	}
	return all
}

// classroom numbers the i-th teacher's room: floor first, then the door.
func classroom(i int) string {
	return strconv.Itoa(100*(1+i%4) + 1 + i/4)
}

// appointClassTeachers makes one of each homeroom's teachers its class teacher:
// the one who teaches it most and is not yet the class teacher of another homeroom.
func appointClassTeachers(homerooms []*homeroom) {
	taken := make(map[*teacher]bool)
	for _, h := range homerooms {
		hours := make(map[*teacher]int)
		var candidates []*teacher
		for _, s := range h.sections {
			if hours[s.teacher] == 0 {
				candidates = append(candidates, s.teacher)
			}
			hours[s.teacher] += s.hours
		}
		slices.SortStableFunc(candidates, func(a, b *teacher) int { return cmp.Compare(hours[b], hours[a]) })
		h.teacher = candidates[0]
		if i := slices.IndexFunc(candidates, func(t *teacher) bool { return !taken[t] }); i >= 0 {
			h.teacher = candidates[i]
		}
		taken[h.teacher] = true
	}
}

// adult is a teacher's or staff member's name: most of them are women.
func adult(n namer) person {
	if n.rng.IntN(5) == 0 {
		return n.man(n.familyName(), pick(n.rng, maleNames))
	}
	return n.woman(n.familyName(), femaleNames)
}
