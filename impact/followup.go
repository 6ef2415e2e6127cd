package impact

import (
	"fmt"
	"time"

	"sinergi/errs"
)

// State is where a participant's follow-up stands.
type State string

// The states of a follow-up: waiting for its date, open for the
// participant's report, reported (the supervisor is asked), confirmed by
// the supervisor, or expired without an answer.
const (
	Waiting   State = "waiting"
	Open      State = "open"
	Reported  State = "reported"
	Confirmed State = "confirmed"
	Expired   State = "expired"
)

// FollowUp is one participant's follow-up.
type FollowUp struct {
	ParticipantID int64
	InstitutionID int64
	CourseID      int64
	State         State
	Due           time.Time
	// Next is when the scheduler looks again; nil once confirmed or expired.
	Next                *time.Time
	Expires             *time.Time
	Reminders           int
	SupervisorReminders int
	OpenedAt            *time.Time
	ReportedAt          *time.Time
	ConfirmedAt         *time.Time
}

// Settings are an institution's follow-up intervals.
type Settings struct {
	// FollowUpDays is the time from the action plan to the follow-up.
	FollowUpDays int
	// ReminderDays is the time between reminders.
	ReminderDays int
	// Reminders is how many reminders each of the participant and the
	// supervisor gets.
	Reminders int
	// WindowDays is how long each of them has to answer.
	WindowDays int
	// PlanDays is how long an action plan link stays open.
	PlanDays int
}

// DefaultSettings follow up eight weeks after the plan, remind twice a
// week apart and close four weeks after asking.
func DefaultSettings() Settings {
	return Settings{FollowUpDays: 56, ReminderDays: 7, Reminders: 2, WindowDays: 28, PlanDays: 14}
}

// Validate checks settings against the bounds the database enforces.
func (s Settings) Validate() error {
	f := errs.Fields{}
	check := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			f.Add(field, fmt.Sprintf("must be %d to %d", lo, hi))
		}
	}
	check("follow_up_days", s.FollowUpDays, 7, 365)
	check("reminder_days", s.ReminderDays, 1, 60)
	check("reminders", s.Reminders, 0, 5)
	check("window_days", s.WindowDays, 7, 180)
	check("plan_days", s.PlanDays, 1, 90)
	return f.Err()
}

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Mail kinds of the follow-up; each exists once per participant.
const (
	MailPlan       = "impact_plan"
	MailFollowUp   = "impact_follow_up"
	MailSupervisor = "impact_supervisor"
)

// ReminderKind is the mail kind of the participant's n-th reminder.
func ReminderKind(n int) string { return fmt.Sprintf("impact_reminder_%d", n) }

// SupervisorReminderKind is the mail kind of the supervisor's n-th reminder.
func SupervisorReminderKind(n int) string { return fmt.Sprintf("impact_supervisor_reminder_%d", n) }

// Step moves a follow-up on to now and returns the mail kinds it owes:
// the follow-up request when its date has come, a reminder when one is
// due, nothing once it is answered or has expired. It is a pure function
// of the row, the settings and the clock, so that running it twice, or on
// two workers, reaches the same state and owes each message once.
func Step(f FollowUp, s Settings, now time.Time) (FollowUp, []string) {
	var mail []string
	set := func(t time.Time) { f.Next = &t }
	expire := func() { f.State, f.Next = Expired, nil }
	switch f.State {
	case Waiting:
		if now.Before(f.Due) {
			return f, nil
		}
		exp := f.Due.Add(days(s.WindowDays))
		if !now.Before(exp) {
			expire()
			return f, nil
		}
		f.State, f.OpenedAt, f.Expires = Open, &now, &exp
		mail = append(mail, MailFollowUp)
		set(remindAt(f.Due, 1, s, exp))
	case Open, Reported:
		if f.Expires != nil && !now.Before(*f.Expires) {
			expire()
			return f, nil
		}
		if f.Next == nil || now.Before(*f.Next) {
			return f, nil
		}
		from, sent, kind := f.Due, &f.Reminders, ReminderKind
		if f.State == Reported {
			from, sent, kind = *f.ReportedAt, &f.SupervisorReminders, SupervisorReminderKind
		}
		if *sent < s.Reminders {
			*sent++
			mail = append(mail, kind(*sent))
		}
		if *sent < s.Reminders {
			set(remindAt(from, *sent+1, s, *f.Expires))
		} else {
			set(*f.Expires)
		}
	}
	return f, mail
}

// remindAt is when reminder n falls after from, at the latest at expiry.
func remindAt(from time.Time, n int, s Settings, expires time.Time) time.Time {
	t := from.Add(days(n * s.ReminderDays))
	if s.Reminders < n || t.After(expires) {
		return expires
	}
	return t
}

// Report records the participant's report on an open follow-up: the
// supervisor is asked next, with a window of its own.
func (f *FollowUp) Report(s Settings, now time.Time) error {
	switch f.State {
	case Open:
	case Reported, Confirmed:
		return ErrAlreadyAnswered
	default:
		return ErrNotOpen
	}
	exp := now.Add(days(s.WindowDays))
	f.State, f.ReportedAt, f.Expires = Reported, &now, &exp
	next := remindAt(now, 1, s, exp)
	f.Next = &next
	return nil
}

// Confirm records the supervisor's confirmation of a reported follow-up.
func (f *FollowUp) Confirm(now time.Time) error {
	switch f.State {
	case Reported:
	case Confirmed:
		return ErrAlreadyAnswered
	default:
		return ErrNotOpen
	}
	f.State, f.ConfirmedAt, f.Next = Confirmed, &now, nil
	return nil
}
