package scheduling

import (
	"time"

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
