// Package scheduling holds courses and their sessions, trainers' weekly
// availability, national holidays and bookings, with the rules that keep a
// person from being booked twice. Times are UTC instants plus the venue's
// IANA zone; 1 JP (jam pelajaran) is 45 minutes.
package scheduling

import (
	"strconv"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/profile"
	"sinergi/tz"
)

// JPMinutes is the length of one jam pelajaran.
const JPMinutes = 45

// Funding is the budget a course is paid from.
type Funding string

// Funding sources.
const (
	APBN Funding = "APBN"
	APBD Funding = "APBD"
)

// Mode is how a session is held.
type Mode string

// Session modes.
const (
	Offline Mode = "offline"
	Online  Mode = "online"
	Hybrid  Mode = "hybrid"
)

// CoTrainers says who may be a course's co-trainer.
type CoTrainers string

// Who may co-train. The service exists to put people from the field next
// to widyaiswara, so practitioners alone is the default.
const (
	PractitionersOnly           CoTrainers = "practitioners"
	PractitionersAndWidyaiswara CoTrainers = "practitioners_and_widyaiswara"
)

// MayCoTrain reports whether a person of kind k may co-train the course.
// MaxSessionLength is the longest a session may last.
const MaxSessionLength = 12 * time.Hour

func (c Course) MayCoTrain(k profile.Kind) bool {
	return k == profile.Practitioner || (k == profile.Widyaiswara && c.CoTrainers == PractitionersAndWidyaiswara)
}

// ErrCoTrainerKind refuses a widyaiswara as co-trainer of a course that
// takes practitioners only.
var ErrCoTrainerKind = errs.New(errs.Invalid, "co_trainer_not_allowed",
	"the course takes only practitioners as co-trainers; set co_trainers to practitioners_and_widyaiswara to allow widyaiswara")

// Course is a training programme organised by one unit of an institution.
type Course struct {
	ID             int64
	InstitutionID  int64
	Name           string
	OrganisingUnit string
	Funding        Funding
	Region         string
	StartDate      time.Time // civil date, UTC midnight
	EndDate        time.Time
	// LeadMinJenjang, when set, is the lowest jenjang a lead may hold.
	LeadMinJenjang profile.Jenjang
	// PractitionerOutsideUnit asks for co-trainers from outside the
	// organising unit (the rule that lets them be paid as penceramah).
	PractitionerOutsideUnit bool
	// CoTrainers says who may co-train: practitioners (the default), or
	// practitioners and widyaiswara.
	CoTrainers CoTrainers
	Version    int
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Normalize checks a course.
func (c *Course) Normalize() error {
	f := errs.Fields{}
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	c.OrganisingUnit = strings.TrimSpace(c.OrganisingUnit)
	c.Region = strings.TrimSpace(c.Region)
	if n := len([]rune(c.Name)); n < 3 || n > 300 {
		f.Add("name", "must be 3 to 300 characters")
	}
	if c.OrganisingUnit == "" {
		f.Add("organising_unit", "is required")
	}
	if c.Funding != APBN && c.Funding != APBD {
		f.Add("funding", "must be APBN or APBD")
	}
	if c.Region == "" {
		f.Add("region", "is required")
	}
	if c.StartDate.IsZero() {
		f.Add("start_date", "is required (YYYY-MM-DD)")
	}
	if c.EndDate.IsZero() {
		f.Add("end_date", "is required (YYYY-MM-DD)")
	} else if c.EndDate.Before(c.StartDate) {
		f.Add("end_date", "must not be before start_date")
	} else if c.EndDate.Sub(c.StartDate) > 366*24*time.Hour {
		f.Add("end_date", "a course lasts at most a year")
	}
	checkLine(f, "name", c.Name, 300)
	checkLine(f, "organising_unit", c.OrganisingUnit, 200)
	checkLine(f, "region", c.Region, 100)
	checkWhen(f, "start_date", c.StartDate)
	checkWhen(f, "end_date", c.EndDate)
	switch c.CoTrainers {
	case "":
		c.CoTrainers = PractitionersOnly
	case PractitionersOnly, PractitionersAndWidyaiswara:
	default:
		f.Add("co_trainers", "must be practitioners or practitioners_and_widyaiswara")
	}
	if c.LeadMinJenjang != "" && c.LeadMinJenjang.Rank() == 0 {
		f.Add("lead_min_jenjang", "must be ahli_pertama, ahli_muda, ahli_madya or ahli_utama")
	}
	return f.Err()
}

// Requirement is a competency a session needs, at a minimum level.
type Requirement struct {
	Code     string
	MinLevel int
}

// SessionStatus says whether a session still takes place.
type SessionStatus string

// Session statuses.
const (
	SessionScheduled SessionStatus = "scheduled"
	SessionCancelled SessionStatus = "cancelled"
)

// Session is one teaching slot of a course.
type Session struct {
	ID            int64
	InstitutionID int64
	CourseID      int64
	Topic         string
	Requirements  []Requirement
	Start         time.Time
	End           time.Time
	Zone          string
	JP            int
	Mode          Mode
	Venue         string
	Status        SessionStatus
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Location returns the venue's location.
func (s Session) Location() *time.Location { return tz.MustLoad(s.Zone) }

// Normalize checks a session and derives JP from its length when jp is 0.
// A length that is not a whole number of JP needs an explicit JP.
func (s *Session) Normalize(course Course) error {
	f := errs.Fields{}
	s.Topic = strings.Join(strings.Fields(s.Topic), " ")
	s.Venue = strings.TrimSpace(s.Venue)
	if n := len([]rune(s.Topic)); n < 3 || n > 300 {
		f.Add("topic", "must be 3 to 300 characters")
	}
	if !tz.Valid(s.Zone) {
		f.Add("zone", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura")
	}
	checkLine(f, "topic", s.Topic, 300)
	checkLine(f, "venue", s.Venue, 300)
	checkWhen(f, "start", s.Start)
	checkWhen(f, "end", s.End)
	switch s.Mode {
	case Offline, Hybrid:
		if s.Venue == "" {
			f.Add("venue", "is required for offline and hybrid sessions")
		}
	case Online:
	default:
		f.Add("mode", "must be offline, online or hybrid")
	}
	seen := map[string]bool{}
	for i, r := range s.Requirements {
		s.Requirements[i].Code = strings.ToLower(strings.TrimSpace(r.Code))
		at := "required_competencies[" + strconv.Itoa(i) + "]"
		if s.Requirements[i].Code == "" {
			f.Add(at+".code", "is required")
		} else if seen[s.Requirements[i].Code] {
			f.Add(at+".code", "appears more than once")
		}
		seen[s.Requirements[i].Code] = true
		if r.MinLevel < 1 || r.MinLevel > 5 {
			f.Add(at+".min_level", "must be 1 to 5")
		}
	}
	switch {
	case s.Start.IsZero():
		f.Add("start", "is required (RFC 3339 with offset)")
	case s.End.IsZero():
		f.Add("end", "is required (RFC 3339 with offset)")
	case !s.End.After(s.Start):
		f.Add("end", "must be after start")
	case s.End.Sub(s.Start) > MaxSessionLength:
		f.Add("end", "a session lasts at most 12 hours")
	default:
		minutes := int(s.End.Sub(s.Start) / time.Minute)
		if s.JP == 0 {
			if minutes%JPMinutes != 0 || s.End.Sub(s.Start)%time.Minute != 0 {
				f.Addf("jp", "the session lasts %d minutes, not a whole number of 45-minute JP; give jp explicitly", minutes)
			} else {
				s.JP = minutes / JPMinutes
			}
		} else if s.JP < 1 || s.JP > 16 {
			f.Add("jp", "must be 1 to 16")
		}
		if loc, err := tz.Load(s.Zone); err == nil {
			day := civilDate(s.Start.In(loc))
			if day.Before(course.StartDate) || day.After(course.EndDate) {
				f.Addf("start", "falls outside the course dates %s to %s", course.StartDate.Format(time.DateOnly), course.EndDate.Format(time.DateOnly))
			}
		}
	}
	s.Start, s.End = s.Start.UTC(), s.End.UTC()
	return f.Err()
}

// civilDate returns the calendar date of t in its own location as UTC midnight.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
