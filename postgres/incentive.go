package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/i18n"
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
				return incentive.ErrDuplicateRate
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
		return t, incentive.ErrNoTaxRule.WithMessage("no PPh 21 rules are in force for %d", year)
	}
	return t, nil
}

// MinimumJP returns the yearly JP an internal widyaiswara teaches unpaid.
func (s IncentiveStore) MinimumJP(ctx context.Context, inst int64) (int, error) {
	set, err := s.Settings(ctx, inst)
	return set.MinimumJP, err
}

// SetMinimumJP stores the yearly JP an internal widyaiswara teaches unpaid.
func (s IncentiveStore) SetMinimumJP(ctx context.Context, inst int64, jp int) error {
	set, err := s.Settings(ctx, inst)
	if err != nil {
		return err
	}
	set.MinimumJP = jp
	return s.PutSettings(ctx, inst, set)
}

type incentiveSettingsRow struct {
	MinimumJP     int    `gorm:"column:minimum_jp"`
	PPKName       string `gorm:"column:ppk_name"`
	PPKNIP        string `gorm:"column:ppk_nip"`
	TreasurerName string `gorm:"column:treasurer_name"`
	TreasurerNIP  string `gorm:"column:treasurer_nip"`
}

// Settings implements incentive.Store; an institution without settings
// has none of them set.
func (s IncentiveStore) Settings(ctx context.Context, inst int64) (incentive.Settings, error) {
	var rows []incentiveSettingsRow
	if err := conn(ctx, s.DB).Raw(`SELECT minimum_jp, ppk_name, ppk_nip, treasurer_name, treasurer_nip
		FROM incentive_settings WHERE institution_id = ?`, inst).Scan(&rows).Error; err != nil {
		return incentive.Settings{}, fmt.Errorf("load incentive settings: %w", err)
	}
	if len(rows) == 0 {
		return incentive.Settings{}, nil
	}
	r := rows[0]
	return incentive.Settings{MinimumJP: r.MinimumJP, PPKName: r.PPKName, PPKNIP: r.PPKNIP, TreasurerName: r.TreasurerName,
		TreasurerNIP: r.TreasurerNIP}, nil
}

// PutSettings implements incentive.Store.
func (s IncentiveStore) PutSettings(ctx context.Context, inst int64, set incentive.Settings) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		before, err := IncentiveStore{DB: tx}.Settings(ctx, inst)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO incentive_settings (institution_id, minimum_jp, ppk_name, ppk_nip, treasurer_name, treasurer_nip)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (institution_id) DO UPDATE SET minimum_jp = EXCLUDED.minimum_jp, ppk_name = EXCLUDED.ppk_name,
			ppk_nip = EXCLUDED.ppk_nip, treasurer_name = EXCLUDED.treasurer_name, treasurer_nip = EXCLUDED.treasurer_nip,
			updated_at = now()`, inst, set.MinimumJP, set.PPKName, set.PPKNIP, set.TreasurerName, set.TreasurerNIP).Error; err != nil {
			return fmt.Errorf("save incentive settings: %w", err)
		}
		return writeAudit(ctx, tx, inst, "put", "incentive_settings", inst, before, set)
	})
}

// LockLedger implements incentive.Store: the person's row, locked against
// other ledger changes but not against new bookings (which only share it).
func (s IncentiveStore) LockLedger(ctx context.Context, personID int64) error {
	var ids []int64
	if err := conn(ctx, s.DB).Raw("SELECT id FROM people WHERE id = ? FOR NO KEY UPDATE", personID).Scan(&ids).Error; err != nil {
		return fmt.Errorf("lock the ledger of person %d: %w", personID, err)
	}
	if len(ids) == 0 {
		return errs.NotFoundf("person %d not found", personID)
	}
	return nil
}

type honorariumRow struct {
	ID            int64
	InstitutionID int64
	BookingID     int64
	PersonID      int64
	CourseID      int64
	SessionID     int64
	ReversesID    *int64
	CorrectsID    *int64
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
	BasisEN       string `gorm:"column:basis_en"`
	FiscalYear    int
	Month         int
	Status        string
	ApprovedBy    *int64
	ApprovedAt    *time.Time
	PaidBy        *int64
	PaidAt        *time.Time
	PaidOn        *time.Time
	PaymentRef    string
	CreatedAt     time.Time
	SessionEnd    time.Time `gorm:"->;-:migration"`
	ReversedBy    *int64    `gorm:"->;-:migration"`
}

func (honorariumRow) TableName() string { return "honoraria" }

func honorariumToRow(h incentive.Honorarium) honorariumRow {
	return honorariumRow{ID: h.ID, InstitutionID: h.InstitutionID, BookingID: h.BookingID, PersonID: h.PersonID, CourseID: h.CourseID,
		SessionID: h.SessionID, ReversesID: nullable(h.ReversesID), CorrectsID: nullable(h.CorrectsID), Class: string(h.Class), Unit: string(h.Unit), RateID: nullable(h.RateID),
		JP: h.JP, PaidJP: h.PaidJP, Rate: h.Rate, Gross: h.Gross, Tax: h.Tax, Net: h.Net, TaxBase: h.TaxBase,
		Basis: h.Basis.In(i18n.Indonesian), BasisEN: h.Basis.In(i18n.English), FiscalYear: h.FiscalYear, Month: h.Month, Status: string(h.Status), ApprovedBy: nullable(h.ApprovedBy), ApprovedAt: h.ApprovedAt,
		PaidBy: nullable(h.PaidBy), PaidAt: h.PaidAt, PaidOn: dateOrNil(h.Payment.On), PaymentRef: h.Payment.Reference, CreatedAt: h.CreatedAt}
}

func (r honorariumRow) toDomain() incentive.Honorarium {
	h := incentive.Honorarium{ID: r.ID, InstitutionID: r.InstitutionID, BookingID: r.BookingID, PersonID: r.PersonID,
		CourseID: r.CourseID, SessionID: r.SessionID, ReversesID: deref(r.ReversesID), CorrectsID: deref(r.CorrectsID), Class: incentive.Class(r.Class),
		Unit: incentive.Unit(r.Unit), RateID: deref(r.RateID), JP: r.JP, PaidJP: r.PaidJP, Rate: r.Rate, Gross: r.Gross, Tax: r.Tax,
		Net: r.Net, TaxBase: r.TaxBase, Basis: i18n.Stored(r.Basis, r.BasisEN), FiscalYear: r.FiscalYear, Month: r.Month, Status: incentive.Status(r.Status),
		ApprovedBy: deref(r.ApprovedBy), ApprovedAt: r.ApprovedAt, PaidBy: deref(r.PaidBy), PaidAt: r.PaidAt, CreatedAt: r.CreatedAt,
		SessionEnd: r.SessionEnd, ReversedBy: deref(r.ReversedBy), Payment: incentive.Payment{Reference: r.PaymentRef}}
	if r.PaidOn != nil {
		h.Payment.On = time.Date(r.PaidOn.Year(), r.PaidOn.Month(), r.PaidOn.Day(), 0, 0, 0, 0, time.UTC)
	}
	return h
}

// honorariumColumns selects ledger rows with the end of their session and
// the reversal of the row, if any (reverses_id is unique).
const honorariumColumns = "h.*, s.ends_at AS session_end, (SELECT r.id FROM honoraria r WHERE r.reverses_id = h.id) AS reversed_by"

func (s IncentiveStore) rows(ctx context.Context, where string, args ...any) ([]incentive.Honorarium, error) {
	var rows []honorariumRow
	if err := conn(ctx, s.DB).Raw("SELECT "+honorariumColumns+" FROM honoraria h JOIN sessions s ON s.id = h.session_id WHERE "+where,
		args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load honoraria: %w", err)
	}
	out := make([]incentive.Honorarium, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// YearRows implements incentive.Store.
func (s IncentiveStore) YearRows(ctx context.Context, inst, personID int64, year int) ([]incentive.Honorarium, error) {
	return s.rows(ctx, "h.institution_id = ? AND h.person_id = ? AND h.fiscal_year = ? ORDER BY s.ends_at, h.id", inst, personID, year)
}

// BookingRows implements incentive.Store.
func (s IncentiveStore) BookingRows(ctx context.Context, inst, bookingID int64) ([]incentive.Honorarium, error) {
	return s.rows(ctx, "h.institution_id = ? AND h.booking_id = ? ORDER BY h.id", inst, bookingID)
}

// Insert implements incentive.Store.
func (s IncentiveStore) Insert(ctx context.Context, h incentive.Honorarium) (incentive.Honorarium, error) {
	row := honorariumToRow(h)
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Omit("created_at", "session_end", "reversed_by").Create(&row).Error; err != nil {
			switch {
			case isCode(err, uniqueViolation) && row.ReversesID != nil:
				return incentive.ErrAlreadyRev
			case isCode(err, uniqueViolation):
				return incentive.ErrDuplicateHonorarium
			}
			return fmt.Errorf("insert honorarium: %w", err)
		}
		action := "create"
		switch {
		case row.ReversesID != nil:
			action = "reverse"
		case row.CorrectsID != nil:
			action = "correct"
		}
		return writeAudit(ctx, tx, h.InstitutionID, action, "honorarium", row.ID, nil, row)
	})
	if err != nil {
		return incentive.Honorarium{}, err
	}
	return s.Honorarium(ctx, h.InstitutionID, row.ID)
}

// Restate implements incentive.Store: the figures of a draft, never of an
// approved or paid row.
func (s IncentiveStore) Restate(ctx context.Context, before, after incentive.Honorarium) error {
	row := honorariumToRow(after)
	db := conn(ctx, s.DB)
	res := db.Model(&honorariumRow{}).Where("id = ? AND status = 'draft'", before.ID).Updates(map[string]any{
		"class": row.Class, "unit": row.Unit, "rate_id": row.RateID, "jp": row.JP, "paid_jp": row.PaidJP, "rate": row.Rate,
		"gross": row.Gross, "tax": row.Tax, "net": row.Net, "tax_base": row.TaxBase, "basis": row.Basis,
		"fiscal_year": row.FiscalYear, "month": row.Month})
	if res.Error != nil {
		return fmt.Errorf("recompute honorarium %d: %w", before.ID, res.Error)
	}
	if res.RowsAffected == 0 {
		return incentive.LockedError(before)
	}
	return writeAudit(ctx, db, before.InstitutionID, "recompute", "honorarium", before.ID, honorariumToRow(before), row)
}

// Honorarium implements incentive.Store.
func (s IncentiveStore) Honorarium(ctx context.Context, inst, id int64) (incentive.Honorarium, error) {
	rows, err := s.rows(ctx, "h.id = ? AND h.institution_id = ?", id, inst)
	if err != nil {
		return incentive.Honorarium{}, err
	}
	if len(rows) == 0 {
		return incentive.Honorarium{}, errs.NotFoundf("honorarium %d not found", id)
	}
	return rows[0], nil
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
			"approved_by": row.ApprovedBy, "approved_at": row.ApprovedAt, "paid_by": row.PaidBy, "paid_at": row.PaidAt,
			"paid_on": dateText(h.Payment.On), "payment_ref": row.PaymentRef}).Error; err != nil {
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

// List implements incentive.Store.
func (s IncentiveStore) List(ctx context.Context, inst int64, f incentive.Filter) ([]incentive.Honorarium, error) {
	where, args := []string{"h.institution_id = ?"}, []any{inst}
	if f.CourseID != 0 {
		where, args = append(where, "h.course_id = ?"), append(args, f.CourseID)
	}
	if f.PersonID != 0 {
		where, args = append(where, "h.person_id = ?"), append(args, f.PersonID)
	}
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, x := range f.Statuses {
			st[i] = string(x)
		}
		where, args = append(where, "h.status IN ?"), append(args, st)
	}
	if f.Month != 0 {
		where, args = append(where, "h.month = ?"), append(args, f.Month)
	}
	if f.Year != 0 {
		where, args = append(where, "h.fiscal_year = ?"), append(args, f.Year)
	}
	return s.rows(ctx, strings.Join(where, " AND ")+" ORDER BY h.id LIMIT 100000", args...)
}

// CompletedBookings implements incentive.Store: completed bookings of a
// course without a ledger row.
func (s IncentiveStore) CompletedBookings(ctx context.Context, inst, courseID int64) ([]int64, error) {
	if err := courseExists(ctx, s.DB, inst, courseID); err != nil {
		return nil, err
	}
	var ids []int64
	err := conn(ctx, s.DB).Raw(`SELECT b.id FROM bookings b JOIN sessions s ON s.id = b.session_id
		WHERE b.institution_id = ? AND s.course_id = ? AND b.status = 'completed'
		AND NOT EXISTS (SELECT 1 FROM honoraria h WHERE h.booking_id = b.id) ORDER BY lower(b.during), b.id`, inst, courseID).Scan(&ids).Error
	return ids, err
}

// dateOrNil is a civil date for a date column, or NULL for the zero time.
func dateOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// dateText writes a civil date as YYYY-MM-DD, so that the session's time
// zone cannot shift it, or NULL for the zero time.
func dateText(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}
