// Command lapcmp generates a random assignment instance, writes it as raw
// float64 (row-major, +Inf for pairs that are not allowed) for SciPy to
// read, solves it with the project's solver and prints the optimal total
// and the solve time as JSON. bench/assignment.sh runs it beside SciPy.
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
	n := flag.Int("n", 1000, "rows and columns")
	perRow := flag.Int("per-row", 0, "allowed pairs per row (0: dense)")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "", "file to write the matrix to")
	repeat := flag.Int("repeat", 3, "solve this many times and report the fastest")
	flag.Parse()
	r := rand.New(rand.NewPCG(*seed, 7))
	cost := make([][]float64, *n)
	var sparse matching.Sparse
	sparse.Cols = *n
	for i := range cost {
		cost[i] = make([]float64, *n)
		if *perRow == 0 {
			for j := range cost[i] {
				cost[i][j] = float64(r.IntN(10000))
			}
			continue
		}
		for j := range cost[i] {
			cost[i][j] = math.Inf(1)
		}
		// The diagonal keeps every instance feasible, as a real roster with
		// enough eligible people is.
		cols := []int{i}
		cost[i][i] = float64(r.IntN(10000))
		for len(cols) < *perRow {
			j := r.IntN(*n)
			if math.IsInf(cost[i][j], 1) {
				cost[i][j] = float64(r.IntN(10000))
				cols = append(cols, j)
			}
		}
		costs := make([]float64, len(cols))
		for k, j := range cols {
			costs[k] = cost[i][j]
		}
		sparse.Add(cols, costs)
	}
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fail(err)
		}
		w := bufio.NewWriter(f)
		for _, row := range cost {
			if err := binary.Write(w, binary.LittleEndian, row); err != nil {
				fail(err)
			}
		}
		if err := w.Flush(); err != nil {
			fail(err)
		}
		_ = f.Close()
	}
	best := time.Duration(math.MaxInt64)
	var total float64
	for k := 0; k < *repeat; k++ {
		start := time.Now()
		var err error
		if *perRow == 0 {
			_, total, err = matching.SolveDense(cost)
		} else {
			_, total, err = matching.SolveSparse(sparse)
		}
		if err != nil {
			fail(err)
		}
		best = min(best, time.Since(start))
	}
	_ = json.NewEncoder(os.Stdout).Encode(map[string]any{"total": total, "ms": float64(best.Microseconds()) / 1000})
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "lapcmp:", err)
	os.Exit(1)
}
