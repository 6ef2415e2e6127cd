package demo

import (
	"reflect"
	"testing"
	"time"

	"sinergi/scheduling"
)

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := Generate(7), Generate(7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different data")
	}
	if reflect.DeepEqual(a, Generate(8)) {
		t.Fatal("another seed gave the same data")
	}
}

func TestGenerateMakesAValidRoster(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	insts := Generate(42)
	zones := map[string]bool{}
	var widyaiswara, practitioners int
	for _, in := range insts {
		zones[in.Tenant.Zone] = true
		if err := in.Tenant.Normalize(); err != nil {
			t.Fatalf("%s: %v", in.Tenant.Code, err)
		}
		emails := map[string]bool{}
		for _, p := range in.People {
			person := p.Person
			if err := person.Normalize(today); err != nil {
				t.Fatalf("%s %s: %v", in.Tenant.Code, p.Person.Email, err)
			}
			if emails[person.Email] {
				t.Fatalf("duplicate e-mail %s", person.Email)
			}
			emails[person.Email] = true
			if len(p.Levels) == 0 {
				t.Fatalf("%s has no competencies", person.Email)
			}
			if person.Kind == "widyaiswara" {
				widyaiswara++
			} else {
				practitioners++
			}
		}
	}
	if len(insts) != 3 || len(zones) != 3 || widyaiswara != 60 || practitioners != 300 {
		t.Fatalf("%d institutions in %d zones, %d widyaiswara, %d practitioners", len(insts), len(zones), widyaiswara, practitioners)
	}
}

// TestCalendarPlacesCoursesOnWorkdays places the courses around Nyepi and
// Idul Fitri 2027 (with their cuti bersama) and a weekend: the coming
// course starts on a Monday weeks ahead and every session of both courses
// is on a workday, the past one over before today.
func TestCalendarPlacesCoursesOnWorkdays(t *testing.T) {
	day := func(m time.Month, d int) time.Time { return time.Date(2027, m, d, 0, 0, 0, 0, time.UTC) }
	var hs []scheduling.Holiday
	for _, d := range []int{8, 9, 10, 11, 12, 15} {
		hs = append(hs, scheduling.Holiday{Date: day(time.March, d), Kind: scheduling.LiburNasional})
	}
	hs = append(hs, scheduling.Holiday{Date: day(time.January, 1)}, scheduling.Holiday{Date: day(time.January, 5)})
	today := time.Date(2027, 2, 10, 2, 0, 0, 0, time.UTC)
	cal := Calendar{Today: today, Holidays: hs}
	in := Generate(42)[1]
	coming, past := Courses(in, cal), Past(in, cal)
	if c := coming.Course; c.StartDate != day(time.March, 8) || c.StartDate.Weekday() != time.Monday || c.EndDate != day(time.March, 29) {
		t.Fatalf("coming course %s..%s", c.StartDate.Format(time.DateOnly), c.EndDate.Format(time.DateOnly))
	}
	if len(coming.Sessions) != 10 || len(past.Sessions) != 4 {
		t.Fatalf("%d coming and %d past sessions", len(coming.Sessions), len(past.Sessions))
	}
	if first := coming.Sessions[0].Start; first.Format("2006-01-02 15:04 MST") != "2027-03-16 08:00 WITA" {
		t.Fatalf("first coming session at %s", first.Format("2006-01-02 15:04 MST"))
	}
	if p := past.Course; p.StartDate != day(time.December, 28).AddDate(-1, 0, 0) || p.EndDate != day(time.December, 31).AddDate(-1, 0, 0) {
		t.Fatalf("past course %s..%s", p.StartDate.Format(time.DateOnly), p.EndDate.Format(time.DateOnly))
	}
	for _, s := range append(coming.Sessions, pastSessions(past)...) {
		if !cal.Workday(s.Start) {
			t.Errorf("session %s on %s", s.Topic, s.Start.Format("Mon 2006-01-02"))
		}
	}
	if end := past.Sessions[3].Session.End; !end.Before(today) {
		t.Fatalf("past course ends %s", end)
	}
	if got := cal.FiscalYears(); len(got) != 3 || got[0] != 2026 || got[2] != 2028 {
		t.Fatalf("fiscal years %v", got)
	}
}

func pastSessions(p PastCourse) []scheduling.Session {
	var out []scheduling.Session
	for _, s := range p.Sessions {
		out = append(out, s.Session)
	}
	return out
}
