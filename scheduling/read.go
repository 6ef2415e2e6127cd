package scheduling

import (
	"context"
	"time"

	"sinergi/errs"
)

// Course reads a course of inst.
func (s Service) Course(ctx context.Context, inst, id int64) (Course, error) {
	return s.Store.Course(ctx, inst, id)
}

// CourseSessions lists a course's sessions in time order.
func (s Service) CourseSessions(ctx context.Context, inst, courseID int64) ([]Session, error) {
	return s.Store.CourseSessions(ctx, inst, courseID)
}

// Session reads a session of inst.
func (s Service) Session(ctx context.Context, inst, id int64) (Session, error) {
	return s.Store.Session(ctx, inst, id)
}

// SessionBookings lists a session's bookings.
func (s Service) SessionBookings(ctx context.Context, inst, sessionID int64) ([]Booking, error) {
	return s.Store.SessionBookings(ctx, inst, sessionID)
}

// Availability reads a person's availability; the caller has checked the
// person is within reach.
func (s Service) Availability(ctx context.Context, inst, personID int64) (Availability, error) {
	p, err := s.People.Person(ctx, inst, personID, false)
	if err != nil {
		return Availability{}, err
	}
	a, err := s.Store.Availability(ctx, p.ID)
	if a.Zone == "" {
		a.Zone = p.Zone
	}
	return a, err
}

// Holidays lists the holidays of a calendar year.
func (s Service) Holidays(ctx context.Context, year int) ([]Holiday, error) {
	return s.Store.Holidays(ctx, time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC))
}

// PutHoliday checks and adds a holiday; a date that has one already is
// replaced only when replace says so, never silently.
func (s Service) PutHoliday(ctx context.Context, h Holiday, replace bool) (Holiday, error) {
	if err := h.Normalize(); err != nil {
		return Holiday{}, err
	}
	if !replace {
		there, err := s.Store.Holidays(ctx, h.Date, h.Date)
		if err != nil {
			return Holiday{}, err
		}
		for _, o := range there {
			if o.Date.Equal(h.Date) {
				e := ErrHolidayTaken.WithDetails(map[string]any{"existing": o.NameID, "kind": string(o.Kind)})
				field := errs.Text{Format: "already has a holiday (%s); confirm replacing it", Args: []any{o.NameID}}
				e.Fields, e.FieldTexts = map[string]string{"date": field.String()}, map[string]errs.Text{"date": field}
				return Holiday{}, e
			}
		}
	}
	return s.Store.PutHoliday(ctx, h)
}

// DeleteHoliday removes the holiday on date.
func (s Service) DeleteHoliday(ctx context.Context, date time.Time) error {
	return s.Store.DeleteHoliday(ctx, date)
}
