package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzWriteRoutes sends arbitrary bodies to every JSON write route of
// api/openapi.yaml through the router; the first byte picks the route.
// Whatever the body, the answer is never a 5xx and every error comes in
// the envelope with its code. Seeds are each route's valid body and a few
// hostile variants of it. CI runs it briefly (.ci/run).
func FuzzWriteRoutes(f *testing.F) {
	e := newEnv(f)
	a := e.newWorld(e.instA, e.staffA, "a", "198503102010012003")
	var routes []specRoute
	for _, r := range specRoutes(f) {
		if r.method != "GET" && r.method != "DELETE" && (r.jsonBody || a.body(r.method, r.path) != nil) {
			routes = append(routes, r)
		}
	}
	if len(routes) < 25 {
		f.Fatalf("only %d JSON write routes in the spec", len(routes))
	}
	for i, r := range routes {
		body := a.body(r.method, r.path)
		raw, _ := json.Marshal(body)
		f.Add(uint8(i), raw)
		f.Add(uint8(i), []byte(strings.Replace(string(raw), `"`, `"\u0000`, 3)))
		f.Add(uint8(i), []byte(strings.Replace(string(raw), `"`, `"\r\n`, 3)))
		f.Add(uint8(i), []byte(strings.ReplaceAll(string(raw), "2026", "9999")))
	}
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		r := routes[int(pick)%len(routes)]
		call(t, e.srv, r.method, a.path(r.path), a.keyFor(e, r.method, r.path), body, "application/json")
	})
}
