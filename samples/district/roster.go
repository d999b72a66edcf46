package district

import (
	"strconv"
	"strings"
)

// districtID is the sourcedId of the district org above the schools.
const districtID = "district"

// writeDistrict writes what the whole district shares: its orgs, the school year
// and its terms, and the grade categories.
func writeDistrict(o *output, cal *calendar, schools []*school) {
	o.write(orgsTable, districtID, "", "", "Управление образования", "district", "", "", "Europe/Moscow")
	for i, s := range schools {
		o.write(orgsTable, s.id, "", "", s.name, "school", strconv.Itoa(i+1), districtID, s.timeZone)
	}

	ending := strconv.Itoa(cal.endingYear)
	o.write(academicSessionsTable, cal.yearID, "", "", cal.yearTitle, "schoolYear", cal.start, cal.end, "", ending)
	for _, t := range cal.terms {
		o.write(academicSessionsTable, t.id, "", "", t.title, "term", t.start, t.end, cal.yearID, ending)
	}

	for _, c := range categories {
		o.write(categoriesTable, c.id, "", "", c.title, c.weight)
	}
}

// writeRoster writes the school's courses, classes, people, enrollments and
// timetable.
func (s *school) writeRoster(o *output, cal *calendar) {
	s.writeCourses(o, cal)
	s.writeClasses(o, cal)
	s.writeUsers(o)
	s.writeEnrollments(o, cal)
	s.writeTimetable(o, cal)
}

// writeCourses writes a course for every subject of every grade the school has.
func (s *school) writeCourses(o *output, cal *calendar) {
	seen := make(map[int]bool)
	for _, h := range s.homerooms {
		if seen[h.grade] {
			continue
		}
		seen[h.grade] = true
		for _, c := range coursesOf(h.grade) {
			o.write(coursesTable, s.courseID(h.grade, c.subject), "", "", cal.yearID,
				c.subject.name+", "+strconv.Itoa(h.grade)+" класс", strconv.Itoa(h.grade)+"-"+c.subject.code,
				gradeCode(h.grade), s.id, c.subject.name, "")
		}
	}
}

// writeClasses writes the homerooms, each followed by its sections.
func (s *school) writeClasses(o *output, cal *calendar) {
	terms := make([]string, len(cal.terms))
	for i, t := range cal.terms {
		terms[i] = t.id
	}
	termIDs := strings.Join(terms, ",")
	for _, h := range s.homerooms {
		grade := gradeCode(h.grade)
		o.write(classesTable, h.id, "", "", h.title, grade, "", h.title, "homeroom", h.teacher.room, s.id,
			termIDs, "", "", "")
		for _, sec := range h.sections {
			o.write(classesTable, sec.id, "", "", sec.title, grade, s.courseID(h.grade, sec.course.subject),
				sec.title, "scheduled", sec.room(), s.id, termIDs, sec.course.subject.name, "", "")
		}
	}
}

// writeUsers writes staff, teachers, pupils in class-register order, and guardians.
func (s *school) writeUsers(o *output) {
	for _, p := range s.staff {
		s.writeUser(o, p, "")
	}
	for _, t := range s.teachers {
		s.writeUser(o, &t.person, "")
	}
	for _, h := range s.homerooms {
		for _, p := range h.pupils {
			s.writeUser(o, &p.person, gradeCode(h.grade))
		}
	}
	for _, g := range s.guardians {
		s.writeUser(o, g, "")
	}
}

// writeEnrollments puts each homeroom's pupils and class teacher in the homeroom,
// and its pupils and subject teachers in every section of it.
func (s *school) writeEnrollments(o *output, cal *calendar) {
	enrollments := 0
	enroll := func(classID string, p *person, role string) {
		enrollments++
		primary := strconv.FormatBool(role == "teacher")
		o.write(enrollmentsTable, s.id+"-e"+strconv.Itoa(enrollments), "", "", classID, s.id, p.id, role,
			primary, cal.start, cal.end)
	}
	for _, h := range s.homerooms {
		enroll(h.id, &h.teacher.person, "teacher")
		for _, p := range h.pupils {
			enroll(h.id, &p.person, "student")
		}
		for _, sec := range h.sections {
			enroll(sec.id, &sec.teacher.person, "teacher")
			for _, p := range h.pupils {
				enroll(sec.id, &p.person, "student")
			}
		}
	}
}

// writeTimetable writes each homeroom's week, lesson by lesson, under the sections.
func (s *school) writeTimetable(o *output, cal *calendar) {
	for _, h := range s.homerooms {
		for d := range h.week {
			for p, sec := range h.week[d] {
				if sec == nil {
					continue
				}
				o.write(timetableTable, sec.id, strconv.Itoa(d+1), strconv.Itoa(p+1), bells[p][0], bells[p][1],
					sec.course.subject.name, sec.teacher.id, sec.room(), cal.start, cal.end)
			}
		}
	}
}

func (s *school) writeUser(o *output, p *person, grade string) {
	o.write(usersTable, p.id, "", "", "true", s.id, p.role, p.id, "", p.givenName, p.familyName,
		p.middleName, "", "", "", "", joinIDs(p.agents), grade, "")
}

// courseID names the course of a subject in one grade of the school.
func (s *school) courseID(grade int, sub subject) string {
	return s.id + "-" + strconv.Itoa(grade) + "-" + sub.code
}

// room is where the section's lessons are held.
func (sec *section) room() string {
	if sec.course.subject.room != "" {
		return sec.course.subject.room
	}
	return sec.teacher.room
}

// gradeCode is a grade as OneRoster writes it: 01 to 12.
func gradeCode(grade int) string {
	if grade < 10 {
		return "0" + strconv.Itoa(grade)
	}
	return strconv.Itoa(grade)
}
