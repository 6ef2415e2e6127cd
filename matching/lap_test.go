package matching

import (
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

func TestSolversEqualBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 500; trial++ {
		nr := 1 + r.IntN(6)
		nc := nr + r.IntN(3)
		cost := randomCost(r, nr, nc, 0.3+0.7*r.Float64())
		want := bruteForce(cost)
		for name, solve := range map[string]func() ([]int, float64, error){
			"dense":  func() ([]int, float64, error) { return SolveDense(cost) },
			"sparse": func() ([]int, float64, error) { return SolveSparse(toSparse(cost)) },
		} {
			assign, got, err := solve()
			if math.IsInf(want, 1) {
				if err != ErrInfeasible {
					t.Fatalf("trial %d %s: want infeasible, got %v %v", trial, name, got, err)
				}
				continue
			}
			if err != nil || got != want {
				t.Fatalf("trial %d %s: total %v (%v), brute force %v; cost %v", trial, name, got, err, want, cost)
			}
			seen := map[int]bool{}
			for i, j := range assign {
				if seen[j] || math.IsInf(cost[i][j], 1) {
					t.Fatalf("trial %d %s: bad assignment %v", trial, name, assign)
				}
				seen[j] = true
			}
		}
	}
}

func TestSolversAgreeOnLargerInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 20; trial++ {
		n := 50 + r.IntN(150)
		cost := randomCost(r, n, n+r.IntN(20), 0.2)
		_, d, errD := SolveDense(cost)
		_, s, errS := SolveSparse(toSparse(cost))
		if (errD == nil) != (errS == nil) || (errD == nil && d != s) {
			t.Fatalf("trial %d: dense %v %v, sparse %v %v", trial, d, errD, s, errS)
		}
	}
}
