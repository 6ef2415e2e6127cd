package scheduling

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/teambition/rrule-go"

	"sinergi/errs"
	"sinergi/tz"
)

// Interval is a half-open span of time [Start, End).
type Interval struct {
	Start, End time.Time
}

// Window is a recurring weekly (or daily, monthly) span of free time in the
// person's zone: an RRULE without DTSTART plus a clock range.
type Window struct {
	RRule string
	// Start and End are minutes after local midnight; End > Start.
	Start, End int
}

// Period is a one-off span when the person is not available.
type Period struct {
	Interval
	Reason string
}

// Availability is what a person declared. With no windows the person is
// taken as available at any time that is not unavailable or booked.
type Availability struct {
	Zone        string
	Windows     []Window
	Unavailable []Period
}

// The DTSTART date of every window is Monday 6 January 2020, long past, so
// that a rule yields every occurrence from then on.
const anchorYear, anchorMonth, anchorDay = 2020, time.January, 6

// MaxRange bounds any expansion of availability.
const MaxRange = 400 * 24 * time.Hour

// ParseClock reads "HH:MM" as minutes after midnight; "24:00" is allowed as
// an end.
func ParseClock(s string) (int, bool) {
	var h, m int
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	if _, err := fmt.Sscanf(s, "%02d:%02d", &h, &m); err != nil || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// FormatClock writes minutes after midnight as "HH:MM".
func FormatClock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

func (w Window) rule(loc *time.Location) (*rrule.RRule, error) {
	opt, err := rrule.StrToROption(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(w.RRule)), "RRULE:"))
	if err != nil {
		return nil, err
	}
	switch opt.Freq {
	case rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY:
	default:
		return nil, fmt.Errorf("FREQ must be DAILY, WEEKLY or MONTHLY")
	}
	if opt.Count > 0 {
		return nil, fmt.Errorf("use UNTIL instead of COUNT")
	}
	opt.Dtstart = time.Date(anchorYear, anchorMonth, anchorDay, w.Start/60, w.Start%60, 0, 0, loc)
	return rrule.NewRRule(*opt)
}

// Normalize checks an availability declaration.
func (a *Availability) Normalize() error {
	f := errs.Fields{}
	loc, err := tz.Load(a.Zone)
	if err != nil {
		f.Add("zone", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura")
		return f.Err()
	}
	if len(a.Windows) > 50 {
		f.Add("windows", "at most 50 windows")
	}
	if len(a.Unavailable) > 500 {
		f.Add("unavailable", "at most 500 periods")
	}
	for i, w := range a.Windows {
		at := fmt.Sprintf("windows[%d]", i)
		if _, err := w.rule(loc); err != nil {
			f.Addf(at+".rrule", "is not a usable RRULE: %s", err.Error())
		}
		if w.Start < 0 || w.End > 24*60 || w.End <= w.Start {
			f.Add(at+".end", "must be after start, within the same day")
		}
	}
	for i, p := range a.Unavailable {
		if !p.End.After(p.Start) {
			f.Add(fmt.Sprintf("unavailable[%d].end", i), "must be after start")
		}
		a.Unavailable[i].Reason = strings.TrimSpace(p.Reason)
	}
	return f.Err()
}

// windowIntervals expands the windows over [from, to).
func (a Availability) windowIntervals(from, to time.Time) []Interval {
	loc, err := tz.Load(a.Zone)
	if err != nil {
		return nil
	}
	if to.Sub(from) > MaxRange {
		to = from.Add(MaxRange)
	}
	var out []Interval
	for _, w := range a.Windows {
		r, err := w.rule(loc)
		if err != nil {
			continue
		}
		length := time.Duration(w.End-w.Start) * time.Minute
		for _, start := range r.Between(from.Add(-length), to, true) {
			iv := Interval{start, start.Add(length)}
			if iv.End.After(from) && iv.Start.Before(to) {
				out = append(out, clip(iv, from, to))
			}
		}
	}
	return merge(out)
}

// Covers reports whether the person declared themself free for the whole
// of [start, end): inside one merged window and clear of unavailability.
func (a Availability) Covers(start, end time.Time) bool {
	for _, p := range a.Unavailable {
		if p.Start.Before(end) && start.Before(p.End) {
			return false
		}
	}
	if len(a.Windows) == 0 {
		return true
	}
	for _, iv := range a.windowIntervals(start.Add(-24*time.Hour), end.Add(24*time.Hour)) {
		if !iv.Start.After(start) && !iv.End.Before(end) {
			return true
		}
	}
	return false
}

// FreeBusy returns the free and busy intervals over [from, to), given the
// person's booked intervals.
func (a Availability) FreeBusy(booked []Interval, from, to time.Time) (free, busy []Interval) {
	for _, p := range a.Unavailable {
		if p.Start.Before(to) && from.Before(p.End) {
			busy = append(busy, clip(p.Interval, from, to))
		}
	}
	for _, b := range booked {
		if b.Start.Before(to) && from.Before(b.End) {
			busy = append(busy, clip(b, from, to))
		}
	}
	busy = merge(busy)
	windows := []Interval{{from, to}}
	if len(a.Windows) > 0 {
		windows = a.windowIntervals(from, to)
	}
	return subtract(windows, busy), busy
}

func clip(iv Interval, from, to time.Time) Interval {
	if iv.Start.Before(from) {
		iv.Start = from
	}
	if iv.End.After(to) {
		iv.End = to
	}
	return iv
}

// merge sorts intervals and joins those that overlap or touch.
func merge(ivs []Interval) []Interval {
	if len(ivs) == 0 {
		return nil
	}
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].Start.Before(ivs[j].Start) })
	out := []Interval{ivs[0]}
	for _, iv := range ivs[1:] {
		last := &out[len(out)-1]
		if !iv.Start.After(last.End) {
			if iv.End.After(last.End) {
				last.End = iv.End
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// subtract removes the merged, sorted intervals cut from the merged,
// sorted intervals base.
func subtract(base, cut []Interval) []Interval {
	var out []Interval
	for _, b := range base {
		cur := b
		for _, c := range cut {
			if !c.End.After(cur.Start) || !c.Start.Before(cur.End) {
				continue
			}
			if c.Start.After(cur.Start) {
				out = append(out, Interval{cur.Start, c.Start})
			}
			cur.Start = c.End
			if !cur.Start.Before(cur.End) {
				break
			}
		}
		if cur.Start.Before(cur.End) {
			out = append(out, cur)
		}
	}
	return out
}
