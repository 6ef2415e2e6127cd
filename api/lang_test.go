package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestLanguages checks that people read errors and explanations in
// Indonesian unless they ask for English, and that codes do not change.
func TestLanguages(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	s2 := e.mustSession(c, "2026-12-07T10:00", "2026-12-07T11:30", "Asia/Makassar")
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@bpsdm-a.go.id", "198503102010012003"))
	e.expect(e.book(s1, w, "lead"), http.StatusCreated, "")
	clash := map[string]any{"session_id": s2, "person_id": w, "role": "lead"}
	message := func(r response) string {
		return r.Body["error"].(map[string]any)["message"].(string)
	}

	t.Run("an error is Indonesian by default, with the venue's time and zone label", func(t *testing.T) {
		for _, header := range []string{"", "fr-FR", "id-ID,id;q=0.9", "*"} {
			r := e.do("POST", "/v1/bookings", e.staffA, clash, "Accept-Language", header)
			e.expect(r, http.StatusConflict, "booking_conflict")
			want := fmt.Sprintf(`orang ini sudah dipesan pada sesi %d ("Manajemen Risiko Bencana"), Senin, 7 Desember 2026, 09:00–12:00 WITA`, s1)
			if message(r) != want || r.Header.Get("Content-Language") != "id" {
				t.Fatalf("Accept-Language %q: %q (%s), want %q", header, message(r), r.Header.Get("Content-Language"), want)
			}
		}
	})
	t.Run("the same error in English, with the same code", func(t *testing.T) {
		r := e.do("POST", "/v1/bookings", e.staffA, clash, "Accept-Language", "en-GB,en;q=0.9,id;q=0.5")
		e.expect(r, http.StatusConflict, "booking_conflict")
		want := fmt.Sprintf(`the person is already booked on session %d ("Manajemen Risiko Bencana"), Monday 7 December 2026 09:00–12:00 WITA`, s1)
		if message(r) != want || r.Header.Get("Content-Language") != "en" {
			t.Fatalf("%q, want %q", message(r), want)
		}
	})
	t.Run("field messages follow the language", func(t *testing.T) {
		bad := map[string]any{"session_id": s2, "person_id": w, "role": "host"}
		id := e.do("POST", "/v1/bookings", e.staffA, bad, "Accept-Language", "")
		en := e.do("POST", "/v1/bookings", e.staffA, bad, "Accept-Language", "en")
		if id.field("role") != "harus salah satu dari: lead, co_trainer" || en.field("role") != "must be one of: lead, co_trainer" ||
			id.errorCode() != en.errorCode() {
			t.Fatalf("id %s\nen %s", id.Raw, en.Raw)
		}
	})
	t.Run("a matching explanation in both languages", func(t *testing.T) {
		path := fmt.Sprintf("/v1/sessions/%d/candidates?role=lead&limit=1", s2)
		travel := func(r response) string {
			e.expect(r, http.StatusOK, "")
			for _, p := range r.items()[0]["breakdown"].([]any) {
				if part := p.(map[string]any); part["criterion"] == "travel" {
					return part["explanation"].(string)
				}
			}
			return ""
		}
		w2 := widyaiswaraJSON("w2@bpsdm-a.go.id", "198601012011011001")
		w2["zone"] = "Asia/Jakarta"
		e.createPerson(e.staffA, w2)
		id := travel(e.do("GET", path, e.staffA, nil, "Accept-Language", ""))
		en := travel(e.do("GET", path, e.staffA, nil, "Accept-Language", "en"))
		if id != "tinggal di Asia/Jakarta, tempat sesi di Asia/Makassar" || en != "lives in Asia/Jakarta, the venue is in Asia/Makassar" {
			t.Fatalf("id %q, en %q", id, en)
		}
	})
}

// TestHonorariumBasisInBothLanguages checks that a ledger row's basis is
// told whole in the reader's language, not half in each.
func TestHonorariumBasisInBothLanguages(t *testing.T) {
	e := newEnv(t)
	for _, class := range []string{"penceramah", "widyaiswara_internal"} {
		e.expect(e.do("POST", "/v1/rate-tables", e.admin, map[string]any{"regulation": "Pergub Sulsel 2025", "fiscal_year": 2026,
			"funding": "APBD", "region": "Sulawesi Selatan", "class": class, "unit": "per_jp", "amount": 300000,
			"source": "Pergub Sulsel, SSH 2026"}), http.StatusCreated, "")
	}
	c, _, _ := completedCourse(e)
	e.expect(e.do("POST", "/v1/honoraria/accrue", e.staffA, map[string]any{"course_id": c}), http.StatusOK, "")
	id := e.do("GET", fmt.Sprintf("/v1/honoraria?course_id=%d", c), e.staffA, nil, "Accept-Language", "id")
	en := e.do("GET", fmt.Sprintf("/v1/honoraria?course_id=%d", c), e.staffA, nil, "Accept-Language", "en")
	e.expect(id, http.StatusOK, "")
	if len(id.items()) == 0 || len(en.items()) != len(id.items()) {
		t.Fatalf("rows: %s", id.Raw)
	}
	for i, row := range id.items() {
		bid, ben := row["basis"].(string), en.items()[i]["basis"].(string)
		if !strings.Contains(bid, "PPh 21") || strings.Contains(bid, " of gross") || strings.Contains(bid, " at the Pasal 17") ||
			!strings.Contains(ben, "PPh 21") || strings.Contains(ben, "bukan pegawai") || strings.Contains(ben, "dari bruto") {
			t.Fatalf("basis id %q\nen %q", bid, ben)
		}
	}
}
