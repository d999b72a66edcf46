package bot

import (
	"maps"
	"slices"
)

// ButtonKinds lists every kind of button the bot handles, for the tests that
// press forged ones of each.
func ButtonKinds() []string { return slices.Sorted(maps.Keys(buttons)) }

// TeacherMenu is the menu of a chat acting as a teacher.
var TeacherMenu = teacherMenu
