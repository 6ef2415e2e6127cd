package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/evaluation"
)

// EvaluationStore keeps evaluation forms and ratings.
type EvaluationStore struct {
	DB *gorm.DB
	// Now stamps revocations and expiries; nil reads the system clock.
	Now func() time.Time
}

// NewForm makes a form link for a session of inst; only the hash is kept.
func (s EvaluationStore) NewForm(ctx context.Context, inst, sessionID int64, ttl time.Duration) (string, time.Time, error) {
	secret, hash, err := newToken()
	if err != nil {
		return "", time.Time{}, err
	}
	expires := clock(s.Now).Add(ttl).Truncate(time.Second)
	err = conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var n int64
		tx.Raw("SELECT count(*) FROM sessions WHERE id = ? AND institution_id = ?", sessionID, inst).Scan(&n)
		if n == 0 {
			return errs.NotFoundf("session %d not found", sessionID)
		}
		var id int64
		if err := tx.Raw(`INSERT INTO evaluation_forms (institution_id, session_id, expires_at, hash) VALUES (?, ?, ?, ?) RETURNING id`,
			inst, sessionID, expires, hash).Scan(&id).Error; err != nil {
			return fmt.Errorf("create evaluation form: %w", err)
		}
		return writeAudit(ctx, tx, inst, "create", "evaluation_form", id, nil, map[string]any{"session_id": sessionID})
	})
	return secret, expires, err
}

// Form resolves a form link.
func (s EvaluationStore) Form(ctx context.Context, secret string) (evaluation.Form, error) {
	db := conn(ctx, s.DB)
	var row struct {
		ID, InstitutionID, SessionID int64
		Topic, CourseName, Zone      string
		Start, ExpiresAt             time.Time
	}
	err := db.Raw(`SELECT f.id, f.institution_id, f.session_id, s.topic, c.name AS course_name, s.starts_at AS start, s.zone, f.expires_at
		FROM evaluation_forms f JOIN sessions s ON s.id = f.session_id JOIN courses c ON c.id = s.course_id
		WHERE f.hash = ? AND f.revoked_at IS NULL AND f.expires_at > ?`, hashToken(secret), clock(s.Now)).Scan(&row).Error
	if err != nil {
		return evaluation.Form{}, err
	}
	f := evaluation.Form{ID: row.ID, InstitutionID: row.InstitutionID, SessionID: row.SessionID, Topic: row.Topic,
		CourseName: row.CourseName, Start: row.Start, Zone: row.Zone, ExpiresAt: row.ExpiresAt}
	if f.ID == 0 {
		return evaluation.Form{}, errs.NotFoundf("this evaluation form is unknown or closed")
	}
	err = db.Raw(`SELECT b.id AS booking_id, b.person_id, p.name, b.role FROM bookings b JOIN people p ON p.id = b.person_id
		WHERE b.session_id = ? AND b.status IN ('accepted', 'confirmed', 'completed') ORDER BY b.role DESC, p.name`, f.SessionID).Scan(&f.Trainers).Error
	return f, err
}

// Submit stores one participant's ratings of the form's trainers.
func (s EvaluationStore) Submit(ctx context.Context, f evaluation.Form, ratings []evaluation.Rating) error {
	person := map[int64]int64{}
	for _, t := range f.Trainers {
		person[t.BookingID] = t.PersonID
	}
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		for _, r := range ratings {
			mean, norm := r.Mean()
			if err := tx.Exec(`INSERT INTO evaluations (form_id, booking_id, person_id, scores, mean, normalised, comment) VALUES (?, ?, ?, ?, ?, ?, ?)`,
				f.ID, r.BookingID, person[r.BookingID], jsonOrNil(r.Scores), mean, norm, r.Comment).Error; err != nil {
				return fmt.Errorf("store evaluation: %w", err)
			}
		}
		return writeAudit(ctx, tx, f.InstitutionID, "submit", "evaluation_form", f.ID, nil, map[string]any{"ratings": len(ratings)})
	})
}
