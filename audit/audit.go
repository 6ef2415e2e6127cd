// Package audit carries who is acting through a context so that every store
// write can record it in the audit log in the same transaction.
package audit

import (
	"context"
	"time"
)

// Actor is the principal behind a change.
type Actor struct {
	// KeyID is the API key used, or 0 for the command line.
	KeyID int64
	// Role is admin, staff, trainer, system or a similar label.
	Role string
	// InstitutionID is the tenant of the actor, or 0 for platform actors.
	InstitutionID int64
	// PersonID is set for trainer keys.
	PersonID int64
	// UserID is the console user who acted, or 0 for a key or the command line.
	UserID int64
	// RequestID ties the change to an access-log line.
	RequestID string
}

type actorKey struct{}

// WithActor returns a context carrying the actor.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or a system actor when none is set.
func ActorFrom(ctx context.Context) Actor {
	if a, ok := ctx.Value(actorKey{}).(Actor); ok {
		return a
	}
	return Actor{Role: "system"}
}

// Entry is one row of the audit log as people read it.
type Entry struct {
	// ID orders entries (and pages a long history).
	ID       int64
	At       time.Time
	Action   string
	Entity   string
	EntityID int64
	// ActorRole, ActorUserID and ActorKeyID say who acted: a console user,
	// an API key, or neither (the command line, the system).
	ActorRole   string
	ActorUserID int64
	ActorKeyID  int64
}
