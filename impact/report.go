package impact

import (
	"fmt"
	"math"
	"sort"
)

// Person names a trainer in a report.
type Person struct {
	ID   int64
	Name string
	Kind string
}

// PlanRecord is one action plan as the reports count it.
type PlanRecord struct {
	PlanID           int64
	CourseID         int64
	Baseline, Target float64
	Trainers         []int64
	Reported         bool
	Confirmed        bool
	Implemented      bool
	Behaviour        int
	// Value is the indicator's value the supervisor confirmed.
	Value *float64
}

// Rating is one participant's rating of a trainer on a session (level 1),
// normalised to 0-100.
type Rating struct {
	SessionID  int64
	PersonID   int64
	Normalised int
}

// Taught is a trainer's active booking on a session of the report.
type Taught struct {
	SessionID int64
	Person    Person
}

// Figures are the four levels for one course, trainer or pair.
type Figures struct {
	// Ratings and ReactionMean are level 1: participants' ratings of the
	// trainers, mean of the normalised scores (0-100).
	Ratings      int
	ReactionMean *float64
	// Plans written, reported on by participants, confirmed by supervisors
	// and, of those, implemented according to the supervisor (level 3).
	Plans, Reported, Confirmed, Implemented int
	// ImplementedShare is Implemented / Confirmed, with its 95% Wilson
	// interval.
	ImplementedShare    *float64
	ShareLow, ShareHigh *float64
	// BehaviourMean is the supervisors' mean behaviour-change score (1-4).
	BehaviourMean *float64
	// Measured counts confirmed plans with an indicator value; Attainment
	// is the mean share of the planned change reached, (value - baseline)
	// / (target - baseline), each bounded to [-1, 2] (level 4); Improved
	// counts the plans whose indicator moved from the baseline toward the
	// target.
	Measured, Improved int
	Attainment         *float64
	// Confidence is "sangat_rendah" below 5 confirmations, "rendah" below
	// 20, else "memadai"; Note says so in Indonesian.
	Confidence string
	Note       string
}

// PersonFigures are one trainer's figures.
type PersonFigures struct {
	Person Person
	Figures
}

// PairFigures are one widyaiswara × practitioner pair's figures: plans
// drawing on both of them, ratings of either on sessions they taught
// together.
type PairFigures struct {
	Widyaiswara, Practitioner Person
	Figures
}

// Report is the figures of a course (or an institution) with its trainers
// and pairs.
type Report struct {
	CourseID int64
	Total    Figures
	Trainers []PersonFigures
	Pairs    []PairFigures
}

func ptr(v float64) *float64 { return &v }

// wilson is the 95% Wilson score interval of k successes in n.
func wilson(k, n int) (float64, float64) {
	const z = 1.959964
	p, nf := float64(k)/float64(n), float64(n)
	d := 1 + z*z/nf
	c := (p + z*z/(2*nf)) / d
	h := z * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf)) / d
	return math.Max(0, c-h), math.Min(1, c+h)
}

// Attainment is the share of the planned change a value reaches:
// (value - baseline) / (target - baseline), bounded to [-1, 2] so that one
// outlier does not swamp a mean.
func Attainment(baseline, target, value float64) float64 {
	return math.Max(-1, math.Min(2, (value-baseline)/(target-baseline)))
}

// compute sums plans and ratings into figures.
func compute(plans []PlanRecord, ratings []Rating) Figures {
	var f Figures
	sum := 0
	for _, r := range ratings {
		sum += r.Normalised
	}
	if f.Ratings = len(ratings); f.Ratings > 0 {
		f.ReactionMean = ptr(round(float64(sum)/float64(f.Ratings), 2))
	}
	behaviour, attain := 0, 0.0
	for _, p := range plans {
		f.Plans++
		if p.Reported {
			f.Reported++
		}
		if !p.Confirmed {
			continue
		}
		f.Confirmed++
		behaviour += p.Behaviour
		if p.Implemented {
			f.Implemented++
		}
		if p.Value != nil {
			f.Measured++
			attain += Attainment(p.Baseline, p.Target, *p.Value)
			if (*p.Value-p.Baseline)*(p.Target-p.Baseline) > 0 {
				f.Improved++
			}
		}
	}
	if f.Confirmed > 0 {
		f.ImplementedShare = ptr(round(float64(f.Implemented)/float64(f.Confirmed), 4))
		lo, hi := wilson(f.Implemented, f.Confirmed)
		f.ShareLow, f.ShareHigh = ptr(round(lo, 4)), ptr(round(hi, 4))
		f.BehaviourMean = ptr(round(float64(behaviour)/float64(f.Confirmed), 2))
	}
	if f.Measured > 0 {
		f.Attainment = ptr(round(attain/float64(f.Measured), 4))
	}
	switch {
	case f.Confirmed < 5:
		f.Confidence = "sangat_rendah"
		f.Note = fmt.Sprintf("baru %d konfirmasi atasan: terlalu sedikit untuk disimpulkan", f.Confirmed)
	case f.Confirmed < 20:
		f.Confidence = "rendah"
		f.Note = fmt.Sprintf("%d konfirmasi atasan: tafsirkan dengan hati-hati (rentang 95%%: %.0f–%.0f%% terlaksana)",
			f.Confirmed, *f.ShareLow*100, *f.ShareHigh*100)
	default:
		f.Confidence = "memadai"
		f.Note = fmt.Sprintf("%d konfirmasi atasan (rentang 95%%: %.0f–%.0f%% terlaksana)", f.Confirmed, *f.ShareLow*100, *f.ShareHigh*100)
	}
	return f
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Build computes a report: the whole, each trainer and each widyaiswara ×
// practitioner pair that taught a session together.
func Build(courseID int64, plans []PlanRecord, ratings []Rating, taught []Taught) Report {
	rep := Report{CourseID: courseID, Total: compute(plans, ratings)}
	people := map[int64]Person{}
	bySession := map[int64][]Person{}
	for _, t := range taught {
		people[t.Person.ID] = t.Person
		bySession[t.SessionID] = append(bySession[t.SessionID], t.Person)
	}
	type pairKey struct{ w, p int64 }
	pairSessions := map[pairKey]map[int64]bool{}
	for sid, ps := range bySession {
		for _, w := range ps {
			for _, p := range ps {
				if w.Kind == "widyaiswara" && p.Kind == "practitioner" {
					k := pairKey{w.ID, p.ID}
					if pairSessions[k] == nil {
						pairSessions[k] = map[int64]bool{}
					}
					pairSessions[k][sid] = true
				}
			}
		}
	}
	ids := make([]int64, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool {
		return people[ids[a]].Name < people[ids[b]].Name || people[ids[a]].Name == people[ids[b]].Name && ids[a] < ids[b]
	})
	for _, id := range ids {
		var ps []PlanRecord
		for _, p := range plans {
			if containsID(p.Trainers, id) {
				ps = append(ps, p)
			}
		}
		var rs []Rating
		for _, r := range ratings {
			if r.PersonID == id {
				rs = append(rs, r)
			}
		}
		rep.Trainers = append(rep.Trainers, PersonFigures{Person: people[id], Figures: compute(ps, rs)})
	}
	keys := make([]pairKey, 0, len(pairSessions))
	for k := range pairSessions {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].w != keys[b].w {
			return keys[a].w < keys[b].w
		}
		return keys[a].p < keys[b].p
	})
	for _, k := range keys {
		var ps []PlanRecord
		for _, p := range plans {
			if containsID(p.Trainers, k.w) && containsID(p.Trainers, k.p) {
				ps = append(ps, p)
			}
		}
		var rs []Rating
		for _, r := range ratings {
			if pairSessions[k][r.SessionID] && (r.PersonID == k.w || r.PersonID == k.p) {
				rs = append(rs, r)
			}
		}
		rep.Pairs = append(rep.Pairs, PairFigures{Widyaiswara: people[k.w], Practitioner: people[k.p], Figures: compute(ps, rs)})
	}
	return rep
}
