package api_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"sinergi/audit"
	"sinergi/errs"
	"sinergi/scheduling"
)

// TestASessionThatTookPlaceStaysPut: once a session has begun or has a
// completed booking, neither the API nor the domain moves or cancels it,
// and no invitation is sent for it.
func TestASessionThatTookPlaceStaysPut(t *testing.T) {
	e := newEnv(t)
	p := e.createPerson(e.staffA, practitionerJSON("held@example.id"))
	_, bookings := e.ledgerCourse(1, map[int64]string{p: "co_trainer"})
	b := bookings[p][0]
	e.expect(e.transition(e.staffA, b, "completed"), http.StatusOK, "")
	sess := int64(e.booking(b).Body["session_id"].(float64))
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})

	t.Run("the API refuses moving it with its own code", func(t *testing.T) {
		r := e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", sess), e.staffA, map[string]any{"venue": "Hotel Lain"})
		e.expect(r, http.StatusConflict, "session_held")
		r = e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", sess), e.staffA, map[string]any{"status": "cancelled"})
		e.expect(r, http.StatusConflict, "session_held")
	})
	t.Run("the domain refuses it too and nothing is queued", func(t *testing.T) {
		before := len(e.outboxTexts(b))
		_, _, _, err := e.sched.UpdateSession(ctx, e.instA, sess, 0, false, func(s *scheduling.Session) {
			s.Start, s.End = s.Start.Add(48*time.Hour), s.End.Add(48*time.Hour)
		})
		if codeOf(err) != "session_held" {
			t.Fatalf("got %v, want session_held", err)
		}
		if after := len(e.outboxTexts(b)); after != before {
			t.Fatalf("%d messages queued by a refused move", after-before)
		}
	})
	t.Run("a topic may still be corrected", func(t *testing.T) {
		r := e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", sess), e.staffA, map[string]any{"topic": "Manajemen Risiko Bencana II"})
		e.expect(r, http.StatusOK, "")
	})
	t.Run("a session that has begun refuses an invitation", func(t *testing.T) {
		w := e.createPerson(e.staffA, practitionerJSON("late@example.id"))
		nb := e.book(sess, w, "co_trainer", "force", true)
		e.expect(nb, http.StatusCreated, "")
		e.expect(e.transition(e.staffA, nb.id(), "invited"), http.StatusConflict, "session_begun")
		_, _, err := e.sched.TransitionBooking(ctx, scheduling.Scope{InstitutionID: e.instA}, nb.id(), scheduling.Invited, 0)
		if codeOf(err) != "session_begun" {
			t.Fatalf("got %v, want session_begun", err)
		}
	})
}

// codeOf is an error's code, or "" when it has none.
func codeOf(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// A revoked certificate stays revoked: issuing the course again passes its
// holder by, issuing to them alone is refused with its own code, and
// reissuing the revoked certificate is the way to a new one.
func TestRevokedCertificateIsOnlyReissued(t *testing.T) {
	e := newEnv(t)
	c, _, p := completedCourse(e)
	e.certSigner()
	r := e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p})
	e.expect(r, http.StatusCreated, "")
	cert := r.id()
	e.expect(e.do("POST", fmt.Sprintf("/v1/certificates/%d/revoke", cert), e.staffA, map[string]any{"reason": "salah nama"}), http.StatusOK, "")

	e.expect(e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p}), http.StatusConflict, "certificate_revoked")
	all := e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "all": true})
	for _, it := range all.items() {
		if int64(it["person_id"].(float64)) == p {
			t.Fatalf("issuing the course again certified the revoked holder: %s", all.Raw)
		}
	}
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	if _, err := e.app.Certificates.Issue(ctx, e.instA, c, p, 0); codeOf(err) != "certificate_revoked" {
		t.Fatalf("the domain issued to a revoked holder: %v", err)
	}
	var valid int64
	must(t, e.db.Raw(`SELECT count(*) FROM certificates WHERE person_id = ? AND course_id = ? AND status = 'valid'`, p, c).Scan(&valid).Error)
	if valid != 0 {
		t.Fatalf("%d valid certificates after the revocation", valid)
	}
	re := e.do("POST", fmt.Sprintf("/v1/certificates/%d/reissue", cert), e.staffA, map[string]any{"reason": "nama diperbaiki"})
	if re.Status != http.StatusCreated && re.Status != http.StatusOK {
		t.Fatalf("reissuing the revoked certificate: %d %s", re.Status, re.Raw)
	}
	if got := int64(re.Body["replaces_id"].(float64)); got != cert {
		t.Fatalf("the replacement replaces %d, want %d", got, cert)
	}
}

// Adding a holiday on a date that has one is refused at the date field
// unless replacing it is asked for, in the API and in the domain.
func TestHolidayOnATakenDateIsNotSilentlyReplaced(t *testing.T) {
	e := newEnv(t)
	h := map[string]any{"date": "2026-12-25", "kind": "cuti_bersama", "name_id": "Cuti Bersama Uji", "source": "SKB uji"}
	r := e.do("POST", "/v1/holidays", e.admin, h)
	e.expect(r, http.StatusConflict, "holiday_exists")
	if !strings.Contains(r.field("date"), "Natal") {
		t.Fatalf("the date field does not name the holiday there: %s", r.Raw)
	}
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	date := time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC)
	_, err := e.sched.PutHoliday(ctx, scheduling.Holiday{Date: date, Kind: scheduling.CutiBersama, NameID: "Lain", Source: "SKB uji"}, false)
	if codeOf(err) != "holiday_exists" {
		t.Fatalf("the domain: %v", err)
	}
	if got, _ := e.sched.Holidays(ctx, 2026); !hasHoliday(got, date, "Natal") {
		t.Fatal("a refused holiday replaced the one there")
	}
	h["replace"] = true
	e.expect(e.do("POST", "/v1/holidays", e.admin, h), http.StatusCreated, "")
	if got, _ := e.sched.Holidays(ctx, 2026); !hasHoliday(got, date, "Cuti Bersama Uji") {
		t.Fatal("replace: true did not replace it")
	}
}

func hasHoliday(hs []scheduling.Holiday, date time.Time, name string) bool {
	for _, h := range hs {
		if h.Date.Equal(date) && strings.Contains(h.NameID, name) {
			return true
		}
	}
	return false
}

// A session on a national holiday is refused with the problem at the start
// field; the holidays a session falls on are what its creation warned of.
func TestHolidayProblemNamesTheStartField(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	r := e.session(e.staffA, c, "2026-12-25T09:00", "2026-12-25T10:30", "Asia/Makassar")
	e.expect(r, http.StatusConflict, "holiday")
	if !strings.Contains(r.field("start"), "libur nasional") {
		t.Fatalf("the start field does not say why: %s", r.Raw)
	}
	r = e.session(e.staffA, c, "2026-12-24T09:00", "2026-12-24T10:30", "Asia/Makassar")
	e.expect(r, http.StatusCreated, "")
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	sess, err := e.sched.Session(ctx, e.instA, r.id())
	must(t, err)
	hs, err := e.sched.SessionHolidays(ctx, sess)
	if err != nil || len(hs) != 1 || hs[0].Kind != scheduling.CutiBersama {
		t.Fatalf("the session's holidays: %v %v", hs, err)
	}
}

// A payment is recorded with its date and the treasurer's reference; a
// date in the future is refused at its field and pays nothing.
func TestPaymentRecordsDateAndReference(t *testing.T) {
	e := newEnv(t)
	p := e.createPerson(e.staffA, practitionerJSON("pay@example.id"))
	_, bookings := e.ledgerCourse(2, map[int64]string{p: "co_trainer"})
	var ids []int64
	for _, b := range bookings[p] {
		e.expect(e.transition(e.staffA, b, "completed"), http.StatusOK, "")
		id := num(e.mustAccrue(b, "narasumber_menteri"), "id")
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", id), e.staffA, nil), http.StatusOK, "")
		ids = append(ids, id)
	}
	// testTime is 2026-12-31.
	r := e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", ids[0]), e.staffA, map[string]any{"paid_on": "2027-01-05", "reference": "SP2D 1"})
	e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	if r.field("paid_on") == "" {
		t.Fatalf("the future date is not named: %s", r.Raw)
	}
	r = e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", ids[0]), e.staffA, map[string]any{"paid_on": "2026-12-30", "reference": " SP2D 00123/2026 "})
	e.expect(r, http.StatusOK, "")
	if r.Body["paid_on"] != "2026-12-30" || r.Body["payment_reference"] != "SP2D 00123/2026" {
		t.Fatalf("the payment reads %s", r.Raw)
	}
	// Without a body, today and no reference (the API as it was).
	e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", ids[1]), e.staffA, nil), http.StatusOK, "")
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	h, err := e.app.Incentives.Honorarium(ctx, e.instA, ids[1])
	must(t, err)
	if h.Payment.On.Format(time.DateOnly) != "2026-12-31" || h.Payment.Reference != "" {
		t.Fatalf("paid without a body: %+v", h.Payment)
	}
	csv := string(e.do("GET", "/v1/honoraria/export.csv?year=2026", e.staffA, nil).Raw)
	if !strings.Contains(csv, "Bukti Bayar") || !strings.Contains(csv, "30-12-2026 SP2D 00123/2026; 31-12-2026") {
		t.Fatalf("the export does not carry the payments:\n%s", csv)
	}
}

// TestARequiredCompetencyMustBeKnown: a session may require only
// competencies of the institution's taxonomy, on creation and on a
// change; a code nobody can hold is refused at its field, in Indonesian,
// and nothing is saved.
func TestARequiredCompetencyMustBeKnown(t *testing.T) {
	e := newEnv(t)
	course := e.course(e.staffA)
	unknown := []any{map[string]any{"code": "komunikasi", "min_level": 3}, map[string]any{"code": "komunikasii", "min_level": 2}}
	r := e.session(e.staffA, course, "2026-12-07T09:00:00+08:00", "2026-12-07T10:30:00+08:00", "Asia/Makassar",
		"required_competencies", unknown)
	e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	if got := r.field("required_competencies[1].code"); !strings.Contains(got, "taksonomi") {
		t.Fatalf("the unknown code's field reads %q: %v", got, r.Body)
	}
	if r.field("required_competencies[0].code") != "" {
		t.Fatal("the known code is blamed too")
	}
	list := e.do("GET", fmt.Sprintf("/v1/sessions?course_id=%d", course), e.staffA, nil)
	e.expect(list, http.StatusOK, "")
	if n := len(list.items()); n != 0 {
		t.Fatalf("%d sessions saved by a refused create", n)
	}
	sess := e.mustSession(course, "2026-12-07T09:00:00+08:00", "2026-12-07T10:30:00+08:00", "Asia/Makassar")
	r = e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", sess), e.staffA, map[string]any{"required_competencies": unknown})
	e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	got := e.do("GET", fmt.Sprintf("/v1/sessions/%d", sess), e.staffA, nil)
	if reqs, _ := got.Body["required_competencies"].([]any); len(reqs) != 1 {
		t.Fatalf("a refused change altered the requirements: %v", got.Body)
	}
}
