package matching

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// bruteForce returns the least total over all injective row→column maps.
func bruteForce(cost [][]float64) float64 {
	nr, nc := len(cost), len(cost[0])
	best := math.Inf(1)
	used := make([]bool, nc)
	var rec func(i int, sum float64)
	rec = func(i int, sum float64) {
		if sum >= best {
			return
		}
		if i == nr {
			best = sum
			return
		}
		for j := 0; j < nc; j++ {
			if !used[j] && !math.IsInf(cost[i][j], 1) {
				used[j] = true
				rec(i+1, sum+cost[i][j])
				used[j] = false
			}
		}
	}
	rec(0, 0)
	return best
}

func randomCost(r *rand.Rand, nr, nc int, density float64) [][]float64 {
	cost := make([][]float64, nr)
	for i := range cost {
		cost[i] = make([]float64, nc)
		for j := range cost[i] {
			if r.Float64() < density {
				cost[i][j] = float64(r.IntN(100))
			} else {
				cost[i][j] = math.Inf(1)
			}
		}
	}
	return cost
}

func toSparse(cost [][]float64) Sparse {
	m := Sparse{Cols: len(cost[0])}
	for _, row := range cost {
		var cols []int
		var cs []float64
		for j, c := range row {
			if !math.IsInf(c, 1) {
				cols = append(cols, j)
				cs = append(cs, c)
			}
		}
		m.Add(cols, cs)
	}
	return m
}

func transposed(cost [][]float64) [][]float64 {
	t := make([][]float64, len(cost[0]))
	for j := range t {
		t[j] = make([]float64, len(cost))
		for i := range cost {
			t[j][i] = cost[i][j]
		}
	}
	return t
}

// checkAssignment fails unless assign uses each column once, only allowed
// pairs, covers the smaller side and adds up to total.
func checkAssignment(t *testing.T, what string, cost [][]float64, assign []int, total float64) {
	t.Helper()
	seen := map[int]bool{}
	sum, n := 0.0, 0
	for i, j := range assign {
		if j < 0 {
			continue
		}
		if seen[j] || math.IsInf(cost[i][j], 1) {
			t.Fatalf("%s: bad assignment %v", what, assign)
		}
		seen[j] = true
		sum += cost[i][j]
		n++
	}
	if len(assign) != len(cost) || n != min(len(cost), len(cost[0])) || sum != total {
		t.Fatalf("%s: %d of %d rows assigned, sum %v, reported %v", what, n, len(cost), sum, total)
	}
}

func TestSolversEqualBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 1500; trial++ {
		nr := 1 + r.IntN(6)
		nc := nr + r.IntN(3)
		if trial%2 == 1 { // more rows than columns
			nr, nc = nc, nr
		}
		cost := randomCost(r, nr, nc, 0.3+0.7*r.Float64())
		var want float64
		if nr <= nc {
			want = bruteForce(cost)
		} else {
			want = bruteForce(transposed(cost))
		}
		for name, solve := range map[string]func() ([]int, float64, error){
			"dense":  func() ([]int, float64, error) { return SolveDense(cost) },
			"sparse": func() ([]int, float64, error) { return SolveSparse(toSparse(cost)) },
		} {
			assign, got, err := solve()
			if math.IsInf(want, 1) {
				if err != ErrInfeasible {
					t.Fatalf("trial %d %s (%d×%d): want infeasible, got %v %v", trial, name, nr, nc, got, err)
				}
				continue
			}
			if err != nil || got != want {
				t.Fatalf("trial %d %s (%d×%d): total %v (%v), brute force %v; cost %v", trial, name, nr, nc, got, err, want, cost)
			}
			checkAssignment(t, fmt.Sprintf("trial %d %s", trial, name), cost, assign, got)
		}
	}
}

func TestSolversAgreeOnLargerInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 40; trial++ {
		n := 50 + r.IntN(150)
		nr, nc := n, n+r.IntN(20)
		if trial%2 == 1 {
			nr, nc = nc, nr
		}
		cost := randomCost(r, nr, nc, 0.2)
		ad, d, errD := SolveDense(cost)
		as, s, errS := SolveSparse(toSparse(cost))
		// The transposed problem has the same optimum.
		_, dt, errT := SolveDense(transposed(cost))
		if (errD == nil) != (errS == nil) || (errD == nil) != (errT == nil) || (errD == nil && (d != s || d != dt)) {
			t.Fatalf("trial %d (%d×%d): dense %v %v, sparse %v %v, transposed %v %v", trial, nr, nc, d, errD, s, errS, dt, errT)
		}
		if errD == nil {
			checkAssignment(t, fmt.Sprintf("trial %d dense", trial), cost, ad, d)
			checkAssignment(t, fmt.Sprintf("trial %d sparse", trial), cost, as, s)
		}
	}
}

// BenchmarkSolveSparse solves n×n instances with 20 allowed pairs per row
// (as bench/lapcmp generates them) and the same with half the columns.
func BenchmarkSolveSparse(b *testing.B) {
	for _, n := range []int{1000, 5000} {
		r := rand.New(rand.NewPCG(1, 7))
		m := Sparse{Cols: n}
		for i := 0; i < n; i++ {
			cols := []int{i}
			costs := []float64{float64(r.IntN(10000))}
			seen := map[int]bool{i: true}
			for len(cols) < 20 {
				if j := r.IntN(n); !seen[j] {
					seen[j] = true
					cols = append(cols, j)
					costs = append(costs, float64(r.IntN(10000)))
				}
			}
			m.Add(cols, costs)
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, _, err := SolveSparse(m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSolveDense solves random dense instances, square and
// rectangular both ways.
func BenchmarkSolveDense(b *testing.B) {
	for _, shape := range [][2]int{{1000, 1000}, {1000, 1500}, {1500, 1000}} {
		r := rand.New(rand.NewPCG(1, 7))
		cost := make([][]float64, shape[0])
		for i := range cost {
			cost[i] = make([]float64, shape[1])
			for j := range cost[i] {
				cost[i][j] = float64(r.IntN(10000))
			}
		}
		b.Run(fmt.Sprintf("%dx%d", shape[0], shape[1]), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, _, err := SolveDense(cost); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
