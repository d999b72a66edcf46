package diary

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// A link code is 12 symbols from an alphabet with no 0/O, 1/I/L or U, so that it
// survives being read aloud and typed from paper: 30 symbols, log2(30^12) ≈ 58.9
// bits. It is shown in groups of four (K7QM-2XHP-9TVA) and stored only as a
// keyed hash (UseCodeSecrets): with that entropy, a lifetime of days and a key
// outside the database, a fast hash is enough.
const (
	codeAlphabet = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
	codeLength   = 12
)

// Guessing limits: this many wrong codes from one Telegram user within the window
// lock them out until the oldest of those attempts leaves the window.
const (
	MaxCodeAttempts   = 5
	CodeAttemptWindow = 15 * time.Minute
)

// InviteTTL is how long a trusted-person invitation can be used.
const InviteTTL = 24 * time.Hour

// newCode returns a random code in its compact form.
func newCode() (string, error) {
	b := make([]byte, codeLength)
	max := big.NewInt(int64(len(codeAlphabet)))
	for i := range b {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", fmt.Errorf("random code: %w", err)
		}
		b[i] = codeAlphabet[n.Int64()]
	}
	return string(b), nil
}

// FormatCode groups a compact code for print: K7QM-2XHP-9TVA.
func FormatCode(code string) string {
	if len(code) != codeLength {
		return code
	}
	return code[0:4] + "-" + code[4:8] + "-" + code[8:12]
}

// lookalikes maps Cyrillic capitals that look like Latin ones to them: a parent
// on a Russian keyboard types "К7QМ" and means K7QM.
var lookalikes = strings.NewReplacer(
	"А", "A", "В", "B", "Е", "E", "К", "K", "М", "M", "Н", "H", "Р", "P",
	"С", "C", "Т", "T", "Х", "X", "У", "Y", "З", "3",
)

// NormalizeCode turns what a person typed into a compact code, or reports that it
// is not shaped like one: spaces and dashes are dropped, case and Cyrillic
// look-alikes forgiven.
func NormalizeCode(typed string) (string, bool) {
	s := lookalikes.Replace(strings.ToUpper(strings.TrimSpace(typed)))
	s = strings.NewReplacer(" ", "", "-", "", "_", "").Replace(s)
	if len(s) != codeLength {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(codeAlphabet, s[i]) < 0 {
			return "", false
		}
	}
	return s, true
}

// UseCodeSecrets sets the secrets link codes and invitations are stored
// under, as HMAC-SHA256: a backup of the database alone cannot be searched
// for live codes. New codes are hashed under the first secret; a code is
// found under any of them, so a secret is rotated by putting a new one first
// and dropping the old once the codes issued under it have expired. Codes
// stored before keyed hashes (plain SHA-256) are found too, until they expire.
// Without a call, codes are hashed under an empty key: for tests.
func (s *Store) UseCodeSecrets(secrets ...string) {
	s.codeKeys = nil
	for _, secret := range secrets {
		s.codeKeys = append(s.codeKeys, []byte(secret))
	}
}

// hashCode is how a new code is stored: HMAC-SHA256 under the first secret.
func (s *Store) hashCode(code string) []byte {
	var key []byte
	if len(s.codeKeys) > 0 {
		key = s.codeKeys[0]
	}
	return keyedHash(key, code)
}

// codeHashes are what a code may be stored as: under each secret, or as the
// plain SHA-256 of codes issued before keyed hashes.
func (s *Store) codeHashes(code string) [][]byte {
	hashes := [][]byte{s.hashCode(code)}
	for _, key := range s.codeKeys[min(1, len(s.codeKeys)):] {
		hashes = append(hashes, keyedHash(key, code))
	}
	legacy := sha256.Sum256([]byte(code))
	return append(hashes, legacy[:])
}

func keyedHash(key []byte, code string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(code))
	return m.Sum(nil)
}

// IssuedCode is a code made for one pupil (or teacher), to be printed or sent.
type IssuedCode struct {
	Person         Person
	PersonSourceID string
	Class          string // the pupil's class; the homeroom classes of a teacher, "7А, 7Б"
	School         string // the school's name
	Role           Role
	Code           string // compact form
	ExpiresAt      time.Time
	Location       *time.Location // the school's zone, to print the expiry in
}

// IssueClassCodes makes one code per active pupil of a class, for the pupil's
// guardians or for the pupil themself. Earlier codes stay valid until they expire
// or are used: a second parent needs a second code.
func (s *Store) IssueClassCodes(ctx context.Context, classSourcedID string, role Role, ttl time.Duration) ([]IssuedCode, error) {
	if role != RoleGuardian && role != RoleStudent {
		return nil, Errorf(EINVALID, "codes for role %q", role)
	}
	const q = `
SELECT p.id, p.sourced_id, p.family_name, p.given_name, p.middle_name, c.title, sc.name, sc.time_zone
FROM classes c
JOIN schools sc ON sc.id = c.school_id
JOIN enrollments e ON e.class_id = c.id AND e.role = 'student' AND e.active
JOIN people p ON p.id = e.person_id AND p.active
WHERE c.sourced_id = $1 AND c.active
ORDER BY p.family_name, p.given_name, p.middle_name, p.id`
	const exists = `SELECT EXISTS (SELECT FROM classes WHERE sourced_id = $1 AND active)`
	return s.issueCodes(ctx, codeBatch{what: "class", sourcedID: classSourcedID, holders: q, exists: exists, role: role}, ttl)
}

// IssueTeacherCodes makes one code per active teacher of a school, each to
// link the teacher's own account. Earlier codes stay valid as with pupils'.
func (s *Store) IssueTeacherCodes(ctx context.Context, schoolSourcedID string, ttl time.Duration) ([]IssuedCode, error) {
	const q = `
SELECT p.id, p.sourced_id, p.family_name, p.given_name, p.middle_name,
       coalesce((SELECT string_agg(c.title, ', ' ORDER BY c.title) FROM enrollments e JOIN classes c ON c.id = e.class_id
                 WHERE e.person_id = p.id AND e.role = 'teacher' AND e.active AND c.active AND c.kind = 'homeroom'), ''),
       sc.name, sc.time_zone
FROM schools sc
JOIN people p ON p.school_id = sc.id AND p.role = 'teacher' AND p.active
WHERE sc.sourced_id = $1 AND sc.active
ORDER BY p.family_name, p.given_name, p.middle_name, p.id`
	const exists = `SELECT EXISTS (SELECT FROM schools WHERE sourced_id = $1 AND active)`
	return s.issueCodes(ctx, codeBatch{what: "school", sourcedID: schoolSourcedID, holders: q, exists: exists, role: RoleTeacher}, ttl)
}

// codeBatch is who gets codes: the people holders ($1: sourcedID) selects, in
// the columns of scanCodeHolder, from the class or school that exists checks.
type codeBatch struct {
	what, sourcedID string // "class" or "school", and its sourced id
	holders, exists string
	role            Role
}

// issueCodes makes a code for each holder of the batch and stores their
// hashes. No holders is no codes; an unknown class or school is ENOTFOUND.
func (s *Store) issueCodes(ctx context.Context, b codeBatch, ttl time.Duration) ([]IssuedCode, error) {
	if ttl <= 0 || ttl > 366*24*time.Hour {
		return nil, Errorf(EINVALID, "code lifetime %s", ttl)
	}
	rows, _ := s.db.Query(ctx, b.holders, b.sourcedID)
	codes, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (IssuedCode, error) {
		c := IssuedCode{Role: b.role}
		var zone string
		err := row.Scan(&c.Person.ID, &c.PersonSourceID, &c.Person.FamilyName, &c.Person.GivenName, &c.Person.MiddleName,
			&c.Class, &c.School, &zone)
		if err != nil {
			return c, err
		}
		c.Location, err = location(zone)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("code holders of %s %q: %w", b.what, b.sourcedID, err)
	}
	if len(codes) == 0 {
		var exists bool
		if err := s.db.QueryRow(ctx, b.exists, b.sourcedID).Scan(&exists); err != nil {
			return nil, fmt.Errorf("find %s %q: %w", b.what, b.sourcedID, err)
		}
		if !exists {
			return nil, Errorf(ENOTFOUND, "%s %q", b.what, b.sourcedID)
		}
		return nil, nil
	}
	now := s.Now()
	rowsToCopy := make([][]any, len(codes))
	for i := range codes {
		if codes[i].Code, err = newCode(); err != nil {
			return nil, err
		}
		codes[i].ExpiresAt = now.Add(ttl)
		rowsToCopy[i] = []any{s.hashCode(codes[i].Code), string(b.role), int64(codes[i].Person.ID), now, codes[i].ExpiresAt}
	}
	_, err = s.db.CopyFrom(ctx, pgx.Identifier{"link_codes"},
		[]string{"code_hash", "role", "person_id", "created_at", "expires_at"}, pgx.CopyFromRows(rowsToCopy))
	if err != nil {
		return nil, fmt.Errorf("store codes of %s %q: %w", b.what, b.sourcedID, err)
	}
	return codes, nil
}

// Invite makes a code that gives another Telegram user read-only access to a
// pupil for as long as the inviting guardian's own link lasts. Only a guardian
// may invite.
func (s *Store) Invite(ctx context.Context, account AccountID, pupil PersonID) (IssuedCode, error) {
	a, err := s.guardianAccess(ctx, account, pupil, ReasonShareGuardianOnly)
	if err != nil {
		return IssuedCode{}, err
	}
	code, err := newCode()
	if err != nil {
		return IssuedCode{}, err
	}
	now := s.Now()
	c := IssuedCode{Person: a.Pupil, Role: RoleTrusted, Code: code, ExpiresAt: now.Add(InviteTTL)}
	_, err = s.db.Exec(ctx, `INSERT INTO link_codes (code_hash, role, person_id, granted_by, created_at, expires_at)
	                         VALUES ($1, 'trusted', $2, $3, $4, $5)`, s.hashCode(code), pupil, a.LinkID, now, c.ExpiresAt)
	if err != nil {
		return IssuedCode{}, fmt.Errorf("store invitation of account %d: %w", account, err)
	}
	return c, nil
}

// Redeemed is the link a code made.
type Redeemed struct {
	Access PupilAccess // for pupils; zero for a teacher's code
	Role   Role
	Person Person
	Until  time.Time
	Again  bool // the account already had this link; the code was not spent
}

// Redeem links the account with the person a code was issued for. Errors:
// ELOCKED (too many wrong codes lately; Error.Until says when to try again),
// EINVALID (no such code; the attempt counts), ECONFLICT (already used), EEXPIRED.
func (s *Store) Redeem(ctx context.Context, account AccountID, telegramUserID int64, typed string) (Redeemed, error) {
	now := s.Now()
	attempt, err := s.takeAttempt(ctx, telegramUserID, now)
	if err != nil {
		return Redeemed{}, err
	}
	code, ok := NormalizeCode(typed)
	var r Redeemed
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if !ok {
			return refuse(EINVALID, ReasonCodeWrong, nil, "not a code")
		}
		var (
			id        int64
			role      string
			grantedBy *int64
			expires   time.Time
			usedAt    *time.Time
		)
		err := tx.QueryRow(ctx, `SELECT id, role, person_id, granted_by, expires_at, used_at FROM link_codes
		                         WHERE code_hash = ANY($1) FOR UPDATE`, s.codeHashes(code)).
			Scan(&id, &role, &r.Person.ID, &grantedBy, &expires, &usedAt)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return refuse(EINVALID, ReasonCodeWrong, nil, "no such code")
		case err != nil:
			return fmt.Errorf("look up code: %w", err)
		case usedAt != nil:
			return refuse(ECONFLICT, ReasonCodeUsed, nil, "code %d already used", id)
		case !now.Before(expires):
			return refuse(EEXPIRED, ReasonCodeExpired, nil, "code %d expired", id)
		}
		r.Role = Role(role)

		var live bool
		err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT FROM account_links WHERE account_id = $1 AND person_id = $2
		                        AND role = $3 AND revoked_at IS NULL AND (valid_until IS NULL OR valid_until > $4))`,
			account, r.Person.ID, role, now).Scan(&live)
		if err != nil {
			return fmt.Errorf("find existing link: %w", err)
		}
		if live {
			r.Again = true // keep the code for the person it was meant for
			return nil
		}
		if r.Until, err = s.linkEnd(ctx, tx, r.Role, r.Person.ID, grantedBy); err != nil {
			return err
		}
		// An ended link of the same kind gives way to the new one.
		_, err = tx.Exec(ctx, `UPDATE account_links SET revoked_at = $4, revoked_by = 'replaced' WHERE account_id = $1 AND person_id = $2
		                       AND role = $3 AND revoked_at IS NULL`, account, r.Person.ID, role, now)
		if err != nil {
			return fmt.Errorf("retire ended link: %w", err)
		}
		_, err = tx.Exec(ctx, `INSERT INTO account_links (account_id, person_id, role, granted_by, valid_from, valid_until)
		                       VALUES ($1, $2, $3, $4, $5, $6)`, account, r.Person.ID, role, grantedBy, now, nullTime(r.Until))
		if err != nil {
			return fmt.Errorf("link account %d: %w", account, err)
		}
		_, err = tx.Exec(ctx, `UPDATE link_codes SET used_at = $2, used_by = $3 WHERE id = $1`, id, now, account)
		if err != nil {
			return fmt.Errorf("spend code %d: %w", id, err)
		}
		if r.Role != RoleTeacher {
			_, err = tx.Exec(ctx, `UPDATE accounts SET active_pupil_id = $2 WHERE id = $1`, account, r.Person.ID)
		}
		return err
	})
	if err != nil {
		return Redeemed{}, err
	}
	if _, err := s.db.Exec(ctx, `UPDATE link_attempts SET succeeded = true WHERE id = $1`, attempt); err != nil {
		return Redeemed{}, fmt.Errorf("record link attempt %d succeeded: %w", attempt, err)
	}
	if r.Role == RoleTeacher {
		r.Person, err = s.person(ctx, r.Person.ID)
		return r, err
	}
	r.Access, err = s.PupilAccess(ctx, account, r.Person.ID)
	if err != nil {
		return Redeemed{}, err
	}
	r.Person = r.Access.Pupil
	return r, nil
}

// CodeFlood is how many wrong codes in a minute, everyone's together, make a
// flood: a school's parents mistype a few an hour; a guessing botnet with many
// accounts gets past each account's lockout but not past this.
const CodeFlood = 100

// CodeFailuresLastMinute counts the wrong codes of the last minute, everyone's.
func (s *Store) CodeFailuresLastMinute(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM link_attempts WHERE NOT succeeded AND attempted_at > $1`,
		s.Now().Add(-time.Minute)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count wrong codes: %w", err)
	}
	return n, nil
}

// codeAttemptLock is the first key of the advisory lock that puts one
// Telegram user's code checks in a row.
const codeAttemptLock = 0x6c696e6b // "link"

// takeAttempt records a Telegram user's attempt at a code as a failure before
// the code is looked at (Redeem marks it succeeded), or refuses it with
// ELOCKED when MaxCodeAttempts failed in the last CodeAttemptWindow. One
// user's attempts are counted and taken one at a time, under a lock held to
// the end of the transaction, so that however many arrive at once no more
// than MaxCodeAttempts wrong codes are ever checked.
func (s *Store) takeAttempt(ctx context.Context, telegramUserID int64, now time.Time) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2::bigint::text))`, codeAttemptLock, telegramUserID); err != nil {
			return fmt.Errorf("lock the link attempts of %d: %w", telegramUserID, err)
		}
		const failures = `
SELECT attempted_at FROM link_attempts
WHERE telegram_user_id = $1 AND NOT succeeded AND attempted_at > $2
ORDER BY attempted_at DESC LIMIT $3`
		rows, _ := tx.Query(ctx, failures, telegramUserID, now.Add(-CodeAttemptWindow), MaxCodeAttempts)
		failed, err := pgx.CollectRows(rows, pgx.RowTo[time.Time])
		if err != nil {
			return fmt.Errorf("count link attempts: %w", err)
		}
		if len(failed) >= MaxCodeAttempts {
			until := failed[len(failed)-1].Add(CodeAttemptWindow)
			minutes := max(1, int(math.Ceil(until.Sub(now).Minutes())))
			return &Error{Code: ELOCKED, Reason: ReasonCodeLocked, Args: map[string]any{"Count": minutes},
				Message: fmt.Sprintf("telegram user %d guessed too many codes", telegramUserID), Until: until}
		}
		return tx.QueryRow(ctx, `INSERT INTO link_attempts (telegram_user_id, attempted_at, succeeded) VALUES ($1, $2, false)
		                        RETURNING id`, telegramUserID, now).Scan(&id)
	})
	return id, err
}

// linkEnd is when a new link ends: a trusted person's with the inviting link,
// anyone else's (a teacher's too) with the school year.
func (s *Store) linkEnd(ctx context.Context, tx pgx.Tx, role Role, person PersonID, grantedBy *int64) (time.Time, error) {
	switch {
	case grantedBy != nil:
		var until *time.Time
		var revoked *time.Time
		err := tx.QueryRow(ctx, `SELECT valid_until, revoked_at FROM account_links WHERE id = $1`, *grantedBy).Scan(&until, &revoked)
		if err != nil {
			return time.Time{}, fmt.Errorf("inviting link %d: %w", *grantedBy, err)
		}
		if revoked != nil || (until != nil && !s.Now().Before(*until)) {
			return time.Time{}, refuse(EEXPIRED, ReasonCodeExpired, nil, "the inviting link %d has ended", *grantedBy)
		}
		if until == nil {
			return s.schoolYearEnd(ctx, tx, person, role)
		}
		return *until, nil
	default:
		return s.schoolYearEnd(ctx, tx, person, role)
	}
}

// nullTime is NULL for the zero time.
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func (s *Store) person(ctx context.Context, id PersonID) (Person, error) {
	p := Person{ID: id}
	err := s.db.QueryRow(ctx, `SELECT family_name, given_name, middle_name FROM people WHERE id = $1`, id).
		Scan(&p.FamilyName, &p.GivenName, &p.MiddleName)
	if err != nil {
		return Person{}, fmt.Errorf("person %d: %w", id, err)
	}
	return p, nil
}
