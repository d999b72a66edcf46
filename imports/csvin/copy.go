package csvin

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// Copy streams the file's records into table with COPY. row turns the current
// record into the values of one row, or nil to leave it out (having reported why).
// The slice row returns is encoded before row is called again, so row may reuse
// it. It returns the number of rows copied.
//
// The rows travel in COPY's text format, encoded here: pgx's binary CopyFrom
// looks up an encode plan for every value and allocates on the way, which made
// it half the cost of reading a results file of three million rows.
func Copy(ctx context.Context, tx pgx.Tx, r *Reader, table string, columns []string, row func() []any) (int64, error) {
	sql := fmt.Sprintf("COPY %s (%s) FROM STDIN", pgx.Identifier{table}.Sanitize(), quoteAll(columns))
	src := &copySource{r: r, row: row}
	tag, err := tx.Conn().PgConn().CopyFrom(ctx, src, sql)
	if src.err != nil {
		err = src.err
	}
	if err != nil {
		return tag.RowsAffected(), fmt.Errorf("copy %s: %w", r.file, err)
	}
	return tag.RowsAffected(), nil
}

func quoteAll(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = pgx.Identifier{n}.Sanitize()
	}
	return strings.Join(quoted, ", ")
}

// copySource is the io.Reader COPY reads: each Read encodes rows until the
// caller's buffer is full; a row that does not fit waits in pending.
type copySource struct {
	r       *Reader
	row     func() []any
	pending []byte
	done    bool
	err     error // an encoding or I/O error, reported by Copy as its own
}

func (s *copySource) Read(p []byte) (int, error) {
	for len(s.pending) < len(p) && !s.done {
		s.next()
	}
	n := copy(p, s.pending)
	s.pending = s.pending[:copy(s.pending, s.pending[n:])]
	if n == 0 && s.done {
		if s.err != nil {
			return 0, s.err
		}
		return 0, io.EOF
	}
	return n, nil
}

// next encodes the next row that row does not leave out, or marks the end.
func (s *copySource) next() {
	for s.r.Next() {
		values := s.row()
		if values == nil {
			continue
		}
		var err error
		if s.pending, err = appendRow(s.pending, values); err != nil {
			s.err, s.done = fmt.Errorf("line %d: %w", s.r.line, err), true
		}
		return
	}
	s.err, s.done = s.r.Err(), true
}

// appendRow appends values as one line of COPY's text format.
func appendRow(b []byte, values []any) ([]byte, error) {
	for i, v := range values {
		if i > 0 {
			b = append(b, '\t')
		}
		switch v := v.(type) {
		case nil:
			b = append(b, `\N`...)
		case string:
			b = appendText(b, v)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case int64:
			b = strconv.AppendInt(b, v, 10)
		case bool:
			b = strconv.AppendBool(b, v)
		case float64:
			b = strconv.AppendFloat(b, v, 'f', -1, 64)
		case time.Time: // a date: the staging tables hold no times of day
			b = appendDate(b, v)
		case []string:
			if v == nil {
				b = append(b, `\N`...)
				continue
			}
			b = appendText(b, arrayLiteral(v))
		default:
			return b, fmt.Errorf("cannot copy a %T", v)
		}
	}
	return append(b, '\n'), nil
}

// appendDate appends t's date as YYYY-MM-DD, without time.AppendFormat's
// layout parsing: a results file has three million dates.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	if y < 1000 || y > 9999 {
		return t.AppendFormat(b, time.DateOnly)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendText appends s escaped for COPY's text format.
func appendText(b []byte, s string) []byte {
	if !strings.ContainsAny(s, "\\\t\n\r") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '\t':
			b = append(b, `\t`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// arrayLiteral is a text[] as PostgreSQL reads it: {"a","b"}.
func arrayLiteral(items []string) string {
	var a strings.Builder
	a.WriteByte('{')
	for i, item := range items {
		if i > 0 {
			a.WriteByte(',')
		}
		a.WriteByte('"')
		for _, c := range []byte(item) {
			if c == '"' || c == '\\' {
				a.WriteByte('\\')
			}
			a.WriteByte(c)
		}
		a.WriteByte('"')
	}
	a.WriteByte('}')
	return a.String()
}
