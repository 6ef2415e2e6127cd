package scheduling

import (
	"context"
	"time"

	"sinergi/errs"
	"sinergi/tz"
)

// CourseSummary is a course as a listing shows it: with how many sessions
// it has rather than the sessions themselves.
type CourseSummary struct {
	Course
	Sessions int
}

// SessionCursor is where a listing of sessions goes on: after the session
// starting at Start with id ID.
type SessionCursor struct {
	Start time.Time
	ID    int64
}

// SessionFilter narrows a listing of an institution's sessions across its
// courses. Sessions come in order of start, then id.
type SessionFilter struct {
	// From and To bound the start: From <= start < To; zero means open.
	From, To time.Time
	CourseID int64
	// Zone is the venue zone.
	Zone   string
	Status SessionStatus
	// Unstaffed keeps the sessions with no active booking in that role.
	Unstaffed Role
	After     *SessionCursor
	Limit     int
}

// Check reports the filter's invalid fields by their query names.
func (f SessionFilter) Check() error {
	bad := errs.Fields{}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		bad.Add("to", "must be after from")
	}
	if f.Zone != "" && !tz.Valid(f.Zone) {
		bad.Add("zone", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura")
	}
	if f.Status != "" && f.Status != SessionScheduled && f.Status != SessionCancelled {
		bad.Add("status", "must be scheduled or cancelled")
	}
	if f.Unstaffed != "" && f.Unstaffed != Lead && f.Unstaffed != CoTrainer {
		bad.Add("unstaffed", "must be lead or co_trainer")
	}
	return bad.Err()
}

// ListSessions lists an institution's sessions across its courses.
func (s Service) ListSessions(ctx context.Context, inst int64, f SessionFilter) ([]Session, error) {
	if err := f.Check(); err != nil {
		return nil, err
	}
	return s.Store.ListSessions(ctx, inst, f)
}

// ListCourses lists an institution's courses after the id after, oldest
// first, each with its number of sessions.
func (s Service) ListCourses(ctx context.Context, inst, after int64, limit int) ([]CourseSummary, error) {
	return s.Store.ListCourses(ctx, inst, after, limit)
}

// CourseWithSessions returns a course with its sessions in time order.
func (s Service) CourseWithSessions(ctx context.Context, inst, id int64) (Course, []Session, error) {
	c, err := s.Store.Course(ctx, inst, id)
	if err != nil {
		return Course{}, nil, err
	}
	sessions, err := s.Store.CourseSessions(ctx, inst, id)
	return c, sessions, err
}

// SessionWithBookings returns a session with its bookings.
func (s Service) SessionWithBookings(ctx context.Context, inst, id int64) (Session, []Booking, error) {
	sess, err := s.Store.Session(ctx, inst, id)
	if err != nil {
		return Session{}, nil, err
	}
	bookings, err := s.Store.SessionBookings(ctx, inst, id)
	return sess, bookings, err
}

// Booking returns a booking within scope.
func (s Service) Booking(ctx context.Context, scope Scope, id int64) (Booking, error) {
	return s.Store.Booking(ctx, scope, id)
}

// ListBookings lists the bookings within scope.
func (s Service) ListBookings(ctx context.Context, scope Scope, f BookingFilter) ([]Booking, error) {
	return s.Store.ListBookings(ctx, scope, f)
}
