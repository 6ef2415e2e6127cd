package console_test

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"sinergi/tenant"
)

// axeSource is axe-core's axe.min.js from its npm package (testdata/).
//
//go:embed testdata/axe.min.js
var axeSource string

// browser starts Debian's Chromium headless; the test is skipped when it
// is not installed, except under CI, where it fails.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("Chromium is not installed (apt-get install chromium)")
		}
		t.Skip("Chromium is not installed (apt-get install chromium)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1280, 900))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Run(ctx, page.SetBypassCSP(true)); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(ctx, actions...); err != nil {
		var loc, body string
		_ = chromedp.Run(ctx, chromedp.Location(&loc), chromedp.Text("main", &body, chromedp.ByQuery))
		t.Fatalf("%s: %v\nat %s:\n%s", what, err, loc, body)
	}
}

// check runs axe-core on the page and fails on any serious or critical
// violation, then checks that at 360 px wide nothing scrolls sideways.
func check(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	var found string
	// The page must have finished loading (a redirect after a post may
	// still be under way), and axe is injected and run in one script, so
	// that no navigation can come between them.
	run(t, ctx, "axe on "+name,
		chromedp.Poll(`document.readyState === 'complete'`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(axeSource+";\n"+`axe.run(document).then(r => JSON.stringify({passes: r.passes.length,
			violations: r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
			 .map(v => v.impact + ' ' + v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))}))`, &found,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	var res struct {
		Passes     int
		Violations []string
	}
	if err := json.Unmarshal([]byte(found), &res); err != nil || res.Passes == 0 {
		t.Fatalf("axe on %s did not run: %v (%s)", name, err, found)
	}
	for _, v := range res.Violations {
		t.Errorf("%s: accessibility: %s", name, v)
	}
	var scroll, inner int64
	var squeezed []string
	run(t, ctx, "360 px on "+name,
		emulation.SetDeviceMetricsOverride(360, 740, 2, true),
		chromedp.Sleep(50*time.Millisecond),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll),
		chromedp.Evaluate(`window.innerWidth`, &inner),
		chromedp.Evaluate(narrowLayout, &squeezed),
		emulation.ClearDeviceMetricsOverride())
	if scroll > inner {
		t.Errorf("%s: at 360 px the page is %d px wide and scrolls sideways", name, scroll)
	}
	for _, s := range squeezed {
		t.Errorf("%s: at 360 px %s", name, s)
	}
}

// narrowLayout lists what cannot be read on a narrow screen although the
// page itself does not scroll sideways: a table cell with more than a few
// characters squeezed under 4em (text one letter a line) or with a word
// broken across lines, and any shown
// element that reaches past the right edge or whose content is wider than
// its own box (a table cut off or left to scroll inside a box). Form
// fields scroll their own text by design; visually hidden elements (clip)
// are not shown.
const narrowLayout = `(() => {
  const em = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  const right = document.documentElement.clientWidth;
  const hidden = el => {
    for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden' || (s.clip && s.clip !== 'auto') || s.clipPath !== 'none') return true;
    }
    return false;
  };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
    ' "' + (el.innerText || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
  const found = [];
  for (const c of document.querySelectorAll('td, th')) {
    const r = c.getBoundingClientRect();
    const text = (c.innerText || '').trim();
    if (r.width === 0 || hidden(c)) continue;
    if (text.length > 3 && r.width < 4 * em) {
      found.push('a table cell is squeezed to ' + Math.round(r.width) + ' px: ' + name(c));
      continue;
    }
    // A word broken across lines: more lines of text than words (a line
    // may end at a space, a dash or a slash).
    let lines = 0;
    const walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      lines += new Set([...range.getClientRects()].filter(q => q.width > 0).map(q => Math.round(q.top))).size;
    }
    if (lines > text.split(/[\s\-\u2010-\u2015\/]+/).length) {
      found.push('a word is broken across lines in ' + name(c));
    }
  }
  for (const el of document.body.querySelectorAll('*')) {
    if (el.matches('input, textarea, select, option, script, style')) continue;
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || hidden(el)) continue;
    const s = getComputedStyle(el);
    if (s.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1) {
      found.push('the content of ' + name(el) + ' is ' + (el.scrollWidth - el.clientWidth) + ' px wider than its box');
    } else if (r.right > right + 1) {
      found.push(name(el) + ' reaches ' + Math.round(r.right - right) + ' px past the right edge');
    }
  }
  return found.slice(0, 12);
})()`

// clearFlash removes the notice on the page, so that waiting for one
// waits for the next page.
var clearFlash = chromedp.Evaluate(`document.querySelectorAll('p.flash').forEach(e => e.remove())`, nil)

func setForm(values map[string]string) chromedp.Action {
	var acts chromedp.Tasks
	for sel, v := range values {
		acts = append(acts, chromedp.SetValue(sel, v, chromedp.ByQuery))
	}
	return acts
}

// TestJourneysInTheBrowser walks the staff journey and the trainer journey
// in Chromium: sign in, create a course and a session, pick a candidate
// from the explanations, book and invite; the trainer signs in by the
// e-mailed link and accepts; staff see the answer, confirm, complete,
// approve and pay the honorarium, issue a certificate, download and verify
// it. Every page is checked with axe-core and at 360 px.
func TestJourneysInTheBrowser(t *testing.T) {
	e := newEnv(t)
	staff := browser(t)
	base := e.srv.URL

	run(t, staff, "open the sign-in page", chromedp.Navigate(base+"/console/dashboard"), chromedp.WaitVisible("#f-email", chromedp.ByQuery))
	check(t, staff, "sign-in")
	run(t, staff, "sign in",
		chromedp.SendKeys("#f-email", e.staffA, chromedp.ByQuery),
		chromedp.SendKeys("#f-password", password, chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery),
		chromedp.WaitVisible("#week-h", chromedp.ByQuery))
	check(t, staff, "dashboard")

	run(t, staff, "open courses", chromedp.Navigate(base+"/console/courses"), chromedp.WaitVisible("#new-h", chromedp.ByQuery))
	check(t, staff, "courses")
	course := map[string]string{"#f-name": "ab", "#f-organising_unit": "Bidang PKM", "#f-region": "Sulawesi Selatan",
		"#f-start_date": "2026-11-23", "#f-end_date": "2026-11-27"}
	var fieldErr string
	run(t, staff, "a course with a short name",
		setForm(course), chromedp.Click(`form[action="/console/courses"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#f-name-err", chromedp.ByQuery), chromedp.Text("#f-name-err", &fieldErr, chromedp.ByQuery))
	if !strings.Contains(fieldErr, "3 sampai 300") {
		t.Fatalf("the name's error on an Indonesian page reads %q", fieldErr)
	}
	check(t, staff, "courses with field errors")
	course["#f-name"] = "Pelatihan Kepemimpinan Pengawas Angkatan I"
	run(t, staff, "create the course",
		setForm(course), chromedp.Click(`form[action="/console/courses"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#new-session-h", chromedp.ByQuery))
	check(t, staff, "course")
	run(t, staff, "create a session at 09:15–10:00 WITA",
		setForm(map[string]string{"#f-topic": "Manajemen Risiko Bencana", "#f-zone": "Asia/Makassar", "#f-start": "2026-11-23T09:15",
			"#f-end": "2026-11-23T10:00", "#f-mode": "offline", "#f-venue": "Aula BPSDM"}),
		chromedp.Click(`form[action$="/sessions"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#cand-h", chromedp.ByQuery))
	var times string
	run(t, staff, "read the session's times", chromedp.Text("main", &times, chromedp.ByQuery))
	for _, want := range []string{"09:15–10:00 WITA", "WIB 08:15–09:00", "WIT 10:15–11:00"} {
		if !strings.Contains(times, want) {
			t.Errorf("the session page does not show %q", want)
		}
	}
	check(t, staff, "session")

	// Pick the practitioner from the explanations and book and invite.
	cand := `//li[contains(@class,"card")][.//strong[text()="Marthen Rumbiak"]]`
	var why string
	run(t, staff, "read why the candidate ranks",
		chromedp.Click(cand+`//summary`, chromedp.BySearch),
		chromedp.WaitVisible(cand+`//ul[@class="parts"]`, chromedp.BySearch),
		chromedp.Text(cand+`//ul[@class="parts"]`, &why, chromedp.BySearch))
	if !strings.Contains(why, "time zone") && !strings.Contains(why, "Asia/Jayapura") {
		t.Fatalf("the explanation reads %q", why)
	}
	run(t, staff, "book and invite",
		chromedp.Click(cand+`//button[@value="yes"]`, chromedp.BySearch),
		chromedp.WaitVisible(`//li[contains(@class,"card")][@id][.//a[normalize-space(.)="Marthen Rumbiak"]]//span[contains(@class,"status-invited")]`, chromedp.BySearch))
	check(t, staff, "session with a booking")
	var invites int64
	must(t, e.db.Raw(`SELECT count(*) FROM outbox WHERE kind = 'REQUEST' AND recipient = 'marthen@example.id'`).Scan(&invites).Error)
	if invites != 1 {
		t.Fatalf("%d invitations queued, want 1", invites)
	}
	var sessionURL string
	run(t, staff, "remember the session page", chromedp.Location(&sessionURL))

	// The trainer signs in by the e-mailed link and accepts.
	trainer := browser(t) // another person at another computer
	run(t, trainer, "trainer sign-in page", chromedp.Navigate(base+"/console/trainer/login"), chromedp.WaitVisible("#f-email", chromedp.ByQuery))
	check(t, trainer, "trainer sign-in")
	run(t, trainer, "ask for a link",
		chromedp.SendKeys("#f-email", "marthen@example.id", chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	link := e.signInLink("marthen@example.id")
	run(t, trainer, "open the link", chromedp.Navigate(link), chromedp.WaitVisible("form button.primary", chromedp.ByQuery))
	check(t, trainer, "sign-in link")
	run(t, trainer, "use the link", chromedp.Click("form button.primary", chromedp.ByQuery), chromedp.WaitVisible("#up-h", chromedp.ByQuery))
	check(t, trainer, "trainer portal")
	run(t, trainer, "accept",
		chromedp.Click(`button[value="accepted"]`, chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	run(t, trainer, "mark Monday and Tuesday mornings", clearFlash,
		chromedp.Click("#g-MO-0", chromedp.ByQuery), chromedp.Click("#g-TU-0", chromedp.ByQuery),
		chromedp.Click(`form[action$="/availability"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	var monday bool
	run(t, trainer, "read the grid", chromedp.Evaluate(`document.getElementById('g-MO-0').checked && !document.getElementById('g-WE-0').checked`, &monday))
	if !monday {
		t.Fatal("the saved grid does not show Monday morning alone with Tuesday")
	}
	var feed string
	run(t, trainer, "make a calendar feed",
		chromedp.Click(`form[action$="/feed"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#feed-url", chromedp.ByQuery), chromedp.Value("#feed-url", &feed, chromedp.ByQuery))
	if !strings.HasPrefix(feed, base+"/feeds/") || !strings.HasSuffix(feed, ".ics") {
		t.Fatalf("the feed URL is %q", feed)
	}
	check(t, trainer, "trainer portal with a feed")
	var windows []string
	must(t, e.db.Raw(`SELECT windows::text FROM availability WHERE person_id = ?`, e.practitioner).Scan(&windows).Error)
	if len(windows) != 1 || !strings.Contains(windows[0], "FREQ=WEEKLY;BYDAY=MO,TU") {
		t.Fatalf("the weekly grid stored %q", windows)
	}

	// Staff see the answer arrive, confirm and, after the session, complete.
	run(t, staff, "see the answer", chromedp.Navigate(sessionURL),
		chromedp.WaitVisible(`//li[contains(@class,"card")][@id][.//a[normalize-space(.)="Marthen Rumbiak"]]//span[contains(@class,"status-accepted")]`, chromedp.BySearch),
		chromedp.Click(`button[value="confirmed"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`span.status-confirmed`, chromedp.ByQuery))
	e.advance(95 * time.Minute) // 10:05 WITA: the session is over
	// The board offers completion only once the session has ended: reload.
	run(t, staff, "complete", chromedp.Navigate(sessionURL), chromedp.Click(`button[value="completed"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`span.status-completed`, chromedp.ByQuery))

	run(t, staff, "drafts to approve", chromedp.Navigate(base+"/console/honoraria?status=draft"),
		chromedp.WaitVisible(`//td[text()="Marthen Rumbiak"]`, chromedp.BySearch))
	check(t, staff, "honoraria")
	run(t, staff, "approve", clearFlash, chromedp.Click(`//td[text()="Marthen Rumbiak"]/..//form[contains(@action,"/approve")]/button`, chromedp.BySearch),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.Navigate(base+"/console/honoraria?status=approved"), clearFlash,
		chromedp.Click(`//td[text()="Marthen Rumbiak"]/..//form[contains(@action,"/pay")]/button`, chromedp.BySearch),
		chromedp.WaitVisible("#f-reference", chromedp.ByQuery))
	check(t, staff, "payment confirmation")
	run(t, staff, "pay with a reference", chromedp.SendKeys("#f-reference", "SP2D 00123/2026", chromedp.ByQuery),
		chromedp.Click("#confirm-yes", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	var status string
	must(t, e.db.Raw(`SELECT h.status FROM honoraria h JOIN bookings b ON b.id = h.booking_id WHERE b.person_id = ?`, e.practitioner).Scan(&status).Error)
	if status != "paid" {
		t.Fatalf("the honorarium is %q, want paid", status)
	}

	var csvText string
	run(t, staff, "the year's export", chromedp.Navigate(base+"/console/honoraria"), chromedp.WaitVisible("main h1", chromedp.ByQuery),
		chromedp.Evaluate(`fetch(document.querySelector('a[href*="export/csv"]').href).then(r => r.text())`, &csvText,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if !strings.Contains(csvText, "Marthen Rumbiak") || !strings.Contains(csvText, "dibayar") {
		t.Fatalf("the year's CSV export reads %q", csvText)
	}

	// Reversing a payment asks on a confirmation page first (no
	// JavaScript needed): the question changes nothing; confirming adds
	// the reversal row.
	run(t, staff, "reverse the payment", chromedp.Navigate(base+"/console/honoraria?status=paid"),
		chromedp.Click(`//td[text()="Marthen Rumbiak"]/..//form[contains(@action,"/reverse")]/button`, chromedp.BySearch),
		chromedp.WaitVisible("#confirm-yes", chromedp.ByQuery))
	var reversals int64
	must(t, e.db.Raw(`SELECT count(*) FROM honoraria WHERE reverses_id IS NOT NULL`).Scan(&reversals).Error)
	if reversals != 0 {
		t.Fatalf("%d reversal rows before confirming, want 0", reversals)
	}
	check(t, staff, "confirm the reversal")
	run(t, staff, "confirm the reversal", chromedp.Click("#confirm-yes", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	must(t, e.db.Raw(`SELECT count(*) FROM honoraria WHERE reverses_id IS NOT NULL`).Scan(&reversals).Error)
	if reversals != 1 {
		t.Fatalf("%d reversal rows, want 1", reversals)
	}

	// A new institution names its certificate signer in the settings.
	run(t, staff, "open settings", chromedp.Navigate(base+"/console/settings"), chromedp.WaitVisible("#cert-set-h", chromedp.ByQuery))
	check(t, staff, "settings")
	signer := map[string]string{"#f-signer_name": "Dr. Andi Makkasau, M.Pd.", "#f-signer_title": "Kepala BPSDM Provinsi A",
		"#f-signer_nip": "12345"}
	run(t, staff, "a signer with a bad NIP", setForm(signer), chromedp.Click(`form[action$="/certificates"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#f-signer_nip-err", chromedp.ByQuery))
	signer["#f-signer_nip"] = "196805121994031007"
	run(t, staff, "save the signer", setForm(signer), chromedp.Click(`form[action$="/certificates"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery))

	// Certificates for the course: issue, download, verify.
	run(t, staff, "dashboard after the journey", chromedp.Navigate(base+"/console/dashboard"), chromedp.WaitVisible("#week-h", chromedp.ByQuery))
	run(t, staff, "issue the certificate", chromedp.Navigate(base+"/console/courses"),
		chromedp.Click(`//a[text()="Pelatihan Kepemimpinan Pengawas Angkatan I"]`, chromedp.BySearch),
		chromedp.WaitVisible("#certs-h", chromedp.ByQuery),
		chromedp.Click(`form[action$="/certificates"] button`, chromedp.ByQuery),
		chromedp.WaitVisible(`//td[text()="Marthen Rumbiak"]`, chromedp.BySearch))
	check(t, staff, "course with a certificate")
	var courseURL string
	run(t, staff, "propose a whole-course assignment", chromedp.Location(&courseURL),
		chromedp.Click(`form[action$="/assignments"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#proposal", chromedp.ByQuery))
	check(t, staff, "assignment proposal")
	impactURL, err := url.Parse(courseURL)
	must(t, err)
	impactURL.RawQuery, impactURL.Path = "", strings.TrimSuffix(impactURL.Path, "/")+"/impact"
	run(t, staff, "the course's impact report", chromedp.Navigate(impactURL.String()), chromedp.WaitVisible("#impact-total", chromedp.ByQuery))
	check(t, staff, "impact report")
	run(t, staff, "back to the course", chromedp.Navigate(courseURL), chromedp.WaitVisible("#certs-h", chromedp.ByQuery))
	var pdf, verifyURL string
	run(t, staff, "download the PDF",
		chromedp.Evaluate(`fetch(document.querySelector('a[href$="/pdf"]').href).then(r => r.status + ' ' + r.headers.get('content-type'))`, &pdf,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
		chromedp.AttributeValue(`//a[contains(@href,"/verify/")]`, "href", &verifyURL, nil, chromedp.BySearch))
	var xlsx string
	run(t, staff, "the course's export", chromedp.Evaluate(`fetch(document.querySelector('a[href*="export/xlsx"]').href).then(r => r.status + ' ' + r.headers.get('content-type'))`, &xlsx,
		func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if xlsx != "200 application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("the course's XLSX export answered %q", xlsx)
	}
	if pdf != "200 application/pdf" {
		t.Fatalf("the PDF link answered %q", pdf)
	}
	var verdict string
	run(t, staff, "verify", chromedp.Navigate(verifyURL), chromedp.Text("#status", &verdict, chromedp.ByQuery))
	// The public page follows the browser's Accept-Language (headless Chromium asks for English).
	if !strings.Contains(verdict, "SAH") && !strings.Contains(verdict, "VALID") {
		t.Fatalf("the verification page says %q", verdict)
	}

	// The booking's trail, from proposal to certificate.
	var trail string
	run(t, staff, "the booking's trail", chromedp.Navigate(sessionURL),
		chromedp.Click(`//li[@id][contains(@class,"card")]//a[text()="Marthen Rumbiak"]`, chromedp.BySearch),
		chromedp.WaitVisible("#trail", chromedp.ByQuery), chromedp.Text("#trail", &trail, chromedp.ByQuery))
	for _, want := range []string{"Diusulkan", "E-mail diantrikan", "Status berubah", "Draf honorarium dibuat", "Honorarium disetujui",
		"Honorarium dibayar", "Pembayaran dibalik", "Sertifikat diterbitkan", "dari diusulkan menjadi diundang", e.staffA} {
		if !strings.Contains(trail, want) {
			t.Errorf("the trail does not say %q:\n%s", want, trail)
		}
	}
	check(t, staff, "booking trail")

	// The trainer finds the certificate and the honorarium in the portal.
	var mine string
	run(t, trainer, "the trainer's certificate", chromedp.Navigate(base+"/console/trainer"), chromedp.WaitVisible("#mycert-h", chromedp.ByQuery),
		chromedp.Evaluate(`fetch(document.querySelector('a[href^="/console/trainer/certificates/"]').href).then(r => r.status + ' ' + r.headers.get('content-type'))`, &mine,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	if mine != "200 application/pdf" {
		t.Fatalf("the trainer's certificate answered %q", mine)
	}
	check(t, trainer, "trainer portal with a certificate")
	var certID int64
	must(t, e.db.Raw("SELECT id FROM certificates WHERE person_id = ?", e.practitioner).Scan(&certID).Error)
	must(t, e.db.Exec(`INSERT INTO people (institution_id, kind, name, email, organisation, unit, employment, zone)
		VALUES (?, 'practitioner', 'Orang Lain', 'lain@example.id', 'Instansi', 'Unit', 'non_asn', 'Asia/Makassar')`, e.instA).Error)
	other := e.client()
	other.post("/console/trainer/login", url.Values{"email": {"lain@example.id"}})
	other.post(strings.TrimPrefix(e.signInLink("lain@example.id"), base), url.Values{})
	if r := other.get(fmt.Sprintf("/console/trainer/certificates/%d/pdf", certID)); r.Status != http.StatusNotFound {
		t.Fatalf("another trainer downloading the certificate: %d", r.Status)
	}

	for _, p := range []string{"/console/people", "/console/people?q=Marthen&kind=practitioner", "/console/users", "/console/honoraria"} {
		run(t, staff, "open "+p, chromedp.Navigate(base+p), chromedp.WaitVisible("main h1", chromedp.ByQuery))
		check(t, staff, p)
	}
	run(t, staff, "a person's page", chromedp.Navigate(base+"/console/people?q=Marthen"),
		chromedp.Click(`//a[text()="Marthen Rumbiak"]`, chromedp.BySearch), chromedp.WaitVisible("#f-name", chromedp.ByQuery))
	check(t, staff, "person")
	var weekText string
	run(t, staff, "the week", chromedp.Navigate(base+"/console/week?from=2026-11-22"), chromedp.WaitVisible("main h1", chromedp.ByQuery),
		chromedp.Text(`//section[h2[starts-with(text(),"Sen 23-11-2026")]]`, &weekText, chromedp.BySearch))
	if !strings.Contains(weekText, "Manajemen Risiko Bencana") || !strings.Contains(weekText, "09:15–10:00 WITA") {
		t.Fatalf("Monday in the week view reads %q", weekText)
	}
	check(t, staff, "week")
	var missing string
	run(t, staff, "a missing page", chromedp.Navigate(base+fmt.Sprintf("/console/sessions/%d", e.sessionB)), chromedp.Text("main", &missing, chromedp.ByQuery))
	if !strings.Contains(missing, "tidak ditemukan") {
		t.Fatalf("another institution's session shows %q", missing)
	}
	check(t, staff, "not found")

	// Sign out, and in again as the platform admin.
	_, _, err = e.app.Accounts.CreateUser(context.Background(), tenant.User{Email: "admin@sinergi.example.id", Role: tenant.Admin}, password)
	must(t, err)
	run(t, staff, "sign out", chromedp.Click(`form[action="/console/logout"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#f-password", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", "admin@sinergi.example.id", chromedp.ByQuery),
		chromedp.SendKeys("#f-password", password, chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery),
		chromedp.WaitVisible("#first-h", chromedp.ByQuery))
	check(t, staff, "admin")
}
