package app

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"golang.org/x/sync/semaphore"
	"gorm.io/gorm"

	"sinergi/api"
	"sinergi/matching"
	"sinergi/postgres"
)

// Defaults of Config.MaxBookingTx and Config.MatchingPoll.
const (
	defaultBookingTx    = 1
	defaultMatchingPoll = time.Second
)

// admitted bounds the booking transactions (scheduling's use cases) that
// run at once in this replica; the others wait for a turn before they open
// one. By default they take turns one at a time: each booking then runs
// without a queue of others inside the database, and rankings keep most
// of the processor (on two cores, 2 or 4 at once booked a little faster
// and doubled a ranking's time among 60,000 people; bench/rank-busy.sh).
// Until migration 00021 every booking held the one epoch row's lock to its
// commit, which serialised bookings across all replicas; this serialises
// them per replica, outside the database. A use case called inside one
// that was admitted (applying a proposal books each slot) joins it
// without a second turn.
type admitted struct {
	tx interface {
		Do(ctx context.Context, f func(ctx context.Context) error) error
	}
	sem *semaphore.Weighted
}

type admittedKey struct{}

func (a admitted) Do(ctx context.Context, f func(ctx context.Context) error) error {
	if ctx.Value(admittedKey{}) != nil {
		return a.tx.Do(ctx, f)
	}
	if err := a.sem.Acquire(ctx, 1); err != nil {
		return err
	}
	defer a.sem.Release(1)
	return a.tx.Do(context.WithValue(ctx, admittedKey{}, true), f)
}

// Watch keeps this replica in step with the database until ctx ends: it
// listens for the database's notifications (postgres.Listen) and, on each,
// has the matching index refresh at once and drops a revoked API key from
// the cache; the index also refreshes every Config.MatchingPoll, in case a
// notification is lost. `sinergi serve` runs it beside the server.
func (a *App) Watch(ctx context.Context) {
	WatchMatching(ctx, a.matchDB, a.Matching.Cache, a.poll, a.API, a.log)
}

// WatchMatching is Watch for a matching cache and an API server (nil:
// none) over db.
func WatchMatching(ctx context.Context, db *gorm.DB, cache *matching.Cache, poll time.Duration, srv *api.Server, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	go cache.Run(ctx, poll, func(err error) { log.Warn("matching index refresh failed", "err", err) })
	postgres.Listen(ctx, db, []string{postgres.MatchingChannel, postgres.APIKeysChannel},
		func(n postgres.Notification) {
			switch n.Channel {
			case postgres.MatchingChannel:
				cache.Wake()
			case postgres.APIKeysChannel:
				if srv == nil {
					return
				}
				if id, err := strconv.ParseInt(n.Payload, 10, 64); err == nil {
					srv.ForgetKey(id)
				} else {
					srv.ForgetKeys()
				}
			}
		},
		func() {
			// Whatever was announced while nobody listened is read now.
			cache.Wake()
			if srv != nil {
				srv.ForgetKeys()
			}
		},
		func(err error) {
			log.Warn("listening for database notifications failed; polling meanwhile", "err", err)
		})
}
