package scheduling

import (
	"slices"
	"time"

	"sinergi/errs"
)

// Role is what a person does in a session.
type Role string

// Roles: the lead is a widyaiswara; co-trainers are widyaiswara or
// practitioners.
const (
	Lead      Role = "lead"
	CoTrainer Role = "co_trainer"
)

// Status is a booking's place in its lifecycle.
type Status string

// Booking statuses: proposed → invited → accepted | declined | tentative →
// confirmed → completed | cancelled.
const (
	Proposed  Status = "proposed"
	Invited   Status = "invited"
	Accepted  Status = "accepted"
	Declined  Status = "declined"
	Tentative Status = "tentative"
	Confirmed Status = "confirmed"
	Completed Status = "completed"
	Cancelled Status = "cancelled"
)

// Active reports whether a booking in status s holds the person's time.
// The database's twin is the SQL function booking_active (migration 00011),
// used by every query and by the EXCLUDE constraint; a test keeps them equal.
func (s Status) Active() bool { return s != Declined && s != Cancelled }

// Answered reports whether the person has answered the invitation (or
// staff confirmed it): after a significant change they are asked again.
func (s Status) Answered() bool { return s == Accepted || s == Tentative || s == Confirmed }

// Statuses lists every status, in lifecycle order.
func Statuses() []Status {
	return []Status{Proposed, Invited, Accepted, Declined, Tentative, Confirmed, Completed, Cancelled}
}

// transitions lists, for each status, where a booking may go next.
var transitions = map[Status][]Status{
	Proposed:  {Invited, Cancelled},
	Invited:   {Accepted, Declined, Tentative, Cancelled},
	Tentative: {Accepted, Declined, Cancelled},
	Accepted:  {Confirmed, Declined, Tentative, Cancelled},
	Declined:  {Invited, Accepted, Tentative, Cancelled},
	Confirmed: {Completed, Cancelled},
	Completed: {},
	Cancelled: {},
}

// trainerMay lists the statuses a trainer may move their own booking to:
// answering the invitation, nothing else.
var trainerMay = []Status{Accepted, Declined, Tentative}

// Flags a booking can carry.
const (
	FlagOutsideAvailability  = "outside_availability"
	FlagSameUnitPractitioner = "same_unit_practitioner"
	FlagCutiBersama          = "cuti_bersama"
)

// Booking puts a person on a session in a role.
type Booking struct {
	ID            int64
	InstitutionID int64
	SessionID     int64
	PersonID      int64
	Role          Role
	Status        Status
	// During is the session's time, held by the booking while active.
	During Interval
	// Zone is the venue's zone, in which the booking's times are told.
	Zone string
	// UID and Sequence identify the booking's calendar event.
	UID      string
	Sequence int
	Flags    []string
	Forced   bool
	// ActualJP is the JP taught, set on completion.
	ActualJP  int
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Errors about bookings.
var (
	ErrDoubleBooked = errs.New(errs.Conflict, "booking_conflict", "the person already has a booking at that time")
	ErrLeadTaken    = errs.New(errs.Conflict, "lead_taken", "the session already has a lead")
	ErrTransition   = errs.New(errs.Conflict, "illegal_transition", "the booking cannot move to that status")
	// ErrTrainerMayOnlyAnswer refuses a trainer any move but answering.
	ErrTrainerMayOnlyAnswer = errs.New(errs.Forbidden, "trainer_may_only_answer", "a trainer may only accept, decline or answer tentative")
	ErrUnavailable          = errs.New(errs.Conflict, "outside_availability", "the person is not available for the whole session; send force: true to book anyway")
	ErrSessionClosed        = errs.New(errs.Conflict, "session_cancelled", "the session is cancelled")
	ErrNotEnded             = errs.New(errs.Conflict, "session_not_ended", "a booking can be completed only after its session has ended")
	// ErrSessionBegun refuses an invitation to a session that has already
	// begun: the date it would announce is gone.
	ErrSessionBegun = errs.New(errs.Conflict, "session_begun", "the session has already begun; an invitation can no longer be sent for it")
)

// Transition moves b to status to, checking the lifecycle and, for a
// trainer acting on their own booking, that they only answer the invite.
// actualJP applies to completion (0 means the session's JP).
func Transition(b *Booking, to Status, byTrainer bool, session Session, actualJP int, now time.Time) error {
	if !slices.Contains(transitions[b.Status], to) {
		return ErrTransition.WithMessage("a %s booking cannot become %s", string(b.Status), string(to)).
			WithDetails(map[string]any{"current_status": string(b.Status), "allowed": transitions[b.Status]})
	}
	if byTrainer && !slices.Contains(trainerMay, to) {
		return ErrTrainerMayOnlyAnswer
	}
	if to.Active() && session.Status == SessionCancelled {
		return ErrSessionClosed
	}
	if to == Invited && !now.Before(session.Start) {
		return ErrSessionBegun
	}
	if to == Completed {
		if now.Before(session.End) {
			return ErrNotEnded
		}
		if actualJP == 0 {
			actualJP = session.JP
		}
		if actualJP < 0 || actualJP > session.JP {
			return errs.Invalidf("actual_jp", "must be 1 to %d, the session's JP", session.JP)
		}
		b.ActualJP = actualJP
	} else if actualJP != 0 {
		return errs.Invalidf("actual_jp", "applies only when completing")
	}
	// Going from a cancellation-like state back into the calendar, or
	// cancelling, changes the event: the organiser bumps SEQUENCE.
	if to == Cancelled || (to == Invited && b.Status == Declined) {
		b.Sequence++
	}
	b.Status = to
	return nil
}

// Allowed returns the statuses a booking may move to.
func Allowed(s Status) []Status { return transitions[s] }

// Moves returns the statuses staff may move b to now: those of its
// lifecycle that Transition also accepts for its session at now (no
// completion before the session ended, no invitation once it began).
func Moves(b Booking, session Session, now time.Time) []Status {
	var out []Status
	for _, to := range transitions[b.Status] {
		try := b
		if Transition(&try, to, false, session, 0, now) == nil {
			out = append(out, to)
		}
	}
	return out
}

// MayInvite reports whether a new booking on session may still be invited
// at now: Transition's own answer for a proposed booking.
func MayInvite(session Session, now time.Time) bool {
	return slices.Contains(Moves(Booking{Status: Proposed}, session, now), Invited)
}
