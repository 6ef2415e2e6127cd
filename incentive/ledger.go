package incentive

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/profile"
	"sinergi/scheduling"
)

// Status is a ledger row's place in its workflow.
type Status string

// Ledger statuses.
const (
	Draft    Status = "draft"
	Approved Status = "approved"
	Paid     Status = "paid"
)

// Honorarium is one ledger row: a payment for a completed booking, or the
// reversal of a paid one (negative amounts).
type Honorarium struct {
	ID            int64
	InstitutionID int64
	BookingID     int64
	PersonID      int64
	CourseID      int64
	SessionID     int64
	// ReversesID is set on a reversal row; CorrectsID on the draft that
	// corrects a reversed row of the same booking.
	ReversesID int64
	CorrectsID int64
	Class      Class
	Unit       Unit
	RateID     int64
	// JP is the JP taught; PaidJP those paid (above the yearly minimum for
	// internal widyaiswara).
	JP         int
	PaidJP     int
	Rate       int64
	Gross      int64
	Tax        int64
	Net        int64
	TaxBase    int64
	Basis      i18n.Text
	FiscalYear int
	Month      int
	Status     Status
	ApprovedBy int64
	ApprovedAt *time.Time
	PaidBy     int64
	PaidAt     *time.Time
	// Payment is the date and reference the payment was recorded with.
	Payment   Payment
	CreatedAt time.Time
	// SessionEnd places the row in ledger order (session end, then id).
	SessionEnd time.Time
	// ReversedBy is the reversal row of a reversed paid row (read only).
	ReversedBy int64
}

// Reversible reports whether the row may be reversed: a paid row that is
// not itself a reversal and has not been reversed yet.
func (h Honorarium) Reversible() bool {
	return h.Status == Paid && h.ReversesID == 0 && h.ReversedBy == 0
}

// CountsAsPaid reports whether the row counts in what was paid: a paid
// row, and the reversal of one from the moment it is recorded, so that a
// reversed payment nets to nothing.
func (h Honorarium) CountsAsPaid() bool { return h.Status == Paid || h.ReversesID != 0 }

// Locked reports whether the row can no longer change: approved or paid.
func (h Honorarium) Locked() bool { return h.Status == Approved || h.Status == Paid }

// Recomputable reports whether the row's figures follow the rows before it:
// a draft that is not a reversal (a reversal mirrors the row it reverses).
func (h Honorarium) Recomputable() bool { return h.Status == Draft && h.ReversesID == 0 }

// Before reports whether h comes before o in ledger order.
func (h Honorarium) Before(o Honorarium) bool {
	if !h.SessionEnd.Equal(o.SessionEnd) {
		return h.SessionEnd.Before(o.SessionEnd)
	}
	return h.ID < o.ID
}

// YearToDate is what the rows before a row in ledger order add up to for
// one person and fiscal year.
type YearToDate struct {
	// JP taught and JP paid in the row's class (the yearly minimum of an
	// internal widyaiswara counts JP of that class only).
	JP     int
	PaidJP int
	// Base is the taxed base and Withheld the PPh 21 withheld.
	Base     int64
	Withheld int64
}

// Sum adds up rows for a row of class.
func Sum(rows []Honorarium, class Class) YearToDate {
	var y YearToDate
	for _, r := range rows {
		if r.Class == class {
			y.JP += r.JP
			y.PaidJP += r.PaidJP
		}
		y.Base += r.TaxBase
		y.Withheld += r.Tax
	}
	return y
}

// Input is what computing a honorarium needs.
type Input struct {
	Booking scheduling.Booking
	Session scheduling.Session
	Course  scheduling.Course
	Person  profile.Person
	// Class overrides the default class for the person.
	Class Class
	Rates []Rate
	Tax   TaxRules
	// YTD sums the person's rows of the year before this one in ledger
	// order (session end, then id), never the rows after it.
	YTD YearToDate
	// MinimumJP is the yearly JP an internal widyaiswara teaches unpaid.
	MinimumJP int
}

// DefaultClass is the class a person is paid in by default: a widyaiswara
// of the institution as internal widyaiswara, anyone else as penceramah
// (praktisi from outside the organising unit, SBM item 19).
func DefaultClass(p profile.Person, inst int64) Class {
	if p.Kind == profile.Widyaiswara && p.InstitutionID == inst {
		return WidyaiswaraInternal
	}
	if p.Kind == profile.Widyaiswara {
		return PengajarLuarSatker
	}
	return Penceramah
}

// Compute prices a completed booking.
func Compute(in Input) (Honorarium, error) {
	b, s, c := in.Booking, in.Session, in.Course
	if b.Status != scheduling.Completed {
		return Honorarium{}, ErrNotCompleted
	}
	class := in.Class
	if class == "" {
		class = DefaultClass(in.Person, b.InstitutionID)
	}
	if !ValidClass(class) {
		return Honorarium{}, errs.Invalidf("class", "is not a known rate class")
	}
	local := s.Start.In(s.Location())
	year := local.Year()
	rate, ok := InForce(in.Rates, b.InstitutionID, class, year, c.Funding, c.Region)
	if !ok {
		return Honorarium{}, ErrNoRate.WithDetails(map[string]any{"class": class, "fiscal_year": year, "funding": c.Funding, "region": c.Region})
	}
	jp := b.ActualJP
	if jp == 0 {
		jp = s.JP
	}
	h := Honorarium{InstitutionID: b.InstitutionID, BookingID: b.ID, PersonID: b.PersonID, CourseID: c.ID, SessionID: s.ID,
		Class: class, Unit: rate.Unit, RateID: rate.ID, JP: jp, PaidJP: jp, Rate: rate.Amount, FiscalYear: year,
		Month: year*100 + int(local.Month()), Status: Draft}
	var notes []i18n.Text
	if rate.FiscalYear != year {
		notes = append(notes, i18n.T("no %d table yet: %s (TA %d) applies", year, rate.Regulation, rate.FiscalYear))
	} else {
		notes = append(notes, i18n.T("%s (TA %d)", rate.Regulation, rate.FiscalYear))
	}
	if class == WidyaiswaraInternal {
		above := func(n int) int { return max(n-in.MinimumJP, 0) }
		h.PaidJP = above(in.YTD.JP+jp) - in.YTD.PaidJP
		notes = append(notes, i18n.T("internal widyaiswara: paid above %d JP a year; %d JP before this session", in.MinimumJP, in.YTD.JP))
		if d := in.YTD.PaidJP - above(in.YTD.JP); d != 0 {
			notes = append(notes, i18n.T("absorbs %d JP paid differently by earlier rows that can no longer change", d))
		}
	}
	if in.Person.Kind == profile.Practitioner && scheduling.SameUnitPractitioner(in.Person, c) {
		h.PaidJP = 0
		notes = append(notes, i18n.T("a practitioner from the organising unit is not paid as penceramah"))
	}
	switch rate.Unit {
	case PerJP:
		h.Gross = int64(h.PaidJP) * rate.Amount
	default:
		if h.PaidJP > 0 {
			h.Gross = rate.Amount
		}
	}
	w, err := in.Tax.Withhold(in.Person, h.Gross, in.YTD)
	if err != nil {
		return Honorarium{}, ErrNoTaxRule
	}
	h.Tax, h.TaxBase, h.Net = w.Tax, w.Base, h.Gross-w.Tax
	h.Basis = i18n.Join("; ", append(notes, w.Basis)...)
	return h, nil
}

// Errors of the ledger workflow.
var (
	ErrLocked = errs.New(errs.Conflict, "honorarium_locked", "the honorarium is no longer a draft and cannot change")
	// ErrNotCompleted: only a completed booking earns a honorarium.
	ErrNotCompleted = errs.New(errs.Conflict, "not_completed", "only a completed booking earns a honorarium")
	// ErrNoTaxRule: no PPh 21 rules are in force for the year.
	ErrNoTaxRule = errs.New(errs.Conflict, "no_tax_rule", "no PPh 21 rules are in force for that year")
	// ErrDuplicateRate: rate tables are versioned by fiscal year.
	ErrDuplicateRate = errs.New(errs.Conflict, "duplicate_rate", "a line for this year, funding, region and class exists; rate tables are versioned by fiscal year")
	// ErrDuplicateHonorarium: accrue again to recompute the draft.
	ErrDuplicateHonorarium = errs.New(errs.Conflict, "duplicate_honorarium", "the booking already has a honorarium; accrue it again to recompute its draft")
	ErrNotDraft            = errs.New(errs.Conflict, "honorarium_not_draft", "only a draft can be approved")
	ErrNotApproved         = errs.New(errs.Conflict, "honorarium_not_approved", "only an approved row can be paid")
	ErrNotPaid             = errs.New(errs.Conflict, "honorarium_not_paid", "only a paid row is reversed; change a draft by recomputing it")
	ErrAlreadyRev          = errs.New(errs.Conflict, "already_reversed", "this row was already reversed")
	ErrPaidReadOnly        = errs.New(errs.Conflict, "paid_is_final", "a paid row is never edited; reverse it instead")
)

// LockedError names the status of a row that refuses a change.
func LockedError(h Honorarium) error {
	how := "it can no longer change"
	if h.Status == Paid {
		how = "reverse it, then accrue the booking again for a corrected draft"
	}
	return ErrLocked.WithMessage("honorarium %d is %s: %s", h.ID, string(h.Status), how).
		WithDetails(map[string]any{"honorarium_id": h.ID, "status": h.Status})
}

// Approve moves a draft to approved.
func Approve(h *Honorarium, by int64, now time.Time) error {
	if h.Status != Draft {
		return ErrNotDraft.WithMessage("honorarium %d is %s: only a draft can be approved", h.ID, string(h.Status)).
			WithDetails(map[string]any{"current_status": h.Status})
	}
	h.Status, h.ApprovedBy, h.ApprovedAt = Approved, by, &now
	return nil
}

// Payment is how a row was paid: the date the money went out and the
// treasurer's reference (SP2D, transfer or receipt number).
type Payment struct {
	// On is a civil date (UTC midnight); zero means the day of recording.
	On        time.Time
	Reference string
}

// Normalize checks a payment recorded at now: its date not in the future
// nor before 2000, its reference short plain text.
func (p *Payment) Normalize(now time.Time) error {
	f := errs.Fields{}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	if p.On.IsZero() {
		p.On = today
	}
	p.On = time.Date(p.On.Year(), p.On.Month(), p.On.Day(), 0, 0, 0, 0, time.UTC)
	if p.On.After(today.AddDate(0, 0, 1)) || p.On.Year() < 2000 {
		f.Add("paid_on", "must be a date from 2000 up to today")
	}
	p.Reference = strings.TrimSpace(p.Reference)
	if utf8.RuneCountInString(p.Reference) > 100 || strings.ContainsFunc(p.Reference, unicode.IsControl) {
		f.Add("reference", "must be at most 100 characters of plain text")
	}
	return f.Err()
}

// Pay moves an approved row to paid, recording the payment's date and
// reference.
func Pay(h *Honorarium, by int64, now time.Time, pay Payment) error {
	if h.Status != Approved {
		return ErrNotApproved.WithMessage("honorarium %d is %s: only an approved row can be paid", h.ID, string(h.Status)).
			WithDetails(map[string]any{"current_status": h.Status})
	}
	if err := pay.Normalize(now); err != nil {
		return err
	}
	h.Status, h.PaidBy, h.PaidAt, h.Payment = Paid, by, &now, pay
	return nil
}

// Reversal returns the draft row that cancels a paid row.
func Reversal(h Honorarium) (Honorarium, error) {
	if h.ReversesID != 0 {
		return Honorarium{}, ErrNotPaid.WithMessage("honorarium %d is itself a reversal", h.ID)
	}
	if h.Status != Paid {
		return Honorarium{}, ErrNotPaid.WithMessage("honorarium %d is %s: only a paid row is reversed; change a draft by accruing it again", h.ID, string(h.Status)).
			WithDetails(map[string]any{"current_status": h.Status})
	}
	if !h.Reversible() {
		return Honorarium{}, ErrAlreadyRev.WithDetails(map[string]any{"reversal_id": h.ReversedBy})
	}
	r := h
	r.ID, r.ReversesID, r.CorrectsID, r.ReversedBy, r.Status = 0, h.ID, 0, 0, Draft
	r.JP, r.PaidJP, r.Gross, r.Tax, r.Net, r.TaxBase = -h.JP, -h.PaidJP, -h.Gross, -h.Tax, -h.Net, -h.TaxBase
	r.ApprovedBy, r.ApprovedAt, r.PaidBy, r.PaidAt, r.Payment = 0, nil, 0, nil, Payment{}
	r.Basis = i18n.T("reversal of honorarium %d", h.ID)
	return r, nil
}

// Filter selects ledger rows.
type Filter struct {
	CourseID int64
	PersonID int64
	// Statuses keeps rows in any of them (every status when empty).
	Statuses []Status
	// Month is YYYYMM; Year is YYYY.
	Month int
	Year  int
}

// Store keeps rates, tax rules and the ledger. Called with a context that
// carries a transaction, every method joins it.
type Store interface {
	Rates(ctx context.Context, inst int64) ([]Rate, error)
	CreateRate(ctx context.Context, r Rate) (Rate, error)
	TaxRules(ctx context.Context, year int) (TaxRules, error)
	// LockLedger holds a person's ledger until the transaction ends, so
	// rows are priced against a year-to-date no one else is changing.
	LockLedger(ctx context.Context, personID int64) error
	// YearRows returns a person's rows of a fiscal year at an institution
	// in ledger order: session end, then id.
	YearRows(ctx context.Context, inst, personID int64, year int) ([]Honorarium, error)
	// BookingRows returns every row of a booking, oldest first.
	BookingRows(ctx context.Context, inst, bookingID int64) ([]Honorarium, error)
	// Insert adds a draft, a reversal or a correction.
	Insert(ctx context.Context, h Honorarium) (Honorarium, error)
	// Restate saves new figures (and class) of a draft.
	Restate(ctx context.Context, before, after Honorarium) error
	Honorarium(ctx context.Context, inst, id int64) (Honorarium, error)
	// UpdateHonorarium locks a row, applies change and saves it.
	UpdateHonorarium(ctx context.Context, inst, id int64, change func(*Honorarium) error) (Honorarium, error)
	List(ctx context.Context, inst int64, f Filter) ([]Honorarium, error)
	CompletedBookings(ctx context.Context, inst, courseID int64) ([]int64, error)
	Settings(ctx context.Context, inst int64) (Settings, error)
	PutSettings(ctx context.Context, inst int64, s Settings) error
}
