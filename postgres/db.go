// Package postgres implements every domain Store on PostgreSQL through gorm,
// applies the embedded migrations with goose, and maps driver errors to
// domain errors so that no SQLSTATE escapes this package.
package postgres

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	pgdriver "gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"sinergi/audit"
	"sinergi/migrations"
)

// Open connects to the database at dsn and checks that it answers within
// the context's deadline.
func Open(ctx context.Context, dsn string, maxConns int) (*gorm.DB, error) {
	db, err := gorm.Open(pgdriver.Open(dsn), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if maxConns > 0 {
		sqlDB.SetMaxOpenConns(maxConns)
		sqlDB.SetMaxIdleConns(maxConns)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.PingContext(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("reach database: %w", err)
	}
	return db, nil
}

// Close closes the pool behind db.
func Close(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

// Ping reports whether the database answers.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Migrator applies the embedded migrations. A Postgres advisory lock keeps
// replicas that start together from migrating at the same time.
func Migrator(db *gorm.DB) (*goose.Provider, error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	return newProvider(sqlDB)
}

func newProvider(sqlDB *sql.DB) (*goose.Provider, error) {
	locker, err := lock.NewPostgresSessionLocker()
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectPostgres, sqlDB, migrations.FS, goose.WithSessionLocker(locker))
}

// MigrateUp applies every pending migration and logs each one.
func MigrateUp(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
	p, err := Migrator(db)
	if err != nil {
		return err
	}
	results, err := p.Up(ctx)
	for _, r := range results {
		log.Info("migrated", "version", r.Source.Version, "file", r.Source.Path, "took", r.Duration)
	}
	if err != nil {
		return fmt.Errorf("migrate up: %w", err)
	}
	return nil
}

// SQLSTATEs this package maps.
const (
	uniqueViolation     = "23505"
	exclusionViolation  = "23P01"
	foreignKeyViolation = "23503"
	checkViolation      = "23514"
)

// pgError returns the Postgres error in err's chain, if any.
func pgError(err error) (*pgconn.PgError, bool) {
	var pe *pgconn.PgError
	ok := errors.As(err, &pe)
	return pe, ok
}

func isCode(err error, code string) bool {
	pe, ok := pgError(err)
	return ok && pe.Code == code
}

// constraintOf returns the constraint name of a Postgres error, or "".
func constraintOf(err error) string {
	if pe, ok := pgError(err); ok {
		return pe.ConstraintName
	}
	return ""
}

// writeAudit records a change in the same transaction as the change.
func writeAudit(ctx context.Context, tx *gorm.DB, inst int64, action, entity string, id int64, before, after any) error {
	a := audit.ActorFrom(ctx)
	row := auditRow{
		InstitutionID: nullable(inst),
		ActorKeyID:    nullable(a.KeyID),
		ActorUserID:   nullable(a.UserID),
		ActorRole:     a.Role,
		RequestID:     a.RequestID,
		Action:        action,
		Entity:        entity,
		EntityID:      nullable(id),
		Before:        jsonOrNil(before),
		After:         jsonOrNil(after),
	}
	if err := tx.Create(&row).Error; err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

type auditRow struct {
	ID            int64
	At            time.Time `gorm:"autoCreateTime"`
	InstitutionID *int64
	ActorKeyID    *int64
	ActorUserID   *int64
	ActorRole     string
	RequestID     string
	Action        string
	Entity        string
	EntityID      *int64
	Before        []byte `gorm:"type:jsonb"`
	After         []byte `gorm:"type:jsonb"`
}

func (auditRow) TableName() string { return "audit_log" }

func jsonOrNil(v any) []byte {
	if v == nil {
		return nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil
	}
	return b
}

func nullable(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func deref(p *int64) int64 {
	if p == nil {
		return 0
	}
	return *p
}

// notFound turns gorm's record-not-found into the domain error.
func notFound(err error, what string, id int64) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return errorsNotFound(what, id)
	}
	return err
}

// forUpdate is SELECT … FOR UPDATE.
func forUpdate() clause.Locking { return clause.Locking{Strength: "UPDATE"} }

// clock reads now, or the system clock when no clock was injected.
func clock(now func() time.Time) time.Time {
	if now == nil {
		return time.Now().UTC()
	}
	return now().UTC()
}
