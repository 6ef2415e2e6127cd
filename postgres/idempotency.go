package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/idempotency"
)

// IdempotencyStore keeps the first response to each Idempotency-Key.
type IdempotencyStore struct{ DB *gorm.DB }

// Begin implements idempotency.Store.
func (s IdempotencyStore) Begin(ctx context.Context, c idempotency.Claim, hash []byte, now time.Time, lease, ttl time.Duration) (prev idempotency.Response, started bool, err error) {
	db := conn(ctx, s.DB)
	if err := db.Exec(`DELETE FROM idempotency_keys WHERE api_key_id = ? AND key_hash = ?
		AND (created_at < ? OR (state = 'running' AND lease_until < ?))`, c.KeyID, c.KeyHash, now.Add(-ttl), now).Error; err != nil {
		return prev, false, fmt.Errorf("expire idempotency key: %w", err)
	}
	var inserted []int
	if err := db.Raw(`INSERT INTO idempotency_keys (api_key_id, key_hash, institution_id, request_hash, state, lease_until, created_at)
		VALUES (?, ?, ?, ?, 'running', ?, ?) ON CONFLICT DO NOTHING RETURNING 1`,
		c.KeyID, c.KeyHash, c.InstitutionID, hash, now.Add(lease), now).Scan(&inserted).Error; err != nil {
		return prev, false, fmt.Errorf("claim idempotency key: %w", err)
	}
	if len(inserted) == 1 {
		return prev, true, nil
	}
	var row struct {
		State       string
		RequestHash []byte
		Status      *int
		ContentType *string
		Headers     []byte
		Body        []byte
	}
	if err := db.Raw(`SELECT state, request_hash, status, content_type, headers, body FROM idempotency_keys
		WHERE api_key_id = ? AND key_hash = ?`, c.KeyID, c.KeyHash).Scan(&row).Error; err != nil {
		return prev, false, fmt.Errorf("read idempotency key: %w", err)
	}
	prev = idempotency.Response{Running: row.State == "running", RequestHash: row.RequestHash, Body: row.Body}
	if row.Status != nil {
		prev.Status = *row.Status
	}
	if row.ContentType != nil {
		prev.ContentType = *row.ContentType
	}
	_ = json.Unmarshal(row.Headers, &prev.Headers)
	return prev, false, nil
}

// Finish implements idempotency.Store.
func (s IdempotencyStore) Finish(ctx context.Context, c idempotency.Claim, r idempotency.Response) error {
	return conn(ctx, s.DB).Exec(`UPDATE idempotency_keys SET state = 'done', lease_until = NULL, status = ?, content_type = ?,
		headers = ?, body = ? WHERE api_key_id = ? AND key_hash = ?`, r.Status, r.ContentType, jsonOrNil(r.Headers), r.Body,
		c.KeyID, c.KeyHash).Error
}

// Abandon implements idempotency.Store.
func (s IdempotencyStore) Abandon(ctx context.Context, c idempotency.Claim) error {
	return conn(ctx, s.DB).Exec(`DELETE FROM idempotency_keys WHERE api_key_id = ? AND key_hash = ?`, c.KeyID, c.KeyHash).Error
}

// Purge deletes records older than ttl and claims whose lease ran out.
func (s IdempotencyStore) Purge(ctx context.Context, now time.Time, ttl time.Duration) (int64, error) {
	res := conn(ctx, s.DB).Exec(`DELETE FROM idempotency_keys WHERE created_at < ? OR (state = 'running' AND lease_until < ?)`,
		now.Add(-ttl), now)
	return res.RowsAffected, res.Error
}
