package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreatePersonValidation(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		name   string
		change func(m map[string]any)
		field  string
	}{
		{"NIP of 17 digits", func(m map[string]any) { m["nip"] = "19850310201001200" }, "nip"},
		{"NIP with impossible birth date", func(m map[string]any) { m["nip"] = "198513102010012003" }, "nip"},
		{"NIP with TMT month 00", func(m map[string]any) { m["nip"] = "198503102010002003" }, "nip"},
		{"NIP with sex digit 9", func(m map[string]any) { m["nip"] = "198503102010019003" }, "nip"},
		{"jenjang above golongan", func(m map[string]any) { m["golongan"] = "III/a" }, "golongan"},
		{"unknown jenjang", func(m map[string]any) { m["jenjang"] = "ahli_top" }, "jenjang"},
		{"e-mail without domain", func(m map[string]any) { m["email"] = "dewi@" }, "email"},
		{"foreign phone", func(m map[string]any) { m["phone"] = "+44 20 7946 0958" }, "phone"},
		{"zone outside Indonesia", func(m map[string]any) { m["zone"] = "Asia/Tokyo" }, "zone"},
		{"missing kind", func(m map[string]any) { delete(m, "kind") }, "kind"},
		{"employment unknown", func(m map[string]any) { m["employment"] = "honorer" }, "employment"},
		{"wrong JSON type", func(m map[string]any) { m["experience_years"] = "ten" }, "experience_years"},
		{"unknown field", func(m map[string]any) { m["nik"] = "123" }, "nik"},
	}
	for _, tt := range tests {
		t.Run("rejects "+tt.name, func(t *testing.T) {
			body := widyaiswaraJSON("dewi@bpsdm-a.go.id", "198503102010012003")
			tt.change(body)
			r := e.do("POST", "/v1/people", e.staffA, body)
			e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
			if r.field(tt.field) == "" {
				t.Fatalf("field %s not named: %s", tt.field, r.Raw)
			}
		})
	}
	t.Run("nothing was stored", func(t *testing.T) {
		var n int64
		must(t, e.db.Raw("SELECT count(*) FROM people").Scan(&n).Error)
		if n != 0 {
			t.Fatalf("%d people stored by failed requests", n)
		}
	})
}

func TestCreatePersonNormalisesAndConflicts(t *testing.T) {
	e := newEnv(t)
	body := widyaiswaraJSON(" Dewi.Lestari@BPSDM-A.go.id ", "198503102010012003")
	r := e.do("POST", "/v1/people", e.staffA, body)
	e.expect(r, http.StatusCreated, "")
	if r.Body["email"] != "dewi.lestari@bpsdm-a.go.id" || r.Body["phone"] != "+6281234567890" || r.Body["zone_label"] != "WITA" {
		t.Fatalf("not normalised: %s", r.Raw)
	}
	if r.Header.Get("ETag") != `W/"v1"` || r.Header.Get("Location") != fmt.Sprintf("/v1/people/%d", r.id()) {
		t.Fatalf("headers: %v", r.Header)
	}
	t.Run("same e-mail in any case is 409", func(t *testing.T) {
		dup := widyaiswaraJSON("DEWI.LESTARI@bpsdm-a.go.id", "198601012010012001")
		r := e.do("POST", "/v1/people", e.staffA, dup)
		e.expect(r, http.StatusConflict, "duplicate_person")
		if r.field("email") == "" {
			t.Fatalf("field not named: %s", r.Raw)
		}
	})
	t.Run("same NIP is 409", func(t *testing.T) {
		r := e.do("POST", "/v1/people", e.staffA, widyaiswaraJSON("lain@bpsdm-a.go.id", "198503102010012003"))
		e.expect(r, http.StatusConflict, "duplicate_person")
		if r.field("nip") == "" {
			t.Fatalf("field not named: %s", r.Raw)
		}
	})
	t.Run("the same person may be on another institution's roster", func(t *testing.T) {
		e.expect(e.do("POST", "/v1/people", e.staffB, body), http.StatusCreated, "")
	})
}

func TestPatchPerson(t *testing.T) {
	e := newEnv(t)
	id := e.createPerson(e.staffA, widyaiswaraJSON("dewi@bpsdm-a.go.id", "198503102010012003"))
	path := fmt.Sprintf("/v1/people/%d", id)

	r := e.do("PATCH", path, e.staffA, map[string]any{"jenjang": "ahli_utama", "golongan": "IV/d"}, "If-Match", `W/"v1"`)
	e.expect(r, http.StatusOK, "")
	if r.Body["jenjang"] != "ahli_utama" || r.Header.Get("ETag") != `W/"v2"` {
		t.Fatalf("patch: %s", r.Raw)
	}
	t.Run("a stale If-Match is 412 and changes nothing", func(t *testing.T) {
		e.expect(e.do("PATCH", path, e.staffA, map[string]any{"name": "Lama"}, "If-Match", `W/"v1"`), http.StatusPreconditionFailed, "stale_person")
		if got := e.do("GET", path, e.staffA, nil).Body["name"]; got != "Dewi Lestari" {
			t.Fatalf("name = %v", got)
		}
	})
	t.Run("a patch that breaks a rule is 422", func(t *testing.T) {
		r := e.do("PATCH", path, e.staffA, map[string]any{"golongan": "III/a"})
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("golongan") == "" {
			t.Fatalf("no field: %s", r.Raw)
		}
	})
	t.Run("archived people cannot be changed", func(t *testing.T) {
		e.expect(e.do("DELETE", path, e.staffA, nil), http.StatusNoContent, "")
		e.expect(e.do("PATCH", path, e.staffA, map[string]any{"name": "Baru"}), http.StatusConflict, "archived")
		if items := e.do("GET", "/v1/people", e.staffA, nil).items(); len(items) != 0 {
			t.Fatalf("archived person listed: %v", items)
		}
		if items := e.do("GET", "/v1/people?archived=true", e.staffA, nil).items(); len(items) != 1 {
			t.Fatalf("archived=true lists %d", len(items))
		}
	})
}

func TestCompetencies(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/v1/competencies", e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	types := map[string]int{}
	ids := map[string]int64{}
	for _, c := range r.items() {
		types[c["type"].(string)]++
		ids[c["code"].(string)] = int64(c["id"].(float64))
	}
	if types["manajerial"] != 8 || types["sosial_kultural"] != 1 || ids["perekat_bangsa"] == 0 {
		t.Fatalf("taxonomy = %v", types)
	}
	e.expect(e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "manajerial", "code": "x_y", "name": "Baru"}),
		http.StatusUnprocessableEntity, "validation_failed")
	e.expect(e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "teknis", "code": "integritas", "name": "Bentrok"}),
		http.StatusConflict, "duplicate_competency")
	r = e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "teknis", "code": "PBJ", "name": "Pengadaan Barang/Jasa"})
	e.expect(r, http.StatusCreated, "")
	pbj := r.id()
	e.expect(e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "teknis", "code": "pbj", "name": "Lagi"}),
		http.StatusConflict, "duplicate_competency")

	id := e.createPerson(e.staffA, practitionerJSON("m@example.id"))
	path := fmt.Sprintf("/v1/people/%d/competencies", id)
	r = e.do("PUT", path, e.staffA, map[string]any{"competencies": []any{
		map[string]any{"competency_id": pbj, "level": 4, "years": 6, "sessions_taught": 20, "evidence": "Sertifikat PBJ Level 2"},
		map[string]any{"competency_id": ids["integritas"], "level": 3},
	}})
	e.expect(r, http.StatusOK, "")
	r = e.do("PUT", path, e.staffA, map[string]any{"competencies": []any{map[string]any{"competency_id": pbj, "level": 6}}},
		"Accept-Language", "en")
	e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	if r.field("competencies[0].level") != "must be 1 to 5" {
		t.Fatalf("field: %s", r.Raw)
	}
	got := e.do("GET", fmt.Sprintf("/v1/people/%d", id), e.staffA, nil)
	comps := got.Body["competencies"].([]any)
	if len(comps) != 2 {
		t.Fatalf("competencies = %v (the failed PUT must change nothing)", comps)
	}
	trainer := e.key("trainer", e.instA, id)
	e.expect(e.do("PUT", path, trainer, map[string]any{"competencies": []any{map[string]any{"competency_id": pbj, "level": 5}}}), http.StatusOK, "")
}

func TestListPeople(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "teknis", "code": "bencana", "name": "Manajemen Bencana"})
	bencana := r.id()
	names := []string{"Yohanes Wenda", "Agus Santoso", "Maria Mambor", "Budi Hidayat", "Citra Pratama", "Eko Saputra", "Fitri Lestari"}
	for i, n := range names {
		body := practitionerJSON(fmt.Sprintf("p%d@example.id", i))
		body["name"] = n
		if i%2 == 0 {
			body["zone"] = "Asia/Makassar"
			body["organisation"] = "Dinas Kesehatan Kota Makassar"
		}
		id := e.createPerson(e.staffA, body)
		e.expect(e.do("PUT", fmt.Sprintf("/v1/people/%d/competencies", id), e.staffA,
			map[string]any{"competencies": []any{map[string]any{"competency_id": bencana, "level": 1 + i%5}}}), http.StatusOK, "")
	}
	e.createPerson(e.staffA, widyaiswaraJSON("w@bpsdm-a.go.id", "198503102010012003"))

	t.Run("pages in name order without gaps or repeats", func(t *testing.T) {
		var seen []string
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			r := e.do("GET", "/v1/people?kind=practitioner&limit=3&cursor="+cursor, e.staffA, nil)
			e.expect(r, http.StatusOK, "")
			for _, p := range r.items() {
				seen = append(seen, p["name"].(string))
			}
			cursor, _ = r.Body["next_cursor"].(string)
			if cursor == "" {
				break
			}
		}
		want := "Agus Santoso,Budi Hidayat,Citra Pratama,Eko Saputra,Fitri Lestari,Maria Mambor,Yohanes Wenda"
		if strings.Join(seen, ",") != want {
			t.Fatalf("pages gave %v", seen)
		}
	})
	t.Run("descending sort", func(t *testing.T) {
		r := e.do("GET", "/v1/people?kind=practitioner&sort=-name&limit=2", e.staffA, nil)
		items := r.items()
		if items[0]["name"] != "Yohanes Wenda" || items[1]["name"] != "Maria Mambor" {
			t.Fatalf("got %s", r.Raw)
		}
		r = e.do("GET", "/v1/people?kind=practitioner&sort=-name&limit=2&cursor="+r.Body["next_cursor"].(string), e.staffA, nil)
		if r.items()[0]["name"] != "Fitri Lestari" {
			t.Fatalf("page 2: %s", r.Raw)
		}
	})
	count := func(query string) int {
		r := e.do("GET", "/v1/people?"+query, e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		return len(r.items())
	}
	filters := []struct {
		query string
		want  int
	}{
		{"kind=widyaiswara", 1},
		{"competency=bencana&min_level=4", 2}, // levels 1..5,1,2 → i=3 (4) and i=4 (5)
		{"competency=bencana", 7},
		{"q=makassar", 4},
		{"q=SANTOSO", 1},
		{"q=%25", 0},
		{"zone=Asia/Makassar", 5}, // four practitioners and the widyaiswara
		{"zone=Asia/Makassar&q=citra", 1},
	}
	for _, f := range filters {
		t.Run("filter "+f.query, func(t *testing.T) {
			if got := count(f.query); got != f.want {
				t.Fatalf("%s: %d people, want %d", f.query, got, f.want)
			}
		})
	}
	bad := []struct{ query, field string }{
		{"limit=0", "limit"}, {"limit=abc", "limit"}, {"kind=guru", "kind"}, {"zone=UTC", "zone"},
		{"min_level=9&competency=bencana", "min_level"}, {"min_level=2", "min_level"}, {"sort=email", "sort"},
		{"cursor=garbage", "cursor"},
	}
	for _, b := range bad {
		t.Run("rejects "+b.query, func(t *testing.T) {
			r := e.do("GET", "/v1/people?"+b.query, e.staffA, nil)
			e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
			if r.field(b.field) == "" {
				t.Fatalf("field %s not named: %s", b.field, r.Raw)
			}
		})
	}
}

func TestAuditLog(t *testing.T) {
	e := newEnv(t)
	id := e.createPerson(e.staffA, practitionerJSON("a@example.id"))
	e.expect(e.do("PATCH", fmt.Sprintf("/v1/people/%d", id), e.staffA, map[string]any{"unit": "Gudang"}), http.StatusOK, "")
	e.expect(e.do("DELETE", fmt.Sprintf("/v1/people/%d", id), e.staffA, nil), http.StatusNoContent, "")
	type row struct {
		Action      string
		ActorRole   string
		RequestID   string
		HasBefore   bool
		HasAfter    bool
		Institution int64
	}
	var rows []row
	must(t, e.db.Raw(`SELECT action, actor_role, request_id, before IS NOT NULL AS has_before, after IS NOT NULL AS has_after,
		institution_id AS institution FROM audit_log WHERE entity = 'person' AND entity_id = ? ORDER BY id`, id).Scan(&rows).Error)
	if len(rows) != 3 {
		t.Fatalf("audit rows = %+v", rows)
	}
	for i, want := range []string{"create", "update", "archive"} {
		r := rows[i]
		if r.Action != want || r.ActorRole != "staff" || r.RequestID == "" || r.Institution != e.instA || !r.HasAfter || r.HasBefore != (i > 0) {
			t.Errorf("row %d = %+v", i, r)
		}
	}
	var unit string
	must(t, e.db.Raw(`SELECT after->>'Unit' FROM audit_log WHERE entity = 'person' AND action = 'update' AND entity_id = ?`, id).Scan(&unit).Error)
	if unit != "Gudang" {
		t.Errorf("after.Unit = %q", unit)
	}
}

// zero blanks generated ids and timestamps so a response compares whole.
func zero(m map[string]any) map[string]any {
	for _, k := range []string{"id", "institution_id", "created_at", "updated_at", "competency_id"} {
		if _, ok := m[k]; ok {
			m[k] = nil
		}
	}
	for _, v := range m {
		if list, ok := v.([]any); ok {
			for _, x := range list {
				if sub, ok := x.(map[string]any); ok {
					zero(sub)
				}
			}
		}
	}
	return m
}

func TestPersonResponseIsWhole(t *testing.T) {
	e := newEnv(t)
	id := e.createPerson(e.staffA, widyaiswaraJSON("dewi@bpsdm-a.go.id", "198503102010012003"))
	var integritas float64
	for _, c := range e.do("GET", "/v1/competencies", e.staffA, nil).items() {
		if c["code"] == "integritas" {
			integritas = c["id"].(float64)
		}
	}
	e.expect(e.do("PUT", fmt.Sprintf("/v1/people/%d/competencies", id), e.staffA, map[string]any{"competencies": []any{
		map[string]any{"competency_id": integritas, "level": 4, "years": 6, "sessions_taught": 30, "evidence": "Sertifikat TOT"}}}), http.StatusOK, "")
	got := zero(e.do("GET", fmt.Sprintf("/v1/people/%d", id), e.staffA, nil).Body)
	want := map[string]any{
		"id": nil, "institution_id": nil, "created_at": nil, "updated_at": nil,
		"kind": "widyaiswara", "name": "Dewi Lestari", "email": "dewi@bpsdm-a.go.id", "phone": "+6281234567890",
		"nip": "198503102010012003", "jenjang": "ahli_madya", "golongan": "IV/b", "organisation": "BPSDM Provinsi A",
		"unit": "Bidang PKM", "employment": "pns", "tax_id_status": "npwp", "expertise": []any{}, "experience_years": float64(0),
		"zone": "Asia/Makassar", "zone_label": "WITA", "share_profile": false, "version": float64(2), "archived": false,
		"competencies": []any{map[string]any{"competency_id": nil, "code": "integritas", "name": "Integritas", "type": "manajerial",
			"level": float64(4), "years": float64(6), "sessions_taught": float64(30), "evidence": "Sertifikat TOT"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("person response (-want +got):\n%s", diff)
	}
}
