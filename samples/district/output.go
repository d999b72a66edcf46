package district

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// table is one of the files a district is written to.
type table int

type tableSpec struct {
	name   string
	header []string
}

const (
	manifestTable table = iota
	orgsTable
	academicSessionsTable
	categoriesTable
	coursesTable
	classesTable
	usersTable
	enrollmentsTable
	lineItemsTable
	resultsTable
	timetableTable
	tableCount
)

// tables are the files' names and headers. All but the timetable are OneRoster 1.1
// bulk files; ext_ columns carry what OneRoster has no column for.
var tables = [tableCount]tableSpec{
	manifestTable: {"manifest.csv", []string{"propertyName", "value"}},
	orgsTable: {"orgs.csv", []string{"sourcedId", "status", "dateLastModified", "name", "type",
		"identifier", "parentSourcedId", "ext_timezone"}},
	academicSessionsTable: {"academicSessions.csv", []string{"sourcedId", "status", "dateLastModified",
		"title", "type", "startDate", "endDate", "parentSourcedId", "schoolYear"}},
	categoriesTable: {"categories.csv", []string{"sourcedId", "status", "dateLastModified", "title", "ext_weight"}},
	coursesTable: {"courses.csv", []string{"sourcedId", "status", "dateLastModified", "schoolYearSourcedId",
		"title", "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"}},
	classesTable: {"classes.csv", []string{"sourcedId", "status", "dateLastModified", "title", "grades",
		"courseSourcedId", "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds",
		"subjects", "subjectCodes", "periods"}},
	usersTable: {"users.csv", []string{"sourcedId", "status", "dateLastModified", "enabledUser",
		"orgSourcedIds", "role", "username", "userIds", "givenName", "familyName", "middleName",
		"identifier", "email", "sms", "phone", "agentSourcedIds", "grades", "password"}},
	enrollmentsTable: {"enrollments.csv", []string{"sourcedId", "status", "dateLastModified",
		"classSourcedId", "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate", "endDate"}},
	lineItemsTable: {"lineItems.csv", []string{"sourcedId", "status", "dateLastModified", "title",
		"description", "assignDate", "dueDate", "classSourcedId", "categorySourcedId",
		"gradingPeriodSourcedId", "resultValueMin", "resultValueMax", "ext_weight"}},
	resultsTable: {"results.csv", []string{"sourcedId", "status", "dateLastModified", "lineItemSourcedId",
		"studentSourcedId", "scoreStatus", "score", "scoreDate", "comment"}},
	timetableTable: {"timetable.csv", []string{"classSourcedId", "weekday", "period", "startTime",
		"endTime", "subject", "teacherSourcedId", "room", "validFrom", "validTo"}},
}

// oneRosterFiles are all the files of a OneRoster 1.1 bulk set, as the manifest
// names them.
var oneRosterFiles = []string{"academicSessions", "categories", "classes", "classResources", "courses",
	"courseResources", "demographics", "enrollments", "lineItems", "orgs", "resources", "results", "users"}

// output writes the district's files. The first write error sticks: later writes
// do nothing and close reports it, so generation code need not check every row.
type output struct {
	files [tableCount]*os.File
	csv   [tableCount]*csv.Writer
	rows  [tableCount]int // rows written after the header
	err   error
}

// createOutput creates every file in dir, writes the headers and the manifest.
func createOutput(dir string) (*output, error) {
	o := &output{}
	for t := range tableCount {
		f, err := os.Create(filepath.Join(dir, tables[t].name))
		if err != nil {
			o.close()
			return nil, err
		}
		o.files[t] = f
		// csv.NewWriter uses a bufio.Writer as it is when it is large enough.
		o.csv[t] = csv.NewWriter(bufio.NewWriterSize(f, 1<<20))
		if err := o.csv[t].Write(tables[t].header); err != nil {
			o.close()
			return nil, fmt.Errorf("write %s: %w", tables[t].name, err)
		}
	}
	o.write(manifestTable, "manifest.version", "1.0")
	o.write(manifestTable, "oneroster.version", "1.1")
	for _, name := range oneRosterFiles {
		mode := "absent"
		if slices.ContainsFunc(tables[:], func(t tableSpec) bool { return t.name == name+".csv" }) {
			mode = "bulk"
		}
		o.write(manifestTable, "file."+name, mode)
	}
	o.write(manifestTable, "source.systemName", "dnevnik gen")
	o.write(manifestTable, "source.systemCode", "dnevnik")
	return o, nil
}

func (o *output) write(t table, fields ...string) {
	if o.err != nil {
		return
	}
	if err := o.csv[t].Write(fields); err != nil {
		o.err = fmt.Errorf("write %s: %w", tables[t].name, err)
	}
	o.rows[t]++
}

// close flushes and closes every file and reports the first error of the output.
func (o *output) close() error {
	errs := []error{o.err}
	for t, f := range o.files {
		if f == nil {
			continue
		}
		if w := o.csv[t]; w != nil {
			w.Flush()
			if err := w.Error(); err != nil {
				errs = append(errs, fmt.Errorf("write %s: %w", tables[t].name, err))
			}
		}
		errs = append(errs, f.Close())
	}
	return errors.Join(errs...)
}

// joinIDs is a comma-separated list of sourcedIds, as OneRoster lists them in one field.
func joinIDs(people []*person) string {
	var b strings.Builder
	for i, p := range people {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.id)
	}
	return b.String()
}
