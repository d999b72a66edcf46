package district

import (
	"fmt"
	"math/rand/v2"
)

// homeworkTasks are the shapes a subject's homework takes, by subject code. The
// arguments are the textbook paragraph (1), three exercises in a row (2–4) and a
// page with the one three pages on (5–6); every shape names its arguments.
var homeworkTasks = map[string][]string{
	"rus": {"§%[1]d, упр. %[2]d, %[3]d и %[4]d", "Упр. %[2]d, выучить правило на с. %[5]d",
		"§%[1]d, упр. %[2]d (письменно)", "Словарные слова на с. %[5]d, упр. %[2]d"},
	"read": {"Прочитать с. %[5]d–%[6]d, ответить на вопросы", "Выразительное чтение, с. %[5]d–%[6]d",
		"Выучить стихотворение на с. %[5]d наизусть"},
	"math":  {"№ %[2]d, %[3]d и %[4]d на с. %[5]d", "С. %[5]d, № %[2]d, %[3]d", "§%[1]d, № %[2]d–%[4]d"},
	"world": {"С. %[5]d–%[6]d, ответить на вопросы", "Рабочая тетрадь, с. %[5]d, задания %[2]d и %[3]d"},
	"eng": {"Ex. %[2]d, p. %[5]d; выучить слова", "WB p. %[5]d, ex. %[2]d, %[3]d",
		"Прочитать текст на с. %[5]d, ex. %[2]d"},
	"music": {"Выучить слова песни на с. %[5]d", "Послушать произведение со с. %[5]d учебника"},
	"art":   {"Закончить рисунок, с. %[5]d учебника", "Принести альбом и краски; с. %[5]d"},
	"tech":  {"Подготовить материалы к уроку, с. %[5]d", "Закончить изделие по схеме на с. %[5]d"},
	"pe":    {"Комплекс упражнений № %[1]d", "Повторить правила игры, с. %[5]d учебника"},
	"lit": {"Прочитать с. %[5]d–%[6]d, вопросы %[2]d–%[4]d", "Выучить наизусть отрывок на с. %[5]d",
		"Сочинение-миниатюра по с. %[5]d–%[6]d"},
	"alg":  {"§%[1]d, № %[2]d, %[3]d, %[4]d", "№ %[2]d–%[4]d", "§%[1]d, выучить формулы, № %[2]d"},
	"geom": {"п. %[1]d, задачи %[2]d, %[3]d", "п. %[1]d, выучить теорему, № %[2]d"},
	"inf":  {"§%[1]d, задание %[2]d в рабочей тетради", "§%[1]d, вопросы %[2]d–%[4]d"},
	"hist": {"§%[1]d, вопросы %[2]d–%[4]d на с. %[5]d", "§%[1]d, составить план ответа", "§%[1]d, даты на с. %[5]d"},
	"soc":  {"§%[1]d, вопросы %[2]d–%[4]d", "§%[1]d, задание %[2]d в классе и дома"},
	"geo":  {"§%[1]d, контурная карта на с. %[5]d", "§%[1]d, вопросы %[2]d, %[3]d"},
	"bio":  {"§%[1]d, вопросы %[2]d–%[4]d", "§%[1]d, рисунок на с. %[5]d в тетрадь"},
	"phys": {"§%[1]d, упр. %[1]d (%[2]d, %[3]d)", "§%[1]d, задачи %[2]d и %[3]d"},
	"chem": {"§%[1]d, упр. %[2]d, %[3]d", "§%[1]d, уравнения реакций, с. %[5]d"},
	"obzh": {"§%[1]d, вопросы на с. %[5]d", "§%[1]d, памятка в тетрадь"},
}

// homeworkTask appends to b the homework given at the lesson-th lesson of a
// section: the numbers move on through the textbook over the year.
func homeworkTask(b []byte, rng *rand.Rand, sec *section, lesson int) []byte {
	shapes := homeworkTasks[sec.course.subject.code]
	exercise := 1 + 4*lesson + rng.IntN(3)
	page := 3 + 2*lesson + rng.IntN(2)
	return fmt.Appendf(b, shapes[rng.IntN(len(shapes))],
		1+lesson/sec.hours, exercise, exercise+1, exercise+2, page, page+3)
}
