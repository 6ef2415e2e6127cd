package matching

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"
	"golang.org/x/sync/singleflight"

	"sinergi/errs"
	"sinergi/scheduling"
)

// Loader reads what the index needs from the store.
type Loader interface {
	// Mark is where the store's change log stands now: people loaded
	// after it hold every change it covers.
	Mark(ctx context.Context) (Mark, error)
	LoadPeople(ctx context.Context) ([]Person, error)
	// ChangesSince returns, at once, the mark the store stands at now, the
	// ids of the people changed after mark from, and the fresh data of
	// those that still load. When more than limit changed it returns
	// limit+1 ids and no people.
	ChangesSince(ctx context.Context, from Mark, limit int) (Mark, []int64, []Person, error)
}

// Mark is where a reader stands in the store's change log; only the
// Loader that made it reads it. At is a position in the log; Seen the
// changes at or after At the reader already holds (the log need not
// commit in order, so a reader may have seen some changes past a point
// and not others).
type Mark struct {
	At   uint64
	Seen map[int64]uint64
}

// maxPatchPeople is the number of changed people beyond which the cache
// rebuilds instead of patching.
const maxPatchPeople = 5000

// Cache keeps one Index, read without a lock. One refresh at a time (the
// requests that arrive meanwhile wait for the next and share it) reads, in
// one query, the change log since the index's mark and the people it
// names, and patches the index with just them, rebuilding it whole only
// when too much changed; no lock is held while it queries. Replicas stay
// in step because the change log lives in the database. Run refreshes it
// whenever Wake is called (on a notification from the database) and on a
// poll, so that between requests it keeps up with the writers and what a
// request reads past its mark is little or nothing.
type Cache struct {
	Loader  Loader
	current atomic.Pointer[snapshot]
	refresh singleflight.Group
	started atomic.Int64 // refreshes begun
	wake    chan struct{}
	once    sync.Once
}

// snapshot is an index, the mark it reflects and the refresh that made
// it.
type snapshot struct {
	ix   *Index
	mark Mark
	seq  int64
}

// refreshTimeout bounds a refresh, which runs apart from the request that
// started it so that one caller giving up does not fail the others.
const refreshTimeout = time.Minute

// Index returns an index that holds every change committed before the call.
// A refresh that begins after the call reads the store as it is then or
// later, so the call waits for one: it costs a single query (the change
// log since the index's mark, with the changed people; usually little),
// shared by every request that arrives while it runs.
func (c *Cache) Index(ctx context.Context) (*Index, error) {
	arrived := c.started.Load()
	for {
		if s := c.current.Load(); s != nil && s.seq > arrived {
			return s.ix, nil
		}
		// A refresh already under way began before the call: the next one
		// is the one to wait for.
		if err := c.Refresh(ctx); err != nil {
			return nil, err
		}
	}
}

// Refresh waits for a refresh: the one under way, or a new one.
func (c *Cache) Refresh(ctx context.Context) error {
	ch := c.refresh.DoChan("", func() (any, error) {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), refreshTimeout)
		defer cancel()
		return nil, c.load(rctx)
	})
	select {
	case <-ctx.Done():
		return ctx.Err()
	case r := <-ch:
		return r.Err
	}
}

// patched is base's index with the changes a request read past base's
// mark (to mark), which it publishes unless a newer one was meanwhile;
// past maxPatchPeople it waits for a refresh instead. seq is the
// refresh number the request took before it read.
func (c *Cache) patched(ctx context.Context, base *snapshot, seq int64, mark Mark, ids []int64, people []Person) (*Index, error) {
	switch {
	case len(ids) == 0:
		return base.ix, nil
	case len(ids) > maxPatchPeople:
		return c.Index(ctx)
	}
	ix := base.ix.Patch(ids, people)
	c.current.CompareAndSwap(base, &snapshot{ix: ix, mark: mark, seq: seq})
	return ix, nil
}

// Current is the index as it stands, without asking the store; nil
// before the first refresh.
func (c *Cache) Current() *Index {
	if s := c.current.Load(); s != nil {
		return s.ix
	}
	return nil
}

func (c *Cache) wakeup() chan struct{} {
	c.once.Do(func() { c.wake = make(chan struct{}, 1) })
	return c.wake
}

// Wake asks Run for a refresh; it never blocks. Wakes that come while a
// refresh runs fold into one more refresh after it.
func (c *Cache) Wake() {
	select {
	case c.wakeup() <- struct{}{}:
	default:
	}
}

// wakeGap is the least time between two refreshes Run makes on Wake: a
// busy database announces a change with every booking, and refreshing for
// each would spend on the index the processor the requests need. A request
// reads what changed past the index's mark itself.
const wakeGap = 25 * time.Millisecond

// Run refreshes the index on Wake (at most once per wakeGap, wakes in
// between folding into one) and, failing those, every poll, until ctx
// ends. A failed refresh is reported to failed (if not nil) and tried
// again on the next wake or poll.
func (c *Cache) Run(ctx context.Context, poll time.Duration, failed func(error)) {
	t := time.NewTicker(poll)
	defer t.Stop()
	wake := c.wakeup()
	for {
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-t.C:
		}
		if err := c.Refresh(ctx); err != nil && ctx.Err() == nil && failed != nil {
			failed(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wakeGap):
		}
	}
}

// load patches or rebuilds the index up to the store's current mark. Only
// one runs at a time; a patch costs one round trip to the store.
func (c *Cache) load(ctx context.Context) error {
	seq := c.started.Add(1)
	if cur := c.current.Load(); cur != nil {
		mark, ids, people, err := c.Loader.ChangesSince(ctx, cur.mark, maxPatchPeople)
		if err != nil {
			return err
		}
		switch {
		case len(ids) == 0:
			c.current.Store(&snapshot{ix: cur.ix, mark: mark, seq: seq})
			return nil
		case len(ids) <= maxPatchPeople:
			c.current.Store(&snapshot{ix: cur.ix.Patch(ids, people), mark: mark, seq: seq})
			return nil
		}
	}
	mark, err := c.Loader.Mark(ctx)
	if err != nil {
		return err
	}
	people, err := c.Loader.LoadPeople(ctx)
	if err != nil {
		return err
	}
	c.current.Store(&snapshot{ix: NewIndex(people), mark: mark, seq: seq})
	return nil
}

// Settings are an institution's weights and rules.
type Settings struct {
	Weights      Weights
	MonthlyCapJP int
	BudgetPerJP  int64
}

// Rules returns the rules for these settings on top of the defaults.
func (s Settings) Rules(buffer time.Duration) Rules {
	r := DefaultRules()
	r.MonthlyCapJP, r.BudgetPerJP, r.Buffer = s.MonthlyCapJP, s.BudgetPerJP, buffer
	return r
}

// Validate checks settings.
func (s Settings) Validate() error {
	f := errs.Fields{}
	w := s.Weights
	for name, v := range map[string]float64{"expertise": w.Expertise, "level": w.Level, "rating": w.Rating, "load": w.Load,
		"cost": w.Cost, "travel": w.Travel, "impact": w.Impact} {
		if v < 0 || v > 100 {
			f.Add("weights."+name, "must be 0 to 100")
		}
	}
	if w.Expertise+w.Level+w.Rating+w.Load+w.Cost+w.Travel+w.Impact == 0 {
		f.Add("weights", "at least one weight must be above 0")
	}
	if s.MonthlyCapJP < 0 || s.MonthlyCapJP > 200 {
		f.Add("monthly_cap_jp", "must be 0 (no cap) to 200")
	}
	if s.BudgetPerJP < 0 {
		f.Add("budget_per_jp", "must not be negative")
	}
	return f.Err()
}

// SettingsStore keeps settings per institution.
type SettingsStore interface {
	Settings(ctx context.Context, inst int64) (Settings, error)
	PutSettings(ctx context.Context, inst int64, s Settings) error
}

// ProposalSlot is one filled slot of a saved proposal.
type ProposalSlot struct {
	SessionID int64
	Role      scheduling.Role
	PersonID  int64
	Score     int
}

// ProposalStore saves proposals and books them.
type ProposalStore interface {
	SaveProposal(ctx context.Context, inst, courseID int64, p Proposal) (int64, error)
	// ProposalSlots returns a saved proposal's filled slots.
	ProposalSlots(ctx context.Context, inst, courseID, id int64) ([]ProposalSlot, error)
	// MarkApplied locks a saved proposal and marks it applied, refusing
	// one applied already (ErrProposalApplied).
	MarkApplied(ctx context.Context, inst, courseID, id int64) error
}

// Booker books a person on a session: the scheduling use case, with every
// rule of a manual booking (overlap, travel buffer, availability).
type Booker interface {
	Book(ctx context.Context, inst int64, r scheduling.BookRequest) (scheduling.Booking, error)
}

// InputStore reads what a ranking needs in one round trip: a session of
// an institution, its course and the institution's settings (the defaults
// when it has none), and, as Loader.ChangesSince does, the people changed
// past mark since with their data and the mark to read from next. The
// zero Mark reads no changes.
type InputStore interface {
	RankingInputs(ctx context.Context, inst, sessionID int64, since Mark, limit int) (Inputs, error)
}

// Inputs are what InputStore reads.
type Inputs struct {
	Session  scheduling.Session
	Course   scheduling.Course
	Settings Settings
	// Mark, Changed and People are ChangesSince's answer.
	Mark    Mark
	Changed []int64
	People  []Person
}

// Service answers matching requests for the API.
type Service struct {
	Cache      *Cache
	Scheduling scheduling.Store
	Settings   SettingsStore
	// Inputs reads a ranking's session, course and settings at once; nil
	// reads them from Scheduling and Settings, one after another.
	Inputs    InputStore
	Proposals ProposalStore
	// Tx and Booker apply a proposal: all its bookings in one transaction.
	Tx     scheduling.Tx
	Booker Booker
	Buffer time.Duration
	NewUID func() string
	// Costs prices people for a session of a course (from the rate tables
	// in force); nil leaves cost to Person.RatePerJP.
	Costs func(ctx context.Context, inst int64, c scheduling.Course, s scheduling.Session) (func(p *Person) int64, error)
}

// SaveSettings checks an institution's weights and rules and stores them:
// the one way they change, for the API and the console alike.
func (s Service) SaveSettings(ctx context.Context, inst int64, set Settings) error {
	if err := set.Validate(); err != nil {
		return err
	}
	return s.Settings.PutSettings(ctx, inst, set)
}

// rules are an institution's rules for a session, priced when Costs is set.
func (s Service) rules(ctx context.Context, inst int64, set Settings, c scheduling.Course, sess scheduling.Session) (Rules, error) {
	r := set.Rules(s.Buffer)
	if s.Costs != nil && set.BudgetPerJP > 0 {
		cost, err := s.Costs(ctx, inst, c, sess)
		if err != nil {
			return r, err
		}
		r.CostPerJP = cost
	}
	return r, nil
}

// request reads what a ranking needs. With Inputs that is one round trip:
// the session, course and settings, and the changes committed past the
// index's mark with the people they name; the request patches the index
// with them itself (usually one or two people, or none: Run keeps the
// index up with the notifications), and publishes the result for the
// requests after it. Without Inputs, the session and course, the settings
// and a refresh of the index are read side by side.
func (s Service) request(ctx context.Context, inst, sessionID int64, role scheduling.Role) (*Index, Request, error) {
	if s.Inputs != nil {
		if base := s.Cache.current.Load(); base != nil {
			seq := s.Cache.started.Add(1) // what it reads is as new as a refresh begun now
			in, err := s.Inputs.RankingInputs(ctx, inst, sessionID, base.mark, maxPatchPeople)
			if err != nil {
				return nil, Request{}, err
			}
			ix, err := s.Cache.patched(ctx, base, seq, in.Mark, in.Changed, in.People)
			if err != nil {
				return nil, Request{}, err
			}
			rules, err := s.rules(ctx, inst, in.Settings, in.Course, in.Session)
			if err != nil {
				return nil, Request{}, err
			}
			return ix, Request{Session: in.Session, Course: in.Course, Role: role, Weights: in.Settings.Weights, Rules: rules}, nil
		}
	}
	var (
		sess   scheduling.Session
		course scheduling.Course
		set    Settings
		ix     *Index
	)
	g, gctx := errgroup.WithContext(ctx)
	if s.Inputs != nil {
		g.Go(func() error {
			in, err := s.Inputs.RankingInputs(gctx, inst, sessionID, Mark{}, 0)
			sess, course, set = in.Session, in.Course, in.Settings
			return err
		})
	} else {
		g.Go(func() (err error) {
			if sess, err = s.Scheduling.Session(gctx, inst, sessionID); err != nil {
				return err
			}
			course, err = s.Scheduling.Course(gctx, inst, sess.CourseID)
			return err
		})
		g.Go(func() (err error) {
			set, err = s.Settings.Settings(gctx, inst)
			return err
		})
	}
	g.Go(func() (err error) {
		ix, err = s.Cache.Index(gctx)
		return err
	})
	if err := g.Wait(); err != nil {
		return nil, Request{}, err
	}
	rules, err := s.rules(ctx, inst, set, course, sess)
	if err != nil {
		return nil, Request{}, err
	}
	return ix, Request{Session: sess, Course: course, Role: role, Weights: set.Weights, Rules: rules}, nil
}

// Candidates ranks people for a role of a session.
func (s Service) Candidates(ctx context.Context, inst, sessionID int64, role scheduling.Role, limit int) (Result, error) {
	if role != scheduling.Lead && role != scheduling.CoTrainer {
		return Result{}, errs.Invalidf("role", "must be lead or co_trainer")
	}
	ix, req, err := s.request(ctx, inst, sessionID, role)
	if err != nil {
		return Result{}, err
	}
	req.Limit, req.ExcludedLimit = limit, 5
	return ix.Rank(req), nil
}

// Pairs ranks lead and co-trainer pairs for a session.
func (s Service) Pairs(ctx context.Context, inst, sessionID int64, limit int) ([]Pair, error) {
	ix, req, err := s.request(ctx, inst, sessionID, "")
	if err != nil {
		return nil, err
	}
	return ix.RankPairs(req, limit), nil
}

// Slots proposes times in [from, to) when a good pair is free together for
// a session of the same length.
func (s Service) Slots(ctx context.Context, inst, sessionID int64, from, to time.Time, limit int) ([]Slot, error) {
	if !to.After(from) || to.Sub(from) > 62*24*time.Hour {
		return nil, errs.Invalidf("to", "must be after from, at most 62 days later")
	}
	ix, req, err := s.request(ctx, inst, sessionID, "")
	if err != nil {
		return nil, err
	}
	hs, err := s.Scheduling.Holidays(ctx, from.AddDate(0, 0, -1), to.AddDate(0, 0, 1))
	if err != nil {
		return nil, err
	}
	days := map[time.Time]bool{}
	for _, h := range hs {
		if h.Kind == scheduling.LiburNasional {
			days[h.Date] = true
		}
	}
	return ix.ProposeSlots(req, from, to, req.Session.End.Sub(req.Session.Start), days, limit), nil
}

// AssignOptions shape a course assignment.
type AssignOptions struct {
	CoTrainersPerSession int
	MaxSlotsPerPerson    int
}

// Assign proposes people for every open slot of a course and saves the
// proposal.
func (s Service) Assign(ctx context.Context, inst, courseID int64, o AssignOptions) (int64, Proposal, error) {
	if o.CoTrainersPerSession < 0 || o.CoTrainersPerSession > 5 {
		return 0, Proposal{}, errs.Invalidf("co_trainers_per_session", "must be 0 to 5")
	}
	if o.MaxSlotsPerPerson < 0 || o.MaxSlotsPerPerson > 50 {
		return 0, Proposal{}, errs.Invalidf("max_slots_per_person", "must be 1 to 50")
	}
	course, err := s.Scheduling.Course(ctx, inst, courseID)
	if err != nil {
		return 0, Proposal{}, err
	}
	sessions, err := s.Scheduling.CourseSessions(ctx, inst, courseID)
	if err != nil {
		return 0, Proposal{}, err
	}
	var slots []SlotSpec
	for _, sess := range sessions {
		if sess.Status != scheduling.SessionScheduled {
			continue
		}
		bookings, err := s.Scheduling.SessionBookings(ctx, inst, sess.ID)
		if err != nil {
			return 0, Proposal{}, err
		}
		leads, cos := 0, 0
		for _, b := range bookings {
			if b.Status.Active() {
				if b.Role == scheduling.Lead {
					leads++
				} else {
					cos++
				}
			}
		}
		if leads == 0 {
			slots = append(slots, SlotSpec{Session: sess, Role: scheduling.Lead})
		}
		for k := cos; k < o.CoTrainersPerSession; k++ {
			slots = append(slots, SlotSpec{Session: sess, Role: scheduling.CoTrainer})
		}
	}
	if len(slots) == 0 {
		return 0, Proposal{}, errs.New(errs.Conflict, "nothing_to_assign", "every session of the course is already staffed")
	}
	set, err := s.Settings.Settings(ctx, inst)
	if err != nil {
		return 0, Proposal{}, err
	}
	ix, err := s.Cache.Index(ctx)
	if err != nil {
		return 0, Proposal{}, err
	}
	rules, err := s.rules(ctx, inst, set, course, slots[0].Session) // rates go by the course's year
	if err != nil {
		return 0, Proposal{}, err
	}
	p := ix.Assign(AssignRequest{Course: course, Slots: slots, Weights: set.Weights, Rules: rules,
		MaxSlotsPerPerson: o.MaxSlotsPerPerson})
	id, err := s.Proposals.SaveProposal(ctx, inst, courseID, p)
	return id, p, err
}

// ErrProposalApplied refuses to book a proposal twice.
var ErrProposalApplied = errs.New(errs.Conflict, "already_applied", "this proposal was already applied")

// Apply books a saved proposal in one transaction; a conflict that
// appeared meanwhile fails it whole.
func (s Service) Apply(ctx context.Context, inst, courseID, id int64) ([]scheduling.Booking, error) {
	var out []scheduling.Booking
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		slots, err := s.Proposals.ProposalSlots(ctx, inst, courseID, id)
		if err != nil {
			return err
		}
		if err := s.Proposals.MarkApplied(ctx, inst, courseID, id); err != nil {
			return err
		}
		for _, sl := range slots {
			b, err := s.Booker.Book(ctx, inst, scheduling.BookRequest{SessionID: sl.SessionID, PersonID: sl.PersonID, Role: sl.Role})
			if err != nil {
				if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
					return e.WithMessage("%s; nothing was booked", e.Message)
				}
				return err
			}
			out = append(out, b)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
