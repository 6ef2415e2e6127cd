package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/incentive"
	"sinergi/scheduling"
)

// boardWithEverything is the board fixture with a flagged calendar reply
// on the later booking, a paid honorarium and a certificate for this
// morning's, and a saved assignment proposal.
type boardWithEverything struct {
	boardFixture
	reply, honorarium, certificate int64
}

func newBoardWithEverything(t *testing.T, e *env) boardWithEverything {
	t.Helper()
	f := boardWithEverything{boardFixture: newBoard(t, e)}
	a, ctx := e.app, f.ctx
	e.inbound(t, f.gateway, calendarReply(t, f.laterB.UID, "someone@elsewhere.example", "marthen@example.id", "ACCEPTED", "ya"))
	open, err := a.Replies.Messages(ctx, e.instA, calendar.MessageFilter{Attention: true}, 10)
	must(t, err)
	if len(open) != 1 {
		t.Fatalf("%d replies flagged, want 1", len(open))
	}
	f.reply = open[0].ID
	_, fx, err := a.Scheduling.TransitionBooking(ctx, scheduling.Scope{InstitutionID: e.instA}, f.todayB.ID, scheduling.Completed, 0)
	must(t, err)
	must(t, fx.HonorariumError)
	f.honorarium = fx.HonorariumID
	_, err = a.Incentives.Approve(ctx, e.instA, f.honorarium, 0)
	must(t, err)
	_, err = a.Incentives.Pay(ctx, e.instA, f.honorarium, 0, incentive.Payment{})
	must(t, err)
	must(t, a.Certificates.PutSettings(ctx, e.instA, certification.Settings{Template: "{seq:04}/{code}/{year}",
		SignerName: "Dr. Andi Makkasau", SignerTitle: "Kepala BPSDM", SignerNIP: "197001011990031001"}))
	certs, err := a.Certificates.IssueCourse(ctx, e.instA, f.course)
	must(t, err)
	f.certificate = certs[0].ID
	return f
}

// state is what the destructive actions would change, read from the
// database, with the mail queued and the audit rows written (a move's dry
// run queues and audits nothing that stays).
func (f boardWithEverything) state(t *testing.T, e *env) string {
	t.Helper()
	var st struct {
		Later, Today, Cert string
		Reversals, Open    int64
		Start              string
		Mail, Audit        int64
	}
	must(t, e.db.Raw(`SELECT (SELECT status FROM bookings WHERE id = ?) AS later, (SELECT status FROM bookings WHERE id = ?) AS today,
		(SELECT status FROM certificates WHERE id = ?) AS cert, (SELECT count(*) FROM honoraria WHERE reverses_id = ?) AS reversals,
		(SELECT count(*) FROM itip_messages WHERE attention AND resolved_at IS NULL) AS open,
		(SELECT (starts_at AT TIME ZONE 'UTC')::text FROM sessions WHERE id = ?) AS start,
		(SELECT count(*) FROM outbox) AS mail, (SELECT count(*) FROM audit_log) AS audit`,
		f.laterB.ID, f.todayB.ID, f.certificate, f.honorarium, f.later.ID).Scan(&st).Error)
	return fmt.Sprintf("%+v", st)
}

// Every route of the board answers 404 for another institution's
// sessions, bookings, replies, honoraria, certificates and courses, with
// or without the confirmation, and changes nothing.
func TestBoardRoutesHideAnotherInstitution(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	before := f.state(t, e)
	b := e.client()
	b.login(e.staffB, password)
	moved := url.Values{"version": {"1"}, "zone": {"Asia/Makassar"}, "start": {"2026-12-08T13:00"}, "end": {"2026-12-08T14:30"},
		"mode": {"offline"}, "venue": {"Aula"}}
	withConfirm := func(v url.Values) url.Values {
		out := url.Values{"confirm": {"yes"}}
		for k, vs := range v {
			out[k] = vs
		}
		return out
	}
	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", fmt.Sprintf("/console/sessions/%d", f.later.ID), nil},
		{"GET", fmt.Sprintf("/console/sessions/%d/edit", f.later.ID), nil},
		{"POST", fmt.Sprintf("/console/sessions/%d/edit", f.later.ID), moved},
		{"POST", fmt.Sprintf("/console/sessions/%d/edit", f.later.ID), withConfirm(moved)},
		{"POST", fmt.Sprintf("/console/replies/%d/resolve", f.reply), url.Values{}},
		{"GET", fmt.Sprintf("/console/bookings/%d", f.laterB.ID), nil},
		{"POST", fmt.Sprintf("/console/bookings/%d/status", f.laterB.ID), url.Values{"to": {"cancelled"}}},
		{"POST", fmt.Sprintf("/console/bookings/%d/status", f.laterB.ID), url.Values{"to": {"cancelled"}, "confirm": {"yes"}}},
		{"POST", fmt.Sprintf("/console/honoraria/%d/reverse", f.honorarium), url.Values{}},
		{"POST", fmt.Sprintf("/console/honoraria/%d/reverse", f.honorarium), url.Values{"confirm": {"yes"}}},
		{"POST", fmt.Sprintf("/console/certificates/%d/revoke", f.certificate), url.Values{"reason": {"salah nama"}}},
		{"POST", fmt.Sprintf("/console/certificates/%d/revoke", f.certificate), url.Values{"reason": {"salah nama"}, "confirm": {"yes"}}},
		{"GET", fmt.Sprintf("/console/courses/%d", f.course), nil},
		{"POST", fmt.Sprintf("/console/courses/%d/assignments/1/apply", f.course), url.Values{}},
		{"POST", fmt.Sprintf("/console/courses/%d/assignments/1/apply", f.course), url.Values{"confirm": {"yes"}}},
	}
	for _, rt := range routes {
		t.Run(rt.method+" "+rt.path+" "+rt.form.Encode(), func(t *testing.T) {
			r := b.do(rt.method, rt.path, rt.form)
			if r.Status != http.StatusNotFound {
				t.Fatalf("answered %d", r.Status)
			}
			if strings.Contains(r.Body, "Marthen") || strings.Contains(r.Body, "Papan Pemesanan") {
				t.Fatal("the answer shows A's data")
			}
		})
	}
	if after := f.state(t, e); after != before {
		t.Fatalf("B changed A's data:\n%s\n%s", before, after)
	}
}

// A destructive post without confirm=yes answers the confirmation page
// and changes nothing; with it, the change is made and audited on the
// booking's trail.
func TestDestructivePostsAskFirst(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	a := e.client()
	a.login(e.staffA, password)
	before := f.state(t, e)
	moved := url.Values{"version": {fmt.Sprint(f.later.Version)}, "zone": {"Asia/Makassar"}, "start": {"2026-12-08T13:00"},
		"end": {"2026-12-08T14:30"}, "mode": {"offline"}, "venue": {"Aula BPSDM"}}
	asks := []struct {
		name, path string
		form       url.Values
		says       string
	}{
		{"cancelling a booking", fmt.Sprintf("/console/bookings/%d/status", f.laterB.ID), url.Values{"to": {"cancelled"}}, "e-mail pembatalan"},
		{"reversing a payment", fmt.Sprintf("/console/honoraria/%d/reverse", f.honorarium), url.Values{}, "Baris pembalik sebesar -Rp600.000"},
		{"revoking a certificate", fmt.Sprintf("/console/certificates/%d/revoke", f.certificate), url.Values{"reason": {"salah nama"}}, "Alasan: salah nama"},
		{"moving a session with an invited trainer", fmt.Sprintf("/console/sessions/%d/edit", f.later.ID), moved, "Marthen Rumbiak"},
	}
	for _, ask := range asks {
		t.Run(ask.name, func(t *testing.T) {
			r := a.post(ask.path, ask.form)
			if r.Status != http.StatusOK || !strings.Contains(r.Body, `name="confirm" value="yes"`) || !strings.Contains(r.Body, ask.says) {
				t.Fatalf("answered %d without the confirmation saying %q:\n%s", r.Status, ask.says, r.Body)
			}
		})
	}
	if after := f.state(t, e); after != before {
		t.Fatalf("asking changed data:\n%s\n%s", before, after)
	}

	for _, ask := range asks {
		form := url.Values{"confirm": {"yes"}}
		for k, v := range ask.form {
			form[k] = v
		}
		if ask.name == "cancelling a booking" {
			continue // the move below asks the trainer again first
		}
		if r := a.post(ask.path, form); r.Status != http.StatusSeeOther {
			t.Fatalf("%s, confirmed: %d %s", ask.name, r.Status, r.Body)
		}
	}
	if r := a.post(asks[0].path, url.Values{"to": {"cancelled"}, "confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancelling, confirmed: %d", r.Status)
	}
	got := f.state(t, e)
	for _, want := range []string{"Later:cancelled", "Cert:revoked", "Reversals:1", "Start:2026-12-08 05:00:00"} {
		if !strings.Contains(got, want) {
			t.Errorf("after confirming: %s, want %s", got, want)
		}
	}
	var actions []string
	must(t, e.db.Raw(`SELECT entity || ':' || action FROM audit_log WHERE actor_user_id IS NOT NULL ORDER BY id`).Scan(&actions).Error)
	for _, want := range []string{"honorarium:reverse", "certificate:revoke", "session:update", "booking:transition"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("the audit log by the signed-in user has no %s: %v", want, actions)
		}
	}
	trail := a.get(fmt.Sprintf("/console/bookings/%d", f.laterB.ID)).Body
	for _, want := range []string{"Sesi diubah", "dibatalkan"} {
		if !strings.Contains(trail, want) {
			t.Errorf("the booking's trail does not show %q", want)
		}
	}
	trail = a.get(fmt.Sprintf("/console/bookings/%d", f.todayB.ID)).Body
	for _, want := range []string{"Pembayaran dibalik", "Sertifikat dicabut"} {
		if !strings.Contains(trail, want) {
			t.Errorf("the booking's trail does not show %q", want)
		}
	}
}

// The course's sessions and the honoraria page by ?page= and ?size=,
// keeping the filters in their links; a bad year is a field error in
// place.
func TestListsPage(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	for i := range 28 {
		d := 24 + i%7
		start := fmt.Sprintf("2026-11-%02dT%02d:00", d, 8+i/7*2)
		if d > 30 {
			start = fmt.Sprintf("2026-12-%02dT%02d:00", d-30, 8+i/7*2)
		}
		st, err := time.ParseInLocation("2006-01-02T15:04", start, time.FixedZone("WITA", 8*3600))
		must(t, err)
		_, _, err = e.app.Scheduling.CreateSession(f.ctx, e.instA, f.course, scheduling.Session{Topic: fmt.Sprintf("Sesi Berkala %02d", i+1),
			Zone: "Asia/Makassar", Start: st, End: st.Add(90 * time.Minute), Mode: scheduling.Online}, false)
		must(t, err)
	}
	a := e.client()
	a.login(e.staffA, password)
	course := fmt.Sprintf("/console/courses/%d", f.course)
	count := func(body string) int { return strings.Count(body, `<li><a href="/console/sessions/`) }
	r := a.get(course)
	if n := count(r.Body); n != 25 || !strings.Contains(r.Body, `href="`+course+`?page=2" rel="next"`) || strings.Contains(r.Body, `rel="prev"`) {
		t.Fatalf("the first page shows %d of 30 sessions:\n%s", n, r.Body)
	}
	r = a.get(course + "?page=2")
	if n := count(r.Body); n != 5 || !strings.Contains(r.Body, `rel="prev"`) || strings.Contains(r.Body, `rel="next"`) || !strings.Contains(r.Body, "26–30 dari 30") {
		t.Fatalf("the second page shows %d sessions", n)
	}
	r = a.get(course + "?size=10&page=2")
	if n := count(r.Body); n != 10 || !strings.Contains(r.Body, "page=3&amp;size=10") {
		t.Fatalf("ten a page, page 2, shows %d:\n%s", n, r.Body[strings.Index(r.Body, "pager"):])
	}

	r = a.get(fmt.Sprintf("/console/honoraria?status=paid&person_id=%d", e.practitioner))
	if !strings.Contains(r.Body, fmt.Sprintf(`id="h-%d"`, f.honorarium)) {
		t.Fatal("the practitioner's paid honorarium is not listed")
	}
	if r = a.get("/console/honoraria?status=draft"); strings.Contains(r.Body, fmt.Sprintf(`id="h-%d"`, f.honorarium)) {
		t.Fatal("a paid row is listed under drafts")
	}
	if r = a.get("/console/honoraria?year=2025"); strings.Contains(r.Body, `id="h-`) {
		t.Fatal("rows of 2026 are listed for 2025")
	}
	if r = a.get("/console/honoraria?year=tahun"); !strings.Contains(r.Body, `id="f-year-err"`) {
		t.Fatalf("a bad year has no error in place:\n%s", r.Body)
	}
}

// A flagged message that names no booking (unreadable, unknown UID) is
// marked handled from the dashboard, by its own institution only.
func TestUnmatchedReplyHandledFromDashboard(t *testing.T) {
	e := newEnv(t)
	f := newBoard(t, e)
	if got := e.inbound(t, f.gateway, calendarReply(t, "nope@elsewhere", "marthen@example.id", "marthen@example.id", "ACCEPTED", "ya")); !strings.Contains(got, `"attention":true`) {
		t.Fatalf("an unknown UID: %s", got)
	}
	var id int64
	must(t, e.db.Raw(`SELECT id FROM itip_messages WHERE booking_id IS NULL AND attention`).Scan(&id).Error)
	a, b := e.client(), e.client()
	a.login(e.staffA, password)
	b.login(e.staffB, password)
	resolve := fmt.Sprintf("/console/replies/%d/resolve", id)
	if r := a.get("/console/dashboard"); !strings.Contains(r.Body, `action="`+resolve+`"`) ||
		!strings.Contains(r.Body[strings.Index(r.Body, `id="attention"`):strings.Index(r.Body, `id="week-h"`)], "WITA") {
		t.Fatal("the dashboard has no way to mark it handled")
	}
	if r := b.post(resolve, url.Values{}); r.Status != http.StatusNotFound {
		t.Fatalf("B marking A's reply: %d", r.Status)
	}
	r := a.post(resolve, url.Values{})
	if r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/console/dashboard") {
		t.Fatalf("marking it handled: %d %s", r.Status, r.Location)
	}
	if r := a.get(r.Location); strings.Contains(r.Body, resolve) || !strings.Contains(r.Body, "Balasan ditandai sudah ditangani") {
		t.Fatal("the dashboard still lists it")
	}
	var who int64
	must(t, e.db.Raw(`SELECT count(*) FROM audit_log WHERE entity = 'itip_message' AND action = 'resolve' AND entity_id = ? AND actor_user_id IS NOT NULL`, id).Scan(&who).Error)
	if who != 1 {
		t.Fatalf("%d audit rows by the user", who)
	}
}
