package postgres

import (
	"context"

	"gorm.io/gorm"
)

// txKey carries the transaction a use case opened, so that every store
// called with that context writes through it.
type txKey struct{}

// conn is the handle a store uses for ctx: the transaction a use case opened
// through Transactor, or the pool.
func conn(ctx context.Context, db *gorm.DB) *gorm.DB {
	if tx, ok := ctx.Value(txKey{}).(*gorm.DB); ok {
		return tx
	}
	return db.WithContext(ctx)
}

// Transactor runs a use case in one database transaction: every store called
// with the context it hands on joins that transaction, so a change and its
// side effects (audit row, outbox message, ledger row, change log) commit or
// roll back together.
type Transactor struct{ DB *gorm.DB }

// Do runs f in a transaction. Inside the one ctx already carries it is a
// savepoint: an error of f undoes f's writes and leaves the rest standing.
func (t Transactor) Do(ctx context.Context, f func(ctx context.Context) error) error {
	return conn(ctx, t.DB).Transaction(func(tx *gorm.DB) error {
		return f(context.WithValue(ctx, txKey{}, tx))
	})
}
