package scheduling

import (
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/profile"
	"sinergi/tz"
)

// Booked is an active booking as it occupies a person's calendar.
type Booked struct {
	Interval
	BookingID     int64
	SessionID     int64
	InstitutionID int64
	Topic         string
	// Zone is the venue's zone, in which its times are told.
	Zone  string
	Venue string
}

// Clash is the double-booking error told to institution inst about the
// booking b that is in the way: its own booking by session, topic and time
// in the venue zone; another institution's only as "busy then", so that
// nothing about it leaks.
func Clash(inst int64, b Booked) error {
	if b.InstitutionID != inst {
		return ErrDoubleBooked.WithMessage("the person is busy at that time")
	}
	loc := tz.MustLoad(b.Zone)
	return ErrDoubleBooked.WithMessage("the person is already booked on session %d (%q), %s",
		b.SessionID, b.Topic, i18n.Span{Start: b.Start.In(loc), End: b.End.In(loc), Label: tz.Label(b.Zone)}).
		WithDetails(map[string]any{"booking_id": b.BookingID, "session_id": b.SessionID, "topic": b.Topic,
			"start": b.Start.In(loc).Format(time.RFC3339), "end": b.End.In(loc).Format(time.RFC3339)})
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
	SessionBookings(ctx context.Context, inst, sessionID int64) ([]Booking, error)
	// ListCourses lists an institution's courses with ids above after,
	// oldest first, with their session counts.
	ListCourses(ctx context.Context, inst, after int64, limit int) ([]CourseSummary, error)
	// ListSessions lists an institution's sessions by start and id.
	ListSessions(ctx context.Context, inst int64, f SessionFilter) ([]Session, error)
	// ListBookings lists bookings within scope with ids above f.After.
	ListBookings(ctx context.Context, scope Scope, f BookingFilter) ([]Booking, error)
	CourseSessions(ctx context.Context, inst, courseID int64) ([]Session, error)

	Holidays(ctx context.Context, from, to time.Time) ([]Holiday, error)
	PutHoliday(ctx context.Context, h Holiday) (Holiday, error)
	DeleteHoliday(ctx context.Context, date time.Time) error

	Availability(ctx context.Context, personID int64) (Availability, error)
	SetAvailability(ctx context.Context, inst, personID int64, a Availability) error
	Booked(ctx context.Context, personID int64, from, to time.Time) ([]Booked, error)

	// LockPerson locks a person's row for the rest of the transaction, so
	// that bookings of one person are decided one at a time.
	LockPerson(ctx context.Context, personID int64) error
	// NearOtherVenue finds an active offline booking of the person, other
	// than except, at a venue other than venue and within buffer of during.
	NearOtherVenue(ctx context.Context, personID, except int64, venue string, during Interval, buffer time.Duration) (Booked, bool, error)
	// CreateBooking inserts b and audits it; the EXCLUDE constraint turns
	// an overlap into ErrDoubleBooked.
	CreateBooking(ctx context.Context, b Booking) (Booking, error)
	Booking(ctx context.Context, scope Scope, id int64) (Booking, error)
	// LockBooking reads a booking within scope and locks it.
	LockBooking(ctx context.Context, scope Scope, id int64) (Booking, error)
	// SaveBooking stores after (status, time, sequence, flags, actual JP)
	// over before and audits the change.
	SaveBooking(ctx context.Context, before, after Booking) (Booking, error)
	// LockSession reads a session and locks it.
	LockSession(ctx context.Context, inst, id int64) (Session, error)
	// SaveSession stores after over before (whose version it must still
	// have) and audits the change.
	SaveSession(ctx context.Context, before, after Session) (Session, error)
	// LockActiveBookings reads and locks a session's active bookings.
	LockActiveBookings(ctx context.Context, sessionID int64) ([]Booking, error)
}

// Tx runs a use case in one database transaction: stores called with the
// context it hands on join that transaction.
type Tx interface {
	Do(ctx context.Context, f func(ctx context.Context) error) error
}

// NoticeKind is what a booking's calendar message tells its person.
type NoticeKind string

// Notices: an invitation, an update after a significant change (time or
// venue, RFC 5546 §2.1.4), or a cancellation.
const (
	NoticeInvite NoticeKind = "invite"
	NoticeUpdate NoticeKind = "update"
	NoticeCancel NoticeKind = "cancel"
)

// Notice is a calendar message a change of a booking owes its person.
type Notice struct {
	Kind NoticeKind
	// Was is the session before an update, to say what changed.
	Was *Session
}

// Notifier queues a booking's calendar message in the transaction of the
// change that caused it (the outbox), so that a change and its message
// commit together.
type Notifier interface {
	Notify(ctx context.Context, b Booking, n Notice) error
}

// Accruer drafts the honorarium of a completed booking, in the transaction
// of the completion, and returns the ledger row's id.
type Accruer interface {
	Accrue(ctx context.Context, inst, bookingID int64) (int64, error)
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
	// Competencies is the taxonomy an institution's sessions may require.
	Competencies(ctx context.Context, inst int64) ([]profile.Competency, error)
}

// Service applies the scheduling rules. Every change of a booking goes
// through one of its methods, in one transaction with its side effects.
type Service struct {
	Store  Store
	People People
	Tx     Tx
	// Notify queues calendar mail; Accrue drafts honoraria on completion.
	Notify Notifier
	Accrue Accruer
	// Trail reads a booking's audit trail.
	Trail TrailStore
	Now   func() time.Time
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
		e := ErrHoliday.WithDetails(map[string]any{"holidays": names})
		field := errs.Text{Format: "falls on a national holiday (%s); schedule it anyway only on purpose", Args: []any{strings.Join(names, ", ")}}
		e.Fields, e.FieldTexts = map[string]string{"start": field.String()}, map[string]errs.Text{"start": field}
		return nil, e
	}
	return append(blocking, warnings...), nil
}

// SessionHolidays returns the holidays a session falls on: national
// holidays it was forced onto and cuti bersama, the warnings its creation
// answered.
func (s Service) SessionHolidays(ctx context.Context, sess Session) ([]Holiday, error) {
	return s.checkHolidays(ctx, sess, true)
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
	if err := s.checkRequirements(ctx, inst, sess.Requirements); err != nil {
		return Session{}, nil, err
	}
	warnings, err := s.checkHolidays(ctx, sess, force)
	if err != nil {
		return Session{}, nil, err
	}
	out, err := s.Store.CreateSession(ctx, sess)
	return out, warnings, err
}

// checkRequirements refuses a required competency the institution's
// taxonomy does not know: nobody could ever meet it, so every ranking
// would silently come back empty.
func (s Service) checkRequirements(ctx context.Context, inst int64, reqs []Requirement) error {
	if len(reqs) == 0 {
		return nil
	}
	known, err := s.People.Competencies(ctx, inst)
	if err != nil {
		return err
	}
	codes := make(map[string]bool, len(known))
	for _, c := range known {
		codes[c.Code] = true
	}
	bad := errs.Fields{}
	for i, r := range reqs {
		if !codes[r.Code] {
			bad.Add("required_competencies["+strconv.Itoa(i)+"].code", "is not a competency of this institution's taxonomy")
		}
	}
	return bad.Err()
}

// UpdateSession applies change to a session (based on version, when not 0)
// and saves it with what follows for its active bookings, all in one
// transaction: a new time or venue bumps their SEQUENCE, puts answered
// bookings back to awaiting an answer and queues an update; a cancelled
// session cancels them and queues the cancellation. A move that would
// double-book someone, or break a travel buffer, refuses the whole change.
func (s Service) UpdateSession(ctx context.Context, inst, id int64, version int, force bool, change func(*Session)) (Session, []Holiday, []Booking, error) {
	var out Session
	var warnings []Holiday
	var changed []Booking
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		before, err := s.Store.LockSession(ctx, inst, id)
		if err != nil {
			return err
		}
		if version != 0 && version != before.Version {
			return ErrStaleSession
		}
		if before.Status == SessionCancelled {
			return ErrSessionClosed
		}
		course, err := s.Store.Course(ctx, inst, before.CourseID)
		if err != nil {
			return err
		}
		sess := before
		sess.Requirements = append([]Requirement(nil), before.Requirements...)
		change(&sess)
		if (sess.Start != before.Start || sess.End != before.End) && sess.JP == before.JP {
			sess.JP = 0 // derive again from the new length
		}
		if err := sess.Normalize(course); err != nil {
			return err
		}
		if err := s.checkRequirements(ctx, inst, sess.Requirements); err != nil {
			return err
		}
		if Significant(before, sess) || sess.Status == SessionCancelled {
			bookings, err := s.Store.SessionBookings(ctx, inst, id)
			if err != nil {
				return err
			}
			if Held(before, bookings, s.Now()) {
				return ErrSessionHeld
			}
		}
		if sess.Status != SessionCancelled {
			if warnings, err = s.checkHolidays(ctx, sess, force); err != nil {
				return err
			}
		}
		if out, err = s.Store.SaveSession(ctx, before, sess); err != nil {
			return err
		}
		changed, err = s.followSession(ctx, before, out)
		return err
	})
	if err != nil {
		return Session{}, nil, nil, err
	}
	return out, warnings, changed, nil
}

// ErrSessionHeld refuses moving or cancelling a session that has taken
// place: its bookings were completed, honoraria and certificates rest on
// its date and venue.
var ErrSessionHeld = errs.New(errs.Conflict, "session_held",
	"the session has already begun or has completed bookings; its time, venue and mode can no longer change, nor can it be cancelled")

// Held reports whether a session is past moving or cancelling at now: it
// has begun, or one of its bookings is completed.
func Held(sess Session, bookings []Booking, now time.Time) bool {
	if !now.Before(sess.Start) {
		return true
	}
	for _, b := range bookings {
		if b.Status == Completed {
			return true
		}
	}
	return false
}

// Significant reports whether a session's change is one its trainers must
// see in their calendars and answer again: a new time or venue.
func Significant(before, after Session) bool {
	return !before.Start.Equal(after.Start) || !before.End.Equal(after.End) ||
		strings.TrimSpace(before.Venue) != strings.TrimSpace(after.Venue) || before.Mode != after.Mode
}

// followSession carries a session's change to its active bookings.
func (s Service) followSession(ctx context.Context, before, after Session) ([]Booking, error) {
	cancelled := after.Status == SessionCancelled
	if !cancelled && !Significant(before, after) {
		return nil, nil
	}
	bookings, err := s.Store.LockActiveBookings(ctx, after.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Booking, 0, len(bookings))
	for _, b := range bookings {
		next := b
		next.Flags = append([]string(nil), b.Flags...)
		next.Sequence++
		notice := Notice{Kind: NoticeUpdate, Was: &before}
		if cancelled {
			next.Status, notice = Cancelled, Notice{Kind: NoticeCancel}
		} else {
			next.During = Interval{after.Start, after.End}
			if b.Status.Answered() {
				next.Status = Invited // asked again: the answer was to another time or place
			}
			if err := s.Store.LockPerson(ctx, b.PersonID); err != nil {
				return nil, err
			}
			if err := s.checkBuffer(ctx, b.PersonID, b.ID, after, next.During); err != nil {
				return nil, err
			}
		}
		saved, err := s.Store.SaveBooking(ctx, b, next)
		if err != nil {
			return nil, err
		}
		if saved.Status != Proposed {
			if err := s.Notify.Notify(ctx, saved, notice); err != nil {
				return nil, fmt.Errorf("queue the %s of booking %d: %w", notice.Kind, saved.ID, err)
			}
		}
		out = append(out, saved)
	}
	return out, nil
}

// checkBuffer refuses an offline session within the travel buffer of
// another offline booking of the person at another venue.
func (s Service) checkBuffer(ctx context.Context, personID, except int64, sess Session, during Interval) error {
	if s.Buffer <= 0 || sess.Mode == Online {
		return nil
	}
	near, found, err := s.Store.NearOtherVenue(ctx, personID, except, sess.Venue, during, s.Buffer)
	if err != nil || !found {
		return err
	}
	if near.InstitutionID != sess.InstitutionID {
		return ErrDoubleBooked.WithMessage("the person is busy too close to this session (travel buffer of %s)", s.Buffer)
	}
	return ErrDoubleBooked.WithMessage("the person has an offline session at %q within %s of this one", near.Venue, s.Buffer).
		WithDetails(map[string]any{"booking_id": near.BookingID, "session_id": near.SessionID, "venue": near.Venue,
			"person_id": personID, "buffer_minutes": int(s.Buffer / time.Minute)})
}

// ErrStaleSession refuses a change based on an old version.
var ErrStaleSession = errs.New(errs.Precondition, "stale_session", "the session was changed since you read it; reload and retry")

// BookRequest asks to put a person on a session.
type BookRequest struct {
	SessionID int64
	PersonID  int64
	Role      Role
	Force     bool
}

// Book checks the rules and books a person on a session in status
// proposed. It is the only way a booking is created: by staff, and by an
// applied assignment (inside that use case's transaction).
func (s Service) Book(ctx context.Context, inst int64, r BookRequest) (Booking, error) {
	var out Booking
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		var err error
		out, err = s.book(ctx, inst, r)
		return err
	})
	return out, err
}

func (s Service) book(ctx context.Context, inst int64, r BookRequest) (Booking, error) {
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
	if r.Role == CoTrainer && !course.MayCoTrain(person.Kind) {
		return Booking{}, ErrCoTrainerKind.WithDetails(map[string]any{"person_id": person.ID, "kind": string(person.Kind),
			"co_trainers": string(course.CoTrainers)})
	}
	b := Booking{InstitutionID: inst, SessionID: sess.ID, PersonID: person.ID, Role: r.Role, Status: Proposed,
		During: Interval{sess.Start, sess.End}, UID: s.uid(), Forced: r.Force, Version: 1, Flags: []string{}}
	if SameUnitPractitioner(person, course) {
		b.Flags = append(b.Flags, FlagSameUnitPractitioner)
	}
	if err := s.Store.LockPerson(ctx, person.ID); err != nil {
		return Booking{}, err
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
	if err := s.checkBuffer(ctx, person.ID, 0, sess, b.During); err != nil {
		return Booking{}, err
	}
	return s.Store.CreateBooking(ctx, b)
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

// fieldNotFound turns a lookup of an id the request body named into a 404
// naming the field: another institution's id is as unknown as one that
// never existed.
func fieldNotFound(err error, field string) error {
	if errs.KindOf(err) == errs.NotFound {
		what := "no such " + strings.TrimSuffix(field, "_id") + " in this institution"
		return &errs.Error{Kind: errs.NotFound, Code: "not_found", Message: what, Fields: map[string]string{field: what}}
	}
	return err
}

// Effects reports what a transition did beside the status change.
type Effects struct {
	// HonorariumID is the ledger row drafted on completion; when it could
	// not be drafted (no rate yet), HonorariumError says why and the
	// completion stands (POST /v1/honoraria/accrue retries).
	HonorariumID    int64
	HonorariumError error
}

// TransitionBooking moves a booking to another status, with its side
// effects in the same transaction: inviting or cancelling queues the
// calendar message; completing drafts the honorarium. Every status change
// goes through here: staff, the trainer's API key, the answer page and a
// calendar reply. A trainer acting on their own booking has scope.PersonID.
func (s Service) TransitionBooking(ctx context.Context, scope Scope, id int64, to Status, actualJP int) (Booking, Effects, error) {
	var out Booking
	var fx Effects
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		before, err := s.Store.LockBooking(ctx, scope, id)
		if err != nil {
			return err
		}
		sess, err := s.Store.Session(ctx, before.InstitutionID, before.SessionID)
		if err != nil {
			return err
		}
		next := before
		next.Flags = append([]string(nil), before.Flags...)
		if err := Transition(&next, to, scope.PersonID != 0, sess, actualJP, s.Now()); err != nil {
			return err
		}
		if out, err = s.Store.SaveBooking(ctx, before, next); err != nil {
			return err
		}
		switch {
		case out.Status == Invited:
			err = s.Notify.Notify(ctx, out, Notice{Kind: NoticeInvite})
		case out.Status == Cancelled && before.Status != Proposed:
			err = s.Notify.Notify(ctx, out, Notice{Kind: NoticeCancel})
		case out.Status == Completed:
			// A savepoint: a honorarium that cannot be drafted yet leaves
			// the completion standing and says why.
			fx.HonorariumError = s.Tx.Do(ctx, func(ctx context.Context) error {
				var aerr error
				fx.HonorariumID, aerr = s.Accrue.Accrue(ctx, out.InstitutionID, out.ID)
				return aerr
			})
		}
		if err != nil {
			return fmt.Errorf("queue the message of booking %d: %w", out.ID, err)
		}
		return nil
	})
	if err != nil {
		return Booking{}, Effects{}, err
	}
	return out, fx, nil
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
