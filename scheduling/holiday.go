package scheduling

import (
	"strings"
	"time"

	"sinergi/errs"
)

// HolidayKind separates national holidays from joint leave days.
type HolidayKind string

// Holiday kinds (SKB 3 Menteri).
const (
	LiburNasional HolidayKind = "libur_nasional"
	CutiBersama   HolidayKind = "cuti_bersama"
)

// Holiday is one date of the national calendar.
type Holiday struct {
	Date   time.Time // civil date, UTC midnight
	Kind   HolidayKind
	NameID string
	NameEN string
	// Status is confirmed or estimated (dates fixed later by sidang isbat).
	Status string
	Source string
}

// Normalize checks a holiday entered by an admin.
func (h *Holiday) Normalize() error {
	f := errs.Fields{}
	h.NameID = strings.TrimSpace(h.NameID)
	h.NameEN = strings.TrimSpace(h.NameEN)
	h.Source = strings.TrimSpace(h.Source)
	if h.Date.IsZero() {
		f.Add("date", "is required (YYYY-MM-DD)")
	}
	if h.Kind != LiburNasional && h.Kind != CutiBersama {
		f.Add("kind", "must be libur_nasional or cuti_bersama")
	}
	if h.NameID == "" {
		f.Add("name_id", "is required")
	}
	if h.Status == "" {
		h.Status = "confirmed"
	}
	if h.Status != "confirmed" && h.Status != "estimated" {
		f.Add("status", "must be confirmed or estimated")
	}
	if h.Source == "" {
		f.Add("source", "is required: name the decree (SKB, Keppres)")
	}
	return f.Err()
}

// ErrHolidayTaken refuses adding a holiday on a date that has one, unless
// replacing it is asked for.
var ErrHolidayTaken = errs.New(errs.Conflict, "holiday_exists", "the date already has a holiday; send replace: true to replace it")

// ErrHoliday refuses a session on a national holiday unless forced.
var ErrHoliday = errs.New(errs.Conflict, "holiday", "the session falls on a national holiday (libur nasional); send force: true to schedule it anyway")

// sessionDays returns the civil dates, in the venue zone, that [start, end)
// touches.
func sessionDays(start, end time.Time, loc *time.Location) []time.Time {
	var days []time.Time
	last := civilDate(end.Add(-time.Nanosecond).In(loc))
	for d := civilDate(start.In(loc)); !d.After(last); d = d.AddDate(0, 0, 1) {
		days = append(days, d)
	}
	return days
}

// HolidayCheck sorts the holidays a session touches into blocking national
// holidays and cuti bersama warnings.
func HolidayCheck(s Session, holidays []Holiday) (blocking, warnings []Holiday) {
	byDate := map[time.Time][]Holiday{}
	for _, h := range holidays {
		byDate[h.Date] = append(byDate[h.Date], h)
	}
	for _, d := range sessionDays(s.Start, s.End, s.Location()) {
		for _, h := range byDate[d] {
			if h.Kind == LiburNasional {
				blocking = append(blocking, h)
			} else {
				warnings = append(warnings, h)
			}
		}
	}
	return blocking, warnings
}
