package api_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/emersion/go-message/mail"
)

// outboxTexts returns the plain-text parts of the messages queued for a
// booking, oldest first.
func (e *env) outboxTexts(booking int64) []string {
	e.t.Helper()
	var raws [][]byte
	must(e.t, e.db.Raw("SELECT message FROM outbox WHERE booking_id = ? ORDER BY id", booking).Scan(&raws).Error)
	var out []string
	for _, raw := range raws {
		r, err := mail.CreateReader(bytes.NewReader(raw))
		must(e.t, err)
		text := ""
		for {
			p, err := r.NextPart()
			if err != nil {
				break
			}
			if h, ok := p.Header.(*mail.InlineHeader); ok {
				if ct, _, _ := h.ContentType(); ct == "text/plain" {
					b, _ := io.ReadAll(p.Body)
					text = string(b)
				}
			}
		}
		out = append(out, text)
	}
	return out
}

func TestSignificantChangesAskAgain(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T08:00", "2026-12-07T09:30", "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	b := e.book(s, p, "co_trainer").id()
	e.expect(e.transition(e.staffA, b, "invited"), http.StatusOK, "")
	e.expect(e.transition(e.staffA, b, "accepted"), http.StatusOK, "")
	path := fmt.Sprintf("/v1/sessions/%d", s)
	booking := func() map[string]any { return e.do("GET", fmt.Sprintf("/v1/bookings/%d", b), e.staffA, nil).Body }

	t.Run("a new time bumps SEQUENCE, asks again and says what changed", func(t *testing.T) {
		e.expect(e.do("PATCH", path, e.staffA, map[string]any{"start": "2026-12-07T13:00", "end": "2026-12-07T14:30"}), http.StatusOK, "")
		got := booking()
		if got["status"] != "invited" || got["sequence"] != float64(1) {
			t.Fatalf("after the move: %v %v, want invited and SEQUENCE 1", got["status"], got["sequence"])
		}
		texts := e.outboxTexts(b)
		if len(texts) != 2 {
			t.Fatalf("%d messages queued, want the invitation and one update", len(texts))
		}
		for _, want := range []string{"Waktu berubah", "08:00", "13:00", "WITA"} {
			if !strings.Contains(texts[1], want) {
				t.Errorf("the update does not say %q:\n%s", want, texts[1])
			}
		}
	})
	t.Run("a new venue does the same", func(t *testing.T) {
		e.expect(e.transition(e.staffA, b, "accepted"), http.StatusOK, "")
		e.expect(e.do("PATCH", path, e.staffA, map[string]any{"venue": "Ruang Rapat Lt. 3"}), http.StatusOK, "")
		got := booking()
		if got["status"] != "invited" || got["sequence"] != float64(2) {
			t.Fatalf("after the venue change: %v %v", got["status"], got["sequence"])
		}
		texts := e.outboxTexts(b)
		if len(texts) != 3 || !strings.Contains(texts[2], "Aula BPSDM") || !strings.Contains(texts[2], "Ruang Rapat Lt. 3") {
			t.Fatalf("the update does not name the old and new room: %q", texts[len(texts)-1])
		}
	})
	t.Run("a new topic is not significant: nothing is sent", func(t *testing.T) {
		e.expect(e.do("PATCH", path, e.staffA, map[string]any{"topic": "Manajemen Risiko"}), http.StatusOK, "")
		if got := booking(); got["sequence"] != float64(2) || len(e.outboxTexts(b)) != 3 {
			t.Fatalf("a topic change moved SEQUENCE or sent mail: %v", got)
		}
	})
	t.Run("a proposed booking moves silently", func(t *testing.T) {
		p2 := e.createPerson(e.staffA, practitionerJSON("p2@example.id"))
		b2 := e.book(s, p2, "co_trainer").id()
		e.expect(e.do("PATCH", path, e.staffA, map[string]any{"start": "2026-12-07T14:00", "end": "2026-12-07T15:30"}), http.StatusOK, "")
		if n := len(e.outboxTexts(b2)); n != 0 {
			t.Fatalf("%d messages for a booking never invited", n)
		}
	})
}

func TestInviteAndItsMessageCommitTogether(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T08:00", "2026-12-07T09:30", "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	b := e.book(s, p, "co_trainer").id()
	var audits int64
	must(t, e.db.Raw("SELECT count(*) FROM audit_log").Scan(&audits).Error)
	// The outbox refuses every row: the invitation cannot be queued.
	must(t, e.db.Exec("ALTER TABLE outbox ADD CONSTRAINT refuse_all CHECK (false) NOT VALID").Error)
	r := e.transition(e.staffA, b, "invited")
	if r.Status != http.StatusInternalServerError {
		t.Fatalf("got %d %s, want 500 when the message cannot be queued", r.Status, r.Raw)
	}
	var after int64
	must(t, e.db.Raw("SELECT count(*) FROM audit_log").Scan(&after).Error)
	if got := e.do("GET", fmt.Sprintf("/v1/bookings/%d", b), e.staffA, nil).Body["status"]; got != "proposed" || after != audits {
		t.Fatalf("status %v and %d new audit rows after a failed invitation; want proposed and none", got, after-audits)
	}
	must(t, e.db.Exec("ALTER TABLE outbox DROP CONSTRAINT refuse_all").Error)
	e.expect(e.transition(e.staffA, b, "invited"), http.StatusOK, "")
	if n := len(e.outboxTexts(b)); n != 1 {
		t.Fatalf("%d messages after the invitation, want 1", n)
	}
}

func TestApplyKeepsTheTravelBuffer(t *testing.T) {
	m := newMatchingEnv(t)
	e := m.env
	path := fmt.Sprintf("/v1/courses/%d/assignments", m.course)
	r := e.do("POST", path, e.staffA, map[string]any{"co_trainers_per_session": 1})
	e.expect(r, http.StatusCreated, "")
	var someone float64
	for _, x := range r.Body["slots"].([]any) {
		sl := x.(map[string]any)
		if sl["session_id"] == float64(m.s3) {
			someone = sl["candidate"].(map[string]any)["person"].(map[string]any)["id"].(float64)
		}
	}
	// s3 is 09:00–12:00 WITA at Aula BPSDM; 12:30 elsewhere is inside the hour of travel.
	near := e.mustSession(m.course, "2026-12-08T12:30", "2026-12-08T14:00", "Asia/Makassar", "venue", "Kantor Gubernur")
	e.expect(e.book(near, int64(someone), "co_trainer"), http.StatusCreated, "")
	var before int64
	must(t, e.db.Raw("SELECT count(*) FROM bookings").Scan(&before).Error)
	r = e.do("POST", fmt.Sprintf("%s/%d/apply", path, r.id()), e.staffA, nil)
	e.expect(r, http.StatusConflict, "booking_conflict")
	if d, _ := r.Body["error"].(map[string]any)["details"].(map[string]any); d["buffer_minutes"] != float64(60) {
		t.Fatalf("the refusal does not name the travel buffer: %s", r.Raw)
	}
	var after int64
	must(t, e.db.Raw("SELECT count(*) FROM bookings").Scan(&after).Error)
	if after != before {
		t.Fatalf("%d bookings were made by a refused apply", after-before)
	}
}

func TestActiveConditionHasOneMeaning(t *testing.T) {
	e := newEnv(t)
	for _, st := range []string{"proposed", "invited", "accepted", "declined", "tentative", "confirmed", "completed", "cancelled"} {
		var sql bool
		must(t, e.db.Raw("SELECT booking_active(?)", st).Scan(&sql).Error)
		if want := st != "declined" && st != "cancelled"; sql != want {
			t.Errorf("booking_active(%s) = %v", st, sql)
		}
	}
}

func TestAnotherInstitutionsBookingIsOnlyBusy(t *testing.T) {
	e := newEnv(t)
	shared := practitionerJSON("shared@example.id")
	shared["share_profile"] = true
	p := e.createPerson(e.staffA, shared)
	// Institution B books A's shared practitioner.
	rb := e.do("POST", "/v1/courses", e.staffB, map[string]any{"name": "Kursus B", "organising_unit": "Unit B", "funding": "APBN",
		"region": "Jakarta", "start_date": "2026-12-01", "end_date": "2026-12-31"})
	e.expect(rb, http.StatusCreated, "")
	sb := e.do("POST", fmt.Sprintf("/v1/courses/%d/sessions", rb.id()), e.staffB, map[string]any{"topic": "Rahasia B",
		"start": "2026-12-07T09:00", "end": "2026-12-07T10:30", "zone": "Asia/Jakarta", "mode": "online"})
	e.expect(sb, http.StatusCreated, "")
	e.expect(e.do("POST", "/v1/bookings", e.staffB, map[string]any{"session_id": sb.id(), "person_id": p, "role": "co_trainer"}),
		http.StatusCreated, "")

	fb := e.do("GET", fmt.Sprintf("/v1/people/%d/freebusy?from=2026-12-07T00:00&to=2026-12-08T00:00", p), e.staffA, nil)
	e.expect(fb, http.StatusOK, "")
	if len(fb.Body["busy"].([]any)) != 1 || bytes.Contains(fb.Raw, []byte("Rahasia")) || bytes.Contains(fb.Raw, []byte(`"session_id"`)) {
		t.Fatalf("A sees more than busy time of B's booking: %s", fb.Raw)
	}
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T10:00", "2026-12-07T11:30", "Asia/Makassar", "mode", "online", "venue", "")
	r := e.book(s, p, "co_trainer")
	e.expect(r, http.StatusConflict, "booking_conflict")
	if bytes.Contains(r.Raw, []byte("Rahasia")) || r.Body["error"].(map[string]any)["details"] != nil {
		t.Fatalf("the conflict names B's booking: %s", r.Raw)
	}
}
