package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sinergi/audit"
	"sinergi/profile"
	"sinergi/scheduling"
)

// card is the board's card of a booking on a session page.
func card(t *testing.T, page string, booking int64) string {
	t.Helper()
	m := regexp.MustCompile(fmt.Sprintf(`(?s)<li class="card" id="booking-%d">.*?<div class="actions">.*?</div>`, booking)).FindString(page)
	if m == "" {
		t.Fatalf("no card of booking %d on the page", booking)
	}
	return m
}

// The board offers only what the domain would do now: no completion
// before the session ended, no invitation once it began, no move of a
// session that took place; and a move posted anyway is refused.
func TestBoardOffersOnlyWhatTheDomainAllows(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	scope := scheduling.Scope{InstitutionID: e.instA}
	for _, to := range []scheduling.Status{scheduling.Accepted, scheduling.Confirmed} {
		_, _, err := e.app.Scheduling.TransitionBooking(f.ctx, scope, f.laterB.ID, to, 0)
		must(t, err)
	}
	_, err := e.app.People.Create(f.ctx, e.instA, profile.Person{Kind: profile.Practitioner, Name: "Yohana Wenda", Email: "yohana@example.id",
		Organisation: "BPBD Provinsi Papua", Unit: "Logistik", Employment: profile.NonASN, TaxIDStatus: profile.TaxNone, Zone: "Asia/Jayapura",
		Expertise: []string{"manajemen_bencana"}, ExperienceYears: 8})
	must(t, err)
	a := e.client()
	a.login(e.staffA, password)

	later := a.get(fmt.Sprintf("/console/sessions/%d", f.later.ID)).Body
	if c := card(t, later, f.laterB.ID); strings.Contains(c, `value="completed"`) || !strings.Contains(c, `value="cancelled"`) {
		t.Errorf("a confirmed booking of a future session offers:\n%s", c)
	}
	if !strings.Contains(later, `id="move-link"`) || !strings.Contains(later, `name="invite" value="yes"`) {
		t.Error("a future session does not offer moving it or booking and inviting")
	}

	today := a.get(fmt.Sprintf("/console/sessions/%d", f.today.ID)).Body
	if strings.Contains(today, `id="move-link"`) || !strings.Contains(today, `id="held-note"`) {
		t.Error("a session that took place still offers to be moved")
	}
	if strings.Contains(today, `name="invite" value="yes"`) {
		t.Error("a session that began offers booking and inviting")
	}

	moved := url.Values{"version": {fmt.Sprint(f.today.Version)}, "zone": {"Asia/Makassar"}, "start": {"2026-12-08T13:00"},
		"end": {"2026-12-08T14:30"}, "mode": {"offline"}, "venue": {"Hotel Lain"}, "confirm": {"yes"}}
	r := a.post(fmt.Sprintf("/console/sessions/%d/edit", f.today.ID), moved)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, "sesi sudah dimulai atau sudah ada pemesanan yang selesai") {
		t.Fatalf("moving a session that took place: %d\n%s", r.Status, r.Body)
	}
	var mail int64
	must(t, e.db.Raw(`SELECT count(*) FROM outbox WHERE booking_id = ? AND kind <> 'REQUEST'`, f.todayB.ID).Scan(&mail).Error)
	if mail != 0 {
		t.Fatalf("%d update messages queued for a session that took place", mail)
	}
}

// A reversed payment is offered for reversal no more, and the trainer's
// statement nets it: the paid total falls back to nothing, the reversal
// reads as one, in Indonesian months.
func TestReversedPaymentNetsAndIsNotReversedTwice(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	a := e.client()
	a.login(e.staffA, password)
	row := regexp.MustCompile(fmt.Sprintf(`(?s)<tr id="h-%d">.*?</tr>`, f.honorarium))
	reverse := fmt.Sprintf(`action="/console/honoraria/%d/reverse"`, f.honorarium)
	if !strings.Contains(row.FindString(a.get("/console/honoraria").Body), reverse) {
		t.Fatal("a paid row does not offer its reversal")
	}
	if r := a.post(fmt.Sprintf("/console/honoraria/%d/reverse", f.honorarium), url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("reversing: %d", r.Status)
	}
	if strings.Contains(row.FindString(a.get("/console/honoraria").Body), reverse) {
		t.Fatal("a reversed row still offers its reversal")
	}
	h, err := e.app.Incentives.Honorarium(f.ctx, e.instA, f.honorarium)
	must(t, err)
	if h.Reversible() || h.ReversedBy == 0 {
		t.Fatalf("the domain reads the reversed row as %+v", h)
	}
	if _, err := e.app.Incentives.Reverse(f.ctx, e.instA, f.honorarium); err == nil || !strings.Contains(err.Error(), "already reversed") {
		t.Fatalf("a second reversal: %v", err)
	}
	if r := a.post(fmt.Sprintf("/console/honoraria/%d/reverse", f.honorarium), url.Values{}); r.Status != http.StatusConflict {
		t.Fatalf("asking to reverse a reversed row answered %d", r.Status)
	}

	stmt := e.trainer(t, "marthen@example.id").get("/console/trainer/honoraria").Body
	paid := regexp.MustCompile(`(?s)Jumlah dibayar</th><td class="num"[^>]*>([^<]*)</td>`).FindStringSubmatch(stmt)
	if paid == nil || paid[1] != "Rp0" {
		t.Fatalf("the paid total after the reversal: %v\n%s", paid, stmt)
	}
	for _, want := range []string{"November 2026", "pembatalan pembayaran", "2 JP dibatalkan", "dibayar · dibatalkan"} {
		if !strings.Contains(stmt, want) {
			t.Errorf("the statement does not say %q", want)
		}
	}
	if strings.Contains(stmt, "-2/-2") || strings.Contains(stmt, "2026-11") {
		t.Error("the statement still shows raw JP or month")
	}
}

// The revoke confirmation says that issuing the course again will not
// replace the certificate; issuing it again indeed does not, and the
// course page offers the reissue of the revoked one.
func TestRevokedCertificateStaysRevokedInTheConsole(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	a := e.client()
	a.login(e.staffA, password)
	path := fmt.Sprintf("/console/certificates/%d/revoke", f.certificate)
	ask := a.post(path, url.Values{"reason": {"salah nama"}})
	if !strings.Contains(ask.Body, "sertifikat pengganti hanya diberikan lewat") {
		t.Fatalf("the revoke confirmation does not warn:\n%s", ask.Body)
	}
	if r := a.post(path, url.Values{"reason": {"salah nama"}, "confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("revoking: %d", r.Status)
	}
	r := a.post(fmt.Sprintf("/console/courses/%d/certificates", f.course), url.Values{})
	if r.Status == http.StatusSeeOther {
		t.Fatal("issuing the course again succeeded with nobody left to certify")
	}
	var valid int64
	must(t, e.db.Raw(`SELECT count(*) FROM certificates WHERE status = 'valid'`).Scan(&valid).Error)
	if valid != 0 {
		t.Fatalf("%d valid certificates after revoking the only one and issuing the course again", valid)
	}
	if page := a.get(fmt.Sprintf("/console/courses/%d", f.course)).Body; !strings.Contains(page, fmt.Sprintf(`href="/console/certificates/%d/reissue"`, f.certificate)) {
		t.Fatal("the course page does not offer reissuing the revoked certificate")
	}
}

// The holidays page refuses a second holiday on a date at the date field
// and offers to replace it; only the ticked box replaces it.
func TestHolidayOnATakenDateAsksToReplace(t *testing.T) {
	e := newEnv(t)
	admin := e.adminClient()
	form := url.Values{"date": {"2026-12-25"}, "kind": {"cuti_bersama"}, "name_id": {"Cuti Bersama Uji"}, "status": {"confirmed"}, "source": {"SKB uji"}}
	r := admin.post("/console/admin/holidays", form)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, `id="f-replace"`) || !strings.Contains(r.Body, "sudah ada hari libur pada tanggal ini") {
		t.Fatalf("a second holiday on a date answered %d:\n%s", r.Status, r.Body)
	}
	if n := e.count("SELECT count(*) FROM holidays WHERE date = '2026-12-25' AND name_id = 'Cuti Bersama Uji'"); n != 0 {
		t.Fatal("the refused holiday replaced the one there")
	}
	form.Set("replace", "yes")
	if r := admin.post("/console/admin/holidays", form); r.Status != http.StatusSeeOther {
		t.Fatalf("replacing, confirmed: %d", r.Status)
	}
	if n := e.count("SELECT count(*) FROM holidays WHERE date = '2026-12-25' AND name_id = 'Cuti Bersama Uji'"); n != 1 {
		t.Fatal("the confirmed replacement did not replace")
	}
}

// The session form offers the domain's force option when the date is a
// national holiday, with the problem at the start field; a session on cuti
// bersama is created and its page says so.
func TestSessionFormOnHolidays(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "staff", InstitutionID: e.instA})
	c, err := e.app.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Akhir Tahun", OrganisingUnit: "Bidang PKM",
		Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2026, 12, 1), EndDate: day(2026, 12, 31)})
	must(t, err)
	a := e.client()
	a.login(e.staffA, password)
	path := fmt.Sprintf("/console/courses/%d/sessions", c.ID)
	form := url.Values{"topic": {"Refleksi Akhir Tahun"}, "zone": {"Asia/Makassar"}, "start": {"2026-12-25T09:00"}, "end": {"2026-12-25T10:30"},
		"mode": {"online"}, "venue": {""}}
	r := a.post(path, form)
	startErr := regexp.MustCompile(`(?s)<p class="field-error" id="f-start-err">([^<]*)</p>`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, `id="f-force"`) || startErr == nil || !strings.Contains(startErr[1], "libur nasional") {
		t.Fatalf("a session on a national holiday answered %d:\n%s", r.Status, r.Body)
	}
	form.Set("force", "yes")
	if r := a.post(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("forced: %d %s", r.Status, r.Body)
	}
	form.Set("start", "2026-12-24T09:00")
	form.Set("end", "2026-12-24T10:30")
	form.Del("force")
	r = a.post(path, form)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("a session on cuti bersama: %d", r.Status)
	}
	page := a.get(r.Location).Body
	if !strings.Contains(page, `id="holiday-note"`) || !strings.Contains(page, "Cuti Bersama") {
		t.Fatalf("the new session's page does not warn of cuti bersama:\n%s", page)
	}
}

// The booking trail and a person's history say what changed (from → to,
// which profile fields) and who acted, by e-mail.
func TestTrailsSayWhatChangedAndWho(t *testing.T) {
	e := newEnv(t)
	f := newBoard(t, e)
	a := e.client()
	a.login(e.staffA, password)
	if r := a.post(fmt.Sprintf("/console/bookings/%d/status", f.laterB.ID), url.Values{"to": {"cancelled"}, "confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("cancelling: %d", r.Status)
	}
	trail := a.get(fmt.Sprintf("/console/bookings/%d", f.laterB.ID)).Body
	for _, want := range []string{"dari diusulkan menjadi diundang", "dari diundang menjadi dibatalkan", e.staffA} {
		if !strings.Contains(trail, want) {
			t.Errorf("the trail does not say %q:\n%s", want, trail)
		}
	}
	var user int64
	must(t, e.db.Raw(`SELECT id FROM users WHERE email = ?`, e.staffA).Scan(&user).Error)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "staff", InstitutionID: e.instA, UserID: user})
	p, err := e.app.People.Person(ctx, e.instA, e.practitioner, false)
	must(t, err)
	p.Phone, p.Unit = "081234567890", "Logistik dan Peralatan"
	_, err = e.app.People.Update(ctx, p)
	must(t, err)
	entries, _, err := e.app.People.History(ctx, e.instA, e.practitioner, 0, 5)
	must(t, err)
	if len(entries) == 0 || entries[0].ActorName != e.staffA {
		t.Fatalf("the domain's history names the actor %+v", entries)
	}
	if _, ok := entries[0].Changed("Phone"); !ok {
		t.Fatalf("the history does not record the phone change: %+v", entries[0].Changes)
	}
	history := a.get(fmt.Sprintf("/console/people/%d/history", e.practitioner)).Body
	for _, want := range []string{"Profil diubah", "Unit", e.staffA} {
		if !strings.Contains(history, want) {
			t.Errorf("the history does not say %q:\n%s", want, history)
		}
	}
	if strings.Contains(history, "081234567890") {
		t.Error("the history shows a contact's value")
	}
}

// The honoraria list tells rows apart by course and session date; paying
// asks first, for the date and the reference, shows a bad date in place,
// and the row then says how it was paid.
func TestPayingAsksForDateAndReference(t *testing.T) {
	e := newEnv(t)
	f := newBoard(t, e)
	_, fx, err := e.app.Scheduling.TransitionBooking(f.ctx, scheduling.Scope{InstitutionID: e.instA}, f.todayB.ID, scheduling.Completed, 0)
	must(t, err)
	must(t, fx.HonorariumError)
	_, err = e.app.Incentives.Approve(f.ctx, e.instA, fx.HonorariumID, 0)
	must(t, err)
	a := e.client()
	a.login(e.staffA, password)
	row := regexp.MustCompile(fmt.Sprintf(`(?s)<tr id="h-%d">.*?</tr>`, fx.HonorariumID))
	list := row.FindString(a.get("/console/honoraria").Body)
	for _, want := range []string{"Pelatihan Papan Pemesanan", "Logistik Tanggap Darurat", "23-11-2026"} {
		if !strings.Contains(list, want) {
			t.Errorf("the row does not show %q:\n%s", want, list)
		}
	}
	path := fmt.Sprintf("/console/honoraria/%d/pay", fx.HonorariumID)
	ask := a.post(path, url.Values{})
	if ask.Status != http.StatusOK || !strings.Contains(ask.Body, `id="f-paid_on"`) || !strings.Contains(ask.Body, `value="2026-11-23"`) ||
		!strings.Contains(ask.Body, `id="f-reference"`) {
		t.Fatalf("paying did not ask first: %d\n%s", ask.Status, ask.Body)
	}
	bad := a.post(path, url.Values{"confirm": {"yes"}, "paid_on": {"2027-01-01"}, "reference": {"SP2D 7"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="f-paid_on-err"`) {
		t.Fatalf("a future payment date answered %d:\n%s", bad.Status, bad.Body)
	}
	if h, _ := e.app.Incentives.Honorarium(f.ctx, e.instA, fx.HonorariumID); h.Status != "approved" {
		t.Fatal("asking or a refused date paid the row")
	}
	if r := a.post(path, url.Values{"confirm": {"yes"}, "paid_on": {"2026-11-23"}, "reference": {"SP2D 00123/2026"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("paying, confirmed: %d", r.Status)
	}
	if list := row.FindString(a.get("/console/honoraria").Body); !strings.Contains(list, "23-11-2026 · SP2D 00123/2026") {
		t.Fatalf("the paid row does not say how it was paid:\n%s", list)
	}
}
