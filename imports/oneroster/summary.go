package oneroster

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// Summary is what an import did.
type Summary struct {
	Files    []FileSummary // in the order they were imported
	Skipped  []string      // files absent from the folder or marked absent in the manifest
	Warnings *csvin.Problems
	Notices  int64 // grades to tell families of (see Options.Silent)
}

// FileSummary is what one file did to each table it writes.
type FileSummary struct {
	File   string
	Rows   int64 // data rows read
	Tables []TableCount
}

// TableCount counts the rows of one table a file created, updated (changed only)
// and deactivated. For grades, which have no active flag, deactivated counts the
// grades deleted; for guardianships, the links the file no longer lists.
type TableCount struct {
	Table                         string
	Created, Updated, Deactivated int64
}

// count adds a table's counts to the file being imported.
func (im *importer) count(table string, created, updated, deactivated int64) {
	f := &im.summary.Files[len(im.summary.Files)-1]
	f.Tables = append(f.Tables, TableCount{Table: table, Created: created, Updated: updated, Deactivated: deactivated})
}

// Print writes the summary as a table, then the skipped files and the warnings.
func (s *Summary) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "file\trows\ttable\tcreated\tupdated\tdeactivated")
	for _, f := range s.Files {
		if len(f.Tables) == 0 {
			fmt.Fprintf(tw, "%s\t%d\t(not stored)\t-\t-\t-\n", f.File, f.Rows)
		}
		for i, t := range f.Tables {
			file, rows := f.File, fmt.Sprint(f.Rows)
			if i > 0 {
				file, rows = "", ""
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\n", file, rows, t.Table, t.Created, t.Updated, t.Deactivated)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "skipped (absent): %s\n", strings.Join(s.Skipped, ", "))
	}
	if s.Notices > 0 {
		fmt.Fprintf(w, "new or changed grades to tell families of: %d\n", s.Notices)
	}
	if n := s.Warnings.Len(); n > 0 {
		fmt.Fprintf(w, "%d warnings:\n", n)
		for _, p := range s.Warnings.List() {
			fmt.Fprintf(w, "  %s\n", p)
		}
		if more := n - len(s.Warnings.List()); more > 0 {
			fmt.Fprintf(w, "  … and %d more\n", more)
		}
	}
	return nil
}
