package matching

import "math"

// flowGraph is a network for min-cost flow by successive shortest paths
// (Dijkstra on reduced costs, with node potentials). Edges come in pairs:
// edge e and its residual e^1.
type flowGraph struct {
	head []int32
	next []int32
	to   []int32
	cap  []int32
	cost []int64
}

func newFlowGraph(nodes int) *flowGraph {
	g := &flowGraph{head: make([]int32, nodes)}
	for i := range g.head {
		g.head[i] = -1
	}
	return g
}

func (g *flowGraph) node() int32 {
	g.head = append(g.head, -1)
	return int32(len(g.head) - 1)
}

// edge adds u→v with a capacity and a non-negative cost per unit and
// returns its index.
func (g *flowGraph) edge(u, v int32, capacity int32, cost int64) int32 {
	e := int32(len(g.to))
	g.to = append(g.to, v, u)
	g.cap = append(g.cap, capacity, 0)
	g.cost = append(g.cost, cost, -cost)
	g.next = append(g.next, g.head[u], g.head[v])
	g.head[u], g.head[v] = e, e+1
	return e
}

// flow is the flow on edge e.
func (g *flowGraph) flow(e int32) int32 { return g.cap[e^1] }

type distItem struct {
	d    int64
	node int32
}

// minCostFlow sends flow from s to t along cheapest paths for as long as a
// path costs less than limit per unit, and returns the total cost. Every
// original cost must be non-negative.
func (g *flowGraph) minCostFlow(s, t int32, limit int64) int64 {
	n := len(g.head)
	pot := make([]int64, n)
	dist := make([]int64, n)
	prev := make([]int32, n)
	const inf = math.MaxInt64 / 4
	var heap []distItem
	total := int64(0)
	for {
		for i := range dist {
			dist[i] = inf
			prev[i] = -1
		}
		dist[s] = 0
		heap = append(heap[:0], distItem{0, s})
		for len(heap) > 0 {
			it := heap[0]
			last := len(heap) - 1
			heap[0] = heap[last]
			heap = heap[:last]
			siftDown(heap, 0)
			if it.d > dist[it.node] {
				continue
			}
			u := it.node
			if u == t {
				break // settled: farther nodes cannot shorten the path
			}
			for e := g.head[u]; e >= 0; e = g.next[e] {
				if g.cap[e] == 0 {
					continue
				}
				v := g.to[e]
				nd := it.d + g.cost[e] + pot[u] - pot[v]
				if nd < dist[v] {
					dist[v], prev[v] = nd, e
					heap = append(heap, distItem{nd, v})
					siftUp(heap, len(heap)-1)
				}
			}
		}
		if dist[t] >= inf {
			return total
		}
		pathCost := dist[t] + pot[t] - pot[s]
		if pathCost >= limit {
			return total
		}
		// Nodes beyond the sink move as far as it did, which keeps every
		// residual edge's reduced cost non-negative.
		for i := range pot {
			pot[i] += min(dist[i], dist[t])
		}
		push := int32(math.MaxInt32)
		for v := t; v != s; v = g.to[prev[v]^1] {
			push = min(push, g.cap[prev[v]])
		}
		for v := t; v != s; v = g.to[prev[v]^1] {
			g.cap[prev[v]] -= push
			g.cap[prev[v]^1] += push
		}
		total += int64(push) * pathCost
	}
}

func siftUp(h []distItem, k int) {
	x := h[k]
	for k > 0 {
		p := (k - 1) / 2
		if h[p].d <= x.d {
			break
		}
		h[k] = h[p]
		k = p
	}
	h[k] = x
}

func siftDown(h []distItem, k int) {
	n := len(h)
	if n == 0 {
		return
	}
	x := h[k]
	for {
		c := 2*k + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].d < h[c].d {
			c++
		}
		if x.d <= h[c].d {
			break
		}
		h[k] = h[c]
		k = c
	}
	h[k] = x
}
