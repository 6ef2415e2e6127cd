package demo

import (
	"time"

	"sinergi/scheduling"
)

// Calendar is what the demo's dates are drawn from: the seeder's today and
// the holidays the database holds, so that the coming course is always
// ahead, the past course always behind, and no session lands on a weekend,
// a national holiday or a cuti bersama day.
type Calendar struct {
	Today    time.Time
	Holidays []scheduling.Holiday
}

// Window is the span of civil dates around today that the demo's sessions
// can fall in; read the holidays of [from, to] for the Calendar.
func Window(today time.Time) (from, to time.Time) {
	d := civil(today)
	return d.AddDate(0, 0, -120), d.AddDate(0, 0, 180)
}

// Weeks between today and the demo courses' Mondays.
const (
	WeeksAhead = 4
	WeeksBack  = 6
)

// civil is t's calendar date as a UTC midnight, the form holidays and
// course dates take.
func civil(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Workday tells whether sessions may be held on civil date d: not on a
// Saturday or Sunday, nor on a holiday of either kind.
func (c Calendar) Workday(d time.Time) bool {
	d = civil(d)
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return false
	}
	for _, h := range c.Holidays {
		if civil(h.Date).Equal(d) {
			return false
		}
	}
	return true
}

// monday returns the Monday of the week weeks from today's (negative:
// back).
func (c Calendar) monday(weeks int) time.Time {
	d := civil(c.Today)
	d = d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7)) // this week's Monday
	return d.AddDate(0, 0, 7*weeks)
}

// workdays returns the first n workdays from d on.
func (c Calendar) workdays(d time.Time, n int) []time.Time {
	var out []time.Time
	for ; len(out) < n; d = d.AddDate(0, 0, 1) {
		if c.Workday(d) {
			out = append(out, d)
		}
	}
	return out
}

// FiscalYears are the years the demo's rate lines cover: last year, this
// year and next, which hold both demo courses whatever today is.
func (c Calendar) FiscalYears() []int {
	y := c.Today.Year()
	return []int{y - 1, y, y + 1}
}
