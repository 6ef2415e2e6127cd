package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/tenant"
)

// TenantStore implements tenant.Store.
type TenantStore struct {
	DB *gorm.DB
	// Now stamps revocations and expiries; nil reads the system clock.
	Now func() time.Time
}

type institutionRow struct {
	ID        int64
	Code      string
	Name      string
	Kind      string
	Zone      string
	CreatedAt time.Time
}

func (institutionRow) TableName() string { return "institutions" }

func (r institutionRow) toDomain() tenant.Institution {
	return tenant.Institution{ID: r.ID, Code: r.Code, Name: r.Name, Kind: r.Kind, Zone: r.Zone, CreatedAt: r.CreatedAt}
}

// apiKeyRow is also what the audit log records of a key (snake_case, as
// the API names it); the hash is never written there.
type apiKeyRow struct {
	ID            int64      `json:"id"`
	Prefix        string     `json:"prefix"`
	Hash          []byte     `json:"-"`
	Role          string     `json:"role"`
	InstitutionID *int64     `json:"institution_id"`
	PersonID      *int64     `json:"person_id"`
	Name          string     `json:"name"`
	CreatedAt     time.Time  `json:"created_at"`
	LastUsedAt    *time.Time `json:"last_used_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
}

func (apiKeyRow) TableName() string { return "api_keys" }

func (r apiKeyRow) toDomain() tenant.APIKey {
	return tenant.APIKey{ID: r.ID, Prefix: r.Prefix, Role: tenant.Role(r.Role), InstitutionID: deref(r.InstitutionID),
		PersonID: deref(r.PersonID), Name: r.Name, CreatedAt: r.CreatedAt, LastUsedAt: r.LastUsedAt, RevokedAt: r.RevokedAt}
}

// CreateInstitution implements tenant.Store.
func (s TenantStore) CreateInstitution(ctx context.Context, in tenant.Institution) (tenant.Institution, error) {
	row := institutionRow{Code: in.Code, Name: in.Name, Kind: in.Kind, Zone: in.Zone}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return tenant.ErrDuplicateCode
			}
			return fmt.Errorf("insert institution: %w", err)
		}
		return writeAudit(ctx, tx, row.ID, "create", "institution", row.ID, nil, row)
	})
	return row.toDomain(), err
}

// Institution implements tenant.Store.
func (s TenantStore) Institution(ctx context.Context, id int64) (tenant.Institution, error) {
	var row institutionRow
	err := conn(ctx, s.DB).Take(&row, id).Error
	return row.toDomain(), notFound(err, "institution", id)
}

// InstitutionByCode implements tenant.Store.
func (s TenantStore) InstitutionByCode(ctx context.Context, code string) (tenant.Institution, error) {
	var row institutionRow
	err := conn(ctx, s.DB).Where("code = ?", code).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return tenant.Institution{}, errs.NotFoundf("institution %s not found", code)
	}
	return row.toDomain(), err
}

// ListInstitutions implements tenant.Store.
func (s TenantStore) ListInstitutions(ctx context.Context) ([]tenant.Institution, error) {
	var rows []institutionRow
	if err := conn(ctx, s.DB).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list institutions: %w", err)
	}
	out := make([]tenant.Institution, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CreateKey implements tenant.Store.
func (s TenantStore) CreateKey(ctx context.Context, k tenant.APIKey, hash []byte) (tenant.APIKey, error) {
	row := apiKeyRow{Prefix: k.Prefix, Hash: hash, Role: string(k.Role), InstitutionID: nullable(k.InstitutionID),
		PersonID: nullable(k.PersonID), Name: k.Name}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if isCode(err, foreignKeyViolation) {
				return errs.NotFoundf("institution %d not found", k.InstitutionID)
			}
			return fmt.Errorf("insert api key: %w", err)
		}
		return writeAudit(ctx, tx, k.InstitutionID, "create", "api_key", row.ID, nil, row)
	})
	return row.toDomain(), err
}

// KeyByHash implements tenant.Store. last_used_at is refreshed at most once
// a minute so that authentication does not write on every request.
func (s TenantStore) KeyByHash(ctx context.Context, hash []byte) (tenant.APIKey, error) {
	var row apiKeyRow
	err := conn(ctx, s.DB).Where("hash = ? AND revoked_at IS NULL", hash).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return tenant.APIKey{}, errs.NotFoundf("key not found")
	}
	if err != nil {
		return tenant.APIKey{}, fmt.Errorf("look up api key: %w", err)
	}
	if row.LastUsedAt == nil || time.Since(*row.LastUsedAt) > time.Minute {
		conn(ctx, s.DB).Exec("UPDATE api_keys SET last_used_at = now() WHERE id = ?", row.ID)
	}
	return row.toDomain(), nil
}

// Key implements tenant.Store.
func (s TenantStore) Key(ctx context.Context, inst, id int64) (tenant.APIKey, error) {
	q := conn(ctx, s.DB).Where("id = ?", id)
	if inst != 0 {
		q = q.Where("institution_id = ?", inst)
	}
	var row apiKeyRow
	err := q.Take(&row).Error
	return row.toDomain(), notFound(err, "api key", id)
}

// ListKeys implements tenant.Store.
func (s TenantStore) ListKeys(ctx context.Context, inst int64) ([]tenant.APIKey, error) {
	var rows []apiKeyRow
	if err := conn(ctx, s.DB).Where("institution_id = ?", inst).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list api keys: %w", err)
	}
	out := make([]tenant.APIKey, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// RevokeKey implements tenant.Store; revoking twice is harmless.
func (s TenantStore) RevokeKey(ctx context.Context, id int64) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var row apiKeyRow
		if err := tx.Clauses(forUpdate()).Take(&row, id).Error; err != nil {
			return notFound(err, "api key", id)
		}
		if row.RevokedAt != nil {
			return nil
		}
		before := row
		now := clock(s.Now)
		row.RevokedAt = &now
		if err := tx.Model(&row).Update("revoked_at", now).Error; err != nil {
			return fmt.Errorf("revoke api key: %w", err)
		}
		return writeAudit(ctx, tx, deref(row.InstitutionID), "revoke", "api_key", id, before, row)
	})
}

// PersonInstitution implements tenant.Store.
func (s TenantStore) PersonInstitution(ctx context.Context, personID int64) (int64, error) {
	var inst int64
	err := conn(ctx, s.DB).Raw("SELECT institution_id FROM people WHERE id = ? AND archived_at IS NULL", personID).Scan(&inst).Error
	if err != nil {
		return 0, fmt.Errorf("look up person: %w", err)
	}
	if inst == 0 {
		return 0, errs.NotFoundf("person %d not found", personID)
	}
	return inst, nil
}
