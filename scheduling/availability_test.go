package scheduling

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"sinergi/errs"
	"sinergi/tz"
)

// abuseRule is the window from the report: every hour, minute and second
// of every day, which made expansion from 2020 take tens of seconds.
func abuseRule() string {
	var h, m []string
	for i := 0; i < 60; i++ {
		if i < 24 {
			h = append(h, fmt.Sprint(i))
		}
		m = append(m, fmt.Sprint(i))
	}
	return "FREQ=DAILY;BYHOUR=" + strings.Join(h, ",") + ";BYMINUTE=" + strings.Join(m, ",") + ";BYSECOND=" + strings.Join(m, ",")
}

// WorstWindows is the costliest availability Normalize accepts: the most
// windows, each daily with the most BYHOUR values.
func worstWindows() []Window {
	ws := make([]Window, 50)
	for i := range ws {
		ws[i] = Window{RRule: "FREQ=DAILY;BYHOUR=0,6,12,18;BYMINUTE=0", Start: i, End: i + 1}
	}
	return ws
}

func TestAvailabilityRulesAreBounded(t *testing.T) {
	refused := []struct{ name, rule string }{
		{"the reported abuse: every hour, minute and second", abuseRule()},
		{"BYSECOND", "FREQ=DAILY;BYSECOND=0"},
		{"a BYMINUTE list", "FREQ=DAILY;BYMINUTE=0,30"},
		{"more than four BYHOUR values", "FREQ=DAILY;BYHOUR=8,9,10,11,12"},
		{"HOURLY", "FREQ=HOURLY"},
		{"YEARLY", "FREQ=YEARLY"},
		{"COUNT", "FREQ=WEEKLY;COUNT=10"},
		{"BYWEEKNO", "FREQ=WEEKLY;BYWEEKNO=1"},
		{"BYYEARDAY", "FREQ=DAILY;BYYEARDAY=1"},
		{"BYSETPOS on a daily rule, which may never occur", "FREQ=DAILY;BYSETPOS=3"},
		{"a month day that some months lack", "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30"},
		{"an INTERVAL of years", "FREQ=WEEKLY;INTERVAL=520"},
		{"UNTIL past 2100", "FREQ=WEEKLY;UNTIL=99991231T000000Z"},
		{"DTSTART of its own", "FREQ=WEEKLY;DTSTART=20200101T000000Z"},
	}
	for _, tt := range refused {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			a := Availability{Zone: "Asia/Jakarta", Windows: []Window{{RRule: tt.rule, Start: 8 * 60, End: 12 * 60}}}
			err := a.Normalize()
			e, ok := errs.As(err)
			if !ok || e.Fields["windows[0].rrule"] == "" {
				t.Fatalf("got %v, want a problem with windows[0].rrule", err)
			}
		})
	}
	accepted := []string{"FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=DAILY", "FREQ=DAILY;BYHOUR=8,13;BYMINUTE=30",
		"FREQ=MONTHLY;BYDAY=1MO", "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20271231T000000Z",
		"RRULE:FREQ=MONTHLY;BYMONTHDAY=1,15,-1"}
	for _, rule := range accepted {
		t.Run("accepts "+rule, func(t *testing.T) {
			a := Availability{Zone: "Asia/Jakarta", Windows: []Window{{RRule: rule, Start: 8 * 60, End: 12 * 60}}}
			if err := a.Normalize(); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("the worst accepted declaration is accepted", func(t *testing.T) {
		a := Availability{Zone: "Asia/Jakarta", Windows: worstWindows()}
		if err := a.Normalize(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an abusive rule already stored expands to nothing, not forever", func(t *testing.T) {
		a := Availability{Zone: "Asia/Jakarta", Windows: []Window{{RRule: abuseRule(), Start: 0, End: 1}}}
		if ivs := a.windowIntervals(at("Asia/Jakarta", "2026-12-01 00:00"), at("Asia/Jakarta", "2026-12-02 00:00")); len(ivs) != 0 {
			t.Fatalf("expanded %d intervals", len(ivs))
		}
	})
	t.Run("expansion stops at MaxInstances whatever the range", func(t *testing.T) {
		a := Availability{Zone: "Asia/Jakarta", Windows: worstWindows()}
		from := at("Asia/Jakarta", "2026-01-01 00:00")
		if n := len(a.windowIntervals(from, from.Add(MaxRange))); n > MaxInstances {
			t.Fatalf("%d intervals from one expansion", n)
		}
	})
}

// TestExpansionFromTheRangeKeepsTheRule checks that starting expansion
// near the queried range yields exactly the occurrences the rule has when
// expanded from its 2020 anchor.
func TestExpansionFromTheRangeKeepsTheRule(t *testing.T) {
	rules := []string{"FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU,SA", "FREQ=WEEKLY;INTERVAL=2", "FREQ=DAILY;INTERVAL=5",
		"FREQ=DAILY;BYHOUR=7,15;BYMINUTE=10", "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=6,-1", "FREQ=MONTHLY;BYDAY=2TH",
		"FREQ=MONTHLY;INTERVAL=7", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "FREQ=WEEKLY;BYDAY=FR;UNTIL=20270301T000000Z",
		"FREQ=DAILY;BYMONTH=3,9;BYDAY=MO"}
	loc := tz.MustLoad("Asia/Makassar")
	for _, rule := range rules {
		w := Window{RRule: rule, Start: 9 * 60, End: 11*60 + 30}
		old, err := w.rule(loc)
		if err != nil {
			t.Fatalf("%s: %v", rule, err)
		}
		for _, from := range []time.Time{at("Asia/Makassar", "2020-01-01 00:00"), at("Asia/Makassar", "2026-12-07 10:00"),
			at("Asia/Makassar", "2027-02-28 23:00"), at("Asia/Makassar", "2031-07-15 06:00")} {
			to := from.AddDate(0, 4, 0)
			a := Availability{Zone: "Asia/Makassar", Windows: []Window{w}}
			got := a.windowIntervals(from, to)
			length := time.Duration(w.End-w.Start) * time.Minute
			var want []Interval
			for _, s := range old.Between(from.Add(-length), to, true) {
				if iv := (Interval{s, s.Add(length)}); iv.End.After(from) && iv.Start.Before(to) {
					want = append(want, clip(iv, from, to))
				}
			}
			if !slices.EqualFunc(got, merge(want), func(x, y Interval) bool { return x.Start.Equal(y.Start) && x.End.Equal(y.End) }) {
				t.Errorf("%s from %s: %d intervals, want %d", rule, from, len(got), len(merge(want)))
			}
		}
	}
}

// BenchmarkCovers prices one availability check (what matching does per
// candidate) for a weekly timetable and for the worst declaration the API
// accepts.
func BenchmarkCovers(b *testing.B) {
	start, end := at("Asia/Jakarta", "2026-12-07 09:00"), at("Asia/Jakarta", "2026-12-07 12:00")
	for _, c := range []struct {
		name string
		a    Availability
	}{
		{"weekly", Availability{Zone: "Asia/Jakarta", Windows: []Window{{RRule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", Start: 8 * 60, End: 16 * 60}}}},
		{"worst-accepted", Availability{Zone: "Asia/Jakarta", Windows: worstWindows()}},
	} {
		check := c.a.Checker() // as ranking holds it
		b.Run(c.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				check(start, end)
			}
		})
	}
}

// TestSessionTextIsOneLine: whatever entry point a session comes through,
// a CR/LF or NUL in its topic or venue is refused, so invitations and
// feeds built from it stay well-formed.
func TestSessionTextIsOneLine(t *testing.T) {
	for _, tt := range []struct{ field, topic, venue string }{
		{"venue", "Manajemen Risiko", "Aula\r\nX-Injected: 1"},
		{"venue", "Manajemen Risiko", "Aula\x00"},
		{"topic", "Manajemen\x00Risiko", "Aula"},
	} {
		s := Session{Topic: tt.topic, Venue: tt.venue, Zone: "Asia/Jakarta", Mode: Offline,
			Start: at("Asia/Jakarta", "2026-12-07 09:00"), End: at("Asia/Jakarta", "2026-12-07 10:30")}
		e, ok := errs.As(s.Normalize(course))
		if !ok || e.Fields[tt.field] == "" {
			t.Errorf("%q / %q: got %v", tt.topic, tt.venue, e)
		}
	}
	s := Session{Topic: "Manajemen Risiko", Venue: "Aula", Zone: "Asia/Jakarta", Mode: Offline,
		Start: at("Asia/Jakarta", "9999-12-07 09:00"), End: at("Asia/Jakarta", "9999-12-07 10:30")}
	if e, ok := errs.As(s.Normalize(course)); !ok || e.Fields["start"] == "" {
		t.Errorf("year 9999: got %v", e)
	}
}
