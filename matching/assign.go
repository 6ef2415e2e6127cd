package matching

import (
	"sort"

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

type edge struct {
	person int // index into the proposal's person list
	score  int
	cand   Candidate
}

// Assign fills every slot to maximise the number filled and then the total
// score, with no person in two overlapping sessions, at most
// MaxSlotsPerPerson slots each, and every hard constraint of Rank.
//
// Method: the problem without the overlap rule is an assignment problem
// (slots × copies of each person, one copy per allowed slot, plus an
// "unfilled" column per slot), solved exactly by SolveSparse. When the
// solution puts someone in two overlapping sessions, branch and bound
// splits on it (that person not in the first slot / not in the second) and
// prunes with the relaxation's value. It is exact when the search ends
// within MaxNodes; otherwise Gap reports the distance to the best bound.
// Only each slot's top len(Slots) candidates are kept: a better person
// outside them is always free to swap in, so nothing optimal is lost.
func (ix *Index) Assign(req AssignRequest) Proposal {
	if req.MaxSlotsPerPerson <= 0 {
		req.MaxSlotsPerPerson = 3
	}
	if req.MaxNodes <= 0 {
		req.MaxNodes = 2000
	}
	S := len(req.Slots)
	var people []*Person
	personIdx := map[*Person]int{}
	edges := make([][]edge, S)
	scores := map[int64][]scored{} // by session: both roles share the scores
	for j, sl := range req.Slots {
		r := Request{Session: sl.Session, Course: req.Course, Role: sl.Role, Limit: max(S, 1), Weights: req.Weights, Rules: req.Rules}
		all, ok := scores[sl.Session.ID]
		if !ok || sl.Session.ID == 0 {
			all = ix.poolScores(r)
			scores[sl.Session.ID] = all
		}
		res := ix.rank(r, all)
		for _, c := range res.Candidates {
			k, ok := personIdx[c.Person]
			if !ok {
				k = len(people)
				people = append(people, c.Person)
				personIdx[c.Person] = k
			}
			edges[j] = append(edges[j], edge{person: k, score: c.Score, cand: c})
		}
	}
	overlap := make([][]bool, S)
	for a := range overlap {
		overlap[a] = make([]bool, S)
		for b := range overlap[a] {
			sa, sb := req.Slots[a].Session, req.Slots[b].Session
			overlap[a][b] = a != b && (sa.ID == sb.ID && sa.ID != 0 || sa.Start.Before(sb.End) && sb.Start.Before(sa.End))
		}
	}
	caps := req.MaxSlotsPerPerson
	solve := func(forbid map[[2]int]bool) ([]int, int) {
		m := Sparse{Cols: len(people)*caps + S}
		for j := 0; j < S; j++ {
			var cols []int
			var costs []float64
			for _, e := range edges[j] {
				if forbid[[2]int{j, e.person}] {
					continue
				}
				for c := 0; c < caps; c++ {
					cols = append(cols, e.person*caps+c)
					costs = append(costs, float64(fillValue+10000-e.score))
				}
			}
			cols = append(cols, len(people)*caps+j)
			costs = append(costs, float64(2*fillValue+10000))
			m.Add(cols, costs)
		}
		assign, cost, _ := SolveSparse(m) // always feasible: each slot has its own unfilled column
		out := make([]int, S)
		for j, col := range assign {
			out[j] = -1
			if col < len(people)*caps {
				out[j] = col / caps
			}
		}
		return out, int(cost)
	}
	conflict := func(a []int) (int, int, bool) {
		for x := 0; x < S; x++ {
			for y := x + 1; y < S; y++ {
				if a[x] >= 0 && a[x] == a[y] && overlap[x][y] {
					return a[x], x, true
				}
			}
		}
		return 0, 0, false
	}
	type node struct {
		forbid map[[2]int]bool
		bound  int
	}
	bestCost, best := -1, []int(nil)
	stack := []node{{forbid: map[[2]int]bool{}}}
	nodes := 0
	var root []int
	for len(stack) > 0 && nodes < req.MaxNodes {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if bestCost >= 0 && n.bound >= bestCost {
			continue
		}
		nodes++
		a, cost := solve(n.forbid)
		if root == nil {
			root = a
		}
		if bestCost >= 0 && cost >= bestCost {
			continue
		}
		p, x, found := conflict(a)
		if !found {
			bestCost, best = cost, a
			continue
		}
		// Either p is not in slot x, or p is in x and so in no slot that
		// overlaps x (y among them).
		notX := copyForbid(n.forbid)
		notX[[2]int{x, p}] = true
		onlyX := copyForbid(n.forbid)
		for k := 0; k < S; k++ {
			if overlap[x][k] {
				onlyX[[2]int{k, p}] = true
			}
		}
		stack = append(stack, node{forbid: notX, bound: cost}, node{forbid: onlyX, bound: cost})
	}
	prop := Proposal{Nodes: nodes, Optimal: len(stack) == 0 && best != nil}
	if best == nil {
		best = repair(root, edges, overlap)
	}
	if !prop.Optimal {
		lower := bestCost
		for _, n := range stack {
			if lower < 0 || n.bound < lower {
				lower = n.bound
			}
		}
		prop.Gap = max(costOf(best, edges)-lower, 0)
	}
	for j, sl := range req.Slots {
		f := Filled{Slot: sl, Reason: "no eligible person is free"}
		if p := best[j]; p >= 0 {
			for _, e := range edges[j] {
				if e.person == p {
					c := e.cand
					f.Candidate, f.Reason = &c, ""
					prop.Total += e.score
					prop.Filled++
				}
			}
		} else if len(edges[j]) > 0 {
			f.Reason = "every eligible person is needed in another slot"
		}
		prop.Slots = append(prop.Slots, f)
	}
	return prop
}

func copyForbid(f map[[2]int]bool) map[[2]int]bool {
	out := make(map[[2]int]bool, len(f)+4)
	for k := range f {
		out[k] = true
	}
	return out
}

// costOf is the relaxation's cost of an assignment.
func costOf(a []int, edges [][]edge) int {
	cost := 0
	for j, p := range a {
		if p < 0 {
			cost += 2*fillValue + 10000
			continue
		}
		for _, e := range edges[j] {
			if e.person == p {
				cost += fillValue + 10000 - e.score
			}
		}
	}
	return cost
}

// repair makes an assignment feasible by keeping, for each person, the
// best-scoring slots that do not overlap; the others are left unfilled.
func repair(a []int, edges [][]edge, overlap [][]bool) []int {
	out := append([]int(nil), a...)
	score := func(j int) int {
		for _, e := range edges[j] {
			if e.person == out[j] {
				return e.score
			}
		}
		return 0
	}
	order := make([]int, len(out))
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(x, y int) bool { return score(order[x]) > score(order[y]) })
	var kept []int
	for _, j := range order {
		if out[j] < 0 {
			continue
		}
		ok := true
		for _, k := range kept {
			if out[k] == out[j] && overlap[j][k] {
				ok = false
				break
			}
		}
		if ok {
			kept = append(kept, j)
		} else {
			out[j] = -1
		}
	}
	return out
}
