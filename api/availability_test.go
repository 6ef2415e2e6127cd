package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// abusiveRule is the window from the report: every hour, minute and
// second of every day.
func abusiveRule() string {
	var h, m []string
	for i := 0; i < 60; i++ {
		if i < 24 {
			h = append(h, fmt.Sprint(i))
		}
		m = append(m, fmt.Sprint(i))
	}
	return "FREQ=DAILY;BYHOUR=" + strings.Join(h, ",") + ";BYMINUTE=" + strings.Join(m, ",") + ";BYSECOND=" + strings.Join(m, ",")
}

// worstAvailability is the costliest declaration the API accepts: 50
// daily windows, each with four BYHOUR values.
func worstAvailability() map[string]any {
	ws := make([]any, 50)
	for i := range ws {
		ws[i] = map[string]any{"rrule": "FREQ=DAILY;BYHOUR=0,6,12,18;BYMINUTE=0", "start": fmt.Sprintf("00:%02d", i), "end": fmt.Sprintf("00:%02d", i+1)}
	}
	return map[string]any{"windows": ws}
}

// TestAvailabilityAbuse is the report's case: a trainer writing windows
// with every BYHOUR, BYMINUTE and BYSECOND stalled matching for everyone.
func TestAvailabilityAbuse(t *testing.T) {
	e := newEnv(t)
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	trainer := e.key("trainer", e.instA, p)
	path := fmt.Sprintf("/v1/people/%d/availability", p)
	t.Run("the abusive rule is refused naming the window", func(t *testing.T) {
		body := map[string]any{"windows": []any{map[string]any{"rrule": abusiveRule(), "start": "00:00", "end": "23:59"}}}
		r := e.do("PUT", path, trainer, body)
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if !strings.Contains(r.field("windows[0].rrule"), "BYSECOND") {
			t.Fatalf("%s", r.Raw)
		}
	})
	t.Run("a zone is refused, not ignored: windows are in the person's zone", func(t *testing.T) {
		r := e.do("PUT", path, trainer, map[string]any{"zone": "Asia/Jakarta", "windows": []any{}})
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("zone") == "" {
			t.Fatalf("%s", r.Raw)
		}
	})
	t.Run("more than 50 windows are refused", func(t *testing.T) {
		body := worstAvailability()
		body["windows"] = append(body["windows"].([]any), body["windows"].([]any)[0])
		r := e.do("PUT", path, trainer, body)
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	})
	t.Run("the worst accepted declaration still answers freebusy and candidates", func(t *testing.T) {
		e.expect(e.do("PUT", path, trainer, worstAvailability()), http.StatusOK, "")
		e.expect(e.do("GET", path[:len(path)-len("availability")]+"freebusy?from=2026-12-01T00:00&to=2027-03-01T00:00", trainer, nil), http.StatusOK, "")
		s := e.mustSession(e.course(e.staffA), "2026-12-07T00:00", "2026-12-07T00:45", "Asia/Jayapura")
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer", s), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
	})
}

// BenchmarkCandidatesWorstAvailability prices candidates over a roster of
// 5,000 before and after three trainers declare the worst availability
// the API accepts; bench/availability.sh prints the ratio.
func BenchmarkCandidatesWorstAvailability(b *testing.B) {
	e := newEnv(b)
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar", "required_competencies",
		[]any{map[string]any{"code": "komunikasi", "min_level": 1}})
	must(b, e.db.Exec(`INSERT INTO people (institution_id, kind, name, email, employment, zone, organisation)
		SELECT ?, 'practitioner', 'Orang ' || g, 'o' || g || '@example.id', 'non_asn',
			(ARRAY['Asia/Jakarta','Asia/Makassar','Asia/Jayapura'])[1 + g % 3]::indonesian_zone, 'Organisasi ' || (g % 500)
		FROM generate_series(1, 5000) g`, e.instA).Error)
	must(b, e.db.Exec(`INSERT INTO person_competencies (person_id, competency_id, level)
		SELECT p.id, c.id, 1 + (p.id % 5) FROM people p CROSS JOIN competencies c WHERE c.institution_id IS NULL AND c.code = 'komunikasi'`).Error)
	path := fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer&limit=10", s)
	run := func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if r := e.do("GET", path, e.staffA, nil); r.Status != http.StatusOK {
				b.Fatal(r.Status)
			}
		}
	}
	e.do("GET", path, e.staffA, nil) // builds the index
	b.Run("normal", run)
	// The three are the best qualified and in the session's zone, so ranking
	// must check them.
	must(b, e.db.Exec(`UPDATE person_competencies SET level = 5 WHERE person_id IN (1, 4, 7)`).Error)
	must(b, e.db.Exec(`UPDATE people SET experience_years = 30 WHERE id IN (1, 4, 7)`).Error)
	for _, id := range []int64{1, 4, 7} {
		e.expect(e.do("PUT", fmt.Sprintf("/v1/people/%d/availability", id), e.staffA, worstAvailability()), http.StatusOK, "")
	}
	start := time.Now()
	r := e.do("GET", path, e.staffA, nil) // takes the change into the index
	b.Logf("first request after the change: %s", time.Since(start))
	// The three are checked against their windows, and found unavailable.
	unavailable := 0
	for _, x := range r.Body["excluded"].([]any) {
		if x.(map[string]any)["constraint"] == "unavailable" {
			unavailable++
		}
	}
	if unavailable != 3 {
		b.Fatalf("%d people excluded as unavailable, want the three: %s", unavailable, r.Raw[:min(len(r.Raw), 500)])
	}
	b.Run("three-worst-trainers", run)
}
