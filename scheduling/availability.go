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

// Limits on availability rules: what a timetable of free hours needs and
// no more, so that no declaration can make expansion expensive.
const (
	// maxByHour is how many BYHOUR values a window may list.
	maxByHour = 4
	// maxInterval is the largest INTERVAL (every 52 weeks at most).
	maxInterval = 52
	// MaxInstances caps the occurrences one expansion of a person's
	// windows produces, whatever they declared.
	MaxInstances = 5000
)

// options parses and checks the window's RRULE: FREQ DAILY, WEEKLY or
// MONTHLY; no COUNT, BYSECOND, BYWEEKNO, BYYEARDAY or BYEASTER; at most one
// BYMINUTE and maxByHour BYHOUR values; BYSETPOS only monthly; month days
// 1–28 (or -1–-28) so that every rule keeps occurring.
func (w Window) options(loc *time.Location) (*rrule.ROption, error) {
	raw := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(w.RRule)), "RRULE:")
	for _, part := range strings.Split(raw, ";") {
		key, _, _ := strings.Cut(part, "=")
		switch key {
		case "FREQ", "INTERVAL", "UNTIL", "WKST", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYHOUR", "BYMINUTE", "BYSETPOS":
		default:
			return nil, fmt.Errorf("%s is not allowed; use FREQ, INTERVAL, UNTIL, WKST, BYDAY, BYMONTHDAY, BYMONTH, BYHOUR, BYMINUTE or BYSETPOS", key)
		}
	}
	opt, err := rrule.StrToROption(raw)
	if err != nil {
		return nil, err
	}
	switch opt.Freq {
	case rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY:
	default:
		return nil, fmt.Errorf("FREQ must be DAILY, WEEKLY or MONTHLY")
	}
	switch {
	case opt.Count > 0:
		return nil, fmt.Errorf("use UNTIL instead of COUNT")
	case opt.Interval > maxInterval:
		return nil, fmt.Errorf("INTERVAL must be at most %d", maxInterval)
	case len(opt.Byminute) > 1:
		return nil, fmt.Errorf("BYMINUTE takes at most one value")
	case len(opt.Byhour) > maxByHour:
		return nil, fmt.Errorf("BYHOUR takes at most %d values", maxByHour)
	case len(opt.Bysetpos) > 0 && opt.Freq != rrule.MONTHLY:
		return nil, fmt.Errorf("BYSETPOS is allowed only with FREQ=MONTHLY")
	case !opt.Until.IsZero() && CheckDate("until", opt.Until) != nil:
		return nil, fmt.Errorf("UNTIL must be from %d to %d", FirstYear, LastYear)
	}
	for _, d := range opt.Bymonthday {
		if d == 0 || d > 28 || d < -28 {
			return nil, fmt.Errorf("BYMONTHDAY must be 1 to 28 or -1 to -28")
		}
	}
	opt.Dtstart = time.Date(anchorYear, anchorMonth, anchorDay, w.Start/60, w.Start%60, 0, 0, loc)
	return opt, nil
}

func (w Window) rule(loc *time.Location) (*rrule.RRule, error) {
	opt, err := w.options(loc)
	if err != nil {
		return nil, err
	}
	return rrule.NewRRule(*opt)
}

// ruleFrom is the rule of opt (a window's parsed options) moved forward
// to begin shortly before from: DTSTART advances by whole periods
// (INTERVAL days, weeks or months) from the anchor, so the occurrences are
// the rule's own, but expansion no longer walks every occurrence since
// 2020.
func ruleFrom(opt rrule.ROption, from time.Time) (*rrule.RRule, error) {
	anchor := opt.Dtstart
	from = from.In(anchor.Location())
	step := max(opt.Interval, 1)
	switch opt.Freq {
	case rrule.DAILY, rrule.WEEKLY:
		unit := 1
		if opt.Freq == rrule.WEEKLY {
			unit = 7
		}
		days := int(from.Sub(anchor).Hours() / 24)
		// One period less, so that occurrences earlier in the day (BYHOUR)
		// or week than DTSTART are not lost.
		if k := days/(unit*step) - 1; k > 0 {
			opt.Dtstart = anchor.AddDate(0, 0, k*unit*step)
		}
	case rrule.MONTHLY:
		months := (from.Year()-anchor.Year())*12 + int(from.Month()) - int(anchor.Month())
		if k := months/step - 1; k > 0 {
			opt.Dtstart = anchor.AddDate(0, k*step, 0)
		}
	}
	return rrule.NewRRule(opt)
}

// parsed holds the options of each window, nil where a stored rule is no
// longer acceptable (it then yields nothing).
type parsed []*rrule.ROption

func (a Availability) parse() parsed {
	loc, err := tz.Load(a.Zone)
	if err != nil {
		return make(parsed, len(a.Windows))
	}
	out := make(parsed, len(a.Windows))
	for i, w := range a.Windows {
		if opt, err := w.options(loc); err == nil {
			out[i] = opt
		}
	}
	return out
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
	return a.expand(a.parse(), from, to)
}

// expand expands the windows, whose options are rules, over [from, to):
// at most MaxRange and MaxInstances occurrences in all.
func (a Availability) expand(rules parsed, from, to time.Time) []Interval {
	if to.Sub(from) > MaxRange {
		to = from.Add(MaxRange)
	}
	var out []Interval
	budget := MaxInstances
	for i, w := range a.Windows {
		if i >= len(rules) || rules[i] == nil {
			continue
		}
		length := time.Duration(w.End-w.Start) * time.Minute
		r, err := ruleFrom(*rules[i], from.Add(-length))
		if err != nil {
			continue
		}
		next := r.Iterator()
		for ; budget > 0; budget-- {
			start, ok := next()
			if !ok || !start.Before(to) {
				break
			}
			iv := Interval{start, start.Add(length)}
			if iv.End.After(from) {
				out = append(out, clip(iv, from, to))
			}
		}
	}
	return merge(out)
}

// Covers reports whether the person declared themself free for the whole
// of [start, end): inside one merged window and clear of unavailability.
func (a Availability) Covers(start, end time.Time) bool {
	return a.covers(a.parse(), start, end)
}

// Checker is Covers with the rules parsed once, for checking many spans
// against one declaration (ranking does so for every candidate).
func (a Availability) Checker() func(start, end time.Time) bool {
	rules := a.parse()
	return func(start, end time.Time) bool { return a.covers(rules, start, end) }
}

func (a Availability) covers(rules parsed, start, end time.Time) bool {
	for _, p := range a.Unavailable {
		if p.Start.Before(end) && start.Before(p.End) {
			return false
		}
	}
	if len(a.Windows) == 0 {
		return true
	}
	// Only occurrences overlapping [start, end) can cover it; expanding
	// just that span (clipped, merged) keeps the check cheap even for the
	// busiest declaration.
	for _, iv := range a.expand(rules, start, end) {
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
