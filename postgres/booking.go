package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/scheduling"
)

type bookingRow struct {
	ID            int64
	InstitutionID int64
	SessionID     int64
	PersonID      int64
	Role          string
	Status        string
	Start         time.Time
	End           time.Time
	Zone          string
	UID           string `gorm:"column:uid"`
	Sequence      int
	Flags         []byte
	Forced        bool
	ActualJP      *int `gorm:"column:actual_jp"`
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// bookingSelect reads bookings with their range split into two columns
// and the venue zone of their session.
const bookingSelect = `SELECT id, institution_id, session_id, person_id, role, status, lower(during) AS start,
	upper(during) AS "end", (SELECT zone FROM sessions WHERE sessions.id = bookings.session_id) AS zone, uid, sequence, flags, forced, actual_jp, version, created_at, updated_at FROM bookings`

func (r bookingRow) toDomain() scheduling.Booking {
	flags := []string{}
	_ = json.Unmarshal(r.Flags, &flags)
	jp := 0
	if r.ActualJP != nil {
		jp = *r.ActualJP
	}
	return scheduling.Booking{ID: r.ID, InstitutionID: r.InstitutionID, SessionID: r.SessionID, PersonID: r.PersonID,
		Role: scheduling.Role(r.Role), Status: scheduling.Status(r.Status),
		During: scheduling.Interval{Start: r.Start.UTC(), End: r.End.UTC()}, Zone: r.Zone, UID: r.UID, Sequence: r.Sequence, Flags: flags,
		Forced: r.Forced, ActualJP: jp, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// bookingAudit is the audited view of a booking.
func bookingAudit(b scheduling.Booking) map[string]any {
	return map[string]any{"session_id": b.SessionID, "person_id": b.PersonID, "role": b.Role, "status": b.Status,
		"start": b.During.Start, "end": b.During.End, "sequence": b.Sequence, "flags": b.Flags, "actual_jp": b.ActualJP}
}

func scopeWhere(q string, scope scheduling.Scope) (string, []any) {
	var args []any
	if scope.InstitutionID != 0 {
		q += " AND institution_id = ?"
		args = append(args, scope.InstitutionID)
	}
	if scope.PersonID != 0 {
		q += " AND person_id = ?"
		args = append(args, scope.PersonID)
	}
	return q, args
}

func loadBooking(db *gorm.DB, scope scheduling.Scope, id int64, lock ...bool) (scheduling.Booking, error) {
	where, args := scopeWhere(" WHERE id = ?", scope)
	q := bookingSelect + where
	if len(lock) > 0 && lock[0] {
		q += " FOR UPDATE"
	}
	var rows []bookingRow
	if err := db.Raw(q, append([]any{id}, args...)...).Scan(&rows).Error; err != nil {
		return scheduling.Booking{}, fmt.Errorf("load booking %d: %w", id, err)
	}
	if len(rows) == 0 {
		return scheduling.Booking{}, errs.NotFoundf("booking %d not found", id)
	}
	return rows[0].toDomain(), nil
}

// Booking implements scheduling.Store.
func (s SchedulingStore) Booking(ctx context.Context, scope scheduling.Scope, id int64) (scheduling.Booking, error) {
	return loadBooking(conn(ctx, s.DB), scope, id)
}

// clash describes, to institution inst, the active booking of a person that
// [start, end) hits.
func clash(tx *gorm.DB, inst, personID int64, start, end time.Time) error {
	booked, err := SchedulingStore{DB: tx}.Booked(tx.Statement.Context, personID, start, end)
	if err != nil || len(booked) == 0 {
		return scheduling.ErrDoubleBooked
	}
	return scheduling.Clash(inst, booked[0])
}

// CreateBooking implements scheduling.Store. The person's row is locked
// and the travel buffer checked by the use case before; the EXCLUDE
// constraint stays the last word on overlaps.
func (s SchedulingStore) CreateBooking(ctx context.Context, b scheduling.Booking) (scheduling.Booking, error) {
	var out scheduling.Booking
	now := s.now()
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var id int64
		err := tx.Raw(`INSERT INTO bookings (institution_id, session_id, person_id, role, status, during, uid, sequence, flags, forced,
			version, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, tstzrange(?, ?, '[)'), ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
			b.InstitutionID, b.SessionID, b.PersonID, string(b.Role), string(b.Status), b.During.Start, b.During.End, b.UID,
			b.Sequence, jsonOrNil(b.Flags), b.Forced, now, now).Scan(&id).Error
		if err != nil {
			return err
		}
		if out, err = loadBooking(tx, scheduling.Scope{}, id); err != nil {
			return err
		}
		return writeAudit(ctx, tx, b.InstitutionID, "create", "booking", id, nil, bookingAudit(out))
	})
	if err != nil {
		return scheduling.Booking{}, s.bookingError(ctx, b, err)
	}
	return out, nil
}

// bookingError maps the constraints a booking write can break.
func (s SchedulingStore) bookingError(ctx context.Context, b scheduling.Booking, err error) error {
	switch {
	case isCode(err, exclusionViolation):
		return clash(conn(ctx, s.DB), b.InstitutionID, b.PersonID, b.During.Start, b.During.End)
	case isCode(err, uniqueViolation) && constraintOf(err) == "bookings_one_lead":
		return scheduling.ErrLeadTaken.WithDetails(map[string]any{"session_id": b.SessionID})
	case errs.KindOf(err) != errs.Internal:
		return err
	default:
		return fmt.Errorf("write booking of person %d: %w", b.PersonID, err)
	}
}

// LockBooking implements scheduling.Store.
func (s SchedulingStore) LockBooking(ctx context.Context, scope scheduling.Scope, id int64) (scheduling.Booking, error) {
	return loadBooking(conn(ctx, s.DB), scope, id, true)
}

// SaveBooking implements scheduling.Store.
func (s SchedulingStore) SaveBooking(ctx context.Context, before, after scheduling.Booking) (scheduling.Booking, error) {
	var out scheduling.Booking
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var jp *int
		if after.ActualJP != 0 {
			jp = &after.ActualJP
		}
		if err := tx.Exec(`UPDATE bookings SET status = ?, during = tstzrange(?, ?, '[)'), sequence = ?, flags = ?, actual_jp = ?,
			version = version + 1, updated_at = ? WHERE id = ?`, string(after.Status), after.During.Start, after.During.End,
			after.Sequence, jsonOrNil(after.Flags), jp, s.now(), before.ID).Error; err != nil {
			return err
		}
		var err error
		if out, err = loadBooking(tx, scheduling.Scope{}, before.ID); err != nil {
			return err
		}
		action := "transition"
		if before.Status == after.Status {
			action = "update"
		}
		return writeAudit(ctx, tx, out.InstitutionID, action, "booking", before.ID, bookingAudit(before), bookingAudit(out))
	})
	if err != nil {
		return scheduling.Booking{}, s.bookingError(ctx, after, err)
	}
	return out, nil
}
