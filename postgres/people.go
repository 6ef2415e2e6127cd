package postgres

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/profile"
)

// PeopleStore implements profile.Store. Tax numbers (NPWP/NIK) are sealed
// at rest under KEK, the key that seals the signing keys.
type PeopleStore struct {
	DB  *gorm.DB
	KEK []byte
	// Now stamps updates, archiving and the keys it revokes; nil reads the
	// system clock.
	Now func() time.Time
}

// taxIDAAD binds a sealed tax number to its column.
var taxIDAAD = []byte("people.tax_id")

// sealTaxID moves the tax number of row into its sealed column.
func (s PeopleStore) sealTaxID(row *personRow) error {
	row.TaxIDSealed = nil
	if row.TaxID == "" {
		return nil
	}
	if len(s.KEK) == 0 {
		return errors.New("SIGNING_KEK is needed to store a tax number (it is sealed at rest)")
	}
	sealed, err := sealer(s.KEK).seal([]byte(row.TaxID), taxIDAAD)
	if err != nil {
		return fmt.Errorf("seal tax number: %w", err)
	}
	row.TaxID, row.TaxIDSealed = "", sealed
	return nil
}

// person converts a row, opening its sealed tax number.
func (s PeopleStore) person(row personRow) (profile.Person, error) {
	p := row.toDomain()
	if len(row.TaxIDSealed) > 0 {
		plain, err := sealer(s.KEK).open(row.TaxIDSealed, taxIDAAD)
		if err != nil {
			return profile.Person{}, fmt.Errorf("open the tax number of person %d (wrong SIGNING_KEK?): %w", row.ID, err)
		}
		p.TaxID = string(plain)
	}
	return p, nil
}

// SealTaxIDs seals tax numbers stored before they were sealed, and
// returns how many it sealed.
func (s PeopleStore) SealTaxIDs(ctx context.Context) (int, error) {
	var rows []personRow
	if err := conn(ctx, s.DB).Where("tax_id <> ''").Find(&rows).Error; err != nil {
		return 0, fmt.Errorf("load unsealed tax numbers: %w", err)
	}
	for _, r := range rows {
		if err := s.sealTaxID(&r); err != nil {
			return 0, err
		}
		if err := conn(ctx, s.DB).Model(&personRow{}).Where("id = ?", r.ID).
			Updates(map[string]any{"tax_id": "", "tax_id_sealed": r.TaxIDSealed}).Error; err != nil {
			return 0, fmt.Errorf("seal the tax number of person %d: %w", r.ID, err)
		}
	}
	return len(rows), nil
}

type personRow struct {
	ID              int64
	InstitutionID   int64
	Kind            string
	Name            string
	Email           string
	Phone           string
	NIP             *string `gorm:"column:nip"`
	Jenjang         *string
	Golongan        *string
	Organisation    string
	Unit            string
	Employment      string
	TaxIDStatus     string   `gorm:"column:tax_id_status"`
	TaxID           string   `gorm:"column:tax_id"`
	TaxIDSealed     []byte   `gorm:"column:tax_id_sealed"`
	Expertise       []string `gorm:"serializer:json"`
	ExperienceYears int
	Zone            string
	ShareProfile    bool
	Version         int
	ArchivedAt      *time.Time
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (personRow) TableName() string { return "people" }

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func value(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func personToRow(p profile.Person) personRow {
	return personRow{ID: p.ID, InstitutionID: p.InstitutionID, Kind: string(p.Kind), Name: p.Name, Email: p.Email,
		Phone: p.Phone, NIP: optional(p.NIP), Jenjang: optional(string(p.Jenjang)), Golongan: optional(p.Golongan),
		Organisation: p.Organisation, Unit: p.Unit, Employment: string(p.Employment), TaxIDStatus: string(p.TaxIDStatus),
		TaxID: p.TaxID, Expertise: append([]string{}, p.Expertise...), ExperienceYears: p.ExperienceYears, Zone: p.Zone,
		ShareProfile: p.ShareProfile, Version: p.Version, ArchivedAt: p.ArchivedAt, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func (r personRow) toDomain() profile.Person {
	return profile.Person{ID: r.ID, InstitutionID: r.InstitutionID, Kind: profile.Kind(r.Kind), Name: r.Name, Email: r.Email,
		Phone: r.Phone, NIP: value(r.NIP), Jenjang: profile.Jenjang(value(r.Jenjang)), Golongan: value(r.Golongan),
		Organisation: r.Organisation, Unit: r.Unit, Employment: profile.Employment(r.Employment),
		TaxIDStatus: profile.TaxIDStatus(r.TaxIDStatus), TaxID: r.TaxID, Expertise: r.Expertise, ExperienceYears: r.ExperienceYears,
		Zone: r.Zone, ShareProfile: r.ShareProfile, Version: r.Version, ArchivedAt: r.ArchivedAt,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// duplicatePerson names the field a unique violation on people is about.
func duplicatePerson(err error) error {
	field := "email"
	if strings.Contains(constraintOf(err), "nip") {
		field = "nip"
	}
	e := *profile.ErrDuplicate
	e.Fields = map[string]string{field: "is already used by another person in this institution"}
	return &e
}

// CreatePerson implements profile.Store.
func (s PeopleStore) CreatePerson(ctx context.Context, p profile.Person) (profile.Person, error) {
	row := personToRow(p)
	if err := s.sealTaxID(&row); err != nil {
		return profile.Person{}, err
	}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return duplicatePerson(err)
			}
			return fmt.Errorf("insert person: %w", err)
		}
		return writeAudit(ctx, tx, row.InstitutionID, "create", "person", row.ID, nil, row)
	})
	if err != nil {
		return profile.Person{}, err
	}
	out, err := s.person(row)
	if err != nil {
		return profile.Person{}, err
	}
	out.Competencies = []profile.PersonCompetency{}
	return out, nil
}

// sharedClause admits practitioners of other institutions who opted in.
const sharedClause = "(share_profile AND kind = 'practitioner' AND archived_at IS NULL)"

// Person implements profile.Store.
func (s PeopleStore) Person(ctx context.Context, inst, id int64, shared bool) (profile.Person, error) {
	q := conn(ctx, s.DB).Where("id = ?", id)
	if shared {
		q = q.Where("(institution_id = ? OR "+sharedClause+")", inst)
	} else {
		q = q.Where("institution_id = ?", inst)
	}
	var row personRow
	if err := q.Take(&row).Error; err != nil {
		return profile.Person{}, notFound(err, "person", id)
	}
	p, err := s.person(row)
	if err != nil {
		return profile.Person{}, err
	}
	comps, err := s.competenciesOf(ctx, conn(ctx, s.DB), []int64{id})
	if err != nil {
		return profile.Person{}, err
	}
	p.Competencies = comps[id]
	return p, nil
}

// UpdatePerson implements profile.Store with optimistic locking on version.
func (s PeopleStore) UpdatePerson(ctx context.Context, p profile.Person) (profile.Person, error) {
	var out profile.Person
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var before personRow
		if err := tx.Clauses(forUpdate()).Where("id = ? AND institution_id = ?", p.ID, p.InstitutionID).Take(&before).Error; err != nil {
			return notFound(err, "person", p.ID)
		}
		if before.Version != p.Version {
			return profile.ErrStaleVersion
		}
		if before.ArchivedAt != nil {
			return profile.ErrPersonArchive
		}
		row := personToRow(p)
		if err := s.sealTaxID(&row); err != nil {
			return err
		}
		row.Version = before.Version + 1
		row.CreatedAt = before.CreatedAt
		row.UpdatedAt = clock(s.Now)
		if err := tx.Select("*").Omit("id", "institution_id", "created_at", "archived_at").Updates(&row).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return duplicatePerson(err)
			}
			return fmt.Errorf("update person %d: %w", p.ID, err)
		}
		var err error
		if out, err = s.person(row); err != nil {
			return err
		}
		return writeAudit(ctx, tx, p.InstitutionID, "update", "person", p.ID, before, row)
	})
	if err != nil {
		return profile.Person{}, err
	}
	comps, err := s.competenciesOf(ctx, conn(ctx, s.DB), []int64{p.ID})
	out.Competencies = comps[p.ID]
	return out, err
}

// ArchivePerson implements profile.Store; archiving twice is harmless.
func (s PeopleStore) ArchivePerson(ctx context.Context, inst, id int64) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var before personRow
		if err := tx.Clauses(forUpdate()).Where("id = ? AND institution_id = ?", id, inst).Take(&before).Error; err != nil {
			return notFound(err, "person", id)
		}
		if before.ArchivedAt != nil {
			return nil
		}
		now := clock(s.Now)
		res := tx.Exec("UPDATE people SET archived_at = ?, updated_at = ?, version = version + 1 WHERE id = ?", now, now, id)
		if res.Error != nil {
			return fmt.Errorf("archive person %d: %w", id, res.Error)
		}
		var revoked []int64
		if err := tx.Raw("UPDATE api_keys SET revoked_at = ? WHERE person_id = ? AND revoked_at IS NULL RETURNING id", now, id).
			Scan(&revoked).Error; err != nil {
			return fmt.Errorf("revoke keys of person %d: %w", id, err)
		}
		for _, k := range revoked {
			if err := writeAudit(ctx, tx, inst, "revoke", "api_key", k, map[string]any{"revoked_at": nil},
				map[string]any{"revoked_at": now, "reason": "person archived"}); err != nil {
				return err
			}
		}
		return writeAudit(ctx, tx, inst, "archive", "person", id, before, map[string]any{"archived": true, "archived_at": now})
	})
}

// UnarchivePerson implements profile.Store; the person's keys revoked at
// archiving stay revoked (new ones are issued as for anyone).
func (s PeopleStore) UnarchivePerson(ctx context.Context, inst, id int64) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var before personRow
		if err := tx.Clauses(forUpdate()).Where("id = ? AND institution_id = ?", id, inst).Take(&before).Error; err != nil {
			return notFound(err, "person", id)
		}
		if before.ArchivedAt == nil {
			return nil
		}
		now := clock(s.Now)
		if err := tx.Exec("UPDATE people SET archived_at = NULL, updated_at = ?, version = version + 1 WHERE id = ?", now, id).Error; err != nil {
			return fmt.Errorf("unarchive person %d: %w", id, err)
		}
		return writeAudit(ctx, tx, inst, "unarchive", "person", id, map[string]any{"archived": true, "archived_at": before.ArchivedAt},
			map[string]any{"archived": false})
	})
}

// cursor is the opaque position after the last row of a page.
type cursor struct {
	Sort string `json:"s"`
	Key  string `json:"k"`
	ID   int64  `json:"i"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s, sort string) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &c) != nil || c.Sort != sort {
		return c, errs.Invalidf("cursor", "is not a cursor from this listing; start again without it")
	}
	return c, nil
}

// sortColumns maps a sort name to its column and direction.
var sortColumns = map[string]struct {
	col  string
	desc bool
}{
	"name": {"name", false}, "-name": {"name", true},
	"created_at": {"created_at", false}, "-created_at": {"created_at", true},
}

// ListPeople implements profile.Store with keyset pagination, so pages stay
// stable while rows are added.
func (s PeopleStore) ListPeople(ctx context.Context, inst int64, f profile.Filter) (profile.Page, error) {
	if f.Sort == "" {
		f.Sort = "name"
	}
	sc, ok := sortColumns[f.Sort]
	if !ok {
		return profile.Page{}, errs.Invalidf("sort", "must be name, -name, created_at or -created_at")
	}
	q := conn(ctx, s.DB).Model(&personRow{})
	if f.IncludeShared {
		q = q.Where("(institution_id = ? OR "+sharedClause+")", inst)
	} else {
		q = q.Where("institution_id = ?", inst)
	}
	switch {
	case f.OnlyArchived:
		q = q.Where("archived_at IS NOT NULL")
	case !f.IncludeArchived:
		q = q.Where("archived_at IS NULL")
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Zone != "" {
		q = q.Where("zone = ?", f.Zone)
	}
	if f.Q != "" {
		like := "%" + escapeLike(f.Q) + "%"
		q = q.Where("(name ILIKE ? OR organisation ILIKE ? OR nip LIKE ?)", like, like, escapeLike(f.Q)+"%")
	}
	if f.Competency != "" {
		q = q.Where(`EXISTS (SELECT 1 FROM person_competencies pc JOIN competencies c ON c.id = pc.competency_id
			WHERE pc.person_id = people.id AND c.code = ? AND pc.level >= ?
			AND (c.institution_id IS NULL OR c.institution_id = people.institution_id))`, f.Competency, max(f.MinLevel, 1))
	}
	op, dir := ">", "ASC"
	if sc.desc {
		op, dir = "<", "DESC"
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor, f.Sort)
		if err != nil {
			return profile.Page{}, err
		}
		var key any = c.Key
		if sc.col == "created_at" {
			t, err := time.Parse(time.RFC3339Nano, c.Key)
			if err != nil {
				return profile.Page{}, errs.Invalidf("cursor", "is not a cursor from this listing; start again without it")
			}
			key = t
		}
		q = q.Where(fmt.Sprintf("(%s, id) %s (?, ?)", sc.col, op), key, c.ID)
	}
	var rows []personRow
	if err := q.Order(fmt.Sprintf("%s %s, id %s", sc.col, dir, dir)).Limit(f.Limit + 1).Find(&rows).Error; err != nil {
		return profile.Page{}, fmt.Errorf("list people: %w", err)
	}
	page := profile.Page{Items: make([]profile.Person, 0, len(rows))}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		key := last.Name
		if sc.col == "created_at" {
			key = last.CreatedAt.UTC().Format(time.RFC3339Nano)
		}
		page.NextCursor = cursor{Sort: f.Sort, Key: key, ID: last.ID}.encode()
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	comps, err := s.competenciesOf(ctx, conn(ctx, s.DB), ids)
	if err != nil {
		return profile.Page{}, err
	}
	for _, r := range rows {
		p, err := s.person(r)
		if err != nil {
			return profile.Page{}, err
		}
		p.Competencies = comps[r.ID]
		page.Items = append(page.Items, p)
	}
	return page, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

type personCompetencyRow struct {
	PersonID       int64
	CompetencyID   int64
	Code           string
	Name           string
	Type           string
	Level          int
	Years          int
	SessionsTaught int
	Evidence       string
}

// competenciesOf loads the competencies of many people in one query.
func (s PeopleStore) competenciesOf(ctx context.Context, db *gorm.DB, ids []int64) (map[int64][]profile.PersonCompetency, error) {
	out := make(map[int64][]profile.PersonCompetency, len(ids))
	for _, id := range ids {
		out[id] = []profile.PersonCompetency{}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []personCompetencyRow
	err := db.WithContext(ctx).Raw(`SELECT pc.person_id, pc.competency_id, c.code, c.name, c.type, pc.level, pc.years,
			pc.sessions_taught, pc.evidence
		FROM person_competencies pc JOIN competencies c ON c.id = pc.competency_id
		WHERE pc.person_id IN ? ORDER BY pc.person_id, c.type, c.code`, ids).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load competencies: %w", err)
	}
	for _, r := range rows {
		out[r.PersonID] = append(out[r.PersonID], profile.PersonCompetency{CompetencyID: r.CompetencyID, Code: r.Code,
			Name: r.Name, Type: profile.CompetencyType(r.Type), Level: r.Level, Years: r.Years,
			SessionsTaught: r.SessionsTaught, Evidence: r.Evidence})
	}
	return out, nil
}

// ReplaceCompetencies implements profile.Store. Every competency must be
// national or the person's institution's own.
func (s PeopleStore) ReplaceCompetencies(ctx context.Context, inst, personID int64, version int, cs []profile.PersonCompetency) ([]profile.PersonCompetency, error) {
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var p personRow
		if err := tx.Clauses(forUpdate()).Where("id = ? AND institution_id = ?", personID, inst).Take(&p).Error; err != nil {
			return notFound(err, "person", personID)
		}
		if version != 0 && p.Version != version {
			return profile.ErrStaleVersion
		}
		if p.ArchivedAt != nil {
			return profile.ErrPersonArchive
		}
		ids := make([]int64, len(cs))
		for i, c := range cs {
			ids[i] = c.CompetencyID
		}
		if len(ids) > 0 {
			var usable []int64
			if err := tx.Raw("SELECT id FROM competencies WHERE id IN ? AND (institution_id IS NULL OR institution_id = ?)", ids, inst).
				Scan(&usable).Error; err != nil {
				return fmt.Errorf("check competencies: %w", err)
			}
			ok := map[int64]bool{}
			for _, id := range usable {
				ok[id] = true
			}
			f := errs.Fields{}
			for i, id := range ids {
				if !ok[id] {
					f.Add(fmt.Sprintf("competencies[%d].competency_id", i), "is not a competency of this institution's taxonomy")
				}
			}
			if err := f.Err(); err != nil {
				return err
			}
		}
		before, err := s.competenciesOf(ctx, tx, []int64{personID})
		if err != nil {
			return err
		}
		if err := tx.Exec("DELETE FROM person_competencies WHERE person_id = ?", personID).Error; err != nil {
			return fmt.Errorf("clear competencies: %w", err)
		}
		for _, c := range cs {
			if err := tx.Exec(`INSERT INTO person_competencies (person_id, competency_id, level, years, sessions_taught, evidence)
				VALUES (?, ?, ?, ?, ?, ?)`, personID, c.CompetencyID, c.Level, c.Years, c.SessionsTaught, c.Evidence).Error; err != nil {
				return fmt.Errorf("insert competency: %w", err)
			}
		}
		if err := tx.Exec("UPDATE people SET version = version + 1, updated_at = clock_timestamp() WHERE id = ?", personID).Error; err != nil {
			return fmt.Errorf("bump person version: %w", err)
		}
		return writeAudit(ctx, tx, inst, "replace_competencies", "person", personID, before[personID], cs)
	})
	if err != nil {
		return nil, err
	}
	comps, err := s.competenciesOf(ctx, conn(ctx, s.DB), []int64{personID})
	return comps[personID], err
}

type competencyRow struct {
	ID            int64
	InstitutionID *int64
	Type          string
	Code          string
	Name          string
	Description   string
}

func (competencyRow) TableName() string { return "competencies" }

func (r competencyRow) toDomain() profile.Competency {
	return profile.Competency{ID: r.ID, InstitutionID: deref(r.InstitutionID), Type: profile.CompetencyType(r.Type),
		Code: r.Code, Name: r.Name, Description: r.Description}
}

// Competencies implements profile.Store: the national taxonomy plus inst's own.
func (s PeopleStore) Competencies(ctx context.Context, inst int64) ([]profile.Competency, error) {
	var rows []competencyRow
	err := conn(ctx, s.DB).Where("institution_id IS NULL OR institution_id = ?", inst).
		Order("CASE type WHEN 'manajerial' THEN 1 WHEN 'sosial_kultural' THEN 2 ELSE 3 END, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list competencies: %w", err)
	}
	out := make([]profile.Competency, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CreateCompetency implements profile.Store.
func (s PeopleStore) CreateCompetency(ctx context.Context, c profile.Competency) (profile.Competency, error) {
	row := competencyRow{InstitutionID: nullable(c.InstitutionID), Type: string(c.Type), Code: c.Code, Name: c.Name, Description: c.Description}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var clash int64
		tx.Raw("SELECT count(*) FROM competencies WHERE code = ? AND institution_id IS NULL", c.Code).Scan(&clash)
		if clash > 0 {
			return profile.ErrDuplicateCompetency.WithMessage("that code is a national competency").WithDetails(map[string]any{"code": c.Code})
		}
		if err := tx.Create(&row).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return profile.ErrDuplicateCompetency
			}
			return fmt.Errorf("insert competency: %w", err)
		}
		return writeAudit(ctx, tx, c.InstitutionID, "create", "competency", row.ID, nil, row)
	})
	return row.toDomain(), err
}
