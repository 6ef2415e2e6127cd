package console_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"sinergi/audit"
	"sinergi/certification"
	"sinergi/incentive"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// adminClient makes the platform admin and signs them in.
func (e *env) adminClient() *client {
	e.t.Helper()
	_, _, err := e.app.Accounts.CreateUser(context.Background(), tenant.User{Email: "admin@sinergi.example.id", Role: tenant.Admin}, password)
	must(e.t, err)
	c := e.client()
	if r := c.login("admin@sinergi.example.id", password); r.Location != "/console/admin" {
		e.t.Fatalf("the admin's sign-in went to %q", r.Location)
	}
	return c
}

// staffClient signs in a staff user.
func (e *env) staffClient(email string) *client {
	e.t.Helper()
	c := e.client()
	if r := c.login(email, password); r.Location != "/console/dashboard" {
		e.t.Fatalf("%s's sign-in went to %q (%d)", email, r.Location, r.Status)
	}
	return c
}

func (e *env) userID(email string) int64 {
	e.t.Helper()
	var id int64
	must(e.t, e.db.Raw("SELECT id FROM users WHERE email = ?", email).Scan(&id).Error)
	return id
}

func (e *env) count(query string, args ...any) int64 {
	e.t.Helper()
	var n int64
	must(e.t, e.db.Raw(query, args...).Scan(&n).Error)
	return n
}

// Every settings and admin page answers to its role.
func TestSettingsAndAdminPagesRender(t *testing.T) {
	e := newEnv(t)
	staff := e.staffClient(e.staffA)
	for _, p := range []string{"/console/settings", "/console/settings/rates", "/console/users",
		fmt.Sprintf("/console/users/%d/deactivate", e.userID(e.staffA))} {
		r := staff.get(p)
		if r.Status != http.StatusOK {
			t.Errorf("staff GET %s: %d\n%s", p, r.Status, r.Body)
		}
	}
	admin := e.adminClient()
	for _, p := range []string{"/console/admin", "/console/admin/ceilings", "/console/admin/holidays?year=2026",
		"/console/admin/keys", "/console/admin/keys/rotate"} {
		if r := admin.get(p); r.Status != http.StatusOK {
			t.Errorf("admin GET %s: %d\n%s", p, r.Status, r.Body)
		}
	}
}

// newStaffUser makes a staff user of inst through the users page and
// returns their id and one-time password.
func (e *env) newStaffUser(staff *client, email string) (int64, string) {
	e.t.Helper()
	r := staff.post("/console/users", url.Values{"email": {email}, "name": {"Staf Kedua"}})
	m := regexp.MustCompile(`<code id="new-password">([^<]+)</code>`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil {
		e.t.Fatalf("creating %s answered %d without a one-time password", email, r.Status)
	}
	return e.userID(email), html.UnescapeString(m[1])
}

// Staff deactivate a user of their institution only after confirming;
// the user's sessions die at once and the deactivation is audited.
// Signing a user out everywhere ends their sessions too. Nobody
// deactivates themselves.
func TestStaffDeactivatesAndSignsOutUsers(t *testing.T) {
	e := newEnv(t)
	staff := e.staffClient(e.staffA)
	id, pw := e.newStaffUser(staff, "kedua@bpsdm-a.go.id")
	other := e.client()
	if r := other.login("kedua@bpsdm-a.go.id", pw); r.Location != "/console/dashboard" {
		t.Fatalf("the new user's sign-in went to %q", r.Location)
	}
	path := fmt.Sprintf("/console/users/%d/deactivate", id)

	r := staff.post(path, url.Values{})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="confirm-yes"`) {
		t.Fatalf("a deactivation without confirmation answered %d without asking", r.Status)
	}
	if n := e.count("SELECT count(*) FROM users WHERE id = ? AND disabled_at IS NULL", id); n != 1 {
		t.Fatal("a deactivation without confirmation disabled the user")
	}
	if r := other.get("/console/dashboard"); r.Status != http.StatusOK {
		t.Fatalf("before the confirmed deactivation the user's session answered %d", r.Status)
	}

	if r := staff.post(path, url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther || r.Location != "/console/users?ok=set_user_disabled" {
		t.Fatalf("the confirmed deactivation answered %d %q", r.Status, r.Location)
	}
	if r := other.get("/console/dashboard"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/console/login") {
		t.Fatalf("after deactivation the user's session answered %d %q", r.Status, r.Location)
	}
	if r := e.client().login("kedua@bpsdm-a.go.id", pw); r.Status != http.StatusUnauthorized {
		t.Fatalf("a deactivated user signed in again: %d", r.Status)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'disable' AND entity = 'user' AND entity_id = ? AND actor_user_id = ?`,
		id, e.userID(e.staffA)); n != 1 {
		t.Fatalf("%d audit rows for the deactivation", n)
	}
	if body := staff.get("/console/users").Body; !strings.Contains(body, "nonaktif") {
		t.Fatal("the users page does not show the user deactivated")
	}

	self := fmt.Sprintf("/console/users/%d/deactivate", e.userID(e.staffA))
	if r := staff.post(self, url.Values{"confirm": {"yes"}}); r.Status != http.StatusConflict {
		t.Fatalf("deactivating oneself answered %d", r.Status)
	}

	id3, pw3 := e.newStaffUser(staff, "ketiga@bpsdm-a.go.id")
	third := e.client()
	third.login("ketiga@bpsdm-a.go.id", pw3)
	if r := staff.post(fmt.Sprintf("/console/users/%d/sign-out", id3), url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("signing a user out answered %d", r.Status)
	}
	if r := third.get("/console/dashboard"); r.Status != http.StatusSeeOther {
		t.Fatalf("after being signed out everywhere the user's session answered %d", r.Status)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'sign_out_everywhere' AND entity_id = ?`, id3); n != 1 {
		t.Fatalf("%d audit rows for the sign-out", n)
	}
}

// Staff of one institution neither see nor change another's users or
// rates: another institution's user ids answer 404 and change nothing.
func TestSettingsStayInTheirInstitution(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	// B pays from APBN: a national ceiling and B's own rate under it.
	_, err := e.app.Incentives.CreateRate(ctx, 0, incentive.Rate{Regulation: "SBM Uji 2026", FiscalYear: 2026, Funding: scheduling.APBN,
		Class: incentive.Penceramah, Unit: incentive.PerJP, Amount: 900000, Source: "uji"})
	must(t, err)
	_, err = e.app.Incentives.CreateRate(ctx, e.instB, incentive.Rate{Regulation: "Keputusan Rahasia B", FiscalYear: 2026,
		Funding: scheduling.APBN, Class: incentive.Penceramah, Unit: incentive.PerJP, Amount: 800000})
	must(t, err)
	b := e.staffClient(e.staffB)
	bID := e.userID(e.staffB)

	a := e.staffClient(e.staffA)
	if body := a.get("/console/users").Body; strings.Contains(body, e.staffB) {
		t.Fatal("A's users page lists B's staff")
	}
	if body := a.get("/console/settings/rates").Body; strings.Contains(body, "Rahasia B") {
		t.Fatal("A's rates page shows B's rate")
	}
	for _, req := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", fmt.Sprintf("/console/users/%d/deactivate", bID), nil},
		{"POST", fmt.Sprintf("/console/users/%d/deactivate", bID), url.Values{"confirm": {"yes"}}},
		{"POST", fmt.Sprintf("/console/users/%d/sign-out", bID), url.Values{}},
	} {
		if r := a.do(req.method, req.path, req.form); r.Status != http.StatusNotFound {
			t.Errorf("A: %s %s answered %d, want 404", req.method, req.path, r.Status)
		}
	}
	if n := e.count("SELECT count(*) FROM users WHERE id = ? AND disabled_at IS NULL", bID); n != 1 {
		t.Fatal("A disabled B's user")
	}
	if r := b.get("/console/dashboard"); r.Status != http.StatusOK {
		t.Fatalf("A ended B's session: %d", r.Status)
	}
	// A's new rate belongs to A, whatever the form says.
	r := a.post("/console/settings/rates", url.Values{"fiscal_year": {"2027"}, "funding": {"APBN"}, "class": {"penceramah"},
		"unit": {"per_jp"}, "amount": {"700000"}, "regulation": {"Keputusan A"}, "institution_id": {fmt.Sprint(e.instB)}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("A's rate answered %d", r.Status)
	}
	if n := e.count("SELECT count(*) FROM rate_tables WHERE regulation = 'Keputusan A' AND institution_id = ?", e.instA); n != 1 {
		t.Fatal("A's rate was not stored as A's")
	}
	if body := b.get("/console/settings/rates").Body; strings.Contains(body, "Keputusan A") {
		t.Fatal("B's rates page shows A's rate")
	}
}

// Staff reach no admin page, and their posts there change nothing.
func TestStaffCannotReachAdminPages(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	_, err := e.app.Scheduling.PutHoliday(ctx, scheduling.Holiday{Date: day(2026, 12, 25), Kind: scheduling.LiburNasional,
		NameID: "Hari Raya Natal", Source: "SKB uji"}, true)
	must(t, err)
	_, err = e.app.Certificates.Keys.Active(ctx)
	must(t, err)
	staff := e.staffClient(e.staffA)
	state := func() string {
		return fmt.Sprint(e.count("SELECT count(*) FROM institutions"), e.count("SELECT count(*) FROM rate_tables"),
			e.count("SELECT count(*) FROM holidays"), e.count("SELECT count(*) FROM signing_keys"), e.count("SELECT count(*) FROM users"))
	}
	before := state()
	for _, p := range []string{"/console/admin", "/console/admin/ceilings", "/console/admin/holidays", "/console/admin/keys",
		"/console/admin/keys/rotate", "/console/admin/holidays/2026-12-25/delete"} {
		if r := staff.get(p); r.Status != http.StatusForbidden {
			t.Errorf("staff GET %s: %d, want 403", p, r.Status)
		}
	}
	for p, form := range map[string]url.Values{
		"/console/admin/institutions":               {"code": {"BARU"}, "name": {"Instansi Baru"}, "kind": {"lainnya"}, "zone": {"Asia/Jakarta"}},
		"/console/admin/users":                      {"institution": {fmt.Sprint(e.instA)}, "email": {"baru@bpsdm-a.go.id"}},
		"/console/admin/ceilings":                   {"fiscal_year": {"2027"}, "funding": {"APBN"}, "class": {"penceramah"}, "unit": {"per_jp"}, "amount": {"5000000"}, "regulation": {"X"}, "source": {"X"}},
		"/console/admin/holidays":                   {"date": {"2026-12-31"}, "kind": {"libur_nasional"}, "name_id": {"X"}, "source": {"X"}},
		"/console/admin/holidays/2026-12-25/delete": {"confirm": {"yes"}},
		"/console/admin/keys/rotate":                {"confirm": {"yes"}},
	} {
		if r := staff.post(p, form); r.Status != http.StatusForbidden {
			t.Errorf("staff POST %s: %d, want 403", p, r.Status)
		}
	}
	if after := state(); after != before {
		t.Fatalf("staff posts to admin pages changed the data: %s -> %s", before, after)
	}
}

// Destructive admin posts without their confirmation only ask; with it
// they act and are audited.
func TestDestructiveAdminPostsNeedConfirmation(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	_, err := e.app.Scheduling.PutHoliday(ctx, scheduling.Holiday{Date: day(2026, 12, 25), Kind: scheduling.LiburNasional,
		NameID: "Hari Raya Natal", Source: "SKB uji"}, true)
	must(t, err)
	old, err := e.app.Certificates.Keys.Active(ctx)
	must(t, err)
	admin := e.adminClient()

	if r := admin.post("/console/admin/holidays/2026-12-25/delete", url.Values{}); r.Status != http.StatusOK || !strings.Contains(r.Body, `id="confirm-yes"`) {
		t.Fatalf("removing a holiday without confirmation answered %d without asking", r.Status)
	}
	if r := admin.post("/console/admin/keys/rotate", url.Values{"confirm": {"no"}}); r.Status != http.StatusOK {
		t.Fatalf("rotating without confirmation answered %d", r.Status)
	}
	if n := e.count("SELECT count(*) FROM holidays WHERE date = '2026-12-25'"); n != 1 {
		t.Fatal("the holiday went without confirmation")
	}
	if n := e.count("SELECT count(*) FROM signing_keys"); n != 1 {
		t.Fatal("a key was made without confirmation")
	}

	if r := admin.post("/console/admin/holidays/2026-12-25/delete", url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("the confirmed removal answered %d", r.Status)
	}
	if r := admin.post("/console/admin/keys/rotate", url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("the confirmed rotation answered %d", r.Status)
	}
	if n := e.count("SELECT count(*) FROM holidays WHERE date = '2026-12-25'"); n != 0 {
		t.Fatal("the confirmed removal left the holiday")
	}
	if n := e.count("SELECT count(*) FROM signing_keys WHERE kid = ? AND NOT active AND retired_at IS NOT NULL AND sealed_key IS NULL", old.ID); n != 1 {
		t.Fatal("the rotation did not retire the old key")
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE actor_user_id IS NOT NULL AND ((action = 'delete' AND entity = 'holiday')
		OR (action = 'add' AND entity = 'signing_key'))`); n != 2 {
		t.Fatalf("%d audit rows by the admin for the removal and the rotation, want 2", n)
	}
	keys := admin.get("/console/admin/keys").Body
	if !strings.Contains(keys, old.ID) || !strings.Contains(keys, "dipensiunkan") || strings.Contains(keys, "PRIVATE") {
		t.Fatalf("the keys page does not show the retired key by its id:\n%s", keys)
	}
	if r := admin.post("/console/admin/holidays/2026-12-26/delete", url.Values{"confirm": {"yes"}}); r.Status != http.StatusNotFound {
		t.Fatalf("removing a date without a holiday answered %d", r.Status)
	}
}

// Weights and rates are saved through the domain's validation: a weight
// out of range and a rate above the ceiling are refused with their field
// problems, in Indonesian, and nothing is stored.
func TestWeightsAndRatesValidatedByTheDomain(t *testing.T) {
	e := newEnv(t)
	staff := e.staffClient(e.staffA)
	form := url.Values{"weights.expertise": {"150"}, "weights.level": {"15"}, "weights.rating": {"20"}, "weights.load": {"15"},
		"weights.cost": {"5"}, "weights.travel": {"abc"}, "weights.impact": {"10"}, "monthly_cap_jp": {"0"}, "budget_per_jp": {"0"}}
	r := staff.post("/console/settings/matching", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "harus 0 sampai 100") || !strings.Contains(r.Body, "harus angka") {
		t.Fatalf("bad weights answered %d:\n%s", r.Status, r.Body)
	}
	form.Set("weights.travel", "5")
	r = staff.post("/console/settings/matching", form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "harus 0 sampai 100") {
		t.Fatalf("a weight of 150 answered %d", r.Status)
	}
	if set, err := e.app.Matching.Settings.Settings(context.Background(), e.instA); err != nil || set.Weights.Expertise != 40 {
		t.Fatalf("a refused weight was stored: %+v %v", set.Weights, err)
	}
	form.Set("weights.expertise", "55.5")
	if r := staff.post("/console/settings/matching", form); r.Status != http.StatusSeeOther {
		t.Fatalf("good weights answered %d", r.Status)
	}
	if set, _ := e.app.Matching.Settings.Settings(context.Background(), e.instA); set.Weights.Expertise != 55.5 {
		t.Fatalf("the saved expertise weight is %v", set.Weights.Expertise)
	}

	rate := url.Values{"fiscal_year": {"2027"}, "funding": {"APBD"}, "region": {"Sulawesi Selatan"}, "class": {"penceramah"},
		"unit": {"per_jp"}, "amount": {"300001"}, "regulation": {"Pergub A 2027"}}
	r = staff.post("/console/settings/rates", rate)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "melebihi batas tertinggi Rp300.000") {
		t.Fatalf("a rate above the ceiling answered %d:\n%s", r.Status, r.Body)
	}
	rate.Set("amount", "300000")
	if r := staff.post("/console/settings/rates", rate); r.Status != http.StatusSeeOther {
		t.Fatalf("a rate at the ceiling answered %d", r.Status)
	}
	if n := e.count("SELECT count(*) FROM rate_tables WHERE institution_id = ? AND amount = 300000 AND fiscal_year = 2027", e.instA); n != 1 {
		t.Fatalf("%d rates at the ceiling stored", n)
	}
}

// certificateOfA issues a certificate to A's practitioner for a completed
// session of a course of A, through the domain's use cases.
func (e *env) certificateOfA() (course, cert int64) {
	e.t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	must(e.t, e.app.Certificates.PutSettings(ctx, e.instA, certification.Settings{Template: certification.DefaultTemplate,
		SignerName: "Dr. Andi Mappanyukki", SignerTitle: "Kepala BPSDM", SignerNIP: "196805121994031007"}))
	c, err := e.app.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Penanggulangan Bencana", OrganisingUnit: "Bidang PKM",
		Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2026, 11, 16), EndDate: day(2026, 11, 20)})
	must(e.t, err)
	s, _, err := e.app.Scheduling.CreateSession(ctx, e.instA, c.ID, scheduling.Session{Topic: "Logistik bencana", Zone: "Asia/Makassar",
		Start: time.Date(2026, 11, 16, 1, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 16, 2, 30, 0, 0, time.UTC), Mode: scheduling.Online}, false)
	must(e.t, err)
	b, err := e.app.Scheduling.Book(ctx, e.instA, scheduling.BookRequest{SessionID: s.ID, PersonID: e.practitioner, Role: scheduling.CoTrainer})
	must(e.t, err)
	e.advance(-8 * 24 * time.Hour) // invited and answered before the session (no invitation once it began)
	for _, to := range []scheduling.Status{scheduling.Invited, scheduling.Accepted, scheduling.Confirmed, scheduling.Completed} {
		if to == scheduling.Completed {
			e.advance(8 * 24 * time.Hour)
		}
		_, _, err := e.app.Scheduling.TransitionBooking(ctx, scheduling.Scope{InstitutionID: e.instA}, b.ID, to, 0)
		must(e.t, err)
	}
	issued, err := e.app.Certificates.IssueCourse(ctx, e.instA, c.ID)
	must(e.t, err)
	if len(issued) != 1 {
		e.t.Fatalf("%d certificates issued, want 1", len(issued))
	}
	return c.ID, issued[0].ID
}

// Reissuing asks for a reason and a confirmation; it then revokes the
// certificate and issues a new one with a new number, as the API does.
// Another institution's certificate is not found.
func TestReissueCertificateNeedsConfirmation(t *testing.T) {
	e := newEnv(t)
	course, id := e.certificateOfA()
	path := fmt.Sprintf("/console/certificates/%d/reissue", id)
	valid := func() int64 {
		return e.count("SELECT count(*) FROM certificates WHERE id = ? AND status = 'valid'", id)
	}

	b := e.staffClient(e.staffB)
	if r := b.get(path); r.Status != http.StatusNotFound {
		t.Fatalf("B opening A's reissue: %d", r.Status)
	}
	if r := b.post(path, url.Values{"confirm": {"yes"}, "reason": {"x"}}); r.Status != http.StatusNotFound || valid() != 1 {
		t.Fatalf("B reissuing A's certificate: %d", r.Status)
	}

	a := e.staffClient(e.staffA)
	if body := a.get(fmt.Sprintf("/console/courses/%d", course)).Body; !strings.Contains(body, `href="`+path+`"`) {
		t.Fatal("the course page has no reissue link")
	}
	if r := a.post(path, url.Values{"reason": {"Nama salah eja"}}); r.Status != http.StatusOK || !strings.Contains(r.Body, `id="confirm-yes"`) || valid() != 1 {
		t.Fatalf("a reissue without confirmation answered %d", r.Status)
	}
	if r := a.post(path, url.Values{"confirm": {"yes"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-reason-err"`) || valid() != 1 {
		t.Fatalf("a reissue without a reason answered %d", r.Status)
	}
	r := a.post(path, url.Values{"confirm": {"yes"}, "reason": {"Nama salah eja"}})
	if r.Status != http.StatusSeeOther || r.Location != fmt.Sprintf("/console/courses/%d?ok=set_reissued", course) {
		t.Fatalf("the confirmed reissue answered %d %q", r.Status, r.Location)
	}
	if valid() != 0 {
		t.Fatal("the old certificate is still valid")
	}
	if n := e.count(`SELECT count(*) FROM certificates n JOIN certificates o ON o.id = n.replaces_id
		WHERE o.id = ? AND n.status = 'valid' AND n.number <> o.number`, id); n != 1 {
		t.Fatal("no new certificate with a new number replaces the old one")
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE entity = 'certificate' AND actor_user_id = ?`, e.userID(e.staffA)); n < 2 {
		t.Fatalf("%d audit rows by the staff user for the revocation and the new certificate", n)
	}
}
