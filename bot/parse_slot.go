package bot

import (
	"strconv"
	"strings"
	"time"
)

// periodWords are the words around a period number that say nothing more:
// "3 урок", "урок 3", "period 3".
var periodWords = map[string]bool{"урок": true, "уроком": true, "урока": true, "period": true, "lesson": true}

// parseSlot reads a lesson's slot as people type it: a day (as parseDay reads
// it) and then the period, "пт 3", "28.11, 5", "завтра 2 урок", "mon period 4".
func parseSlot(s string, today time.Time) (day time.Time, period int, ok bool) {
	words := typedWords(s, periodWords)
	if len(words) < 2 {
		return time.Time{}, 0, false
	}
	last := strings.TrimSuffix(strings.TrimSuffix(words[len(words)-1], "й"), "-")
	period, err := strconv.Atoi(last)
	if err != nil || period < 1 || len(last) > 2 {
		return time.Time{}, 0, false
	}
	day, ok = parseDay(strings.Join(words[:len(words)-1], " "), today)
	return day, period, ok
}
