package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func scores(v int) map[string]any {
	return map[string]any{"penampilan": v, "metode": v, "komunikasi": v, "media": v, "penguasaan_materi": v}
}

func TestEvaluationsFeedRatings(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar")
	later := e.mustSession(c, "2026-12-14T09:00", "2026-12-14T10:30", "Asia/Makassar")
	good := e.createPerson(e.staffA, practitionerJSON("good@example.id"))
	plain := e.createPerson(e.staffA, practitionerJSON("plain@example.id"))
	var bookings []int64
	for _, p := range []int64{good, plain} {
		b := e.book(s, p, "co_trainer").id()
		for _, to := range []string{"invited", "accepted"} {
			e.expect(e.transition(e.staffA, b, to), http.StatusOK, "")
		}
		bookings = append(bookings, b)
	}
	score := func(person int64) float64 {
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer&limit=10", later), e.staffA, nil)
		for _, it := range r.items() {
			if int64(it["person"].(map[string]any)["id"].(float64)) == person {
				for _, p := range it["breakdown"].([]any) {
					if part := p.(map[string]any); part["criterion"] == "rating" {
						return part["value"].(float64)
					}
				}
			}
		}
		t.Fatalf("person %d not ranked: %s", person, r.Raw)
		return 0
	}
	before := score(good)
	if before != score(plain) {
		t.Fatal("ratings differ before any evaluation")
	}
	r := e.do("POST", fmt.Sprintf("/v1/sessions/%d/evaluation-forms", s), e.staffA, map[string]any{"valid_days": 7})
	e.expect(r, http.StatusCreated, "")
	path := strings.TrimPrefix(r.Body["url"].(string), "https://sinergi.example.id")
	form := e.do("GET", path, "", nil)
	e.expect(form, http.StatusOK, "")
	if len(form.Body["trainers"].([]any)) != 2 || len(form.Body["items"].([]any)) != 5 {
		t.Fatalf("form %s", form.Raw)
	}
	for i := 0; i < 30; i++ {
		e.expect(e.do("POST", path, "", map[string]any{"ratings": []any{
			map[string]any{"booking_id": bookings[0], "scores": scores(4), "comment": "Contoh kasus sangat membantu"},
			map[string]any{"booking_id": bookings[1], "scores": scores(2)},
		}}), http.StatusCreated, "")
	}
	if after := score(good); after <= before || score(plain) >= before {
		t.Fatalf("ratings did not move: good %v → %v, plain %v", before, after, score(plain))
	}
	t.Run("bad submissions are refused with the field", func(t *testing.T) {
		bad := scores(5)
		r := e.do("POST", path, "", map[string]any{"ratings": []any{map[string]any{"booking_id": bookings[0], "scores": bad}}})
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("ratings[0].scores.metode") != "harus 1 sampai 4" {
			t.Fatalf("%s", r.Raw)
		}
		r = e.do("POST", path, "", map[string]any{"ratings": []any{map[string]any{"booking_id": 999999, "scores": scores(3)}}})
		if r.field("ratings[0].booking_id") == "" {
			t.Fatalf("%s", r.Raw)
		}
		e.expect(e.do("GET", "/v1/evaluations/forms/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", nil), http.StatusNotFound, "not_found")
		e.expect(e.do("POST", fmt.Sprintf("/v1/sessions/%d/evaluation-forms", s), e.staffB, nil), http.StatusNotFound, "not_found")
	})
	t.Run("a participant can use the HTML form on a phone", func(t *testing.T) {
		page := e.do("GET", path, "", nil, "Accept", "text/html")
		if page.Status != 200 || !strings.Contains(string(page.Raw), `name="r_`) {
			t.Fatalf("%d %s", page.Status, page.Raw)
		}
		var fields []string
		for _, b := range bookings {
			for _, item := range []string{"penampilan", "metode", "komunikasi", "media", "penguasaan_materi"} {
				fields = append(fields, fmt.Sprintf("r_%d_%s=3", b, item))
			}
		}
		r := e.do("POST", path, "", strings.Join(fields, "&")+fmt.Sprintf("&c_%d=Bagus", bookings[0]), "Content-Type", "application/x-www-form-urlencoded")
		if r.Status != http.StatusCreated || !strings.Contains(string(r.Raw), "Terima kasih") {
			t.Fatalf("%d %s", r.Status, r.Raw)
		}
		r = e.do("POST", path, "", fields[0], "Content-Type", "application/x-www-form-urlencoded")
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Raw), "Lengkapi") {
			t.Fatalf("incomplete form: %d", r.Status)
		}
	})
	var n int64
	must(t, e.db.Raw("SELECT count(*) FROM evaluations WHERE normalised = 100 AND person_id = ?", good).Scan(&n).Error)
	if n != 30 {
		t.Fatalf("%d stored evaluations of 100%%", n)
	}
}
