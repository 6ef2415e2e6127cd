// Package impact follows training beyond the certificate, along the four
// Kirkpatrick levels: a course's participants write action plans (rencana
// aksi) at its end, report their progress after a follow-up interval, and
// their supervisors confirm whether behaviour changed and what the
// indicator reads. Reports per course, trainer and widyaiswara ×
// practitioner pair put reaction (level 1), implementation (level 3) and
// indicator change (level 4) side by side, and matching learns from them.
package impact

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"sinergi/errs"
	"sinergi/profile"
)

// Participant is one participant of a course: only what the follow-up
// needs, visible only to the institution.
type Participant struct {
	ID              int64
	InstitutionID   int64
	CourseID        int64
	Name            string
	NIP             string
	Unit            string
	Email           string
	SupervisorName  string
	SupervisorEmail string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Errors of participants and links.
var (
	ErrDuplicateParticipant = errs.New(errs.Conflict, "participant_exists", "a participant with this e-mail or NIP is already on the course")
	ErrLinkClosed           = errs.New(errs.NotFound, "impact_link_closed", "this link is unknown or has expired")
	ErrAlreadyAnswered      = errs.New(errs.Conflict, "impact_already_answered", "the answer for this link is already recorded")
	ErrNotOpen              = errs.New(errs.Conflict, "follow_up_not_open", "this follow-up is not open yet or already closed")
)

// hasControl reports whether s holds a control character other than tab
// and newline (when multiline), a line or paragraph separator, a byte
// order mark or a bidirectional override (which can disguise text).
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if r == '\t' || (multiline && (r == '\n' || r == '\r')) {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' ||
			(r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069') {
			return true
		}
	}
	return false
}

// text checks one free-text field: trimmed, between lo and hi characters,
// no control characters.
func text(f errs.Fields, field string, s *string, lo, hi int, multiline bool) {
	*s = strings.TrimSpace(*s)
	if !multiline {
		*s = strings.Join(strings.Fields(*s), " ")
	}
	n := len([]rune(*s))
	switch {
	case hasControl(*s, multiline):
		f.Add(field, "must not contain control characters")
	case n < lo && lo == 1:
		f.Add(field, "is required")
	case n < lo || n > hi:
		f.Add(field, fmt.Sprintf("must be %d to %d characters", lo, hi))
	}
}

// Normalize trims and checks a participant.
func (p *Participant) Normalize(today time.Time) error {
	f := errs.Fields{}
	text(f, "name", &p.Name, 2, 200, false)
	text(f, "unit", &p.Unit, 0, 200, false)
	text(f, "supervisor_name", &p.SupervisorName, 2, 200, false)
	p.NIP = strings.ReplaceAll(strings.TrimSpace(p.NIP), " ", "")
	if p.NIP != "" {
		if problem := profile.CheckASNNIP(p.NIP, today); problem != "" {
			f.Add("nip", problem)
		}
	}
	if e, ok := profile.NormalizeEmail(p.Email); ok && len(e) <= 254 {
		p.Email = e
	} else {
		f.Add("email", "must be a plain e-mail address such as nama@instansi.go.id")
	}
	if e, ok := profile.NormalizeEmail(p.SupervisorEmail); ok && len(e) <= 254 {
		p.SupervisorEmail = e
	} else {
		f.Add("supervisor_email", "must be a plain e-mail address such as nama@instansi.go.id")
	}
	if p.Email != "" && p.Email == p.SupervisorEmail {
		f.Add("supervisor_email", "must differ from the participant's own e-mail")
	}
	return f.Err()
}
