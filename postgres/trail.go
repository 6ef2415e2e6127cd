package postgres

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"sinergi/audit"
)

// BookingTrail implements scheduling.TrailStore.
func (s SchedulingStore) BookingTrail(ctx context.Context, inst, bookingID int64) ([]audit.Entry, error) {
	var rows []struct {
		At          time.Time
		Action      string
		Entity      string
		EntityID    *int64
		ActorRole   string
		ActorUserID *int64
		ActorKeyID  *int64
	}
	err := conn(ctx, s.DB).Raw(`SELECT a.at, a.action, a.entity, a.entity_id, a.actor_role, a.actor_user_id, a.actor_key_id
		FROM audit_log a
		WHERE a.institution_id = @inst AND (
			(a.entity = 'booking' AND a.entity_id = @b)
			OR (a.entity = 'outbox' AND a.after->>'booking_id' = @bs)
			OR (a.entity = 'honorarium' AND a.entity_id IN (SELECT id FROM honoraria WHERE booking_id = @b))
			OR (a.entity = 'itip_message' AND a.entity_id IN (SELECT id FROM itip_messages WHERE booking_id = @b))
			OR (a.entity = 'session' AND a.action = 'update' AND a.entity_id = (SELECT session_id FROM bookings WHERE id = @b)
				AND a.at >= (SELECT created_at FROM bookings WHERE id = @b))
			OR (a.entity = 'certificate' AND a.entity_id IN (
				SELECT c.id FROM certificates c JOIN bookings b ON b.person_id = c.person_id
				JOIN sessions s ON s.id = b.session_id AND s.course_id = c.course_id WHERE b.id = @b)))
		ORDER BY a.at, a.id`, map[string]any{"inst": inst, "b": bookingID, "bs": strconv.FormatInt(bookingID, 10)}).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]audit.Entry, len(rows))
	for i, r := range rows {
		out[i] = audit.Entry{At: r.At, Action: r.Action, Entity: r.Entity, EntityID: deref(r.EntityID), ActorRole: r.ActorRole,
			ActorUserID: deref(r.ActorUserID), ActorKeyID: deref(r.ActorKeyID)}
	}
	return out, nil
}

// PersonHistory implements profile.Store.
func (s PeopleStore) PersonHistory(ctx context.Context, inst, id, before int64, limit int) ([]audit.Entry, error) {
	var rows []struct {
		ID          int64
		At          time.Time
		Action      string
		ActorRole   string
		ActorUserID *int64
		ActorKeyID  *int64
	}
	q := conn(ctx, s.DB).Table("audit_log").Select("id, at, action, actor_role, actor_user_id, actor_key_id").
		Where("institution_id = ? AND entity = 'person' AND entity_id = ?", inst, id)
	if before > 0 {
		q = q.Where("id < ?", before)
	}
	if err := q.Order("id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("person history: %w", err)
	}
	out := make([]audit.Entry, len(rows))
	for i, r := range rows {
		out[i] = audit.Entry{ID: r.ID, At: r.At, Action: r.Action, Entity: "person", EntityID: id, ActorRole: r.ActorRole,
			ActorUserID: deref(r.ActorUserID), ActorKeyID: deref(r.ActorKeyID)}
	}
	return out, nil
}
