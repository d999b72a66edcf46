package diary_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dnevnik/dnevnik/diary"
)

func TestNormalizeCode(t *testing.T) {
	for typed, want := range map[string]string{
		"K7QM2XHP9TVA":        "K7QM2XHP9TVA",
		"k7qm-2xhp-9tva":      "K7QM2XHP9TVA",
		" K7QM 2XHP 9TVA\n":   "K7QM2XHP9TVA",
		"К7QМ-2XНР-9ТVА":      "K7QM2XHP9TVA", // Cyrillic К, М, Н, Р, Т, А
		"k7qm_2xhp_9tva":      "K7QM2XHP9TVA",
		"K7QM-2XHP-9TV0":      "", // zero is not in the alphabet
		"K7QM-2XHP-9TVO":      "",
		"K7QM-2XHP-9TV1":      "",
		"K7QM-2XHP-9TVI":      "",
		"K7QM-2XHP-9TVL":      "",
		"K7QM-2XHP-9TV":       "",
		"K7QM-2XHP-9TVAA":     "",
		"/start K7QM2XHP9TVA": "",
		"":                    "",
		"привет":              "",
	} {
		got, ok := diary.NormalizeCode(typed)
		if got != want || ok != (want != "") {
			t.Errorf("NormalizeCode(%q) = %q, %v; want %q", typed, got, ok, want)
		}
	}
	if got := diary.FormatCode("K7QM2XHP9TVA"); got != "K7QM-2XHP-9TVA" {
		t.Errorf("FormatCode = %q", got)
	}
}

func FuzzNormalizeCode(f *testing.F) {
	for _, seed := range []string{"K7QM2XHP9TVA", "k7qm-2xhp-9tva", "К7QМ-2XНР-9ТVА", "0OIl1", "ЁЁЁЁЁЁЁЁЁЁЁЁ", "\x00\xff", "            "} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, typed string) {
		code, ok := diary.NormalizeCode(typed)
		if !ok {
			return
		}
		if len(code) != 12 || strings.ContainsAny(code, "0O1ILU") {
			t.Fatalf("NormalizeCode(%q) = %q", typed, code)
		}
		if again, ok := diary.NormalizeCode(diary.FormatCode(code)); !ok || again != code {
			t.Fatalf("normalising the printed form of %q gives %q", code, again)
		}
	})
}

// codeClass is 7А with three pupils and the school year 2026/27.
func codeClass(t *testing.T) (*fixture, []diary.PersonID) {
	f := newFixture(t)
	c := f.Homeroom("7А")
	pupils := []diary.PersonID{f.Pupil("Ёлкин", "Пётр", c), f.Pupil("Алёшина", "Дарья", c), f.Pupil("Борисов", "Иван", c)}
	f.Terms()
	return f, pupils
}

func TestIssueClassCodes(t *testing.T) {
	f, _ := codeClass(t)
	ctx := context.Background()
	codes, err := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, 14*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) != 3 || codes[0].Person.FamilyName != "Алёшина" || codes[0].Class != "7А" {
		t.Fatalf("codes = %+v (want three, by name)", codes)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if _, ok := diary.NormalizeCode(c.Code); !ok || seen[c.Code] {
			t.Errorf("bad or repeated code %q", c.Code)
		}
		seen[c.Code] = true
		if !c.ExpiresAt.Equal(f.now.Add(14 * 24 * time.Hour)) {
			t.Errorf("expires %v", c.ExpiresAt)
		}
	}
	// Only the hash is stored.
	var stored int
	if err := f.db.QueryRow(ctx, `SELECT count(*) FROM link_codes WHERE code_hash = $1`, keyed("", codes[0].Code)).Scan(&stored); err != nil || stored != 1 {
		t.Errorf("hash of the code stored %d times, %v", stored, err)
	}

	if bits := 12 * math.Log2(30); bits < 50 {
		t.Errorf("codes carry %.1f bits", bits)
	}
	_, err = f.store.IssueClassCodes(ctx, "9Я", diary.RoleGuardian, time.Hour)
	wantCode(t, err, diary.ENOTFOUND)
	_, err = f.store.IssueClassCodes(ctx, "7А", diary.RoleTeacher, time.Hour)
	wantCode(t, err, diary.EINVALID)
}

func TestRedeem(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	codes, err := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, 14*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	mum := f.Account()

	r, err := f.store.Redeem(ctx, mum, 501, diary.FormatCode(strings.ToLower(codes[0].Code)))
	if err != nil {
		t.Fatal(err)
	}
	if r.Role != diary.RoleGuardian || r.Person.GivenName != "Дарья" || r.Access.Pupil.ID != pupils[1] {
		t.Errorf("redeemed = %+v", r)
	}
	// The link lasts until the school year's last day is over, in Moscow.
	if want := time.Date(2027, 6, 1, 0, 0, 0, 0, moscow); !r.Until.Equal(want) {
		t.Errorf("link until %v, want %v", r.Until, want)
	}
	children, err := f.store.Children(ctx, mum)
	if err != nil || len(children) != 1 || children[0].Class != "7А" || children[0].Ended != "" {
		t.Errorf("children = %+v, %v", children, err)
	}

	dad := f.Account()
	_, err = f.store.Redeem(ctx, dad, 502, codes[0].Code)
	wantCode(t, err, diary.ECONFLICT)

	// A second code for the same child, typed by the parent who already has one,
	// is kept for whom it was meant.
	more, _ := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, time.Hour)
	again, err := f.store.Redeem(ctx, mum, 501, more[0].Code)
	if err != nil || !again.Again {
		t.Fatalf("relink = %+v, %v", again, err)
	}
	if _, err := f.store.Redeem(ctx, dad, 502, more[0].Code); err != nil {
		t.Errorf("second parent with the kept code: %v", err)
	}

	f.now = f.now.Add(2 * time.Hour)
	_, err = f.store.Redeem(ctx, f.Account(), 503, more[1].Code)
	wantCode(t, err, diary.EEXPIRED)
}

// keyed is a code's HMAC-SHA256 under the secret.
func keyed(secret, code string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(code))
	return m.Sum(nil)
}

// Codes are stored keyed under the first secret, never as their plain hash;
// a code is found under any secret, so rotating one keeps issued codes
// working, and dropping the old secret ends them; a code stored as plain
// SHA-256 before keyed hashes still works until it expires.
func TestCodeHashesAreKeyedAndRotate(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	const oldSecret, newSecret = "0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"
	f.store.UseCodeSecrets(oldSecret)
	codes, err := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	plain := sha256.Sum256([]byte(codes[0].Code))
	var underKey, asPlain int
	err = f.db.QueryRow(ctx, `SELECT count(*) FILTER (WHERE code_hash = $1), count(*) FILTER (WHERE code_hash = $2) FROM link_codes`,
		keyed(oldSecret, codes[0].Code), plain[:]).Scan(&underKey, &asPlain)
	if err != nil || underKey != 1 || asPlain != 0 {
		t.Fatalf("stored under the key %d times, as a plain hash %d times (%v)", underKey, asPlain, err)
	}

	f.store.UseCodeSecrets(newSecret, oldSecret) // rotation: the new one first
	if _, err := f.store.Redeem(ctx, f.Account(), 801, codes[0].Code); err != nil {
		t.Errorf("a code of the old secret while rotating: %v", err)
	}
	f.store.UseCodeSecrets(newSecret) // the old one dropped
	_, err = f.store.Redeem(ctx, f.Account(), 802, codes[1].Code)
	wantCode(t, err, diary.EINVALID)

	// A code stored before keyed hashes.
	const legacy = "ABCDEFGHJKMN"
	legacyHash := sha256.Sum256([]byte(legacy))
	if _, err := f.db.Exec(ctx, `INSERT INTO link_codes (code_hash, role, person_id, created_at, expires_at) VALUES ($1, 'guardian', $2, $3, $4)`,
		legacyHash[:], pupils[2], f.now.Add(-time.Hour), f.now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.Redeem(ctx, f.Account(), 803, legacy); err != nil {
		t.Errorf("a code stored as plain SHA-256: %v", err)
	}
}

// Fifty wrong codes sent at once by one person: no more than MaxCodeAttempts
// are checked, the rest are refused as locked, and the right code after
// them is refused too.
func TestRedeemLockoutHoldsUnderConcurrency(t *testing.T) {
	f, _ := codeClass(t)
	ctx := context.Background()
	codes, _ := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, 24*time.Hour)
	guesser := f.Account()
	var wrong, locked atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			_, err := f.store.Redeem(ctx, guesser, 666, fmt.Sprintf("AAAA-AAAA-A%03d", i))
			switch diary.ErrorCode(err) {
			case diary.EINVALID:
				wrong.Add(1)
			case diary.ELOCKED:
				locked.Add(1)
			default:
				t.Errorf("guess %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if wrong.Load() != diary.MaxCodeAttempts || locked.Load() != 50-diary.MaxCodeAttempts {
		t.Errorf("50 at once: %d checked, %d locked; want %d checked", wrong.Load(), locked.Load(), diary.MaxCodeAttempts)
	}
	_, err := f.store.Redeem(ctx, guesser, 666, codes[0].Code)
	wantCode(t, err, diary.ELOCKED)
}

func TestRedeemLocksOutGuessers(t *testing.T) {
	f, _ := codeClass(t)
	ctx := context.Background()
	codes, _ := f.store.IssueClassCodes(ctx, "7А", diary.RoleGuardian, 24*time.Hour)
	guesser := f.Account()
	start := f.now
	for i := range diary.MaxCodeAttempts {
		f.now = start.Add(time.Duration(i) * time.Minute)
		_, err := f.store.Redeem(ctx, guesser, 666, "AAAA-AAAA-AAA"+string("23456789"[i]))
		wantCode(t, err, diary.EINVALID)
	}
	// Locked now, even with a right code, until the first wrong one is 15 min old.
	f.now = start.Add(10 * time.Minute)
	_, err := f.store.Redeem(ctx, guesser, 666, codes[0].Code)
	wantCode(t, err, diary.ELOCKED)
	var e *diary.Error
	if !errors.As(err, &e) || !e.Until.Equal(start.Add(diary.CodeAttemptWindow)) {
		t.Errorf("locked until %v, want %v", e.Until, start.Add(diary.CodeAttemptWindow))
	}
	// Another Telegram user is not affected.
	if _, err := f.store.Redeem(ctx, f.Account(), 777, codes[1].Code); err != nil {
		t.Errorf("another user: %v", err)
	}
	f.now = start.Add(diary.CodeAttemptWindow + time.Second)
	if _, err := f.store.Redeem(ctx, guesser, 666, codes[0].Code); err != nil {
		t.Errorf("after the window: %v", err)
	}
}

func TestInviteTrustedPerson(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	mum := f.Account()
	f.Link(mum, pupils[0], diary.RoleGuardian)
	invite, err := f.store.Invite(ctx, mum, pupils[0])
	if err != nil {
		t.Fatal(err)
	}
	grandma := f.Account()
	r, err := f.store.Redeem(ctx, grandma, 801, invite.Code)
	if err != nil {
		t.Fatal(err)
	}
	if r.Role != diary.RoleTrusted || r.Access.CanSign() || !r.Until.Equal(time.Date(2027, 8, 31, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("trusted = %+v (until the inviting link's end)", r)
	}
	// A trusted person cannot invite in turn, nor can a pupil.
	_, err = f.store.Invite(ctx, grandma, pupils[0])
	wantCode(t, err, diary.EFORBIDDEN)

	// The guardian leaves: the trusted person's access goes too.
	if err := f.store.Unlink(ctx, mum, pupils[0]); err != nil {
		t.Fatal(err)
	}
	_, err = f.store.PupilAccess(ctx, grandma, pupils[0])
	wantCode(t, err, diary.EREVOKED)
	if children, _ := f.store.Children(ctx, mum); len(children) != 0 {
		t.Errorf("unlinked child still listed: %+v", children)
	}
	err = f.store.Unlink(ctx, mum, pupils[0])
	wantCode(t, err, diary.ENOTFOUND)

	// An invitation is good for a day.
	f.Link(mum, pupils[0], diary.RoleGuardian)
	late, _ := f.store.Invite(ctx, mum, pupils[0])
	f.now = f.now.Add(diary.InviteTTL)
	_, err = f.store.Redeem(ctx, f.Account(), 802, late.Code)
	wantCode(t, err, diary.EEXPIRED)
}

func TestAccounts(t *testing.T) {
	f, pupils := codeClass(t)
	ctx := context.Background()
	a, err := f.store.TouchAccount(ctx, 42, 42, "en")
	if err != nil || a.Language != "en" || a.Settings.DigestTime.String() != "19:00" ||
		a.Settings.QuietFrom.String() != "22:00" || !a.Settings.Grades {
		t.Fatalf("new account = %+v, %v", a, err)
	}
	f.Exec(`UPDATE accounts SET blocked_at = now() WHERE id = $1`, a.ID)
	again, err := f.store.TouchAccount(ctx, 42, 42, "ru")
	if err != nil || again.ID != a.ID || again.Language != "en" {
		t.Errorf("second contact = %+v, %v (keeps the account and its language)", again, err)
	}
	var blocked bool
	f.db.QueryRow(ctx, `SELECT blocked_at IS NOT NULL FROM accounts WHERE id = $1`, a.ID).Scan(&blocked)
	if blocked {
		t.Error("writing again did not clear the blocked mark")
	}

	st := a.Settings
	st.DigestTime, st.Grades, st.QuietTo = diary.Clock(20*60+30), false, diary.Clock(8*60)
	if err := f.store.SaveSettings(ctx, a.ID, st); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetLanguage(ctx, a.ID, "ru"); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.TouchAccount(ctx, 42, 42, "en")
	if got.Settings != st || got.Language != "ru" {
		t.Errorf("settings = %+v %s, want %+v ru", got.Settings, got.Language, st)
	}
	wantCode(t, f.store.SaveSettings(ctx, a.ID, diary.Settings{DigestTime: 24 * 60}), diary.EINVALID)
	wantCode(t, f.store.SetLanguage(ctx, a.ID, "de"), diary.EINVALID)

	// Choosing a child needs access to that child.
	_, err = f.store.ChoosePupil(ctx, a.ID, pupils[0])
	wantCode(t, err, diary.EFORBIDDEN)
	f.Link(a.ID, pupils[0], diary.RoleGuardian)
	if _, err := f.store.ChoosePupil(ctx, a.ID, pupils[0]); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.store.TouchAccount(ctx, 42, 42, "en"); got.ActivePupil != pupils[0] {
		t.Errorf("active pupil = %d", got.ActivePupil)
	}
}
