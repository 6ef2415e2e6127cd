package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/audit"
	"sinergi/profile"
)

// A roster import writes thousands of people at once. Each statement below
// takes its rows as one JSON document unpacked by jsonb_to_recordset, so a
// file of 10,000 people is a handful of statements instead of 10,000 round
// trips.

// PeopleByKeys implements profile.ImportStore.
func (s PeopleStore) PeopleByKeys(ctx context.Context, inst int64, nips, emails []string) ([]profile.Person, error) {
	db := conn(ctx, s.DB)
	var rows []personRow
	err := db.Raw(`SELECT * FROM people WHERE institution_id = ? AND (
			nip IN (SELECT jsonb_array_elements_text(?::jsonb)) OR email IN (SELECT jsonb_array_elements_text(?::jsonb)))
		ORDER BY id FOR UPDATE`, inst, jsonList(nips), jsonList(emails)).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load people to import over: %w", err)
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var comps []personCompetencyRow
	if len(ids) > 0 {
		err = db.Raw(`SELECT pc.person_id, pc.competency_id, c.code, c.name, c.type, pc.level, pc.years, pc.sessions_taught, pc.evidence
			FROM person_competencies pc JOIN competencies c ON c.id = pc.competency_id
			WHERE pc.person_id IN (SELECT jsonb_array_elements_text(?::jsonb)::bigint) ORDER BY pc.person_id, c.type, c.code`,
			jsonList(ids)).Scan(&comps).Error
		if err != nil {
			return nil, fmt.Errorf("load competencies to import over: %w", err)
		}
	}
	byPerson := map[int64][]profile.PersonCompetency{}
	for _, r := range comps {
		byPerson[r.PersonID] = append(byPerson[r.PersonID], profile.PersonCompetency{CompetencyID: r.CompetencyID, Code: r.Code,
			Name: r.Name, Type: profile.CompetencyType(r.Type), Level: r.Level, Years: r.Years, SessionsTaught: r.SessionsTaught,
			Evidence: r.Evidence})
	}
	out := make([]profile.Person, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
		out[i].Competencies = byPerson[r.ID]
	}
	return out, nil
}

func jsonList[T any](xs []T) string {
	if xs == nil {
		return "[]"
	}
	b, _ := json.Marshal(xs)
	return string(b)
}

// importPerson is a person as the import statements read it.
type importPerson struct {
	Row             int      `json:"row"`
	ID              int64    `json:"id,omitempty"`
	Kind            string   `json:"kind"`
	Name            string   `json:"name"`
	Email           string   `json:"email"`
	Phone           string   `json:"phone"`
	NIP             *string  `json:"nip"`
	Jenjang         *string  `json:"jenjang"`
	Golongan        *string  `json:"golongan"`
	Organisation    string   `json:"organisation"`
	Unit            string   `json:"unit"`
	Employment      string   `json:"employment"`
	TaxIDStatus     string   `json:"tax_id_status"`
	TaxID           string   `json:"tax_id"`
	Expertise       []string `json:"expertise"`
	ExperienceYears int      `json:"experience_years"`
	Zone            string   `json:"zone"`
	ShareProfile    bool     `json:"share_profile"`
}

const importColumns = `row int, id bigint, kind text, name text, email text, phone text, nip text, jenjang text, golongan text,
	organisation text, unit text, employment text, tax_id_status text, tax_id text, expertise jsonb, experience_years int,
	zone text, share_profile boolean`

func toImportPerson(row int, p profile.Person) importPerson {
	r := personToRow(p)
	if r.Expertise == nil {
		r.Expertise = []string{}
	}
	return importPerson{Row: row, ID: p.ID, Kind: r.Kind, Name: r.Name, Email: r.Email, Phone: r.Phone, NIP: r.NIP,
		Jenjang: r.Jenjang, Golongan: r.Golongan, Organisation: r.Organisation, Unit: r.Unit, Employment: r.Employment,
		TaxIDStatus: r.TaxIDStatus, TaxID: r.TaxID, Expertise: r.Expertise, ExperienceYears: r.ExperienceYears, Zone: r.Zone,
		ShareProfile: r.ShareProfile}
}

// ApplyImport implements profile.ImportStore.
func (s PeopleStore) ApplyImport(ctx context.Context, inst int64, at time.Time, changes []profile.ImportChange) ([]int64, error) {
	ids := make([]int64, len(changes))
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var inserts, updates []importPerson
		for _, c := range changes {
			if c.Before == nil {
				inserts = append(inserts, toImportPerson(c.Row, c.After))
			} else {
				updates = append(updates, toImportPerson(c.Row, c.After))
			}
		}
		idOfRow := map[int]int64{}
		if len(inserts) > 0 {
			var created []struct {
				Row int
				ID  int64
			}
			err := tx.Raw(`WITH x AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS x(`+importColumns+`)),
				ins AS (INSERT INTO people (institution_id, kind, name, email, phone, nip, jenjang, golongan, organisation, unit,
					employment, tax_id_status, tax_id, expertise, experience_years, zone, share_profile, version, created_at, updated_at)
				SELECT ?, kind, name, email, phone, nip, jenjang, golongan, organisation, unit, employment, tax_id_status, tax_id,
					expertise, experience_years, zone::indonesian_zone, share_profile, 1, ?, ? FROM x ORDER BY row
				RETURNING id, email)
				SELECT x.row, ins.id FROM ins JOIN x ON x.email = ins.email`, jsonList(inserts), inst, at, at).Scan(&created).Error
			if err != nil {
				if isCode(err, uniqueViolation) {
					return duplicatePerson(err)
				}
				return fmt.Errorf("insert imported people: %w", err)
			}
			for _, c := range created {
				idOfRow[c.Row] = c.ID
			}
		}
		if len(updates) > 0 {
			err := tx.Exec(`UPDATE people p SET kind = x.kind, name = x.name, email = x.email, phone = x.phone, nip = x.nip,
					jenjang = x.jenjang, golongan = x.golongan, organisation = x.organisation, unit = x.unit, employment = x.employment,
					tax_id_status = x.tax_id_status, tax_id = x.tax_id, expertise = x.expertise, experience_years = x.experience_years,
					zone = x.zone::indonesian_zone, share_profile = x.share_profile, version = p.version + 1, updated_at = ?
				FROM jsonb_to_recordset(?::jsonb) AS x(`+importColumns+`)
				WHERE p.id = x.id AND p.institution_id = ?`, at, jsonList(updates), inst).Error
			if err != nil {
				if isCode(err, uniqueViolation) {
					return duplicatePerson(err)
				}
				return fmt.Errorf("update imported people: %w", err)
			}
			for _, u := range updates {
				idOfRow[u.Row] = u.ID
			}
		}
		type competencyLine struct {
			PersonID       int64  `json:"person_id"`
			CompetencyID   int64  `json:"competency_id"`
			Level          int    `json:"level"`
			Years          int    `json:"years"`
			SessionsTaught int    `json:"sessions_taught"`
			Evidence       string `json:"evidence"`
		}
		var replaced []int64
		var lines []competencyLine
		type auditLine struct {
			ID     int64           `json:"id"`
			Action string          `json:"action"`
			Before json.RawMessage `json:"before"`
			After  json.RawMessage `json:"after"`
		}
		audits := make([]auditLine, 0, len(changes))
		for i, c := range changes {
			id := idOfRow[c.Row]
			if id == 0 {
				return fmt.Errorf("imported row %d got no person id", c.Row)
			}
			ids[i] = id
			after := c.After
			after.ID = id
			line := auditLine{ID: id, Action: "create", Before: json.RawMessage("null"), After: importAudit(after, c.ReplaceCompetencies)}
			if c.Before != nil {
				line.Action = "update"
				line.Before = importAudit(*c.Before, c.ReplaceCompetencies)
			}
			audits = append(audits, line)
			if !c.ReplaceCompetencies {
				continue
			}
			replaced = append(replaced, id)
			for _, pc := range c.After.Competencies {
				lines = append(lines, competencyLine{PersonID: id, CompetencyID: pc.CompetencyID, Level: pc.Level, Years: pc.Years,
					SessionsTaught: pc.SessionsTaught, Evidence: pc.Evidence})
			}
		}
		if len(replaced) > 0 {
			if err := tx.Exec(`DELETE FROM person_competencies WHERE person_id IN (SELECT jsonb_array_elements_text(?::jsonb)::bigint)`,
				jsonList(replaced)).Error; err != nil {
				return fmt.Errorf("clear imported competencies: %w", err)
			}
		}
		if len(lines) > 0 {
			if err := tx.Exec(`INSERT INTO person_competencies (person_id, competency_id, level, years, sessions_taught, evidence)
				SELECT person_id, competency_id, level, years, sessions_taught, evidence FROM jsonb_to_recordset(?::jsonb)
					AS x(person_id bigint, competency_id bigint, level smallint, years int, sessions_taught int, evidence text)`,
				jsonList(lines)).Error; err != nil {
				return fmt.Errorf("insert imported competencies: %w", err)
			}
		}
		a := audit.ActorFrom(ctx)
		err := tx.Exec(`INSERT INTO audit_log (at, institution_id, actor_key_id, actor_user_id, actor_role, request_id, action, entity, entity_id, before, after)
			SELECT ?, ?, ?, ?, ?, ?, x.action, 'person', x.id, x.before, x.after
			FROM jsonb_to_recordset(?::jsonb) AS x(id bigint, action text, before jsonb, after jsonb)`,
			at, inst, nullable(a.KeyID), nullable(a.UserID), a.Role, a.RequestID, jsonList(audits)).Error
		if err != nil {
			return fmt.Errorf("write import audit log: %w", err)
		}
		return nil
	})
	return ids, err
}

// importAudit is a person as an audit row records it: the stored columns,
// plus the competencies when the import replaced them.
func importAudit(p profile.Person, competencies bool) json.RawMessage {
	row := personToRow(p)
	if !competencies {
		b, _ := json.Marshal(row)
		return b
	}
	type level struct {
		Code  string `json:"code"`
		Level int    `json:"level"`
	}
	cs := make([]level, len(p.Competencies))
	for i, c := range p.Competencies {
		cs[i] = level{Code: c.Code, Level: c.Level}
	}
	b, _ := json.Marshal(struct {
		personRow
		Competencies []level `json:"competencies"`
	}{row, cs})
	return b
}
