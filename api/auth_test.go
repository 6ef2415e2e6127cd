package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"
)

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	t.Run("missing key is 401", func(t *testing.T) {
		e.expect(e.do("GET", "/v1/people", "", nil), http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("unknown key is 401", func(t *testing.T) {
		e.expect(e.do("GET", "/v1/people", "snrg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", nil), http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("a scheme other than Bearer is 401", func(t *testing.T) {
		r := e.do("GET", "/v1/people", "", nil, "Authorization", "Basic "+e.staffA)
		e.expect(r, http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("revoked key is 401", func(t *testing.T) {
		r := e.do("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.staffA, map[string]any{"role": "staff"})
		e.expect(r, http.StatusCreated, "")
		secret := r.Body["secret"].(string)
		e.expect(e.do("GET", "/v1/people", secret, nil), http.StatusOK, "")
		e.expect(e.do("DELETE", fmt.Sprintf("/v1/api-keys/%d", r.id()), e.staffA, nil), http.StatusNoContent, "")
		e.expect(e.do("GET", "/v1/people", secret, nil), http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("a key revoked elsewhere stops working within a second", func(t *testing.T) {
		r := e.do("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.staffA, map[string]any{"role": "staff"})
		e.expect(r, http.StatusCreated, "")
		secret := r.Body["secret"].(string)
		e.expect(e.do("GET", "/v1/people", secret, nil), http.StatusOK, "")
		// Another replica revokes it: this one learns at the latest when
		// its cached answer, under a second old, expires.
		must(t, e.tenants.Store.RevokeKey(context.Background(), r.id()))
		e.testTime = e.testTime.Add(time.Second)
		e.expect(e.do("GET", "/v1/people", secret, nil), http.StatusUnauthorized, "unauthenticated")
	})
	t.Run("keys are stored hashed, never in clear", func(t *testing.T) {
		var n int64
		must(t, e.db.Raw("SELECT count(*) FROM api_keys WHERE encode(hash, 'escape') LIKE '%snrg_%'").Scan(&n).Error)
		if n != 0 {
			t.Fatalf("%d keys stored in clear", n)
		}
		var short int64
		must(t, e.db.Raw("SELECT count(*) FROM api_keys WHERE length(hash) <> 32").Scan(&short).Error)
		if short != 0 {
			t.Fatalf("%d hashes are not 32 bytes", short)
		}
	})
}

func TestRoles(t *testing.T) {
	e := newEnv(t)
	pid := e.createPerson(e.staffA, practitionerJSON("marthen@example.id"))
	other := e.createPerson(e.staffA, practitionerJSON("other@example.id"))
	trainer := e.key("trainer", e.instA, pid)
	tests := []struct {
		name, method, path, key string
		body                    any
		status                  int
		code                    string
	}{
		{"staff may not create institutions", "POST", "/v1/institutions", e.staffA,
			map[string]any{"code": "X-1", "name": "Xyz", "kind": "lainnya", "zone": "Asia/Jakarta"}, 403, "forbidden"},
		{"admin may not read rosters", "GET", "/v1/people", e.admin, nil, 403, "forbidden"},
		{"trainer may not list the roster", "GET", "/v1/people", trainer, nil, 403, "forbidden"},
		{"trainer may not create people", "POST", "/v1/people", trainer, practitionerJSON("x@example.id"), 403, "forbidden"},
		{"trainer reads self", "GET", fmt.Sprintf("/v1/people/%d", pid), trainer, nil, 200, ""},
		{"trainer may not read a colleague", "GET", fmt.Sprintf("/v1/people/%d", other), trainer, nil, 403, "forbidden"},
		{"trainer may not archive self", "DELETE", fmt.Sprintf("/v1/people/%d", pid), trainer, nil, 403, "forbidden"},
		{"trainer updates own phone", "PATCH", fmt.Sprintf("/v1/people/%d", pid), trainer, map[string]any{"phone": "0811111111"}, 200, ""},
		{"trainer may not change own employment", "PATCH", fmt.Sprintf("/v1/people/%d", pid), trainer,
			map[string]any{"employment": "pns"}, 403, "forbidden"},
		{"trainer may not issue keys", "POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), trainer,
			map[string]any{"role": "staff"}, 403, "forbidden"},
		{"trainer reads the taxonomy", "GET", "/v1/competencies", trainer, nil, 200, ""},
		{"admin creates institutions", "POST", "/v1/institutions", e.admin,
			map[string]any{"code": "BPSDM-NTT", "name": "BPSDM Provinsi NTT", "kind": "bpsdm_provinsi", "zone": "Asia/Makassar"}, 201, ""},
		{"duplicate institution code is 409", "POST", "/v1/institutions", e.admin,
			map[string]any{"code": "bpsdm-ntt", "name": "BPSDM NTT lagi", "kind": "bpsdm_provinsi", "zone": "Asia/Makassar"}, 409, "duplicate_institution"},
		{"admin issues a staff key for any institution", "POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instB), e.admin,
			map[string]any{"role": "staff"}, 201, ""},
		{"no one issues admin keys over HTTP", "POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.admin,
			map[string]any{"role": "admin"}, 422, "validation_failed"},
		{"trainer key for another institution's person is 404", "POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instB), e.staffB,
			map[string]any{"role": "trainer", "person_id": pid}, 404, "not_found"},
		{"a staff key belongs to no person", "POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.staffA,
			map[string]any{"role": "staff", "person_id": pid}, 422, "validation_failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.expect(e.do(tt.method, tt.path, tt.key, tt.body), tt.status, tt.code)
		})
	}
}

// TestTenantIsolation proves that institution B's staff can neither read,
// change nor list institution A's people, keys or competencies.
func TestTenantIsolation(t *testing.T) {
	e := newEnv(t)
	pid := e.createPerson(e.staffA, widyaiswaraJSON("dewi@bpsdm-a.go.id", "198503102010012003"))
	r := e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "teknis", "code": "irigasi", "name": "Pengelolaan Irigasi"})
	e.expect(r, http.StatusCreated, "")
	compA := r.id()
	r = e.do("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.staffA, map[string]any{"role": "trainer", "person_id": pid})
	e.expect(r, http.StatusCreated, "")
	keyA := r.id()

	person := fmt.Sprintf("/v1/people/%d", pid)
	tests := []struct {
		name, method, path string
		body               any
	}{
		{"read person", "GET", person, nil},
		{"patch person", "PATCH", person, map[string]any{"name": "Dicuri"}},
		{"archive person", "DELETE", person, nil},
		{"replace competencies", "PUT", person + "/competencies", map[string]any{"competencies": []any{}}},
		{"read institution", "GET", fmt.Sprintf("/v1/institutions/%d", e.instA), nil},
		{"list keys", "GET", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), nil},
		{"issue key", "POST", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), map[string]any{"role": "staff"}},
		{"revoke key", "DELETE", fmt.Sprintf("/v1/api-keys/%d", keyA), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name+" of another institution is 404", func(t *testing.T) {
			e.expect(e.do(tt.method, tt.path, e.staffB, tt.body), http.StatusNotFound, "not_found")
		})
	}
	t.Run("nothing of A changed", func(t *testing.T) {
		r := e.do("GET", person, e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		if r.Body["name"] != "Dewi Lestari" || r.Body["archived"] != false {
			t.Fatalf("A's person changed: %s", r.Raw)
		}
		r = e.do("GET", fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA), e.staffA, nil)
		for _, k := range r.items() {
			if k["revoked_at"] != nil {
				t.Fatalf("A's key revoked by B: %v", k)
			}
		}
	})
	t.Run("B's listing has none of A's people", func(t *testing.T) {
		e.createPerson(e.staffB, practitionerJSON("b-only@example.id"))
		r := e.do("GET", "/v1/people?limit=500", e.staffB, nil)
		e.expect(r, http.StatusOK, "")
		items := r.items()
		if len(items) != 1 || items[0]["email"] != "b-only@example.id" {
			t.Fatalf("B sees %v", items)
		}
	})
	t.Run("B's taxonomy hides A's teknis competency and refuses to use it", func(t *testing.T) {
		r := e.do("GET", "/v1/competencies", e.staffB, nil)
		for _, c := range r.items() {
			if c["code"] == "irigasi" {
				t.Fatal("B sees A's competency")
			}
		}
		bp := e.createPerson(e.staffB, practitionerJSON("b2@example.id"))
		r = e.do("PUT", fmt.Sprintf("/v1/people/%d/competencies", bp), e.staffB,
			map[string]any{"competencies": []any{map[string]any{"competency_id": compA, "level": 3}}})
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("competencies[0].competency_id") == "" {
			t.Fatalf("no field named: %s", r.Raw)
		}
	})
	t.Run("a trainer key of A cannot reach B", func(t *testing.T) {
		bp := e.createPerson(e.staffB, practitionerJSON("b3@example.id"))
		trainerA := e.key("trainer", e.instA, pid)
		e.expect(e.do("GET", fmt.Sprintf("/v1/people/%d", bp), trainerA, nil), http.StatusForbidden, "forbidden")
	})
}

func TestSharedPractitionerProfiles(t *testing.T) {
	e := newEnv(t)
	shared := practitionerJSON("shared@example.id")
	shared["share_profile"] = true
	sid := e.createPerson(e.staffA, shared)
	private := e.createPerson(e.staffA, practitionerJSON("private@example.id"))

	e.expect(e.do("GET", fmt.Sprintf("/v1/people/%d", sid), e.staffB, nil), http.StatusOK, "")
	e.expect(e.do("GET", fmt.Sprintf("/v1/people/%d", private), e.staffB, nil), http.StatusNotFound, "not_found")
	e.expect(e.do("PATCH", fmt.Sprintf("/v1/people/%d", sid), e.staffB, map[string]any{"name": "Diubah"}), http.StatusNotFound, "not_found")
	r := e.do("GET", "/v1/people?shared=true", e.staffB, nil)
	if items := r.items(); len(items) != 1 || items[0]["email"] != "shared@example.id" {
		t.Fatalf("shared listing = %s", r.Raw)
	}
	if items := e.do("GET", "/v1/people", e.staffB, nil).items(); len(items) != 0 {
		t.Fatalf("default listing includes shared profiles: %v", items)
	}
}
