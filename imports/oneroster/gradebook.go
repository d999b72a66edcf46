package oneroster

import (
	"context"
	"fmt"
	"slices"
	"strings"

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

// loadCategoryKinds reads every category, this file's and earlier ones', to give
// each lineItem its kind while it is read: the titles are matched in Go, whose
// lower-casing knows Cyrillic whatever the database's locale.
func (im *importer) loadCategoryKinds(ctx context.Context) error {
	rows, err := im.tx.Query(ctx, `SELECT sourced_id, title FROM grade_categories`)
	if err != nil {
		return err
	}
	im.categoryKinds = map[string]string{}
	var id, title string
	_, err = pgx.ForEachRow(rows, []any{&id, &title}, func() error {
		im.categoryKinds[id] = im.kindOf(title)
		return nil
	})
	return err
}

func (im *importer) stageLineItems(ctx context.Context, r *csvin.Reader) (int64, error) {
	if err := im.loadCategoryKinds(ctx); err != nil {
		return 0, err
	}
	title, description := r.Required("title"), r.Optional("description")
	assign, due := r.Optional("assignDate"), r.Required("dueDate")
	class, category, weight := r.Required("classSourcedId"), r.Optional("categorySourcedId"), r.Optional("ext_weight")
	columns := []string{"title", "description", "assigned_on", "due_on", "class", "category", "kind", "weight"}
	return im.copy(ctx, r, "or_line_items", columns, func(f fields) []any {
		assignDate, dueDate := f.date(assign, false, true), f.date(due, true, true)
		f.notBefore(due, dueDate, assign, assignDate)
		kind := im.categoryKinds[f.Text(category)]
		if kind == "" {
			kind = "classwork"
		}
		return []any{f.Required(title), f.Text(description), assignDate, dueDate, f.Required(class),
			f.Text(category), kind, f.decimal(weight, false, minWeight, maxWeight)}
	})
}

const checkLineItems = `
SELECT li.line, 'classSourcedId', format('class "%s" not found', li.class)
FROM or_line_items li
WHERE NOT li.deleted AND NOT EXISTS (SELECT FROM classes c WHERE c.sourced_id = li.class)
ORDER BY li.line LIMIT 50`

var assignments = target{table: "assignments", key: []string{"sourced_id"}, touch: true, bulk: true,
	columns: []string{"class_id", "category_id", "kind", "title", "description", "assigned_on", "due_on", "weight", "active"}}

// writeLineItems weighs a lineItem by its own ext_weight, else its category's, else 1.
func (im *importer) writeLineItems(ctx context.Context) error {
	return im.upsertActive(ctx, assignments, "or_line_items", `
SELECT li.sourced_id, c.id, gc.id, li.kind, li.title, li.description, li.assigned_on, li.due_on,
	COALESCE(li.weight, gc.weight, 1), true
FROM or_line_items li
JOIN classes c ON c.sourced_id = li.class
LEFT JOIN grade_categories gc ON gc.sourced_id = li.category
WHERE NOT li.deleted`)
}

const warnLineItems = `
SELECT li.line, 'categorySourcedId', format('category "%s" not found: the lineItem is classwork', li.category)
FROM or_line_items li
WHERE NOT li.deleted AND li.category <> ''
	AND NOT EXISTS (SELECT FROM grade_categories gc WHERE gc.sourced_id = li.category)
ORDER BY li.line LIMIT 50`

func (im *importer) stageResults(ctx context.Context, r *csvin.Reader) (int64, error) {
	lineItem, student := r.Required("lineItemSourcedId"), r.Required("studentSourcedId")
	score, date, comment := r.Required("score"), r.Required("scoreDate"), r.Optional("comment")
	pairs := csvin.NewSeen()
	columns := []string{"line_item", "student", "score", "graded_on", "comment"}
	n, err := im.copy(ctx, r, "or_results", columns, func(f fields) []any {
		lineItemID, studentID := f.Required(lineItem), f.Required(student)
		pairs.Add(lineItemID+"\x00"+studentID, r.Line())
		return []any{lineItemID, studentID, f.decimal(score, true, 0, maxScore), f.date(date, true, false), f.Text(comment)}
	})
	pairs.Report(r, student, "the student has a result for this lineItem on line %d too")
	if err != nil {
		return n, err
	}
	// Resolve once: the checks and the upsert read the result.
	_, err = im.tx.Exec(ctx, `
CREATE TEMP TABLE or_grades ON COMMIT DROP AS
SELECT r.line, r.sourced_id, r.line_item, r.student, r.score, r.graded_on, r.comment,
	a.id AS assignment_id, a.class_id, a.weight, c.sourced_id AS class, p.id AS pupil_id, p.role,
	e.class_id IS NOT NULL AS enrolled, other.id IS NOT NULL AS taken,
	COALESCE(format('grade "%s"', other.sourced_id), 'a grade entered in the diary') AS taken_by
FROM or_results r
LEFT JOIN assignments a ON a.sourced_id = r.line_item
LEFT JOIN classes c ON c.id = a.class_id
LEFT JOIN people p ON p.sourced_id = r.student
LEFT JOIN enrollments e ON e.class_id = a.class_id AND e.person_id = p.id
LEFT JOIN grades other ON other.assignment_id = a.id AND other.pupil_id = p.id
	AND other.sourced_id IS DISTINCT FROM r.sourced_id
WHERE NOT r.deleted;
ANALYZE or_grades`)
	return n, err
}

// checkResults reports what the schema would refuse, by line: a grade needs its
// lineItem, a pupil enrolled in the lineItem's class, and at most one grade per
// pupil and lineItem.
const checkResults = `
SELECT line,
	CASE WHEN assignment_id IS NULL THEN 'lineItemSourcedId' ELSE 'studentSourcedId' END,
	CASE
	WHEN assignment_id IS NULL THEN format('lineItem "%s" not found', line_item)
	WHEN pupil_id IS NULL THEN format('student "%s" not found', student)
	WHEN role <> 'student' THEN format('user "%s" is a %s, not a student', student, role)
	WHEN NOT enrolled THEN format('student "%s" is not enrolled in class "%s" of lineItem "%s"', student, class, line_item)
	ELSE format('student "%s" already has %s for lineItem "%s"', student, taken_by, line_item)
	END
FROM or_grades
WHERE assignment_id IS NULL OR pupil_id IS NULL OR role <> 'student' OR NOT enrolled OR taken
ORDER BY line LIMIT 50`

var grades = target{table: "grades", key: []string{"sourced_id"}, touch: true, bulk: true,
	columns: []string{"class_id", "pupil_id", "assignment_id", "score", "weight", "comment", "graded_on"}}

// writeResults writes grades, weighed as their lineItem. Grades have no active
// flag: a result marked tobedeleted deletes its grade.
//
// An import never tells history: the grades of a class that had none before
// are its silent baseline. A grade created or changed in a class that had
// grades is news, a grade notice for the pupil's family, unless the import is
// Silent.
func (im *importer) writeResults(ctx context.Context) error {
	if !im.opts.Silent {
		_, err := im.tx.Exec(ctx, `
CREATE TEMP TABLE or_graded_classes ON COMMIT DROP AS
SELECT DISTINCT o.class_id FROM or_grades o
WHERE EXISTS (SELECT FROM grades g WHERE g.class_id = o.class_id AND g.kind = 'current')`)
		if err != nil {
			return fmt.Errorf("find the classes graded before: %w", err)
		}
	}
	created, updated, err := im.upsert(ctx, grades, `
SELECT sourced_id, class_id, pupil_id, assignment_id, score, weight, comment, graded_on FROM or_grades`)
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
INSERT INTO notices (kind, action, school_id, class_id, pupil_id, ref_id)
SELECT 'grade', CASE WHEN ch.stored THEN 'changed' ELSE 'new' END, c.school_id, g.class_id, g.pupil_id, g.id
FROM or_changed_grades ch
JOIN grades g ON g.sourced_id = ch.sourced_id
JOIN classes c ON c.id = g.class_id
WHERE g.class_id IN (SELECT class_id FROM or_graded_classes)
ON CONFLICT (kind, ref_id) WHERE fanned_out_at IS NULL AND ref_id IS NOT NULL DO NOTHING`)
	if err != nil {
		return fmt.Errorf("write grade notices: %w", err)
	}
	im.summary.Notices += tag.RowsAffected()
	return nil
}
