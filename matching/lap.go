package matching

import (
	"container/heap"
	"errors"
	"math"
)

// ErrInfeasible means some row cannot be assigned to any column.
var ErrInfeasible = errors.New("matching: no complete assignment exists")

// lapState holds the duals and the partial assignment shared by both
// solvers (the shortest augmenting path method of Jonker and Volgenant, in
// the form Crouse (2016) gives and SciPy implements).
type lapState struct {
	u, v     []float64
	col4row  []int
	row4col  []int
	path     []int
	spc      []float64 // shortest path cost to each column
	sr, sc   []bool
	visitedR []int
	visitedC []int
}

func newLapState(nr, nc int) *lapState {
	s := &lapState{u: make([]float64, nr), v: make([]float64, nc), col4row: make([]int, nr), row4col: make([]int, nc),
		path: make([]int, nc), spc: make([]float64, nc), sr: make([]bool, nr), sc: make([]bool, nc)}
	for i := range s.col4row {
		s.col4row[i] = -1
	}
	for j := range s.row4col {
		s.row4col[j] = -1
	}
	return s
}

// finish updates the duals after an augmenting path to sink of length
// minVal from curRow and flips the path.
func (s *lapState) finish(curRow, sink int, minVal float64) {
	s.u[curRow] += minVal
	for _, i := range s.visitedR {
		if i != curRow {
			s.u[i] += minVal - s.spc[s.col4row[i]]
		}
		s.sr[i] = false
	}
	for _, j := range s.visitedC {
		s.v[j] -= minVal - s.spc[j]
		s.sc[j] = false
	}
	s.visitedR, s.visitedC = s.visitedR[:0], s.visitedC[:0]
	j := sink
	for {
		i := s.path[j]
		s.row4col[j] = i
		s.col4row[i], j = j, s.col4row[i]
		if i == curRow {
			break
		}
	}
}

// SolveDense returns the column assigned to each row that minimises the
// total cost of an nr×nc matrix (nr ≤ nc). +Inf marks a forbidden pair.
func SolveDense(cost [][]float64) ([]int, float64, error) {
	nr := len(cost)
	if nr == 0 {
		return nil, 0, nil
	}
	nc := len(cost[0])
	if nr > nc {
		return nil, 0, errors.New("matching: more rows than columns")
	}
	s := newLapState(nr, nc)
	remaining := make([]int, nc)
	for cur := 0; cur < nr; cur++ {
		for j := range remaining {
			remaining[j] = nc - j - 1
			s.spc[j] = math.Inf(1)
		}
		num := nc
		minVal, sink, i := 0.0, -1, cur
		for sink == -1 {
			s.sr[i] = true
			s.visitedR = append(s.visitedR, i)
			row, ui := cost[i], s.u[i]
			index, lowest := -1, math.Inf(1)
			for it := 0; it < num; it++ {
				j := remaining[it]
				r := minVal + row[j] - ui - s.v[j]
				if r < s.spc[j] {
					s.path[j] = i
					s.spc[j] = r
				}
				if c := s.spc[j]; c < lowest || (c == lowest && s.row4col[j] == -1) {
					lowest, index = c, it
				}
			}
			minVal = lowest
			if math.IsInf(minVal, 1) {
				return nil, 0, ErrInfeasible
			}
			j := remaining[index]
			if s.row4col[j] == -1 {
				sink = j
			} else {
				i = s.row4col[j]
			}
			s.sc[j] = true
			s.visitedC = append(s.visitedC, j)
			num--
			remaining[index] = remaining[num]
		}
		s.finish(cur, sink, minVal)
	}
	total := 0.0
	for i, j := range s.col4row {
		total += cost[i][j]
	}
	return s.col4row, total, nil
}

// Sparse is a cost matrix holding only the allowed pairs, row by row
// (compressed sparse rows): row i's pairs are Col[Start[i]:Start[i+1]].
type Sparse struct {
	Rows, Cols int
	Start      []int
	Col        []int
	Cost       []float64
}

// Add appends the pairs of the next row; rows must be added in order.
func (m *Sparse) Add(cols []int, costs []float64) {
	if len(m.Start) == 0 {
		m.Start = append(m.Start, 0)
	}
	m.Col = append(m.Col, cols...)
	m.Cost = append(m.Cost, costs...)
	m.Start = append(m.Start, len(m.Col))
	m.Rows++
}

// labelled is a column with the path cost it had when pushed; entries
// whose cost has since dropped are skipped when popped.
type labelled struct {
	col  int
	cost float64
}

type colHeap []labelled

func (h colHeap) Len() int           { return len(h) }
func (h colHeap) Less(a, b int) bool { return h[a].cost < h[b].cost }
func (h colHeap) Swap(a, b int)      { h[a], h[b] = h[b], h[a] }
func (h *colHeap) Push(x any)        { *h = append(*h, x.(labelled)) }
func (h *colHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// SolveSparse minimises the total cost over the allowed pairs only, with
// Dijkstra's algorithm on a heap in place of the dense scan: each
// augmentation touches just the pairs it reaches, which makes rosters with
// a few dozen eligible people per session cheap.
func SolveSparse(m Sparse) ([]int, float64, error) {
	nr, nc := m.Rows, m.Cols
	if nr == 0 {
		return nil, 0, nil
	}
	s := newLapState(nr, nc)
	for j := range s.spc {
		s.spc[j] = math.Inf(1)
	}
	touched := make([]int, 0, 64)
	h := &colHeap{}
	for cur := 0; cur < nr; cur++ {
		minVal, sink, i := 0.0, -1, cur
		*h = (*h)[:0]
		for sink == -1 {
			s.sr[i] = true
			s.visitedR = append(s.visitedR, i)
			ui := s.u[i]
			for k := m.Start[i]; k < m.Start[i+1]; k++ {
				j := m.Col[k]
				if s.sc[j] {
					continue
				}
				r := minVal + m.Cost[k] - ui - s.v[j]
				if r < s.spc[j] {
					if math.IsInf(s.spc[j], 1) {
						touched = append(touched, j)
					}
					s.path[j] = i
					s.spc[j] = r
					heap.Push(h, labelled{j, r})
				}
			}
			j := -1
			for h.Len() > 0 {
				c := heap.Pop(h).(labelled)
				if !s.sc[c.col] && c.cost == s.spc[c.col] {
					j = c.col
					break
				}
			}
			if j == -1 {
				return nil, 0, ErrInfeasible
			}
			minVal = s.spc[j]
			s.sc[j] = true
			s.visitedC = append(s.visitedC, j)
			if s.row4col[j] == -1 {
				sink = j
			} else {
				i = s.row4col[j]
			}
		}
		// Columns reached but not settled keep their labels out of the
		// dual update; reset every label for the next row.
		s.finish(cur, sink, minVal)
		for _, j := range touched {
			s.spc[j] = math.Inf(1)
		}
		touched = touched[:0]
	}
	total := 0.0
	for i, j := range s.col4row {
		for k := m.Start[i]; k < m.Start[i+1]; k++ {
			if m.Col[k] == j {
				total += m.Cost[k]
				break
			}
		}
	}
	return s.col4row, total, nil
}
