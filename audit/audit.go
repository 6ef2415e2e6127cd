// Package audit carries who is acting through a context so that every store
// write can record it in the audit log in the same transaction.
package audit

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
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
	// ActorName is the console user's name, or e-mail when unnamed.
	ActorName string
	// Changes are the fields the change touched, by name.
	Changes []Change
}

// Change is one field a change touched, with its values before and after
// as the log recorded them (JSON text; empty when absent).
type Change struct {
	Field, From, To string
}

// Changed returns the change of field, if the entry has one.
func (e Entry) Changed(field string) (Change, bool) {
	for _, c := range e.Changes {
		if c.Field == field {
			return c, true
		}
	}
	return Change{}, false
}

// Diff returns the top-level fields whose values differ between the before
// and after images of a change, sorted by name.
func Diff(before, after map[string]json.RawMessage) []Change {
	var out []Change
	seen := map[string]bool{}
	for _, m := range []map[string]json.RawMessage{before, after} {
		for k := range m {
			if seen[k] {
				continue
			}
			seen[k] = true
			from, to := text(before[k]), text(after[k])
			if from != to {
				out = append(out, Change{Field: k, From: from, To: to})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// text is a JSON value as text: a string unquoted, null and absence empty.
func text(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if t := strings.TrimSpace(string(raw)); t != "null" {
		return t
	}
	return ""
}
