package scheduling

import (
	"time"
	"unicode/utf8"

	"sinergi/errs"
)

// FirstYear and LastYear bound every date Sinergi plans, pays or
// certifies: a date outside them is a typing mistake or a probe, and
// refusing it keeps year arithmetic, rule expansion and the database's
// ranges within sense.
const FirstYear, LastYear = 2000, 2100

// CheckYear refuses a year outside FirstYear..LastYear, naming field.
func CheckYear(field string, year int) error {
	if year < FirstYear || year > LastYear {
		return errs.Invalidf(field, "must be a year from %d to %d", FirstYear, LastYear)
	}
	return nil
}

// CheckDate refuses an instant whose year (in UTC) is outside
// FirstYear..LastYear, naming field.
func CheckDate(field string, t time.Time) error {
	if y := t.UTC().Year(); y < FirstYear || y > LastYear {
		return errs.Invalidf(field, "must be from %d to %d", FirstYear, LastYear)
	}
	return nil
}

// checkLine records a problem when s is not one line of text of at most
// max characters: control characters (CR and LF above all, which would
// break the iCalendar and mail headers built from it) and broken UTF-8
// are refused whatever entry point the text came through.
func checkLine(f errs.Fields, field, s string, max int) {
	if !utf8.ValidString(s) {
		f.Add(field, "must be UTF-8 text")
		return
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			f.Add(field, "must not contain control characters")
			return
		}
	}
	if utf8.RuneCountInString(s) > max {
		f.Add(field, "is too long")
	}
}

// checkWhen records a problem when t is set and outside the years
// FirstYear..LastYear.
func checkWhen(f errs.Fields, field string, t time.Time) {
	if !t.IsZero() && CheckDate(field, t) != nil {
		f.Add(field, "must be from 2000 to 2100")
	}
}
