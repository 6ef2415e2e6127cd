package api_test

import (
	"net/http"
	"testing"

	"sinergi/api"
)

func TestRateLimits(t *testing.T) {
	e := newEnv(t)
	d := e.srv.Deps
	d.KeyRate, d.ClientRate, d.Registry = 1, 3, nil // bursts of 2 per key, 6 per client address
	srv, err := api.New(d)
	must(t, err)
	e.srv = srv
	codes := func(key string, n int) []int {
		var out []int
		for i := 0; i < n; i++ {
			out = append(out, e.do("GET", "/v1/competencies", key, nil, "X-Forwarded-For", "").Status)
		}
		return out
	}
	got := codes(e.staffA, 3)
	if got[0] != 200 || got[1] != 200 || got[2] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v", got)
	}
	r := e.do("GET", "/v1/competencies", e.staffA, nil)
	e.expect(r, http.StatusTooManyRequests, "rate_limited")
	if r.Header.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
	t.Run("another key has its own budget", func(t *testing.T) {
		if got := codes(e.staffB, 1); got[0] != 200 {
			t.Fatalf("%v", got)
		}
	})
	t.Run("the client address is limited too, probes are not", func(t *testing.T) {
		for i := 0; i < 10; i++ {
			e.do("GET", "/verify/AAAAAA-AAAAAA-AAAAAA-AAAAAA", "", nil)
		}
		e.expect(e.do("GET", "/verify/AAAAAA-AAAAAA-AAAAAA-AAAAAA", "", nil, "Accept", "application/json"), http.StatusTooManyRequests, "rate_limited")
		e.expect(e.do("GET", "/healthz", "", nil), http.StatusOK, "")
	})
}
