package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestInputLimits: text, dates and numbers outside their declared limits
// are 422 naming the field, never stored.
func TestInputLimits(t *testing.T) {
	e := newEnv(t)
	person := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	course := e.course(e.staffA)
	session := e.mustSession(course, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	withName := func(name string) map[string]any {
		b := practitionerJSON("x@example.id")
		b["name"] = name
		return b
	}
	rate := map[string]any{"regulation": "SK", "fiscal_year": 2026, "funding": "APBD", "region": "Sulsel", "class": "penceramah",
		"unit": "per_jp", "amount": 1000}
	with := func(m map[string]any, k string, v any) map[string]any {
		c := map[string]any{}
		for kk, vv := range m {
			c[kk] = vv
		}
		c[k] = v
		return c
	}
	tests := []struct {
		name, method, path, key string
		body                    any
		field                   string
	}{
		{"NUL in a name", "POST", "/v1/people", e.staffA, withName("Dewi\x00"), "name"},
		{"a 900 KiB name", "POST", "/v1/people", e.staffA, withName(strings.Repeat("a", 900<<10)), "name"},
		{"CR/LF in a venue", "PATCH", fmt.Sprintf("/v1/sessions/%d", session), e.staffA, map[string]any{"venue": "Aula\r\nX: y"}, "venue"},
		{"CR/LF in a topic", "POST", fmt.Sprintf("/v1/courses/%d/sessions", course), e.staffA, map[string]any{"topic": "A\nB",
			"start": "2026-12-08T09:00", "end": "2026-12-08T10:30", "zone": "Asia/Makassar", "mode": "offline", "venue": "Aula"}, "topic"},
		{"an escape in an expertise", "PATCH", fmt.Sprintf("/v1/people/%d", person), e.staffA, map[string]any{"expertise": []string{"\x1b[31m"}}, "expertise[0]"},
		{"year 9999 in a course", "POST", "/v1/courses", e.staffA, map[string]any{"name": "X", "organising_unit": "U", "funding": "APBN",
			"region": "R", "start_date": "9999-01-01", "end_date": "9999-12-31"}, "start_date"},
		{"a session in year 1", "PATCH", fmt.Sprintf("/v1/sessions/%d", session), e.staffA, map[string]any{"start": "0001-01-01T09:00:00Z",
			"end": "0001-01-01T10:00:00Z"}, "start"},
		{"a 900 KiB region on a rate table", "POST", "/v1/rate-tables", e.staffA, with(rate, "region", strings.Repeat("r", 900<<10)), "region"},
		{"fiscal year 9999", "POST", "/v1/rate-tables", e.staffA, with(rate, "fiscal_year", 9999), "fiscal_year"},
		{"a ceiling flag from staff", "POST", "/v1/rate-tables", e.staffA, with(rate, "ceiling", true), "ceiling"},
		{"a negative amount", "POST", "/v1/rate-tables", e.staffA, with(rate, "amount", -5), "amount"},
		{"experience of 500 years", "PATCH", fmt.Sprintf("/v1/people/%d", person), e.staffA, map[string]any{"experience_years": 500}, "experience_years"},
		{"a holiday in 1900", "POST", "/v1/holidays", e.admin, map[string]any{"date": "1900-08-17", "kind": "libur_nasional",
			"name_id": "X", "source": "Y"}, "date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.key, tt.body)
			e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
			if r.field(tt.field) == "" {
				t.Fatalf("no problem named for %s: %s", tt.field, r.Raw)
			}
		})
	}
	queries := []struct{ name, path, field string }{
		{"NUL in q", "/v1/people?q=a%00b", "q"},
		{"invalid UTF-8 in q", "/v1/people?q=%FF", "q"},
		{"slots from year 1", fmt.Sprintf("/v1/sessions/%d/slots?from=0001-01-01T00:00:00Z&to=0001-02-01T00:00:00Z", session), "from"},
		{"freebusy in year 9999", fmt.Sprintf("/v1/people/%d/freebusy?from=9999-01-01T00:00&to=9999-01-02T00:00", person), "from"},
	}
	for _, tt := range queries {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do("GET", tt.path, e.staffA, nil)
			e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
			if r.field(tt.field) == "" {
				t.Fatalf("no problem named for %s: %s", tt.field, r.Raw)
			}
		})
	}
	t.Run("a competency description keeps its newlines and is escaped in JSON", func(t *testing.T) {
		r := e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "teknis", "code": "k-multi", "name": "Multi",
			"description": "baris satu\nbaris <dua>"})
		e.expect(r, http.StatusCreated, "")
		if !strings.Contains(string(r.Raw), `baris satu\nbaris \u003cdua\u003e`) {
			t.Fatalf("%s", r.Raw)
		}
	})
	t.Run("the session stayed as it was and its invite and feed still answer", func(t *testing.T) {
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d", session), e.staffA, nil)
		if r.Body["venue"] != "Aula BPSDM" {
			t.Fatalf("%s", r.Raw)
		}
		b := e.book(session, person, "co_trainer")
		e.expect(b, http.StatusCreated, "")
		e.expect(e.transition(e.staffA, b.id(), "invited"), http.StatusOK, "")
		e.expect(e.do("GET", fmt.Sprintf("/v1/bookings/%d/invite.ics", b.id()), e.staffA, nil), http.StatusOK, "")
	})
}

// TestKeyRevocationsAreAudited: revoking a key writes an audit row whose
// after holds revoked_at, and archiving a person does so for each of the
// person's keys.
func TestKeyRevocationsAreAudited(t *testing.T) {
	e := newEnv(t)
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	issue := func() int64 {
		r := e.do("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.staffA, map[string]any{"role": "trainer", "person_id": p})
		e.expect(r, http.StatusCreated, "")
		return r.id()
	}
	revokedAt := func(key int64) string {
		var row struct{ After []byte }
		must(t, e.db.Raw(`SELECT after FROM audit_log WHERE entity = 'api_key' AND entity_id = ? AND action = 'revoke'`, key).Scan(&row).Error)
		var m map[string]any
		_ = json.Unmarshal(row.After, &m)
		s, _ := m["revoked_at"].(string)
		return s
	}
	k1, k2 := issue(), issue()
	e.expect(e.do("DELETE", fmt.Sprintf("/v1/api-keys/%d", k1), e.staffA, nil), http.StatusNoContent, "")
	if revokedAt(k1) == "" {
		t.Fatal("the revoke audit row lacks revoked_at")
	}
	e.expect(e.do("DELETE", fmt.Sprintf("/v1/people/%d", p), e.staffA, nil), http.StatusNoContent, "")
	if revokedAt(k2) == "" {
		t.Fatal("archiving the person left no audit row for its key")
	}
	var n int64
	must(t, e.db.Raw(`SELECT count(*) FROM api_keys WHERE person_id = ? AND revoked_at IS NULL`, p).Scan(&n).Error)
	if n != 0 {
		t.Fatalf("%d keys still live", n)
	}
}

// TestAccrueRefusesWhatItWouldIgnore: a class with a whole course, or a
// course beside a booking, would be dropped; it is 422 instead.
func TestAccrueRefusesWhatItWouldIgnore(t *testing.T) {
	e := newEnv(t)
	course := e.course(e.staffA)
	for _, body := range []map[string]any{{"course_id": course, "class": "penceramah"}, {"course_id": course, "booking_id": 1}} {
		r := e.do("POST", "/v1/honoraria/accrue", e.staffA, body)
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	}
}
