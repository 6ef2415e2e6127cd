// Command lapcmp generates a random assignment instance, writes it for
// SciPy to read, solves it with the project's solver and prints the optimal
// total and the fastest solve time as JSON. bench/assignment.sh runs it
// beside SciPy on the same instance.
//
// Dense instances are written as raw little-endian float64, row-major, to
// OUT. Sparse ones are written as compressed sparse rows: OUT.indptr and
// OUT.indices (int64) and OUT.data (float64), the form scipy.sparse reads.
package main

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"time"

	"sinergi/matching"
)

func main() {
	rows := flag.Int("rows", 1000, "rows")
	cols := flag.Int("cols", 0, "columns (0: as many as rows)")
	perRow := flag.Int("per-row", 0, "allowed pairs per row (0: dense)")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "file to write the instance to")
	repeat := flag.Int("repeat", 3, "solve this many times and report the fastest")
	flag.Parse()
	nr, nc := *rows, *cols
	if nc == 0 {
		nc = nr
	}
	r := rand.New(rand.NewPCG(*seed, 7))
	var solve func() (float64, error)
	if *perRow == 0 {
		cost := make([][]float64, nr)
		for i := range cost {
			cost[i] = make([]float64, nc)
			for j := range cost[i] {
				cost[i][j] = float64(r.IntN(10000))
			}
		}
		if *out != "" {
			write(*out, func(w *bufio.Writer) error {
				for _, row := range cost {
					if err := binary.Write(w, binary.LittleEndian, row); err != nil {
						return err
					}
				}
				return nil
			})
		}
		solve = func() (float64, error) { _, total, err := matching.SolveDense(cost); return total, err }
	} else {
		// Pair i–i (for i below both sizes) keeps every instance feasible,
		// as a roster with enough eligible people is. Costs start at 1:
		// SciPy's sparse matcher reads a stored 0 as a missing pair.
		var m matching.Sparse
		m.Cols = nc
		indptr := []int64{0}
		var indices []int64
		for i := 0; i < nr; i++ {
			seen := map[int]bool{}
			var cs []int
			var costs []float64
			if i < nc {
				seen[i] = true
				cs = append(cs, i)
				costs = append(costs, float64(1+r.IntN(10000)))
			}
			for len(cs) < min(*perRow, nc) {
				if j := r.IntN(nc); !seen[j] {
					seen[j] = true
					cs = append(cs, j)
					costs = append(costs, float64(1+r.IntN(10000)))
				}
			}
			m.Add(cs, costs)
			for _, j := range cs {
				indices = append(indices, int64(j))
			}
			indptr = append(indptr, int64(len(indices)))
		}
		if *out != "" {
			write(*out+".indptr", func(w *bufio.Writer) error { return binary.Write(w, binary.LittleEndian, indptr) })
			write(*out+".indices", func(w *bufio.Writer) error { return binary.Write(w, binary.LittleEndian, indices) })
			write(*out+".data", func(w *bufio.Writer) error { return binary.Write(w, binary.LittleEndian, m.Cost) })
		}
		solve = func() (float64, error) { _, total, err := matching.SolveSparse(m); return total, err }
	}
	best := time.Duration(math.MaxInt64)
	var total float64
	for k := 0; k < *repeat; k++ {
		start := time.Now()
		var err error
		if total, err = solve(); err != nil {
			fail(err)
		}
		best = min(best, time.Since(start))
	}
	_ = json.NewEncoder(os.Stdout).Encode(map[string]any{"total": total, "ms": float64(best.Microseconds()) / 1000})
}

func write(path string, f func(w *bufio.Writer) error) {
	file, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	w := bufio.NewWriter(file)
	if err := f(w); err != nil {
		fail(err)
	}
	if err := w.Flush(); err != nil {
		fail(err)
	}
	if err := file.Close(); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "lapcmp:", err)
	os.Exit(1)
}
