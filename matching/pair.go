package matching

import (
	"math"
	"sort"
	"time"

	"sinergi/i18n"
	"sinergi/scheduling"
)

// Pair is a lead and a co-trainer proposed together.
type Pair struct {
	Lead, CoTrainer Candidate
	// Complementarity is the share of the requirements the lead does not
	// meet that the co-trainer does, 0 to 1.
	Complementarity float64
	Score           int
	Breakdown       []Part
}

// pairWeights: each partner's score counts 35%, complementarity 20%, the
// pair's own impact (plans that drew on both) 10%.
const pairPartnerShare, pairComplementShare = 0.35, 20.0

// RankPairs ranks lead × co-trainer pairs for a session: partners that
// cover what the other lacks rank higher, and both must be free together.
func (ix *Index) RankPairs(req Request, limit int) []Pair {
	if limit <= 0 {
		limit = 10
	}
	lr, cr := req, req
	lr.Role, lr.Limit, lr.ExcludedLimit = scheduling.Lead, 20, 0
	cr.Role, cr.Limit, cr.ExcludedLimit = scheduling.CoTrainer, 50, 0
	leads, cos := ix.Rank(lr).Candidates, ix.Rank(cr).Candidates
	var pairs []Pair
	for _, l := range leads {
		for _, c := range cos {
			if l.Person.ID == c.Person.ID {
				continue
			}
			pairs = append(pairs, makePair(l, c, req.Session.Requirements))
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].Score > pairs[b].Score })
	if len(pairs) > limit {
		pairs = pairs[:limit]
	}
	return pairs
}

func makePair(l, c Candidate, reqs []scheduling.Requirement) Pair {
	lacking, covered := 0, 0
	for _, q := range reqs {
		if l.Person.Levels[q.Code] < q.MinLevel {
			lacking++
			if c.Person.Levels[q.Code] >= q.MinLevel {
				covered++
			}
		}
	}
	comp := 1.0
	if lacking > 0 {
		comp = float64(covered) / float64(lacking)
	}
	lp := int(float64(l.Score)*pairPartnerShare + 0.5)
	cp := int(float64(c.Score)*pairPartnerShare + 0.5)
	kp := int(comp*pairComplementShare*100 + 0.5)
	together := pairImpact(l.Person, c.Person)
	ip := int(together.smoothed()*pairImpactShare*100 + 0.5)
	return Pair{Lead: l, CoTrainer: c, Complementarity: comp, Score: lp + cp + kp + ip, Breakdown: []Part{
		{Criterion: "lead", Weight: 35, Value: float64(l.Score) / 10000, Points: lp, Explanation: i18n.T("%s scores %.2f as lead", l.Person.Name, float64(l.Score)/100)},
		{Criterion: "co_trainer", Weight: 35, Value: float64(c.Score) / 10000, Points: cp, Explanation: i18n.T("%s scores %.2f as co-trainer", c.Person.Name, float64(c.Score)/100)},
		{Criterion: "complementarity", Weight: 20, Value: comp, Points: kp,
			Explanation: i18n.T("the co-trainer meets %d of the %d requirements the lead does not", covered, lacking)},
		{Criterion: "impact", Weight: pairImpactShare, Value: math.Round(together.smoothed()*1000) / 1000, Points: ip,
			Explanation: together.explain("action plans from the sessions taught together")},
	}}
}

// Slot is a proposed time for an untimed session.
type Slot struct {
	Start, End time.Time
	Pair       Pair
}

// ProposeSlots suggests times in [from, to) for a session of the given
// length when a good pair is free together: weekdays, 07:00-17:00 in the
// venue zone, every 30 minutes, skipping the given holiday dates. It checks
// at most 400 starts.
func (ix *Index) ProposeSlots(req Request, from, to time.Time, length time.Duration, holidays map[time.Time]bool, limit int) []Slot {
	req.Untimed = true
	pairs := ix.RankPairs(req, 100)
	loc := req.Session.Location()
	var slots []Slot
	checked := 0
	for day := from.In(loc); day.Before(to) && checked < 400; day = day.AddDate(0, 0, 1) {
		y, m, d := day.Date()
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday || holidays[time.Date(y, m, d, 0, 0, 0, 0, time.UTC)] {
			continue
		}
		for start := time.Date(y, m, d, 7, 0, 0, 0, loc); !start.Add(length).After(time.Date(y, m, d, 17, 0, 0, 0, loc)); start = start.Add(30 * time.Minute) {
			if start.Before(from) || start.Add(length).After(to) {
				continue
			}
			checked++
			s := req.Session
			s.Start, s.End = start.UTC(), start.Add(length).UTC()
			for _, p := range pairs {
				if c, _ := timeCheck(p.Lead.Person, s, req.Rules.Buffer); c != "" {
					continue
				}
				if c, _ := timeCheck(p.CoTrainer.Person, s, req.Rules.Buffer); c != "" {
					continue
				}
				slots = append(slots, Slot{Start: s.Start, End: s.End, Pair: p})
				break
			}
		}
	}
	sort.SliceStable(slots, func(a, b int) bool { return slots[a].Pair.Score > slots[b].Pair.Score })
	if limit > 0 && len(slots) > limit {
		slots = slots[:limit]
	}
	return slots
}
