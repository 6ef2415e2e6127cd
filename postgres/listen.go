package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"
)

// Channels the database notifies (migration 00021): a committed change to
// what the matching index holds, and a revoked or deleted API key (the
// payload is its id).
const (
	MatchingChannel = "sinergi_matching"
	APIKeysChannel  = "sinergi_api_keys"
)

// Notification is one message on a channel.
type Notification struct{ Channel, Payload string }

// listenCheck is how long the listener waits for a notification before it
// checks that its connection still answers.
const listenCheck = 30 * time.Second

// Listen holds one connection of db's pool, listens on channels and calls
// on for each notification, until ctx ends. Each time it starts listening
// (the first time and after a lost connection) it calls listening, since
// notifications sent while it was not may have been missed; a lost
// connection is reported to failed (if not nil) and opened again after a
// pause. Notifications are a wake-up, not a record: what they announce
// must also be found by polling.
func Listen(ctx context.Context, db *gorm.DB, channels []string, on func(Notification), listening func(), failed func(error)) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		began := time.Now()
		err := listenOnce(ctx, db, channels, on, listening)
		if ctx.Err() != nil {
			return
		}
		if failed != nil {
			failed(err)
		}
		if time.Since(began) > time.Minute {
			pause = 100 * time.Millisecond
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 10*time.Second)
	}
}

func listenOnce(ctx context.Context, db *gorm.DB, channels []string, on func(Notification), listening func()) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	c, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	defer c.Close()
	return c.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("listen: a %T is not a pgx connection", driverConn)
		}
		pc := sc.Conn()
		err := wait(ctx, pc, channels, on, listening)
		if ctx.Err() != nil && !pc.IsClosed() {
			// Back to the pool clean: a pooled connection must not listen.
			uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if _, uerr := pc.Exec(uctx, "UNLISTEN *"); uerr != nil {
				_ = pc.Close(uctx)
			}
		} else if err != nil && !pc.IsClosed() {
			cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = pc.Close(cctx) // the pool drops a closed connection
		}
		return err
	})
}

func wait(ctx context.Context, pc *pgx.Conn, channels []string, on func(Notification), listening func()) error {
	for _, ch := range channels {
		if _, err := pc.Exec(ctx, "LISTEN "+pgx.Identifier{ch}.Sanitize()); err != nil {
			return fmt.Errorf("listen on %s: %w", ch, err)
		}
	}
	if listening != nil {
		listening()
	}
	for {
		wctx, cancel := context.WithTimeout(ctx, listenCheck)
		n, err := pc.WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			on(Notification{Channel: n.Channel, Payload: n.Payload})
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
			// Quiet, or the pool's stall limit: check the connection
			// still answers, then wait again.
			if _, err := pc.Exec(ctx, "SELECT 1"); err != nil {
				return fmt.Errorf("listen: %w", err)
			}
		default:
			return fmt.Errorf("listen: %w", err)
		}
	}
}
