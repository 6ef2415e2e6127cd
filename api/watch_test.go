package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"sinergi/app"
)

// replica is a second instance of the service on the env's database, as
// another server behind the same load balancer: its own caches, its own
// matching index, kept in step by app.Watch. Its matching poll is an hour
// long, so whatever it learns within the test it learns from the
// database's notifications.
func replica(t *testing.T, e *env) (*app.App, *env) {
	t.Helper()
	a, err := app.New(e.db, app.Config{BaseURL: "https://sinergi.example.id", MailFrom: "jadwal@sinergi.example.id",
		Buffer: time.Hour, KEK: bytes.Repeat([]byte{7}, 32), Now: func() time.Time { return e.testTime },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), MatchingPoll: time.Hour})
	must(t, err)
	watch(t, a)
	other := *e
	other.t, other.app, other.srv = t, a, a.API
	return a, &other
}

// watch runs a.Watch until the test ends.
func watch(t *testing.T, a *app.App) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		a.Watch(ctx)
	}()
	t.Cleanup(func() { cancel(); <-done })
}

// eventually waits for cond, failing the test if it has not held after
// ten seconds: a wait for an event, not a measure of its speed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after ten seconds", what)
		}
	}
}

// sees waits until a's matching index, refreshed by nobody but a.Watch,
// holds person id in unit.
func sees(t *testing.T, a *app.App, id int64, unit string) {
	t.Helper()
	eventually(t, fmt.Sprintf("person %d in unit %q", id, unit), func() bool {
		ix := a.Matching.Cache.Current()
		if ix == nil {
			return false
		}
		p, ok := ix.Person(id)
		return ok && p.Unit == unit
	})
}

func TestReplicasFollowNotifications(t *testing.T) {
	e := newEnv(t)
	person := e.createPerson(e.staffA, practitionerJSON("marthen@example.id"))
	b, _ := replica(t, e)
	if _, err := b.Matching.Cache.Index(context.Background()); err != nil {
		t.Fatal(err)
	}
	// The first change may reach b through the refresh its listener asks
	// for on connecting; once b has it, b is listening.
	must(t, e.db.Exec(`UPDATE people SET unit = 'Gudang' WHERE id = ?`, person).Error)
	sees(t, b, person, "Gudang")

	t.Run("a change committed on another connection reaches the index without a request or a poll", func(t *testing.T) {
		must(t, e.db.Exec(`UPDATE people SET unit = 'Distribusi' WHERE id = ?`, person).Error)
		sees(t, b, person, "Distribusi")
		// A ranking there needs no refresh of its own: the index it
		// answers from is the one the notification refreshed.
	})

	t.Run("a key revoked on one replica is refused on the other at once", func(t *testing.T) {
		watch(t, e.app)
		// Once e's index follows a change, e's listener is listening.
		must(t, e.db.Exec(`UPDATE people SET unit = 'Armada' WHERE id = ?`, person).Error)
		sees(t, e.app, person, "Armada")

		r := e.do("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.staffA, map[string]any{"role": "staff"})
		e.expect(r, http.StatusCreated, "")
		secret := r.Body["secret"].(string)
		e.expect(e.do("GET", "/v1/people", secret, nil), http.StatusOK, "") // now in e's key cache
		_, other := replica(t, e)
		other.expect(other.do("DELETE", fmt.Sprintf("/v1/api-keys/%d", r.id()), e.staffA, nil), http.StatusNoContent, "")
		// e's clock stands still, so its cached answer never expires:
		// only the notification can make e refuse the key.
		eventually(t, "the revoked key refused", func() bool {
			return e.do("GET", "/v1/people", secret, nil).Status == http.StatusUnauthorized
		})
		e.expect(e.do("GET", "/v1/people", e.staffA, nil), http.StatusOK, "")
	})
}
