// Command assigncmp builds whole-course assignment instances, solves them
// with the project's solver and writes each instance (the same candidate
// pairs and scores) as JSON for an exact MILP to solve beside it.
// bench/assignment-milp.sh runs it with SciPy's milp (HiGHS).
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"sinergi/matching"
	"sinergi/profile"
	"sinergi/scheduling"
)

// instance is what the MILP reads and what the solver found.
type instance struct {
	Name      string     `json:"name"`
	Sessions  [][2]int64 `json:"sessions"` // start, end (Unix seconds)
	Places    [][2]int   `json:"places"`   // lead, co-trainer
	Edges     [][4]int   `json:"edges"`    // person, session, lead (0/1), score
	MaxSlots  int        `json:"max_slots"`
	FillValue int        `json:"fill_value"`
	Value     int        `json:"value"`
	Optimal   bool       `json:"optimal"`
	Gap       int        `json:"gap"`
	Nodes     int        `json:"nodes"`
	SolveMS   float64    `json:"solve_ms"`
	PrepareMS float64    `json:"prepare_ms"`
}

func main() {
	people := flag.Int("people", 3000, "people in the roster")
	seed := flag.Uint64("seed", 1, "random seed")
	repeat := flag.Int("repeat", 5, "solve this many times and report the fastest")
	flag.Parse()
	ix := roster(*people, *seed)
	var out []instance
	for _, co := range []int{2, 3} {
		for _, shape := range []string{"staggered-10x4", "parallel-3x4"} {
			slots := course(shape, co)
			req := matching.AssignRequest{Course: course0, Slots: slots, Rules: matching.DefaultRules(), MaxSlotsPerPerson: 3}
			start := time.Now()
			pr := ix.AssignProblem(req)
			prepare := time.Since(start)
			best := time.Duration(math.MaxInt64)
			var p matching.Proposal
			for k := 0; k < *repeat; k++ {
				start := time.Now()
				p = pr.Solve()
				best = min(best, time.Since(start))
			}
			in := instance{Name: fmt.Sprintf("%s/co=%d", shape, co), FillValue: matching.FillValue,
				Value: p.Filled*matching.FillValue + p.Total, Optimal: p.Optimal, Gap: p.Gap, Nodes: p.Nodes,
				SolveMS: float64(best.Microseconds()) / 1000, PrepareMS: float64(prepare.Microseconds()) / 1000}
			sessions, places, edges, maxSlots := pr.Export()
			for _, s := range sessions {
				in.Sessions = append(in.Sessions, [2]int64{s.Start.Unix(), s.End.Unix()})
			}
			in.Places, in.MaxSlots = places, maxSlots
			for _, e := range edges {
				lead := 0
				if e.Lead {
					lead = 1
				}
				in.Edges = append(in.Edges, [4]int{e.Person, e.Session, lead, e.Score})
			}
			out = append(out, in)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "assigncmp:", err)
		os.Exit(1)
	}
}

var course0 = scheduling.Course{ID: 1, InstitutionID: 1, Name: "Pelatihan Kepemimpinan", OrganisingUnit: "Bidang PKM",
	PractitionerOutsideUnit: true}

// course builds the slots of a course: "staggered-10x4" is ten days of four
// two-hour sessions an hour apart (each overlaps the next), "parallel-3x4"
// three days of four sessions at the same time. Every session wants a lead
// and co co-trainers.
func course(shape string, co int) []matching.SlotSpec {
	var slots []matching.SlotSpec
	id := int64(0)
	add := func(start time.Time, hours int) {
		id++
		s := scheduling.Session{ID: id, InstitutionID: 1, CourseID: 1, Zone: "Asia/Makassar", Mode: scheduling.Offline,
			Venue: "Aula", JP: hours * 60 / 45, Start: start, End: start.Add(time.Duration(hours) * time.Hour),
			Requirements: []scheduling.Requirement{{Code: "bencana", MinLevel: 3}, {Code: "komunikasi", MinLevel: 2}}}
		slots = append(slots, matching.SlotSpec{Session: s, Role: scheduling.Lead})
		for k := 0; k < co; k++ {
			slots = append(slots, matching.SlotSpec{Session: s, Role: scheduling.CoTrainer})
		}
	}
	day0 := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	switch shape {
	case "staggered-10x4":
		for d := 0; d < 10; d++ {
			for h := 0; h < 4; h++ {
				add(day0.AddDate(0, 0, d).Add(time.Duration(h)*time.Hour), 2)
			}
		}
	case "parallel-3x4":
		for d := 0; d < 3; d++ {
			for k := 0; k < 4; k++ {
				add(day0.AddDate(0, 0, d), 3)
			}
		}
	}
	return slots
}

// roster is n people, one in six a widyaiswara, with random competencies,
// ratings, workload and a few bookings.
func roster(n int, seed uint64) *matching.Index {
	r := rand.New(rand.NewPCG(seed, 12))
	codes := []string{"bencana", "komunikasi", "integritas", "pbj", "keuangan", "digital"}
	people := make([]matching.Person, 0, n)
	for i := 0; i < n; i++ {
		kind := profile.Practitioner
		if i%6 == 0 {
			kind = profile.Widyaiswara
		}
		p := matching.Person{ID: int64(i + 1), InstitutionID: 1, Name: fmt.Sprintf("Orang %d", i+1), Kind: kind,
			Jenjang: profile.Jenjangs[r.IntN(4)], Zone: "Asia/Makassar", Levels: map[string]int{},
			JPYear: map[int]int{2026: r.IntN(120)}, JPMonth: map[int]int{202612: r.IntN(20)},
			RatingMean: 1 + 3*r.Float64(), RatingCount: r.IntN(40)}
		for k := 0; k < 3; k++ {
			p.Levels[codes[r.IntN(len(codes))]] = 1 + r.IntN(5)
		}
		if r.IntN(4) == 0 {
			start := time.Date(2026, 12, 7+r.IntN(10), r.IntN(8), 0, 0, 0, time.UTC)
			p.Busy = []matching.Booked{{Interval: scheduling.Interval{Start: start, End: start.Add(2 * time.Hour)}, SessionID: 999}}
		}
		people = append(people, p)
	}
	return matching.NewIndex(people)
}
