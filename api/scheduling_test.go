package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"sinergi/tenant"
)

// course creates a course of institution A running December 2026 to
// January 2027 and returns its id.
func (e *env) course(key string, extra ...any) int64 {
	e.t.Helper()
	body := map[string]any{"name": "Pelatihan Kepemimpinan Pengawas Angkatan I",
		"organising_unit": "Bidang PKM", "funding": "APBD", "region": "Sulawesi Selatan",
		"start_date": "2026-12-01", "end_date": "2027-01-31"}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	r := e.do("POST", "/v1/courses", key, body)
	e.expect(r, http.StatusCreated, "")
	return r.id()
}

// wideCourse is a course that lets widyaiswara co-train too.
func (e *env) wideCourse(key string) int64 {
	return e.course(key, "co_trainers", "practitioners_and_widyaiswara")
}

func (e *env) session(key string, course int64, start, end, zone string, extra ...any) response {
	e.t.Helper()
	body := map[string]any{"topic": "Manajemen Risiko Bencana", "start": start, "end": end, "zone": zone,
		"mode": "offline", "venue": "Aula BPSDM", "required_competencies": []any{map[string]any{"code": "komunikasi", "min_level": 3}}}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	return e.do("POST", fmt.Sprintf("/v1/courses/%d/sessions", course), key, body)
}

func (e *env) mustSession(course int64, start, end, zone string, extra ...any) int64 {
	e.t.Helper()
	r := e.session(e.staffA, course, start, end, zone, extra...)
	e.expect(r, http.StatusCreated, "")
	return r.id()
}

func (e *env) book(session, person int64, role string, extra ...any) response {
	e.t.Helper()
	body := map[string]any{"session_id": session, "person_id": person, "role": role}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	return e.do("POST", "/v1/bookings", e.staffA, body)
}

func (e *env) transition(key string, booking int64, to string, extra ...any) response {
	e.t.Helper()
	body := map[string]any{"to": to}
	for i := 0; i+1 < len(extra); i += 2 {
		body[extra[i].(string)] = extra[i+1]
	}
	return e.do("POST", fmt.Sprintf("/v1/bookings/%d/transitions", booking), key, body)
}

func TestSessionTimesAcrossZones(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	r := e.session(e.staffA, c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar")
	e.expect(r, http.StatusCreated, "")
	want := map[string]any{"start": "2026-12-07T09:00:00+08:00", "start_utc": "2026-12-07T01:00:00Z", "zone_label": "WITA", "jp": float64(2)}
	for k, v := range want {
		if r.Body[k] != v {
			t.Errorf("%s = %v, want %v", k, r.Body[k], v)
		}
	}
	local := r.Body["local_times"].(map[string]any)
	if local["WITA"] != "09:00–10:30" || local["WIT"] != "10:00–11:30" || local["WIB"] != "08:00–09:30" {
		t.Errorf("local_times = %v", local)
	}
	var stored time.Time
	must(t, e.db.Raw("SELECT starts_at FROM sessions WHERE id = ?", r.id()).Scan(&stored).Error)
	if !stored.Equal(time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)) {
		t.Errorf("stored %v", stored)
	}
	t.Run("an explicit offset is kept as the instant", func(t *testing.T) {
		r := e.session(e.staffA, c, "2026-12-08T02:00:00Z", "2026-12-08T03:30:00Z", "Asia/Jayapura")
		e.expect(r, http.StatusCreated, "")
		if r.Body["start"] != "2026-12-08T11:00:00+09:00" || r.Body["zone_label"] != "WIT" {
			t.Fatalf("%s", r.Raw)
		}
	})
	t.Run("a length that is not whole JP needs jp", func(t *testing.T) {
		r := e.session(e.staffA, c, "2026-12-09T09:00", "2026-12-09T10:40", "Asia/Makassar")
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("jp") == "" {
			t.Fatal(string(r.Raw))
		}
		r = e.session(e.staffA, c, "2026-12-09T09:00", "2026-12-09T10:40", "Asia/Makassar", "jp", 2)
		e.expect(r, http.StatusCreated, "")
	})
}

func TestHolidays(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	t.Run("the 2026 calendar is seeded with its sources", func(t *testing.T) {
		r := e.do("GET", "/v1/holidays?year=2026", e.staffA, nil)
		items := r.items()
		var nasional, cuti int
		for _, h := range items {
			if h["source"] == "" {
				t.Fatalf("no source: %v", h)
			}
			if h["kind"] == "libur_nasional" {
				nasional++
			} else {
				cuti++
			}
		}
		if nasional != 17 || cuti != 8 {
			t.Fatalf("2026: %d libur nasional, %d cuti bersama; want 17 and 8", nasional, cuti)
		}
	})
	t.Run("a session on Christmas is refused", func(t *testing.T) {
		r := e.session(e.staffA, c, "2026-12-25T09:00", "2026-12-25T10:30", "Asia/Makassar")
		e.expect(r, http.StatusConflict, "holiday")
	})
	t.Run("forced, it is created with a warning", func(t *testing.T) {
		r := e.session(e.staffA, c, "2026-12-25T09:00", "2026-12-25T10:30", "Asia/Makassar", "force", true)
		e.expect(r, http.StatusCreated, "")
		if w := r.Body["warnings"].([]any); len(w) != 1 {
			t.Fatalf("warnings %v", w)
		}
	})
	t.Run("cuti bersama gives a warning", func(t *testing.T) {
		r := e.session(e.staffA, c, "2026-12-24T09:00", "2026-12-24T10:30", "Asia/Makassar")
		e.expect(r, http.StatusCreated, "")
		w := r.Body["warnings"].([]any)
		if len(w) != 1 || w[0].(map[string]any)["kind"] != "cuti_bersama" {
			t.Fatalf("warnings %v", w)
		}
	})
	t.Run("moving a session onto a holiday is refused", func(t *testing.T) {
		id := e.mustSession(c, "2026-12-23T09:00", "2026-12-23T10:30", "Asia/Makassar")
		r := e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", id), e.staffA, map[string]any{"start": "2027-01-01T09:00", "end": "2027-01-01T10:30"})
		e.expect(r, http.StatusConflict, "holiday")
	})
	t.Run("admins add next year's holidays; staff may not", func(t *testing.T) {
		h := map[string]any{"date": "2028-01-01", "kind": "libur_nasional", "name_id": "Tahun Baru 2028 Masehi", "source": "SKB 3 Menteri 2028"}
		e.expect(e.do("POST", "/v1/holidays", e.staffA, h), http.StatusForbidden, "forbidden")
		e.expect(e.do("POST", "/v1/holidays", e.admin, h), http.StatusCreated, "")
		if n := len(e.do("GET", "/v1/holidays?year=2028", e.staffA, nil).items()); n != 1 {
			t.Fatalf("2028 has %d", n)
		}
		delete(h, "source")
		e.expect(e.do("POST", "/v1/holidays", e.admin, h), http.StatusUnprocessableEntity, "validation_failed")
		e.expect(e.do("DELETE", "/v1/holidays/2028-01-01", e.admin, nil), http.StatusNoContent, "")
		e.expect(e.do("DELETE", "/v1/holidays/2028-01-01", e.admin, nil), http.StatusNotFound, "not_found")
	})
}

func TestBookingRules(t *testing.T) {
	e := newEnv(t)
	c := e.wideCourse(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	w1 := e.createPerson(e.staffA, widyaiswaraJSON("w1@bpsdm-a.go.id", "198503102010012003"))
	w2 := e.createPerson(e.staffA, widyaiswaraJSON("w2@bpsdm-a.go.id", "198601012011011001"))
	p1 := e.createPerson(e.staffA, practitionerJSON("p1@example.id"))
	same := practitionerJSON("same@example.id")
	same["unit"] = "bidang pkm"
	pSame := e.createPerson(e.staffA, same)

	t.Run("a practitioner cannot lead", func(t *testing.T) {
		r := e.book(s1, p1, "lead")
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("role") != "hanya widyaiswara yang dapat menjadi pengajar utama" {
			t.Fatal(string(r.Raw))
		}
	})
	var lead int64
	t.Run("a widyaiswara leads", func(t *testing.T) {
		r := e.book(s1, w1, "lead")
		e.expect(r, http.StatusCreated, "")
		lead = r.id()
		if r.Body["status"] != "proposed" || r.Body["uid"] == "" || r.Body["sequence"] != float64(0) {
			t.Fatal(string(r.Raw))
		}
	})
	t.Run("one lead per session", func(t *testing.T) {
		e.expect(e.book(s1, w2, "lead"), http.StatusConflict, "lead_taken")
	})
	t.Run("co-trainers are many", func(t *testing.T) {
		e.expect(e.book(s1, w2, "co_trainer"), http.StatusCreated, "")
		r := e.book(s1, pSame, "co_trainer")
		e.expect(r, http.StatusCreated, "")
		if flags := r.Body["flags"].([]any); len(flags) != 1 || flags[0] != "same_unit_practitioner" {
			t.Fatalf("flags %v", flags)
		}
	})
	t.Run("an overlap names the clashing booking and session", func(t *testing.T) {
		s2 := e.mustSession(c, "2026-12-07T11:00", "2026-12-07T12:30", "Asia/Makassar", "venue", "Aula BPSDM")
		r := e.book(s2, w1, "co_trainer")
		e.expect(r, http.StatusConflict, "booking_conflict")
		d := r.Body["error"].(map[string]any)["details"].(map[string]any)
		if int64(d["booking_id"].(float64)) != lead || int64(d["session_id"].(float64)) != s1 {
			t.Fatalf("details %v", d)
		}
	})
	t.Run("another venue within the travel buffer is a conflict", func(t *testing.T) {
		s3 := e.mustSession(c, "2026-12-07T12:30", "2026-12-07T14:00", "Asia/Makassar", "venue", "Hotel Claro Makassar")
		r := e.book(s3, w1, "co_trainer")
		e.expect(r, http.StatusConflict, "booking_conflict")
		if d := r.Body["error"].(map[string]any)["details"].(map[string]any); d["buffer_minutes"] != float64(60) {
			t.Fatalf("details %v", d)
		}
		s4 := e.mustSession(c, "2026-12-07T12:00", "2026-12-07T13:30", "Asia/Makassar", "venue", "aula bpsdm")
		e.expect(e.book(s4, w1, "co_trainer"), http.StatusCreated, "")
		s5 := e.mustSession(c, "2026-12-07T14:00", "2026-12-07T15:30", "Asia/Makassar", "mode", "online", "venue", "")
		e.expect(e.book(s5, w1, "co_trainer"), http.StatusCreated, "")
	})
	t.Run("outside availability needs force and is flagged", func(t *testing.T) {
		e.expect(e.do("PUT", fmt.Sprintf("/v1/people/%d/availability", p1), e.staffA, map[string]any{
			"windows": []any{map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=TU", "start": "08:00", "end": "17:00"}}}), http.StatusOK, "")
		e.expect(e.book(s1, p1, "co_trainer"), http.StatusConflict, "outside_availability")
		r := e.book(s1, p1, "co_trainer", "force", true)
		e.expect(r, http.StatusCreated, "")
		if flags := r.Body["flags"].([]any); len(flags) != 1 || flags[0] != "outside_availability" || r.Body["forced"] != true {
			t.Fatalf("flags %v", r.Body)
		}
	})
	t.Run("unknown session or person is 404 naming the field", func(t *testing.T) {
		r := e.book(999999, w1, "co_trainer")
		e.expect(r, http.StatusNotFound, "not_found")
		if r.field("session_id") == "" {
			t.Fatal(string(r.Raw))
		}
		bPerson := e.createPerson(e.staffB, practitionerJSON("b@example.id"))
		r = e.book(s1, bPerson, "co_trainer")
		if r.field("person_id") == "" {
			t.Fatal(string(r.Raw))
		}
	})
	t.Run("institution B cannot see A's sessions, courses or bookings", func(t *testing.T) {
		e.expect(e.do("GET", fmt.Sprintf("/v1/sessions/%d", s1), e.staffB, nil), http.StatusNotFound, "not_found")
		e.expect(e.do("GET", fmt.Sprintf("/v1/courses/%d", c), e.staffB, nil), http.StatusNotFound, "not_found")
		e.expect(e.do("GET", fmt.Sprintf("/v1/bookings/%d", lead), e.staffB, nil), http.StatusNotFound, "not_found")
		e.expect(e.transition(e.staffB, lead, "cancelled"), http.StatusNotFound, "not_found")
		e.expect(e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", s1), e.staffB, map[string]any{"topic": "Dicuri"}), http.StatusNotFound, "not_found")
	})
}

func TestBookingLifecycle(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	other := e.createPerson(e.staffA, practitionerJSON("o@example.id"))
	b := e.book(s1, p, "co_trainer").id()
	trainer := e.key("trainer", e.instA, p)
	otherTrainer := e.key("trainer", e.instA, other)

	e.expect(e.transition(trainer, b, "accepted"), http.StatusConflict, "illegal_transition")
	r := e.transition(e.staffA, b, "confirmed")
	e.expect(r, http.StatusConflict, "illegal_transition")
	if d := r.Body["error"].(map[string]any)["details"].(map[string]any); d["current_status"] != "proposed" {
		t.Fatalf("details %v", d)
	}
	e.expect(e.transition(e.staffA, b, "invited"), http.StatusOK, "")
	e.expect(e.do("GET", fmt.Sprintf("/v1/bookings/%d", b), otherTrainer, nil), http.StatusNotFound, "not_found")
	e.expect(e.transition(otherTrainer, b, "accepted"), http.StatusNotFound, "not_found")
	e.expect(e.do("GET", fmt.Sprintf("/v1/bookings/%d", b), trainer, nil), http.StatusOK, "")
	e.expect(e.transition(trainer, b, "accepted"), http.StatusOK, "")
	e.expect(e.transition(trainer, b, "confirmed"), http.StatusForbidden, "trainer_may_only_answer")
	e.expect(e.transition(e.staffA, b, "confirmed"), http.StatusOK, "")
	e.expect(e.transition(e.staffA, b, "completed"), http.StatusConflict, "session_not_ended")
	e.testTime = time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	r = e.transition(e.staffA, b, "completed", "actual_jp", 3)
	e.expect(r, http.StatusOK, "")
	if r.Body["actual_jp"] != float64(3) || len(r.Body["allowed_transitions"].([]any)) != 0 {
		t.Fatalf("%s", r.Raw)
	}
	e.expect(e.transition(e.staffA, b, "cancelled"), http.StatusConflict, "illegal_transition")
	var audits int64
	must(t, e.db.Raw("SELECT count(*) FROM audit_log WHERE entity = 'booking' AND entity_id = ?", b).Scan(&audits).Error)
	if audits != 5 {
		t.Fatalf("%d audit rows, want 5 (create and four transitions)", audits)
	}
}

func TestDeclinedFreesTheSlot(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	s2 := e.mustSession(c, "2026-12-07T10:00", "2026-12-07T11:30", "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	b1 := e.book(s1, p, "co_trainer").id()
	e.expect(e.book(s2, p, "co_trainer"), http.StatusConflict, "booking_conflict")
	e.expect(e.transition(e.staffA, b1, "invited"), http.StatusOK, "")
	e.expect(e.transition(e.staffA, b1, "declined"), http.StatusOK, "")
	e.expect(e.book(s2, p, "co_trainer"), http.StatusCreated, "")
	t.Run("accepting again after declining clashes with the new booking", func(t *testing.T) {
		e.expect(e.transition(e.staffA, b1, "accepted"), http.StatusConflict, "booking_conflict")
	})
}

func TestMovingAndCancellingSessions(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	s2 := e.mustSession(c, "2026-12-08T09:00", "2026-12-08T12:00", "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	b1 := e.book(s1, p, "co_trainer").id()
	e.book(s2, p, "co_trainer")
	path := fmt.Sprintf("/v1/sessions/%d", s1)

	r := e.do("PATCH", path, e.staffA, map[string]any{"start": "2026-12-09T09:00", "end": "2026-12-09T10:30"}, "If-Match", `W/"v1"`)
	e.expect(r, http.StatusOK, "")
	if r.Body["jp"] != float64(2) {
		t.Fatalf("jp not derived again: %s", r.Raw)
	}
	bk := e.do("GET", fmt.Sprintf("/v1/bookings/%d", b1), e.staffA, nil)
	if bk.Body["start"] != "2026-12-09T09:00:00+08:00" || bk.Body["zone_label"] != "WITA" || bk.Body["sequence"] != float64(1) {
		t.Fatalf("booking not moved: %s", bk.Raw)
	}
	e.expect(e.do("PATCH", path, e.staffA, map[string]any{"topic": "Lama"}, "If-Match", `W/"v1"`), http.StatusPreconditionFailed, "stale_session")
	t.Run("a move onto another booking of the person is refused whole", func(t *testing.T) {
		r := e.do("PATCH", path, e.staffA, map[string]any{"start": "2026-12-08T10:00", "end": "2026-12-08T11:30"})
		e.expect(r, http.StatusConflict, "booking_conflict")
		if got := e.do("GET", path, e.staffA, nil).Body["start"]; got != "2026-12-09T09:00:00+08:00" {
			t.Fatalf("session moved anyway: %v", got)
		}
	})
	t.Run("cancelling the session cancels its bookings", func(t *testing.T) {
		r := e.do("PATCH", path, e.staffA, map[string]any{"status": "cancelled"})
		e.expect(r, http.StatusOK, "")
		bk := e.do("GET", fmt.Sprintf("/v1/bookings/%d", b1), e.staffA, nil)
		if bk.Body["status"] != "cancelled" || bk.Body["sequence"] != float64(2) {
			t.Fatalf("booking: %s", bk.Raw)
		}
		e.expect(e.book(s1, p, "co_trainer"), http.StatusConflict, "session_cancelled")
		e.expect(e.do("PATCH", path, e.staffA, map[string]any{"topic": "Baru"}), http.StatusConflict, "session_cancelled")
	})
}

func TestMovingIntoTheTravelBuffer(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	a := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar", "venue", "Aula BPSDM")
	b := e.mustSession(c, "2026-12-07T13:00", "2026-12-07T14:30", "Asia/Makassar", "venue", "Kantor Bupati Gowa")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	e.book(a, p, "co_trainer")
	e.book(b, p, "co_trainer")
	r := e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", b), e.staffA, map[string]any{"start": "2026-12-07T11:00", "end": "2026-12-07T12:30"})
	e.expect(r, http.StatusConflict, "booking_conflict")
	if d := r.Body["error"].(map[string]any)["details"].(map[string]any); d["buffer_minutes"] != float64(60) || d["venue"] != "Aula BPSDM" {
		t.Fatalf("details %v", d)
	}
	if got := e.do("GET", fmt.Sprintf("/v1/sessions/%d", b), e.staffA, nil).Body["start"]; got != "2026-12-07T13:00:00+08:00" {
		t.Fatalf("session moved anyway: %v", got)
	}
	e.expect(e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", b), e.staffA, map[string]any{"start": "2026-12-07T11:30", "end": "2026-12-07T13:00"}),
		http.StatusOK, "")
}

func TestFreeBusyEndpoint(t *testing.T) {
	e := newEnv(t)
	body := practitionerJSON("p@example.id") // Asia/Jayapura
	p := e.createPerson(e.staffA, body)
	r := e.do("PUT", fmt.Sprintf("/v1/people/%d/availability", p), e.staffA, map[string]any{
		"windows":     []any{map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start": "08:00", "end": "12:00"}},
		"unavailable": []any{map[string]any{"start": "2026-12-14T00:00", "end": "2026-12-15T00:00", "reason": "dinas luar"}}})
	e.expect(r, http.StatusOK, "")
	c := e.course(e.staffA)
	// 07:00-09:00 WIB Monday is inside Monday 08:00-12:00 WIT.
	s := e.mustSession(c, "2026-12-07T07:00", "2026-12-07T08:30", "Asia/Jakarta")
	e.expect(e.book(s, p, "co_trainer"), http.StatusCreated, "")
	r = e.do("GET", fmt.Sprintf("/v1/people/%d/freebusy?from=2026-12-07T00:00&to=2026-12-15T00:00&tz=Asia/Jakarta", p), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	free := r.Body["free"].([]any)
	busy := r.Body["busy"].([]any)
	wantFree := []string{"2026-12-07T06:00:00+07:00/2026-12-07T07:00:00+07:00", "2026-12-07T08:30:00+07:00/2026-12-07T10:00:00+07:00"}
	if len(free) != len(wantFree) {
		t.Fatalf("free = %v", free)
	}
	for i, w := range wantFree {
		f := free[i].(map[string]any)
		if f["start"].(string)+"/"+f["end"].(string) != w {
			t.Fatalf("free[%d] = %v, want %s", i, f, w)
		}
	}
	if len(busy) != 2 || busy[0].(map[string]any)["kind"] != "booking" || busy[1].(map[string]any)["reason"] != "dinas luar" {
		t.Fatalf("busy = %v", busy)
	}
	e.expect(e.do("GET", fmt.Sprintf("/v1/people/%d/freebusy?from=2026-12-07T00:00&to=2027-06-07T00:00", p), e.staffA, nil),
		http.StatusUnprocessableEntity, "validation_failed")
	e.expect(e.do("GET", fmt.Sprintf("/v1/people/%d/freebusy?from=2026-12-07T00:00&to=2026-12-08T00:00", p), e.staffB, nil),
		http.StatusNotFound, "not_found")
}

func TestIdempotencyKeys(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	body := map[string]any{"session_id": s1, "person_id": p, "role": "co_trainer"}
	first := e.do("POST", "/v1/bookings", e.staffA, body, "Idempotency-Key", "book-1")
	e.expect(first, http.StatusCreated, "")
	again := e.do("POST", "/v1/bookings", e.staffA, body, "Idempotency-Key", "book-1")
	if again.Status != http.StatusCreated || !bytes.Equal(first.Raw, again.Raw) || again.Header.Get("Idempotent-Replayed") != "true" ||
		again.Header.Get("Location") != first.Header.Get("Location") || again.Header.Get("Location") == "" {
		t.Fatalf("replay differs:\n%s\n%s", first.Raw, again.Raw)
	}
	var n int64
	must(t, e.db.Raw("SELECT count(*) FROM bookings").Scan(&n).Error)
	if n != 1 {
		t.Fatalf("%d bookings after a replay", n)
	}
	body["role"] = "lead"
	e.expect(e.do("POST", "/v1/bookings", e.staffA, body, "Idempotency-Key", "book-1"), http.StatusUnprocessableEntity, "idempotency_key_reused")
	t.Run("keys are scoped per API key", func(t *testing.T) {
		r := e.do("POST", "/v1/courses", e.staffB, map[string]any{"name": "Kursus B", "organising_unit": "Unit B", "funding": "APBN",
			"region": "Jakarta", "start_date": "2026-12-01", "end_date": "2026-12-31"}, "Idempotency-Key", "book-1")
		e.expect(r, http.StatusCreated, "")
		// Another key of the same institution runs the request itself.
		other := e.key(tenant.Staff, e.instA, 0)
		body["role"] = "co_trainer"
		r = e.do("POST", "/v1/bookings", other, body, "Idempotency-Key", "book-1")
		if r.Header.Get("Idempotent-Replayed") != "" || r.Status != http.StatusConflict {
			t.Fatalf("another key got the first key's response: %d %s", r.Status, r.Raw)
		}
	})
	t.Run("a trainer replaying a staff request's key gets no staff response", func(t *testing.T) {
		keyBody := map[string]any{"role": "staff", "name": "second staff key"}
		path := fmt.Sprintf("/v1/institutions/%d/api-keys", e.instA)
		first := e.do("POST", path, e.staffA, keyBody, "Idempotency-Key", "new-key")
		e.expect(first, http.StatusCreated, "")
		trainer := e.key(tenant.Trainer, e.instA, p)
		r := e.do("POST", path, trainer, keyBody, "Idempotency-Key", "new-key")
		e.expect(r, http.StatusForbidden, "forbidden")
		if bytes.Contains(r.Raw, []byte(tenant.KeyPrefix)) {
			t.Fatalf("a secret reached the trainer: %s", r.Raw)
		}
		var stored [][]byte
		must(t, e.db.Raw("SELECT body FROM idempotency_keys WHERE body IS NOT NULL").Scan(&stored).Error)
		for _, b := range stored {
			if bytes.Contains(b, []byte(tenant.KeyPrefix)) || bytes.Contains(b, []byte(`"id"`)) {
				t.Fatalf("a remembered response is stored in clear: %q", b)
			}
		}
		again := e.do("POST", path, e.staffA, keyBody, "Idempotency-Key", "new-key")
		if !bytes.Equal(first.Raw, again.Raw) {
			t.Fatalf("the staff key's own replay differs:\n%s\n%s", first.Raw, again.Raw)
		}
	})
	body["role"] = "lead"
	t.Run("a key still running is 409 until its lease runs out", func(t *testing.T) {
		raw, _ := json.Marshal(body)
		hash := sha256.Sum256(append([]byte("POST /v1/bookings?\n"), raw...))
		kh := sha256.Sum256([]byte("busy"))
		var keyID int64
		must(t, e.db.Raw("SELECT api_key_id FROM idempotency_keys LIMIT 1").Scan(&keyID).Error)
		must(t, e.db.Exec(`INSERT INTO idempotency_keys (api_key_id, key_hash, institution_id, request_hash, state, lease_until, created_at)
			VALUES (?, ?, ?, ?, 'running', ?, ?)`, keyID, kh[:], e.instA, hash[:], e.testTime.Add(30*time.Second), e.testTime).Error)
		e.expect(e.do("POST", "/v1/bookings", e.staffA, body, "Idempotency-Key", "busy"), http.StatusConflict, "idempotency_key_in_progress")
		e.testTime = e.testTime.Add(31 * time.Second)
		// The request runs again: a practitioner cannot lead.
		r := e.do("POST", "/v1/bookings", e.staffA, body, "Idempotency-Key", "busy")
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	})
}

// TestConcurrentBookingsNeverDoubleBook fires 50 concurrent requests for
// one person on 50 mutually overlapping sessions, twenty times.
func TestConcurrentBookingsNeverDoubleBook(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	var sessions []int64
	for i := 0; i < 50; i++ {
		start := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
		sessions = append(sessions, e.mustSession(c, start.Format(time.RFC3339), start.Add(90*time.Minute).Format(time.RFC3339),
			"Asia/Makassar", "mode", "online", "venue", ""))
	}
	for round := 0; round < 20; round++ {
		p := e.createPerson(e.staffA, practitionerJSON(fmt.Sprintf("race%d@example.id", round)))
		statuses := make([]int, len(sessions))
		var wg sync.WaitGroup
		for i, s := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = e.book(s, p, "co_trainer").Status
			}()
		}
		wg.Wait()
		counts := map[int]int{}
		for _, st := range statuses {
			counts[st]++
		}
		var active int64
		must(t, e.db.Raw("SELECT count(*) FROM bookings WHERE person_id = ? AND booking_active(status)", p).Scan(&active).Error)
		if counts[http.StatusCreated] != 1 || counts[http.StatusConflict] != 49 || active != 1 {
			t.Fatalf("round %d: statuses %v, %d active bookings", round, counts, active)
		}
	}
}

func TestListingCoursesAndBookings(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	e.course(e.staffA)
	e.course(e.staffB)
	s := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar")
	var people []int64
	for i := 0; i < 3; i++ {
		p := e.createPerson(e.staffA, practitionerJSON(fmt.Sprintf("p%d@example.id", i)))
		people = append(people, p)
		e.book(s, p, "co_trainer")
	}
	r := e.do("GET", "/v1/courses?limit=1", e.staffA, nil)
	if len(r.items()) != 1 || r.Body["next_cursor"] == "" {
		t.Fatalf("%s", r.Raw)
	}
	r = e.do("GET", "/v1/courses?limit=1&cursor="+r.Body["next_cursor"].(string), e.staffA, nil)
	if len(r.items()) != 1 {
		t.Fatalf("page 2 %s", r.Raw)
	}
	if n := len(e.do("GET", "/v1/courses", e.staffB, nil).items()); n != 1 {
		t.Fatalf("B sees %d courses", n)
	}
	var seen []float64
	cursor := ""
	for page := 0; page < 5; page++ {
		r := e.do("GET", fmt.Sprintf("/v1/bookings?session_id=%d&limit=2&cursor=%s", s, cursor), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		for _, b := range r.items() {
			seen = append(seen, b["person_id"].(float64))
		}
		if cursor = r.Body["next_cursor"].(string); cursor == "" {
			break
		}
	}
	if len(seen) != 3 {
		t.Fatalf("paged bookings %v", seen)
	}
	trainer := e.key("trainer", e.instA, people[1])
	mine := e.do("GET", "/v1/bookings", trainer, nil).items()
	if len(mine) != 1 || int64(mine[0]["person_id"].(float64)) != people[1] {
		t.Fatalf("trainer sees %v", mine)
	}
	if n := len(e.do("GET", "/v1/bookings", e.staffB, nil).items()); n != 0 {
		t.Fatalf("B sees %d bookings", n)
	}
	e.expect(e.do("GET", "/v1/bookings?status=maybe", e.staffA, nil), http.StatusUnprocessableEntity, "validation_failed")
	e.expect(e.do("GET", "/v1/bookings?cursor=!!", e.staffA, nil), http.StatusUnprocessableEntity, "validation_failed")
}
