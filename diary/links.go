package diary

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The school's view of who may see what: every link between a Telegram
// account and a pupil or teacher, and the school's way to end one at once.
// An account is named by its number only: Dnevnik keeps no Telegram name.

// Who ended a link (account_links.revoked_by).
const (
	EndedBySelf     = "self"     // the person unlinked themself
	EndedByGuardian = "guardian" // the guardian who invited a trusted person withdrew it
	EndedBySchool   = "school"   // `dnevnik links revoke`
	EndedByReplaced = "replaced" // a new code linked the same account again
	EndedByExpiry   = "expired"  // not revoked: its school year (or its inviter's) is over
)

// LinkFilter narrows the list of links; sourced ids, "" for any.
type LinkFilter struct {
	Class   string // pupils enrolled in the class, and its teachers
	Pupil   string
	Teacher string
	Ended   bool // ended links too, not only the live ones
}

// LinkRecord is one link as the school sees it.
type LinkRecord struct {
	ID              int64
	Account         AccountID
	Role            Role
	PersonSourcedID string
	Person          Person // the pupil, or the teacher
	Class           string // a pupil's homeroom class; "" for a teacher
	InvitedBy       int64  // a trusted person's: the guardian link that invited them
	Since           time.Time
	Until           time.Time // zero: no end of its own
	Ended           time.Time // zero: live
	EndedBy         string    // EndedBy…; "" while live
}

// linksSQL reads links with LinkRecord's columns: $1 pupil, $2 teacher, $3
// class (sourced ids, "" for any), $4 ended ones too, $5 now, $6 only these
// ids (NULL for any).
const linksSQL = `
SELECT l.id, l.account_id, l.role, p.sourced_id, p.id, p.family_name, p.given_name, p.middle_name,
       CASE WHEN l.role = 'teacher' THEN '' ELSE ` + homeroomOfP + ` END,
       coalesce(l.granted_by, 0), l.valid_from, l.valid_until, l.revoked_at, coalesce(l.revoked_by, '')
FROM account_links l
JOIN people p ON p.id = l.person_id
WHERE ($1 = '' OR (p.sourced_id = $1 AND l.role <> 'teacher'))
  AND ($2 = '' OR (p.sourced_id = $2 AND l.role = 'teacher'))
  AND ($3 = '' OR EXISTS (SELECT FROM enrollments e JOIN classes c ON c.id = e.class_id
                          WHERE e.person_id = p.id AND e.active AND c.sourced_id = $3))
  AND ($4 OR (l.revoked_at IS NULL AND (l.valid_until IS NULL OR l.valid_until > $5)))
  AND ($6::bigint[] IS NULL OR l.id = ANY($6))
ORDER BY l.role = 'teacher', 9, p.family_name, p.given_name, p.id, l.valid_from, l.id`

func scanLinkRecord(row pgx.CollectableRow, now time.Time) (LinkRecord, error) {
	var (
		l              LinkRecord
		until, revoked *time.Time
	)
	err := row.Scan(&l.ID, &l.Account, &l.Role, &l.PersonSourcedID, &l.Person.ID, &l.Person.FamilyName, &l.Person.GivenName,
		&l.Person.MiddleName, &l.Class, &l.InvitedBy, &l.Since, &until, &revoked, &l.EndedBy)
	if until != nil {
		l.Until = *until
	}
	switch {
	case revoked != nil:
		l.Ended = *revoked
	case until != nil && !now.Before(*until):
		l.Ended, l.EndedBy = *until, EndedByExpiry
	}
	return l, err
}

// Links lists the links the filter selects, pupils' first (by class and
// name), then teachers', and records in the audit log that the school
// looked, and at what. A sourced id that names nothing is ENOTFOUND.
func (s *Store) Links(ctx context.Context, f LinkFilter) ([]LinkRecord, error) {
	if err := s.mustExist(ctx, sourced{pupil: f.Pupil, teacher: f.Teacher, class: f.Class}); err != nil {
		return nil, err
	}
	var links []LinkRecord
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		if links, err = s.links(ctx, tx, f, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, AuditEntry{Actor: ActorSchool, Action: "links.list", Detail: map[string]any{
			"class": f.Class, "pupil": f.Pupil, "teacher": f.Teacher, "ended": f.Ended, "links": len(links)}})
	})
	if err != nil {
		return nil, err
	}
	return links, nil
}

func (s *Store) links(ctx context.Context, q querier, f LinkFilter, ids []int64) ([]LinkRecord, error) {
	now := s.Now()
	rows, _ := q.Query(ctx, linksSQL, f.Pupil, f.Teacher, f.Class, f.Ended, now, ids)
	links, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (LinkRecord, error) { return scanLinkRecord(row, now) })
	if err != nil {
		return nil, fmt.Errorf("list links: %w", err)
	}
	return links, nil
}

// LinkSelector is what the school ends: one link, or every link to a pupil
// (their family's and their own) or to a teacher. Exactly one is set.
type LinkSelector struct {
	Link    int64
	Pupil   string // sourced id
	Teacher string // sourced id
}

// Revocation is what RevokeLinks did.
type Revocation struct {
	Links []LinkRecord // ended now: those selected and the trusted people they invited
	// CodesVoided counts the unused codes deleted with them: the pupil's or
	// teacher's own, and the invitations of the ended links.
	CodesVoided int64
	// Messages tell each person the school ended their link; the caller
	// enqueues them (the sweeper does, if it cannot).
	Messages []Pending
}

// RevokeLinks ends the selected links at once, with the trusted people's
// links that hang on them, voids the unused codes that would link the same
// person again, writes an audit row per link and plans a message to each
// person; all in one transaction. A link that is not live is ENOTFOUND.
func (s *Store) RevokeLinks(ctx context.Context, sel LinkSelector) (Revocation, error) {
	if err := s.mustExist(ctx, sourced{pupil: sel.Pupil, teacher: sel.Teacher}); err != nil {
		return Revocation{}, err
	}
	var r Revocation
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		now := s.Now()
		const revoke = `
WITH selected AS (
    SELECT l.id FROM account_links l JOIN people p ON p.id = l.person_id
    WHERE l.revoked_at IS NULL AND (l.valid_until IS NULL OR l.valid_until > $4)
      AND (l.id = $1 OR (p.sourced_id = $2 AND l.role <> 'teacher') OR (p.sourced_id = $3 AND l.role = 'teacher'))),
ended AS (
    SELECT id FROM selected
    UNION
    SELECT t.id FROM account_links t JOIN selected s ON t.granted_by = s.id WHERE t.revoked_at IS NULL)
UPDATE account_links l SET revoked_at = $4, revoked_by = 'school'
FROM ended, accounts a WHERE l.id = ended.id AND a.id = l.account_id
RETURNING l.id, a.chat_id`
		rows, _ := tx.Query(ctx, revoke, sel.Link, sel.Pupil, sel.Teacher, now)
		var ids []int64
		chats := make(map[int64]int64) // link → its account's chat
		var id, chat int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &chat}, func() error {
			ids, chats[id] = append(ids, id), chat
			return nil
		}); err != nil {
			return fmt.Errorf("revoke links: %w", err)
		}
		if sel.Link != 0 && len(ids) == 0 {
			return Errorf(ENOTFOUND, "no live link %d", sel.Link)
		}
		tag, err := tx.Exec(ctx, `
DELETE FROM link_codes c USING people p
WHERE c.used_at IS NULL AND c.expires_at > $4 AND p.id = c.person_id
  AND (c.granted_by = ANY($1) OR (p.sourced_id = $2 AND c.role <> 'teacher') OR (p.sourced_id = $3 AND c.role = 'teacher'))`,
			ids, sel.Pupil, sel.Teacher, now)
		if err != nil {
			return fmt.Errorf("void codes: %w", err)
		}
		r.CodesVoided = tag.RowsAffected()
		if len(ids) == 0 {
			return nil
		}
		if r.Links, err = s.links(ctx, tx, LinkFilter{Ended: true}, ids); err != nil {
			return err
		}
		var (
			entries = make([]AuditEntry, 0, len(r.Links))
			msgs    = make([]Outgoing, 0, len(r.Links))
		)
		for _, l := range r.Links {
			e := AuditEntry{Actor: ActorSchool, Action: "link.revoke", Ref: l.ID,
				Detail: map[string]any{"account": l.Account, "role": l.Role, "person": l.PersonSourcedID}}
			if l.Role != RoleTeacher {
				e.Pupil = l.Person.ID
			}
			entries = append(entries, e)
			msgs = append(msgs, Outgoing{Key: fmt.Sprintf("revoked:%d", l.ID), Kind: MessageRevoked, Ref: l.ID, Account: l.Account,
				ChatID: chats[l.ID]})
		}
		if err := s.audit(ctx, tx, entries...); err != nil {
			return err
		}
		r.Messages, err = s.plan(ctx, tx, msgs)
		return err
	})
	if err != nil {
		return Revocation{}, err
	}
	return r, nil
}

// EndedLink is a link the school ended, as the person it belonged to is told
// of it.
type EndedLink struct {
	Role   Role
	Person Person // the pupil; the teacher themself
}

// LinkEndedBySchool reads the link the school ended for the account: ENOTFOUND
// when it is not the account's, or was not ended by the school (a message
// about it has nothing to say).
func (s *Store) LinkEndedBySchool(ctx context.Context, account AccountID, link int64) (EndedLink, error) {
	var l EndedLink
	err := s.db.QueryRow(ctx, `
SELECT l.role, p.family_name, p.given_name, p.middle_name
FROM account_links l JOIN people p ON p.id = l.person_id
WHERE l.id = $1 AND l.account_id = $2 AND l.revoked_by = 'school'`, link, account).
		Scan(&l.Role, &l.Person.FamilyName, &l.Person.GivenName, &l.Person.MiddleName)
	if errors.Is(err, pgx.ErrNoRows) {
		return EndedLink{}, Errorf(ENOTFOUND, "account %d has no link %d ended by the school", account, link)
	}
	if err != nil {
		return EndedLink{}, fmt.Errorf("link %d: %w", link, err)
	}
	return l, nil
}
