package console_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sinergi/app"
	"sinergi/errs"
	"sinergi/tenant"
)

func TestSignInAndPages(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if r := c.get("/console/dashboard"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/console/login") {
		t.Fatalf("signed out, the dashboard answered %d %q; want a redirect to sign-in", r.Status, r.Location)
	}
	if r := c.login(e.staffA, "salah sekali"); r.Status != http.StatusUnauthorized || !strings.Contains(r.Body, "E-mail atau kata sandi salah") {
		t.Fatalf("a wrong password answered %d", r.Status)
	}
	r := c.login(e.staffA, password)
	if r.Status != http.StatusSeeOther || r.Location != "/console/dashboard" {
		t.Fatalf("sign-in answered %d %q", r.Status, r.Location)
	}
	for _, p := range []string{"/console/dashboard", "/console/courses", "/console/people", "/console/honoraria", "/console/users",
		fmt.Sprintf("/console/courses/%d", e.courseOf(t, e.sessionB))} {
		r := c.get(p)
		want := http.StatusOK
		if strings.HasPrefix(p, "/console/courses/") {
			want = http.StatusNotFound // B's course
		}
		if r.Status != want {
			t.Errorf("GET %s: %d, want %d", p, r.Status, want)
		}
	}
}

func (e *env) courseOf(t *testing.T, session int64) int64 {
	var id int64
	must(t, e.db.Raw("SELECT course_id FROM sessions WHERE id = ?", session).Scan(&id).Error)
	return id
}

// A form posted from another site is refused before it reaches a handler,
// whatever cookie it carries.
func TestCrossSitePostRefused(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	form := url.Values{"name": {"Pelatihan Palsu"}, "organising_unit": {"X"}, "funding": {"APBD"}, "region": {"X"},
		"start_date": {"2026-12-01"}, "end_date": {"2026-12-02"}}
	for _, h := range [][]string{{"Sec-Fetch-Site", "cross-site"}, {"Origin", "https://evil.example"}} {
		r := c.do("POST", "/console/courses", form, h...)
		if r.Status != http.StatusForbidden {
			t.Errorf("POST with %s: %s answered %d, want 403", h[0], h[1], r.Status)
		}
	}
	var n int64
	must(t, e.db.Raw("SELECT count(*) FROM courses WHERE name = 'Pelatihan Palsu'").Scan(&n).Error)
	if n != 0 {
		t.Fatalf("a cross-site post made %d courses", n)
	}
	// The same form from the console's own page goes through.
	r := c.do("POST", "/console/courses", form, "Sec-Fetch-Site", "same-origin", "Origin", e.srv.URL)
	if r.Status != http.StatusSeeOther {
		t.Fatalf("a same-origin post answered %d: %s", r.Status, r.Body)
	}
}

// Another institution's records are missing pages: reading or acting on
// them answers 404 and changes nothing.
func TestAnotherInstitutionIs404(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	if r := c.get(fmt.Sprintf("/console/sessions/%d", e.sessionB)); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Sesi rahasia B") {
		t.Fatalf("B's session answered %d to A's staff", r.Status)
	}
	if r := c.post(fmt.Sprintf("/console/sessions/%d/bookings", e.sessionB), url.Values{"person_id": {fmt.Sprint(e.practitioner)},
		"role": {"co_trainer"}}); r.Status != http.StatusNotFound {
		t.Fatalf("booking onto B's session answered %d", r.Status)
	}
	// B books someone; A cannot move that booking.
	cb := e.client()
	cb.login(e.staffB, password)
	var bID int64
	must(t, e.db.Raw(`INSERT INTO people (institution_id, kind, name, email, organisation, unit, employment, zone)
		VALUES (?, 'practitioner', 'Orang B', 'orang@b.id', 'Instansi B', 'Unit', 'non_asn', 'Asia/Jakarta') RETURNING id`, e.instB).Scan(&bID).Error)
	r := cb.post(fmt.Sprintf("/console/sessions/%d/bookings", e.sessionB), url.Values{"person_id": {fmt.Sprint(bID)}, "role": {"co_trainer"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("B's own booking answered %d: %s", r.Status, r.Body)
	}
	var booking int64
	must(t, e.db.Raw("SELECT id FROM bookings WHERE session_id = ?", e.sessionB).Scan(&booking).Error)
	if r := c.get(fmt.Sprintf("/console/bookings/%d", booking)); r.Status != http.StatusNotFound {
		t.Fatalf("A reading B's booking trail answered %d", r.Status)
	}
	if r := cb.get(fmt.Sprintf("/console/bookings/%d", booking)); r.Status != http.StatusOK || !strings.Contains(r.Body, "Diusulkan") {
		t.Fatalf("B's own booking trail answered %d", r.Status)
	}
	if r := c.post(fmt.Sprintf("/console/bookings/%d/status", booking), url.Values{"to": {"cancelled"}}); r.Status != http.StatusNotFound {
		t.Fatalf("A cancelling B's booking answered %d", r.Status)
	}
	var status string
	must(t, e.db.Raw("SELECT status FROM bookings WHERE id = ?", booking).Scan(&status).Error)
	if status != "proposed" {
		t.Fatalf("B's booking is %s after A's attempt", status)
	}
}

// A session id planted in the browser before sign-in is not the one after
// it, and no longer works.
func TestSessionFixationImpossible(t *testing.T) {
	e := newEnv(t)
	attacker := e.client()
	attacker.login(e.staffA, password)
	planted := attacker.cookie()
	if planted == "" {
		t.Fatal("no session cookie after sign-in")
	}
	victim := e.client()
	victim.setCookie(planted)
	victim.login(e.staffB, password)
	if got := victim.cookie(); got == planted || got == "" {
		t.Fatalf("the session id after sign-in is %q, the planted one was %q", got, planted)
	}
	if r := victim.get("/console/dashboard"); r.Status != http.StatusOK {
		t.Fatalf("the victim's new session answered %d", r.Status)
	}
	// The planted id was ended at sign-in: the attacker cannot ride it.
	if r := attacker.get("/console/dashboard"); r.Status != http.StatusSeeOther {
		t.Fatalf("the planted session still answers %d after the victim signed in", r.Status)
	}
	// An id the server never issued is never adopted.
	other := e.client()
	other.setCookie("snrg_chosen-by-the-attacker")
	other.login(e.staffA, password)
	if other.cookie() == "snrg_chosen-by-the-attacker" {
		t.Fatal("sign-in kept an id chosen by the client")
	}
	var stored int64
	must(t, e.db.Raw("SELECT count(*) FROM web_sessions WHERE hash = sha256(?::bytea)", victim.cookie()).Scan(&stored).Error)
	if stored != 1 {
		t.Fatalf("the session id is not stored hashed (%d rows match its SHA-256)", stored)
	}
}

// A stolen cookie dies when its owner signs out everywhere.
func TestSignOutEverywhereKillsStolenCookie(t *testing.T) {
	e := newEnv(t)
	owner := e.client()
	owner.login(e.staffA, password)
	thief := e.client()
	thief.setCookie(owner.cookie())
	if r := thief.get("/console/dashboard"); r.Status != http.StatusOK {
		t.Fatalf("the copied cookie answered %d before sign-out", r.Status)
	}
	laptop := e.client()
	laptop.login(e.staffA, password)
	if r := owner.post("/console/logout-everywhere", url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("sign-out everywhere answered %d", r.Status)
	}
	for name, c := range map[string]*client{"stolen": thief, "other device": laptop} {
		if r := c.get("/console/dashboard"); r.Status != http.StatusSeeOther {
			t.Errorf("the %s cookie answered %d after sign-out everywhere", name, r.Status)
		}
	}
	var n int64
	must(t, e.db.Raw(`SELECT count(*) FROM audit_log WHERE action = 'sign_out_everywhere' AND actor_user_id IS NOT NULL`).Scan(&n).Error)
	if n != 1 {
		t.Fatalf("%d audit rows for sign-out everywhere naming the user, want 1", n)
	}
}

// Five failures for an address refuse the next attempt, even with the
// right password, until the window has passed.
func TestSignInThrottled(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := 0; i < tenant.DefaultMaxFailures; i++ {
		if r := c.login(e.staffA, fmt.Sprintf("tebakan-%d", i)); r.Status != http.StatusUnauthorized {
			t.Fatalf("failure %d answered %d", i+1, r.Status)
		}
	}
	r := c.login(e.staffA, password)
	if r.Status != http.StatusTooManyRequests || !strings.Contains(r.Body, "Terlalu banyak percobaan") || c.cookie() != "" {
		t.Fatalf("the sixth attempt answered %d (cookie %q), want 429 and no session", r.Status, c.cookie())
	}
	// Another address is not held up by these failures.
	if r := e.client().login(e.staffB, password); r.Status != http.StatusSeeOther {
		t.Fatalf("another user's sign-in answered %d", r.Status)
	}
	e.advance(tenant.DefaultFailureWindow + time.Second)
	if r := c.login(e.staffA, password); r.Status != http.StatusSeeOther {
		t.Fatalf("after the window, sign-in answered %d", r.Status)
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	e.advance(tenant.DefaultIdleTimeout - time.Minute)
	if r := c.get("/console/dashboard"); r.Status != http.StatusOK {
		t.Fatalf("inside the idle timeout: %d", r.Status)
	}
	e.advance(tenant.DefaultIdleTimeout + time.Second)
	if r := c.get("/console/dashboard"); r.Status != http.StatusSeeOther {
		t.Fatalf("after the idle timeout: %d, want a redirect to sign-in", r.Status)
	}
	// Used every hour, a session still ends at its absolute age.
	c.login(e.staffA, password)
	for age := time.Hour; age < tenant.DefaultMaxAge; age += time.Hour {
		e.advance(time.Hour)
		if r := c.get("/console/dashboard"); r.Status != http.StatusOK {
			t.Fatalf("after %v of use: %d", age, r.Status)
		}
	}
	e.advance(time.Hour)
	if r := c.get("/console/dashboard"); r.Status != http.StatusSeeOther {
		t.Fatalf("past the absolute age: %d", r.Status)
	}
}

// A trainer's sign-in link works once, only for a short while, and an
// address nobody has gets the same answer and no mail.
func TestSignInLink(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	r := c.post("/console/trainer/login", url.Values{"email": {"Marthen@Example.id"}})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "tautan masuk sudah dikirim") {
		t.Fatalf("asking for a link answered %d", r.Status)
	}
	nobody := c.post("/console/trainer/login", url.Values{"email": {"siapa@entah.id"}})
	if nobody.Status != r.Status || !strings.Contains(nobody.Body, "tautan masuk sudah dikirim") {
		t.Fatalf("an unknown address answered differently: %d", nobody.Status)
	}
	var queued int64
	must(t, e.db.Raw("SELECT count(*) FROM outbox WHERE kind = 'SIGNIN'").Scan(&queued).Error)
	if queued != 1 {
		t.Fatalf("%d sign-in mails queued, want 1", queued)
	}
	link := e.signInLink("marthen@example.id")
	token := link[strings.LastIndex(link, "/")+1:]
	var stored int64
	must(t, e.db.Raw("SELECT count(*) FROM login_links WHERE hash = sha256(?::bytea)", token).Scan(&stored).Error)
	if stored != 1 {
		t.Fatal("the link token is not stored hashed")
	}
	path := strings.TrimPrefix(link, e.srv.URL)
	// Opening the link (as a mail scanner would) does not spend it.
	if r := c.get(path); r.Status != http.StatusOK {
		t.Fatalf("opening the link: %d", r.Status)
	}
	if r := c.post(path, url.Values{}); r.Status != http.StatusSeeOther || r.Location != "/console/trainer" {
		t.Fatalf("using the link: %d %q", r.Status, r.Location)
	}
	if r := c.get("/console/trainer"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Marthen Rumbiak") {
		t.Fatalf("the portal answered %d", r.Status)
	}
	// A trainer is not staff.
	if r := c.get("/console/dashboard"); r.Status != http.StatusForbidden {
		t.Fatalf("a trainer on the staff dashboard: %d", r.Status)
	}
	if r := e.client().post(path, url.Values{}); r.Status != http.StatusUnauthorized {
		t.Fatalf("a second use of the link answered %d", r.Status)
	}
	c.post("/console/trainer/login", url.Values{"email": {"marthen@example.id"}})
	late := strings.TrimPrefix(e.signInLink("marthen@example.id"), e.srv.URL)
	e.advance(tenant.DefaultLinkTTL + time.Second)
	if r := e.client().post(late, url.Values{}); r.Status != http.StatusUnauthorized {
		t.Fatalf("an expired link answered %d", r.Status)
	}
}

// Form errors come from the domain's validation, next to their fields.
func TestFieldErrorsInPlace(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	r := c.post("/console/courses", url.Values{"name": {"ab"}, "organising_unit": {""}, "funding": {"APBD"}, "region": {"Sulsel"},
		"start_date": {"2026-12-05"}, "end_date": {"2026-12-01"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an invalid course answered %d", r.Status)
	}
	for _, f := range []string{"name", "organising_unit", "end_date"} {
		if !strings.Contains(r.Body, `id="f-`+f+`-err"`) || !strings.Contains(r.Body, `aria-describedby="f-`+f+`-err"`) {
			t.Errorf("no error shown next to %s", f)
		}
	}
	if !strings.Contains(r.Body, `value="Sulsel"`) {
		t.Error("the submitted values are not shown again")
	}
}

// The CLI's and the console's users are made by the same use case; a
// short password is a field error.
func TestCreateUserRules(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.app.Accounts.CreateUser(context.Background(), tenant.User{InstitutionID: e.instA, Email: "x@y.id", Role: tenant.Staff}, "pendek")
	if ee, ok := errs.As(err); !ok || ee.Fields["password"] == "" {
		t.Fatalf("a short password gave %v", err)
	}
	_, pw, err := e.app.Accounts.CreateUser(context.Background(), tenant.User{InstitutionID: e.instA, Email: e.staffA, Role: tenant.Staff}, "")
	if !errorsIs(err, tenant.ErrDuplicateUser) || pw != "" {
		t.Fatalf("a second user with one e-mail gave %v", err)
	}
	var hash string
	must(t, e.db.Raw("SELECT password_hash FROM users WHERE email = ?", e.staffA).Scan(&hash).Error)
	if !strings.HasPrefix(hash, "$argon2id$v=19$") || !tenant.CheckPassword(hash, password) || tenant.CheckPassword(hash, password+"x") {
		t.Fatalf("the stored hash %q is not an argon2id hash of the password", hash)
	}
}

func errorsIs(err, target error) bool {
	e, ok := errs.As(err)
	t, _ := errs.As(target)
	return ok && t != nil && e.Code == t.Code
}

// The language a user picks is remembered for their next sign-in.
func TestEnglishRemembered(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	if r := c.get("/console/dashboard"); !strings.Contains(r.Body, "<h1>Beranda</h1>") || !strings.Contains(r.Body, `lang="id"`) {
		t.Fatal("the dashboard is not in Indonesian first")
	}
	if r := c.post("/console/lang", url.Values{"lang": {"en"}, "next": {"/console/dashboard"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("switching language answered %d", r.Status)
	}
	other := e.client()
	other.login(e.staffA, password)
	if r := other.get("/console/dashboard"); !strings.Contains(r.Body, "<h1>Dashboard</h1>") || !strings.Contains(r.Body, `lang="en"`) {
		t.Fatal("the next sign-in is not in English")
	}
	if r := c.post("/console/lang", url.Values{"lang": {"fr"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown language answered %d", r.Status)
	}
}

// The platform admin creates an institution's first staff user in the
// console; that user signs in, and staff cannot reach the admin page.
func TestAdminCreatesFirstStaffUser(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.app.Accounts.CreateUser(context.Background(), tenant.User{Email: "admin@sinergi.example.id", Role: tenant.Admin}, password)
	must(t, err)
	admin := e.client()
	if r := admin.login("admin@sinergi.example.id", password); r.Location != "/console/admin" {
		t.Fatalf("the admin lands on %q", r.Location)
	}
	r := admin.post("/console/admin/users", url.Values{"institution": {fmt.Sprint(e.instB)}, "email": {"kepala@pusdiklat-b.go.id"}})
	m := regexp.MustCompile(`<code id="new-password">([^<]+)</code>`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("creating the first user answered %d without a one-time password", r.Status)
	}
	staff := e.client()
	if r := staff.login("kepala@pusdiklat-b.go.id", m[1]); r.Location != "/console/dashboard" {
		t.Fatalf("the new user's sign-in went to %q (%d)", r.Location, r.Status)
	}
	if r := staff.get("/console/admin"); r.Status != http.StatusForbidden {
		t.Fatalf("staff on the admin page: %d", r.Status)
	}
	if r := admin.post("/console/admin/users", url.Values{"institution": {"999999"}, "email": {"x@y.id"}}); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown institution answered %d", r.Status)
	}
}

// Whole-course assignment: propose, review the proposal, apply it; the
// bookings are made by the same use case as a one-click booking.
func TestWholeCourseAssignment(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	r := c.post("/console/courses", url.Values{"name": {"Pelatihan Penugasan"}, "organising_unit": {"Bidang PKM"}, "funding": {"APBD"},
		"region": {"Sulawesi Selatan"}, "start_date": {"2026-12-07"}, "end_date": {"2026-12-08"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("course: %d %s", r.Status, r.Body)
	}
	course := r.Location[:strings.Index(r.Location, "?")]
	for _, d := range []string{"2026-12-07", "2026-12-08"} {
		r := c.post(course+"/sessions", url.Values{"topic": {"Sesi " + d}, "zone": {"Asia/Makassar"}, "start": {d + "T08:00"},
			"end": {d + "T09:30"}, "mode": {"online"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("session %s: %d", d, r.Status)
		}
	}
	r = c.post(course+"/assignments", url.Values{"co_trainers_per_session": {"1"}})
	if r.Status != http.StatusOK || strings.Count(r.Body, "Marthen Rumbiak") != 2 {
		t.Fatalf("the proposal answered %d and names the practitioner %d times, want 2", r.Status, strings.Count(r.Body, "Marthen Rumbiak"))
	}
	m := regexp.MustCompile(`action="(/console/courses/\d+/assignments/\d+/apply)"`).FindStringSubmatch(r.Body)
	if m == nil {
		t.Fatal("the proposal has no apply form")
	}
	// Applying asks first; the question books no one.
	if r := c.post(m[1], url.Values{}); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="confirm" value="yes"`) {
		t.Fatalf("apply without confirming: %d %s", r.Status, r.Body)
	}
	var n int64
	must(t, e.db.Raw(`SELECT count(*) FROM bookings WHERE person_id = ?`, e.practitioner).Scan(&n).Error)
	if n != 0 {
		t.Fatalf("%d bookings before confirming, want 0", n)
	}
	if r := c.post(m[1], url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	must(t, e.db.Raw(`SELECT count(*) FROM bookings WHERE person_id = ? AND status = 'proposed'`, e.practitioner).Scan(&n).Error)
	if n != 2 {
		t.Fatalf("%d bookings after applying, want 2", n)
	}
	if r := c.post(m[1], url.Values{"confirm": {"yes"}}); r.Status != http.StatusConflict {
		t.Fatalf("applying twice answered %d", r.Status)
	}
}

// Purging leaves the live session and drops what can no longer be used.
func TestPurgeEndedSessions(t *testing.T) {
	e := newEnv(t)
	idle := e.client()
	idle.login(e.staffA, password)
	e.client().login(e.staffA, "salah-salah-salah")
	e.advance(tenant.DefaultIdleTimeout + time.Minute)
	live := e.client()
	live.login(e.staffB, password)
	n, err := e.app.Accounts.Purge(context.Background())
	must(t, err)
	var sessions, failures int64
	must(t, e.db.Raw("SELECT count(*) FROM web_sessions").Scan(&sessions).Error)
	must(t, e.db.Raw("SELECT count(*) FROM login_failures").Scan(&failures).Error)
	if n != 2 || sessions != 1 || failures != 0 {
		t.Fatalf("purged %d rows, %d sessions and %d failures left; want 2, 1 and 0", n, sessions, failures)
	}
	if r := live.get("/console/dashboard"); r.Status != http.StatusOK {
		t.Fatalf("the live session answered %d after the purge", r.Status)
	}
}

// Editing a roster entry goes through profile.Service.Update with its
// validation and version check; archiving asks first and is audited.
func TestEditAndArchivePerson(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	path := fmt.Sprintf("/console/people/%d", e.practitioner)
	r := c.get(path)
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		t.Fatalf("the person page answered %d", r.Status)
	}
	form := url.Values{"version": {m[1]}, "name": {"M"}, "email": {"marthen@example.id"}, "organisation": {"BPBD Provinsi Papua"},
		"unit": {"Logistik"}, "zone": {"Asia/Jayapura"}}
	if r := c.post(path, form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-name-err"`) {
		t.Fatalf("a one-letter name answered %d", r.Status)
	}
	form.Set("name", "Marthen Rumbiak, S.T.")
	if r := c.post(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("saving answered %d: %s", r.Status, r.Body)
	}
	if r := c.post(path, form); r.Status != http.StatusConflict || !strings.Contains(r.Body, "Marthen Rumbiak, S.T.") {
		t.Fatalf("saving from a stale form answered %d", r.Status)
	}
	if r := c.post(path+"/archive", url.Values{}); r.Status != http.StatusOK || !strings.Contains(r.Body, `name="confirm" value="yes"`) {
		t.Fatalf("archiving without confirming answered %d", r.Status)
	}
	if r := c.post(path+"/archive", url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("archiving answered %d", r.Status)
	}
	var archived bool
	must(t, e.db.Raw("SELECT archived_at IS NOT NULL FROM people WHERE id = ?", e.practitioner).Scan(&archived).Error)
	if !archived {
		t.Fatal("the person is not archived")
	}
	cb := e.client()
	cb.login(e.staffB, password)
	if r := cb.get(path); r.Status != http.StatusNotFound {
		t.Fatalf("B reading A's person: %d", r.Status)
	}
	if r := cb.post(path+"/archive", url.Values{"confirm": {"yes"}}); r.Status != http.StatusNotFound {
		t.Fatalf("B archiving A's person: %d", r.Status)
	}
}

// A trainer's decline through the portal shows on the staff dashboard;
// nobody else can answer that booking.
func TestDeclineReachesDashboard(t *testing.T) {
	e := newEnv(t)
	staff := e.client()
	staff.login(e.staffA, password)
	r := staff.post("/console/courses", url.Values{"name": {"Pelatihan Jawaban"}, "organising_unit": {"Bidang PKM"}, "funding": {"APBD"},
		"region": {"Sulawesi Selatan"}, "start_date": {"2026-11-25"}, "end_date": {"2026-11-26"}})
	course := r.Location[:strings.Index(r.Location, "?")]
	r = staff.post(course+"/sessions", url.Values{"topic": {"Sesi Jawaban"}, "zone": {"Asia/Makassar"}, "start": {"2026-11-25T08:00"},
		"end": {"2026-11-25T09:30"}, "mode": {"online"}})
	session := r.Location[:strings.Index(r.Location, "?")]
	if r := staff.post(session+"/bookings", url.Values{"person_id": {fmt.Sprint(e.practitioner)}, "role": {"co_trainer"}, "invite": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("book and invite: %d %s", r.Status, r.Body)
	}
	var booking int64
	must(t, e.db.Raw("SELECT id FROM bookings WHERE person_id = ?", e.practitioner).Scan(&booking).Error)

	// Another trainer, on B's roster, cannot answer it.
	must(t, e.db.Exec(`INSERT INTO people (institution_id, kind, name, email, organisation, unit, employment, zone)
		VALUES (?, 'practitioner', 'Orang B', 'orang@b.id', 'Instansi B', 'Unit', 'non_asn', 'Asia/Jakarta')`, e.instB).Error)
	other := e.client()
	other.post("/console/trainer/login", url.Values{"email": {"orang@b.id"}})
	other.post(strings.TrimPrefix(e.signInLink("orang@b.id"), e.srv.URL), url.Values{})
	if r := other.post(fmt.Sprintf("/console/trainer/bookings/%d/answer", booking), url.Values{"to": {"declined"}}); r.Status != http.StatusNotFound {
		t.Fatalf("another trainer answering: %d", r.Status)
	}

	trainer := e.client()
	trainer.post("/console/trainer/login", url.Values{"email": {"marthen@example.id"}})
	trainer.post(strings.TrimPrefix(e.signInLink("marthen@example.id"), e.srv.URL), url.Values{})
	if r := trainer.post(fmt.Sprintf("/console/trainer/bookings/%d/answer", booking), url.Values{"to": {"declined"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("declining: %d %s", r.Status, r.Body)
	}
	r = staff.get("/console/dashboard")
	i := strings.Index(r.Body, `id="replies-h"`)
	if i < 0 || !strings.Contains(r.Body[i:], "Marthen Rumbiak") || !strings.Contains(r.Body[i:], "menolak") {
		t.Fatal("the dashboard does not show the decline")
	}
}

// The session cookie is HttpOnly and SameSite=Lax; over https it is also
// Secure and pinned to the host (__Host-).
func TestCookieAttributes(t *testing.T) {
	e := newEnv(t)
	form := url.Values{"email": {e.staffA}, "password": {password}}
	req := httptest.NewRequest("POST", "/console/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	e.app.Handler.ServeHTTP(rec, req)
	c := rec.Header().Get("Set-Cookie")
	if !strings.HasPrefix(c, "sinergi_console=snrg_") || !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") ||
		strings.Contains(c, "Secure") || !strings.Contains(c, "Path=/console/") {
		t.Fatalf("over http the cookie is %q", c)
	}
	secure, err := app.New(e.db, app.Config{BaseURL: "https://sinergi.example.id", MailFrom: "jadwal@sinergi.example.id",
		KEK: bytes.Repeat([]byte{7}, 32), Now: e.clock, Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	must(t, err)
	req = httptest.NewRequest("POST", "https://sinergi.example.id/console/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec = httptest.NewRecorder()
	secure.Handler.ServeHTTP(rec, req)
	c = rec.Header().Get("Set-Cookie")
	if !strings.HasPrefix(c, "__Host-sinergi=snrg_") || !strings.Contains(c, "Secure") || !strings.Contains(c, "HttpOnly") ||
		!strings.Contains(c, "SameSite=Lax") || !strings.Contains(c, "Path=/;") {
		t.Fatalf("over https the cookie is %q", c)
	}
}

// Assets are served from the binary under their content hash with a long
// cache; another name is 404.
func TestAssetsHashedAndCached(t *testing.T) {
	e := newEnv(t)
	page := e.client().get("/console/login")
	for _, re := range []string{`/console/assets/console\.[0-9a-f]{12}\.css`, `/console/assets/htmx\.min\.[0-9a-f]{12}\.js`} {
		path := regexp.MustCompile(re).FindString(page.Body)
		if path == "" {
			t.Fatalf("the page links no %s", re)
		}
		res, err := http.Get(e.srv.URL + path)
		must(t, err)
		res.Body.Close()
		if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Fatalf("%s: %d %q", path, res.StatusCode, res.Header.Get("Cache-Control"))
		}
	}
	if r := e.client().get("/console/assets/console.000000000000.css"); r.Status != http.StatusNotFound {
		t.Fatalf("an unknown asset answered %d", r.Status)
	}
	if !strings.Contains(page.Body, "<html lang=\"id\">") {
		t.Fatal("the sign-in page is not in Indonesian")
	}
}
