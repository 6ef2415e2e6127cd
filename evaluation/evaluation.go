// Package evaluation collects participants' ratings of the trainers of a
// session on a Likert 1-4 scale per item (penampilan, metode, komunikasi,
// media, penguasaan materi), as training institutions report Level 1
// (reaction) of Kirkpatrick's model.
package evaluation

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"sinergi/errs"
)

// Trainer is a trainer participants can rate on a form.
type Trainer struct {
	BookingID int64
	PersonID  int64
	Name      string
	Role      string
}

// Form is an evaluation form with its session.
type Form struct {
	ID            int64
	InstitutionID int64
	SessionID     int64
	Topic         string
	CourseName    string
	Start         time.Time
	Zone          string
	ExpiresAt     time.Time
	Trainers      []Trainer
}

// Store keeps forms and ratings.
type Store interface {
	// NewForm makes a form link for a session; only its hash is kept.
	NewForm(ctx context.Context, inst, sessionID int64, ttl time.Duration) (string, time.Time, error)
	// Form resolves an open form link.
	Form(ctx context.Context, secret string) (Form, error)
	// Submit stores one participant's ratings.
	Submit(ctx context.Context, f Form, ratings []Rating) error
}

// Items are the rated aspects, in the order forms show them. Labels are
// the catalogue's English; pages tell them in the reader's language.
func Items() []Item {
	return []Item{
		{"penampilan", "Appearance"},
		{"metode", "Delivery method"},
		{"komunikasi", "Communication and interaction"},
		{"media", "Use of media"},
		{"penguasaan_materi", "Command of the material"},
	}
}

// Item is one rated aspect.
type Item struct {
	Code  string
	Label string
}

// Rating is one participant's rating of one trainer.
type Rating struct {
	BookingID int64
	Scores    map[string]int
	Comment   string
}

// Mean returns the mean score (1-4) and the share of the maximum, 0-100,
// rounded half up.
func (r Rating) Mean() (float64, int) {
	sum := 0
	for _, v := range r.Scores {
		sum += v
	}
	n := len(r.Scores)
	return float64(sum) / float64(n), (sum*100 + 2*n) / (4 * n)
}

// Validate checks a submission against the trainers on the form.
func Validate(ratings []Rating, bookings map[int64]bool) error {
	f := errs.Fields{}
	if len(ratings) == 0 {
		f.Add("ratings", "rate at least one trainer")
	}
	seen := map[int64]bool{}
	for i, r := range ratings {
		at := fmt.Sprintf("ratings[%d]", i)
		if !bookings[r.BookingID] {
			f.Add(at+".booking_id", "is not a trainer of this session")
		}
		if seen[r.BookingID] {
			f.Add(at+".booking_id", "appears more than once")
		}
		seen[r.BookingID] = true
		for _, it := range Items() {
			v, ok := r.Scores[it.Code]
			if !ok {
				f.Add(at+".scores."+it.Code, "is required")
			} else if v < 1 || v > 4 {
				f.Add(at+".scores."+it.Code, "must be 1 to 4")
			}
		}
		if len(r.Scores) != len(Items()) {
			for k := range r.Scores {
				if !isItem(k) {
					f.Add(at+".scores."+k, "is not an item of the form")
				}
			}
		}
		if len(strings.TrimSpace(r.Comment)) > 2000 {
			f.Add(at+".comment", "at most 2000 characters")
		}
		// A comment may run over several lines; no other control
		// character (NUL above all) or broken UTF-8, from the JSON API or
		// the form alike.
		if !utf8.ValidString(r.Comment) || strings.ContainsFunc(r.Comment, func(c rune) bool {
			return (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f
		}) {
			f.Add(at+".comment", "must be text without control characters")
		}
	}
	return f.Err()
}

func isItem(code string) bool {
	for _, it := range Items() {
		if it.Code == code {
			return true
		}
	}
	return false
}
