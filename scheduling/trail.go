package scheduling

import (
	"context"

	"sinergi/audit"
)

// TrailStore reads the audit log.
type TrailStore interface {
	// BookingTrail returns, oldest first, the audit rows of a booking and
	// of what followed from it: its messages, the calendar replies staff
	// marked handled, the moves of its session since it was made, its
	// honorarium rows and the certificates of its person for its course.
	BookingTrail(ctx context.Context, inst, bookingID int64) ([]audit.Entry, error)
}

// BookingTrail returns the story of a booking of inst, from proposal to
// certificate; another institution's booking is not found.
func (s Service) BookingTrail(ctx context.Context, inst, id int64) (Booking, []audit.Entry, error) {
	b, err := s.Store.Booking(ctx, Scope{InstitutionID: inst}, id)
	if err != nil {
		return Booking{}, nil, err
	}
	trail, err := s.Trail.BookingTrail(ctx, inst, id)
	return b, trail, err
}
