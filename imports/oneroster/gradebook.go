package oneroster

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// Weights and scores as the schema stores them: numeric(5,2) > 0 and numeric(6,2) >= 0.
const (
	minWeight, maxWeight = 0.01, 999.99
	maxScore             = 9999.99
)

func (im *importer) stageCategories(ctx context.Context, r *csvin.Reader) (int64, error) {
	title, weight := r.Required("title"), r.Optional("ext_weight")
	return im.copy(ctx, r, "or_categories", []string{"title", "weight"}, func(f fields) []any {
		return []any{f.Required(title), f.decimal(weight, false, minWeight, maxWeight)}
	})
}

var categories = target{table: "grade_categories", key: []string{"sourced_id"}, columns: []string{"title", "weight", "active"}}

func (im *importer) writeCategories(ctx context.Context) error {
	return im.upsertActive(ctx, categories, "or_categories", `
SELECT sourced_id, title, COALESCE(weight, 1), true FROM or_categories WHERE NOT deleted`)
}

// testWords mark a category of tests: контрольная работа, проверочная, Quiz 3, …
var testWords = []string{"контрольн", "проверочн", "самостоятельн", "диктант", "зачёт", "зачет", "экзамен", "тест",
	"test", "quiz", "exam", "assessment"}

// kindOf is the kind of the lineItems of a category with this title.
func (im *importer) kindOf(title string) string {
	title = strings.ToLower(strings.TrimSpace(title))
	if slices.ContainsFunc(im.opts.HomeworkCategories, func(h string) bool { return strings.EqualFold(h, title) }) {
		return "homework"
	}
	if slices.ContainsFunc(testWords, func(w string) bool { return strings.Contains(title, w) }) {
		return "test"
	}
	return "classwork"
}

// lineItemRefs are what the rows of lineItems.csv refer to, read before the
// file is: every category, this file's and earlier ones', and every class,
// resolved in Go as the rows are read.
type lineItemRefs struct {
	categories map[string]categoryRef // by sourcedId
	classes    map[string]int64       // by sourcedId
}

type categoryRef struct {
	id     int64
	weight float64
	kind   string // of its lineItems
}

// loadLineItemRefs reads the categories and classes: the titles of categories
// are matched in Go, whose lower-casing knows Cyrillic whatever the database's
// locale.
func (im *importer) loadLineItemRefs(ctx context.Context) (*lineItemRefs, error) {
	refs := &lineItemRefs{categories: map[string]categoryRef{}, classes: map[string]int64{}}
	var (
		sourcedID, title string
		c                categoryRef
		id               int64
	)
	rows, err := im.tx.Query(ctx, `SELECT sourced_id, id, weight::float8, title FROM grade_categories WHERE sourced_id IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	_, err = pgx.ForEachRow(rows, []any{&sourcedID, &c.id, &c.weight, &title}, func() error {
		c.kind = im.kindOf(title)
		refs.categories[sourcedID] = c
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, err = im.tx.Query(ctx, `SELECT sourced_id, id FROM classes WHERE sourced_id IS NOT NULL`)
	if err != nil {
		return nil, err
	}
	_, err = pgx.ForEachRow(rows, []any{&sourcedID, &id}, func() error {
		refs.classes[sourcedID] = id
		return nil
	})
	return refs, err
}

// stageLineItems resolves each lineItem's class and category as it is read. A
// lineItem is weighed by its own ext_weight, else its category's, else 1, and
// one of an unknown category is classwork, with a warning. Into an empty
// assignments table (a first import) the rows go straight, as results do
// into grades (copyStraight).
func (im *importer) stageLineItems(ctx context.Context, r *csvin.Reader) (int64, error) {
	refs, err := im.loadLineItemRefs(ctx)
	if err != nil {
		return 0, fmt.Errorf("read what lineItems refer to: %w", err)
	}
	title, description := r.Required("title"), r.Optional("description")
	assign, due := r.Optional("assignDate"), r.Required("dueDate")
	class, category, weight := r.Required("classSourcedId"), r.Optional("categorySourcedId"), r.Optional("ext_weight")
	columns := []string{"class_id", "category_id", "kind", "title", "description", "assigned_on", "due_on", "weight"}
	values := func(f fields) []any {
		assignDate, dueDate := f.date(assign, false, true), f.date(due, true, true)
		f.notBefore(due, dueDate, assign, assignDate)
		row := []any{nil, nil, "classwork", f.Required(title), f.Text(description), assignDate, dueDate,
			f.decimal(weight, false, minWeight, maxWeight)}
		if id := f.Required(class); id != "" {
			classID, ok := refs.classes[id]
			if !ok {
				f.Fail(class, `class "%s" not found`, id)
			}
			row[0] = classID
		}
		categoryWeight := 1.0
		if id := f.Text(category); id != "" {
			if c, ok := refs.categories[id]; ok {
				row[1], row[2], categoryWeight = c.id, c.kind, c.weight
			} else {
				im.summary.Warnings.Add(csvin.Problem{File: r.File(), Line: r.Line(), Column: category.Name,
					Message: fmt.Sprintf(`category "%s" not found: the lineItem is classwork`, id)})
			}
		}
		if row[7] == nil {
			row[7] = categoryWeight
		}
		return row
	}
	straight, err := im.emptyAndOwned(ctx, assignments.table)
	if err != nil {
		return 0, err
	}
	if straight {
		return im.copyStraight(ctx, r, assignments.table, columns, values, func() {})
	}
	return im.copy(ctx, r, "or_line_items", columns, values)
}

var assignments = target{table: "assignments", key: []string{"sourced_id"}, touch: true, bulk: true,
	columns: []string{"class_id", "category_id", "kind", "title", "description", "assigned_on", "due_on", "weight", "active"}}

func (im *importer) writeLineItems(ctx context.Context) error {
	if im.writeCopied(assignments) {
		return nil
	}
	return im.upsertActive(ctx, assignments, "or_line_items", `
SELECT sourced_id, class_id, category_id, kind, title, description, assigned_on, due_on, weight, true
FROM or_line_items WHERE NOT deleted`)
}

func (im *importer) stageResults(ctx context.Context, r *csvin.Reader) (int64, error) {
	refs, err := loadGradebookRefs(ctx, im.tx)
	if err != nil {
		return 0, fmt.Errorf("read what results refer to: %w", err)
	}
	lineItem, student := r.Required("lineItemSourcedId"), r.Required("studentSourcedId")
	score, date, comment := r.Required("score"), r.Required("scoreDate"), r.Optional("comment")
	pairs := csvin.NewSeen(r)
	im.resultClasses = map[int64]bool{}
	columns := []string{"assignment_id", "class_id", "pupil_id", "score", "weight", "graded_on", "comment"}
	values := func(f fields) []any {
		lineItemID, studentID := f.Required(lineItem), f.Required(student)
		pairs.AddPair(lineItemID, studentID)
		row := []any{nil, nil, nil, f.decimal(score, true, 0, maxScore), nil, f.date(date, true, false), f.Text(comment)}
		if lineItemID == "" || studentID == "" {
			return row // reported
		}
		// A grade needs its lineItem and a pupil enrolled in the lineItem's class.
		a, ok := refs.lineItems[lineItemID]
		if !ok {
			f.Fail(lineItem, `lineItem "%s" not found`, lineItemID)
			return row
		}
		p, ok := refs.people[studentID]
		switch {
		case !ok:
			f.Fail(student, `student "%s" not found`, studentID)
		case p.role != "student":
			f.Fail(student, `user "%s" is a %s, not a student`, studentID, p.role)
		case !refs.enrolled[enrollment{a.classID, p.id}]:
			f.Fail(student, `student "%s" is not enrolled in class "%s" of lineItem "%s"`, studentID, refs.classes[a.classID], lineItemID)
		}
		row[0], row[1], row[2], row[4] = a.id, a.classID, p.id, a.weight
		im.resultClasses[a.classID] = true
		return row
	}
	straight, err := im.emptyAndOwned(ctx, grades.table)
	if err != nil {
		return 0, err
	}
	if straight {
		return im.copyGradesStraight(ctx, r, columns, values, func() { pairs.Report(student, pairTwice) })
	}
	n, err := im.copy(ctx, r, "or_results", columns, values)
	pairs.Report(student, pairTwice)
	if err != nil || im.problems.Len() > 0 {
		return n, err
	}
	// The rows grades lacks or holds otherwise, compared once: the check and
	// the write read them. An unchanged re-import finds none.
	im.changedGrades, err = im.setAside(ctx, grades, `
SELECT sourced_id, class_id, pupil_id, assignment_id, score, weight, comment, graded_on, line
FROM or_results WHERE NOT deleted`)
	if err != nil {
		return n, err
	}
	return n, im.problems.Query(ctx, im.tx, r.File(), fmt.Sprintf(checkTaken, im.changedGrades))
}

const pairTwice = "the student has a result for this lineItem on line %d too"

// copyStraight is how a first import stages a big file into its empty table:
// its rows go straight into table, bare of its indexes and constraints (rebuilt
// after, see dropIndexes), rather than into a staging table and from there into
// table; for three million results that saved about 4 s. Each row was resolved
// and checked as it was read, and an empty table holds nothing a row could
// clash with, so nothing is left to compare or check in SQL. A row that
// deactivates its record has none to deactivate. report adds the problems known
// only at the end; any problem rolls the whole import back as ever. It returns
// the rows read and records those copied for the file's write step (copied).
func (im *importer) copyStraight(ctx context.Context, r *csvin.Reader, table string, columns []string,
	values func(f fields) []any, report func()) (int64, error) {
	rebuild, err := im.dropIndexes(ctx, table)
	if err != nil {
		return 0, err
	}
	im.progress("%s: copied straight into %s: indexes and constraints dropped until they are written", r.File(), table)
	var deleted int64
	var out []any // reused: Copy encodes a row before asking for the next
	n, err := im.copyRows(ctx, r, table, append([]string{"sourced_id"}, columns...), len(columns), values,
		func(sourcedID string, del bool, row []any) []any {
			if del {
				deleted++
				return nil
			}
			out = append(append(out[:0], sourcedID), row...)
			return out
		})
	report()
	if err != nil || im.problems.Len() > 0 {
		return n + deleted, err
	}
	im.copied[table] = n
	return n + deleted, im.rebuild(ctx, table, rebuild)
}

// averagesTrigger keeps the class averages of the grades an INSERT adds
// (migration 00014).
const averagesTrigger = "grades_inserted_class_term_averages"

// copyGradesStraight is copyStraight into grades, with the class averages
// refreshed once, after the rows are in and indexed, rather than by their
// trigger: for three million rows the trigger held them all in a transition
// table and averaged them unindexed, 3.4 s, where the refresh takes about 1 s.
// Disabling a trigger is part of the transaction, as dropping an index is.
func (im *importer) copyGradesStraight(ctx context.Context, r *csvin.Reader, columns []string,
	values func(f fields) []any, report func()) (int64, error) {
	if _, err := im.tx.Exec(ctx, "ALTER TABLE grades DISABLE TRIGGER "+averagesTrigger); err != nil {
		return 0, err
	}
	n, err := im.copyStraight(ctx, r, grades.table, columns, values, report)
	if err != nil || im.problems.Len() > 0 {
		return n, err
	}
	if _, err := im.tx.Exec(ctx, "ALTER TABLE grades ENABLE TRIGGER "+averagesTrigger); err != nil {
		return n, err
	}
	// Every term-like session of every class graded, as the trigger would
	// have found them; the refresh leaves out the pairs without grades.
	start := time.Now()
	_, err = im.tx.Exec(ctx, `
SELECT refresh_class_term_averages(array_agg(c), array_agg(s.id))
FROM unnest($1::bigint[]) c, academic_sessions s
WHERE s.kind IN ('term', 'semester', 'grading_period')`, slices.Collect(maps.Keys(im.resultClasses)))
	if err != nil {
		return n, fmt.Errorf("refresh the class averages: %w", err)
	}
	im.progress("grades: class averages refreshed (%s)", since(start))
	return n, nil
}

// writeCopied counts the rows copyStraight copied into t's table, all new, and
// reports whether it did.
func (im *importer) writeCopied(t target) bool {
	n, ok := im.copied[t.table]
	if ok {
		im.count(t.table, n, 0, 0)
	}
	return ok
}

// gradebookRefs are what the rows of results.csv refer to, read before the
// file is: three million rows resolved against maps in Go, as they are read,
// cost far less than joining them in SQL by their text ids.
type gradebookRefs struct {
	lineItems map[string]lineItemRef // by sourcedId
	people    map[string]personRef   // by sourcedId
	enrolled  map[enrollment]bool
	classes   map[int64]string // the sourcedIds of classes, for messages
}

type lineItemRef struct {
	id, classID int64
	weight      string // numeric(5,2), as PostgreSQL writes it
}

type personRef struct {
	id   int64
	role string
}

type enrollment struct{ class, person int64 }

func loadGradebookRefs(ctx context.Context, tx pgx.Tx) (*gradebookRefs, error) {
	refs := &gradebookRefs{lineItems: map[string]lineItemRef{}, people: map[string]personRef{},
		enrolled: map[enrollment]bool{}, classes: map[int64]string{}}
	var (
		sourcedID string
		li        lineItemRef
		p         personRef
		e         enrollment
	)
	for _, q := range []struct {
		sql  string
		dest []any
		add  func()
	}{
		{`SELECT sourced_id, id, class_id, weight::text FROM assignments WHERE sourced_id IS NOT NULL`,
			[]any{&sourcedID, &li.id, &li.classID, &li.weight}, func() { refs.lineItems[sourcedID] = li }},
		{`SELECT sourced_id, id, role FROM people WHERE sourced_id IS NOT NULL`,
			[]any{&sourcedID, &p.id, &p.role}, func() { refs.people[sourcedID] = p }},
		{`SELECT class_id, person_id FROM enrollments`,
			[]any{&e.class, &e.person}, func() { refs.enrolled[e] = true }},
		{`SELECT id, COALESCE(sourced_id, '') FROM classes`,
			[]any{&e.class, &sourcedID}, func() { refs.classes[e.class] = sourcedID }},
	} {
		rows, err := tx.Query(ctx, q.sql)
		if err != nil {
			return nil, err
		}
		if _, err := pgx.ForEachRow(rows, q.dest, func() error { q.add(); return nil }); err != nil {
			return nil, err
		}
	}
	return refs, nil
}

// checkTaken finds the rows (of a query for the changed ones) that would give
// a pupil a second grade for a lineItem, the one thing about a result that
// needs the grades stored. A row equal to its stored grade holds its pair
// already, and a pair is one grade's: only a changed row can find it taken.
const checkTaken = `
SELECT c.line, 'studentSourcedId', format('student "%%s" already has %%s for lineItem "%%s"', p.sourced_id,
	COALESCE(format('grade "%%s"', other.sourced_id), 'a grade entered in the diary'), a.sourced_id)
FROM (%s) c
JOIN grades other ON other.assignment_id = c.assignment_id AND other.pupil_id = c.pupil_id
	AND other.sourced_id IS DISTINCT FROM c.sourced_id
JOIN assignments a ON a.id = c.assignment_id
JOIN people p ON p.id = c.pupil_id
ORDER BY c.line LIMIT 50`

var grades = target{table: "grades", key: []string{"sourced_id"}, touch: true,
	columns: []string{"class_id", "pupil_id", "assignment_id", "score", "weight", "comment", "graded_on"}}

// writeResults writes grades, weighed as their lineItem. Grades have no active
// flag: a result marked tobedeleted deletes its grade.
//
// An import never tells history: the grades of a class that had none before
// are its silent baseline. A grade created or changed in a class that had
// grades is news, a grade notice for the pupil's family, unless the import is
// Silent.
func (im *importer) writeResults(ctx context.Context) error {
	if im.writeCopied(grades) {
		return nil // every grade new, in classes that had none: none is news
	}
	if !im.opts.Silent {
		_, err := im.tx.Exec(ctx, `
CREATE TEMP TABLE or_graded_classes ON COMMIT DROP AS
SELECT c AS class_id FROM unnest($1::bigint[]) c
WHERE EXISTS (SELECT FROM grades g WHERE g.class_id = c AND g.kind = 'current')`, slices.Collect(maps.Keys(im.resultClasses)))
		if err != nil {
			return fmt.Errorf("find the classes graded before: %w", err)
		}
		// The scores the import changes, kept before it writes them for the
		// notices to say what each grade was.
		_, err = im.tx.Exec(ctx, `
CREATE TEMP TABLE or_old_scores ON COMMIT DROP AS
SELECT g.id, g.score FROM (`+im.changedGrades+`) ch
JOIN grades g ON g.sourced_id = ch.sourced_id
WHERE ch.stored AND g.score <> ch.score AND g.class_id IN (SELECT class_id FROM or_graded_classes)`)
		if err != nil {
			return fmt.Errorf("keep the scores changed: %w", err)
		}
	}
	created, updated, err := im.writeChanged(ctx, grades, im.changedGrades)
	if err != nil {
		return err
	}
	tag, err := im.tx.Exec(ctx, `DELETE FROM grades g USING or_results r WHERE r.deleted AND g.sourced_id = r.sourced_id`)
	if err != nil {
		return err
	}
	im.count(grades.table, created, updated, tag.RowsAffected())
	if im.opts.Silent {
		return nil
	}
	tag, err = im.tx.Exec(ctx, `
INSERT INTO notices (kind, action, school_id, class_id, pupil_id, ref_id, old_score)
SELECT 'grade', CASE WHEN ch.stored THEN 'changed' ELSE 'new' END, c.school_id, g.class_id, g.pupil_id, g.id, o.score
FROM (`+im.changedGrades+`) ch
JOIN grades g ON g.sourced_id = ch.sourced_id
JOIN classes c ON c.id = g.class_id
LEFT JOIN or_old_scores o ON o.id = g.id
WHERE g.class_id IN (SELECT class_id FROM or_graded_classes)
ON CONFLICT (kind, ref_id) WHERE fanned_out_at IS NULL AND ref_id IS NOT NULL DO NOTHING`)
	if err != nil {
		return fmt.Errorf("write grade notices: %w", err)
	}
	im.summary.Notices += tag.RowsAffected()
	return nil
}
