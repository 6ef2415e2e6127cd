package api_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	"sinergi/api"
	"sinergi/app"
	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

// TestForwardedForNeedsATrustedProxy shows that a client cannot escape
// the per-client limit by inventing X-Forwarded-For addresses, unless the
// peer is a proxy named in TrustedProxies.
func TestForwardedForNeedsATrustedProxy(t *testing.T) {
	e := newEnv(t)
	probe := func(srv *api.Server, n int) (limited int) {
		e.srv = srv
		for i := 0; i < n; i++ {
			r := e.do("GET", "/verify/AAAAAA-AAAAAA-AAAAAA-AAAAAA", "", nil, "Accept", "application/json",
				"X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i))
			if r.Status == http.StatusTooManyRequests {
				limited++
			}
		}
		return limited
	}
	d := e.srv.Deps
	d.ClientRate, d.Registry = 1, nil // a burst of 2 per client address
	untrusting, err := api.New(d)
	must(t, err)
	if limited := probe(untrusting, 10); limited != 8 {
		t.Fatalf("with no trusted proxy, %d of 10 varied X-Forwarded-For requests were limited, want 8", limited)
	}
	d.TrustedProxies, d.Registry = []string{"192.0.2.0/24"}, nil // httptest's peer is 192.0.2.1
	trusting, err := api.New(d)
	must(t, err)
	if limited := probe(trusting, 10); limited != 0 {
		t.Fatalf("behind a trusted proxy each forwarded address has its own budget; %d limited", limited)
	}
	d.TrustedProxies, d.Registry = []string{"not-an-address"}, nil
	if _, err := api.New(d); err == nil {
		t.Fatal("a bad proxy was accepted")
	}
}

// TestSlowDatabaseAnswers503 holds a lock the request needs; the served
// pool's statement_timeout cancels the waiting statement and the request
// answers 503 unavailable with Retry-After, then recovers by itself.
func TestSlowDatabaseAnswers503(t *testing.T) {
	e := newEnv(t)
	var name string
	must(t, e.db.Raw("SELECT current_database()").Scan(&name).Error)
	u, err := url.Parse(os.Getenv(pgtest.EnvURL))
	must(t, err)
	u.Path = "/" + name
	db, err := postgres.OpenWith(context.Background(), u.String(), postgres.Options{MaxConns: 4, StatementTimeout: 200 * time.Millisecond,
		StallTimeout: 2 * time.Second})
	must(t, err)
	t.Cleanup(func() { postgres.Close(db) })
	a, err := app.New(db, app.Config{BaseURL: "https://sinergi.example.id", KEK: make([]byte, 32), Now: func() time.Time { return e.testTime }})
	must(t, err)
	e.srv = a.API
	e.createPerson(e.staffA, practitionerJSON("p@example.id"))

	tx := e.db.Begin()
	must(t, tx.Exec("LOCK TABLE people IN ACCESS EXCLUSIVE MODE").Error)
	r := e.do("GET", "/v1/people", e.staffA, nil)
	must(t, tx.Rollback().Error)
	e.expect(r, http.StatusServiceUnavailable, "unavailable")
	if r.Header.Get("Retry-After") == "" {
		t.Fatalf("no Retry-After: %v", r.Header)
	}
	e.expect(e.do("GET", "/v1/people", e.staffA, nil), http.StatusOK, "")
}
