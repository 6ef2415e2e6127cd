// Package idempotency describes how the first response to an
// Idempotency-Key is remembered, so that a retried write returns it again
// instead of acting twice.
package idempotency

import (
	"context"
	"time"
)

// Response is a recorded response, or one still being made. Body is sealed
// by the caller: the store never holds a response in clear.
type Response struct {
	Running     bool
	RequestHash []byte
	Status      int
	ContentType string
	// Headers are the response headers replayed with the body (Location,
	// ETag).
	Headers map[string]string
	Body    []byte
}

// Claim names one remembered request: the API key that made it (replays
// with another key never meet it), its institution and the hash of its
// Idempotency-Key.
type Claim struct {
	KeyID, InstitutionID int64
	KeyHash              []byte
}

// Store remembers responses per API key and Idempotency-Key.
type Store interface {
	// Begin claims c for a request with hash until now+lease. started is
	// true when this request is the first with the key (records older than
	// ttl, and claims whose lease ran out, are dropped first); otherwise
	// prev is what the first request left.
	Begin(ctx context.Context, c Claim, hash []byte, now time.Time, lease, ttl time.Duration) (prev Response, started bool, err error)
	// Finish records the response to a claimed key.
	Finish(ctx context.Context, c Claim, r Response) error
	// Abandon releases a claim whose request failed on the server's side.
	Abandon(ctx context.Context, c Claim) error
}
