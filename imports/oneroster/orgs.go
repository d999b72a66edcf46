package oneroster

import (
	"context"
	"fmt"
	"time"

	"github.com/dnevnik/dnevnik/imports/csvin"
)

// orgTypes are OneRoster's; only schools are stored.
var orgTypes = enumOf("school", "district", "local", "state", "national", "department")

func (im *importer) stageOrgs(ctx context.Context, r *csvin.Reader) (int64, error) {
	name, kind := r.Required("name"), r.Required("type")
	parent, zone := r.Optional("parentSourcedId"), r.Optional("ext_timezone")
	return im.copy(ctx, r, "or_orgs", []string{"name", "type", "parent", "time_zone"}, func(f fields) []any {
		return []any{f.Required(name), f.enum(kind, "org type", orgTypes), f.Text(parent), f.timeZone(zone)}
	})
}

// timeZone is the field as an IANA time zone Go can load (the bot computes each
// school's "today" with it), or nil when empty.
func (f fields) timeZone(c csvin.Column) any {
	return csvin.Parsed(f.Row, c, false, func(s string) (string, error) {
		if _, err := time.LoadLocation(s); err != nil || s == "Local" {
			return "", fmt.Errorf("unknown time zone %q: expected an IANA name such as Europe/Moscow", s)
		}
		return s, nil
	})
}

var schools = target{table: "schools", key: []string{"sourced_id"}, columns: []string{"name", "time_zone", "active"}}

func (im *importer) writeOrgs(ctx context.Context) error {
	return im.upsertActive(ctx, schools, "or_orgs", `
SELECT sourced_id, name, COALESCE(time_zone, 'Europe/Moscow'), true
FROM or_orgs WHERE NOT deleted AND type = 'school'`)
}

const warnOrgs = `
SELECT o.line, 'parentSourcedId', format('org "%s" not found: ignored', o.parent)
FROM or_orgs o
WHERE NOT o.deleted AND o.parent <> ''
	AND NOT EXISTS (SELECT FROM or_orgs p WHERE p.sourced_id = o.parent)
	AND NOT EXISTS (SELECT FROM schools s WHERE s.sourced_id = o.parent)
ORDER BY o.line LIMIT 50`
