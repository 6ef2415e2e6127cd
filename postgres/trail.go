package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"sinergi/audit"
)

// BookingTrail implements scheduling.TrailStore.
func (s SchedulingStore) BookingTrail(ctx context.Context, inst, bookingID int64) ([]audit.Entry, error) {
	var rows []struct {
		At            time.Time
		Action        string
		Entity        string
		EntityID      *int64
		ActorRole     string
		ActorUserID   *int64
		ActorKeyID    *int64
		Before, After []byte
		ActorName     string
	}
	err := conn(ctx, s.DB).Raw(`SELECT a.at, a.action, a.entity, a.entity_id, a.actor_role, a.actor_user_id, a.actor_key_id,
		a.before, a.after, `+actorName+`
		FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
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
			ActorUserID: deref(r.ActorUserID), ActorKeyID: deref(r.ActorKeyID), ActorName: r.ActorName, Changes: auditChanges(r.Before, r.After)}
	}
	return out, nil
}

// PersonHistory implements profile.Store.
func (s PeopleStore) PersonHistory(ctx context.Context, inst, id, before int64, limit int) ([]audit.Entry, error) {
	var rows []struct {
		ID            int64
		At            time.Time
		Action        string
		ActorRole     string
		ActorUserID   *int64
		ActorKeyID    *int64
		Before, After []byte
		ActorName     string
	}
	q := conn(ctx, s.DB).Table("audit_log a").Joins("LEFT JOIN users u ON u.id = a.actor_user_id").
		Select("a.id, a.at, a.action, a.actor_role, a.actor_user_id, a.actor_key_id, a.before, a.after, "+actorName).
		Where("a.institution_id = ? AND a.entity = 'person' AND a.entity_id = ?", inst, id)
	if before > 0 {
		q = q.Where("a.id < ?", before)
	}
	if err := q.Order("a.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("person history: %w", err)
	}
	out := make([]audit.Entry, len(rows))
	for i, r := range rows {
		out[i] = audit.Entry{ID: r.ID, At: r.At, Action: r.Action, Entity: "person", EntityID: id, ActorRole: r.ActorRole,
			ActorUserID: deref(r.ActorUserID), ActorKeyID: deref(r.ActorKeyID), ActorName: r.ActorName, Changes: auditChanges(r.Before, r.After)}
	}
	return out, nil
}

// actorName selects the console user who acted by name, or e-mail when
// unnamed (users u joined on the actor).
const actorName = "COALESCE(NULLIF(u.name, ''), u.email, '') AS actor_name"

// auditChanges are the fields an audit row's change touched, from its before
// and after images; images that are not JSON objects (a list of
// competencies) name no fields.
func auditChanges(beforeImage, afterImage []byte) []audit.Change {
	var before, after map[string]json.RawMessage
	_ = json.Unmarshal(beforeImage, &before)
	_ = json.Unmarshal(afterImage, &after)
	if before == nil || after == nil {
		return nil
	}
	return audit.Diff(before, after)
}
