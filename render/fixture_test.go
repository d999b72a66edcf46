package render

import (
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

// The test pupil, Алёшина Дарья of 7А, in the week of Monday 23 November 2026,
// at a school in Moscow that teaches on Saturdays.

var moscow = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err)
	}
	return loc
}()

// date is a calendar date value as the diary uses them.
func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

var (
	darya     = diary.Person{ID: 1, FamilyName: "Алёшина", GivenName: "Дарья", MiddleName: "Сергеевна"}
	ivanova   = &diary.Person{ID: 11, FamilyName: "Иванова", GivenName: "Марина", MiddleName: "Петровна"}
	petrov    = &diary.Person{ID: 12, FamilyName: "Петров", GivenName: "Сергей", MiddleName: "Андреевич"}
	smirnova  = &diary.Person{ID: 13, FamilyName: "Смирнова", GivenName: "Ольга", MiddleName: "Николаевна"}
	kuznetsov = &diary.Person{ID: 14, FamilyName: "Кузнецов", GivenName: "Андрей", MiddleName: "Викторович"}
	volkova   = &diary.Person{ID: 15, FamilyName: "Волкова", GivenName: "Елена", MiddleName: "Игоревна"}
	morozova  = &diary.Person{ID: 16, FamilyName: "Морозова", GivenName: "Анна", MiddleName: "Дмитриевна"}
	sidorov   = &diary.Person{ID: 17, FamilyName: "Сидоров", GivenName: "Виктор", MiddleName: "Васильевич"}
	orlova    = &diary.Person{ID: 18, FamilyName: "Орлова", GivenName: "Нина", MiddleName: "Павловна"}

	// child is how headings label Дарья for an account with several children.
	child = ChildLabel(darya, "7А")
)

// Class ids of 7А's subjects.
const (
	math diary.ClassID = iota + 101
	russian
	physics
	history
	english
	literature
	biology
	pe
	technology
)

// bell is the school's bell schedule: lesson n from bell[n-1][0] to bell[n-1][1].
var bell = [][2]diary.Clock{{510, 555}, {565, 610}, {620, 665}, {675, 720}, {730, 775}, {785, 830}}

// lesson is a lesson as the diary gives it, at its period's bell times.
func lesson(day string, period int, class diary.ClassID, subject string, teacher *diary.Person, room string) diary.Lesson {
	return diary.Lesson{Date: date(day), Period: period, Starts: bell[period-1][0], Ends: bell[period-1][1],
		Class: class, Subject: subject, Teacher: teacher, Room: room}
}

var mathHomework = diary.Homework{ID: 501, Class: math, Subject: "Математика", Text: "§12, упр. 5, 6 и 7",
	Assigned: date("2026-11-25"), Due: date("2026-11-27")}

// friday is Friday 27 November: a substitute, a cancelled lesson, a lesson moved
// away and one moved in, a new room, grades, marks and remarks.
func friday() diary.Day {
	algebra := lesson("2026-11-27", 1, math, "Математика", ivanova, "214")
	algebra.Topic = "Линейные уравнения с одной переменной"
	algebra.Homework = []diary.Homework{mathHomework}
	algebra.Grades = []diary.Grade{
		{ID: 901, Class: math, Subject: "Математика", Date: date("2026-11-27"), Score: 5, Weight: 1, Kind: diary.GradeCurrent, Work: "Самостоятельная работа"},
		{ID: 902, Class: math, Subject: "Математика", Date: date("2026-11-27"), Score: 4, Weight: 2, Kind: diary.GradeCurrent,
			Work: "Контрольная работа", Comment: "Ошибка в задаче 3"},
	}

	russianLesson := lesson("2026-11-27", 2, russian, "Русский язык", smirnova, "215")
	russianLesson.Change = &diary.LessonChange{Kind: diary.ChangeCancelled, Note: "Учитель на курсах повышения квалификации"}

	// The diary shows the substitute as the lesson's teacher.
	physicsLesson := lesson("2026-11-27", 3, physics, "Физика", petrov, "301")
	physicsLesson.Change = &diary.LessonChange{Kind: diary.ChangeSubstitute, Substitute: petrov}
	physicsLesson.Attendance = &diary.AttendanceMark{Date: date("2026-11-27"), Period: 3, Subject: "Физика", Status: "late"}

	historyLesson := lesson("2026-11-27", 4, history, "История", kuznetsov, "118")
	historyLesson.Change = &diary.LessonChange{Kind: diary.ChangeMoved, MovedTo: date("2026-12-01"), MovedToPeriod: 3}

	englishLesson := lesson("2026-11-27", 5, english, "Английский язык", morozova, "305")
	englishLesson.Change = &diary.LessonChange{Kind: diary.ChangeRoom, Room: "305"}
	englishLesson.Topic = "Present Perfect"

	literatureLesson := lesson("2026-11-27", 6, literature, "Литература", volkova, "216")
	literatureLesson.Change = &diary.LessonChange{Kind: diary.ChangeMoved, MovedFrom: date("2026-11-25"), MovedFromPeriod: 2}
	literatureLesson.Attendance = &diary.AttendanceMark{Date: date("2026-11-27"), Period: 6, Subject: "Литература",
		Status: "absent", Excused: true, Reason: "визит к врачу"}

	return diary.Day{
		Date:    date("2026-11-27"),
		Lessons: []diary.Lesson{algebra, russianLesson, physicsLesson, historyLesson, englishLesson, literatureLesson},
		Homework: []diary.Homework{{ID: 502, Class: biology, Subject: "Биология", Title: "Доклад",
			Text: "Подготовить доклад о грибах (3–5 минут)", Due: date("2026-11-27")}},
		Grades: []diary.Grade{{ID: 903, Class: technology, Subject: "Технология", Date: date("2026-11-27"), Score: 5, Weight: 1,
			Kind: diary.GradeCurrent, Work: "Проект «Скворечник»"}},
		Remarks: remarks()[:2],
	}
}

// saturday is Saturday 28 November: three lessons, nothing special.
func saturday() diary.Day {
	return diary.Day{Date: date("2026-11-28"), Lessons: []diary.Lesson{
		lesson("2026-11-28", 1, pe, "Физкультура", sidorov, "Спортзал"),
		lesson("2026-11-28", 2, biology, "Биология", orlova, "310"),
		lesson("2026-11-28", 3, technology, "Технология", orlova, "Мастерская"),
	}}
}

// week is 23–29 November: lessons Monday to Saturday, Wednesday's literature
// moved to Friday, and Sunday off.
func week() diary.Schedule {
	wednesdayLiterature := lesson("2026-11-25", 2, literature, "Литература", volkova, "216")
	wednesdayLiterature.Change = &diary.LessonChange{Kind: diary.ChangeMoved, MovedTo: date("2026-11-27"), MovedToPeriod: 6}
	return diary.Schedule{Days: []diary.Day{
		{Date: date("2026-11-23"), Lessons: []diary.Lesson{
			lesson("2026-11-23", 1, russian, "Русский язык", smirnova, "215"),
			lesson("2026-11-23", 2, math, "Математика", ivanova, "214"),
			lesson("2026-11-23", 3, english, "Английский язык", morozova, "207"),
		}},
		{Date: date("2026-11-24"), Lessons: []diary.Lesson{
			lesson("2026-11-24", 1, math, "Математика", ivanova, "214"),
			lesson("2026-11-24", 2, physics, "Физика", orlova, "301"),
		}},
		{Date: date("2026-11-25"), Lessons: []diary.Lesson{
			lesson("2026-11-25", 1, history, "История", kuznetsov, "118"),
			wednesdayLiterature,
		}},
		{Date: date("2026-11-26"), Lessons: []diary.Lesson{
			lesson("2026-11-26", 1, biology, "Биология", orlova, "310"),
			lesson("2026-11-26", 2, math, "Математика", ivanova, "214"),
		}},
		friday(),
		saturday(),
		{Date: date("2026-11-29")},
	}}
}

func homework() diary.HomeworkList {
	return diary.HomeworkList{From: date("2026-11-27"), To: date("2026-12-01"), Homework: []diary.Homework{
		mathHomework,
		{ID: 502, Class: biology, Subject: "Биология", Title: "Доклад", Text: "Подготовить доклад о грибах (3–5 минут)", Due: date("2026-11-27")},
		{ID: 503, Class: russian, Subject: "Русский язык", Text: "Упр. 134: списать, расставить знаки препинания", Due: date("2026-11-30")},
		{ID: 504, Class: english, Subject: "Английский язык", Text: "Workbook p. 34, ex. 2\nВыучить слова по теме «Travel»", Due: date("2026-11-30")},
		{ID: 505, Class: history, Subject: "История", Title: "Параграф 9, вопросы 1–4", Due: date("2026-12-01")},
	}}
}

// grade is a current grade of weight 1 unless given.
func grade(class diary.ClassID, subject, day string, score float64, weight float64) diary.Grade {
	return diary.Grade{Class: class, Subject: subject, Date: date(day), Score: score, Weight: weight, Kind: diary.GradeCurrent}
}

// termGrades is the second term's report: weights, a shown and a hidden class
// average, final grades, and a subject with one grade.
func termGrades() diary.GradeReport {
	mathGrades := []diary.Grade{
		grade(math, "Математика", "2026-11-10", 5, 1),
		grade(math, "Математика", "2026-11-13", 3, 2),
		grade(math, "Математика", "2026-11-20", 4, 1),
		grade(math, "Математика", "2026-11-27", 5, 1),
		grade(math, "Математика", "2026-11-27", 4, 2),
	}
	englishGrades := []diary.Grade{
		grade(english, "Английский язык", "2026-11-11", 5, 1),
		grade(english, "Английский язык", "2026-11-18", 4, 1),
		grade(english, "Английский язык", "2026-11-25", 5, 1.5),
	}
	russianGrades := []diary.Grade{grade(russian, "Русский язык", "2026-11-16", 4, 1)}
	return diary.GradeReport{
		From: date("2026-11-09"), To: date("2026-12-28"),
		Period: &diary.Session{ID: 2, Title: "2 четверть", Kind: "term", Start: date("2026-11-09"), End: date("2026-12-28")},
		Subjects: []diary.SubjectGrades{
			{Class: english, Subject: "Английский язык", Grades: englishGrades, Average: diary.WeightedAverage(englishGrades)},
			{Class: math, Subject: "Математика", Grades: mathGrades, Average: diary.WeightedAverage(mathGrades),
				ClassAverage: 4.0234, ClassAverageShown: true},
			{Class: russian, Subject: "Русский язык", Grades: russianGrades, Average: diary.WeightedAverage(russianGrades),
				Final: []diary.Grade{{Class: russian, Subject: "Русский язык", Score: 4, Weight: 1, Kind: diary.GradeTerm, Session: "1 четверть"}}},
			{Class: technology, Subject: "Технология",
				Final: []diary.Grade{{Class: technology, Subject: "Технология", Score: 5, Weight: 1, Kind: diary.GradeYear}}},
		},
	}
}

// mathTerm is the page of 7А's mathematics in the second term: works,
// weights, comments, the class average, the term's and the year's grades.
func mathTerm() diary.SubjectTerm {
	report := termGrades()
	s := report.Subjects[1]
	s.Grades[0].Work, s.Grades[0].Comment = "Самостоятельная работа", "Молодец"
	s.Grades[1].Work, s.Grades[1].Comment = "Контрольная работа № 3", "Ошибка в задаче 3 <проверь знак>"
	s.Final = []diary.Grade{
		{Class: math, Subject: "Математика", Score: 4, Weight: 1, Kind: diary.GradeTerm, Session: "2 четверть"},
		{Class: math, Subject: "Математика", Score: 4, Weight: 1, Kind: diary.GradeYear, Session: "2026/27"},
	}
	first := diary.Session{ID: 1, Title: "1 четверть", Kind: "term", Start: date("2026-09-01"), End: date("2026-10-25")}
	third := diary.Session{ID: 3, Title: "3 четверть", Kind: "term", Start: date("2027-01-11"), End: date("2027-03-20")}
	return diary.SubjectTerm{Access: diary.PupilAccess{School: diary.School{GradeMin: 1, GradeMax: 5, Location: moscow}},
		Term: *report.Period, Prev: &first, Next: &third, Grades: s}
}

// emptyTerm is a subject's page of a term without grades.
func emptyTerm() diary.SubjectTerm {
	return diary.SubjectTerm{Term: diary.Session{ID: 3, Title: "3 четверть", Start: date("2027-01-11"), End: date("2027-03-20")},
		Grades: diary.SubjectGrades{Class: math, Subject: "Математика"}}
}

func attendance() diary.AttendanceReport {
	return diary.AttendanceReport{From: date("2026-11-23"), To: date("2026-11-29"), AbsentDays: 1, AbsentLessons: 2, Excused: 1, Late: 1,
		Marks: []diary.AttendanceMark{
			{Date: date("2026-11-23"), Period: 2, Subject: "Математика", Status: "absent", Excused: true, Reason: "болезнь"},
			{Date: date("2026-11-24"), Status: "absent"},
			{Date: date("2026-11-26"), Period: 5, Subject: "История", Status: "absent"},
			{Date: date("2026-11-27"), Period: 3, Subject: "Физика", Status: "late"},
		}}
}

func remarks() []diary.Remark {
	return []diary.Remark{
		{Date: date("2026-11-27"), Kind: "praise", Text: "Лучшая работа в классе!", Subject: "Математика", Author: ivanova},
		{Date: date("2026-11-27"), Kind: "warning", Text: "Забыла спортивную форму", Subject: "Физкультура", Author: sidorov},
		{Date: date("2026-11-30"), Kind: "praise", Text: "Помогла организовать классный час", Author: orlova},
	}
}

func events() diary.EventList {
	return diary.EventList{Events: []diary.Event{
		{ID: 1, Kind: "meeting", Title: "Родительское собрание", Agenda: "Итоги первой четверти, поездка в Казань",
			Place: "Каб. 214", Starts: time.Date(2026, 12, 3, 18, 30, 0, 0, moscow), Ends: time.Date(2026, 12, 3, 19, 30, 0, 0, moscow),
			Class: "7А", Answer: "yes"},
		{ID: 2, Kind: "meeting", Title: "Встреча с психологом", Place: "Актовый зал",
			Starts: time.Date(2026, 12, 8, 17, 0, 0, 0, moscow), Cancelled: true},
		{ID: 3, Kind: "event", Title: "Новогодний концерт", Place: "Актовый зал",
			Starts: time.Date(2026, 12, 25, 15, 0, 0, 0, time.UTC), Answer: "no"},
		{ID: 4, Kind: "event", Title: "Лыжный поход", Place: "Парк «Сокольники»",
			Starts: time.Date(2027, 1, 16, 9, 0, 0, 0, moscow), Ends: time.Date(2027, 1, 17, 16, 0, 0, 0, moscow), Class: "7А"},
	}}
}

func missed() diary.MissedReport {
	return diary.MissedReport{From: date("2026-11-23"), To: date("2026-11-29"), Lessons: []diary.MissedLesson{
		{Date: date("2026-11-23"), Period: 2, Class: math, Subject: "Математика", Topic: "Раскрытие скобок", Excused: true,
			Homework: []diary.Homework{{ID: 506, Class: math, Subject: "Математика", Text: "№ 341, 343", Assigned: date("2026-11-23"), Due: date("2026-11-24")}}},
		{Date: date("2026-11-24"), Period: 1, Class: math, Subject: "Математика", Topic: "Решение уравнений"},
		{Date: date("2026-11-24"), Period: 2, Class: physics, Subject: "Физика", Topic: "Плотность вещества",
			Homework: []diary.Homework{{ID: 507, Class: physics, Subject: "Физика", Title: "§21", Text: "Ответить на вопросы после параграфа",
				Assigned: date("2026-11-24"), Due: date("2026-11-26")}}},
		{Date: date("2026-11-26"), Period: 5, Class: history, Subject: "История"},
	}}
}
