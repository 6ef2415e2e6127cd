// Package idempotency describes how the first response to an
// Idempotency-Key is remembered, so that a retried write returns it again
// instead of acting twice.
package idempotency

import (
	"context"
	"time"
)

// Response is a recorded response, or one still being made.
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

// Store remembers responses per institution and key.
type Store interface {
	// Begin claims key for a request with hash. started is true when this
	// request is the first with the key (claims older than ttl are dropped
	// first); otherwise prev is what the first request left.
	Begin(ctx context.Context, inst int64, key string, hash []byte, ttl time.Duration) (prev Response, started bool, err error)
	// Finish records the response to a claimed key.
	Finish(ctx context.Context, inst int64, key string, r Response) error
	// Abandon releases a claim whose request failed on the server's side.
	Abandon(ctx context.Context, inst int64, key string) error
}
