package scheduling

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/profile"
)

// Booked is an active booking as it occupies a person's calendar.
type Booked struct {
	Interval
	BookingID int64
	SessionID int64
	Topic     string
}

// Scope limits which bookings a caller reaches: those of an institution,
// those of a person (a trainer acting on their own), or both.
type Scope struct {
	InstitutionID int64
	PersonID      int64
}

// Store persists scheduling data. Reads are scoped by institution; a row of
// another institution is not found.
type Store interface {
	CreateCourse(ctx context.Context, c Course) (Course, error)
	Course(ctx context.Context, inst, id int64) (Course, error)
	CreateSession(ctx context.Context, s Session) (Session, error)
	Session(ctx context.Context, inst, id int64) (Session, error)
	// UpdateSession saves s if its stored version is s.Version; when the
	// time moved it moves the active bookings (bumping their SEQUENCE),
	// refusing overlaps and, for offline sessions, other venues within
	// buffer; when the session is cancelled it cancels them; all in one
	// transaction.
	UpdateSession(ctx context.Context, s Session, buffer time.Duration) (Session, []Booking, error)
	SessionBookings(ctx context.Context, inst, sessionID int64) ([]Booking, error)
	// ListCourses lists an institution's courses with ids above after,
	// oldest first.
	ListCourses(ctx context.Context, inst, after int64, limit int) ([]Course, error)
	// ListBookings lists bookings within scope with ids above f.After.
	ListBookings(ctx context.Context, scope Scope, f BookingFilter) ([]Booking, error)
	CourseSessions(ctx context.Context, inst, courseID int64) ([]Session, error)

	Holidays(ctx context.Context, from, to time.Time) ([]Holiday, error)
	PutHoliday(ctx context.Context, h Holiday) (Holiday, error)
	DeleteHoliday(ctx context.Context, date time.Time) error

	Availability(ctx context.Context, personID int64) (Availability, error)
	SetAvailability(ctx context.Context, inst, personID int64, a Availability) error
	Booked(ctx context.Context, personID int64, from, to time.Time) ([]Booked, error)

	// CreateBooking inserts b unless the person holds an overlapping active
	// booking, or an offline one at another venue within buffer of it.
	CreateBooking(ctx context.Context, b Booking, s Session, buffer time.Duration) (Booking, error)
	Booking(ctx context.Context, scope Scope, id int64) (Booking, error)
	// UpdateBooking locks the booking, applies change and saves it.
	UpdateBooking(ctx context.Context, scope Scope, id int64, change func(*Booking) error) (Booking, error)
}

// BookingFilter narrows a booking listing.
type BookingFilter struct {
	SessionID, PersonID, After int64
	Status                     string
	Limit                      int
}

// People is what scheduling needs of the roster.
type People interface {
	Person(ctx context.Context, inst, id int64, shared bool) (profile.Person, error)
}

// Service applies the scheduling rules.
type Service struct {
	Store  Store
	People People
	Now    func() time.Time
	// Buffer is the minimum gap between two offline sessions of one person
	// at different venues.
	Buffer time.Duration
	// NewUID makes calendar UIDs; nil uses random UUIDs.
	NewUID func() string
}

func (s Service) uid() string {
	if s.NewUID != nil {
		return s.NewUID()
	}
	return RandomUID()
}

// RandomUID returns a random RFC 4122 version 4 UUID with the service's
// domain, as RFC 7986 recommends for calendar UIDs.
func RandomUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x@sinergi", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// CreateCourse validates and stores a course.
func (s Service) CreateCourse(ctx context.Context, inst int64, c Course) (Course, error) {
	c.ID, c.InstitutionID, c.Version = 0, inst, 1
	if err := c.Normalize(); err != nil {
		return Course{}, err
	}
	return s.Store.CreateCourse(ctx, c)
}

// checkHolidays refuses a national holiday unless forced and returns the
// cuti bersama (and forced national holidays) as warnings.
func (s Service) checkHolidays(ctx context.Context, sess Session, force bool) ([]Holiday, error) {
	hs, err := s.Store.Holidays(ctx, sess.Start.Add(-24*time.Hour), sess.End.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	blocking, warnings := HolidayCheck(sess, hs)
	if len(blocking) > 0 && !force {
		names := make([]string, len(blocking))
		for i, h := range blocking {
			names[i] = h.Date.Format(time.DateOnly) + " " + h.NameID
		}
		return nil, ErrHoliday.WithDetails(map[string]any{"holidays": names})
	}
	return append(blocking, warnings...), nil
}

// CreateSession validates and stores a session of a course. It returns the
// holidays the session touches as warnings.
func (s Service) CreateSession(ctx context.Context, inst, courseID int64, sess Session, force bool) (Session, []Holiday, error) {
	course, err := s.Store.Course(ctx, inst, courseID)
	if err != nil {
		return Session{}, nil, err
	}
	sess.ID, sess.InstitutionID, sess.CourseID, sess.Status, sess.Version = 0, inst, courseID, SessionScheduled, 1
	if err := sess.Normalize(course); err != nil {
		return Session{}, nil, err
	}
	warnings, err := s.checkHolidays(ctx, sess, force)
	if err != nil {
		return Session{}, nil, err
	}
	out, err := s.Store.CreateSession(ctx, sess)
	return out, warnings, err
}

// UpdateSession applies change to a session (based on version, when not 0)
// and saves it, moving or cancelling its bookings.
func (s Service) UpdateSession(ctx context.Context, inst, id int64, version int, force bool, change func(*Session)) (Session, []Holiday, []Booking, error) {
	sess, err := s.Store.Session(ctx, inst, id)
	if err != nil {
		return Session{}, nil, nil, err
	}
	if version != 0 && version != sess.Version {
		return Session{}, nil, nil, ErrStaleSession
	}
	if sess.Status == SessionCancelled {
		return Session{}, nil, nil, ErrSessionClosed
	}
	course, err := s.Store.Course(ctx, inst, sess.CourseID)
	if err != nil {
		return Session{}, nil, nil, err
	}
	before := sess
	change(&sess)
	if sess.Start != before.Start || sess.End != before.End {
		if sess.JP == before.JP {
			sess.JP = 0 // derive again from the new length
		}
	}
	if err := sess.Normalize(course); err != nil {
		return Session{}, nil, nil, err
	}
	var warnings []Holiday
	if sess.Status != SessionCancelled {
		if warnings, err = s.checkHolidays(ctx, sess, force); err != nil {
			return Session{}, nil, nil, err
		}
	}
	out, bookings, err := s.Store.UpdateSession(ctx, sess, s.Buffer)
	return out, warnings, bookings, err
}

// ErrStaleSession refuses a change based on an old version.
var ErrStaleSession = errs.New(errs.Precondition, "precondition_failed", "the session was changed since you read it; reload and retry")

// BookRequest asks to put a person on a session.
type BookRequest struct {
	SessionID int64
	PersonID  int64
	Role      Role
	Force     bool
}

// Book checks the rules and books a person on a session in status proposed.
func (s Service) Book(ctx context.Context, inst int64, r BookRequest) (Booking, error) {
	if r.Role != Lead && r.Role != CoTrainer {
		return Booking{}, errs.Invalidf("role", "must be lead or co_trainer")
	}
	sess, err := s.Store.Session(ctx, inst, r.SessionID)
	if err != nil {
		return Booking{}, fieldNotFound(err, "session_id")
	}
	if sess.Status == SessionCancelled {
		return Booking{}, ErrSessionClosed
	}
	course, err := s.Store.Course(ctx, inst, sess.CourseID)
	if err != nil {
		return Booking{}, err
	}
	person, err := s.People.Person(ctx, inst, r.PersonID, true)
	if err != nil {
		return Booking{}, fieldNotFound(err, "person_id")
	}
	if person.Archived() {
		return Booking{}, errs.Invalidf("person_id", "the person is archived")
	}
	if r.Role == Lead {
		if person.Kind != profile.Widyaiswara {
			return Booking{}, errs.Invalidf("role", "only a widyaiswara can be lead")
		}
		if course.LeadMinJenjang != "" && person.Jenjang.Rank() < course.LeadMinJenjang.Rank() {
			return Booking{}, errs.Invalidf("person_id", "the course asks for a lead of at least %s; this person is %s",
				course.LeadMinJenjang, person.Jenjang)
		}
	}
	b := Booking{InstitutionID: inst, SessionID: sess.ID, PersonID: person.ID, Role: r.Role, Status: Proposed,
		During: Interval{sess.Start, sess.End}, UID: s.uid(), Forced: r.Force, Version: 1, Flags: []string{}}
	if SameUnitPractitioner(person, course) {
		b.Flags = append(b.Flags, FlagSameUnitPractitioner)
	}
	av, err := s.Store.Availability(ctx, person.ID)
	if err != nil {
		return Booking{}, err
	}
	if av.Zone == "" {
		av.Zone = person.Zone
	}
	if !av.Covers(sess.Start, sess.End) {
		if !r.Force {
			return Booking{}, ErrUnavailable
		}
		b.Flags = append(b.Flags, FlagOutsideAvailability)
	}
	return s.Store.CreateBooking(ctx, b, sess, s.Buffer)
}

// SameUnitPractitioner reports whether a practitioner comes from the
// course's own organising unit, which the honorarium rules do not pay as a
// practitioner from outside.
func SameUnitPractitioner(p profile.Person, c Course) bool {
	if p.Kind != profile.Practitioner {
		return false
	}
	unit := strings.TrimSpace(c.OrganisingUnit)
	return strings.EqualFold(strings.TrimSpace(p.Unit), unit) || strings.EqualFold(strings.TrimSpace(p.Organisation), unit)
}

func fieldNotFound(err error, field string) error {
	if errs.KindOf(err) == errs.NotFound {
		return errs.Invalidf(field, "no such %s in this institution", strings.TrimSuffix(field, "_id"))
	}
	return err
}

// TransitionBooking moves a booking to another status. trainerPerson is
// the person id of a trainer acting on their own booking, or 0 for staff.
func (s Service) TransitionBooking(ctx context.Context, scope Scope, id int64, to Status, actualJP int) (Booking, error) {
	var sess Session
	return s.Store.UpdateBooking(ctx, scope, id, func(b *Booking) error {
		var err error
		if sess, err = s.Store.Session(ctx, b.InstitutionID, b.SessionID); err != nil {
			return err
		}
		return Transition(b, to, scope.PersonID != 0, sess, actualJP, s.Now())
	})
}

// SetAvailability validates and replaces a person's availability, in the
// person's zone.
func (s Service) SetAvailability(ctx context.Context, inst, personID int64, a Availability) (Availability, error) {
	p, err := s.People.Person(ctx, inst, personID, false)
	if err != nil {
		return Availability{}, err
	}
	a.Zone = p.Zone
	if err := a.Normalize(); err != nil {
		return Availability{}, err
	}
	return a, s.Store.SetAvailability(ctx, inst, personID, a)
}

// FreeBusy returns a person's free and busy time over [from, to).
func (s Service) FreeBusy(ctx context.Context, inst, personID int64, from, to time.Time) (free []Interval, busy []Booked, unavailable []Period, err error) {
	if !to.After(from) {
		return nil, nil, nil, errs.Invalidf("to", "must be after from")
	}
	if to.Sub(from) > 93*24*time.Hour {
		return nil, nil, nil, errs.Invalidf("to", "the range may span at most 93 days")
	}
	p, err := s.People.Person(ctx, inst, personID, false)
	if err != nil {
		return nil, nil, nil, err
	}
	av, err := s.Store.Availability(ctx, personID)
	if err != nil {
		return nil, nil, nil, err
	}
	av.Zone = p.Zone
	booked, err := s.Store.Booked(ctx, personID, from, to)
	if err != nil {
		return nil, nil, nil, err
	}
	ivs := make([]Interval, len(booked))
	for i, b := range booked {
		ivs[i] = b.Interval
	}
	free, _ = av.FreeBusy(ivs, from, to)
	for _, u := range av.Unavailable {
		if u.Start.Before(to) && from.Before(u.End) {
			unavailable = append(unavailable, u)
		}
	}
	return free, booked, unavailable, nil
}
