package district

// subject is a school subject as the diary shows it.
type subject struct {
	name string
	code string // ASCII, part of sourcedIds
	room string // where its lessons are held when not in the teacher's own room
}

var (
	russian      = subject{name: "Русский язык", code: "rus"}
	reading      = subject{name: "Литературное чтение", code: "read"}
	mathematics  = subject{name: "Математика", code: "math"}
	world        = subject{name: "Окружающий мир", code: "world"}
	english      = subject{name: "Английский язык", code: "eng"}
	music        = subject{name: "Музыка", code: "music"}
	art          = subject{name: "ИЗО", code: "art"}
	technology   = subject{name: "Технология", code: "tech"}
	sport        = subject{name: "Физкультура", code: "pe", room: "Спортзал"}
	literature   = subject{name: "Литература", code: "lit"}
	algebra      = subject{name: "Алгебра", code: "alg"}
	geometry     = subject{name: "Геометрия", code: "geom"}
	informatics  = subject{name: "Информатика", code: "inf"}
	history      = subject{name: "История", code: "hist"}
	society      = subject{name: "Обществознание", code: "soc"}
	geography    = subject{name: "География", code: "geo"}
	biology      = subject{name: "Биология", code: "bio"}
	physics      = subject{name: "Физика", code: "phys"}
	chemistry    = subject{name: "Химия", code: "chem"}
	lifeSecurity = subject{name: "ОБЖ", code: "obzh"}
)

// specialty is what one teacher teaches: one or two subjects, sometimes only in
// some grades (the primary-school teacher of Russian is not the one of grade 7).
type specialty int

const (
	primaryLiteracy specialty = iota // Русский язык and Литературное чтение, grades 1–4
	primaryMath                      // Математика and Окружающий мир, grades 1–4
	philology                        // Русский язык and Литература, grades 5–11
	mathInformatics                  // Математика in 5–6 and Информатика
	algebraGeometry
	englishLanguage
	historySociety
	geoBiology
	physicsOnly
	chemistryOnly
	sportSafety // Физкультура and ОБЖ
	musicOnly
	artsCrafts // ИЗО and Технология
	specialties
)

// course is one line of the curriculum: a subject, who teaches it, and its lessons
// a week in each grade.
type course struct {
	subject subject
	teacher specialty
	hours   [12]int // by grade; index 0 is unused
}

var curriculum = []course{
	{russian, primaryLiteracy, [12]int{0, 5, 5, 5, 5}},
	{reading, primaryLiteracy, [12]int{0, 4, 4, 4, 3}},
	{mathematics, primaryMath, [12]int{0, 4, 4, 4, 4}},
	{world, primaryMath, [12]int{0, 2, 2, 2, 2}},
	{russian, philology, [12]int{0, 0, 0, 0, 0, 5, 5, 4, 3, 3, 2, 2}},
	{literature, philology, [12]int{0, 0, 0, 0, 0, 3, 3, 2, 2, 3, 3, 3}},
	{english, englishLanguage, [12]int{0, 0, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3}},
	{mathematics, mathInformatics, [12]int{0, 0, 0, 0, 0, 5, 5}},
	{algebra, algebraGeometry, [12]int{0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 4, 4}},
	{geometry, algebraGeometry, [12]int{0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2}},
	{informatics, mathInformatics, [12]int{0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1}},
	{history, historySociety, [12]int{0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2}},
	{society, historySociety, [12]int{0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2}},
	{geography, geoBiology, [12]int{0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 1}},
	{biology, geoBiology, [12]int{0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 1, 1}},
	{physics, physicsOnly, [12]int{0, 0, 0, 0, 0, 0, 0, 2, 2, 3, 2, 2}},
	{chemistry, chemistryOnly, [12]int{0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 1, 1}},
	{music, musicOnly, [12]int{0, 1, 1, 1, 1, 1, 1, 1}},
	{art, artsCrafts, [12]int{0, 1, 1, 1, 1, 1, 1}},
	{technology, artsCrafts, [12]int{0, 1, 1, 1, 1, 2, 2, 2}},
	{sport, sportSafety, [12]int{0, 3, 3, 3, 3, 2, 2, 2, 2, 2, 2, 2}},
	{lifeSecurity, sportSafety, [12]int{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1}},
}

// grades is the number of school grades, 1 to 11.
const grades = 11

// coursesOf lists the curriculum lines a grade has lessons in.
func coursesOf(grade int) []course {
	var cs []course
	for _, c := range curriculum {
		if c.hours[grade] > 0 {
			cs = append(cs, c)
		}
	}
	return cs
}
