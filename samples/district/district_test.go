package district

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the schools' zones must load wherever the test runs
)

// small is the district most tests look at: 2 schools of 60 pupils, term 1 graded.
var small = Config{Schools: 2, PupilsPerSchool: 60, Seed: 1, Year: 2026, GradedTerms: 1}

// district is a generated district read back.
type district struct {
	headers map[string]string              // by file name
	rows    map[string][]map[string]string // by file name; each row by column name
}

func generate(t *testing.T, cfg Config) (string, district) {
	t.Helper()
	dir := t.TempDir()
	if _, err := Generate(context.Background(), dir, cfg, io.Discard); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	d := district{headers: make(map[string]string), rows: make(map[string][]map[string]string)}
	for _, spec := range tables {
		f, err := os.Open(filepath.Join(dir, spec.name))
		if err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("%s does not parse: %v", spec.name, err)
		}
		for _, rec := range records[1:] {
			row := make(map[string]string, len(rec))
			for i, col := range records[0] {
				row[col] = rec[i]
			}
			d.rows[spec.name] = append(d.rows[spec.name], row)
		}
		d.headers[spec.name] = strings.Join(records[0], ",")
	}
	return dir, d
}

// index maps a file's rows by a column.
func (d district) index(file, col string) map[string]map[string]string {
	m := make(map[string]map[string]string)
	for _, r := range d.rows[file] {
		m[r[col]] = r
	}
	return m
}

func TestDistrictIsDeterministic(t *testing.T) {
	dirA, _ := generate(t, small)
	dirB, _ := generate(t, small)
	other := small
	other.Seed = 2
	dirC, _ := generate(t, other)
	for _, spec := range tables {
		a, _ := os.ReadFile(filepath.Join(dirA, spec.name))
		b, _ := os.ReadFile(filepath.Join(dirB, spec.name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed", spec.name)
		}
	}
	a, _ := os.ReadFile(filepath.Join(dirA, "users.csv"))
	c, _ := os.ReadFile(filepath.Join(dirC, "users.csv"))
	if bytes.Equal(a, c) {
		t.Error("users.csv is the same for seeds 1 and 2")
	}
}

func TestDistrictHeaders(t *testing.T) {
	_, d := generate(t, small)
	want := map[string]string{
		"manifest.csv":         "propertyName,value",
		"orgs.csv":             "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,ext_timezone",
		"academicSessions.csv": "sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear",
		"categories.csv":       "sourcedId,status,dateLastModified,title,ext_weight",
		"courses.csv":          "sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes",
		"classes.csv":          "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods",
		"users.csv":            "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password",
		"enrollments.csv":      "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate",
		"lineItems.csv":        "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax,ext_weight",
		"results.csv":          "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment",
		"timetable.csv":        "classSourcedId,weekday,period,startTime,endTime,subject,teacherSourcedId,room,validFrom,validTo",
	}
	for file, header := range want {
		if got := d.headers[file]; got != header {
			t.Errorf("%s header:\n got %s\nwant %s", file, got, header)
		}
		if len(d.rows[file]) == 0 {
			t.Errorf("%s has no rows", file)
		}
	}
	manifest := d.index("manifest.csv", "propertyName")
	for prop, value := range map[string]string{"oneroster.version": "1.1", "file.results": "bulk",
		"file.users": "bulk", "file.demographics": "absent", "file.resources": "absent"} {
		if got := manifest[prop]["value"]; got != value {
			t.Errorf("manifest %s = %q, want %q", prop, got, value)
		}
	}
}

func TestDistrictReferences(t *testing.T) {
	_, d := generate(t, small)
	orgs := d.index("orgs.csv", "sourcedId")
	sessions := d.index("academicSessions.csv", "sourcedId")
	classes := d.index("classes.csv", "sourcedId")
	courses := d.index("courses.csv", "sourcedId")
	users := d.index("users.csv", "sourcedId")
	categories := d.index("categories.csv", "sourcedId")
	lineItems := d.index("lineItems.csv", "sourcedId")

	for _, o := range d.rows["orgs.csv"] {
		if _, err := time.LoadLocation(o["ext_timezone"]); err != nil {
			t.Errorf("org %s: %v", o["sourcedId"], err)
		}
	}
	for _, c := range d.rows["classes.csv"] {
		if orgs[c["schoolSourcedId"]] == nil {
			t.Errorf("class %s: no school %s", c["sourcedId"], c["schoolSourcedId"])
		}
		if c["classType"] == "scheduled" && courses[c["courseSourcedId"]] == nil {
			t.Errorf("section %s: no course %s", c["sourcedId"], c["courseSourcedId"])
		}
		for term := range strings.SplitSeq(c["termSourcedIds"], ",") {
			if sessions[term] == nil {
				t.Errorf("class %s: no term %s", c["sourcedId"], term)
			}
		}
	}
	enrolled := make(map[[2]string]bool)
	for _, e := range d.rows["enrollments.csv"] {
		if classes[e["classSourcedId"]] == nil || users[e["userSourcedId"]] == nil {
			t.Errorf("enrollment %s: class or user missing", e["sourcedId"])
		}
		enrolled[[2]string{e["classSourcedId"], e["userSourcedId"]}] = true
	}
	for _, li := range d.rows["lineItems.csv"] {
		if classes[li["classSourcedId"]] == nil || categories[li["categorySourcedId"]] == nil ||
			sessions[li["gradingPeriodSourcedId"]] == nil {
			t.Errorf("lineItem %s: class, category or grading period missing", li["sourcedId"])
		}
		if li["dueDate"] < li["assignDate"] {
			t.Errorf("lineItem %s is due before it is set", li["sourcedId"])
		}
	}
	for _, r := range d.rows["results.csv"] {
		li := lineItems[r["lineItemSourcedId"]]
		if li == nil || users[r["studentSourcedId"]]["role"] != "student" {
			t.Fatalf("result %s: lineItem or student missing", r["sourcedId"])
		}
		if !enrolled[[2]string{li["classSourcedId"], r["studentSourcedId"]}] {
			t.Errorf("result %s: %s is not enrolled in %s", r["sourcedId"], r["studentSourcedId"], li["classSourcedId"])
		}
	}

	homeroomPeriods := make(map[string]bool)
	teacherPeriods := make(map[string]bool)
	for _, l := range d.rows["timetable.csv"] {
		section := classes[l["classSourcedId"]]
		if section == nil || section["classType"] != "scheduled" {
			t.Fatalf("timetable row for %s, which is no section", l["classSourcedId"])
		}
		if users[l["teacherSourcedId"]]["role"] != "teacher" || !enrolled[[2]string{section["sourcedId"], l["teacherSourcedId"]}] {
			t.Errorf("timetable row for %s: %s is not its teacher", section["sourcedId"], l["teacherSourcedId"])
		}
		homeroom := homeroomOf(section["sourcedId"])
		at := l["weekday"] + "/" + l["period"]
		if homeroomPeriods[homeroom+" "+at] {
			t.Errorf("homeroom %s has two lessons at %s", homeroom, at)
		}
		homeroomPeriods[homeroom+" "+at] = true
		if teacherPeriods[l["teacherSourcedId"]+" "+at] {
			t.Errorf("teacher %s has two lessons at %s", l["teacherSourcedId"], at)
		}
		teacherPeriods[l["teacherSourcedId"]+" "+at] = true
	}
}

// homeroomOf is the homeroom of a section: s1-7a of s1-7a-alg.
func homeroomOf(sectionID string) string {
	school, rest, _ := strings.Cut(sectionID, "-")
	homeroom, _, _ := strings.Cut(rest, "-")
	return school + "-" + homeroom
}

func TestDistrictFamilies(t *testing.T) {
	_, d := generate(t, small)
	users := d.index("users.csv", "sourcedId")
	severalChildren, withYo := 0, 0
	for _, u := range d.rows["users.csv"] {
		checkGender(t, u)
		if strings.ContainsRune(u["givenName"]+u["familyName"]+u["middleName"], 'ё') {
			withYo++
		}
		agents := strings.Split(u["agentSourcedIds"], ",")
		switch u["role"] {
		case "student":
			if len(agents) < 1 || len(agents) > 2 || agents[0] == "" {
				t.Errorf("pupil %s has guardians %q", u["sourcedId"], u["agentSourcedIds"])
			}
		case "parent", "guardian", "relative":
			if len(agents) > 1 {
				severalChildren++
			}
		default:
			continue
		}
		for _, a := range agents {
			if !strings.Contains(","+users[a]["agentSourcedIds"]+",", ","+u["sourcedId"]+",") {
				t.Errorf("%s lists %s, who does not list them back", u["sourcedId"], a)
			}
		}
	}
	if severalChildren == 0 {
		t.Error("no guardian has two children in the school")
	}
	if withYo == 0 {
		t.Error("no name has ё")
	}
}

// checkGender tells a man from a woman by the patronymic and checks that the
// family name has the same gender.
func checkGender(t *testing.T, u map[string]string) {
	t.Helper()
	woman := strings.HasSuffix(u["middleName"], "на")
	if !woman && !strings.HasSuffix(u["middleName"], "ич") {
		t.Errorf("%s: %q is no patronymic", u["sourcedId"], u["middleName"])
	}
	for _, ending := range []string{"ов", "ев", "ёв", "ин", "ский"} {
		if woman && strings.HasSuffix(u["familyName"], ending) {
			t.Errorf("%s: woman with the family name %s", u["sourcedId"], u["familyName"])
		}
	}
	for _, ending := range []string{"ова", "ева", "ёва", "ина", "ская"} {
		if !woman && strings.HasSuffix(u["familyName"], ending) {
			t.Errorf("%s: man with the family name %s", u["sourcedId"], u["familyName"])
		}
	}
}

func TestDistrictTimetable(t *testing.T) {
	_, d := generate(t, small)
	perDay := make(map[string]int)
	for _, l := range d.rows["timetable.csv"] {
		perDay[homeroomOf(l["classSourcedId"])+" "+l["weekday"]]++
		if l["validFrom"] != "2026-09-01" || l["validTo"] != "2027-05-31" {
			t.Errorf("lesson valid %s..%s", l["validFrom"], l["validTo"])
		}
	}
	for day, n := range perDay {
		if n < 4 || n > periods {
			t.Errorf("%s has %d lessons", day, n)
		}
	}
	subjects := make(map[string]int)
	for _, c := range d.rows["classes.csv"] {
		if c["classType"] == "scheduled" {
			subjects[homeroomOf(c["sourcedId"])]++
		}
	}
	for homeroom, n := range subjects {
		if n < 8 || n > 14 {
			t.Errorf("%s has %d subjects", homeroom, n)
		}
	}
}

func TestDistrictGrades(t *testing.T) {
	_, d := generate(t, small)
	term1 := d.index("academicSessions.csv", "sourcedId")["y2026-t1"]
	pupils, withComma := 0, 0
	for _, u := range d.rows["users.csv"] {
		if u["role"] == "student" {
			pupils++
		}
	}
	scores := make(map[string]int)
	for _, r := range d.rows["results.csv"] {
		scores[r["score"]]++
		if r["scoreDate"] < term1["startDate"] || r["scoreDate"] > term1["endDate"] {
			t.Errorf("result %s on %s, outside the graded term", r["sourcedId"], r["scoreDate"])
		}
	}
	perPupil := float64(len(d.rows["results.csv"])) / float64(pupils)
	if perPupil < 140 || perPupil > 160 {
		t.Errorf("%.1f results a pupil in term 1, want about %d", perPupil, gradesPerTerm)
	}
	total := float64(len(d.rows["results.csv"]))
	if good := float64(scores["4"]+scores["5"]) / total; good < 0.7 {
		t.Errorf("4s and 5s are %.0f%% of grades", 100*good)
	}
	if bad := float64(scores["2"]) / total; bad == 0 || bad > 0.05 {
		t.Errorf("2s are %.1f%% of grades", 100*bad)
	}
	for _, li := range d.rows["lineItems.csv"] {
		if strings.Contains(li["description"], ",") {
			withComma++
		}
	}
	if withComma == 0 {
		t.Error("no homework description has a comma")
	}
}

func TestDistrictAllTermsGraded(t *testing.T) {
	_, d := generate(t, Config{Schools: 1, PupilsPerSchool: 40, Seed: 3, Year: 2026, GradedTerms: 4})
	lineItems := d.index("lineItems.csv", "sourcedId")
	perTerm := make(map[string]int)
	for _, r := range d.rows["results.csv"] {
		perTerm[lineItems[r["lineItemSourcedId"]]["gradingPeriodSourcedId"]]++
	}
	for term := range 4 {
		id := "y2026-t" + strconv.Itoa(term+1)
		if got := float64(perTerm[id]) / 40; got < 135 || got > 165 {
			t.Errorf("%.1f results a pupil in %s, want about %d", got, id, gradesPerTerm)
		}
	}
}

func TestDistrictConfigValidate(t *testing.T) {
	for _, cfg := range []Config{
		{Schools: 0, PupilsPerSchool: 10, Year: 2026, GradedTerms: 1},
		{Schools: 1, PupilsPerSchool: 0, Year: 2026, GradedTerms: 1},
		{Schools: 1, PupilsPerSchool: 10, Year: 1990, GradedTerms: 1},
		{Schools: 1, PupilsPerSchool: 10, Year: 2026, GradedTerms: 5},
	} {
		if err := cfg.Validate(); err == nil {
			t.Errorf("%+v passes", cfg)
		}
		if _, err := Generate(context.Background(), t.TempDir(), cfg, io.Discard); err == nil {
			t.Errorf("Generate accepts %+v", cfg)
		}
	}
}
