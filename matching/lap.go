package matching

import (
	"errors"
	"math"
)

// ErrInfeasible means no assignment covers every row (or, with more rows
// than columns, every column).
var ErrInfeasible = errors.New("matching: no complete assignment exists")

// Both solvers use the shortest augmenting path method of Jonker and
// Volgenant in the form Crouse (2016) gives and SciPy implements, started
// from a row reduction: each row's dual is its cheapest pair and each row
// whose cheapest column is still free takes it. That start is dual
// feasible for rectangular problems too (column duals stay at most 0), and
// it leaves only the rows that competed for a column to augment.
//
// With more rows than columns the problem is solved transposed, so that
// every column is assigned and the rows left over get -1.

// lapState holds the duals and the partial assignment.
type lapState struct {
	u, v    []float64
	col4row []int32
	row4col []int32
	path    []int32
	spc     []float64 // shortest path cost to each column
	done    []bool    // column's shortest path is final this augmentation
	vrows   []int32   // rows reached this augmentation
	vcols   []int32   // columns settled this augmentation
}

func newLapState(nr, nc int) *lapState {
	s := &lapState{u: make([]float64, nr), v: make([]float64, nc), col4row: make([]int32, nr), row4col: make([]int32, nc),
		path: make([]int32, nc), spc: make([]float64, nc), done: make([]bool, nc)}
	for i := range s.col4row {
		s.col4row[i] = -1
	}
	for j := range s.row4col {
		s.row4col[j] = -1
		s.spc[j] = math.Inf(1)
	}
	return s
}

// finish updates the duals after an augmenting path to sink of length
// minVal from cur and flips the path.
func (s *lapState) finish(cur int32, sink int32, minVal float64) {
	s.u[cur] += minVal
	for _, i := range s.vrows {
		if i != cur {
			s.u[i] += minVal - s.spc[s.col4row[i]]
		}
	}
	for _, j := range s.vcols {
		s.v[j] -= minVal - s.spc[j]
	}
	s.vrows, s.vcols = s.vrows[:0], s.vcols[:0]
	j := sink
	for {
		i := s.path[j]
		s.row4col[j] = i
		s.col4row[i], j = j, s.col4row[i]
		if i == cur {
			break
		}
	}
}

// result turns the state into a column per row (transposed back when the
// problem was).
func (s *lapState) result(transposed bool, rows int) []int {
	if !transposed {
		out := make([]int, len(s.col4row))
		for i, j := range s.col4row {
			out[i] = int(j)
		}
		return out
	}
	out := make([]int, rows)
	for i := range out {
		out[i] = -1
	}
	for j, i := range s.col4row { // rows of the transposed problem are columns
		out[i] = j
	}
	return out
}

// SolveDense returns the column assigned to each row that minimises the
// total cost of an nr×nc matrix, and that total. +Inf marks a forbidden
// pair. With more rows than columns every column is assigned and the rows
// left over get -1.
func SolveDense(cost [][]float64) ([]int, float64, error) {
	nr := len(cost)
	if nr == 0 {
		return nil, 0, nil
	}
	nc := len(cost[0])
	c, transposed := cost, nr > nc
	if transposed {
		c = transposeDense(cost)
		nr, nc = nc, nr
	}
	s := newLapState(nr, nc)
	var free []int32
	var ok bool
	if nr == nc {
		free, ok = s.startSquare(denseRows(c))
	} else {
		free, ok = s.startRows(denseRows(c))
	}
	if !ok {
		return nil, 0, ErrInfeasible
	}
	remaining := make([]int32, nc)
	for _, cur := range free {
		for j := range remaining {
			remaining[j] = int32(nc - j - 1)
			s.spc[j] = math.Inf(1)
		}
		num := nc
		minVal, sink, i := 0.0, int32(-1), cur
		for sink == -1 {
			s.vrows = append(s.vrows, i)
			row, ui := c[i], s.u[i]
			index, lowest := -1, math.Inf(1)
			base := minVal - ui
			for it, j := range remaining[:num] {
				r := base + row[j] - s.v[j]
				if r < s.spc[j] {
					s.path[j] = i
					s.spc[j] = r
				} else {
					r = s.spc[j]
				}
				if r < lowest || (r == lowest && s.row4col[j] == -1) {
					lowest, index = r, it
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
			s.vcols = append(s.vcols, j)
			num--
			remaining[index] = remaining[num]
		}
		s.finish(cur, sink, minVal)
	}
	total := 0.0
	for i, j := range s.col4row {
		total += c[i][j]
	}
	return s.result(transposed, len(cost)), total, nil
}

// transposeDense copies a matrix column by column, in tiles that stay in
// cache.
func transposeDense(cost [][]float64) [][]float64 {
	nr, nc := len(cost), len(cost[0])
	t := make([][]float64, nc)
	flat := make([]float64, nc*nr)
	for j := range t {
		t[j] = flat[j*nr : (j+1)*nr]
	}
	const tile = 32
	for i0 := 0; i0 < nr; i0 += tile {
		i1 := min(i0+tile, nr)
		for j0 := 0; j0 < nc; j0 += tile {
			j1 := min(j0+tile, nc)
			for i := i0; i < i1; i++ {
				row := cost[i][j0:j1]
				for k, x := range row {
					flat[(j0+k)*nr+i] = x
				}
			}
		}
	}
	return t
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

// csr is the solver's compact copy of a sparse matrix.
type csr struct {
	rows, cols int
	start      []int32
	col        []int32
	cost       []float64
}

func compact(m Sparse) csr {
	c := csr{rows: m.Rows, cols: m.Cols, start: make([]int32, m.Rows+1), col: make([]int32, len(m.Col)), cost: m.Cost}
	for i := 0; i <= m.Rows && i < len(m.Start); i++ {
		c.start[i] = int32(m.Start[i])
	}
	for k, j := range m.Col {
		c.col[k] = int32(j)
	}
	return c
}

// transpose returns the matrix column by column.
func (m csr) transpose() csr {
	t := csr{rows: m.cols, cols: m.rows, start: make([]int32, m.cols+1), col: make([]int32, len(m.col)), cost: make([]float64, len(m.cost))}
	for _, j := range m.col {
		t.start[j+1]++
	}
	for j := 0; j < m.cols; j++ {
		t.start[j+1] += t.start[j]
	}
	next := append([]int32(nil), t.start[:m.cols]...)
	for i := 0; i < m.rows; i++ {
		for k := m.start[i]; k < m.start[i+1]; k++ {
			j := m.col[k]
			t.col[next[j]] = int32(i)
			t.cost[next[j]] = m.cost[k]
			next[j]++
		}
	}
	return t
}

// rows gives a solver's start the pairs of each row: cols is nil when the
// row is dense (column k is costs[k]).
type rows interface {
	row(i int) (cols []int32, costs []float64)
	size() int
}

func (m csr) row(i int) ([]int32, []float64) {
	return m.col[m.start[i]:m.start[i+1]], m.cost[m.start[i]:m.start[i+1]]
}

func (m csr) size() int { return m.rows }

// denseRows is a full matrix seen as rows.
type denseRows [][]float64

func (m denseRows) row(i int) ([]int32, []float64) { return nil, m[i] }

func (m denseRows) size() int { return len(m) }

func colAt(cols []int32, k int) int32 {
	if cols == nil {
		return int32(k)
	}
	return cols[k]
}

// startRows starts from a row reduction: each row's dual is its cheapest
// pair, and a row whose cheapest column is free takes it. Column duals
// stay 0, which a rectangular problem needs (an unassigned column's dual
// must not be positive). It returns the rows left to augment.
func (s *lapState) startRows(m rows) ([]int32, bool) {
	var free []int32
	for i := 0; i < m.size(); i++ {
		cols, costs := m.row(i)
		best, arg := math.Inf(1), int32(-1)
		for k, x := range costs {
			if j := colAt(cols, k); x < best || (x == best && arg >= 0 && s.row4col[j] < 0 && s.row4col[arg] >= 0) {
				best, arg = x, j
			}
		}
		if arg < 0 || math.IsInf(best, 1) {
			return nil, false
		}
		s.u[i] = best
		if s.row4col[arg] < 0 {
			s.row4col[arg], s.col4row[i] = int32(i), arg
		} else {
			free = append(free, int32(i))
		}
	}
	return free, true
}

// startSquare is Jonker and Volgenant's start for square problems, where
// every column is assigned and column duals may take any sign: column
// reduction, reduction transfer and two rounds of augmenting row
// reduction. Each assigned row keeps a column of least reduced cost, so
// the row duals set at the end make every reduced cost non-negative and
// every assigned pair's zero. It returns the rows left to augment.
func (s *lapState) startSquare(m rows) ([]int32, bool) {
	n := m.size()
	inf := math.Inf(1)
	argRow := make([]int32, n)
	for j := range s.v {
		s.v[j] = inf
		argRow[j] = -1
	}
	for i := 0; i < n; i++ {
		cols, costs := m.row(i)
		for k, x := range costs {
			if j := colAt(cols, k); x < s.v[j] {
				s.v[j], argRow[j] = x, int32(i)
			}
		}
	}
	matches := make([]int32, n)
	for j := n - 1; j >= 0; j-- {
		i := argRow[j]
		if i < 0 {
			return nil, false // a column nobody may take
		}
		matches[i]++
		if matches[i] == 1 {
			s.col4row[i], s.row4col[j] = int32(j), i
		}
	}
	// Reduction transfer: a row that took exactly one column passes its
	// slack to it, lowering the column's dual to the row's second best.
	var free []int32
	for i := 0; i < n; i++ {
		switch {
		case matches[i] == 0:
			free = append(free, int32(i))
		case matches[i] == 1:
			j1 := s.col4row[i]
			second := inf
			cols, costs := m.row(i)
			for k, x := range costs {
				if j := colAt(cols, k); j != j1 {
					second = min(second, x-s.v[j])
				}
			}
			if second < inf {
				s.v[j1] -= second
			}
		}
	}
	// Augmenting row reduction, twice: a free row takes its best column,
	// lowering that column's dual to its second best, and pushes out the
	// row that held it. Rows that cannot all be placed (an infeasible
	// problem) would push each other out forever: the steps are capped and
	// the augmentations that follow settle what is left.
	steps := 0
	for round := 0; round < 2 && len(free) > 0; round++ {
		todo := free
		free = make([]int32, 0, len(todo))
		for k := 0; k < len(todo); {
			if steps++; steps > 4*n {
				free = append(free, todo[k:]...)
				break
			}
			i := todo[k]
			k++
			u1, u2, j1, j2 := inf, inf, int32(-1), int32(-1)
			cols, costs := m.row(int(i))
			for e, x := range costs {
				j := colAt(cols, e)
				h := x - s.v[j]
				if h < u2 {
					if h >= u1 {
						u2, j2 = h, j
					} else {
						u2, j2, u1, j1 = u1, j1, h, j
					}
				}
			}
			if j1 < 0 || math.IsInf(u1, 1) {
				return nil, false
			}
			if math.IsInf(u2, 1) { // one column only: take it if free
				if s.row4col[j1] < 0 {
					s.col4row[i], s.row4col[j1] = j1, i
				} else {
					free = append(free, i)
				}
				continue
			}
			i0 := s.row4col[j1]
			if u1 < u2 {
				s.v[j1] -= u2 - u1
			} else if i0 >= 0 {
				j1 = j2
				i0 = s.row4col[j1]
			}
			if i0 >= 0 {
				s.col4row[i0] = -1
				if u1 < u2 {
					k--
					todo[k] = i0 // at once, while the column is fresh
				} else {
					free = append(free, i0)
				}
			}
			s.col4row[i], s.row4col[j1] = j1, i
		}
	}
	for i := 0; i < n; i++ {
		best := inf
		cols, costs := m.row(i)
		for k, x := range costs {
			best = min(best, x-s.v[colAt(cols, k)])
		}
		s.u[i] = best
	}
	return free, true
}

// labelled is a column with the path cost it had when pushed; entries
// whose cost has since dropped are skipped when popped.
type labelled struct {
	cost float64
	col  int32
}

// minHeap is a 4-ary heap of labelled columns, kept in a slice that is
// reused from one augmentation to the next.
type minHeap []labelled

func (h *minHeap) push(x labelled) {
	a := append(*h, x)
	k := len(a) - 1
	for k > 0 {
		p := (k - 1) / 4
		if a[p].cost <= x.cost {
			break
		}
		a[k] = a[p]
		k = p
	}
	a[k] = x
	*h = a
}

func (h *minHeap) pop() labelled {
	a := *h
	top := a[0]
	n := len(a) - 1
	x := a[n]
	a = a[:n]
	k := 0
	for {
		c := 4*k + 1
		if c >= n {
			break
		}
		best := c
		for d := c + 1; d < c+4 && d < n; d++ {
			if a[d].cost < a[best].cost {
				best = d
			}
		}
		if x.cost <= a[best].cost {
			break
		}
		a[k] = a[best]
		k = best
	}
	if n > 0 {
		a[k] = x
	}
	*h = a
	return top
}

// SolveSparse minimises the total cost over the allowed pairs only, with
// Dijkstra's algorithm on a heap in place of the dense scan: each
// augmentation touches just the pairs it reaches, which makes rosters with
// a few dozen eligible people per session cheap. With more rows than
// columns every column is assigned and the rows left over get -1.
func SolveSparse(sm Sparse) ([]int, float64, error) {
	if sm.Rows == 0 {
		return nil, 0, nil
	}
	m := compact(sm)
	transposed := m.rows > m.cols
	if transposed {
		m = m.transpose()
	}
	nr := m.rows
	s := newLapState(nr, m.cols)
	var free []int32
	var ok bool
	if nr == m.cols {
		free, ok = s.startSquare(m)
	} else {
		free, ok = s.startRows(m)
	}
	if !ok {
		return nil, 0, ErrInfeasible
	}
	touched := make([]int32, 0, 64)
	h := make(minHeap, 0, 64)
	for _, cur := range free {
		minVal, sink, i := 0.0, int32(-1), cur
		h = h[:0]
		for sink == -1 {
			s.vrows = append(s.vrows, i)
			base := minVal - s.u[i]
			for k := m.start[i]; k < m.start[i+1]; k++ {
				j := m.col[k]
				if s.done[j] {
					continue
				}
				r := base + m.cost[k] - s.v[j]
				if r < s.spc[j] {
					if math.IsInf(s.spc[j], 1) {
						touched = append(touched, j)
					}
					s.path[j] = i
					s.spc[j] = r
					if r <= minVal && s.row4col[j] == -1 {
						// A free column as near as the nearest unsettled
						// one: no path can be shorter.
						sink = j
						break
					}
					h.push(labelled{r, j})
				}
			}
			if sink != -1 {
				s.done[sink] = true
				s.vcols = append(s.vcols, sink)
				break
			}
			j := int32(-1)
			for len(h) > 0 {
				c := h.pop()
				if !s.done[c.col] && c.cost == s.spc[c.col] {
					j = c.col
					break
				}
			}
			if j == -1 {
				return nil, 0, ErrInfeasible
			}
			minVal = s.spc[j]
			s.done[j] = true
			s.vcols = append(s.vcols, j)
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
			s.done[j] = false
		}
		touched = touched[:0]
	}
	total := 0.0
	for i, j := range s.col4row {
		for k := m.start[i]; k < m.start[i+1]; k++ {
			if m.col[k] == j {
				total += m.cost[k]
				break
			}
		}
	}
	return s.result(transposed, sm.Rows), total, nil
}
