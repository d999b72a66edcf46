package csvin

import "fmt"

// Row reads the fields of the current record, reporting each bad one and
// remembering that the row is unusable.
type Row struct {
	r   *Reader
	bad bool
}

// Row starts reading the current record's fields.
func (r *Reader) Row() *Row { return &Row{r: r} }

// Bad reports whether a field of the row was reported.
func (w *Row) Bad() bool { return w.bad }

// Line is the line the row starts on.
func (w *Row) Line() int { return w.r.line }

// Fail reports a problem with the field in column c.
func (w *Row) Fail(c Column, format string, args ...any) {
	w.r.Problem(c, format, args...)
	w.bad = true
}

// Text is the field, which may be empty.
func (w *Row) Text(c Column) string { return w.r.Value(c) }

// Required is the field, which must not be empty.
func (w *Row) Required(c Column) string {
	v := w.r.Value(c)
	if v == "" {
		w.Fail(c, "required, but empty")
	}
	return v
}

// Parsed is the field read by parse, as a value for COPY: nil when the field is
// empty (a problem when it is required) or parse fails (the problem is its error).
func Parsed[T any](w *Row, c Column, required bool, parse func(string) (T, error)) any {
	v := w.r.Value(c)
	if v == "" {
		if required {
			w.Fail(c, "required, but empty")
		}
		return nil
	}
	parsed, err := parse(v)
	if err != nil {
		w.Fail(c, "%v", err)
		return nil
	}
	return parsed
}

// Problem reports a problem with the current record's field in the column.
func (r *Reader) Problem(c Column, format string, args ...any) {
	r.problems.Add(Problem{File: r.file, Line: r.line, Column: c.Name, Message: fmt.Sprintf(format, args...)})
}
