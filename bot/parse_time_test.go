package bot

import "testing"

func TestParseTimeOfDay(t *testing.T) {
	cases := map[string]string{
		"7:15": "07:15", "07:15": "07:15", "19.30": "19:30", "19-30": "19:30", " 8:00 ": "08:00", "в 6:45": "06:45",
		"0:00": "00:00", "23:59": "23:59", "7": "07:00", "19": "19:00", "7pm": "19:00", "7:15 PM": "19:15", "at 6:30am": "06:30",
	}
	for typed, want := range cases {
		if c, ok := parseTimeOfDay(typed); !ok || c.String() != want {
			t.Errorf("parseTimeOfDay(%q) = %s, %v; want %s", typed, c, ok, want)
		}
	}
	for _, bad := range []string{"", "24", "24:00", "7:60", "7:5", "715", "0715", "-7:15", "7::15", "+7:15", "7-", "-",
		"семь", "7:1５", "٧:١٥", "19.30.", ":30", "7:", "123:00", "19-30-00", "7-15pm-", "13pm", "завтра 7:15"} {
		if c, ok := parseTimeOfDay(bad); ok {
			t.Errorf("parseTimeOfDay(%q) = %s; want no time", bad, c)
		}
	}
}

func FuzzParseTimeOfDay(f *testing.F) {
	for _, s := range []string{"7:15", "07:15", "19.30", "19-30", "в 6:45", "7", "7:15 pm", "24:00", "7:60", "+7:15", "٧:١٥", "7:1５", "-1", "7-15pm"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		c, ok := parseTimeOfDay(typed)
		if !ok {
			return
		}
		if c < 0 || c >= 24*60 {
			t.Fatalf("parseTimeOfDay(%q) = %d: not a time of day", typed, int(c))
		}
		// The settings show the time as HH:MM; typed back, it is the same time.
		if again, ok := parseTimeOfDay(c.String()); !ok || again != c {
			t.Fatalf("parseTimeOfDay(%q) = %s, which reads back as %s, %v", typed, c, again, ok)
		}
	})
}
