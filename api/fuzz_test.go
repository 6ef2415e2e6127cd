package api_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzWriteRoutes sends arbitrary bodies to every write route of
// api/openapi.yaml that takes a body (the JSON ones, the raw mail of
// /v1/itip/inbound and the roster file of /v1/people/import) through the
// router; the first byte picks the route. Whatever the body, the answer is
// never a 5xx and every error comes in the envelope with its code. Seeds
// are each route's valid body and a few hostile variants of it. CI runs it
// briefly (.ci/run).
func FuzzWriteRoutes(f *testing.F) {
	e := newEnv(f)
	a := e.newWorld(e.instA, e.staffA, "a", "198503102010012003")
	type target struct {
		specRoute
		path, contentType string
	}
	var routes []target
	for _, r := range specRoutes(f) {
		switch {
		case r.path == "/v1/itip/inbound":
			routes = append(routes, target{r, r.path, "message/rfc822"})
		case r.path == "/v1/people/import" && r.method == "POST":
			routes = append(routes, target{r, r.path + "?dry_run=false", "text/csv"})
		case r.method != "GET" && r.method != "DELETE" && (r.jsonBody || a.body(r.method, r.path) != nil):
			routes = append(routes, target{r, a.path(r.path), "application/json"})
		}
	}
	if len(routes) < 25 {
		f.Fatalf("only %d write routes with a body in the spec", len(routes))
	}
	f.Logf("%d write routes with a body", len(routes))
	for i, r := range routes {
		var raw []byte
		switch r.contentType {
		case "message/rfc822":
			raw = hostileMail()[3]
		case "text/csv":
			raw = []byte("nama,jenis,email,organisasi,unit,kepegawaian,zona_waktu\nHendra Saputra,praktisi,h@example.id,BPBD,Seksi,non_asn,WIB\n")
		default:
			raw, _ = json.Marshal(a.body(r.method, r.specRoute.path))
		}
		f.Add(uint8(i), raw)
		f.Add(uint8(i), []byte(strings.Replace(string(raw), `"`, `"\u0000`, 3)))
		f.Add(uint8(i), []byte(strings.Replace(string(raw), `"`, `"\r\n`, 3)))
		f.Add(uint8(i), []byte(strings.ReplaceAll(string(raw), "2026", "9999")))
	}
	f.Fuzz(func(t *testing.T, pick uint8, body []byte) {
		r := routes[int(pick)%len(routes)]
		call(t, e.srv, r.method, r.path, a.keyFor(e, r.method, r.specRoute.path), body, r.contentType)
	})
}
