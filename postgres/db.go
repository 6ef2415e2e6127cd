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
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	pgdriver "gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	"sinergi/audit"
	"sinergi/errs"
	"sinergi/migrations"
)

// Open connects to the database at dsn and checks that it answers within
// the context's deadline. Its connections have no time limits: it is for
// migrations, commands and tests; the served pool comes from OpenWith.
func Open(ctx context.Context, dsn string, maxConns int) (*gorm.DB, error) {
	return OpenWith(ctx, dsn, Options{MaxConns: maxConns})
}

// Options are the pool's size and time limits.
type Options struct {
	MaxConns int
	// StatementTimeout is each connection's statement_timeout: the server
	// cancels a statement running longer (0: none).
	StatementTimeout time.Duration
	// StallTimeout is how long a connection may wait for the server's
	// next bytes while a statement runs before it is given up as broken
	// (0: no limit). A server that is frozen or gone cannot cancel
	// anything itself; this is how requests learn of it.
	StallTimeout time.Duration
}

// stallConn gives up reading when the server has sent nothing for limit.
// pgx reads only while it awaits an answer, so an idle pooled connection
// is never cut. A deadline pgx sets itself (when a context ends) is kept:
// each read waits until the earlier of the two.
type stallConn struct {
	net.Conn
	limit time.Duration
	mu    sync.Mutex
	set   time.Time // the deadline pgx asked for; zero is none
}

func (c *stallConn) SetDeadline(t time.Time) error {
	c.mu.Lock()
	c.set = t
	c.mu.Unlock()
	return c.Conn.SetDeadline(t)
}

func (c *stallConn) SetReadDeadline(t time.Time) error {
	c.mu.Lock()
	c.set = t
	c.mu.Unlock()
	return c.Conn.SetReadDeadline(t)
}

func (c *stallConn) Read(b []byte) (int, error) {
	d := time.Now().Add(c.limit)
	c.mu.Lock()
	if !c.set.IsZero() && c.set.Before(d) {
		d = c.set
	}
	c.mu.Unlock()
	if err := c.Conn.SetReadDeadline(d); err != nil {
		return 0, err
	}
	return c.Conn.Read(b)
}

// OpenWith connects like Open, with the pool's time limits.
func OpenWith(ctx context.Context, dsn string, o Options) (*gorm.DB, error) {
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", err)
	}
	if o.StatementTimeout > 0 {
		pc.RuntimeParams["statement_timeout"] = fmt.Sprint(o.StatementTimeout.Milliseconds())
	}
	if o.StallTimeout > 0 {
		if pc.ConnectTimeout == 0 || pc.ConnectTimeout > o.StallTimeout {
			pc.ConnectTimeout = o.StallTimeout
		}
		dial, limit := pc.DialFunc, o.StallTimeout
		pc.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := dial(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			return &stallConn{Conn: c, limit: limit}, nil
		}
	}
	sqlDB := stdlib.OpenDB(*pc)
	db, err := gorm.Open(pgdriver.New(pgdriver.Config{Conn: sqlDB}), &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("open database: %w", err)
	}
	if o.MaxConns > 0 {
		sqlDB.SetMaxOpenConns(o.MaxConns)
		sqlDB.SetMaxIdleConns(o.MaxConns)
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

// courseExists answers not found unless the course belongs to inst, so
// that a use case given another institution's course id says 404, as it
// would for an id that never existed.
func courseExists(ctx context.Context, db *gorm.DB, inst, courseID int64) error {
	var found bool
	if err := conn(ctx, db).Raw(`SELECT EXISTS (SELECT 1 FROM courses WHERE id = ? AND institution_id = ?)`, courseID, inst).
		Scan(&found).Error; err != nil {
		return fmt.Errorf("look up course %d: %w", courseID, err)
	}
	if !found {
		return errs.NotFoundf("no course %d", courseID)
	}
	return nil
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
