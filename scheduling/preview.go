package scheduling

import (
	"context"
	"errors"
)

// SessionChange is what saving a change to a session would do: the session
// as it would be saved, the holidays it would fall on, and each active
// booking it would touch, before and after.
type SessionChange struct {
	Session  Session
	Holidays []Holiday
	Bookings []BookingChange
}

// BookingChange is one booking a session change carries along.
type BookingChange struct {
	Before, After Booking
}

// Reasked reports whether the person must answer again: they had answered
// (or staff confirmed) and the change puts them back to invited.
func (c BookingChange) Reasked() bool { return c.Before.Status.Answered() && c.After.Status == Invited }

// Mailed reports whether the person is sent the update or cancellation.
func (c BookingChange) Mailed() bool { return c.After.Status != Proposed }

// errPreview rolls back a preview's transaction.
var errPreview = errors.New("preview only")

// PreviewSessionChange runs UpdateSession in a transaction that is then
// rolled back, so that staff can see before saving whom a change would ask
// again and mail, refused by exactly the rules a save applies (validation,
// holidays, double bookings, travel buffers, a stale version).
func (s Service) PreviewSessionChange(ctx context.Context, inst, id int64, version int, force bool, change func(*Session)) (SessionChange, error) {
	var out SessionChange
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		before, err := s.Store.SessionBookings(ctx, inst, id)
		if err != nil {
			return err
		}
		was := map[int64]Booking{}
		for _, b := range before {
			was[b.ID] = b
		}
		sess, holidays, changed, err := s.UpdateSession(ctx, inst, id, version, force, change)
		if err != nil {
			return err
		}
		out = SessionChange{Session: sess, Holidays: holidays}
		for _, b := range changed {
			out.Bookings = append(out.Bookings, BookingChange{Before: was[b.ID], After: b})
		}
		return errPreview
	})
	if errors.Is(err, errPreview) {
		return out, nil
	}
	return SessionChange{}, err
}
