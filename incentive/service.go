package incentive

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/profile"
	"sinergi/scheduling"
)

// Transactor runs a use case in one database transaction; stores called
// with the context it hands on join it, and a context that already carries
// a transaction runs in that one.
type Transactor interface {
	Do(ctx context.Context, f func(ctx context.Context) error) error
}

// Service prices completed bookings and runs the ledger.
type Service struct {
	Store      Store
	Scheduling scheduling.Store
	People     scheduling.People
	// Tx makes each ledger change, with the drafts it recomputes, one
	// transaction; without it the caller's context decides.
	Tx  Transactor
	Now func() time.Time
}

func (s Service) inTx(ctx context.Context, f func(ctx context.Context) error) error {
	if s.Tx == nil {
		return f(ctx)
	}
	return s.Tx.Do(ctx, f)
}

// CreateRate adds a rate line: a ceiling when inst is 0, else the
// institution's own rate, which must not exceed the ceiling in force.
func (s Service) CreateRate(ctx context.Context, inst int64, r Rate) (Rate, error) {
	r.ID, r.InstitutionID = 0, inst
	if err := r.Normalize(); err != nil {
		return Rate{}, err
	}
	if inst != 0 {
		rates, err := s.Store.Rates(ctx, inst)
		if err != nil {
			return Rate{}, err
		}
		ceiling, ok := Ceiling(rates, r)
		if !ok {
			// A region no ceiling names is the region's fault, not the
			// class's: say which regions have one.
			regions := CeilingRegions(rates, r.Funding)
			if r.Region != "" && len(regions) > 0 && !slices.ContainsFunc(regions, func(x string) bool { return strings.EqualFold(x, r.Region) }) {
				return Rate{}, errs.Invalidf("region", "has no ceiling; regions with one: %s", strings.Join(regions, ", "))
			}
			return Rate{}, errs.Invalidf("class", "no ceiling is in force for this class, year, funding and region; an admin adds it first")
		}
		if r.Amount > ceiling.Amount {
			e := *ErrAboveCeiling
			t := errs.Text{Format: "is above the ceiling of %v (%s)", Args: []any{i18n.Rupiah(ceiling.Amount), ceiling.Regulation}}
			e.Fields = map[string]string{"amount": t.String()}
			e.FieldTexts = map[string]errs.Text{"amount": t}
			return Rate{}, &e
		}
		if r.Unit != ceiling.Unit {
			return Rate{}, errs.Invalidf("unit", "must be %s, the unit of the ceiling", ceiling.Unit)
		}
	}
	return s.Store.CreateRate(ctx, r)
}

// FormatRupiah writes an amount the Indonesian way: Rp1.700.000.
func FormatRupiah(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(d)
	}
	return sign + "Rp" + b.String()
}

// pricing is what pricing a person's rows of one year needs, loaded once.
type pricing struct {
	inst      int64
	person    profile.Person
	rates     []Rate
	tax       TaxRules
	minimumJP int
}

func (s Service) pricing(ctx context.Context, inst int64, person profile.Person, year int) (pricing, error) {
	rates, err := s.Store.Rates(ctx, inst)
	if err != nil {
		return pricing{}, err
	}
	tax, err := s.Store.TaxRules(ctx, year)
	if err != nil {
		return pricing{}, err
	}
	set, err := s.Store.Settings(ctx, inst)
	if err != nil {
		return pricing{}, err
	}
	return pricing{inst: inst, person: person, rates: rates, tax: tax, minimumJP: set.MinimumJP}, nil
}

// input loads what pricing one booking needs; courses, when given, keeps
// the courses already loaded (a year's rows mostly share a few).
func (s Service) input(ctx context.Context, inst, bookingID int64, courses map[int64]scheduling.Course) (Input, error) {
	b, err := s.Scheduling.Booking(ctx, scheduling.Scope{InstitutionID: inst}, bookingID)
	if err != nil {
		return Input{}, err
	}
	sess, err := s.Scheduling.Session(ctx, inst, b.SessionID)
	if err != nil {
		return Input{}, err
	}
	course, ok := courses[sess.CourseID]
	if !ok {
		if course, err = s.Scheduling.Course(ctx, inst, sess.CourseID); err != nil {
			return Input{}, err
		}
		if courses != nil {
			courses[sess.CourseID] = course
		}
	}
	return Input{Booking: b, Session: sess, Course: course}, nil
}

// Accrue prices a completed booking into a draft ledger row, in one
// transaction (or the one ctx carries, such as the booking's completion):
//   - a booking without a row gets a draft;
//   - a draft is recomputed (in class, when given; otherwise in its own);
//   - an approved or paid row refuses any change, naming its status;
//   - after its paid row was reversed, a booking gets a corrected draft
//     linked to the row it corrects.
//
// The row is priced against the person's rows of the year that come before
// it in ledger order (session end, then id), and every later draft of that
// person and year is recomputed in order. class "" means the person's
// default class for a new row.
func (s Service) Accrue(ctx context.Context, inst, bookingID int64, class Class) (Honorarium, error) {
	var out Honorarium
	err := s.inTx(ctx, func(ctx context.Context) error {
		in, err := s.input(ctx, inst, bookingID, nil)
		if err != nil {
			return err
		}
		if in.Booking.Status != scheduling.Completed {
			return ErrNotCompleted
		}
		if err := s.Store.LockLedger(ctx, in.Booking.PersonID); err != nil {
			return err
		}
		person, err := s.People.Person(ctx, inst, in.Booking.PersonID, true)
		if err != nil {
			return err
		}
		rows, err := s.Store.BookingRows(ctx, inst, bookingID)
		if err != nil {
			return err
		}
		current, corrects := Current(rows)
		if current.ID != 0 {
			if current.Locked() {
				return LockedError(current)
			}
			if class == "" {
				class = current.Class
			}
			out, err = s.restate(ctx, inst, person, current.FiscalYear, current.ID, class)
			return err
		}
		if class == "" {
			class = DefaultClass(person, inst)
		}
		in.Person, in.Class = person, class
		year := in.Session.Start.In(in.Session.Location()).Year()
		p, err := s.pricing(ctx, inst, person, year)
		if err != nil {
			return err
		}
		yearRows, err := s.Store.YearRows(ctx, inst, person.ID, year)
		if err != nil {
			return err
		}
		var before []Honorarium
		for _, r := range yearRows {
			if !r.SessionEnd.After(in.Session.End) { // a new row has the highest id
				before = append(before, r)
			}
		}
		h, err := p.compute(in, before)
		if err != nil {
			return err
		}
		h.CorrectsID = corrects
		if corrects != 0 {
			h.Basis = i18n.T("correction of honorarium %d; %s", corrects, h.Basis)
		}
		h, err = s.Store.Insert(ctx, h)
		if err != nil {
			return err
		}
		out, err = s.restate(ctx, inst, person, year, h.ID, "")
		return err
	})
	return out, err
}

// Current returns, of a booking's rows, the one in force (neither a
// reversal nor reversed), and otherwise the id of the last reversed row,
// which a new draft corrects.
func Current(rows []Honorarium) (current Honorarium, corrects int64) {
	reversed := map[int64]bool{}
	for _, r := range rows {
		if r.ReversesID != 0 {
			reversed[r.ReversesID] = true
		}
	}
	for _, r := range rows {
		if r.ReversesID != 0 {
			continue
		}
		if reversed[r.ID] {
			if r.ID > corrects {
				corrects = r.ID
			}
			continue
		}
		current = r
	}
	return current, corrects
}

// compute prices one booking after the rows before it.
func (p pricing) compute(in Input, before []Honorarium) (Honorarium, error) {
	in.Person, in.Rates, in.Tax, in.MinimumJP = p.person, p.rates, p.tax, p.minimumJP
	in.YTD = Sum(before, in.Class)
	h, err := Compute(in)
	h.SessionEnd = in.Session.End
	return h, err
}

// restate recomputes, in ledger order, the draft from (in class, when
// given) and every later draft of the person's year, saving those whose
// figures changed; approved and paid rows and reversals stay as they are.
// It returns the row from.
func (s Service) restate(ctx context.Context, inst int64, person profile.Person, year int, from int64, class Class) (Honorarium, error) {
	rows, err := s.Store.YearRows(ctx, inst, person.ID, year)
	if err != nil {
		return Honorarium{}, err
	}
	at := -1
	for i, r := range rows {
		if r.ID == from {
			at = i
		}
	}
	if at < 0 {
		return Honorarium{}, errs.NotFoundf("honorarium %d not found", from)
	}
	p, err := s.pricing(ctx, inst, person, year)
	if err != nil {
		return Honorarium{}, err
	}
	courses := map[int64]scheduling.Course{}
	for i := at; i < len(rows); i++ {
		r := rows[i]
		if !r.Recomputable() {
			continue
		}
		in, err := s.input(ctx, inst, r.BookingID, courses)
		if err != nil {
			return Honorarium{}, err
		}
		in.Class = r.Class
		if i == at && class != "" {
			in.Class = class
		}
		h, err := p.compute(in, rows[:i])
		if err != nil {
			return Honorarium{}, err
		}
		h.ID, h.CorrectsID, h.CreatedAt = r.ID, r.CorrectsID, r.CreatedAt
		if r.CorrectsID != 0 {
			h.Basis = i18n.T("correction of honorarium %d; %s", r.CorrectsID, h.Basis)
		}
		if !sameFigures(r, h) {
			if err := s.Store.Restate(ctx, r, h); err != nil {
				return Honorarium{}, err
			}
		}
		rows[i] = h
	}
	return rows[at], nil
}

func sameFigures(a, b Honorarium) bool {
	return a.Class == b.Class && a.Unit == b.Unit && a.RateID == b.RateID && a.JP == b.JP && a.PaidJP == b.PaidJP &&
		a.Rate == b.Rate && a.Gross == b.Gross && a.Tax == b.Tax && a.Net == b.Net && a.TaxBase == b.TaxBase &&
		a.Basis.In(i18n.Indonesian) == b.Basis.In(i18n.Indonesian) && a.Basis.In(i18n.English) == b.Basis.In(i18n.English) &&
		a.FiscalYear == b.FiscalYear && a.Month == b.Month
}

// AccrueCourse drafts rows for every completed booking of a course that
// has none yet, and returns how many it made.
func (s Service) AccrueCourse(ctx context.Context, inst, courseID int64) (int, error) {
	ids, err := s.Store.CompletedBookings(ctx, inst, courseID)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		if _, err := s.Accrue(ctx, inst, id, ""); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// Approve approves a draft.
func (s Service) Approve(ctx context.Context, inst, id, by int64) (Honorarium, error) {
	return s.Store.UpdateHonorarium(ctx, inst, id, func(h *Honorarium) error { return Approve(h, by, s.Now()) })
}

// Pay records payment of an approved row, on the date and with the
// reference given.
func (s Service) Pay(ctx context.Context, inst, id, by int64, pay Payment) (Honorarium, error) {
	return s.Store.UpdateHonorarium(ctx, inst, id, func(h *Honorarium) error { return Pay(h, by, s.Now(), pay) })
}

// Reverse adds the draft reversal of a paid row and recomputes the later
// drafts of the person's year, in one transaction.
func (s Service) Reverse(ctx context.Context, inst, id int64) (Honorarium, error) {
	var out Honorarium
	err := s.inTx(ctx, func(ctx context.Context) error {
		h, err := s.Store.Honorarium(ctx, inst, id)
		if err != nil {
			return err
		}
		if err := s.Store.LockLedger(ctx, h.PersonID); err != nil {
			return err
		}
		rev, err := Reversal(h)
		if err != nil {
			return err
		}
		if out, err = s.Store.Insert(ctx, rev); err != nil {
			return err
		}
		person, err := s.People.Person(ctx, inst, h.PersonID, true)
		if err != nil {
			return err
		}
		_, err = s.restate(ctx, inst, person, h.FiscalYear, out.ID, "")
		return err
	})
	return out, err
}

// Settings returns an institution's ledger settings.
func (s Service) Settings(ctx context.Context, inst int64) (Settings, error) {
	return s.Store.Settings(ctx, inst)
}

// PutSettings checks and stores an institution's ledger settings.
func (s Service) PutSettings(ctx context.Context, inst int64, set Settings) (Settings, error) {
	if err := set.Normalize(s.Now()); err != nil {
		return Settings{}, err
	}
	return set, s.Store.PutSettings(ctx, inst, set)
}
