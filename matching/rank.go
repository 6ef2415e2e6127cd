// Package matching ranks widyaiswara and practitioners for a session and
// assigns whole courses. It is pure: it works on an in-memory Index of
// people, their competencies, ratings, workload and busy time that the
// service builds from the database and rebuilds when the data changes.
package matching

import (
	"container/heap"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"sinergi/i18n"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tz"
)

// Interval is a busy span [Start, End).
type Interval = scheduling.Interval

// Person is what matching knows of a trainer.
type Person struct {
	ID            int64
	InstitutionID int64
	Name          string
	Kind          profile.Kind
	Jenjang       profile.Jenjang
	Organisation  string
	Unit          string
	Zone          string
	Archived      bool
	// Shared practitioners may be proposed to other institutions.
	Shared bool
	// Levels maps a competency code to the person's level (1-5).
	Levels map[string]int
	// RatingMean is the mean evaluation on the 1-4 scale over RatingCount.
	RatingMean  float64
	RatingCount int
	// Impact tallies the action plans that drew on the person's sessions
	// and that supervisors confirmed; PairImpact the same for plans that
	// drew on the person and a partner together, by the partner's id.
	Impact     ImpactTally
	PairImpact map[int64]ImpactTally
	// JPYear and JPMonth hold JP already booked, keyed 2026 and 202612.
	JPYear  map[int]int
	JPMonth map[int]int
	// RatePerJP is the honorarium the person would cost per JP.
	RatePerJP int64
	// Busy holds active bookings, sorted by start.
	Busy []Booked
	// Free reports declared availability for a span; nil means always.
	Free func(start, end time.Time) bool
}

// Booked is an active booking in a person's calendar.
type Booked struct {
	Interval
	// InstitutionID owns the booking: a shared practitioner may be booked
	// by another institution, whose session is then only "busy".
	InstitutionID int64
	SessionID     int64
	Offline       bool
	Venue         string
}

// Weights of the soft criteria; they need not sum to anything.
type Weights struct {
	Expertise, Level, Rating, Load, Cost, Travel float64
	// Impact weighs action plans implemented after the person's sessions.
	Impact float64
}

// DefaultWeights favour expertise, then rating, level and fair load.
func DefaultWeights() Weights {
	return Weights{Expertise: 40, Level: 15, Rating: 20, Load: 15, Cost: 5, Travel: 5, Impact: 10}
}

// Rules are the institution's hard limits and priors.
type Rules struct {
	// MonthlyCapJP excludes people who would pass it; 0 means none.
	MonthlyCapJP int
	// BudgetPerJP scores cost against a budget; 0 means cost is neutral.
	BudgetPerJP int64
	// Buffer is kept free before and after an offline session.
	Buffer time.Duration
	// PriorMean and PriorWeight smooth ratings (Bayesian average) so that
	// one 4/4 does not beat fifty 3.8s.
	PriorMean   float64
	PriorWeight float64
	// CostPerJP prices a person for the session (the rate in force for
	// their class); nil uses Person.RatePerJP.
	CostPerJP func(p *Person) int64
}

// cost is what a person would be paid per JP under r.
func (r Rules) cost(p *Person) int64 {
	if r.CostPerJP != nil {
		return r.CostPerJP(p)
	}
	return p.RatePerJP
}

// DefaultRules have no cap or budget, an hour of buffer and a prior of ten
// ratings of 3 on the 1-4 scale.
func DefaultRules() Rules {
	return Rules{Buffer: time.Hour, PriorMean: 3, PriorWeight: 10}
}

// Request asks for candidates for one role of a session.
type Request struct {
	Session scheduling.Session
	Course  scheduling.Course
	Role    scheduling.Role
	Limit   int
	// ExcludedLimit is how many of the best excluded people to explain.
	ExcludedLimit int
	Weights       Weights
	Rules         Rules
	// Untimed ranks on everything but time: busy and free are not checked.
	Untimed bool
}

// Part is one criterion's share of a score.
type Part struct {
	Criterion string
	// Weight is the criterion's share of 100 points.
	Weight float64
	// Value is how well the person meets it, 0 to 1.
	Value float64
	// Points is Weight × Value, in hundredths of a point; the parts of a
	// score sum exactly to it.
	Points int
	// Explanation says why, in a sentence the api tells in the reader's
	// language.
	Explanation i18n.Text
}

// Candidate is a ranked person with the reasons for the score.
type Candidate struct {
	Person    *Person
	Score     int // hundredths of a point, 0 to 10000
	Breakdown []Part
}

// Exclusion is a person a hard constraint kept out, with the score they
// would have had.
type Exclusion struct {
	Person      *Person
	Score       int
	Constraint  string
	Explanation i18n.Text
}

// Result is a ranking.
type Result struct {
	Candidates []Candidate
	Excluded   []Exclusion
	Considered int
}

// raw holds a person's criterion values before weighting.
type raw struct {
	expertise, level, rating, load, cost, travel float64
	impact                                       float64
}

// pool lists the positions of everyone a session of inst may draw on: the
// institution's own people and other institutions' shared practitioners.
func (ix *Index) pool(inst int64) []int32 {
	own := ix.byInst[inst]
	if len(ix.shared) == 0 {
		return own
	}
	out := make([]int32, 0, len(own)+len(ix.shared))
	out = append(out, own...)
	for _, i := range ix.shared {
		if ix.at(i).InstitutionID != inst {
			out = append(out, i)
		}
	}
	return out
}

func normalise(w Weights) [7]float64 {
	ws := [7]float64{w.Expertise, w.Level, w.Rating, w.Load, w.Cost, w.Travel, w.Impact}
	sum := 0.0
	for i, x := range ws {
		ws[i] = math.Max(x, 0)
		sum += ws[i]
	}
	if sum == 0 {
		return normalise(DefaultWeights())
	}
	for i := range ws {
		ws[i] = ws[i] / sum * 100
	}
	return ws
}

// points weights values into hundredths of a point per criterion.
func points(ws [7]float64, r raw) ([7]int, int) {
	vals := [7]float64{r.expertise, r.level, r.rating, r.load, r.cost, r.travel, r.impact}
	var ps [7]int
	total := 0
	for i := range ps {
		ps[i] = int(math.Round(ws[i] * vals[i] * 100))
		total += ps[i]
	}
	return ps, total
}

// values are a person's criterion values; peer is the mean JP booked in
// the year by the institution's people, codes the hashes of the required
// competencies (requirementCodes).
func values(p *Person, f *facts, req *Request, year, month int, peer float64, codes []uint64) raw {
	var r raw
	reqs := req.Session.Requirements
	if len(reqs) == 0 {
		r.expertise, r.level = 1, 0.5
	} else {
		for k, q := range reqs {
			lv := f.level(q.Code, codes[k])
			switch {
			case lv >= q.MinLevel:
				r.expertise++
				r.level += math.Min(float64(lv-q.MinLevel), 2) / 2
			case lv > 0:
				r.expertise += 0.5 * float64(lv) / float64(q.MinLevel)
			}
		}
		r.expertise /= float64(len(reqs))
		r.level /= float64(len(reqs))
	}
	rules := req.Rules
	smoothed := (rules.PriorMean*rules.PriorWeight + p.RatingMean*float64(p.RatingCount)) / (rules.PriorWeight + float64(p.RatingCount))
	if rules.PriorWeight+float64(p.RatingCount) == 0 {
		smoothed = 1
	}
	r.rating = clamp01((smoothed - 1) / 3)
	mine := float64(jpOf(f.jpYear, year))
	r.load = 1 / (1 + math.Max(mine-peer, 0)/math.Max(peer, 8))
	if rules.MonthlyCapJP > 0 {
		r.load *= 1 - 0.5*float64(jpOf(f.jpMonth, month))/float64(rules.MonthlyCapJP)
	}
	r.cost = 1
	if rate := rules.cost(p); rules.BudgetPerJP > 0 && rate > 0 {
		r.cost = clamp01(1 - float64(rate-rules.BudgetPerJP)/float64(rules.BudgetPerJP))
		if rate <= rules.BudgetPerJP {
			r.cost = 1 - 0.5*float64(rate)/float64(rules.BudgetPerJP)
		}
	}
	r.travel = travel(p.Zone, req.Session)
	r.impact = p.Impact.smoothed()
	return r
}

// requirementCodes hashes a session's required competency codes once for
// the whole pool.
func requirementCodes(s scheduling.Session) []uint64 {
	out := make([]uint64, len(s.Requirements))
	for k, q := range s.Requirements {
		out[k] = codeHash(q.Code)
	}
	return out
}

func clamp01(x float64) float64 { return math.Max(0, math.Min(1, x)) }

// maxSession is the longest a session may last (scheduling enforces it).
const maxSession = 12 * time.Hour

// zoneOffset is a zone's UTC offset in hours; Indonesia has no DST.
func zoneOffset(zone string) int {
	switch zone {
	case "Asia/Makassar":
		return 8
	case "Asia/Jayapura":
		return 9
	default:
		return 7
	}
}

// travel is 1 online or in the venue's zone, less the more zones away.
func travel(zone string, s scheduling.Session) float64 {
	if s.Mode == scheduling.Online || zone == s.Zone {
		return 1
	}
	d := zoneOffset(zone) - zoneOffset(s.Zone)
	if d < 0 {
		d = -d
	}
	return []float64{0.8, 0.5, 0.25}[min(d, 2)]
}

// Constraint codes a person can be excluded by.
const (
	ExArchived    = "archived"
	ExNotLead     = "lead_must_be_widyaiswara"
	ExJenjang     = "lead_jenjang_too_low"
	ExSameUnit    = "practitioner_from_organising_unit"
	ExMonthlyCap  = "monthly_cap"
	ExBusy        = "busy"
	ExUnavailable = "unavailable"
	ExSelf        = "already_in_session"
	ExCoTrainer   = "co_trainer_kind"
)

// hardCheck returns the first time-independent constraint p fails.
func hardCheck(e *entry, req *Request, month int) (string, i18n.Text) {
	p := &e.Person
	switch {
	case p.Archived:
		return ExArchived, i18n.T("archived")
	case req.Role == scheduling.Lead && p.Kind != profile.Widyaiswara:
		return ExNotLead, i18n.T("only a widyaiswara can lead")
	case req.Role == scheduling.CoTrainer && !req.Course.MayCoTrain(p.Kind):
		// No arguments: the hot loop checks every widyaiswara and must not allocate.
		return ExCoTrainer, i18n.T("the course takes only practitioners as co-trainers")
	case req.Role == scheduling.Lead && req.Course.LeadMinJenjang != "" && p.Jenjang.Rank() < req.Course.LeadMinJenjang.Rank():
		return ExJenjang, i18n.T("the course asks for a lead of at least %s; %s is %s", req.Course.LeadMinJenjang, p.Name, p.Jenjang)
	case req.Course.PractitionerOutsideUnit && p.Kind == profile.Practitioner &&
		scheduling.SameUnitPractitioner(profile.Person{Kind: p.Kind, Unit: p.Unit, Organisation: p.Organisation}, req.Course):
		return ExSameUnit, i18n.T("a practitioner from the organising unit %s; the course asks for one from outside", req.Course.OrganisingUnit)
	case req.Rules.MonthlyCapJP > 0 && jpOf(e.f.jpMonth, month)+req.Session.JP > req.Rules.MonthlyCapJP:
		return ExMonthlyCap, i18n.T("%d JP already booked this month; %d more passes the cap of %d", jpOf(e.f.jpMonth, month), req.Session.JP, req.Rules.MonthlyCapJP)
	}
	return "", i18n.Text{}
}

// timeCheck returns the first time constraint p fails for the session.
func timeCheck(p *Person, s scheduling.Session, buffer time.Duration) (string, i18n.Text) {
	start, end := s.Start, s.End
	if s.Mode != scheduling.Online {
		start, end = start.Add(-buffer), end.Add(buffer)
	}
	// Busy is sorted by start: only bookings starting before end matter.
	k := sort.Search(len(p.Busy), func(i int) bool { return !p.Busy[i].Start.Before(end) })
	for i := k - 1; i >= 0; i-- {
		b := p.Busy[i]
		foreign := b.InstitutionID != 0 && b.InstitutionID != s.InstitutionID
		if foreign && b.End.After(start) && b.Start.Before(end) && (b.End.After(s.Start) && b.Start.Before(s.End) ||
			b.Offline && s.Mode != scheduling.Online) {
			return ExBusy, i18n.T("busy at that time")
		}
		if b.SessionID == s.ID {
			return ExSelf, i18n.T("already booked on this session")
		}
		if b.End.After(s.Start) && b.Start.Before(s.End) {
			loc := s.Location()
			return ExBusy, i18n.T("booked on session %d from %s", b.SessionID, i18n.Moment{At: b.Start.In(loc), Label: tz.Label(s.Zone)})
		}
		if b.End.After(start) && b.Offline && s.Mode != scheduling.Online && !strings.EqualFold(b.Venue, s.Venue) {
			return ExBusy, i18n.T("an offline session at %s is within %s", b.Venue, buffer)
		}
		if b.Start.Before(start.Add(-maxSession)) { // nothing starting earlier can reach
			break
		}
	}
	if p.Free != nil && !p.Free(s.Start, s.End) {
		return ExUnavailable, i18n.T("outside the declared availability")
	}
	return "", i18n.Text{}
}

// scored is a person's score; equal scores rank by person id, so the
// order does not depend on where people sit in the index.
type scored struct {
	idx   int32
	score int
	id    int64
}

type maxHeap []scored

func (h maxHeap) Len() int { return len(h) }
func (h maxHeap) Less(a, b int) bool {
	if h[a].score != h[b].score {
		return h[a].score > h[b].score
	}
	return h[a].id < h[b].id
}
func (h maxHeap) Swap(a, b int) { h[a], h[b] = h[b], h[a] }
func (h *maxHeap) Push(x any)   { *h = append(*h, x.(scored)) }
func (h *maxHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// Rank returns the best candidates for a role of a session, each with a
// breakdown that sums to its score, and the best excluded people with the
// constraint that excluded them. Time constraints, the costly ones, are
// checked only for people who would rank.
func (ix *Index) Rank(req Request) Result {
	all := ix.poolScores(req)
	defer ix.putScored(all)
	return ix.rank(req, all)
}

// getScored takes a score array from the index's recycled ones (a few
// megabytes a request on a large roster, which would otherwise keep the
// collector busy).
func (ix *Index) getScored(n int) []scored {
	if b, ok := ix.bufs.Get().(*[]scored); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]scored, n)
}

func (ix *Index) putScored(b []scored) {
	b = b[:0]
	ix.bufs.Put(&b)
}

// period is the year (2026) and month (202612) of a session in its zone.
func period(s scheduling.Session) (int, int) {
	local := s.Start.In(s.Location())
	return local.Year(), local.Year()*100 + int(local.Month())
}

// poolScores scores everyone a session may draw on. A score does not
// depend on the role, so a course assignment scores each session once.
func (ix *Index) poolScores(req Request) []scored {
	ws := normalise(req.Weights)
	year, month := period(req.Session)
	pool := ix.pool(req.Session.InstitutionID)
	peer := ix.load[req.Session.InstitutionID].mean(year)
	codes := requirementCodes(req.Session)
	reqs := append([]scheduling.Requirement(nil), req.Session.Requirements...)
	for k, q := range reqs {
		if same, ok := ix.codes[q.Code]; ok {
			reqs[k].Code = same // the indexed text: equal codes compare at once
		}
	}
	req.Session.Requirements = reqs
	out := ix.getScored(len(pool))
	for k, i := range pool {
		e := ix.entry(i)
		_, total := points(ws, values(&e.Person, &e.f, &req, year, month, peer, codes))
		out[k] = scored{i, total, e.ID}
	}
	return out
}

func (ix *Index) rank(req Request, all []scored) Result {
	if req.Limit <= 0 {
		req.Limit = 10
	}
	ws := normalise(req.Weights)
	year, month := period(req.Session)
	h := maxHeap(ix.getScored(len(all))[:0])
	defer func() { ix.putScored(h) }()
	var excluded maxHeap
	if req.ExcludedLimit > 0 {
		excluded = ix.getScored(len(all))[:0]
		defer func() { ix.putScored(excluded) }()
	}
	for _, s := range all {
		if code, _ := hardCheck(ix.entry(s.idx), &req, month); code != "" {
			if req.ExcludedLimit > 0 {
				excluded = append(excluded, s)
			}
			continue
		}
		h = append(h, s)
	}
	heap.Init(&h)
	res := Result{Considered: len(all)}
	// Why each person failed the time check, so that explaining them does
	// not expand their availability a second time.
	type failed struct {
		code string
		why  i18n.Text
	}
	timed := map[int32]failed{}
	for h.Len() > 0 && len(res.Candidates) < req.Limit {
		s := heap.Pop(&h).(scored)
		p := ix.at(s.idx)
		if !req.Untimed {
			if code, why := timeCheck(p, req.Session, req.Rules.Buffer); code != "" {
				if req.ExcludedLimit > 0 {
					excluded = append(excluded, s)
					timed[s.idx] = failed{code, why}
				}
				continue
			}
		}
		res.Candidates = append(res.Candidates, ix.explain(p, &req, ws, year, month))
	}
	// Explain the best excluded people who would have made the list.
	heap.Init(&excluded)
	for excluded.Len() > 0 && len(res.Excluded) < req.ExcludedLimit {
		s := heap.Pop(&excluded).(scored)
		p := ix.at(s.idx)
		code, why := hardCheck(ix.entry(s.idx), &req, month)
		if t, ok := timed[s.idx]; code == "" && ok {
			code, why = t.code, t.why
		} else if code == "" {
			code, why = timeCheck(p, req.Session, req.Rules.Buffer)
		}
		res.Excluded = append(res.Excluded, Exclusion{Person: p, Score: s.score, Constraint: code, Explanation: why})
	}
	return res
}

// Score returns the explained score of one person, ignoring constraints.
func (ix *Index) Score(p *Person, req Request) Candidate {
	year, month := period(req.Session)
	return ix.explain(p, &req, normalise(req.Weights), year, month)
}

func (ix *Index) explain(p *Person, req *Request, ws [7]float64, year, month int) Candidate {
	f := factsOf(p, nil)
	r := values(p, &f, req, year, month, ix.load[req.Session.InstitutionID].mean(year), requirementCodes(req.Session))
	ps, total := points(ws, r)
	names := [7]string{"expertise", "level", "rating", "load", "cost", "travel", "impact"}
	vals := [7]float64{r.expertise, r.level, r.rating, r.load, r.cost, r.travel, r.impact}
	texts := [7]i18n.Text{
		explainExpertise(p, req.Session.Requirements),
		i18n.T("levels above the minimum score %.0f%% (2 levels above counts full)", r.level*100),
		explainRating(p, req.Rules),
		i18n.T("%d JP booked in %d against a peer mean of %.0f; %d JP this month", p.JPYear[year], year,
			ix.load[req.Session.InstitutionID].mean(year), p.JPMonth[month]),
		explainCost(p, req.Rules),
		explainTravel(p, req.Session),
		p.Impact.explain("action plans from the sessions taught"),
	}
	c := Candidate{Person: p, Score: total}
	for i := range names {
		c.Breakdown = append(c.Breakdown, Part{Criterion: names[i], Weight: math.Round(ws[i]*100) / 100, Value: math.Round(vals[i]*1000) / 1000,
			Points: ps[i], Explanation: texts[i]})
	}
	return c
}

func explainExpertise(p *Person, reqs []scheduling.Requirement) i18n.Text {
	if len(reqs) == 0 {
		return i18n.T("the session names no required competency")
	}
	var met, short, missing []string
	for _, q := range reqs {
		lv := p.Levels[q.Code]
		switch {
		case lv >= q.MinLevel:
			met = append(met, fmt.Sprintf("%s %d≥%d", q.Code, lv, q.MinLevel))
		case lv > 0:
			short = append(short, fmt.Sprintf("%s %d<%d", q.Code, lv, q.MinLevel))
		default:
			missing = append(missing, q.Code)
		}
	}
	format, args := "meets %d of %d required competencies", []any{len(met), len(reqs)}
	if len(met) > 0 {
		format, args = format+"; %s", append(args, i18n.T("meets %s", strings.Join(met, ", ")))
	}
	if len(short) > 0 {
		format, args = format+"; %s", append(args, i18n.T("below the level in %s", strings.Join(short, ", ")))
	}
	if len(missing) > 0 {
		format, args = format+"; %s", append(args, i18n.T("lacks %s", strings.Join(missing, ", ")))
	}
	return i18n.T(format, args...)
}

func explainRating(p *Person, r Rules) i18n.Text {
	if p.RatingCount == 0 {
		return i18n.T("no evaluations yet; the prior of %.1f/4 applies", r.PriorMean)
	}
	smoothed := (r.PriorMean*r.PriorWeight + p.RatingMean*float64(p.RatingCount)) / (r.PriorWeight + float64(p.RatingCount))
	return i18n.T("%.2f/4 over %d evaluations, %.2f/4 after smoothing toward %.1f", p.RatingMean, p.RatingCount, smoothed, r.PriorMean)
}

func explainCost(p *Person, r Rules) i18n.Text {
	rate := r.cost(p)
	if r.BudgetPerJP == 0 || rate == 0 {
		return i18n.T("no budget per JP is set, or no rate applies; cost is neutral")
	}
	return i18n.T("%s per JP against a budget of %s", i18n.Rupiah(rate), i18n.Rupiah(r.BudgetPerJP))
}

func explainTravel(p *Person, s scheduling.Session) i18n.Text {
	switch {
	case s.Mode == scheduling.Online:
		return i18n.T("online session: no travel")
	case p.Zone == s.Zone:
		return i18n.T("lives in the venue's time zone")
	default:
		return i18n.T("lives in %s, the venue is in %s", p.Zone, s.Zone)
	}
}
