package api_test

import (
	"fmt"
	"math"
	"net/http"
	"testing"
)

// matchingEnv sets up a course with sessions and a small roster in A.
type matchingEnv struct {
	*env
	course, s1, s2, s3 int64
	comm, bencana      int64
	w1, w2, p1, p2     int64
}

func newMatchingEnv(t *testing.T) *matchingEnv {
	e := newEnv(t)
	m := &matchingEnv{env: e}
	m.course = e.wideCourse(e.staffA)
	r := e.do("POST", "/v1/competencies", e.staffA, map[string]any{"type": "teknis", "code": "bencana", "name": "Manajemen Bencana"})
	m.bencana = r.id()
	for _, c := range e.do("GET", "/v1/competencies", e.staffA, nil).items() {
		if c["code"] == "komunikasi" {
			m.comm = int64(c["id"].(float64))
		}
	}
	req := []any{map[string]any{"code": "komunikasi", "min_level": 3}, map[string]any{"code": "bencana", "min_level": 3}}
	m.s1 = e.mustSession(m.course, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar", "required_competencies", req)
	m.s2 = e.mustSession(m.course, "2026-12-07T10:00", "2026-12-07T11:30", "Asia/Makassar", "required_competencies", req)
	m.s3 = e.mustSession(m.course, "2026-12-08T09:00", "2026-12-08T12:00", "Asia/Makassar", "required_competencies", req)
	set := func(id int64, comm, ben int) {
		var cs []any
		if comm > 0 {
			cs = append(cs, map[string]any{"competency_id": m.comm, "level": comm})
		}
		if ben > 0 {
			cs = append(cs, map[string]any{"competency_id": m.bencana, "level": ben})
		}
		e.expect(e.do("PUT", fmt.Sprintf("/v1/people/%d/competencies", id), e.staffA, map[string]any{"competencies": cs}), http.StatusOK, "")
	}
	m.w1 = e.createPerson(e.staffA, widyaiswaraJSON("w1@a.go.id", "198503102010012003"))
	set(m.w1, 5, 1)
	m.w2 = e.createPerson(e.staffA, widyaiswaraJSON("w2@a.go.id", "198601012011011001"))
	set(m.w2, 3, 0)
	p := practitionerJSON("p1@example.id")
	p["zone"] = "Asia/Makassar"
	m.p1 = e.createPerson(e.staffA, p)
	set(m.p1, 2, 5)
	m.p2 = e.createPerson(e.staffA, practitionerJSON("p2@example.id"))
	set(m.p2, 0, 3)
	return m
}

func TestCandidatesEndpoint(t *testing.T) {
	m := newMatchingEnv(t)
	e := m.env
	r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer&limit=10", m.s1), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	items := r.items()
	if len(items) != 4 || int64(items[0]["person"].(map[string]any)["id"].(float64)) != m.p1 {
		t.Fatalf("candidates %s", r.Raw)
	}
	for _, it := range items {
		sum := 0.0
		for _, p := range it["breakdown"].([]any) {
			part := p.(map[string]any)
			sum += part["points"].(float64)
			if part["explanation"] == "" {
				t.Fatalf("no explanation: %v", part)
			}
		}
		if math.Abs(sum-it["score"].(float64)) > 1e-9 {
			t.Fatalf("breakdown sums to %v, score %v", sum, it["score"])
		}
	}
	t.Run("leads are widyaiswara only; practitioners are explained as excluded", func(t *testing.T) {
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=lead", m.s1), e.staffA, nil)
		if len(r.items()) != 2 {
			t.Fatalf("%s", r.Raw)
		}
		ex := r.Body["excluded"].([]any)
		if len(ex) != 2 || ex[0].(map[string]any)["constraint"] != "lead_must_be_widyaiswara" {
			t.Fatalf("excluded %v", ex)
		}
	})
	t.Run("a new booking makes the person busy at once", func(t *testing.T) {
		e.expect(e.book(m.s2, m.p1, "co_trainer"), http.StatusCreated, "")
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer", m.s1), e.staffA, nil)
		for _, it := range r.items() {
			if int64(it["person"].(map[string]any)["id"].(float64)) == m.p1 {
				t.Fatal("busy person still ranked")
			}
		}
		found := false
		for _, x := range r.Body["excluded"].([]any) {
			ex := x.(map[string]any)
			if int64(ex["person"].(map[string]any)["id"].(float64)) == m.p1 && ex["constraint"] == "busy" {
				found = true
			}
		}
		if !found {
			t.Fatalf("busy person not explained: %s", r.Raw)
		}
	})
	t.Run("institution weights change the order", func(t *testing.T) {
		e.expect(e.do("PUT", "/v1/matching/settings", e.staffA, map[string]any{"weights": map[string]any{"expertise": -1}}),
			http.StatusUnprocessableEntity, "validation_failed")
		before := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=lead", m.s3), e.staffA, nil).items()
		e.expect(e.do("PUT", "/v1/matching/settings", e.staffA, map[string]any{"weights": map[string]any{"level": 1}}), http.StatusOK, "")
		after := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=lead", m.s3), e.staffA, nil).items()
		if before[0]["score"] == after[0]["score"] {
			t.Fatalf("weights had no effect: %v / %v", before[0]["score"], after[0]["score"])
		}
	})
	t.Run("cost is priced from the rate tables against the budget", func(t *testing.T) {
		for _, r := range []map[string]any{
			{"regulation": "Pergub Sulsel", "fiscal_year": 2026, "funding": "APBD", "region": "Sulawesi Selatan", "class": "penceramah",
				"unit": "per_jp", "amount": 900000, "source": "Pergub"},
			{"regulation": "Pergub Sulsel", "fiscal_year": 2026, "funding": "APBD", "region": "Sulawesi Selatan", "class": "widyaiswara_internal",
				"unit": "per_jp", "amount": 300000, "source": "Pergub"},
		} {
			e.expect(e.do("POST", "/v1/rate-tables", e.admin, r), http.StatusCreated, "")
		}
		e.expect(e.do("PUT", "/v1/matching/settings", e.staffA, map[string]any{"weights": map[string]any{"cost": 1}, "budget_per_jp": 1000000}),
			http.StatusOK, "")
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer", m.s3), e.staffA, nil)
		items := r.items()
		first := items[0]["person"].(map[string]any)
		if first["kind"] != "widyaiswara" {
			t.Fatalf("with cost alone the cheaper widyaiswara should lead: %s", r.Raw)
		}
		explained := map[string]bool{}
		for _, it := range items {
			for _, p := range it["breakdown"].([]any) {
				if part := p.(map[string]any); part["criterion"] == "cost" {
					explained[part["explanation"].(string)] = true
				}
			}
		}
		if !explained["Rp900.000 per JP dibanding anggaran Rp1.000.000"] || !explained["Rp300.000 per JP dibanding anggaran Rp1.000.000"] {
			t.Fatalf("cost explanations %v", explained)
		}
		e.expect(e.do("PUT", "/v1/matching/settings", e.staffA, map[string]any{"weights": map[string]any{"level": 1}}), http.StatusOK, "")
	})
	t.Run("bad role and other institutions", func(t *testing.T) {
		e.expect(e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=boss", m.s1), e.staffA, nil), http.StatusUnprocessableEntity, "validation_failed")
		e.expect(e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=lead", m.s1), e.staffB, nil), http.StatusNotFound, "not_found")
	})
}

func TestPairsAndSlots(t *testing.T) {
	m := newMatchingEnv(t)
	e := m.env
	r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/pairs?limit=3", m.s1), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	top := r.items()[0]
	lead := int64(top["lead"].(map[string]any)["person"].(map[string]any)["id"].(float64))
	co := int64(top["co_trainer"].(map[string]any)["person"].(map[string]any)["id"].(float64))
	if lead != m.w1 || co != m.p1 || top["complementarity"] != float64(1) {
		t.Fatalf("top pair %s", r.Raw)
	}
	r = e.do("GET", fmt.Sprintf("/v1/sessions/%d/slots?from=2026-12-07T00:00&to=2026-12-12T00:00&limit=5", m.s1), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	if len(r.items()) != 5 {
		t.Fatalf("slots %s", r.Raw)
	}
}

func TestAssignAndApply(t *testing.T) {
	m := newMatchingEnv(t)
	e := m.env
	path := fmt.Sprintf("/v1/courses/%d/assignments", m.course)
	r := e.do("POST", path, e.staffA, map[string]any{"co_trainers_per_session": 1})
	e.expect(r, http.StatusCreated, "")
	if r.Body["optimal"] != true || r.Body["filled"] != float64(6) {
		t.Fatalf("proposal %s", r.Raw)
	}
	// s1 and s2 overlap: nobody may hold both.
	bySession := map[float64][]float64{}
	for _, x := range r.Body["slots"].([]any) {
		sl := x.(map[string]any)
		pid := sl["candidate"].(map[string]any)["person"].(map[string]any)["id"].(float64)
		bySession[sl["session_id"].(float64)] = append(bySession[sl["session_id"].(float64)], pid)
	}
	for _, a := range bySession[float64(m.s1)] {
		for _, b := range bySession[float64(m.s2)] {
			if a == b {
				t.Fatalf("person %v in two overlapping sessions: %v", a, bySession)
			}
		}
	}
	aid := r.id()
	t.Run("a conflict that appeared meanwhile fails the whole apply", func(t *testing.T) {
		r2 := e.do("POST", path, e.staffA, nil)
		e.expect(r2, http.StatusCreated, "")
		var someone float64
		for _, x := range r2.Body["slots"].([]any) {
			sl := x.(map[string]any)
			if sl["session_id"] == float64(m.s3) {
				someone = sl["candidate"].(map[string]any)["person"].(map[string]any)["id"].(float64)
			}
		}
		clash := e.mustSession(m.course, "2026-12-08T10:00", "2026-12-08T11:30", "Asia/Makassar", "mode", "online", "venue", "")
		e.expect(e.book(clash, int64(someone), "co_trainer"), http.StatusCreated, "")
		e.expect(e.do("POST", fmt.Sprintf("%s/%d/apply", path, r2.id()), e.staffA, nil), http.StatusConflict, "booking_conflict")
		var n int64
		must(t, e.db.Raw("SELECT count(*) FROM bookings").Scan(&n).Error)
		if n != 1 {
			t.Fatalf("%d bookings after a failed apply, want only the clashing one", n)
		}
		must(t, e.db.Exec("UPDATE bookings SET status = 'cancelled'").Error)
	})
	r = e.do("POST", fmt.Sprintf("%s/%d/apply", path, aid), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	if len(r.Body["bookings"].([]any)) != 6 {
		t.Fatalf("applied %s", r.Raw)
	}
	e.expect(e.do("POST", fmt.Sprintf("%s/%d/apply", path, aid), e.staffA, nil), http.StatusConflict, "already_applied")
	// Only the session added in the subtest is still open.
	if r := e.do("POST", path, e.staffA, nil); r.Status != http.StatusCreated || len(r.Body["slots"].([]any)) != 2 {
		t.Fatalf("after apply: %s", r.Raw)
	}
	e.expect(e.do("POST", fmt.Sprintf("%s/%d/apply", path, aid), e.staffB, nil), http.StatusNotFound, "not_found")
}
