package postgres_test

import (
	"context"
	"crypto/sha256"
	"testing"
	"time"

	"sinergi/idempotency"
	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

func claim(key string) idempotency.Claim {
	h := sha256.Sum256([]byte(key))
	return idempotency.Claim{KeyID: 1, InstitutionID: 0, KeyHash: h[:]}
}

func TestIdempotencyPurge(t *testing.T) {
	db := pgtest.NewDB(t)
	s := postgres.IdempotencyStore{DB: db}
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for i, key := range []string{"old", "new"} {
		at := now.Add(time.Duration(i-1) * 25 * time.Hour) // old: 25 h before now
		if _, started, err := s.Begin(ctx, claim(key), []byte{1}, at, 30*time.Second, 24*time.Hour); err != nil || !started {
			t.Fatalf("begin %s: %v %v", key, started, err)
		}
		if err := s.Finish(ctx, claim(key), idempotency.Response{Status: 201, ContentType: "application/json", Body: []byte("{}")}); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.Purge(ctx, now, 24*time.Hour)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v", n, err)
	}
	prev, started, err := s.Begin(ctx, claim("new"), []byte{1}, now, 30*time.Second, 24*time.Hour)
	if err != nil || started || prev.Status != 201 {
		t.Fatalf("the recent key was lost: %+v %v %v", prev, started, err)
	}
}

func TestIdempotencyLease(t *testing.T) {
	db := pgtest.NewDB(t)
	s := postgres.IdempotencyStore{DB: db}
	ctx := context.Background()
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	if _, started, err := s.Begin(ctx, claim("k"), []byte{1}, now, 30*time.Second, 24*time.Hour); err != nil || !started {
		t.Fatalf("first claim: %v %v", started, err)
	}
	// The request died without finishing: within the lease the key is busy…
	prev, started, err := s.Begin(ctx, claim("k"), []byte{1}, now.Add(10*time.Second), 30*time.Second, 24*time.Hour)
	if err != nil || started || !prev.Running {
		t.Fatalf("within the lease: started=%v running=%v err=%v", started, prev.Running, err)
	}
	// …and past it a retry takes it over.
	if _, started, err := s.Begin(ctx, claim("k"), []byte{1}, now.Add(31*time.Second), 30*time.Second, 24*time.Hour); err != nil || !started {
		t.Fatalf("after the lease: started=%v err=%v", started, err)
	}
	other := claim("k")
	other.KeyID = 2
	if _, started, err := s.Begin(ctx, other, []byte{1}, now, 30*time.Second, 24*time.Hour); err != nil || !started {
		t.Fatalf("another API key shares the record: started=%v err=%v", started, err)
	}
}
