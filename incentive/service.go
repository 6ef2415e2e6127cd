package incentive

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/scheduling"
)

// Service prices completed bookings and runs the ledger.
type Service struct {
	Store      Store
	Scheduling scheduling.Store
	People     scheduling.People
	Now        func() time.Time
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
			return Rate{}, errs.Invalidf("class", "no ceiling is in force for this class, year, funding and region; an admin adds it first")
		}
		if r.Amount > ceiling.Amount {
			e := *ErrAboveCeiling
			e.Fields = map[string]string{"amount": "is above the ceiling of " + FormatRupiah(ceiling.Amount) + " (" + ceiling.Regulation + ")"}
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

// Accrue prices a completed booking into a draft ledger row (again, if its
// row is still a draft). class overrides the default class.
func (s Service) Accrue(ctx context.Context, inst, bookingID int64, class Class) (Honorarium, error) {
	b, err := s.Scheduling.Booking(ctx, scheduling.Scope{InstitutionID: inst}, bookingID)
	if err != nil {
		return Honorarium{}, err
	}
	sess, err := s.Scheduling.Session(ctx, inst, b.SessionID)
	if err != nil {
		return Honorarium{}, err
	}
	course, err := s.Scheduling.Course(ctx, inst, sess.CourseID)
	if err != nil {
		return Honorarium{}, err
	}
	person, err := s.People.Person(ctx, inst, b.PersonID, true)
	if err != nil {
		return Honorarium{}, err
	}
	rates, err := s.Store.Rates(ctx, inst)
	if err != nil {
		return Honorarium{}, err
	}
	year := sess.Start.In(sess.Location()).Year()
	tax, err := s.Store.TaxRules(ctx, year)
	if err != nil {
		return Honorarium{}, err
	}
	minimum, err := s.Store.MinimumJP(ctx, inst)
	if err != nil {
		return Honorarium{}, err
	}
	if class == "" {
		class = DefaultClass(person, inst)
	}
	jpBefore, baseYTD, err := s.Store.YearToDate(ctx, person.ID, year, class, b.ID)
	if err != nil {
		return Honorarium{}, err
	}
	h, err := Compute(Input{Booking: b, Session: sess, Course: course, Person: person, Class: class, Rates: rates, Tax: tax,
		JPBefore: jpBefore, BaseYTD: baseYTD, MinimumJP: minimum})
	if err != nil {
		return Honorarium{}, err
	}
	return s.Store.SaveDraft(ctx, h)
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

// Pay records payment of an approved row.
func (s Service) Pay(ctx context.Context, inst, id, by int64) (Honorarium, error) {
	return s.Store.UpdateHonorarium(ctx, inst, id, func(h *Honorarium) error { return Pay(h, by, s.Now()) })
}

// Reverse adds the draft reversal of a paid row.
func (s Service) Reverse(ctx context.Context, inst, id int64) (Honorarium, error) {
	return s.Store.InsertReversal(ctx, inst, id)
}

// Line is one person's total in an export.
type Line struct {
	PersonID    int64
	Name        string
	NIP         string
	TaxID       string
	TaxIDStatus string
	Golongan    string
	Class       Class
	JP          int
	PaidJP      int
	Rate        int64
	Gross       int64
	Tax         int64
	Net         int64
}

// Totals sums lines.
func Totals(lines []Line) Line {
	t := Line{Name: "JUMLAH"}
	for _, l := range lines {
		t.JP += l.JP
		t.PaidJP += l.PaidJP
		t.Gross += l.Gross
		t.Tax += l.Tax
		t.Net += l.Net
	}
	return t
}

// Summarise groups ledger rows into one line per person (and class), in
// name order; name gives each person's identity.
func Summarise(rows []Honorarium, identity func(personID int64) Line) []Line {
	type key struct {
		person int64
		class  Class
	}
	at := map[key]int{}
	var lines []Line
	for _, h := range rows {
		k := key{h.PersonID, h.Class}
		i, ok := at[k]
		if !ok {
			l := identity(h.PersonID)
			l.PersonID, l.Class, l.Rate = h.PersonID, h.Class, h.Rate
			lines = append(lines, l)
			i = len(lines) - 1
			at[k] = i
		}
		l := &lines[i]
		l.JP += h.JP
		l.PaidJP += h.PaidJP
		l.Gross += h.Gross
		l.Tax += h.Tax
		l.Net += h.Net
	}
	sortLines(lines)
	return lines
}

func sortLines(lines []Line) {
	sort.SliceStable(lines, func(a, b int) bool {
		if lines[a].Name != lines[b].Name {
			return lines[a].Name < lines[b].Name
		}
		return lines[a].PersonID < lines[b].PersonID
	})
}
