package oneroster_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/dnevnik/dnevnik/diary/diarytest"
	"github.com/dnevnik/dnevnik/imports/oneroster"
)

// BenchmarkImportDistrict measures the import of a generated district against
// its floor, all in one run on one PostgreSQL: the floor is the same CSV files
// streamed with COPY into tables of text columns, with nothing checked or
// resolved; then the first import into a fresh database and the same files
// again, unchanged. The floor is taken before and after the imports and
// averaged, so that a machine that grows busier or quieter meanwhile moves
// both sides of the ratios. DNEVNIK_BENCH_DISTRICT names the district's folder
// (make bench-import generates one); without it the benchmark is skipped. Run
// it with -benchtime 1x: an op is a whole district. With -v the import prints
// its progress, step by step.
func BenchmarkImportDistrict(b *testing.B) {
	dir := os.Getenv("DNEVNIK_BENCH_DISTRICT")
	if dir == "" {
		b.Skip("DNEVNIK_BENCH_DISTRICT is not set: run `make bench-import` (BENCHMARKS.md)")
	}
	ctx := context.Background()
	opts := oneroster.Options{}
	if testing.Verbose() {
		opts.Progress = os.Stdout
	}
	var floor, first, again time.Duration
	for b.Loop() {
		before := copyFloor(b, dir)
		pool := diarytest.New(b)
		start := time.Now()
		if _, err := oneroster.Import(ctx, pool, dir, opts); err != nil {
			b.Fatalf("first import: %v", err)
		}
		first += time.Since(start)
		start = time.Now()
		s, err := oneroster.Import(ctx, pool, dir, opts)
		if err != nil {
			b.Fatalf("import again: %v", err)
		}
		again += time.Since(start)
		for _, f := range s.Files {
			for _, c := range f.Tables {
				if c.Created+c.Updated+c.Deactivated != 0 {
					b.Fatalf("the unchanged import changed %s: %+v", f.File, c)
				}
			}
		}
		pool.Close()
		floor += (before + copyFloor(b, dir)) / 2
	}
	n := float64(b.N)
	b.ReportMetric(floor.Seconds()/n, "floor-s")
	b.ReportMetric(first.Seconds()/n, "first-s")
	b.ReportMetric(again.Seconds()/n, "again-s")
	b.ReportMetric(first.Seconds()/floor.Seconds(), "first/floor")
	b.ReportMetric(again.Seconds()/floor.Seconds(), "again/floor")
	b.ReportMetric(0, "ns/op") // an op is a whole district: the metrics above say it
}

// copyFloor streams every OneRoster file of dir (not the timetable, which has an
// import of its own) into a fresh database, each into a table of as many text
// columns as its header names, and returns how long that took.
func copyFloor(b *testing.B, dir string) time.Duration {
	b.Helper()
	ctx := context.Background()
	files, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, diarytest.NewEmptyURL(b))
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	start := time.Now()
	for i, path := range files {
		if filepath.Base(path) == "timetable.csv" {
			continue
		}
		if err := copyFile(ctx, conn, path, fmt.Sprintf("floor_%d", i)); err != nil {
			b.Fatalf("floor: %s: %v", path, err)
		}
	}
	return time.Since(start)
}

func copyFile(ctx context.Context, conn *pgx.Conn, path, table string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	header, err := csv.NewReader(f).Read()
	if err != nil {
		return err
	}
	columns := make([]string, len(header))
	for i := range header {
		columns[i] = fmt.Sprintf("c%d text", i)
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE TABLE %s (%s)", table, strings.Join(columns, ", "))); err != nil {
		return err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err = conn.PgConn().CopyFrom(ctx, f, fmt.Sprintf("COPY %s FROM STDIN (FORMAT csv, HEADER true)", table))
	return err
}
