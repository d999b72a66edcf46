package oneroster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// Options tune an import.
type Options struct {
	// HomeworkCategories are the category titles, in any case, whose lineItems are
	// homework. Nil: DefaultHomeworkCategories.
	HomeworkCategories []string
	// Progress receives a line as each file is read, checked and written. Nil: quiet.
	Progress io.Writer
	// Silent imports grades without telling anyone: a school loading its
	// history again. Otherwise a new or changed grade in a class that had
	// grades before is told to the pupil's family.
	Silent bool

	bulkRows int64 // 0: defaultBulkRows; tests lower it to load the sample in bulk
}

// DefaultHomeworkCategories are the category titles read as homework unless the
// options name others.
var DefaultHomeworkCategories = []string{"homework", "home work", "домашняя работа", "домашнее задание", "дз"}

// DB begins the import's transaction: a *pgxpool.Pool or a *pgx.Conn.
type DB interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Import reads the OneRoster CSV files in dir and writes them in one transaction.
// Bad rows come back as a *csvin.Error naming file, line, column and problem, and
// then nothing is written.
func Import(ctx context.Context, db DB, dir string, opts Options) (*Summary, error) {
	if opts.HomeworkCategories == nil {
		opts.HomeworkCategories = DefaultHomeworkCategories
	}
	if opts.bulkRows == 0 {
		opts.bulkRows = defaultBulkRows
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("begin import: %w", err)
	}
	defer tx.Rollback(ctx)
	im := &importer{
		tx:       tx,
		dir:      dir,
		opts:     opts,
		problems: &csvin.Problems{},
		copied:   map[string]int64{},
		summary:  &Summary{Warnings: &csvin.Problems{Limit: maxWarnings}},
	}
	if err := im.run(ctx); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit import: %w", err)
	}
	return im.summary, nil
}

// maxWarnings is how many warnings a summary lists; it counts the rest.
const maxWarnings = 50

// importer is one run of Import.
type importer struct {
	tx       pgx.Tx
	dir      string
	opts     Options
	problems *csvin.Problems
	summary  *Summary
	modes    map[string]string // file name to its manifest mode: bulk, delta or absent
	// changedGrades is a query for the rows of results.csv that grades lacks or
	// holds otherwise (setAside).
	changedGrades string
	// copied maps a table a file was copied straight into (copyStraight) to
	// the rows copied.
	copied map[string]int64
	// resultClasses are the classes of the rows of results.csv.
	resultClasses map[int64]bool
}

// step is the import of one file: stage copies its rows into its staging table
// (checking each row on its own), check finds the rows whose references do not
// resolve, write upserts, and warn finds the references the rows can do without
// that do not resolve. check and warn return line, column and message.
type step struct {
	file  string
	stage func(ctx context.Context, r *csvin.Reader) (int64, error)
	check string
	write func(ctx context.Context) error
	warn  string
}

// steps are in dependency order: a file's references resolve to the tables the
// steps before it wrote (and to what the database already holds).
func (im *importer) steps() []step {
	return []step{
		{file: "orgs.csv", stage: im.stageOrgs, write: im.writeOrgs, warn: warnOrgs},
		{file: "academicSessions.csv", stage: im.stageSessions, check: checkSessions, write: im.writeSessions, warn: warnSessions},
		{file: "courses.csv", stage: im.stageCourses},
		{file: "classes.csv", stage: im.stageClasses, check: checkClasses, write: im.writeClasses, warn: warnClasses},
		{file: "users.csv", stage: im.stageUsers, write: im.writeUsers, warn: warnUsers},
		{file: "enrollments.csv", stage: im.stageEnrollments, check: checkEnrollments, write: im.writeEnrollments},
		{file: "categories.csv", stage: im.stageCategories, write: im.writeCategories},
		{file: "lineItems.csv", stage: im.stageLineItems, write: im.writeLineItems},
		{file: "results.csv", stage: im.stageResults, write: im.writeResults},
	}
}

func (im *importer) run(ctx context.Context) error {
	if err := im.readManifest(); err != nil {
		return err
	}
	if err := im.problems.Err(); err != nil {
		return err
	}
	// The big joins of a district import (three million results against their
	// lineItems, pupils, enrollments and stored grades) spill to disk at the
	// default 4 MB, and at 64 MB the hash of three million stored grades still
	// did; the indexes rebuilt after a bulk load sort in memory at 512 MB, with
	// one parallel worker: on two idle cores that took grades' indexes and
	// constraints from 7.4-7.9 s to 6.7 s, where two workers (the default)
	// had made it 13-17 s on busy ones (bulkUpsert).
	if _, err := im.tx.Exec(ctx, "SET LOCAL work_mem = '256MB'; SET LOCAL maintenance_work_mem = '512MB'; SET LOCAL max_parallel_maintenance_workers = 1"); err != nil {
		return err
	}
	if _, err := im.tx.Exec(ctx, stagingTables); err != nil {
		return fmt.Errorf("create staging tables: %w", err)
	}
	for _, s := range im.steps() {
		path := filepath.Join(im.dir, s.file)
		if im.modes[s.file] == "absent" || !exists(path) {
			im.summary.Skipped = append(im.summary.Skipped, s.file)
			continue
		}
		if err := im.runStep(ctx, s, path); err != nil {
			return err
		}
		if err := im.problems.Err(); err != nil {
			return err
		}
	}
	return im.analyze(ctx)
}

// analyze refreshes the statistics of the tables the import changed. Autovacuum
// would, a minute later; until then the planner takes a table that just received
// its first thousands of rows for empty, and the next import or the bot's
// queries loop over it where they should hash.
func (im *importer) analyze(ctx context.Context) error {
	var tables []string
	for _, f := range im.summary.Files {
		for _, t := range f.Tables {
			if t.Created+t.Updated+t.Deactivated > 0 && !slices.Contains(tables, t.Table) {
				tables = append(tables, t.Table)
			}
		}
	}
	if len(tables) == 0 {
		return nil
	}
	start := time.Now()
	if _, err := im.tx.Exec(ctx, "ANALYZE "+strings.Join(tables, ", ")); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	im.progress("statistics refreshed (%s)", since(start))
	return nil
}

func (im *importer) runStep(ctx context.Context, s step, path string) error {
	r, err := csvin.Open(path, im.problems)
	if err != nil {
		return err
	}
	defer r.Close()
	start := time.Now()
	rows, err := s.stage(ctx, r)
	if err != nil {
		return fmt.Errorf("%s: %w", s.file, err)
	}
	im.summary.Files = append(im.summary.Files, FileSummary{File: s.file, Rows: rows})
	im.progress("%s: %d rows read (%s)", s.file, rows, since(start))
	if im.problems.Len() > 0 {
		return nil
	}
	if s.check != "" {
		start = time.Now()
		if err := im.problems.Query(ctx, im.tx, s.file, s.check); err != nil {
			return err
		}
		im.progress("%s: checked (%s)", s.file, since(start))
		if im.problems.Len() > 0 {
			return nil
		}
	}
	if s.write != nil {
		start = time.Now()
		if err := s.write(ctx); err != nil {
			return fmt.Errorf("%s: %w", s.file, err)
		}
		im.progress("%s: written (%s)", s.file, since(start))
	}
	if s.warn != "" {
		return im.summary.Warnings.Query(ctx, im.tx, s.file, s.warn)
	}
	return nil
}

// readManifest reads manifest.csv, if there is one, for the files marked absent
// (skipped) or delta (changes only).
func (im *importer) readManifest() error {
	im.modes = map[string]string{}
	path := filepath.Join(im.dir, "manifest.csv")
	if !exists(path) {
		return nil
	}
	r, err := csvin.Open(path, im.problems)
	if err != nil {
		return err
	}
	defer r.Close()
	name, value := r.Required("propertyName"), r.Required("value")
	for r.Next() {
		file, ok := strings.CutPrefix(r.Value(name), "file.")
		if !ok {
			continue
		}
		switch mode := strings.ToLower(r.Value(value)); mode {
		case "absent", "bulk", "delta":
			im.modes[file+".csv"] = mode
		default:
			r.Problem(value, "unknown mode %q for %s: expected bulk, delta or absent", r.Value(value), file)
		}
	}
	return r.Err()
}

func (im *importer) progress(format string, args ...any) {
	if im.opts.Progress != nil {
		fmt.Fprintf(im.opts.Progress, format+"\n", args...)
	}
}

func since(t time.Time) time.Duration { return time.Since(t).Round(time.Millisecond) }

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, fs.ErrNotExist)
}
