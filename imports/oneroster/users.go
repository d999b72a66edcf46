package oneroster

import (
	"context"
	"strings"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// userRoles maps OneRoster's roles to the diary's. A guardian keeps the OneRoster
// role as the relation of its guardianships.
var userRoles = map[string]string{
	"student": "student", "teacher": "teacher",
	"parent": "guardian", "guardian": "guardian", "relative": "guardian",
	"administrator": "staff", "aide": "staff", "proctor": "staff",
}

// stageUsers keeps only what the diary needs: the role, the names, the schools and
// the agents. Usernames, e-mail, phones, identifiers and passwords are not read.
func (im *importer) stageUsers(ctx context.Context, r *csvin.Reader) (int64, error) {
	role, given, family := r.Required("role"), r.Required("givenName"), r.Required("familyName")
	middle, orgs, agents := r.Optional("middleName"), r.Optional("orgSourcedIds"), r.Optional("agentSourcedIds", "agents")
	columns := []string{"role", "relation", "family_name", "given_name", "middle_name", "orgs", "agents"}
	return im.copy(ctx, r, "or_users", columns, func(f fields) []any {
		diaryRole, relation := f.enum(role, "role", userRoles), any(nil)
		if diaryRole == "guardian" {
			relation = strings.ToLower(f.Text(role))
		}
		return []any{diaryRole, relation, f.Required(family), f.Required(given), f.Text(middle), f.list(orgs), f.list(agents)}
	})
}

var people = target{table: "people", key: []string{"sourced_id"},
	columns: []string{"school_id", "role", "family_name", "given_name", "middle_name", "active"}}

var guardianships = target{table: "guardianships", key: []string{"guardian_id", "pupil_id"}, columns: []string{"relation"}}

func (im *importer) writeUsers(ctx context.Context) error {
	// A person's school is the first of their orgs that is a school.
	err := im.upsertActive(ctx, people, "or_users", `
SELECT u.sourced_id,
	(SELECT s.id FROM unnest(u.orgs) WITH ORDINALITY AS o (sourced_id, n)
	 JOIN schools s ON s.sourced_id = o.sourced_id ORDER BY o.n LIMIT 1),
	u.role, u.family_name, u.given_name, u.middle_name, true
FROM or_users u WHERE NOT u.deleted`)
	if err != nil {
		return err
	}
	return im.writeGuardianships(ctx)
}

const warnUsers = `
SELECT u.line, 'orgSourcedIds', format('org "%s" not found', o)
FROM or_users u, unnest(u.orgs) o
WHERE NOT u.deleted
	AND NOT EXISTS (SELECT FROM or_orgs x WHERE x.sourced_id = o)
	AND NOT EXISTS (SELECT FROM schools x WHERE x.sourced_id = o)
UNION ALL
SELECT u.line, 'agentSourcedIds', CASE
	WHEN p.id IS NULL THEN format('user "%s" not found: no guardianship', a)
	ELSE format('user "%s" is a %s: no guardianship', a, p.role) END
FROM or_users u CROSS JOIN unnest(u.agents) a LEFT JOIN people p ON p.sourced_id = a
WHERE NOT u.deleted AND u.role IN ('student', 'guardian')
	AND (p.id IS NULL OR p.role = u.role OR p.role IN ('teacher', 'staff'))
ORDER BY 1 LIMIT 50`

// writeGuardianships links guardians and pupils. The agents of a pupil are its
// guardians and the agents of a guardian its children; a link listed from both
// sides is one link. In a bulk users file a pupil's links are all there are, so the
// links of the file's pupils that it no longer lists are removed; a delta file only
// adds.
func (im *importer) writeGuardianships(ctx context.Context) error {
	_, err := im.tx.Exec(ctx, `
CREATE TEMP TABLE or_guardianships ON COMMIT DROP AS
WITH links AS (
	SELECT u.sourced_id AS guardian, a AS pupil FROM or_users u, unnest(u.agents) a
	WHERE NOT u.deleted AND u.role = 'guardian'
	UNION
	SELECT a, u.sourced_id FROM or_users u, unnest(u.agents) a
	WHERE NOT u.deleted AND u.role = 'student'
)
SELECT g.id AS guardian_id, p.id AS pupil_id,
	COALESCE(gu.relation, old.relation, 'parent') AS relation
FROM links l
JOIN people g ON g.sourced_id = l.guardian AND g.role = 'guardian' AND g.active
JOIN people p ON p.sourced_id = l.pupil AND p.role = 'student' AND p.active
LEFT JOIN or_users gu ON gu.sourced_id = l.guardian AND NOT gu.deleted
LEFT JOIN guardianships old ON old.guardian_id = g.id AND old.pupil_id = p.id`)
	if err != nil {
		return err
	}
	created, updated, err := im.upsert(ctx, guardianships, `SELECT guardian_id, pupil_id, relation FROM or_guardianships`)
	if err != nil {
		return err
	}
	var removed int64
	if im.modes["users.csv"] != "delta" {
		tag, err := im.tx.Exec(ctx, `
DELETE FROM guardianships g USING people p, or_users u
WHERE p.id = g.pupil_id AND u.sourced_id = p.sourced_id
	AND NOT EXISTS (SELECT FROM or_guardianships d WHERE d.guardian_id = g.guardian_id AND d.pupil_id = g.pupil_id)`)
		if err != nil {
			return err
		}
		removed = tag.RowsAffected()
	}
	im.count(guardianships.table, created, updated, removed)
	return nil
}
