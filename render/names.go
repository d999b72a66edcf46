package render

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dnevnik/dnevnik/diary"
)

// The names here are plain text: views escape them where they put them in HTML.

// TeacherName is a teacher as a diary names them: family name and initials,
// "Иванова М. П.". Without a family name it is the given and middle names.
func TeacherName(t diary.Person) string {
	family := strings.TrimSpace(t.FamilyName)
	if family == "" {
		return words(t.GivenName, t.MiddleName)
	}
	name := family
	for _, n := range []string{t.GivenName, t.MiddleName} {
		if r, size := utf8.DecodeRuneInString(strings.TrimSpace(n)); size > 0 {
			name += " " + string(unicode.ToUpper(r)) + "."
		}
	}
	return name
}

// ChildName is a pupil's given and family name, "Дарья Алёшина": how a sentence
// names a child, unmistakably among an account's children.
func ChildName(child diary.Person) string {
	return words(child.GivenName, child.FamilyName)
}

// ChildLabel is the short label of a pupil in headings and on buttons: the given
// name and the class, "Дарья, 7А", which tells an account's children apart. It
// is the given name alone without a class, the full name without a given name.
func ChildLabel(child diary.Person, class string) string {
	name := words(child.GivenName)
	if name == "" {
		name = ChildName(child)
	}
	if class = words(class); class != "" {
		return name + ", " + class
	}
	return name
}

// words joins names with single spaces, leaving out empty ones.
func words(names ...string) string {
	return strings.Join(strings.Fields(strings.Join(names, " ")), " ")
}

// FullName is "Family Given Middle", the way a class list reads: the name on a
// printed sheet (codes, the printed week) and in the operator's listings.
func FullName(p diary.Person) string {
	return words(p.FamilyName, p.GivenName, p.MiddleName)
}
