package matching

import "sinergi/profile"

// The index keeps people in fixed-size chunks of pointers. An index is
// never changed once built: Patch makes a new one that shares every chunk,
// institution list and id bucket it does not touch with the old one, and
// copies only those it does. A request keeps using the index it started
// with while a newer one is patched beside it, with no lock on either.
const (
	chunkBits = 8
	chunkSize = 1 << chunkBits
	idBuckets = 256
)

// chunk holds the people at chunkSize consecutive positions; nil marks a
// position whose person no longer loads.
type chunk [chunkSize]*entry

// entry is an indexed person with what scoring reads of them laid out
// for speed.
type entry struct {
	Person
	f facts
}

// facts are a person's competency levels and booked JP as short lists:
// scanning three or four pairs is faster than hashing into a map, and
// ranking does it for every person in the pool.
type facts struct {
	levels  []codeLevel
	jpYear  []keyJP
	jpMonth []keyJP
}

type codeLevel struct {
	hash  uint64 // of the code: most codes differ here, without comparing text
	code  string
	level int
}

// codeHash is FNV-1a of a competency code.
func codeHash(code string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(code); i++ {
		h ^= uint64(code[i])
		h *= 1099511628211
	}
	return h
}

type keyJP struct{ key, jp int }

// factsOf lays out a person's facts; codes, when given, interns the
// competency codes so that equal codes share their text and compare at
// once.
func factsOf(p *Person, codes map[string]string) facts {
	f := facts{levels: make([]codeLevel, 0, len(p.Levels)), jpYear: make([]keyJP, 0, len(p.JPYear)),
		jpMonth: make([]keyJP, 0, len(p.JPMonth))}
	for c, l := range p.Levels {
		if codes != nil {
			if same, ok := codes[c]; ok {
				c = same
			} else {
				codes[c] = c
			}
		}
		f.levels = append(f.levels, codeLevel{codeHash(c), c, l})
	}
	for k, jp := range p.JPYear {
		f.jpYear = append(f.jpYear, keyJP{k, jp})
	}
	for k, jp := range p.JPMonth {
		f.jpMonth = append(f.jpMonth, keyJP{k, jp})
	}
	return f
}

func (f *facts) level(code string, hash uint64) int {
	for _, l := range f.levels {
		if l.hash == hash && l.code == code {
			return l.level
		}
	}
	return 0
}

func jpOf(list []keyJP, key int) int {
	for _, x := range list {
		if x.key == key {
			return x.jp
		}
	}
	return 0
}

// instLoad is what workload fairness needs of an institution: how many
// people it has and the JP they booked, by year.
type instLoad struct {
	count int
	jp    map[int]int
}

// mean is the mean JP per person booked in year.
func (l *instLoad) mean(year int) float64 {
	if l == nil || l.count == 0 {
		return 0
	}
	return float64(l.jp[year]) / float64(l.count)
}

// Index holds the people matching ranks, by institution.
type Index struct {
	chunks []*chunk
	n      int32 // positions used, dropped people included
	size   int   // people indexed
	ids    [idBuckets]map[int64]int32
	byInst map[int64][]int32
	// shared lists the positions of shared practitioners who are not
	// archived: other institutions may draw on them.
	shared []int32
	load   map[int64]*instLoad
	// codes interns competency codes; a patch that brings a new one copies
	// it.
	codes map[string]string
}

func idBucket(id int64) int { return int(uint64(id) % idBuckets) }

func sharedPractitioner(p *Person) bool {
	return p.Shared && p.Kind == profile.Practitioner && !p.Archived
}

// NewIndex builds an index over people.
func NewIndex(people []Person) *Index {
	ix := &Index{byInst: map[int64][]int32{}, load: map[int64]*instLoad{}, codes: map[string]string{}}
	for b := range ix.ids {
		ix.ids[b] = map[int64]int32{}
	}
	own := make([]entry, len(people)) // one allocation, pointed into
	for i := range own {
		own[i].Person = people[i]
		own[i].f = factsOf(&own[i].Person, ix.codes)
		e := &own[i]
		p := &e.Person
		pos := ix.n
		if int(pos)>>chunkBits == len(ix.chunks) {
			ix.chunks = append(ix.chunks, &chunk{})
		}
		ix.chunks[pos>>chunkBits][pos&(chunkSize-1)] = e
		ix.n++
		ix.size++
		ix.ids[idBucket(p.ID)][p.ID] = pos
		ix.byInst[p.InstitutionID] = append(ix.byInst[p.InstitutionID], pos)
		if sharedPractitioner(p) {
			ix.shared = append(ix.shared, pos)
		}
		l := ix.load[p.InstitutionID]
		if l == nil {
			l = &instLoad{jp: map[int]int{}}
			ix.load[p.InstitutionID] = l
		}
		l.count++
		for y, jp := range p.JPYear {
			l.jp[y] += jp
		}
	}
	return ix
}

// at is the person at a position, nil if dropped.
func (ix *Index) at(pos int32) *Person {
	if e := ix.entry(pos); e != nil {
		return &e.Person
	}
	return nil
}

func (ix *Index) entry(pos int32) *entry {
	return ix.chunks[pos>>chunkBits][pos&(chunkSize-1)]
}

// Len is the number of people indexed.
func (ix *Index) Len() int { return ix.size }

// Person returns the indexed person with id, if any.
func (ix *Index) Person(id int64) (Person, bool) {
	pos, ok := ix.ids[idBucket(id)][id]
	if !ok {
		return Person{}, false
	}
	return *ix.at(pos), true
}

// People returns every indexed person.
func (ix *Index) People() []Person {
	out := make([]Person, 0, ix.size)
	for pos := int32(0); pos < ix.n; pos++ {
		if p := ix.at(pos); p != nil {
			out = append(out, *p)
		}
	}
	return out
}

// patcher builds the next index, copying each shared part the first time
// it changes.
type patcher struct {
	ix     *Index
	chunks map[int32]bool
	ids    map[int]bool
	insts  map[int64]bool
	loads  map[int64]bool
}

func (pt *patcher) set(pos int32, p *entry) {
	c := pos >> chunkBits
	if int(c) == len(pt.ix.chunks) {
		pt.ix.chunks = append(pt.ix.chunks, &chunk{})
		pt.chunks[c] = true
	}
	if !pt.chunks[c] {
		cp := *pt.ix.chunks[c]
		pt.ix.chunks[c] = &cp
		pt.chunks[c] = true
	}
	pt.ix.chunks[c][pos&(chunkSize-1)] = p
}

func (pt *patcher) idMap(id int64) map[int64]int32 {
	b := idBucket(id)
	if !pt.ids[b] {
		m := make(map[int64]int32, len(pt.ix.ids[b])+1)
		for k, v := range pt.ix.ids[b] {
			m[k] = v
		}
		pt.ix.ids[b] = m
		pt.ids[b] = true
	}
	return pt.ix.ids[b]
}

// addLoad adds (sign 1) or removes (sign -1) a person's workload from
// their institution's.
func (pt *patcher) addLoad(p *Person, sign int) {
	inst := p.InstitutionID
	if !pt.loads[inst] {
		old := pt.ix.load[inst]
		l := &instLoad{jp: map[int]int{}}
		if old != nil {
			l.count = old.count
			for y, jp := range old.jp {
				l.jp[y] = jp
			}
		}
		pt.ix.load[inst] = l
		pt.loads[inst] = true
	}
	l := pt.ix.load[inst]
	l.count += sign
	for y, jp := range p.JPYear {
		l.jp[y] += sign * jp
	}
}

func without(list []int32, pos int32) []int32 {
	out := make([]int32, 0, len(list))
	for _, x := range list {
		if x != pos {
			out = append(out, x)
		}
	}
	return out
}

func with(list []int32, pos int32) []int32 {
	out := make([]int32, len(list), len(list)+1)
	copy(out, list)
	return append(out, pos)
}

// Patch returns a new index with the given people reloaded: changed ids
// take their fresh data, new ones are added, and ids that no longer load
// are dropped. It costs in proportion to what changed: only the chunks,
// id buckets and institution lists that hold a changed person are copied.
// The receiver is left as it was for requests still using it.
func (ix *Index) Patch(changed []int64, fresh []Person) *Index {
	next := *ix
	next.chunks = append([]*chunk(nil), ix.chunks...)
	next.byInst = make(map[int64][]int32, len(ix.byInst))
	for k, v := range ix.byInst {
		next.byInst[k] = v
	}
	next.load = make(map[int64]*instLoad, len(ix.load))
	for k, v := range ix.load {
		next.load[k] = v
	}
	pt := &patcher{ix: &next, chunks: map[int32]bool{}, ids: map[int]bool{}, insts: map[int64]bool{}, loads: map[int64]bool{}}
	copied := false
	for _, p := range fresh {
		for c := range p.Levels {
			if _, ok := next.codes[c]; !ok && !copied {
				next.codes = make(map[string]string, len(ix.codes)+1)
				for k, v := range ix.codes {
					next.codes[k] = v
				}
				copied = true
			}
		}
	}
	byID := make(map[int64]*entry, len(fresh))
	own := make([]entry, len(fresh))
	for i := range own {
		own[i].Person = fresh[i]
		own[i].f = factsOf(&own[i].Person, next.codes)
		byID[own[i].ID] = &own[i]
	}
	seen := make(map[int64]bool, len(changed)+len(fresh))
	apply := func(id int64) {
		if seen[id] {
			return
		}
		seen[id] = true
		qe := byID[id]
		pos, had := next.ids[idBucket(id)][id]
		var old, q *Person
		if qe != nil {
			q = &qe.Person
		}
		if had {
			old = next.at(pos)
			pt.addLoad(old, -1)
		} else if qe != nil {
			pos = next.n
			next.n++
			pt.idMap(id)[id] = pos
		} else {
			return
		}
		pt.set(pos, qe)
		switch {
		case old != nil && q == nil:
			delete(pt.idMap(id), id)
			next.size--
			next.byInst[old.InstitutionID] = without(next.byInst[old.InstitutionID], pos)
		case old == nil:
			next.size++
			next.byInst[q.InstitutionID] = with(next.byInst[q.InstitutionID], pos)
		case old.InstitutionID != q.InstitutionID:
			next.byInst[old.InstitutionID] = without(next.byInst[old.InstitutionID], pos)
			next.byInst[q.InstitutionID] = with(next.byInst[q.InstitutionID], pos)
		}
		if q != nil {
			pt.addLoad(q, 1)
		}
		wasShared, isShared := old != nil && sharedPractitioner(old), q != nil && sharedPractitioner(q)
		switch {
		case wasShared && !isShared:
			next.shared = without(next.shared, pos)
		case isShared && !wasShared:
			next.shared = with(next.shared, pos)
		}
	}
	for _, id := range changed {
		apply(id)
	}
	for _, p := range fresh {
		apply(p.ID)
	}
	for inst, list := range next.byInst {
		if len(list) == 0 {
			delete(next.byInst, inst)
		}
	}
	return &next
}
