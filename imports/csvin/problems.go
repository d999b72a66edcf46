package csvin

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Problem is what is wrong with one field of one row (or with a whole row when
// Column is empty).
type Problem struct {
	File    string
	Line    int
	Column  string
	Message string
}

// String reads like `users.csv:17: role: unknown role "pupil"`.
func (p Problem) String() string {
	if p.Column == "" {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s: %s", p.File, p.Line, p.Column, p.Message)
}

// Problems collects problems, keeping the first Limit and counting the rest: a
// file with a wrong date format has the same problem on every line.
type Problems struct {
	Limit int // 0: DefaultLimit
	list  []Problem
	total int
}

// DefaultLimit is how many problems a collection keeps unless told otherwise.
const DefaultLimit = 20

// Add records a problem.
func (ps *Problems) Add(p Problem) {
	ps.total++
	if len(ps.list) < cmp.Or(ps.Limit, DefaultLimit) {
		ps.list = append(ps.list, p)
	}
}

// Len is the number of problems recorded, kept or not.
func (ps *Problems) Len() int { return ps.total }

// List is the problems kept, by file and line.
func (ps *Problems) List() []Problem {
	l := slices.Clone(ps.list)
	slices.SortStableFunc(l, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
	return l
}

// Err returns the problems as an *Error, or nil when there are none.
func (ps *Problems) Err() error {
	if ps.total == 0 {
		return nil
	}
	return &Error{Problems: ps.List(), Total: ps.total}
}

// Querier runs a query; pgx.Tx, *pgx.Conn and *pgxpool.Pool are all one.
type Querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// Query records a problem in file for each row of a set-based check: the query
// returns (line int, column text, message text) and should stop at a few dozen.
func (ps *Problems) Query(ctx context.Context, q Querier, file, sql string, args ...any) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	found, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Problem, error) {
		p := Problem{File: file}
		err := row.Scan(&p.Line, &p.Column, &p.Message)
		return p, err
	})
	if err != nil {
		return fmt.Errorf("check %s: %w", file, err)
	}
	for _, p := range found {
		ps.Add(p)
	}
	return nil
}

// Error is an input with bad rows: nothing was written.
type Error struct {
	Problems []Problem // the first few
	Total    int
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.String())
	}
	if more := e.Total - len(e.Problems); more > 0 {
		fmt.Fprintf(&b, "\n… and %d more problems", more)
	}
	return b.String()
}
