package matching

import (
	"math"
	"sort"
	"time"

	"sinergi/scheduling"
)

// SlotSpec is one role of one session to fill.
type SlotSpec struct {
	Session scheduling.Session
	Role    scheduling.Role
}

// AssignRequest asks for people for every open slot of a course.
type AssignRequest struct {
	Course  scheduling.Course
	Slots   []SlotSpec
	Weights Weights
	Rules   Rules
	// MaxSlotsPerPerson caps how many slots one person gets (default 3).
	MaxSlotsPerPerson int
	// MaxNodes bounds the branch and bound search (default 2000).
	MaxNodes int
}

// Filled is the person proposed for a slot, or nil with a reason.
type Filled struct {
	Slot      SlotSpec
	Candidate *Candidate
	Reason    string
}

// Proposal is an assignment of a course.
type Proposal struct {
	Slots []Filled
	// Total is the sum of the filled slots' scores, in hundredths.
	Total  int
	Filled int
	// Optimal is true when the search proved no better assignment exists;
	// otherwise Gap bounds how many points (hundredths) better one could be.
	Optimal bool
	Gap     int
	Nodes   int
}

// fillValue is what filling a slot is worth beyond its score: filling more
// slots comes first, then the scores.
const fillValue = 20000

// FillValue is what filling a slot is worth on top of the score of the
// person who fills it (both in hundredths of a point): the assignment
// fills as many slots as it can first, then maximises the scores.
const FillValue = fillValue

// ProblemEdge is a person who may fill a role of a session, with their
// score, as Export hands the problem to another solver.
type ProblemEdge struct {
	Person, Session, Score int
	Lead                   bool
}

// Export returns the problem as plain data: the sessions, the open places
// of each (lead, co-trainer), the candidate pairs and the cap per person.
func (pr *AssignProblem) Export() ([]scheduling.Session, [][2]int, []ProblemEdge, int) {
	sessions := make([]scheduling.Session, len(pr.sessions))
	places := make([][2]int, len(pr.sessions))
	for i, as := range pr.sessions {
		sessions[i] = as.session
		places[i] = [2]int{len(as.slots[0]), len(as.slots[1])}
	}
	edges := make([]ProblemEdge, len(pr.edges))
	for k, e := range pr.edges {
		edges[k] = ProblemEdge{Person: e.person, Session: e.session, Score: e.score, Lead: e.role == 0}
	}
	return sessions, places, edges, pr.req.MaxSlotsPerPerson
}

// AssignProblem is a course assignment reduced to what the solver needs:
// the sessions with the open places of each role, and every person who may
// fill a role with their score. Co-trainer slots of one session are one
// role with a capacity, so no two solutions differ only in which of two
// identical slots a person takes.
type AssignProblem struct {
	req      AssignRequest
	sessions []assignSession
	people   []*Person
	edges    []roleEdge
	// group numbers sessions into blocks whose sessions all overlap one
	// another (a time block); sessions in different blocks may still
	// overlap, and branching settles those.
	group []int
}

type assignSession struct {
	session scheduling.Session
	slots   [2][]int // the request's slots, by role (0 lead, 1 co-trainer)
}

// roleEdge is a person who may fill a role of a session.
type roleEdge struct {
	person  int
	session int
	role    int // 0 lead, 1 co-trainer
	score   int
	cand    Candidate
}

func roleIndex(r scheduling.Role) int {
	if r == scheduling.Lead {
		return 0
	}
	return 1
}

func overlaps(a, b scheduling.Session) bool {
	return a.Start.Before(b.End) && b.Start.Before(a.End)
}

// AssignProblem scores the candidates of every open slot of a course.
// Only each role's best K candidates are kept, K the number of slots in the
// sessions that overlap it (itself included) plus the number of people the
// cap lets fill every slot, len(Slots)/MaxSlotsPerPerson (and never more
// than len(Slots)). Nothing optimal is lost: if an assignment put someone
// from outside the best K in the role, one of the K would be neither in an
// overlapping session nor at the cap, so could take the place for at least
// the same score.
func (ix *Index) AssignProblem(req AssignRequest) *AssignProblem {
	if req.MaxSlotsPerPerson <= 0 {
		req.MaxSlotsPerPerson = 3
	}
	if req.MaxNodes <= 0 {
		req.MaxNodes = 2000
	}
	pr := &AssignProblem{req: req}
	S := len(req.Slots)
	at := map[int64]int{}
	for k, sl := range req.Slots {
		i, ok := at[sl.Session.ID]
		if !ok || sl.Session.ID == 0 {
			i = len(pr.sessions)
			pr.sessions = append(pr.sessions, assignSession{session: sl.Session})
			if sl.Session.ID != 0 {
				at[sl.Session.ID] = i
			}
		}
		r := roleIndex(sl.Role)
		pr.sessions[i].slots[r] = append(pr.sessions[i].slots[r], k)
	}
	overlapping := make([]int, len(pr.sessions))
	for i, a := range pr.sessions {
		for j, b := range pr.sessions {
			if i == j || overlaps(a.session, b.session) {
				overlapping[i] += len(b.slots[0]) + len(b.slots[1])
			}
		}
	}
	personIdx := map[*Person]int{}
	for i, as := range pr.sessions {
		var all []scored // both roles share the scores
		for r, slots := range as.slots {
			if len(slots) == 0 {
				continue
			}
			sl := req.Slots[slots[0]]
			limit := min(S, overlapping[i]+S/req.MaxSlotsPerPerson)
			rq := Request{Session: sl.Session, Course: req.Course, Role: sl.Role, Limit: max(limit, 1), Weights: req.Weights, Rules: req.Rules}
			if all == nil {
				all = ix.poolScores(rq)
			}
			for _, c := range ix.rank(rq, all).Candidates {
				p, ok := personIdx[c.Person]
				if !ok {
					p = len(pr.people)
					pr.people = append(pr.people, c.Person)
					personIdx[c.Person] = p
				}
				pr.edges = append(pr.edges, roleEdge{person: p, session: i, role: r, score: c.Score, cand: c})
			}
		}
	}
	// Blocks: sessions by start; a session joins the current block while
	// it starts before every session in it ends, so the block's sessions
	// share a moment.
	order := make([]int, len(pr.sessions))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		return pr.sessions[order[a]].session.Start.Before(pr.sessions[order[b]].session.Start)
	})
	pr.group = make([]int, len(pr.sessions))
	g := -1
	var end time.Time
	for k, i := range order {
		sess := pr.sessions[i].session
		if k == 0 || !sess.Start.Before(end) {
			g++
			end = sess.End
		} else if sess.End.Before(end) {
			end = sess.End
		}
		pr.group[i] = g
	}
	return pr
}

// Assign fills every slot to maximise the number filled and then the total
// score, with no person in two overlapping sessions, at most
// MaxSlotsPerPerson slots each, and every hard constraint of Rank.
func (ix *Index) Assign(req AssignRequest) Proposal {
	return ix.AssignProblem(req).Solve()
}

// bbNode is a subproblem of the search: some people kept out of some
// sessions.
type bbNode struct {
	forbid map[[2]int]bool // person, session
	bound  int64           // the relaxation's value: no solution below is worth more
	start  []int           // the parent's flow, to start from
}

// Solve finds the best assignment and proves it.
//
// Method: the relaxation is a min-cost flow: source → person (capacity
// MaxSlotsPerPerson) → person's time block (capacity 1) → session role
// (capacity its open slots) → sink, each unit worth fillValue plus the
// person's score. It is exact for everything but overlaps between sessions
// of different blocks: within a block a person takes at most one role of
// one session. When the flow puts someone in two overlapping sessions of
// different blocks, branch and bound splits on it (that person not in the
// first session / in no other session overlapping it), best bound first, and prunes with
// the flow's value. It is exact when the search ends within MaxNodes;
// otherwise Gap reports the distance to the best bound. Courses whose
// sessions run in fixed time blocks (one or several in parallel) are
// solved at the root.
func (pr *AssignProblem) Solve() Proposal {
	best, bestValue := []int(nil), int64(-1)
	open := []bbNode{{forbid: map[[2]int]bool{}, bound: math.MaxInt64}}
	nodes := 0
	var root []int
	for len(open) > 0 && nodes < pr.req.MaxNodes {
		k := 0 // best bound first
		for i := range open {
			if open[i].bound > open[k].bound {
				k = i
			}
		}
		n := open[k]
		open[k] = open[len(open)-1]
		open = open[:len(open)-1]
		if n.bound <= bestValue {
			continue
		}
		nodes++
		flow, value := pr.relax(n.forbid, n.start)
		if root == nil {
			root = flow
		}
		if value <= bestValue {
			continue
		}
		p, a, found := pr.conflict(flow)
		if !found {
			best, bestValue = flow, value
			continue
		}
		// Either p is not in a, or p is in a and so in no session that
		// overlaps it (b among them).
		left, right := copyForbid(n.forbid), copyForbid(n.forbid)
		left[[2]int{p, a}] = true
		for c, other := range pr.sessions {
			if c != a && overlaps(pr.sessions[a].session, other.session) {
				right[[2]int{p, c}] = true
			}
		}
		open = append(open, bbNode{forbid: left, bound: value, start: flow}, bbNode{forbid: right, bound: value, start: flow})
	}
	prop := Proposal{Nodes: nodes}
	bound := bestValue
	for _, n := range open {
		if n.bound > bestValue {
			bound = max(bound, n.bound)
		}
	}
	if best == nil {
		best = pr.repair(root)
		bestValue = pr.value(best)
	}
	prop.Optimal = bound <= bestValue
	if !prop.Optimal {
		prop.Gap = int(bound - bestValue)
	}
	prop.Slots = make([]Filled, len(pr.req.Slots))
	for k, sl := range pr.req.Slots {
		prop.Slots[k] = Filled{Slot: sl, Reason: "no eligible person is free"}
	}
	eligible := make([][2]bool, len(pr.sessions))
	for _, e := range pr.edges {
		eligible[e.session][e.role] = true
	}
	// A role's people go to its slots best score first.
	taken := make([][2][]int, len(pr.sessions))
	for _, ei := range best {
		e := pr.edges[ei]
		taken[e.session][e.role] = append(taken[e.session][e.role], ei)
	}
	for i, as := range pr.sessions {
		for r, slots := range as.slots {
			got := taken[i][r]
			sort.SliceStable(got, func(a, b int) bool { return pr.edges[got[a]].score > pr.edges[got[b]].score })
			for k, slot := range slots {
				switch {
				case k < len(got):
					c := pr.edges[got[k]].cand
					prop.Slots[slot].Candidate, prop.Slots[slot].Reason = &c, ""
					prop.Total += c.Score
					prop.Filled++
				case eligible[i][r]:
					prop.Slots[slot].Reason = "every eligible person is needed in another slot"
				}
			}
		}
	}
	return prop
}

// unitCost turns a filled slot's worth into a non-negative cost per unit of
// flow; every path through the network carries exactly one such edge.
const unitCost = fillValue + 10000 + 1

// relax solves the flow relaxation without the forbidden pairs and returns
// the edges it uses and its value. A child starts from its parent's flow
// less the pairs it forbids: cancelling the negative cycles that leaves
// and a few augmentations replace solving from nothing.
func (pr *AssignProblem) relax(forbid map[[2]int]bool, start []int) ([]int, int64) {
	g := newFlowGraph(2)
	const source, sink = 0, 1
	roles := make([][2]int32, len(pr.sessions))
	toSink := make([][2]int32, len(pr.sessions))
	for i, as := range pr.sessions {
		for r, slots := range as.slots {
			roles[i][r] = -1
			if len(slots) > 0 {
				roles[i][r] = g.node()
				toSink[i][r] = g.edge(roles[i][r], sink, int32(len(slots)), 0)
			}
		}
	}
	personNode := make([]int32, len(pr.people))
	fromSource := make([]int32, len(pr.people))
	for p := range personNode {
		personNode[p] = -1
	}
	type block struct{ node, edge int32 }
	blocks := map[[2]int]block{} // person, group
	edgeOf := make([]int32, len(pr.edges))
	blockOf := make([]int32, len(pr.edges))
	for ei, e := range pr.edges {
		edgeOf[ei] = -1
		if forbid[[2]int{e.person, e.session}] {
			continue
		}
		if personNode[e.person] < 0 {
			personNode[e.person] = g.node()
			fromSource[e.person] = g.edge(source, personNode[e.person], int32(pr.req.MaxSlotsPerPerson), 0)
		}
		key := [2]int{e.person, pr.group[e.session]}
		b, ok := blocks[key]
		if !ok {
			b.node = g.node()
			b.edge = g.edge(personNode[e.person], b.node, 1, 0)
			blocks[key] = b
		}
		blockOf[ei] = b.edge
		edgeOf[ei] = g.edge(b.node, roles[e.session][e.role], 1, int64(unitCost-fillValue-e.score))
	}
	var pot []int64
	if start != nil {
		for _, ei := range start {
			if e := pr.edges[ei]; edgeOf[ei] >= 0 {
				g.push(fromSource[e.person], blockOf[ei], edgeOf[ei], toSink[e.session][e.role])
			}
		}
		pot = g.optimise()
	}
	g.minCostFlow(source, sink, unitCost, pot)
	var used []int
	for ei, ge := range edgeOf {
		if ge >= 0 && g.flow(ge) > 0 {
			used = append(used, ei)
		}
	}
	return used, int64(len(used))*unitCost - g.totalCost()
}

// conflict finds a person the flow put in two overlapping sessions and
// returns them with the session of the pair where they score more: of
// all such pairs, the one with most at stake.
func (pr *AssignProblem) conflict(used []int) (int, int, bool) {
	byPerson := map[int][]int{} // person → edges
	bestP, bestS, stake := 0, 0, -1
	for _, ei := range used {
		e := pr.edges[ei]
		for _, oi := range byPerson[e.person] {
			o := pr.edges[oi]
			if overlaps(pr.sessions[o.session].session, pr.sessions[e.session].session) && stake < 0 {
				bestP, bestS, stake = e.person, o.session, e.score+o.score
				if e.score > o.score {
					bestS = e.session
				}
			}
		}
		byPerson[e.person] = append(byPerson[e.person], ei)
	}
	return bestP, bestS, stake >= 0
}

// value is what an assignment is worth.
func (pr *AssignProblem) value(used []int) int64 {
	v := int64(0)
	for _, ei := range used {
		v += int64(fillValue + pr.edges[ei].score)
	}
	return v
}

// repair makes an assignment feasible by keeping, for each person, the
// best-scoring sessions that do not overlap; the others are left unfilled.
func (pr *AssignProblem) repair(used []int) []int {
	order := append([]int(nil), used...)
	sort.SliceStable(order, func(a, b int) bool { return pr.edges[order[a]].score > pr.edges[order[b]].score })
	var kept []int
	for _, ei := range order {
		e, ok := pr.edges[ei], true
		for _, k := range kept {
			if o := pr.edges[k]; o.person == e.person && overlaps(pr.sessions[o.session].session, pr.sessions[e.session].session) {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, ei)
		}
	}
	return kept
}

func copyForbid(f map[[2]int]bool) map[[2]int]bool {
	out := make(map[[2]int]bool, len(f)+1)
	for k := range f {
		out[k] = true
	}
	return out
}
