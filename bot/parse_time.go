package bot

import (
	"strings"

	"github.com/dnevnik/dnevnik/diary"
)

// parseTimeOfDay reads a time of day typed on its own, as for the digest: what
// parseClock reads ("7:15", "07:15", "19.30", "7pm", "7:15 pm"), also with a
// dash ("19-30"), after "в" or "at", or the hours alone ("7", "19"): with no
// day around it a bare number can only be an hour. Anything else ("7:5",
// "24:00", "715") is not a time.
func parseTimeOfDay(s string) (diary.Clock, bool) {
	text := strings.Join(typedWords(s, fillerWords), "") // "7:15 pm" → "7:15pm"
	if h, ok := smallNumber(text, 1, 2); ok {
		return diary.Clock(h * 60), h <= 23
	}
	if h, m, dashed := strings.Cut(text, "-"); dashed && !strings.ContainsAny(h+m, ":.-") {
		text = h + ":" + m
	}
	hour, minute, ok := parseClock(text)
	return diary.Clock(hour*60 + minute), ok
}
