package matching

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"sinergi/profile"
	"sinergi/scheduling"
)

var testCourse = scheduling.Course{ID: 1, InstitutionID: 1, Name: "PKP", OrganisingUnit: "Bidang PKM", PractitionerOutsideUnit: true}

func session(id int64, startHour, hours int) scheduling.Session {
	start := time.Date(2026, 12, 7, startHour, 0, 0, 0, time.UTC)
	return scheduling.Session{ID: id, InstitutionID: 1, CourseID: 1, Zone: "Asia/Makassar", Mode: scheduling.Offline,
		Venue: "Aula", JP: hours * 60 / 45, Start: start, End: start.Add(time.Duration(hours) * time.Hour),
		Requirements: []scheduling.Requirement{{Code: "bencana", MinLevel: 3}, {Code: "komunikasi", MinLevel: 2}}}
}

func person(id int64, kind profile.Kind, levels map[string]int) Person {
	return Person{ID: id, InstitutionID: 1, Name: fmt.Sprintf("P%d", id), Kind: kind, Jenjang: profile.AhliMuda,
		Zone: "Asia/Makassar", Levels: levels, JPYear: map[int]int{}, JPMonth: map[int]int{}}
}

func TestBreakdownSumsToScore(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	var people []Person
	for i := 0; i < 200; i++ {
		p := person(int64(i+1), profile.Practitioner, map[string]int{"bencana": r.IntN(6), "komunikasi": r.IntN(6)})
		p.RatingMean, p.RatingCount = 1+3*r.Float64(), r.IntN(60)
		p.JPYear[2026] = r.IntN(100)
		p.RatePerJP = int64(r.IntN(1500000))
		p.Zone = []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"}[r.IntN(3)]
		people = append(people, p)
	}
	ix := NewIndex(people)
	rules := DefaultRules()
	rules.BudgetPerJP = 900000
	res := ix.Rank(Request{Session: session(1, 1, 3), Course: testCourse, Role: scheduling.CoTrainer, Limit: 50,
		Weights: Weights{Expertise: 3, Level: 1, Rating: 2, Load: 1, Cost: 1, Travel: 1}, Rules: rules})
	if len(res.Candidates) != 50 {
		t.Fatalf("%d candidates", len(res.Candidates))
	}
	prev := 1 << 30
	for _, c := range res.Candidates {
		sum := 0
		for _, p := range c.Breakdown {
			sum += p.Points
			if p.Explanation.Format == "" {
				t.Fatalf("criterion %s unexplained", p.Criterion)
			}
		}
		if sum != c.Score || c.Score > prev || c.Score < 0 || c.Score > 10000 {
			t.Fatalf("score %d, parts sum %d, previous %d", c.Score, sum, prev)
		}
		prev = c.Score
	}
}

func TestWeightsChangeTheOrder(t *testing.T) {
	expert := person(1, profile.Practitioner, map[string]int{"bencana": 5, "komunikasi": 5})
	expert.RatingMean, expert.RatingCount = 2.5, 40
	loved := person(2, profile.Practitioner, map[string]int{"bencana": 2, "komunikasi": 2})
	loved.RatingMean, loved.RatingCount = 4, 80
	ix := NewIndex([]Person{expert, loved})
	first := func(w Weights) int64 {
		res := ix.Rank(Request{Session: session(1, 1, 3), Course: testCourse, Role: scheduling.CoTrainer, Weights: w, Rules: DefaultRules()})
		return res.Candidates[0].Person.ID
	}
	if got := first(Weights{Expertise: 10, Rating: 1}); got != 1 {
		t.Fatalf("expertise-heavy weights put %d first", got)
	}
	if got := first(Weights{Expertise: 1, Rating: 10}); got != 2 {
		t.Fatalf("rating-heavy weights put %d first", got)
	}
}

func TestRatingIsSmoothed(t *testing.T) {
	one := person(1, profile.Practitioner, nil)
	one.RatingMean, one.RatingCount = 4, 1
	fifty := person(2, profile.Practitioner, nil)
	fifty.RatingMean, fifty.RatingCount = 3.8, 50
	ix := NewIndex([]Person{one, fifty})
	res := ix.Rank(Request{Session: session(1, 1, 3), Course: testCourse, Role: scheduling.CoTrainer, Weights: Weights{Rating: 1}, Rules: DefaultRules()})
	if res.Candidates[0].Person.ID != 2 {
		t.Fatalf("a single 4/4 beat fifty 3.8s: %+v", res.Candidates[0].Breakdown)
	}
}

func TestExclusionReasons(t *testing.T) {
	s := session(10, 1, 3)
	ok := person(1, profile.Widyaiswara, map[string]int{"bencana": 5})
	practitioner := person(2, profile.Practitioner, map[string]int{"bencana": 5})
	junior := person(3, profile.Widyaiswara, map[string]int{"bencana": 5})
	junior.Jenjang = profile.AhliPertama
	busy := person(4, profile.Widyaiswara, map[string]int{"bencana": 5})
	busy.Busy = []Booked{{Interval: Interval{Start: s.Start.Add(time.Hour), End: s.End.Add(time.Hour)}, SessionID: 99}}
	away := person(5, profile.Widyaiswara, map[string]int{"bencana": 5})
	away.Free = func(start, end time.Time) bool { return false }
	capped := person(6, profile.Widyaiswara, map[string]int{"bencana": 5})
	capped.JPMonth[202612] = 20
	archived := person(7, profile.Widyaiswara, map[string]int{"bencana": 5})
	archived.Archived = true
	travel := person(8, profile.Widyaiswara, map[string]int{"bencana": 5})
	travel.Busy = []Booked{{Interval: Interval{Start: s.End.Add(30 * time.Minute), End: s.End.Add(3 * time.Hour)}, SessionID: 98, Offline: true, Venue: "Hotel"}}
	ix := NewIndex([]Person{ok, practitioner, junior, busy, away, capped, archived, travel})
	course := testCourse
	course.LeadMinJenjang = profile.AhliMuda
	rules := DefaultRules()
	rules.MonthlyCapJP = 20
	res := ix.Rank(Request{Session: s, Course: course, Role: scheduling.Lead, Limit: 10, ExcludedLimit: 10, Rules: rules})
	if len(res.Candidates) != 1 || res.Candidates[0].Person.ID != 1 {
		t.Fatalf("candidates %v", res.Candidates)
	}
	want := map[int64]string{2: ExNotLead, 3: ExJenjang, 4: ExBusy, 5: ExUnavailable, 6: ExMonthlyCap, 7: ExArchived, 8: ExBusy}
	got := map[int64]string{}
	for _, e := range res.Excluded {
		got[e.Person.ID] = e.Constraint
		if e.Explanation.Format == "" {
			t.Errorf("%d excluded without explanation", e.Person.ID)
		}
	}
	for id, c := range want {
		if got[id] != c {
			t.Errorf("person %d excluded by %q, want %q", id, got[id], c)
		}
	}
	t.Run("a practitioner from the organising unit is excluded when the rule is on", func(t *testing.T) {
		same := person(9, profile.Practitioner, nil)
		same.Unit = "bidang pkm"
		ix := NewIndex([]Person{same})
		res := ix.Rank(Request{Session: s, Course: testCourse, Role: scheduling.CoTrainer, ExcludedLimit: 1, Rules: DefaultRules()})
		if len(res.Candidates) != 0 || res.Excluded[0].Constraint != ExSameUnit {
			t.Fatalf("%+v", res)
		}
		off := testCourse
		off.PractitionerOutsideUnit = false
		if res := ix.Rank(Request{Session: s, Course: off, Role: scheduling.CoTrainer, Rules: DefaultRules()}); len(res.Candidates) != 1 {
			t.Fatal("rule off still excludes")
		}
	})
}

func TestPairsPreferComplementarity(t *testing.T) {
	lead := person(1, profile.Widyaiswara, map[string]int{"komunikasi": 5})
	covers := person(2, profile.Practitioner, map[string]int{"bencana": 4})
	echoes := person(3, profile.Practitioner, map[string]int{"komunikasi": 5, "bencana": 2})
	ix := NewIndex([]Person{lead, covers, echoes})
	pairs := ix.RankPairs(Request{Session: session(1, 1, 3), Course: testCourse, Rules: DefaultRules()}, 5)
	if len(pairs) != 2 || pairs[0].CoTrainer.Person.ID != 2 || pairs[0].Complementarity != 1 {
		t.Fatalf("pairs %+v", pairs)
	}
	sum := 0
	for _, p := range pairs[0].Breakdown {
		sum += p.Points
	}
	if sum != pairs[0].Score {
		t.Fatalf("pair parts %d, score %d", sum, pairs[0].Score)
	}
}

func TestProposeSlotsFindsCommonFreeTime(t *testing.T) {
	loc := time.FixedZone("WITA", 8*3600)
	lead := person(1, profile.Widyaiswara, map[string]int{"komunikasi": 5})
	co := person(2, profile.Practitioner, map[string]int{"bencana": 4})
	// The lead is free only on Tuesday mornings, the co-trainer only from 10:00.
	lead.Free = func(s, e time.Time) bool {
		l := s.In(loc)
		return l.Weekday() == time.Tuesday && l.Hour() >= 8 && !e.In(loc).After(time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, loc))
	}
	co.Free = func(s, e time.Time) bool { return s.In(loc).Hour() >= 10 }
	ix := NewIndex([]Person{lead, co})
	from := time.Date(2026, 12, 7, 0, 0, 0, 0, loc)
	slots := ix.ProposeSlots(Request{Session: session(0, 0, 1), Course: testCourse, Rules: DefaultRules()}, from, from.AddDate(0, 0, 7),
		90*time.Minute, nil, 10)
	if len(slots) == 0 {
		t.Fatal("no slot")
	}
	for _, s := range slots {
		l := s.Start.In(loc)
		if l.Weekday() != time.Tuesday || l.Hour() < 10 || s.End.In(loc).After(time.Date(l.Year(), l.Month(), l.Day(), 12, 0, 0, 0, loc)) {
			t.Fatalf("slot %v is not common free time", l)
		}
	}
}

// bruteAssign enumerates every assignment and returns the best value of
// fillValue per filled slot plus its score.
func bruteAssign(ix *Index, req AssignRequest) int {
	S := len(req.Slots)
	type opt struct {
		id    int64
		score int
	}
	options := make([][]opt, S)
	for j, sl := range req.Slots {
		for _, c := range ix.Rank(Request{Session: sl.Session, Course: req.Course, Role: sl.Role, Limit: 1000, Rules: req.Rules}).Candidates {
			options[j] = append(options[j], opt{c.Person.ID, c.Score})
		}
	}
	best := -1
	chosen := make([]int64, S)
	var rec func(j, value int)
	rec = func(j, value int) {
		if j == S {
			best = max(best, value)
			return
		}
		chosen[j] = 0
		rec(j+1, value)
		for _, o := range options[j] {
			uses, clash := 0, false
			for k := 0; k < j; k++ {
				if chosen[k] == o.id {
					uses++
					a, b := req.Slots[j].Session, req.Slots[k].Session
					clash = clash || a.Start.Before(b.End) && b.Start.Before(a.End)
				}
			}
			if clash || uses >= req.MaxSlotsPerPerson {
				continue
			}
			chosen[j] = o.id
			rec(j+1, value+fillValue+o.score)
			chosen[j] = 0
		}
	}
	rec(0, 0)
	return best
}

func TestAssignEqualsBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for trial := 0; trial < 300; trial++ {
		var people []Person
		for i := 0; i < 2+r.IntN(4); i++ {
			kind := profile.Practitioner
			if r.IntN(2) == 0 {
				kind = profile.Widyaiswara
			}
			people = append(people, person(int64(i+1), kind, map[string]int{"bencana": r.IntN(6), "komunikasi": r.IntN(6)}))
		}
		ix := NewIndex(people)
		var slots []SlotSpec
		co := 1 + r.IntN(3)                   // co-trainers per session
		for s := 0; s < 2+r.IntN(5-co); s++ { // fewer sessions with more co-trainers: brute force stays quick
			sess := session(int64(s+1), r.IntN(6), 1+r.IntN(3))
			for k := 0; k < co; k++ {
				slots = append(slots, SlotSpec{Session: sess, Role: scheduling.CoTrainer})
			}
			if r.IntN(2) == 0 {
				slots = append(slots, SlotSpec{Session: sess, Role: scheduling.Lead})
			}
		}
		req := AssignRequest{Course: testCourse, Slots: slots, Rules: DefaultRules(), MaxSlotsPerPerson: 1 + r.IntN(3)}
		prop := ix.Assign(req)
		want := bruteAssign(ix, req)
		got := prop.Filled*fillValue + prop.Total
		if !prop.Optimal || got != want {
			t.Fatalf("trial %d: value %d (optimal %v, nodes %d), brute force %d", trial, got, prop.Optimal, prop.Nodes, want)
		}
		// Never double-books, never over the cap.
		uses := map[int64][]scheduling.Session{}
		for _, f := range prop.Slots {
			if f.Candidate == nil {
				continue
			}
			id := f.Candidate.Person.ID
			for _, other := range uses[id] {
				if other.Start.Before(f.Slot.Session.End) && f.Slot.Session.Start.Before(other.End) {
					t.Fatalf("trial %d: person %d double-booked", trial, id)
				}
			}
			uses[id] = append(uses[id], f.Slot.Session)
			if len(uses[id]) > req.MaxSlotsPerPerson {
				t.Fatalf("trial %d: person %d over the cap", trial, id)
			}
		}
	}
}

// population builds an index of nw widyaiswara and np practitioners.
func population(nw, np int) *Index {
	r := rand.New(rand.NewPCG(11, 12))
	codes := []string{"bencana", "komunikasi", "integritas", "pbj", "keuangan", "digital", "kesehatan", "perizinan"}
	people := make([]Person, 0, nw+np)
	for i := 0; i < nw+np; i++ {
		kind := profile.Practitioner
		if i < nw {
			kind = profile.Widyaiswara
		}
		levels := map[string]int{}
		for k := 0; k < 3; k++ {
			levels[codes[r.IntN(len(codes))]] = 1 + r.IntN(5)
		}
		p := person(int64(i+1), kind, levels)
		p.Jenjang = profile.Jenjangs[r.IntN(4)]
		p.RatingMean, p.RatingCount = 1+3*r.Float64(), r.IntN(40)
		p.JPYear[2026] = r.IntN(120)
		p.JPMonth[202612] = r.IntN(20)
		if r.IntN(4) == 0 {
			p.Busy = []Booked{{Interval: Interval{Start: time.Date(2026, 12, 7, r.IntN(10), 0, 0, 0, time.UTC), End: time.Date(2026, 12, 7, 11, 0, 0, 0, time.UTC)}, SessionID: 999}}
		}
		people = append(people, p)
	}
	return NewIndex(people)
}

// BenchmarkRankTop10 ranks among 10,000 widyaiswara and 50,000
// practitioners (target: under 50 ms per request).
func BenchmarkRankTop10(b *testing.B) {
	ix := population(10000, 50000)
	rules := DefaultRules()
	rules.MonthlyCapJP = 24
	for _, role := range []scheduling.Role{scheduling.Lead, scheduling.CoTrainer} {
		b.Run(string(role), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				res := ix.Rank(Request{Session: session(1, 1, 3), Course: testCourse, Role: role, Limit: 10, ExcludedLimit: 5, Rules: rules})
				if len(res.Candidates) != 10 {
					b.Fatal(len(res.Candidates))
				}
			}
		})
	}
}

// BenchmarkAssignCourse assigns a 40-session course (lead and co-trainer
// each) from the same 60,000 people.
func BenchmarkAssignCourse(b *testing.B) {
	ix := population(10000, 50000)
	var slots []SlotSpec
	for s := 0; s < 40; s++ {
		sess := session(int64(s+1), 0, 2)
		sess.Start = sess.Start.Add(time.Duration(s%10) * 24 * time.Hour).Add(time.Duration(s/10) * time.Hour)
		sess.End = sess.Start.Add(2 * time.Hour)
		slots = append(slots, SlotSpec{Session: sess, Role: scheduling.Lead}, SlotSpec{Session: sess, Role: scheduling.CoTrainer})
	}
	for i := 0; i < b.N; i++ {
		p := ix.Assign(AssignRequest{Course: testCourse, Slots: slots, Rules: DefaultRules()})
		if p.Filled != len(slots) {
			b.Fatalf("filled %d of %d", p.Filled, len(slots))
		}
		b.ReportMetric(float64(p.Nodes), "nodes")
		b.ReportMetric(float64(p.Gap), "gap")
	}
}

func TestPatchEqualsRebuild(t *testing.T) {
	ix := population(200, 800)
	people := ix.People()
	r := rand.New(rand.NewPCG(21, 22))
	var changed []int64
	var fresh []Person
	for k := 0; k < 50; k++ {
		p := people[r.IntN(len(people))]
		p.Levels = map[string]int{"bencana": 5, "komunikasi": 5}
		p.JPYear = map[int]int{2026: r.IntN(50)}
		changed = append(changed, p.ID)
		fresh = append(fresh, p)
	}
	added := person(99999, profile.Practitioner, map[string]int{"bencana": 5, "komunikasi": 4})
	changed, fresh = append(changed, added.ID), append(fresh, added)
	changed = append(changed, people[0].ID) // not in fresh: dropped
	patched := ix.Patch(changed, fresh)

	want := map[int64]Person{}
	for _, p := range people {
		want[p.ID] = p
	}
	delete(want, people[0].ID)
	for _, p := range fresh {
		want[p.ID] = p
	}
	var all []Person
	for _, p := range want {
		all = append(all, p)
	}
	rebuilt := NewIndex(all)
	req := Request{Session: session(1, 1, 3), Course: testCourse, Role: scheduling.CoTrainer, Limit: 30, Rules: DefaultRules()}
	a, b := patched.Rank(req), rebuilt.Rank(req)
	if patched.Len() != rebuilt.Len() || len(a.Candidates) != len(b.Candidates) {
		t.Fatalf("sizes %d/%d, %d/%d", patched.Len(), rebuilt.Len(), len(a.Candidates), len(b.Candidates))
	}
	for i := range a.Candidates {
		if a.Candidates[i].Person.ID != b.Candidates[i].Person.ID || a.Candidates[i].Score != b.Candidates[i].Score {
			t.Fatalf("rank %d: patched %d (%d), rebuilt %d (%d)", i, a.Candidates[i].Person.ID, a.Candidates[i].Score,
				b.Candidates[i].Person.ID, b.Candidates[i].Score)
		}
	}
	if _, ok := patched.Person(people[0].ID); ok {
		t.Fatal("a person that no longer loads is still indexed")
	}
	if ix.Len() != 1000 {
		t.Fatal("patching changed the old index")
	}
}

// courseSlots is a course of days×perDay sessions, each with a lead and co
// co-trainers; parallel sessions share their time, staggered ones start an
// hour apart and last two hours, so each overlaps the next.
func courseSlots(days, perDay, co int, parallel bool) []SlotSpec {
	var slots []SlotSpec
	id := int64(0)
	for d := 0; d < days; d++ {
		for k := 0; k < perDay; k++ {
			id++
			s := session(id, 1, 2)
			s.Start = s.Start.AddDate(0, 0, d)
			if !parallel {
				s.Start = s.Start.Add(time.Duration(k) * time.Hour)
			}
			s.End = s.Start.Add(2 * time.Hour)
			slots = append(slots, SlotSpec{Session: s, Role: scheduling.Lead})
			for c := 0; c < co; c++ {
				slots = append(slots, SlotSpec{Session: s, Role: scheduling.CoTrainer})
			}
		}
	}
	return slots
}

func TestWarmStartedRelaxationEqualsColdOne(t *testing.T) {
	ix := population(300, 1500)
	r := rand.New(rand.NewPCG(31, 32))
	for _, co := range []int{2, 3} {
		pr := ix.AssignProblem(AssignRequest{Course: testCourse, Slots: courseSlots(5, 4, co, false), Rules: DefaultRules()})
		root, _ := pr.relax(map[[2]int]bool{}, nil)
		for trial := 0; trial < 30; trial++ {
			forbid := map[[2]int]bool{}
			for k := 0; k < 1+r.IntN(20); k++ {
				e := pr.edges[root[r.IntN(len(root))]]
				forbid[[2]int{e.person, e.session}] = true
			}
			_, warm := pr.relax(forbid, root)
			_, cold := pr.relax(forbid, nil)
			if warm != cold {
				t.Fatalf("co=%d trial %d: warm start %d, from nothing %d", co, trial, warm, cold)
			}
		}
	}
}

func TestAssignProvesOptimaOnCourseShapes(t *testing.T) {
	ix := population(300, 1500)
	for _, tc := range []struct {
		name             string
		days, perDay, co int
		parallel         bool
	}{
		{"3 days × 4 parallel sessions, 2 co-trainers", 3, 4, 2, true},
		{"3 days × 4 parallel sessions, 3 co-trainers", 3, 4, 3, true},
		{"10 days × 4 staggered sessions, 2 co-trainers", 10, 4, 2, false},
		{"10 days × 4 staggered sessions, 3 co-trainers", 10, 4, 3, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			slots := courseSlots(tc.days, tc.perDay, tc.co, tc.parallel)
			p := ix.Assign(AssignRequest{Course: testCourse, Slots: slots, Rules: DefaultRules()})
			if !p.Optimal || p.Gap != 0 || p.Filled != len(slots) {
				t.Fatalf("optimal %v, gap %d, filled %d of %d, %d nodes", p.Optimal, p.Gap, p.Filled, len(slots), p.Nodes)
			}
			uses := map[int64][]scheduling.Session{}
			for _, f := range p.Slots {
				id := f.Candidate.Person.ID
				for _, other := range uses[id] {
					if overlaps(other, f.Slot.Session) {
						t.Fatalf("person %d in two overlapping sessions", id)
					}
				}
				uses[id] = append(uses[id], f.Slot.Session)
			}
		})
	}
}
