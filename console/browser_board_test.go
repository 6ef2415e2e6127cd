package console_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"sinergi/audit"
	"sinergi/incentive"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// boardFixture is a course of A with two sessions of the practitioner:
// one on 7 December (invited) and one this morning that ended at 08:30
// WITA, now (confirmed, ready to complete).
type boardFixture struct {
	course         int64
	later, today   scheduling.Session
	laterB, todayB scheduling.Booking
	gateway        string
	ctx            context.Context
}

func newBoard(t testing.TB, e *env) boardFixture {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "staff", InstitutionID: e.instA})
	a := e.app
	c, err := a.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Papan Pemesanan", OrganisingUnit: "Bidang PKM",
		Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2026, 11, 23), EndDate: day(2026, 12, 8)})
	must(t, err)
	f := boardFixture{course: c.ID, ctx: ctx}
	wita := time.FixedZone("WITA", 8*3600)
	f.later, _, err = a.Scheduling.CreateSession(ctx, e.instA, c.ID, scheduling.Session{Topic: "Manajemen Risiko Bencana", Zone: "Asia/Makassar",
		Start: time.Date(2026, 12, 7, 9, 0, 0, 0, wita), End: time.Date(2026, 12, 7, 10, 30, 0, 0, wita), Mode: scheduling.Offline,
		Venue: "Aula BPSDM"}, false)
	must(t, err)
	f.today, _, err = a.Scheduling.CreateSession(ctx, e.instA, c.ID, scheduling.Session{Topic: "Logistik Tanggap Darurat", Zone: "Asia/Makassar",
		Start: time.Date(2026, 11, 23, 7, 0, 0, 0, wita), End: time.Date(2026, 11, 23, 8, 30, 0, 0, wita), Mode: scheduling.Online}, false)
	must(t, err)
	scope := scheduling.Scope{InstitutionID: e.instA}
	book := func(sess scheduling.Session, to ...scheduling.Status) scheduling.Booking {
		b, err := a.Scheduling.Book(ctx, e.instA, scheduling.BookRequest{SessionID: sess.ID, PersonID: e.practitioner, Role: scheduling.CoTrainer})
		must(t, err)
		for _, st := range to {
			b, _, err = a.Scheduling.TransitionBooking(ctx, scope, b.ID, st, 0)
			must(t, err)
		}
		return b
	}
	f.laterB = book(f.later, scheduling.Invited)
	// This morning's session was booked and confirmed before it began:
	// an invitation to a session that has begun is refused.
	e.advance(-2 * time.Hour)
	f.todayB = book(f.today, scheduling.Invited, scheduling.Accepted, scheduling.Confirmed)
	e.advance(2 * time.Hour)
	_, f.gateway, err = a.Tenants.IssueKey(ctx, tenant.APIKey{Role: tenant.MailGateway, InstitutionID: e.instA})
	must(t, err)
	return f
}

// calendarReply is Google Calendar's DECLINED reply from the shared
// fixtures, adapted to a booking: its UID, the service's organizer, the
// invited person as the attendee, the PARTSTAT and a COMMENT.
func calendarReply(t testing.TB, uid, from, attendee, partstat, comment string) []byte {
	t.Helper()
	raw, err := os.ReadFile("../../shared/fixtures/itip/google-reply-declined.ics")
	if err != nil {
		raw, err = os.ReadFile("/work/shared/fixtures/itip/google-reply-declined.ics")
	}
	must(t, err)
	ics := strings.NewReplacer("UID:cccc@nylas.com", "UID:"+uid,
		"mailto:test2@example.com", "mailto:jadwal@sinergi.example.id",
		"mailto:karim@example.com", "mailto:"+attendee,
		"PARTSTAT=DECLINED", "PARTSTAT="+partstat,
		"SUMMARY:Spot le chien", "SUMMARY:Manajemen Risiko Bencana\r\nCOMMENT:"+comment).Replace(string(raw))
	return []byte("From: Marthen Rumbiak <" + from + ">\r\nTo: jadwal@sinergi.example.id\r\nSubject: Reply: Manajemen Risiko Bencana\r\n" +
		"Message-ID: <" + partstat + "-" + from + "@mail.example>\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nMarthen Rumbiak replied.\r\n" +
		"--b1\r\nContent-Type: text/calendar; charset=\"UTF-8\"; method=REPLY\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + ics +
		"--b1--\r\n")
}

// inbound posts a message to the mail gateway's route, as the gateway
// does, and returns its answer.
func (e *env) inbound(t testing.TB, key string, msg []byte) string {
	t.Helper()
	req, err := http.NewRequest("POST", e.srv.URL+"/v1/itip/inbound", strings.NewReader(string(msg)))
	must(t, err)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "message/rfc822")
	res, err := http.DefaultClient.Do(req)
	must(t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("inbound: %d %s", res.StatusCode, b)
	}
	return string(b)
}

// TestBookingBoardInTheBrowser walks the board in Chromium: a calendar
// reply arrives by the inbound iTIP route and shows on the session's
// board; a doubtful one shows on the dashboard and the board for
// attention and is marked handled; the session is moved after a
// confirmation that names who is asked again, and the board shows the
// booking back at invited; a payment is reversed after its confirmation;
// the trail shows each of these; a long courses list pages forward and
// back. Every page is checked with axe-core and at 360 px.
func TestBookingBoardInTheBrowser(t *testing.T) {
	e := newEnv(t)
	f := newBoard(t, e)
	staff := browser(t)
	base := e.srv.URL
	sessionURL := fmt.Sprintf("%s/console/sessions/%d", base, f.later.ID)

	// Google's ACCEPTED with a comment arrives through the gateway.
	if got := e.inbound(t, f.gateway, calendarReply(t, f.laterB.UID, "marthen@example.id", "marthen@example.id", "ACCEPTED",
		"Saya hadir\\, terima kasih")); !strings.Contains(got, `"outcome":"applied"`) {
		t.Fatalf("the reply: %s", got)
	}
	run(t, staff, "sign in", chromedp.Navigate(base+"/console/login"), chromedp.WaitVisible("#f-email", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", e.staffA, chromedp.ByQuery), chromedp.SendKeys("#f-password", password, chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery), chromedp.WaitVisible("#week-h", chromedp.ByQuery))
	card := fmt.Sprintf("#booking-%d", f.laterB.ID)
	var text string
	run(t, staff, "the board shows the reply", chromedp.Navigate(sessionURL),
		chromedp.WaitVisible(card+" span.status-accepted", chromedp.ByQuery),
		chromedp.Click(card+" summary", chromedp.ByQuery),
		chromedp.WaitVisible(card+" .replies", chromedp.ByQuery), chromedp.Text(card+" .replies", &text, chromedp.ByQuery))
	for _, want := range []string{"ACCEPTED", "menerima", "diterapkan", "marthen@example.id", "Saya hadir, terima kasih", "WITA"} {
		if !strings.Contains(text, want) {
			t.Errorf("the reply on the board does not say %q:\n%s", want, text)
		}
	}
	check(t, staff, "board with a reply")

	// The same answer from another mailbox is doubtful: refused, flagged.
	if got := e.inbound(t, f.gateway, calendarReply(t, f.laterB.UID, "marthen.rumbiak@kantor.example", "marthen@example.id", "DECLINED",
		"Maaf")); !strings.Contains(got, `"outcome":"rejected"`) || !strings.Contains(got, `"attention":true`) {
		t.Fatalf("the doubtful reply: %s", got)
	}
	run(t, staff, "the dashboard lists it", chromedp.Navigate(base+"/console/dashboard"),
		chromedp.WaitVisible(`#attention a[href*="#booking-"]`, chromedp.ByQuery), chromedp.Text("#attention", &text, chromedp.ByQuery))
	if !strings.Contains(text, "Marthen Rumbiak") || !strings.Contains(text, "ditolak") {
		t.Errorf("the dashboard's attention list reads %q", text)
	}
	check(t, staff, "dashboard with a reply needing attention")
	run(t, staff, "follow it to the board", chromedp.Click(`#attention a[href*="#booking-"]`, chromedp.ByQuery),
		chromedp.WaitVisible(card+" .reply.attention", chromedp.ByQuery), chromedp.Text(card+" .reply.attention", &text, chromedp.ByQuery))
	if !strings.Contains(text, "marthen.rumbiak@kantor.example") || !strings.Contains(text, "DECLINED") {
		t.Errorf("the flagged reply reads %q", text)
	}
	check(t, staff, "board with a flagged reply")
	run(t, staff, "mark it handled", chromedp.Click(card+` form[action$="/resolve"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	var open int
	run(t, staff, "nothing is flagged", chromedp.Evaluate(`document.querySelectorAll('.reply.attention').length`, &open))
	var resolved int64
	must(t, e.db.Raw(`SELECT count(*) FROM itip_messages WHERE attention AND resolved_at IS NOT NULL`).Scan(&resolved).Error)
	if open != 0 || resolved != 1 {
		t.Fatalf("%d replies still flagged on the board, %d resolved", open, resolved)
	}

	// Moving the session asks first and names who must answer again.
	run(t, staff, "open the move form", chromedp.Click("#move-link", chromedp.ByQuery), chromedp.WaitVisible("#move", chromedp.ByQuery))
	check(t, staff, "move the session")
	run(t, staff, "an end before the start", setForm(map[string]string{"#f-start": "2026-12-08T13:00", "#f-end": "2026-12-08T12:00"}),
		chromedp.Click("#move button.primary", chromedp.ByQuery), chromedp.WaitVisible("#f-end-err", chromedp.ByQuery))
	check(t, staff, "move with a field error")
	run(t, staff, "move to the 8th, 13:00 WITA", setForm(map[string]string{"#f-start": "2026-12-08T13:00", "#f-end": "2026-12-08T14:30",
		"#f-venue": "Ruang Kelas 2"}), chromedp.Click("#move button.primary", chromedp.ByQuery),
		chromedp.WaitVisible("#confirm-people", chromedp.ByQuery), chromedp.Text("#confirm", &text, chromedp.ByQuery))
	for _, want := range []string{"Marthen Rumbiak", "menerima", "diundang", "diminta menjawab ulang", "Sel 08-12-2026 13:00–14:30 WITA", "Ruang Kelas 2"} {
		if !strings.Contains(text, want) {
			t.Errorf("the confirmation does not say %q:\n%s", want, text)
		}
	}
	var still scheduling.Session
	still, err := e.app.Scheduling.Session(context.Background(), e.instA, f.later.ID)
	must(t, err)
	if !still.Start.Equal(f.later.Start) {
		t.Fatal("the session moved before the change was confirmed")
	}
	check(t, staff, "confirm the move")
	run(t, staff, "confirm the move", chromedp.Click("#confirm-yes", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery), chromedp.WaitVisible(card+" span.status-invited", chromedp.ByQuery),
		chromedp.Text("main", &text, chromedp.ByQuery))
	if !strings.Contains(text, "Sel 08-12-2026 13:00–14:30 WITA") {
		t.Errorf("the session page after the move reads:\n%s", text)
	}
	var requests int64
	must(t, e.db.Raw(`SELECT count(*) FROM outbox WHERE booking_id = ? AND kind = 'REQUEST'`, f.laterB.ID).Scan(&requests).Error)
	if requests != 2 {
		t.Fatalf("%d invitations queued, want the first and the update", requests)
	}
	run(t, staff, "the booking's trail", chromedp.Click(card+" a", chromedp.ByQuery), chromedp.WaitVisible("#trail", chromedp.ByQuery),
		chromedp.Text("#trail", &text, chromedp.ByQuery))
	for _, want := range []string{"Balasan kalender diterima", "Sesi diubah", "Balasan kalender ditandai sudah ditangani", e.staffA} {
		if !strings.Contains(text, want) {
			t.Errorf("the trail does not say %q:\n%s", want, text)
		}
	}

	// This morning's session is completed; its honorarium is paid, then
	// reversed after the confirmation.

	_, fx, err := e.app.Scheduling.TransitionBooking(f.ctx, scheduling.Scope{InstitutionID: e.instA}, f.todayB.ID, scheduling.Completed, 0)
	must(t, err)
	must(t, fx.HonorariumError)
	_, err = e.app.Incentives.Approve(f.ctx, e.instA, fx.HonorariumID, 0)
	must(t, err)
	_, err = e.app.Incentives.Pay(f.ctx, e.instA, fx.HonorariumID, 0, incentive.Payment{})
	must(t, err)
	row := fmt.Sprintf("#h-%d", fx.HonorariumID)
	run(t, staff, "paid honoraria of the practitioner", chromedp.Navigate(fmt.Sprintf("%s/console/honoraria?status=paid&year=2026&person_id=%d", base, e.practitioner)),
		chromedp.WaitVisible(row, chromedp.ByQuery))
	check(t, staff, "honoraria filtered")
	run(t, staff, "reverse", chromedp.Click(row+` form[action$="/reverse"] button`, chromedp.ByQuery), chromedp.WaitVisible("#confirm-yes", chromedp.ByQuery),
		chromedp.Text("#confirm", &text, chromedp.ByQuery))
	if !strings.Contains(text, "Marthen Rumbiak") || !strings.Contains(text, "-Rp") {
		t.Errorf("the reversal's confirmation reads %q", text)
	}
	check(t, staff, "confirm the reversal")
	var reversals int64
	must(t, e.db.Raw(`SELECT count(*) FROM honoraria WHERE reverses_id = ?`, fx.HonorariumID).Scan(&reversals).Error)
	if reversals != 0 {
		t.Fatal("the question reversed the payment")
	}
	var loc string
	run(t, staff, "confirm", chromedp.Click("#confirm-yes", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery), chromedp.Location(&loc))
	must(t, e.db.Raw(`SELECT count(*) FROM honoraria WHERE reverses_id = ?`, fx.HonorariumID).Scan(&reversals).Error)
	if reversals != 1 || !strings.Contains(loc, "person_id=") {
		t.Fatalf("%d reversal rows; back at %s (the filters kept)", reversals, loc)
	}
	run(t, staff, "the reversal is on the trail", chromedp.Navigate(fmt.Sprintf("%s/console/bookings/%d", base, f.todayB.ID)),
		chromedp.WaitVisible("#trail", chromedp.ByQuery), chromedp.Text("#trail", &text, chromedp.ByQuery))
	if !strings.Contains(text, "Pembayaran dibalik") {
		t.Errorf("the trail does not show the reversal:\n%s", text)
	}

	// A long list of courses pages forward and back.
	for i := range 30 {
		_, err := e.app.Scheduling.CreateCourse(f.ctx, e.instA, scheduling.Course{Name: fmt.Sprintf("Pelatihan Berkala %02d", i+1),
			OrganisingUnit: "Bidang PKM", Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2027, 1, 4), EndDate: day(2027, 1, 8)})
		must(t, err)
	}
	var n int
	run(t, staff, "the first page", chromedp.Navigate(base+"/console/courses"), chromedp.WaitVisible(`a[rel="next"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#list-h ~ ul li').length`, &n))
	if n != 25 {
		t.Fatalf("the first page shows %d courses, want 25", n)
	}
	check(t, staff, "courses, first page")
	run(t, staff, "the next page", chromedp.Click(`a[rel="next"]`, chromedp.ByQuery), chromedp.WaitVisible(`a[rel="prev"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#list-h ~ ul li').length`, &n), chromedp.Text("main", &text, chromedp.ByQuery))
	if n != 6 || !strings.Contains(text, "Pelatihan Berkala 30") || strings.Contains(text, "Pelatihan Papan Pemesanan") {
		t.Fatalf("the second page shows %d courses:\n%s", n, text)
	}
	check(t, staff, "courses, second page")
	run(t, staff, "ten a page", chromedp.SetValue("#size-after", "10", chromedp.ByQuery), chromedp.Click(".pager-size button", chromedp.ByQuery),
		chromedp.WaitVisible(`a[rel="next"]`, chromedp.ByQuery), chromedp.Evaluate(`document.querySelectorAll('#list-h ~ ul li').length`, &n))
	if n != 10 {
		t.Fatalf("ten a page shows %d", n)
	}
	run(t, staff, "forward and back", chromedp.Click(`a[rel="next"]`, chromedp.ByQuery), chromedp.WaitVisible(`a[rel="prev"]`, chromedp.ByQuery),
		chromedp.Click(`a[rel="prev"]`, chromedp.ByQuery), chromedp.WaitNotPresent(`a[rel="prev"]`, chromedp.ByQuery),
		chromedp.Text("main", &text, chromedp.ByQuery))
	if !strings.Contains(text, "Pelatihan Papan Pemesanan") {
		t.Fatalf("back on the first page:\n%s", text)
	}
}
