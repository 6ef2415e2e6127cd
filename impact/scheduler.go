package impact

import (
	"context"
	"log/slog"
	"time"
)

// Scheduler moves follow-ups on as their dates come: it opens them,
// reminds, asks supervisors again and closes them, queueing the mail in
// the same transaction. Its state lives in the database, so it survives
// restarts, and any number of schedulers can run (rows are claimed with
// SKIP LOCKED and each message kind exists once per participant).
type Scheduler struct {
	Service  Service
	Interval time.Duration
	Batch    int
	Log      *slog.Logger
}

// Run polls until ctx ends.
func (s Scheduler) Run(ctx context.Context) {
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		s.Drain(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Drain handles every follow-up due now, a batch at a time.
func (s Scheduler) Drain(ctx context.Context) {
	for ctx.Err() == nil {
		handled, queued, err := s.Service.RunDue(ctx, s.Batch)
		if err != nil {
			if ctx.Err() == nil {
				s.Log.Error("impact follow-up", "err", err)
			}
			return
		}
		if handled > 0 {
			s.Log.Info("impact follow-up", "handled", handled, "queued", queued)
		}
		if handled < s.Batch {
			return
		}
	}
}
