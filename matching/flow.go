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

// push sends one unit along a path of edges.
func (g *flowGraph) push(path ...int32) {
	for _, e := range path {
		g.cap[e]--
		g.cap[e^1]++
	}
}

// cost is the total cost of the flow.
func (g *flowGraph) totalCost() int64 {
	c := int64(0)
	for e := 0; e < len(g.to); e += 2 {
		c += int64(g.cap[e^1]) * g.cost[e]
	}
	return c
}

// optimise makes the current flow cheapest for its value by cancelling
// negative cycles of the residual network (found by Bellman–Ford from every
// node at once), and returns potentials under which every residual edge
// has a non-negative reduced cost, for minCostFlow to go on from.
func (g *flowGraph) optimise() []int64 {
	n := len(g.head)
	dist := make([]int64, n)
	prev := make([]int32, n)
	for {
		for i := range dist {
			dist[i], prev[i] = 0, -1
		}
		// Bellman–Ford pass by pass; a cycle among the predecessors is a
		// negative cycle, and it shows after a few passes.
		v := int32(-1)
		for pass := 0; pass < n && v < 0; pass++ {
			changed := false
			for e := range g.to {
				if g.cap[e] == 0 {
					continue
				}
				u, w := g.to[e^1], g.to[e]
				if d := dist[u] + g.cost[e]; d < dist[w] {
					dist[w], prev[w] = d, int32(e)
					changed = true
				}
			}
			if !changed {
				return dist
			}
			v = g.predecessorCycle(prev)
		}
		if v < 0 {
			return dist
		}
		push := int32(math.MaxInt32)
		for u := v; ; {
			e := prev[u]
			push = min(push, g.cap[e])
			if u = g.to[e^1]; u == v {
				break
			}
		}
		for u := v; ; {
			e := prev[u]
			g.cap[e] -= push
			g.cap[e^1] += push
			if u = g.to[e^1]; u == v {
				break
			}
		}
	}
}

// predecessorCycle returns a node on a cycle of the predecessor edges, or
// -1.
func (g *flowGraph) predecessorCycle(prev []int32) int32 {
	mark := make([]int32, len(prev))
	for i := range mark {
		mark[i] = -1
	}
	for start := range prev {
		v := int32(start)
		for v >= 0 && mark[v] < 0 {
			mark[v] = int32(start)
			if prev[v] < 0 {
				v = -1
				break
			}
			v = g.to[prev[v]^1]
		}
		if v >= 0 && mark[v] == int32(start) {
			return v
		}
	}
	return -1
}

// minCostFlow sends more flow from s to t along cheapest paths for as long
// as a path costs less than limit per unit. The flow already in the
// network must be cheapest for its value and pot must make every residual
// edge's reduced cost non-negative (nil when the network is empty and
// every cost is non-negative).
func (g *flowGraph) minCostFlow(s, t int32, limit int64, pot []int64) {
	n := len(g.head)
	if pot == nil {
		pot = make([]int64, n)
	}
	dist := make([]int64, n)
	prev := make([]int32, n)
	const inf = math.MaxInt64 / 4
	var heap []distItem
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
			return
		}
		if dist[t]+pot[t]-pot[s] >= limit {
			return
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
