package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/scheduling"
)

// IncentiveStore implements incentive.Store.
type IncentiveStore struct{ DB *gorm.DB }

type rateRow struct {
	ID            int64
	InstitutionID *int64
	Regulation    string
	FiscalYear    int
	Funding       string
	Region        string
	Class         string
	Unit          string
	Amount        int64
	Source        string
	CreatedAt     time.Time
}

func (rateRow) TableName() string { return "rate_tables" }

func (r rateRow) toDomain() incentive.Rate {
	return incentive.Rate{ID: r.ID, InstitutionID: deref(r.InstitutionID), Regulation: r.Regulation, FiscalYear: r.FiscalYear,
		Funding: scheduling.Funding(r.Funding), Region: r.Region, Class: incentive.Class(r.Class), Unit: incentive.Unit(r.Unit),
		Amount: r.Amount, Source: r.Source, CreatedAt: r.CreatedAt}
}

// Rates implements incentive.Store: the ceilings and inst's own lines.
func (s IncentiveStore) Rates(ctx context.Context, inst int64) ([]incentive.Rate, error) {
	var rows []rateRow
	if err := conn(ctx, s.DB).Where("institution_id IS NULL OR institution_id = ?", inst).
		Order("fiscal_year, class, institution_id NULLS FIRST, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list rates: %w", err)
	}
	out := make([]incentive.Rate, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CreateRate implements incentive.Store.
func (s IncentiveStore) CreateRate(ctx context.Context, r incentive.Rate) (incentive.Rate, error) {
	row := rateRow{InstitutionID: nullable(r.InstitutionID), Regulation: r.Regulation, FiscalYear: r.FiscalYear,
		Funding: string(r.Funding), Region: r.Region, Class: string(r.Class), Unit: string(r.Unit), Amount: r.Amount, Source: r.Source}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return errs.New(errs.Conflict, "duplicate", "a line for this year, funding, region and class exists; rate tables are versioned by fiscal year")
			}
			return fmt.Errorf("insert rate: %w", err)
		}
		return writeAudit(ctx, tx, r.InstitutionID, "create", "rate", row.ID, nil, row)
	})
	return row.toDomain(), err
}

// TaxRules implements incentive.Store: for each rule, the rows of the
// latest year_from not after year.
func (s IncentiveStore) TaxRules(ctx context.Context, year int) (incentive.TaxRules, error) {
	var rows []struct {
		Rule   string
		Key    string
		Upper  *int64
		RateBP int `gorm:"column:rate_bp"`
	}
	err := conn(ctx, s.DB).Raw(`SELECT rule, key, upper, rate_bp FROM tax_rules t
		WHERE year_from = (SELECT max(year_from) FROM tax_rules u WHERE u.rule = t.rule AND u.year_from <= ?)
		ORDER BY rule, upper NULLS LAST`, year).Scan(&rows).Error
	if err != nil {
		return incentive.TaxRules{}, fmt.Errorf("load tax rules: %w", err)
	}
	t := incentive.TaxRules{Year: year, FinalByGroup: map[string]int{}}
	for _, r := range rows {
		switch r.Rule {
		case "final_golongan":
			t.FinalByGroup[r.Key] = r.RateBP
		case "pasal17_band":
			var upper int64
			if r.Upper != nil {
				upper = *r.Upper
			}
			t.Bands = append(t.Bands, incentive.Band{Upper: upper, RateBP: r.RateBP})
		case "non_employee_base":
			t.NonEmployeeBaseBP = r.RateBP
		case "no_tax_id_surcharge":
			t.NoTaxIDSurchargeBP = r.RateBP
		}
	}
	if len(t.Bands) == 0 || len(t.FinalByGroup) == 0 {
		return t, errs.New(errs.Conflict, "no_tax_rule", fmt.Sprintf("no PPh 21 rules are in force for %d", year))
	}
	return t, nil
}

// MinimumJP implements incentive.Store.
func (s IncentiveStore) MinimumJP(ctx context.Context, inst int64) (int, error) {
	var n int
	err := conn(ctx, s.DB).Raw("SELECT coalesce((SELECT minimum_jp FROM incentive_settings WHERE institution_id = ?), 0)", inst).Scan(&n).Error
	return n, err
}

// SetMinimumJP stores the yearly JP an internal widyaiswara teaches unpaid.
func (s IncentiveStore) SetMinimumJP(ctx context.Context, inst int64, jp int) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		before, _ := IncentiveStore{DB: tx}.MinimumJP(ctx, inst)
		if err := tx.Exec(`INSERT INTO incentive_settings (institution_id, minimum_jp) VALUES (?, ?)
			ON CONFLICT (institution_id) DO UPDATE SET minimum_jp = EXCLUDED.minimum_jp, updated_at = now()`, inst, jp).Error; err != nil {
			return fmt.Errorf("save incentive settings: %w", err)
		}
		return writeAudit(ctx, tx, inst, "put", "incentive_settings", inst, map[string]int{"minimum_jp": before}, map[string]int{"minimum_jp": jp})
	})
}

// YearToDate implements incentive.Store.
func (s IncentiveStore) YearToDate(ctx context.Context, personID int64, year int, class incentive.Class, exceptBooking int64) (int, int64, error) {
	var r struct {
		JP   int
		Base int64
	}
	err := conn(ctx, s.DB).Raw(`SELECT coalesce(sum(jp) FILTER (WHERE class = ?), 0) AS jp, coalesce(sum(tax_base), 0) AS base
		FROM honoraria WHERE person_id = ? AND fiscal_year = ? AND booking_id <> ?`, string(class), personID, year, exceptBooking).Scan(&r).Error
	return r.JP, r.Base, err
}

type honorariumRow struct {
	ID            int64
	InstitutionID int64
	BookingID     int64
	PersonID      int64
	CourseID      int64
	SessionID     int64
	ReversesID    *int64
	Class         string
	Unit          string
	RateID        *int64
	JP            int `gorm:"column:jp"`
	PaidJP        int `gorm:"column:paid_jp"`
	Rate          int64
	Gross         int64
	Tax           int64
	Net           int64
	TaxBase       int64
	Basis         string
	FiscalYear    int
	Month         int
	Status        string
	ApprovedBy    *int64
	ApprovedAt    *time.Time
	PaidBy        *int64
	PaidAt        *time.Time
	CreatedAt     time.Time
}

func (honorariumRow) TableName() string { return "honoraria" }

func honorariumToRow(h incentive.Honorarium) honorariumRow {
	return honorariumRow{ID: h.ID, InstitutionID: h.InstitutionID, BookingID: h.BookingID, PersonID: h.PersonID, CourseID: h.CourseID,
		SessionID: h.SessionID, ReversesID: nullable(h.ReversesID), Class: string(h.Class), Unit: string(h.Unit), RateID: nullable(h.RateID),
		JP: h.JP, PaidJP: h.PaidJP, Rate: h.Rate, Gross: h.Gross, Tax: h.Tax, Net: h.Net, TaxBase: h.TaxBase, Basis: h.Basis,
		FiscalYear: h.FiscalYear, Month: h.Month, Status: string(h.Status), ApprovedBy: nullable(h.ApprovedBy), ApprovedAt: h.ApprovedAt,
		PaidBy: nullable(h.PaidBy), PaidAt: h.PaidAt, CreatedAt: h.CreatedAt}
}

func (r honorariumRow) toDomain() incentive.Honorarium {
	return incentive.Honorarium{ID: r.ID, InstitutionID: r.InstitutionID, BookingID: r.BookingID, PersonID: r.PersonID,
		CourseID: r.CourseID, SessionID: r.SessionID, ReversesID: deref(r.ReversesID), Class: incentive.Class(r.Class),
		Unit: incentive.Unit(r.Unit), RateID: deref(r.RateID), JP: r.JP, PaidJP: r.PaidJP, Rate: r.Rate, Gross: r.Gross, Tax: r.Tax,
		Net: r.Net, TaxBase: r.TaxBase, Basis: r.Basis, FiscalYear: r.FiscalYear, Month: r.Month, Status: incentive.Status(r.Status),
		ApprovedBy: deref(r.ApprovedBy), ApprovedAt: r.ApprovedAt, PaidBy: deref(r.PaidBy), PaidAt: r.PaidAt, CreatedAt: r.CreatedAt}
}

// SaveDraft implements incentive.Store.
func (s IncentiveStore) SaveDraft(ctx context.Context, h incentive.Honorarium) (incentive.Honorarium, error) {
	var out honorariumRow
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var existing []honorariumRow
		if err := tx.Clauses(forUpdate()).Where("booking_id = ? AND reverses_id IS NULL", h.BookingID).Find(&existing).Error; err != nil {
			return fmt.Errorf("load honorarium: %w", err)
		}
		row := honorariumToRow(h)
		if len(existing) == 1 {
			before := existing[0]
			if before.Status != string(incentive.Draft) {
				out = before
				return nil
			}
			row.ID, row.CreatedAt = before.ID, before.CreatedAt
			if err := tx.Select("*").Omit("created_at").Updates(&row).Error; err != nil {
				return fmt.Errorf("update honorarium: %w", err)
			}
			out = row
			return writeAudit(ctx, tx, h.InstitutionID, "recompute", "honorarium", row.ID, before, row)
		}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert honorarium: %w", err)
		}
		out = row
		return writeAudit(ctx, tx, h.InstitutionID, "create", "honorarium", row.ID, nil, row)
	})
	return out.toDomain(), err
}

// Honorarium implements incentive.Store.
func (s IncentiveStore) Honorarium(ctx context.Context, inst, id int64) (incentive.Honorarium, error) {
	var row honorariumRow
	err := conn(ctx, s.DB).Where("id = ? AND institution_id = ?", id, inst).Take(&row).Error
	return row.toDomain(), notFound(err, "honorarium", id)
}

// UpdateHonorarium implements incentive.Store.
func (s IncentiveStore) UpdateHonorarium(ctx context.Context, inst, id int64, change func(*incentive.Honorarium) error) (incentive.Honorarium, error) {
	var out incentive.Honorarium
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var before honorariumRow
		if err := tx.Clauses(forUpdate()).Where("id = ? AND institution_id = ?", id, inst).Take(&before).Error; err != nil {
			return notFound(err, "honorarium", id)
		}
		h := before.toDomain()
		if err := change(&h); err != nil {
			return err
		}
		row := honorariumToRow(h)
		if err := tx.Model(&honorariumRow{}).Where("id = ?", id).Updates(map[string]any{"status": row.Status,
			"approved_by": row.ApprovedBy, "approved_at": row.ApprovedAt, "paid_by": row.PaidBy, "paid_at": row.PaidAt}).Error; err != nil {
			if isCode(err, checkViolation) {
				return incentive.ErrPaidReadOnly
			}
			return fmt.Errorf("update honorarium %d: %w", id, err)
		}
		out = h
		return writeAudit(ctx, tx, inst, string(h.Status), "honorarium", id, before, row)
	})
	return out, err
}

// InsertReversal implements incentive.Store.
func (s IncentiveStore) InsertReversal(ctx context.Context, inst, id int64) (incentive.Honorarium, error) {
	var out honorariumRow
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var orig honorariumRow
		if err := tx.Clauses(forUpdate()).Where("id = ? AND institution_id = ?", id, inst).Take(&orig).Error; err != nil {
			return notFound(err, "honorarium", id)
		}
		rev, err := incentive.Reversal(orig.toDomain())
		if err != nil {
			return err
		}
		out = honorariumToRow(rev)
		if err := tx.Create(&out).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return incentive.ErrAlreadyRev
			}
			return fmt.Errorf("insert reversal: %w", err)
		}
		return writeAudit(ctx, tx, inst, "reverse", "honorarium", out.ID, orig, out)
	})
	return out.toDomain(), err
}

// List implements incentive.Store.
func (s IncentiveStore) List(ctx context.Context, inst int64, f incentive.Filter) ([]incentive.Honorarium, error) {
	q := conn(ctx, s.DB).Where("institution_id = ?", inst)
	if f.CourseID != 0 {
		q = q.Where("course_id = ?", f.CourseID)
	}
	if f.PersonID != 0 {
		q = q.Where("person_id = ?", f.PersonID)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Month != 0 {
		q = q.Where("month = ?", f.Month)
	}
	if f.Year != 0 {
		q = q.Where("fiscal_year = ?", f.Year)
	}
	var rows []honorariumRow
	if err := q.Order("id").Limit(100000).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list honoraria: %w", err)
	}
	out := make([]incentive.Honorarium, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CompletedBookings implements incentive.Store: completed bookings of a
// course without a ledger row.
func (s IncentiveStore) CompletedBookings(ctx context.Context, inst, courseID int64) ([]int64, error) {
	var ids []int64
	err := conn(ctx, s.DB).Raw(`SELECT b.id FROM bookings b JOIN sessions s ON s.id = b.session_id
		WHERE b.institution_id = ? AND s.course_id = ? AND b.status = 'completed'
		AND NOT EXISTS (SELECT 1 FROM honoraria h WHERE h.booking_id = b.id) ORDER BY lower(b.during), b.id`, inst, courseID).Scan(&ids).Error
	return ids, err
}
