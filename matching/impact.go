package matching

import "sinergi/i18n"

// ImpactTally counts the action plans that drew on a trainer's sessions
// (or on a pair's) and that supervisors confirmed, and how many of those
// they confirmed implemented (Kirkpatrick level 3).
type ImpactTally struct {
	Confirmed, Implemented int
}

// The impact prior: as if impactPriorWeight confirmed plans had been
// implemented at the rate impactPrior, so that one implemented plan does
// not beat nine of ten (a Bayesian average, like the rating's).
const (
	impactPrior       = 0.5
	impactPriorWeight = 4.0
	// pairImpactShare is the pair impact's share of a pair's 100 points.
	pairImpactShare = 10.0
)

// smoothed is the Bayesian average share implemented, 0 to 1.
func (t ImpactTally) smoothed() float64 {
	return (impactPrior*impactPriorWeight + float64(t.Implemented)) / (impactPriorWeight + float64(t.Confirmed))
}

// explain says, in Indonesian, what the tally rests on, after what.
func (t ImpactTally) explain(what string) i18n.Text {
	if t.Confirmed == 0 {
		return i18n.T("%s: none confirmed by supervisors yet; the prior of %.0f%% applies", what, impactPrior*100)
	}
	return i18n.T("%s: %d of %d implemented according to supervisors (%.0f%% after smoothing toward %.0f%%)",
		what, t.Implemented, t.Confirmed, t.smoothed()*100, impactPrior*100)
}

// pairImpact is the tally of plans that drew on both a and b.
func pairImpact(a, b *Person) ImpactTally {
	if t, ok := a.PairImpact[b.ID]; ok {
		return t
	}
	return b.PairImpact[a.ID]
}
