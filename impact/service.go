package impact

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sinergi/tz"
)

// Course is what the follow-up needs of a course.
type Course struct {
	ID            int64
	InstitutionID int64
	Name          string
	// Zone is the venue zone of its first session (Asia/Jakarta without
	// sessions), which dates are read in.
	Zone string
}

// Link is an open link: whose and for what.
type Link struct {
	InstitutionID int64
	ParticipantID int64
	Purpose       string
	Expires       time.Time
}

// Link purposes: each link does one thing.
const (
	PurposePlan     = "plan"
	PurposeProgress = "progress"
	PurposeConfirm  = "confirm"
)

// PlanAnswer is a plan with what was answered about it.
type PlanAnswer struct {
	Plan
	Progress     *Progress
	Confirmation *Confirmation
}

// Status is a participant's place in the follow-up, for staff.
type Status struct {
	Participant Participant
	Plans       []PlanAnswer
	FollowUp    *FollowUp
}

// Store keeps participants, plans, follow-ups and links. Methods called
// with the context a Tx hands on join its transaction; each write is
// audited.
type Store interface {
	Course(ctx context.Context, inst, courseID int64) (Course, error)
	// CourseSessions lists a course's sessions with the trainers of their
	// active bookings.
	CourseSessions(ctx context.Context, inst, courseID int64) ([]Session, error)
	Participants(ctx context.Context, inst, courseID int64) ([]Participant, error)
	Participant(ctx context.Context, inst, id int64) (Participant, error)
	// SaveParticipant inserts (before nil) or updates a participant, with
	// the timestamps it carries.
	SaveParticipant(ctx context.Context, before *Participant, after Participant) (Participant, error)
	DeleteParticipant(ctx context.Context, p Participant) error
	// NewLink makes a link; only the hash of its 256-bit secret is kept.
	NewLink(ctx context.Context, inst, participantID int64, purpose string, now, expires time.Time) (string, error)
	// Link resolves an open link of one purpose.
	Link(ctx context.Context, secret, purpose string, now time.Time) (Link, error)
	// Answers lists a participant's plans with progress and confirmation.
	Answers(ctx context.Context, participantID int64) ([]PlanAnswer, error)
	// ReplacePlans replaces a participant's plans and saves the follow-up.
	ReplacePlans(ctx context.Context, p Participant, plans []Plan, f FollowUp, now time.Time) error
	// LockFollowUp reads and locks a participant's follow-up; ok is false
	// when there is none.
	LockFollowUp(ctx context.Context, participantID int64) (FollowUp, bool, error)
	// FollowUp reads a participant's follow-up without locking it.
	FollowUp(ctx context.Context, participantID int64) (FollowUp, bool, error)
	SaveFollowUp(ctx context.Context, f FollowUp, now time.Time) error
	SaveProgress(ctx context.Context, p Participant, in []Progress, now time.Time) error
	SaveConfirmations(ctx context.Context, p Participant, in []Confirmation, now time.Time) error
	// ClaimDue locks up to limit follow-ups due at now that no other
	// transaction holds (FOR UPDATE SKIP LOCKED).
	ClaimDue(ctx context.Context, now time.Time, limit int) ([]FollowUp, error)
	// Enqueue queues a message in the outbox for a participant; queued is
	// false when that participant already has a message of that kind.
	Enqueue(ctx context.Context, inst, participantID int64, kind, recipient string, message []byte) (queued bool, err error)
	Settings(ctx context.Context, inst int64) (Settings, error)
	PutSettings(ctx context.Context, inst int64, s Settings) error
	// Statuses lists a course's participants with plans and follow-ups.
	Statuses(ctx context.Context, inst, courseID int64) ([]Status, error)
	// ReportData reads the plans, ratings and teaching of a course, or of
	// all of inst's courses when courseID is 0.
	ReportData(ctx context.Context, inst, courseID int64) ([]PlanRecord, []Rating, []Taught, error)
}

// Tx runs f in one database transaction.
type Tx interface {
	Do(ctx context.Context, f func(ctx context.Context) error) error
}

// Service is the impact use cases: each change in one transaction with its
// mail and audit rows.
type Service struct {
	Store Store
	Tx    Tx
	Now   func() time.Time
	// BaseURL starts the links in mail; From sends it.
	BaseURL string
	From    string
}

// today is the civil date at now in zone, as UTC midnight.
func today(now time.Time, zone string) time.Time {
	loc := time.UTC
	if tz.Valid(zone) {
		loc = tz.MustLoad(zone)
	}
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AddParticipant adds a participant to a course of inst.
func (s Service) AddParticipant(ctx context.Context, inst, courseID int64, p Participant) (Participant, error) {
	if _, err := s.Store.Course(ctx, inst, courseID); err != nil {
		return Participant{}, err
	}
	now := s.Now()
	p.ID, p.InstitutionID, p.CourseID, p.CreatedAt, p.UpdatedAt = 0, inst, courseID, now, now
	if err := p.Normalize(now); err != nil {
		return Participant{}, err
	}
	return s.Store.SaveParticipant(ctx, nil, p)
}

// ParticipantChange is a partial update; nil fields keep their value.
type ParticipantChange struct {
	Name, NIP, Unit, Email, SupervisorName, SupervisorEmail *string
}

// UpdateParticipant changes a participant of inst.
func (s Service) UpdateParticipant(ctx context.Context, inst, id int64, ch ParticipantChange) (Participant, error) {
	var out Participant
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		before, err := s.Store.Participant(ctx, inst, id)
		if err != nil {
			return err
		}
		p := before
		for _, c := range []struct {
			from *string
			to   *string
		}{{ch.Name, &p.Name}, {ch.NIP, &p.NIP}, {ch.Unit, &p.Unit}, {ch.Email, &p.Email}, {ch.SupervisorName, &p.SupervisorName},
			{ch.SupervisorEmail, &p.SupervisorEmail}} {
			if c.from != nil {
				*c.to = *c.from
			}
		}
		p.UpdatedAt = s.Now()
		if err := p.Normalize(p.UpdatedAt); err != nil {
			return err
		}
		out, err = s.Store.SaveParticipant(ctx, &before, p)
		return err
	})
	return out, err
}

// RemoveParticipant deletes a participant of inst with their plans,
// answers and links.
func (s Service) RemoveParticipant(ctx context.Context, inst, id int64) error {
	return s.Tx.Do(ctx, func(ctx context.Context) error {
		p, err := s.Store.Participant(ctx, inst, id)
		if err != nil {
			return err
		}
		return s.Store.DeleteParticipant(ctx, p)
	})
}

// Participant returns one participant of inst.
func (s Service) Participant(ctx context.Context, inst, id int64) (Participant, error) {
	return s.Store.Participant(ctx, inst, id)
}

// Participants lists a course's participants.
func (s Service) Participants(ctx context.Context, inst, courseID int64) ([]Participant, error) {
	if _, err := s.Store.Course(ctx, inst, courseID); err != nil {
		return nil, err
	}
	return s.Store.Participants(ctx, inst, courseID)
}

// Statuses lists a course's participants with their plans and follow-ups.
func (s Service) Statuses(ctx context.Context, inst, courseID int64) ([]Status, error) {
	if _, err := s.Store.Course(ctx, inst, courseID); err != nil {
		return nil, err
	}
	return s.Store.Statuses(ctx, inst, courseID)
}

// Settings returns inst's follow-up settings.
func (s Service) Settings(ctx context.Context, inst int64) (Settings, error) {
	return s.Store.Settings(ctx, inst)
}

// PutSettings checks and stores inst's follow-up settings.
func (s Service) PutSettings(ctx context.Context, inst int64, set Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	return s.Store.PutSettings(ctx, inst, set)
}

// mail composes a letter for a participant (or their supervisor) with a
// fresh link of purpose and queues it, in the caller's transaction.
func (s Service) mail(ctx context.Context, p Participant, course Course, kind, purpose string, expires time.Time) (bool, error) {
	now := s.Now()
	secret, err := s.Store.NewLink(ctx, p.InstitutionID, p.ID, purpose, now, expires)
	if err != nil {
		return false, err
	}
	to, name := p.Email, p.Name
	if purpose == PurposeConfirm {
		to, name = p.SupervisorEmail, p.SupervisorName
	}
	path := map[string]string{PurposePlan: "/v1/impact/plans/", PurposeProgress: "/v1/impact/progress/", PurposeConfirm: "/v1/impact/confirmations/"}[purpose]
	domain := s.From[strings.LastIndexByte(s.From, '@')+1:]
	msg, err := Compose(Letter{Kind: kind, From: s.From, To: to, ToName: name, Course: course.Name, Participant: p.Name,
		URL: s.BaseURL + path + secret, Expires: expires.In(tz.MustLoad(zoneOr(course.Zone))), Date: now,
		MessageID: fmt.Sprintf("%s.%d.%d@%s", kind, p.ID, now.UnixNano(), domain)})
	if err != nil {
		return false, err
	}
	return s.Store.Enqueue(ctx, p.InstitutionID, p.ID, kind, to, msg)
}

func zoneOr(z string) string {
	if tz.Valid(z) {
		return z
	}
	return "Asia/Jakarta"
}

// InvitePlans mails every participant of a course who has no action plan
// yet a link to write them; it returns how many were mailed.
func (s Service) InvitePlans(ctx context.Context, inst, courseID int64) (int, error) {
	n := 0
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		course, err := s.Store.Course(ctx, inst, courseID)
		if err != nil {
			return err
		}
		set, err := s.Store.Settings(ctx, inst)
		if err != nil {
			return err
		}
		statuses, err := s.Store.Statuses(ctx, inst, courseID)
		if err != nil {
			return err
		}
		for _, st := range statuses {
			if len(st.Plans) > 0 {
				continue
			}
			if _, err := s.mail(ctx, st.Participant, course, MailPlan, PurposePlan, s.Now().Add(days(set.PlanDays))); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// Form is what a link shows: the participant, the course, its sessions
// and the plans with what was answered.
type Form struct {
	Link        Link
	Participant Participant
	Course      Course
	Sessions    []Session
	Plans       []PlanAnswer
	FollowUp    *FollowUp
	// Answered is set when the link's answer is already recorded.
	Answered bool
}

// Form resolves a link of purpose and reads what its page shows.
func (s Service) Form(ctx context.Context, secret, purpose string) (Form, error) {
	l, err := s.Store.Link(ctx, secret, purpose, s.Now())
	if err != nil {
		return Form{}, err
	}
	p, err := s.Store.Participant(ctx, l.InstitutionID, l.ParticipantID)
	if err != nil {
		return Form{}, err
	}
	course, err := s.Store.Course(ctx, l.InstitutionID, p.CourseID)
	if err != nil {
		return Form{}, err
	}
	f := Form{Link: l, Participant: p, Course: course}
	if f.Sessions, err = s.Store.CourseSessions(ctx, l.InstitutionID, p.CourseID); err != nil {
		return Form{}, err
	}
	if f.Plans, err = s.Store.Answers(ctx, p.ID); err != nil {
		return Form{}, err
	}
	if fu, ok, err := s.Store.FollowUp(ctx, p.ID); err != nil {
		return Form{}, err
	} else if ok {
		f.FollowUp = &fu
	}
	if fu := f.FollowUp; fu != nil {
		switch purpose {
		case PurposePlan:
			f.Answered = fu.State != Waiting
		case PurposeProgress:
			f.Answered = fu.State == Reported || fu.State == Confirmed
		case PurposeConfirm:
			f.Answered = fu.State == Confirmed
		}
	}
	return f, nil
}

// answer runs f on a link's participant and locked follow-up in one
// transaction.
func (s Service) answer(ctx context.Context, secret, purpose string, f func(ctx context.Context, p Participant, course Course) error) error {
	return s.Tx.Do(ctx, func(ctx context.Context) error {
		l, err := s.Store.Link(ctx, secret, purpose, s.Now())
		if err != nil {
			return err
		}
		p, err := s.Store.Participant(ctx, l.InstitutionID, l.ParticipantID)
		if err != nil {
			return err
		}
		course, err := s.Store.Course(ctx, l.InstitutionID, p.CourseID)
		if err != nil {
			return err
		}
		return f(ctx, p, course)
	})
}

// SubmitPlans records a participant's one to three action plans through
// their plan link, replacing earlier ones until the follow-up opens, and
// schedules the follow-up.
func (s Service) SubmitPlans(ctx context.Context, secret string, plans []Plan) error {
	return s.answer(ctx, secret, PurposePlan, func(ctx context.Context, p Participant, course Course) error {
		fu, ok, err := s.Store.LockFollowUp(ctx, p.ID)
		if err != nil {
			return err
		}
		if ok && fu.State != Waiting {
			return ErrAlreadyAnswered
		}
		sessions, err := s.Store.CourseSessions(ctx, p.InstitutionID, p.CourseID)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := ValidatePlans(plans, sessions, today(now, course.Zone)); err != nil {
			return err
		}
		set, err := s.Store.Settings(ctx, p.InstitutionID)
		if err != nil {
			return err
		}
		due := now.Add(days(set.FollowUpDays))
		fu = FollowUp{ParticipantID: p.ID, InstitutionID: p.InstitutionID, CourseID: p.CourseID, State: Waiting, Due: due, Next: &due}
		return s.Store.ReplacePlans(ctx, p, plans, fu, now)
	})
}

// SubmitProgress records a participant's progress report through their
// progress link and asks the supervisor to confirm, in one transaction.
func (s Service) SubmitProgress(ctx context.Context, secret string, in []Progress) error {
	return s.answer(ctx, secret, PurposeProgress, func(ctx context.Context, p Participant, course Course) error {
		fu, ok, err := s.Store.LockFollowUp(ctx, p.ID)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotOpen
		}
		set, err := s.Store.Settings(ctx, p.InstitutionID)
		if err != nil {
			return err
		}
		now := s.Now()
		if err := fu.Report(set, now); err != nil {
			return err
		}
		answers, err := s.Store.Answers(ctx, p.ID)
		if err != nil {
			return err
		}
		if err := ValidateProgress(in, plansOf(answers)); err != nil {
			return err
		}
		if err := s.Store.SaveProgress(ctx, p, in, now); err != nil {
			return err
		}
		if err := s.Store.SaveFollowUp(ctx, fu, now); err != nil {
			return err
		}
		_, err = s.mail(ctx, p, course, MailSupervisor, PurposeConfirm, *fu.Expires)
		return err
	})
}

// SubmitConfirmation records the supervisor's confirmation through the
// confirmation link.
func (s Service) SubmitConfirmation(ctx context.Context, secret string, in []Confirmation) error {
	return s.answer(ctx, secret, PurposeConfirm, func(ctx context.Context, p Participant, course Course) error {
		fu, ok, err := s.Store.LockFollowUp(ctx, p.ID)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotOpen
		}
		now := s.Now()
		if err := fu.Confirm(now); err != nil {
			return err
		}
		answers, err := s.Store.Answers(ctx, p.ID)
		if err != nil {
			return err
		}
		if err := ValidateConfirmations(in, plansOf(answers)); err != nil {
			return err
		}
		if err := s.Store.SaveConfirmations(ctx, p, in, now); err != nil {
			return err
		}
		return s.Store.SaveFollowUp(ctx, fu, now)
	})
}

func plansOf(answers []PlanAnswer) []Plan {
	out := make([]Plan, len(answers))
	for i, a := range answers {
		out[i] = a.Plan
	}
	return out
}

// RunDue moves on up to limit due follow-ups in one transaction: each is
// claimed with FOR UPDATE SKIP LOCKED, stepped to now, and the mail it
// owes is queued with it. Any number of workers may call it at once; a
// message of one kind is queued at most once per participant (the outbox
// refuses a second). It returns how many follow-ups it handled and how
// many messages it queued.
func (s Service) RunDue(ctx context.Context, limit int) (handled, queued int, err error) {
	err = s.Tx.Do(ctx, func(ctx context.Context) error {
		now := s.Now()
		due, err := s.Store.ClaimDue(ctx, now, limit)
		if err != nil {
			return err
		}
		settings := map[int64]Settings{}
		for _, fu := range due {
			set, ok := settings[fu.InstitutionID]
			if !ok {
				if set, err = s.Store.Settings(ctx, fu.InstitutionID); err != nil {
					return err
				}
				settings[fu.InstitutionID] = set
			}
			next, kinds := Step(fu, set, now)
			var p Participant
			var course Course
			if len(kinds) > 0 {
				if p, err = s.Store.Participant(ctx, fu.InstitutionID, fu.ParticipantID); err != nil {
					return err
				}
				if course, err = s.Store.Course(ctx, fu.InstitutionID, fu.CourseID); err != nil {
					return err
				}
			}
			for _, k := range kinds {
				purpose := PurposeProgress
				if next.State == Reported {
					purpose = PurposeConfirm
				}
				ok, err := s.mail(ctx, p, course, k, purpose, *next.Expires)
				if err != nil {
					return fmt.Errorf("queue %s for participant %d: %w", k, p.ID, err)
				}
				if ok {
					queued++
				}
			}
			if err := s.Store.SaveFollowUp(ctx, next, now); err != nil {
				return err
			}
			handled++
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	return handled, queued, nil
}

// CourseReport is the four levels for one course of inst, with its
// trainers and pairs.
func (s Service) CourseReport(ctx context.Context, inst, courseID int64) (Report, error) {
	if _, err := s.Store.Course(ctx, inst, courseID); err != nil {
		return Report{}, err
	}
	plans, ratings, taught, err := s.Store.ReportData(ctx, inst, courseID)
	if err != nil {
		return Report{}, err
	}
	return Build(courseID, plans, ratings, taught), nil
}

// InstitutionReport is the four levels over all of inst's courses, per
// trainer and per pair.
func (s Service) InstitutionReport(ctx context.Context, inst int64) (Report, error) {
	plans, ratings, taught, err := s.Store.ReportData(ctx, inst, 0)
	if err != nil {
		return Report{}, err
	}
	return Build(0, plans, ratings, taught), nil
}
