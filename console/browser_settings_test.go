package console_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"sinergi/audit"
	"sinergi/tenant"
)

// signIn signs a browser in on the staff and admin sign-in page and waits
// for sel on the first page.
func signIn(t *testing.T, ctx context.Context, base, email, pw, sel string) {
	t.Helper()
	run(t, ctx, "sign in as "+email, chromedp.Navigate(base+"/console/login"), chromedp.WaitVisible("#f-password", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", email, chromedp.ByQuery),
		chromedp.SendKeys("#f-password", pw, chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery),
		chromedp.WaitVisible(sel, chromedp.ByQuery))
}

// TestSettingsAndAdminInTheBrowser walks the settings and admin pages in
// Chromium: staff set the matching weights (a bad one shows its field
// problem, then a good one saves) and add a rate version (above the
// ceiling refused in place, then at the ceiling); the admin creates an
// institution and its first user, adds and removes a holiday, rotates the
// signing key and sees the old one retired; staff deactivate a user after
// confirming, and that user's open session dies. Every page is checked
// with axe-core and at 360 px.
func TestSettingsAndAdminInTheBrowser(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	_, _, err := e.app.Accounts.CreateUser(ctx, tenant.User{Email: "admin@sinergi.example.id", Role: tenant.Admin}, password)
	must(t, err)
	oldKey, err := e.app.Certificates.Keys.Active(ctx)
	must(t, err)
	base := e.srv.URL

	staff := browser(t)
	signIn(t, staff, base, e.staffA, password, "#week-h")
	run(t, staff, "open settings", chromedp.Navigate(base+"/console/settings"), chromedp.WaitVisible("#weights-h", chromedp.ByQuery))
	check(t, staff, "settings with weights")
	var hint, fieldErr string
	run(t, staff, "read what the expertise weight means", chromedp.Text(`[id="h-weights.expertise"]`, &hint, chromedp.ByQuery))
	if !strings.Contains(hint, "Kompetensi yang dibutuhkan") || !strings.Contains(hint, "40") {
		t.Fatalf("the expertise weight's explanation reads %q", hint)
	}
	run(t, staff, "a weight of 150",
		chromedp.SetValue(`input[name="weights.expertise"]`, "150", chromedp.ByQuery),
		chromedp.Click("#weights-form button", chromedp.ByQuery),
		chromedp.WaitVisible(`[id="f-weights.expertise-err"]`, chromedp.ByQuery),
		chromedp.Text(`[id="f-weights.expertise-err"]`, &fieldErr, chromedp.ByQuery))
	if fieldErr != "harus 0 sampai 100" {
		t.Fatalf("the weight's field problem reads %q", fieldErr)
	}
	check(t, staff, "settings with a weight's field problem")
	run(t, staff, "a weight of 60",
		chromedp.SetValue(`input[name="weights.expertise"]`, "60", chromedp.ByQuery),
		chromedp.Click("#weights-form button", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.Text(`[id="h-weights.expertise"]`, &hint, chromedp.ByQuery))
	if !strings.Contains(hint, "60") {
		t.Fatalf("after saving, the current expertise weight reads %q", hint)
	}
	if set, _ := e.app.Matching.Settings.Settings(ctx, e.instA); set.Weights.Expertise != 60 {
		t.Fatalf("the stored expertise weight is %v", set.Weights.Expertise)
	}

	run(t, staff, "open the rates", chromedp.Navigate(base+"/console/settings/rates"), chromedp.WaitVisible("#new-rate-h", chromedp.ByQuery))
	check(t, staff, "rates")
	rate := map[string]string{"#f-fiscal_year": "2027", "#f-funding": "APBD", "#f-region": "Sulawesi Selatan", "#f-class": "penceramah",
		"#f-unit": "per_jp", "#f-amount": "350000", "#f-regulation": "Keputusan Kepala BPSDM A 2027"}
	run(t, staff, "a rate above the ceiling", setForm(rate), chromedp.Click("#rate-form button", chromedp.ByQuery),
		chromedp.WaitVisible("#f-amount-err", chromedp.ByQuery), chromedp.Text("#f-amount-err", &fieldErr, chromedp.ByQuery))
	if !strings.Contains(fieldErr, "melebihi batas tertinggi Rp300.000") {
		t.Fatalf("the amount's field problem reads %q", fieldErr)
	}
	check(t, staff, "rates with the ceiling's refusal")
	rate["#f-amount"] = "300000"
	var table string
	run(t, staff, "a rate at the ceiling", setForm(rate), chromedp.Click("#rate-form button", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery), chromedp.Text("#rates tbody", &table, chromedp.ByQuery))
	if !strings.Contains(table, "TA 2027") || strings.Count(table, "Rp300.000") != 2 {
		t.Fatalf("the new version does not show beside its ceiling:\n%s", table)
	}
	check(t, staff, "rates with a new version")

	// Staff add a colleague, who signs in at another computer.
	var pw string
	run(t, staff, "add a user", chromedp.Navigate(base+"/console/users"), chromedp.WaitVisible("#new-user-h", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", "kedua@bpsdm-a.go.id", chromedp.ByQuery),
		chromedp.Click(`form[action="/console/users"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#new-password", chromedp.ByQuery), chromedp.Text("#new-password", &pw, chromedp.ByQuery))
	check(t, staff, "users")

	admin := browser(t)
	signIn(t, admin, base, "admin@sinergi.example.id", password, "#new-inst-h")
	check(t, admin, "admin institutions")
	run(t, admin, "an institution with a bad code",
		setForm(map[string]string{"#f-code": "x", "#f-name": "BPSDM Provinsi Nusa Tenggara Timur", "#f-kind": "bpsdm_provinsi", "#f-zone": "Asia/Makassar"}),
		chromedp.Click("#inst-form button", chromedp.ByQuery), chromedp.WaitVisible("#f-code-err", chromedp.ByQuery))
	check(t, admin, "admin institutions with a field problem")
	run(t, admin, "create the institution",
		setForm(map[string]string{"#f-code": "BPSDM-NTT", "#f-name": "BPSDM Provinsi Nusa Tenggara Timur", "#f-kind": "bpsdm_provinsi", "#f-zone": "Asia/Makassar"}),
		chromedp.Click("#inst-form button", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	var first string
	run(t, admin, "its first staff user",
		chromedp.SendKeys("#first-user-form #f-email", "kepala@bpsdm-ntt.go.id", chromedp.ByQuery),
		chromedp.Click("#first-user-form button", chromedp.ByQuery),
		chromedp.WaitVisible("#new-password", chromedp.ByQuery), chromedp.Text("#new-password", &first, chromedp.ByQuery))
	if n := e.count(`SELECT count(*) FROM users u JOIN institutions i ON i.id = u.institution_id
		WHERE i.code = 'BPSDM-NTT' AND u.email = 'kepala@bpsdm-ntt.go.id' AND u.role = 'staff'`); n != 1 || first == "" {
		t.Fatal("the new institution's first staff user was not made")
	}
	check(t, admin, "admin with a one-time password")

	run(t, admin, "the ceilings", chromedp.Navigate(base+"/console/admin/ceilings"), chromedp.WaitVisible("#rates", chromedp.ByQuery))
	check(t, admin, "ceilings")

	run(t, admin, "the holidays of 2026", chromedp.Navigate(base+"/console/admin/holidays?year=2026"), chromedp.WaitVisible("#new-hol-h", chromedp.ByQuery))
	check(t, admin, "holidays")
	run(t, admin, "add a joint leave day",
		setForm(map[string]string{"#f-date": "2026-12-24", "#f-kind": "cuti_bersama", "#f-name_id": "Cuti Bersama Hari Raya Natal",
			"#f-name_en": "Christmas joint leave", "#f-status": "confirmed", "#f-source": "SKB 3 Menteri 2025"}),
		// The national data has the day already: the domain refuses a
		// second holiday at the date field and the form offers replacing it.
		clearFlash, chromedp.Click("#holiday-form button", chromedp.ByQuery),
		chromedp.WaitVisible("#f-replace", chromedp.ByQuery))
	check(t, admin, "holidays: replace the day's holiday?")
	run(t, admin, "replace it", chromedp.Click("#f-replace", chromedp.ByQuery), chromedp.Click("#holiday-form button", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.WaitVisible(`tr[data-date="2026-12-24"]`, chromedp.ByQuery))
	check(t, admin, "holidays with a new one")
	var question string
	run(t, admin, "remove it: the confirmation", chromedp.Click(`tr[data-date="2026-12-24"] a`, chromedp.ByQuery),
		chromedp.WaitVisible("#confirm-q", chromedp.ByQuery), chromedp.Text("main", &question, chromedp.ByQuery))
	if !strings.Contains(question, "Hapus hari libur ini?") || !strings.Contains(question, "24-12-2026") {
		t.Fatalf("the confirmation reads %q", question)
	}
	check(t, admin, "holiday removal confirmation")
	run(t, admin, "confirm the removal", chromedp.Click("#confirm-yes", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	if n := e.count("SELECT count(*) FROM holidays WHERE date = '2026-12-24'"); n != 0 {
		t.Fatal("the confirmed removal left the holiday")
	}

	run(t, admin, "the signing keys", chromedp.Navigate(base+"/console/admin/keys"), chromedp.WaitVisible("#keys", chromedp.ByQuery))
	check(t, admin, "signing keys")
	run(t, admin, "rotate: the confirmation", chromedp.Click("#rotate", chromedp.ByQuery), chromedp.WaitVisible("#confirm-q", chromedp.ByQuery))
	check(t, admin, "rotation confirmation")
	var keys string
	run(t, admin, "confirm the rotation", chromedp.Click("#confirm-yes", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery),
		chromedp.Text(`[data-kid="`+oldKey.ID+`"]`, &keys, chromedp.ByQuery))
	if !strings.Contains(keys, "dipensiunkan") {
		t.Fatalf("after the rotation the old key reads %q", keys)
	}
	check(t, admin, "signing keys after a rotation")
	if k, err := e.app.Certificates.Keys.Active(ctx); err != nil || k.ID == oldKey.ID {
		t.Fatalf("the active key is still the old one (%v)", err)
	}

	// The admin signs out; the colleague signs in at that computer.
	run(t, admin, "sign out", chromedp.Click(`form[action="/console/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible("#f-password", chromedp.ByQuery))
	signIn(t, admin, base, "kedua@bpsdm-a.go.id", pw, "#week-h")

	run(t, staff, "deactivate the colleague: the confirmation", chromedp.Navigate(base+"/console/users"),
		chromedp.Click(`li[data-email="kedua@bpsdm-a.go.id"] a.deactivate`, chromedp.ByQuery),
		chromedp.WaitVisible("#confirm-q", chromedp.ByQuery))
	check(t, staff, "deactivation confirmation")
	run(t, staff, "confirm the deactivation", chromedp.Click("#confirm-yes", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	check(t, staff, "users with a deactivated one")
	run(t, admin, "the colleague's session is gone", chromedp.Navigate(base+"/console/dashboard"), chromedp.WaitVisible("#f-password", chromedp.ByQuery))
}
