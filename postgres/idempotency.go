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
func (s IdempotencyStore) Begin(ctx context.Context, inst int64, key string, hash []byte, ttl time.Duration) (prev idempotency.Response, started bool, err error) {
	db := conn(ctx, s.DB)
	if err := db.Exec(`DELETE FROM idempotency_keys WHERE institution_id = ? AND key = ? AND created_at < now() - make_interval(secs => ?)`,
		inst, key, ttl.Seconds()).Error; err != nil {
		return prev, false, fmt.Errorf("expire idempotency key: %w", err)
	}
	var inserted []int
	if err := db.Raw(`INSERT INTO idempotency_keys (institution_id, key, request_hash, state) VALUES (?, ?, ?, 'running')
		ON CONFLICT DO NOTHING RETURNING 1`, inst, key, hash).Scan(&inserted).Error; err != nil {
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
	if err := db.Raw(`SELECT state, request_hash, status, content_type, headers, body FROM idempotency_keys WHERE institution_id = ? AND key = ?`,
		inst, key).Scan(&row).Error; err != nil {
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
func (s IdempotencyStore) Finish(ctx context.Context, inst int64, key string, r idempotency.Response) error {
	return conn(ctx, s.DB).Exec(`UPDATE idempotency_keys SET state = 'done', status = ?, content_type = ?, headers = ?, body = ?
		WHERE institution_id = ? AND key = ?`, r.Status, r.ContentType, jsonOrNil(r.Headers), r.Body, inst, key).Error
}

// Abandon implements idempotency.Store.
func (s IdempotencyStore) Abandon(ctx context.Context, inst int64, key string) error {
	return conn(ctx, s.DB).Exec(`DELETE FROM idempotency_keys WHERE institution_id = ? AND key = ?`, inst, key).Error
}

// Purge deletes claims older than ttl.
func (s IdempotencyStore) Purge(ctx context.Context, ttl time.Duration) (int64, error) {
	res := conn(ctx, s.DB).Exec(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => ?)`, ttl.Seconds())
	return res.RowsAffected, res.Error
}
