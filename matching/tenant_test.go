package matching

import (
	"strings"
	"testing"
	"time"

	"sinergi/profile"
	"sinergi/scheduling"
)

// TestAnotherInstitutionsBookingIsOnlyBusy: a shared practitioner booked by
// another institution is excluded as busy, without that institution's
// session id or venue.
func TestAnotherInstitutionsBookingIsOnlyBusy(t *testing.T) {
	s := session(10, 1, 3)
	s.InstitutionID = 1
	overlap := person(1, profile.Practitioner, map[string]int{"bencana": 5})
	overlap.Busy = []Booked{{Interval: Interval{Start: s.Start, End: s.End}, InstitutionID: 2, SessionID: 777, Offline: true, Venue: "Hotel Rahasia"}}
	near := person(2, profile.Practitioner, map[string]int{"bencana": 5})
	near.Busy = []Booked{{Interval: Interval{Start: s.End.Add(20 * time.Minute), End: s.End.Add(2 * time.Hour)}, InstitutionID: 2,
		SessionID: 778, Offline: true, Venue: "Hotel Rahasia"}}
	ix := NewIndex([]Person{overlap, near})
	res := ix.Rank(Request{Session: s, Course: testCourse, Role: scheduling.CoTrainer, Limit: 10, ExcludedLimit: 10, Rules: DefaultRules()})
	if len(res.Excluded) != 2 {
		t.Fatalf("excluded %v, candidates %v", res.Excluded, res.Candidates)
	}
	for _, e := range res.Excluded {
		if e.Constraint != ExBusy || strings.Contains(e.Explanation.String(), "77") || strings.Contains(e.Explanation.String(), "Rahasia") {
			t.Errorf("person %d: %s %q", e.Person.ID, e.Constraint, e.Explanation)
		}
	}
}
