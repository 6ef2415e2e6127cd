package impact

import (
	"fmt"
	"math"
	"time"

	"sinergi/errs"
)

// MaxPlans is how many action plans one participant writes at most.
const MaxPlans = 3

// Plan is one change a participant will make at work (rencana aksi), with
// the indicator that shows it, its value now (baseline) and the value
// aimed at by Due, and the sessions and trainers it draws on.
type Plan struct {
	ID            int64
	ParticipantID int64
	Position      int
	Change        string
	Indicator     string
	Baseline      float64
	Target        float64
	Due           time.Time // civil date, UTC midnight
	Sessions      []int64
	// Trainers are the people credited: the trainers of Sessions, or the
	// ones the participant named among them.
	Trainers []int64
}

// Trainer is a trainer of a course session, as a plan can name them.
type Trainer struct {
	PersonID int64
	Name     string
	Kind     string // widyaiswara or practitioner
	Role     string
}

// Session is a session of the course a plan can draw on.
type Session struct {
	ID       int64
	Topic    string
	Start    time.Time
	Zone     string
	Trainers []Trainer
}

// number checks a figure: finite and of a sensible size.
func number(f errs.Fields, field string, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) || math.Abs(v) >= 1e13 {
		f.Add(field, "must be a number below 10^13")
	}
}

// ValidatePlans checks a participant's plans against the course's sessions
// and fills each plan's position and, when the participant named none,
// its trainers (every trainer of its sessions). today is the civil date in
// the course's zone.
func ValidatePlans(plans []Plan, sessions []Session, today time.Time) error {
	f := errs.Fields{}
	if len(plans) == 0 || len(plans) > MaxPlans {
		f.Add("plans", fmt.Sprintf("write 1 to %d action plans", MaxPlans))
		return f.Err()
	}
	byID := map[int64]Session{}
	for _, s := range sessions {
		byID[s.ID] = s
	}
	for i := range plans {
		p := &plans[i]
		at := fmt.Sprintf("plans[%d]", i)
		p.Position = i + 1
		text(f, at+".change", &p.Change, 5, 1000, true)
		text(f, at+".indicator", &p.Indicator, 2, 300, false)
		number(f, at+".baseline", p.Baseline)
		number(f, at+".target", p.Target)
		if p.Baseline == p.Target {
			f.Add(at+".target", "must differ from the baseline")
		}
		switch {
		case p.Due.IsZero():
			f.Add(at+".due_date", "is required")
		case p.Due.Before(today):
			f.Add(at+".due_date", "must not be in the past")
		case p.Due.After(today.AddDate(2, 0, 0)):
			f.Add(at+".due_date", "must be within two years")
		}
		if len(p.Sessions) == 0 || len(p.Sessions) > 50 {
			f.Add(at+".session_ids", "name 1 to 50 sessions of the course the plan draws on")
			continue
		}
		taught := map[int64]bool{}
		seen := map[int64]bool{}
		for _, id := range p.Sessions {
			s, ok := byID[id]
			if !ok {
				f.Add(at+".session_ids", fmt.Sprintf("session %d is not a session of this course", id))
				continue
			}
			if seen[id] {
				f.Add(at+".session_ids", "names a session more than once")
			}
			seen[id] = true
			for _, t := range s.Trainers {
				taught[t.PersonID] = true
			}
		}
		if len(p.Trainers) == 0 {
			for _, id := range p.Sessions {
				for _, t := range byID[id].Trainers {
					if !containsID(p.Trainers, t.PersonID) {
						p.Trainers = append(p.Trainers, t.PersonID)
					}
				}
			}
			continue
		}
		named := map[int64]bool{}
		for _, id := range p.Trainers {
			if !taught[id] {
				f.Add(at+".trainer_ids", fmt.Sprintf("person %d did not teach the sessions named", id))
			}
			if named[id] {
				f.Add(at+".trainer_ids", "names a trainer more than once")
			}
			named[id] = true
		}
	}
	return f.Err()
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// Progress is what a participant reports of one plan at the follow-up.
type Progress struct {
	PlanID   int64
	Status   string // done, partial or not_started
	Value    *float64
	Evidence string
}

// Confirmation is what the supervisor confirms of one plan.
type Confirmation struct {
	PlanID      int64
	Implemented bool
	// Behaviour is the change in behaviour seen at work, 1 (none) to 4
	// (a clear change).
	Behaviour int
	Value     *float64
	Comment   string
}

// BehaviourScale labels the Likert points of the supervisor's form.
func BehaviourScale() []string {
	return []string{"tidak berubah", "sedikit berubah", "berubah", "sangat berubah"}
}

// ValidateProgress checks a participant's report: one entry per plan.
func ValidateProgress(in []Progress, plans []Plan) error {
	f := errs.Fields{}
	if len(in) != len(plans) {
		f.Add("progress", fmt.Sprintf("report on each of the %d action plans", len(plans)))
		return f.Err()
	}
	seen := map[int64]bool{}
	for i := range in {
		p := &in[i]
		at := fmt.Sprintf("progress[%d]", i)
		if !planOf(plans, p.PlanID) || seen[p.PlanID] {
			f.Add(at+".plan_id", "must name each action plan once")
		}
		seen[p.PlanID] = true
		switch p.Status {
		case "done", "partial", "not_started":
		default:
			f.Add(at+".status", "must be done, partial or not_started")
		}
		if p.Value != nil {
			number(f, at+".value", *p.Value)
		}
		text(f, at+".evidence", &p.Evidence, 0, 2000, true)
	}
	return f.Err()
}

// ValidateConfirmations checks a supervisor's answer: one entry per plan.
func ValidateConfirmations(in []Confirmation, plans []Plan) error {
	f := errs.Fields{}
	if len(in) != len(plans) {
		f.Add("confirmations", fmt.Sprintf("answer for each of the %d action plans", len(plans)))
		return f.Err()
	}
	seen := map[int64]bool{}
	for i := range in {
		c := &in[i]
		at := fmt.Sprintf("confirmations[%d]", i)
		if !planOf(plans, c.PlanID) || seen[c.PlanID] {
			f.Add(at+".plan_id", "must name each action plan once")
		}
		seen[c.PlanID] = true
		if c.Behaviour < 1 || c.Behaviour > 4 {
			f.Add(at+".behaviour", "must be 1 to 4")
		}
		if c.Value != nil {
			number(f, at+".value", *c.Value)
		}
		text(f, at+".comment", &c.Comment, 0, 2000, true)
	}
	return f.Err()
}

func planOf(plans []Plan, id int64) bool {
	for _, p := range plans {
		if p.ID == id {
			return true
		}
	}
	return false
}
