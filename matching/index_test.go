package matching

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"sinergi/profile"
	"sinergi/scheduling"
)

// sameRanking fails unless two indexes rank every institution's sessions
// alike, for both roles, with the same people, scores and exclusions.
func sameRanking(t *testing.T, what string, got, want *Index) {
	t.Helper()
	if got.Len() != want.Len() {
		t.Fatalf("%s: %d people indexed, want %d", what, got.Len(), want.Len())
	}
	for _, inst := range []int64{1, 2, 3} {
		for _, role := range []scheduling.Role{scheduling.Lead, scheduling.CoTrainer} {
			s := session(1, 1, 3)
			s.InstitutionID = inst
			s.Requirements = append(s.Requirements, scheduling.Requirement{Code: "kode2", MinLevel: 2})
			req := Request{Session: s, Course: testCourse, Role: role, Limit: 25, ExcludedLimit: 10, Rules: DefaultRules()}
			a, b := got.Rank(req), want.Rank(req)
			if a.Considered != b.Considered || len(a.Candidates) != len(b.Candidates) || len(a.Excluded) != len(b.Excluded) {
				t.Fatalf("%s, institution %d %s: considered %d/%d, candidates %d/%d, excluded %d/%d", what, inst, role,
					a.Considered, b.Considered, len(a.Candidates), len(b.Candidates), len(a.Excluded), len(b.Excluded))
			}
			for i := range a.Candidates {
				x, y := a.Candidates[i], b.Candidates[i]
				if x.Person.ID != y.Person.ID || x.Score != y.Score || fmt.Sprint(x.Breakdown) != fmt.Sprint(y.Breakdown) {
					t.Fatalf("%s, institution %d %s, rank %d: %d (%d), want %d (%d)", what, inst, role, i,
						x.Person.ID, x.Score, y.Person.ID, y.Score)
				}
			}
			for i := range a.Excluded {
				if a.Excluded[i].Person.ID != b.Excluded[i].Person.ID || a.Excluded[i].Constraint != b.Excluded[i].Constraint {
					t.Fatalf("%s: exclusion %d differs", what, i)
				}
			}
		}
	}
}

// roster is a small world of people over three institutions that tests
// change at random.
type roster struct {
	r      *rand.Rand
	people map[int64]Person
	nextID int64
}

func newRoster(seed uint64, n int) *roster {
	w := &roster{r: rand.New(rand.NewPCG(seed, 3)), people: map[int64]Person{}, nextID: 1}
	for i := 0; i < n; i++ {
		w.add()
	}
	return w
}

func (w *roster) fresh(id int64) Person {
	r := w.r
	kind := profile.Practitioner
	if r.IntN(3) == 0 {
		kind = profile.Widyaiswara
	}
	p := person(id, kind, map[string]int{"bencana": 1 + r.IntN(5), "komunikasi": 1 + r.IntN(5)})
	if r.IntN(5) == 0 { // codes that appear only in later patches
		p.Levels[fmt.Sprintf("kode%d", r.IntN(4))] = 1 + r.IntN(5)
	}
	p.InstitutionID = 1 + r.Int64N(3)
	p.Shared = r.IntN(3) == 0
	p.Archived = r.IntN(10) == 0
	p.RatingMean, p.RatingCount = 1+3*r.Float64(), r.IntN(20)
	p.JPYear[2026] = r.IntN(100)
	p.JPYear[2025] = r.IntN(100)
	p.JPMonth[202612] = r.IntN(20)
	if r.IntN(3) == 0 {
		p.Busy = []Booked{{Interval: Interval{Start: time.Date(2026, 12, 7, r.IntN(8), 0, 0, 0, time.UTC),
			End: time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)}, SessionID: 999}}
	}
	return p
}

func (w *roster) add() int64 {
	id := w.nextID
	w.nextID++
	w.people[id] = w.fresh(id)
	return id
}

func (w *roster) all() []Person {
	var out []Person
	for _, p := range w.people {
		out = append(out, p)
	}
	return out
}

// change alters, adds or drops a few people and returns who changed.
func (w *roster) change() []int64 {
	var changed []int64
	for k := 1 + w.r.IntN(6); k > 0; k-- {
		switch w.r.IntN(6) {
		case 0:
			changed = append(changed, w.add())
		case 1:
			id := 1 + w.r.Int64N(w.nextID-1)
			delete(w.people, id)
			changed = append(changed, id)
		default:
			id := 1 + w.r.Int64N(w.nextID-1)
			if _, ok := w.people[id]; ok {
				w.people[id] = w.fresh(id)
			}
			changed = append(changed, id)
		}
	}
	return changed
}

func (w *roster) load(ids []int64) []Person {
	var out []Person
	for _, id := range ids {
		if p, ok := w.people[id]; ok {
			out = append(out, p)
		}
	}
	return out
}

func TestPatchSequencesEqualRebuild(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		w := newRoster(seed, 300+int(seed)*40) // more than a chunk
		ix := NewIndex(w.all())
		versions := []*Index{ix}
		snapshots := []*Index{NewIndex(w.all())}
		for step := 0; step < 40; step++ {
			changed := w.change()
			ix = ix.Patch(changed, w.load(changed))
			versions = append(versions, ix)
			snapshots = append(snapshots, NewIndex(w.all()))
			if step%8 == 0 {
				sameRanking(t, fmt.Sprintf("seed %d step %d", seed, step), ix, snapshots[len(snapshots)-1])
			}
		}
		sameRanking(t, fmt.Sprintf("seed %d end", seed), ix, NewIndex(w.all()))
		// Earlier indexes still answer as they did when they were made.
		for v := 0; v < len(versions); v += 4 {
			sameRanking(t, fmt.Sprintf("seed %d version %d", seed, v), versions[v], snapshots[v])
		}
		for id := int64(1); id < w.nextID; id++ {
			p, ok := ix.Person(id)
			q, want := w.people[id]
			if ok != want || ok && p.InstitutionID != q.InstitutionID {
				t.Fatalf("seed %d: person %d indexed %v, want %v", seed, id, ok, want)
			}
		}
	}
}

func TestPatchingAnOlderIndexBranches(t *testing.T) {
	w := newRoster(7, 500)
	base := NewIndex(w.all())
	before := w.all()
	a := w.change()
	left := base.Patch(a, w.load(a))
	wantLeft := NewIndex(w.all())
	// A second patch of the same base sees none of the first.
	w2 := &roster{r: rand.New(rand.NewPCG(99, 3)), people: map[int64]Person{}, nextID: w.nextID}
	for _, p := range before {
		w2.people[p.ID] = p
	}
	b := w2.change()
	right := base.Patch(b, w2.load(b))
	sameRanking(t, "left", left, wantLeft)
	sameRanking(t, "right", right, NewIndex(w2.all()))
	sameRanking(t, "base", base, NewIndex(before))
}

// memLoader is a store kept in memory: an epoch, a change log and people,
// with each person's history for checking what readers were given.
type memLoader struct {
	mu      sync.Mutex
	w       *roster
	epoch   int64
	log     map[int64][]int64   // epoch → people it changed
	history map[int64][]version // person → states, oldest first
	loads   int
}

// version is how an epoch left a person ("" when dropped).
type version struct {
	epoch int64
	state string
}

func newMemLoader(w *roster) *memLoader {
	m := &memLoader{w: w, log: map[int64][]int64{}, history: map[int64][]version{}}
	for id, p := range w.people {
		m.history[id] = []version{{0, fmt.Sprint(p)}}
	}
	return m
}

func (m *memLoader) Epoch(context.Context) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.epoch, nil
}

func (m *memLoader) Mark(ctx context.Context) (Mark, error) {
	e, err := m.Epoch(ctx)
	return Mark{At: uint64(e)}, err
}

func (m *memLoader) LoadPeople(context.Context) ([]Person, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.loads++
	return m.w.all(), nil
}

func (m *memLoader) ChangesSince(_ context.Context, mark Mark, limit int) (Mark, []int64, []Person, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	from, now := int64(mark.At), Mark{At: uint64(m.epoch)}
	var ids []int64
	for e := from + 1; e <= m.epoch; e++ {
		ids = append(ids, m.log[e]...)
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > limit {
		return now, ids[:limit+1], nil, nil
	}
	return now, ids, m.w.load(ids), nil
}

// write changes some people in one epoch.
func (m *memLoader) write() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.epoch++
	m.log[m.epoch] = m.w.change()
	for _, id := range m.log[m.epoch] {
		state := ""
		if p, ok := m.w.people[id]; ok {
			state = fmt.Sprint(p)
		}
		m.history[id] = append(m.history[id], version{m.epoch, state})
	}
}

// current reports whether p is as the store held them at epoch at or
// later: an index answered after a reader saw epoch at must not be older.
func (m *memLoader) current(p Person, at int64) bool {
	h := m.history[p.ID]
	state := fmt.Sprint(p)
	for i, v := range h {
		if (i+1 == len(h) || h[i+1].epoch > at) && v.state == state {
			return true
		}
	}
	return false
}

func TestCacheUnderConcurrentWrites(t *testing.T) {
	m := newMemLoader(newRoster(5, 600))
	c := &Cache{Loader: m}
	ctx := context.Background()
	if _, err := c.Index(ctx); err != nil {
		t.Fatal(err)
	}
	const writers, readers, writes = 4, 8, 60
	type answer struct {
		at int64
		ix *Index
	}
	answers := make(chan answer, readers*writes)
	errc := make(chan error, readers)
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < writes; k++ {
				m.write()
			}
		}()
	}
	for r := 0; r < readers; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < writes; k++ {
				at, _ := m.Epoch(ctx)
				ix, err := c.Index(ctx)
				if err != nil {
					errc <- err
					return
				}
				answers <- answer{at, ix}
			}
		}()
	}
	wg.Wait()
	close(errc)
	close(answers)
	for err := range errc {
		t.Fatal(err)
	}
	for a := range answers {
		for _, p := range a.ix.People() {
			if !m.current(p, a.at) {
				t.Fatalf("an index answered after epoch %d holds person %d as an earlier epoch left them", a.at, p.ID)
			}
		}
	}
	final, err := c.Index(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sameRanking(t, "after all writes", final, NewIndex(m.w.all()))
	if m.loads != 1 {
		t.Fatalf("the roster was loaded whole %d times; patches should have sufficed", m.loads)
	}
}
