package postgres_test

import (
	"context"
	"testing"
	"time"

	"sinergi/idempotency"
	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

func TestIdempotencyPurge(t *testing.T) {
	db := pgtest.NewDB(t)
	s := postgres.IdempotencyStore{DB: db}
	ctx := context.Background()
	for _, key := range []string{"old", "new"} {
		if _, started, err := s.Begin(ctx, 0, key, []byte{1}, 24*time.Hour); err != nil || !started {
			t.Fatalf("begin %s: %v %v", key, started, err)
		}
		if err := s.Finish(ctx, 0, key, idempotency.Response{Status: 201, ContentType: "application/json", Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Exec("UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'").Error; err != nil {
		t.Fatal(err)
	}
	n, err := s.Purge(ctx, 24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v", n, err)
	}
	prev, started, err := s.Begin(ctx, 0, "new", []byte{1}, 24*time.Hour)
	if err != nil || started || prev.Status != 201 {
		t.Fatalf("the recent key was lost: %+v %v %v", prev, started, err)
	}
}
