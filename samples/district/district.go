// Package district generates a school district to import: OneRoster 1.1 CSV bulk
// files (orgs, academicSessions, courses, classes, users, enrollments, categories,
// lineItems, results) and a timetable CSV: Russian names, families, teachers, a
// week of lessons in which no homeroom (and, as far as it can be kept, no teacher)
// is in two places at once, a school year of homework and the grades of a term.
//
// The same Config gives the same bytes. Each school draws from a random stream of
// its own, and results are written as they are drawn, so a district of millions of
// grades takes little memory.
package district

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
)

// Config says what district to generate.
type Config struct {
	Schools         int
	PupilsPerSchool int
	Seed            uint64
	Year            int // the school year runs from September of Year to May of Year+1
	GradedTerms     int // terms 1 to GradedTerms get grades
}

// Validate reports the first setting that is out of range.
func (c Config) Validate() error {
	switch {
	case c.Schools < 1 || c.Schools > 1000:
		return fmt.Errorf("schools is %d; it must be 1 to 1000", c.Schools)
	case c.PupilsPerSchool < 1 || c.PupilsPerSchool > 3000:
		return fmt.Errorf("pupils per school is %d; it must be 1 to 3000", c.PupilsPerSchool)
	case c.Year < 2000 || c.Year > 2100:
		return fmt.Errorf("year is %d; it must be 2000 to 2100", c.Year)
	case c.GradedTerms < 1 || c.GradedTerms > len(termBounds):
		return fmt.Errorf("graded terms is %d; it must be 1 to %d", c.GradedTerms, len(termBounds))
	}
	return nil
}

// Counts is what a district holds.
type Counts struct {
	Schools, Pupils, Guardians, Teachers, Staff int
	Classes                                     int // homerooms and sections
	Enrollments, Lessons                        int // Lessons: rows of the weekly timetable
	LineItems, Results                          int
}

// otherTimeZones are where the schools outside Moscow's zone are.
var otherTimeZones = []string{"Asia/Yekaterinburg", "Europe/Samara", "Asia/Novosibirsk",
	"Europe/Kaliningrad", "Asia/Krasnoyarsk", "Asia/Vladivostok"}

// Generate writes the district into dir, which must exist, and reports each school
// to progress as it is done.
func Generate(ctx context.Context, dir string, cfg Config, progress io.Writer) (Counts, error) {
	if err := cfg.Validate(); err != nil {
		return Counts{}, err
	}
	cal := newCalendar(cfg.Year)
	schools := planSchools(cfg)
	out, err := createOutput(dir)
	if err != nil {
		return Counts{}, err
	}
	writeDistrict(out, cal, schools)

	c := Counts{Schools: len(schools)}
	for i, s := range schools {
		if ctx.Err() != nil || out.err != nil {
			break
		}
		rng := rand.New(rand.NewPCG(cfg.Seed, uint64(i+1)))
		s.populate(rng, cfg.PupilsPerSchool)
		s.writeRoster(out, cal)
		book := newGradebook(rng, cal, out, s.id, cfg.GradedTerms)
		for _, h := range s.homerooms {
			book.homeroom(h)
		}
		c.Pupils += cfg.PupilsPerSchool
		c.Guardians += len(s.guardians)
		c.Teachers += len(s.teachers)
		c.Staff += len(s.staff)
		fmt.Fprintf(progress, "school %d/%d %s (%s): %d pupils in %d homerooms, %d guardians, %d teachers, %d results\n",
			i+1, len(schools), s.name, s.timeZone, cfg.PupilsPerSchool, len(s.homerooms), len(s.guardians),
			len(s.teachers), book.results)
		schools[i] = nil // done with: let its people go
	}
	if err := errors.Join(ctx.Err(), out.close()); err != nil {
		return c, err
	}
	c.Classes = out.rows[classesTable]
	c.Enrollments = out.rows[enrollmentsTable]
	c.Lessons = out.rows[timetableTable]
	c.LineItems = out.rows[lineItemsTable]
	c.Results = out.rows[resultsTable]
	return c, nil
}

// planSchools names the schools and picks their time zones: Moscow's for most, and
// another Russian zone for about one in five, never the first school.
func planSchools(cfg Config) []*school {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0))
	schools := make([]*school, cfg.Schools)
	for i := range schools {
		n := strconv.Itoa(i + 1)
		schools[i] = &school{id: "s" + n, name: "Школа №" + n, timeZone: "Europe/Moscow"}
	}
	if cfg.Schools > 1 {
		for _, i := range rng.Perm(cfg.Schools - 1)[:(cfg.Schools+3)/5] {
			schools[i+1].timeZone = pick(rng, otherTimeZones)
		}
	}
	return schools
}
