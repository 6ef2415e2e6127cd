package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/mailbox"
	"sinergi/scheduling"
)

// CalendarStore reads bookings as calendar data and keeps feed tokens.
type CalendarStore struct {
	DB *gorm.DB
	// Now stamps revocations and deliveries; nil reads the system clock.
	Now func() time.Time
}

type bookingView struct {
	ID            int64
	InstitutionID int64
	PersonID      int64
	UID           string `gorm:"column:uid"`
	Sequence      int
	Status        string
	SessionStatus string
	Start, End    time.Time
	Zone          string
	Topic         string
	CourseName    string
	Venue         string
	Mode          string
	Role          string
	PersonName    string
	PersonEmail   string
	LeadName      string
	Institution   string
	UpdatedAt     time.Time
}

const bookingViewSelect = `SELECT b.id, b.institution_id, b.person_id, b.uid, b.sequence, b.status, s.status AS session_status,
		lower(b.during) AS start, upper(b.during) AS "end", s.zone, s.topic, c.name AS course_name, s.venue, s.mode, b.role,
		p.name AS person_name, p.email AS person_email, i.name AS institution,
		coalesce((SELECT lp.name FROM bookings lb JOIN people lp ON lp.id = lb.person_id WHERE lb.session_id = s.id
			AND lb.role = 'lead' AND booking_active(lb.status) LIMIT 1), '') AS lead_name,
		greatest(b.updated_at, s.updated_at) AS updated_at
	FROM bookings b JOIN sessions s ON s.id = b.session_id JOIN courses c ON c.id = s.course_id
	JOIN people p ON p.id = b.person_id JOIN institutions i ON i.id = b.institution_id`

func (v bookingView) toCalendar() mailbox.Booking {
	return mailbox.Booking{ID: v.ID, PersonID: v.PersonID, UID: v.UID, Sequence: v.Sequence, Status: v.Status, SessionStatus: v.SessionStatus,
		Start: v.Start.UTC(), End: v.End.UTC(), Zone: v.Zone, Topic: v.Topic, CourseName: v.CourseName, Venue: v.Venue, Mode: v.Mode,
		Role: v.Role, PersonName: v.PersonName, PersonEmail: v.PersonEmail, LeadName: v.LeadName, Institution: v.Institution,
		UpdatedAt: v.UpdatedAt.UTC().Truncate(time.Second)}
}

// BookingView returns a booking as calendar data, within scope.
func (s CalendarStore) BookingView(ctx context.Context, scope scheduling.Scope, id int64) (mailbox.Booking, int64, error) {
	q := bookingViewSelect + ` WHERE b.id = ?`
	args := []any{id}
	if scope.InstitutionID != 0 {
		q += ` AND b.institution_id = ?`
		args = append(args, scope.InstitutionID)
	}
	if scope.PersonID != 0 {
		q += ` AND b.person_id = ?`
		args = append(args, scope.PersonID)
	}
	var rows []bookingView
	if err := conn(ctx, s.DB).Raw(q, args...).Scan(&rows).Error; err != nil {
		return mailbox.Booking{}, 0, fmt.Errorf("load booking: %w", err)
	}
	if len(rows) == 0 {
		return mailbox.Booking{}, 0, errs.NotFoundf("booking %d not found", id)
	}
	return rows[0].toCalendar(), rows[0].InstitutionID, nil
}

// BookingByUID finds the booking a calendar UID belongs to.
func (s CalendarStore) BookingByUID(ctx context.Context, uid string) (mailbox.Booking, int64, error) {
	var rows []bookingView
	if err := conn(ctx, s.DB).Raw(bookingViewSelect+` WHERE b.uid = ?`, uid).Scan(&rows).Error; err != nil {
		return mailbox.Booking{}, 0, fmt.Errorf("load booking: %w", err)
	}
	if len(rows) == 0 {
		return mailbox.Booking{}, 0, errs.NotFoundf("no booking with that UID")
	}
	return rows[0].toCalendar(), rows[0].InstitutionID, nil
}

// FeedBookings lists the bookings of a person (or of an institution when
// person is 0) from 90 days back: active ones, and cancelled ones for 30
// days after cancellation.
func (s CalendarStore) FeedBookings(ctx context.Context, inst, person int64) ([]mailbox.Booking, error) {
	q := bookingViewSelect + ` WHERE upper(b.during) > now() - interval '90 days'
		AND (booking_active(b.status) AND s.status = 'scheduled' OR greatest(b.updated_at, s.updated_at) > now() - interval '30 days')`
	var args []any
	if person != 0 {
		q += ` AND b.person_id = ?`
		args = append(args, person)
	} else {
		q += ` AND b.institution_id = ?`
		args = append(args, inst)
	}
	var rows []bookingView
	if err := conn(ctx, s.DB).Raw(q+` ORDER BY lower(b.during), b.id LIMIT 5000`, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("load feed: %w", err)
	}
	out := make([]mailbox.Booking, len(rows))
	for i, r := range rows {
		out[i] = r.toCalendar()
	}
	return out, nil
}

func newToken() (string, []byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(secret))
	return secret, sum[:], nil
}

func hashToken(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// NewFeedToken makes a feed token for a person (or the institution when
// person is 0), revoking the previous one: rotation. Only the hash is kept.
func (s CalendarStore) NewFeedToken(ctx context.Context, inst, person int64) (string, error) {
	secret, hash, err := newToken()
	if err != nil {
		return "", err
	}
	err = conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := revokeFeeds(tx, inst, person, clock(s.Now)); err != nil {
			return err
		}
		var id int64
		// The hash goes last: gorm expands a leading []byte argument.
		if err := tx.Raw(`INSERT INTO feed_tokens (institution_id, person_id, hash) VALUES (?, ?, ?) RETURNING id`,
			inst, nullable(person), hash).Scan(&id).Error; err != nil {
			return fmt.Errorf("store feed token: %w", err)
		}
		return writeAudit(ctx, tx, inst, "create", "feed_token", id, nil, map[string]any{"person_id": person})
	})
	return secret, err
}

func revokeFeeds(tx *gorm.DB, inst, person int64, now time.Time) error {
	q := `UPDATE feed_tokens SET revoked_at = ? WHERE institution_id = ? AND revoked_at IS NULL AND `
	if person == 0 {
		return tx.Exec(q+`person_id IS NULL`, now, inst).Error
	}
	return tx.Exec(q+`person_id = ?`, now, inst, person).Error
}

// FeedActive reports whether a person (or the institution when person is
// 0) has a feed address that still works. The address itself cannot be
// read back: only its hash is kept.
func (s CalendarStore) FeedActive(ctx context.Context, inst, person int64) (bool, error) {
	q := `SELECT EXISTS (SELECT 1 FROM feed_tokens WHERE institution_id = ? AND revoked_at IS NULL AND `
	var active bool
	var err error
	if person == 0 {
		err = conn(ctx, s.DB).Raw(q+`person_id IS NULL)`, inst).Scan(&active).Error
	} else {
		err = conn(ctx, s.DB).Raw(q+`person_id = ?)`, inst, person).Scan(&active).Error
	}
	if err != nil {
		return false, fmt.Errorf("look up feed of person %d: %w", person, err)
	}
	return active, nil
}

// RevokeFeedTokens revokes the feed of a person (or the institution).
func (s CalendarStore) RevokeFeedTokens(ctx context.Context, inst, person int64) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := revokeFeeds(tx, inst, person, clock(s.Now)); err != nil {
			return err
		}
		return writeAudit(ctx, tx, inst, "revoke", "feed_token", 0, nil, map[string]any{"person_id": person})
	})
}

// FeedOwner resolves a feed token to its institution and person.
func (s CalendarStore) FeedOwner(ctx context.Context, secret string) (int64, int64, error) {
	var row struct {
		InstitutionID int64
		PersonID      *int64
	}
	err := conn(ctx, s.DB).Raw(`SELECT institution_id, person_id FROM feed_tokens WHERE hash = ? AND revoked_at IS NULL`,
		hashToken(secret)).Scan(&row).Error
	if err != nil {
		return 0, 0, err
	}
	if row.InstitutionID == 0 {
		return 0, 0, errs.NotFoundf("no such feed")
	}
	return row.InstitutionID, deref(row.PersonID), nil
}
