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

// AccountStore implements tenant.AccountStore.
type AccountStore struct {
	DB *gorm.DB
	// Now stamps accounts made for trainers; nil reads the system clock.
	Now func() time.Time
}

type userRow struct {
	ID            int64
	InstitutionID *int64
	PersonID      *int64
	Email         string
	Name          string
	Role          string
	PasswordHash  string `json:"-"`
	Lang          string
	CreatedAt     time.Time
	DisabledAt    *time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) toDomain() tenant.User {
	return tenant.User{ID: r.ID, InstitutionID: deref(r.InstitutionID), PersonID: deref(r.PersonID), Email: r.Email,
		Name: r.Name, Role: tenant.Role(r.Role), Lang: r.Lang, CreatedAt: r.CreatedAt, DisabledAt: r.DisabledAt}
}

func (s AccountStore) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now()
}

// CreateUser implements tenant.AccountStore.
func (s AccountStore) CreateUser(ctx context.Context, u tenant.User, hash string) (tenant.User, error) {
	row := userRow{InstitutionID: nullable(u.InstitutionID), PersonID: nullable(u.PersonID), Email: u.Email, Name: u.Name,
		Role: string(u.Role), PasswordHash: hash, Lang: u.Lang, CreatedAt: s.now()}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return tenant.ErrDuplicateUser
			}
			if isCode(err, foreignKeyViolation) {
				return errs.Invalidf("institution", "tidak ada")
			}
			return fmt.Errorf("insert user: %w", err)
		}
		return writeAudit(ctx, tx, u.InstitutionID, "create", "user", row.ID, nil, row)
	})
	return row.toDomain(), err
}

// UserByEmail implements tenant.AccountStore.
func (s AccountStore) UserByEmail(ctx context.Context, email string) (tenant.User, string, error) {
	var row userRow
	err := conn(ctx, s.DB).Where("email = ? AND role <> 'trainer'", email).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return tenant.User{}, "", errs.NotFoundf("user not found")
	}
	return row.toDomain(), row.PasswordHash, err
}

// User implements tenant.AccountStore.
func (s AccountStore) User(ctx context.Context, inst, id int64) (tenant.User, error) {
	var row userRow
	q := conn(ctx, s.DB)
	if inst != 0 {
		q = q.Where("institution_id = ?", inst)
	}
	err := q.Take(&row, id).Error
	return row.toDomain(), notFound(err, "user", id)
}

// Users implements tenant.AccountStore.
func (s AccountStore) Users(ctx context.Context, inst int64) ([]tenant.User, error) {
	var rows []userRow
	if err := conn(ctx, s.DB).Where("institution_id = ? AND role <> 'trainer'", inst).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]tenant.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// TrainerUsers implements tenant.AccountStore.
func (s AccountStore) TrainerUsers(ctx context.Context, email string) ([]tenant.User, error) {
	db := conn(ctx, s.DB)
	if err := db.Exec(`INSERT INTO users (institution_id, person_id, email, name, role, created_at)
		SELECT p.institution_id, p.id, p.email, p.name, 'trainer', ? FROM people p
		WHERE p.email = ? AND p.archived_at IS NULL
		ON CONFLICT (person_id) DO NOTHING`, s.now(), email).Error; err != nil {
		return nil, fmt.Errorf("trainer accounts: %w", err)
	}
	var rows []userRow
	if err := db.Raw(`SELECT u.* FROM users u JOIN people p ON p.id = u.person_id
		WHERE p.email = ? AND p.archived_at IS NULL AND u.disabled_at IS NULL ORDER BY u.id`, email).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]tenant.User, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// SetLang implements tenant.AccountStore.
func (s AccountStore) SetLang(ctx context.Context, userID int64, lang string) error {
	return conn(ctx, s.DB).Exec(`UPDATE users SET lang = ? WHERE id = ?`, lang, userID).Error
}

// CreateWebSession implements tenant.AccountStore.
func (s AccountStore) CreateWebSession(ctx context.Context, userID int64, hash []byte, now, expires time.Time) error {
	return conn(ctx, s.DB).Exec(`INSERT INTO web_sessions (user_id, created_at, last_seen_at, expires_at, hash) VALUES (?, ?, ?, ?, ?)`,
		userID, now, now, expires, hash).Error
}

// WebSession implements tenant.AccountStore.
func (s AccountStore) WebSession(ctx context.Context, hash []byte) (tenant.WebSession, error) {
	var row struct {
		ID                               int64
		UserID                           int64
		CreatedAt, LastSeenAt, ExpiresAt time.Time
	}
	err := conn(ctx, s.DB).Raw(`SELECT id, user_id, created_at, last_seen_at, expires_at FROM web_sessions WHERE hash = ?`, hash).
		Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return tenant.WebSession{}, errs.NotFoundf("session not found")
	}
	if err != nil {
		return tenant.WebSession{}, err
	}
	u, err := s.User(ctx, 0, row.UserID)
	if err != nil {
		return tenant.WebSession{}, err
	}
	return tenant.WebSession{ID: row.ID, User: u, CreatedAt: row.CreatedAt, LastSeenAt: row.LastSeenAt, ExpiresAt: row.ExpiresAt}, nil
}

// TouchWebSession implements tenant.AccountStore.
func (s AccountStore) TouchWebSession(ctx context.Context, id int64, now time.Time) error {
	return conn(ctx, s.DB).Exec(`UPDATE web_sessions SET last_seen_at = ? WHERE id = ?`, now, id).Error
}

// DeleteWebSession implements tenant.AccountStore.
func (s AccountStore) DeleteWebSession(ctx context.Context, hash []byte) error {
	return conn(ctx, s.DB).Exec(`DELETE FROM web_sessions WHERE hash = ?`, hash).Error
}

// DeleteUserSessions implements tenant.AccountStore.
func (s AccountStore) DeleteUserSessions(ctx context.Context, userID int64) (int, error) {
	var n int64
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM web_sessions WHERE user_id = ?`, userID)
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		var inst *int64
		if err := tx.Raw(`SELECT institution_id FROM users WHERE id = ?`, userID).Scan(&inst).Error; err != nil {
			return err
		}
		return writeAudit(ctx, tx, deref(inst), "sign_out_everywhere", "user", userID, nil, map[string]any{"sessions": n})
	})
	return int(n), err
}

// DisableUser implements tenant.AccountStore.
func (s AccountStore) DisableUser(ctx context.Context, id int64, at time.Time) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var row userRow
		if err := tx.Take(&row, id).Error; err != nil {
			return notFound(err, "user", id)
		}
		before := row
		row.DisabledAt = &at
		if err := tx.Exec(`UPDATE users SET disabled_at = ? WHERE id = ?`, at, id).Error; err != nil {
			return fmt.Errorf("disable user %d: %w", id, err)
		}
		return writeAudit(ctx, tx, deref(row.InstitutionID), "disable", "user", id, before, row)
	})
}

// RecordFailure implements tenant.AccountStore.
func (s AccountStore) RecordFailure(ctx context.Context, email string, at time.Time) error {
	return conn(ctx, s.DB).Exec(`INSERT INTO login_failures (email, at) VALUES (?, ?)`, email, at).Error
}

// Failures implements tenant.AccountStore.
func (s AccountStore) Failures(ctx context.Context, email string, since time.Time) (int, error) {
	var n int
	err := conn(ctx, s.DB).Raw(`SELECT count(*) FROM login_failures WHERE email = ? AND at > ?`, email, since).Scan(&n).Error
	return n, err
}

// ClearFailures implements tenant.AccountStore.
func (s AccountStore) ClearFailures(ctx context.Context, email string) error {
	return conn(ctx, s.DB).Exec(`DELETE FROM login_failures WHERE email = ?`, email).Error
}

// CreateLoginLink implements tenant.AccountStore.
func (s AccountStore) CreateLoginLink(ctx context.Context, userID int64, hash []byte, now, expires time.Time) error {
	return conn(ctx, s.DB).Exec(`INSERT INTO login_links (user_id, created_at, expires_at, hash) VALUES (?, ?, ?, ?)`,
		userID, now, expires, hash).Error
}

// ConsumeLoginLink implements tenant.AccountStore.
func (s AccountStore) ConsumeLoginLink(ctx context.Context, hash []byte, now time.Time) (int64, error) {
	var ids []int64
	err := conn(ctx, s.DB).Raw(`UPDATE login_links SET used_at = ? WHERE used_at IS NULL AND expires_at > ? AND hash = ?
		RETURNING user_id`, now, now, hash).Scan(&ids).Error
	if err != nil {
		return 0, err
	}
	if len(ids) == 0 {
		return 0, tenant.ErrLinkInvalid
	}
	return ids[0], nil
}

// Purge implements tenant.AccountStore.
func (s AccountStore) Purge(ctx context.Context, now, idleBefore, failuresBefore time.Time) (int64, error) {
	var n int64
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM web_sessions WHERE expires_at <= ? OR last_seen_at <= ?`, []any{now, idleBefore}},
		{`DELETE FROM login_links WHERE used_at IS NOT NULL OR expires_at <= ?`, []any{now}},
		{`DELETE FROM login_failures WHERE at <= ?`, []any{failuresBefore}},
	} {
		res := conn(ctx, s.DB).Exec(q.sql, q.args...)
		if res.Error != nil {
			return n, res.Error
		}
		n += res.RowsAffected
	}
	return n, nil
}
