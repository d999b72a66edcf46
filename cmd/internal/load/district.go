package load

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/dnevnik/dnevnik/diary"
)

// District is the imported district a run works on. The run links guardian
// accounts of its own with link codes, as a school hands them out, and ends
// those links when it is done, so the district is left as it was found
// (but for the accounts, the spent codes and the ended links).
type District struct {
	DB    *pgxpool.Pool
	Store *diary.Store
}

// code is a guardian's link code and the school of the pupil it is for.
type code struct {
	code, school string // the school's sourced id
}

// codeLifetime is how long the run's codes stay usable: the run's length.
const codeLifetime = 24 * time.Hour

// issueCodes issues n guardian codes over the district's homeroom classes, a
// class of each school in turn, going round again (another guardian of the
// same pupils) while n is more than the pupils.
func (d District) issueCodes(ctx context.Context, n int) ([]code, error) {
	rows, _ := d.DB.Query(ctx, `
SELECT c.sourced_id, s.sourced_id FROM classes c JOIN schools s ON s.id = c.school_id
WHERE c.kind = 'homeroom' AND c.active AND s.active
ORDER BY row_number() OVER (PARTITION BY c.school_id ORDER BY c.sourced_id), c.school_id`)
	classes, err := pgx.CollectRows(rows, pgx.RowToStructByPos[struct{ Class, School string }])
	if err != nil {
		return nil, fmt.Errorf("the district's classes: %w", err)
	}
	var codes []code
	for len(codes) < n {
		before := len(codes)
		for _, c := range classes {
			issued, err := d.Store.IssueClassCodes(ctx, c.Class, diary.RoleGuardian, codeLifetime)
			if err != nil {
				return nil, fmt.Errorf("codes for class %s: %w", c.Class, err)
			}
			for _, i := range issued {
				codes = append(codes, code{code: i.Code, school: c.School})
			}
			if len(codes) >= n {
				break
			}
		}
		if len(codes) == before {
			return nil, fmt.Errorf("the database has no pupils in homeroom classes: import a district first (make bench-load says how)")
		}
	}
	return codes[:n], nil
}

// claim readies the users for a run: it ends any links their accounts hold
// (an earlier run's) and issues a guardian code for each. release ends the
// links the run made with them.
func (d District) claim(ctx context.Context, users []int64, log io.Writer) (_ []code, release func(), err error) {
	if err := d.unlink(ctx, users); err != nil {
		return nil, nil, fmt.Errorf("end the links of an earlier run: %w", err)
	}
	codes, err := d.issueCodes(ctx, len(users))
	if err != nil {
		return nil, nil, err
	}
	return codes, func() {
		if err := d.unlink(context.WithoutCancel(ctx), users); err != nil {
			fmt.Fprintf(log, "bench: ending the run's links: %v\n", err)
		}
	}, nil
}

// linkers is how many accounts are linked or unlinked at once.
const linkers = 8

// unlink ends every link of the Telegram users' accounts, those an earlier
// run left behind included, and creates the accounts that do not exist yet.
func (d District) unlink(ctx context.Context, users []int64) error {
	return forEach(ctx, users, func(ctx context.Context, _ int, user int64) error {
		account, err := d.Store.TouchAccount(ctx, user, user, "ru")
		if err != nil {
			return err
		}
		children, err := d.Store.Children(ctx, account.ID)
		if err != nil {
			return err
		}
		for _, c := range children {
			if err := d.Store.Unlink(ctx, account.ID, c.Pupil.ID); err != nil && diary.ErrorCode(err) != diary.ENOTFOUND {
				return err
			}
		}
		return nil
	})
}

// redeem links each user's account with the pupil of the user's code, as
// the bot does for /start CODE, without Telegram.
func (d District) redeem(ctx context.Context, users []int64, codes []code) error {
	return forEach(ctx, users, func(ctx context.Context, i int, user int64) error {
		account, err := d.Store.TouchAccount(ctx, user, user, "ru")
		if err != nil {
			return err
		}
		if _, err := d.Store.Redeem(ctx, account.ID, user, codes[i].code); err != nil {
			return fmt.Errorf("link telegram user %d: %w", user, err)
		}
		return nil
	})
}

// forEach runs f for each user, linkers at a time, and stops at the first error.
func forEach(ctx context.Context, users []int64, f func(ctx context.Context, i int, user int64) error) error {
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(linkers)
	for i, u := range users {
		g.Go(func() error { return f(ctx, i, u) })
	}
	return g.Wait()
}

// users are n Telegram user ids (and private chats) from first on.
func users(first int64, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = first + int64(i)
	}
	return ids
}
