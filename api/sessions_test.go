package api_test

import (
	"fmt"
	"net/http"
	"testing"
)

func TestCoTrainersArePractitionersUnlessTheCourseSaysOtherwise(t *testing.T) {
	e := newEnv(t)
	narrow := e.course(e.staffA)
	wide := e.wideCourse(e.staffA)
	sn := e.mustSession(narrow, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	sw := e.mustSession(wide, "2026-12-08T09:00", "2026-12-08T12:00", "Asia/Makassar")
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@bpsdm-a.go.id", "198503102010012003"))
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))

	t.Run("a course takes practitioners by default", func(t *testing.T) {
		r := e.do("GET", fmt.Sprintf("/v1/courses/%d", narrow), e.staffA, nil)
		if r.Body["co_trainers"] != "practitioners" {
			t.Fatalf("course %s", r.Raw)
		}
	})
	t.Run("a widyaiswara is refused as co-trainer of such a course", func(t *testing.T) {
		e.expect(e.book(sn, w, "co_trainer"), http.StatusUnprocessableEntity, "co_trainer_not_allowed")
		e.expect(e.book(sn, p, "co_trainer", "force", true), http.StatusCreated, "")
	})
	t.Run("candidates leave the widyaiswara out and say why", func(t *testing.T) {
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer", sn), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		for _, it := range r.items() {
			if it["person"].(map[string]any)["kind"] != "practitioner" {
				t.Fatalf("a widyaiswara is a co-trainer candidate: %s", r.Raw)
			}
		}
		ex, _ := r.Body["excluded"].([]any)
		found := false
		for _, x := range ex {
			m := x.(map[string]any)
			if int64(m["person"].(map[string]any)["id"].(float64)) == w {
				found = m["constraint"] == "co_trainer_kind" && m["explanation"] != ""
			}
		}
		if !found {
			t.Fatalf("the widyaiswara is not excluded with co_trainer_kind: %s", r.Raw)
		}
	})
	t.Run("a course may let widyaiswara co-train", func(t *testing.T) {
		e.expect(e.book(sw, w, "co_trainer", "force", true), http.StatusCreated, "")
	})
	t.Run("an unknown setting is refused", func(t *testing.T) {
		r := e.do("POST", "/v1/courses", e.staffA, map[string]any{"name": "Pelatihan X", "organising_unit": "Bidang PKM",
			"funding": "APBD", "region": "Sulawesi Selatan", "start_date": "2026-12-01", "end_date": "2026-12-31",
			"co_trainers": "anyone"})
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("co_trainers") == "" {
			t.Fatal(string(r.Raw))
		}
	})
}

func TestSessionsAcrossCourses(t *testing.T) {
	e := newEnv(t)
	c1 := e.course(e.staffA)
	c2 := e.course(e.staffA)
	a := e.mustSession(c1, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	b := e.mustSession(c2, "2026-12-08T08:00", "2026-12-08T09:30", "Asia/Jakarta")
	c := e.mustSession(c1, "2026-12-09T09:00", "2026-12-09T10:30", "Asia/Jayapura")
	d := e.mustSession(c2, "2026-12-10T09:00", "2026-12-10T10:30", "Asia/Makassar")
	e.expect(e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", d), e.staffA, map[string]any{"status": "cancelled"}), http.StatusOK, "")
	other := e.course(e.staffB)
	e.expect(e.session(e.staffB, other, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Jakarta"), http.StatusCreated, "")
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@bpsdm-a.go.id", "198503102010012003"))
	lead := e.book(a, w, "lead", "force", true)
	e.expect(lead, http.StatusCreated, "")

	ids := func(r response) []int64 {
		e.t.Helper()
		e.expect(r, http.StatusOK, "")
		var out []int64
		for _, it := range r.items() {
			out = append(out, int64(it["id"].(float64)))
		}
		return out
	}
	list := func(query string) []int64 { return ids(e.do("GET", "/v1/sessions"+query, e.staffA, nil)) }
	for name, tc := range map[string]struct {
		query string
		want  []int64
	}{
		"every session of the institution, by start":   {"", []int64{a, b, c, d}},
		"from a date in the venue zone":                {"?from=2026-12-08&zone=Asia/Jakarta", []int64{b}},
		"a range of instants":                          {"?from=2026-12-08T00:00:00%2B07:00&to=2026-12-10T00:00:00%2B08:00", []int64{b, c}},
		"one course":                                   {fmt.Sprintf("?course_id=%d", c1), []int64{a, c}},
		"one zone":                                     {"?zone=Asia/Makassar", []int64{a, d}},
		"cancelled ones":                               {"?status=cancelled", []int64{d}},
		"those still without a lead":                   {"?unstaffed=lead&status=scheduled", []int64{b, c}},
		"those without a co-trainer":                   {"?unstaffed=co_trainer", []int64{a, b, c, d}},
		"another institution's sessions never show up": {"?zone=Asia/Jakarta", []int64{b}},
	} {
		t.Run(name, func(t *testing.T) {
			if got := list(tc.query); fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("%s: got %v, want %v", tc.query, got, tc.want)
			}
		})
	}
	t.Run("pages follow the cursor", func(t *testing.T) {
		var got []int64
		cursor := ""
		for range 10 {
			r := e.do("GET", "/v1/sessions?limit=3"+cursor, e.staffA, nil)
			got = append(got, ids(r)...)
			next, _ := r.Body["next_cursor"].(string)
			if next == "" {
				break
			}
			cursor = "&cursor=" + next
		}
		if fmt.Sprint(got) != fmt.Sprint([]int64{a, b, c, d}) {
			t.Fatalf("pages gave %v", got)
		}
	})
	t.Run("bad filters are named", func(t *testing.T) {
		for q, field := range map[string]string{"?zone=UTC": "zone", "?unstaffed=anyone": "unstaffed", "?status=done": "status",
			"?from=tomorrow": "from", "?from=2026-12-09&to=2026-12-08": "to", "?cursor=zz": "cursor"} {
			r := e.do("GET", "/v1/sessions"+q, e.staffA, nil)
			e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
			if r.field(field) == "" {
				t.Fatalf("%s: %s", q, r.Raw)
			}
		}
	})
	t.Run("course lists count sessions instead of an empty list", func(t *testing.T) {
		r := e.do("GET", "/v1/courses", e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		for _, it := range r.items() {
			if _, listed := it["sessions"]; listed || it["session_count"] != float64(2) {
				t.Fatalf("course in a list: %v", it)
			}
		}
		one := e.do("GET", fmt.Sprintf("/v1/courses/%d", c1), e.staffA, nil)
		if one.Body["session_count"] != float64(2) || len(one.Body["sessions"].([]any)) != 2 {
			t.Fatalf("course: %s", one.Raw)
		}
	})
	t.Run("bookings are told in the venue zone with its label", func(t *testing.T) {
		if lead.Body["start"] != "2026-12-07T09:00:00+08:00" || lead.Body["end"] != "2026-12-07T12:00:00+08:00" ||
			lead.Body["zone"] != "Asia/Makassar" || lead.Body["zone_label"] != "WITA" {
			t.Fatalf("booking %s", lead.Raw)
		}
	})
}
