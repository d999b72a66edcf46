// Package csvin reads the CSV files schools hand us: columns by header name, UTF-8
// with or without a byte order mark, CRLF or LF, quoted fields, and every problem
// reported as file:line: column: what is wrong, so a person can fix the file.
package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Reader reads a CSV file one record at a time. Problems with the file's content
// (a missing column, a malformed line) go to its Problems; only I/O errors are
// returned as errors.
type Reader struct {
	file     string // the base name, for messages
	f        *os.File
	size     int64 // of the file, in bytes
	body     int64 // where the rows begin: the header's length
	csv      *csv.Reader
	columns  map[string]int // lower-case header name to position
	width    int            // fields in the header
	missing  int            // required columns the header lacks
	record   []string
	line     int
	problems *Problems
	err      error
}

// Column is a column looked up by name; Name is the one messages use.
type Column struct {
	Name string
	pos  int // -1: not in the file
}

// Present reports whether the file has the column.
func (c Column) Present() bool { return c.pos >= 0 }

// Open opens a CSV file and reads its header.
func Open(path string, problems *Problems) (*Reader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	r := &Reader{file: filepath.Base(path), f: f, problems: problems, columns: map[string]int{}}
	if info, err := f.Stat(); err == nil {
		r.size = info.Size()
	}
	br := bufio.NewReaderSize(f, 1<<20)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\uFEFF")) {
		br.Discard(3)
	}
	r.csv = csv.NewReader(br)
	r.csv.FieldsPerRecord = -1 // checked against the header by Next, with a clearer message
	r.csv.ReuseRecord = true
	header, err := r.csv.Read()
	switch {
	case errors.Is(err, io.EOF):
		problems.Add(Problem{File: r.file, Line: 1, Message: "the file is empty: the first line must be the header"})
		return r, nil
	case err != nil:
		r.readFailed(err)
		return r, r.err
	}
	r.width = len(header)
	r.body = r.csv.InputOffset()
	for i, name := range header {
		key := strings.ToLower(strings.TrimSpace(name))
		if _, dup := r.columns[key]; !dup {
			r.columns[key] = i
		}
	}
	return r, nil
}

// Close closes the file.
func (r *Reader) Close() error { return r.f.Close() }

// File is the file's base name.
func (r *Reader) File() string { return r.file }

// Optional looks up a column by its name or, failing that, its aliases (the names
// older versions of a format used), ignoring case.
func (r *Reader) Optional(name string, aliases ...string) Column {
	for _, n := range append([]string{name}, aliases...) {
		if pos, ok := r.columns[strings.ToLower(n)]; ok {
			return Column{Name: n, pos: pos}
		}
	}
	return Column{Name: name, pos: -1}
}

// Required is Optional for a column the file must have: its absence is a problem
// on the header line. A file with no header at all has already been reported.
func (r *Reader) Required(name string, aliases ...string) Column {
	c := r.Optional(name, aliases...)
	if !c.Present() && r.width > 0 {
		r.missing++
		r.problems.Add(Problem{File: r.file, Line: 1, Column: name, Message: "required column missing from the header"})
	}
	return c
}

// Next reads the next record. It returns false at the end of the file, on a
// malformed line (reported as a problem: what follows cannot be trusted), on an I/O
// error (see Err), and at once when the header lacks a required column: every row
// would repeat that problem.
func (r *Reader) Next() bool {
	if r.width == 0 || r.missing > 0 || r.err != nil {
		return false
	}
	rec, err := r.csv.Read()
	if errors.Is(err, io.EOF) {
		return false
	}
	if err != nil {
		r.readFailed(err)
		return false
	}
	r.record = rec
	r.line, _ = r.csv.FieldPos(0)
	if len(rec) != r.width {
		r.problems.Add(Problem{File: r.file, Line: r.line,
			Message: fmt.Sprintf("the row has %d fields, the header %d", len(rec), r.width)})
		return false
	}
	return true
}

func (r *Reader) readFailed(err error) {
	var perr *csv.ParseError
	if errors.As(err, &perr) {
		r.problems.Add(Problem{File: r.file, Line: perr.Line, Message: "malformed CSV: " + perr.Err.Error()})
		return
	}
	r.err = fmt.Errorf("read %s: %w", r.file, err)
}

// Err is the I/O error that stopped Next, if any.
func (r *Reader) Err() error { return r.err }

// estimatedRows is how many rows the file holds, guessed from the bytes of the
// rows read so far; 0 before the first row.
func (r *Reader) estimatedRows() int {
	read := r.csv.InputOffset() - r.body
	if r.line < 2 || read <= 0 {
		return 0
	}
	return int((r.size - r.body) * int64(r.line-1) / read)
}

// Line is the line the current record starts on.
func (r *Reader) Line() int { return r.line }

// Value is the current record's field in the column, without surrounding spaces;
// empty for a column the file does not have.
func (r *Reader) Value(c Column) string {
	if c.pos < 0 {
		return ""
	}
	return strings.TrimSpace(r.record[c.pos])
}
