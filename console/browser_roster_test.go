package console_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestRosterInTheBrowser walks the roster in Chromium: filter by
// competency and level (htmx swaps the results), edit a practitioner with
// a bad field and fix it, add a competency, archive after the
// confirmation page, import a small roster (dry run, then confirm); then
// the trainer edits their own profile and reads a statement. Every page
// is checked with axe-core and at 360 px.
func TestRosterInTheBrowser(t *testing.T) {
	e := newEnv(t)
	e.widyaiswara(t, "Andi Integritas Tinggi", "197805122003121002", "andi@a.go.id", "integritas", 4)
	e.widyaiswara(t, "Budi Integritas Rendah", "198001012005011003", "budi@a.go.id", "integritas", 2)
	e.completedSession(t)
	staff := browser(t)
	base := e.srv.URL

	run(t, staff, "sign in", chromedp.Navigate(base+"/console/people"), chromedp.WaitVisible("#f-email", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", e.staffA, chromedp.ByQuery),
		chromedp.SendKeys("#f-password", password, chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery),
		chromedp.WaitVisible("#results", chromedp.ByQuery))
	check(t, staff, "roster")
	var results string
	run(t, staff, "filter by integritas at level 3 or above",
		chromedp.Evaluate(`document.getElementById('results').setAttribute('data-old', '1'); window.samePage = true`, nil),
		setForm(map[string]string{"#f-competency": "integritas", "#f-min_level": "3"}),
		chromedp.Click(`form[role="search"] button[type="submit"]`, chromedp.ByQuery),
		// Changing a filter field may already swap the results (live
		// search) before the level is set: wait for the answer to the
		// whole filter, with no request left in flight.
		chromedp.Poll(`location.search.includes('min_level=3') && !document.querySelector('.htmx-request, .htmx-settling, .htmx-added') &&
			!document.getElementById('results').hasAttribute('data-old')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Text("#results", &results, chromedp.ByQuery))
	if !strings.Contains(results, "Andi Integritas Tinggi") || strings.Contains(results, "Budi Integritas Rendah") || strings.Contains(results, "Marthen") {
		var html, where string
		_ = chromedp.Run(staff, chromedp.Location(&where), chromedp.OuterHTML("main", &html, chromedp.ByQuery))
		t.Fatalf("integritas at 3 or above lists:\n%s\nat %s\n%s", results, where, html)
	}
	var loc string
	var swapped bool
	run(t, staff, "the filtered URL", chromedp.Location(&loc), chromedp.Evaluate(`window.samePage === true`, &swapped))
	if !swapped {
		t.Error("the results were not swapped in place (the whole page was loaded)")
	}
	if !strings.Contains(loc, "competency=integritas") || !strings.Contains(loc, "min_level=3") {
		t.Errorf("htmx did not keep the filter in the URL: %s", loc)
	}
	check(t, staff, "roster filtered")

	run(t, staff, "open the practitioner", chromedp.Navigate(base+"/console/people?q=Marthen"),
		chromedp.Click(`//a[text()="Marthen Rumbiak"]`, chromedp.BySearch), chromedp.WaitVisible("#f-expertise", chromedp.ByQuery))
	check(t, staff, "practitioner")
	var fieldErr string
	run(t, staff, "a phone that is not Indonesian",
		setForm(map[string]string{"#f-phone": "+1 555 0100", "#f-experience_years": "15"}),
		chromedp.Click(`#profile-form button.primary`, chromedp.ByQuery),
		chromedp.WaitVisible("#f-phone-err", chromedp.ByQuery), chromedp.Text("#f-phone-err", &fieldErr, chromedp.ByQuery))
	if !strings.Contains(fieldErr, "nomor Indonesia") && !strings.Contains(fieldErr, "+62") {
		t.Fatalf("the phone's error reads %q", fieldErr)
	}
	check(t, staff, "practitioner with a field error")
	run(t, staff, "fix the phone", setForm(map[string]string{"#f-phone": "0812 3456 7890"}),
		chromedp.Click(`#profile-form button.primary`, chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	p := e.person(t, e.practitioner)
	if p.Phone != "+6281234567890" || p.ExperienceYears != 15 {
		t.Fatalf("saved phone %q and %d years", p.Phone, p.ExperienceYears)
	}
	run(t, staff, "add Komunikasi at level 4", clearFlash,
		setForm(map[string]string{"#add-competency_id": itoa(e.competencyID(t, "komunikasi")), "#add-level": "4"}),
		chromedp.Click(`#add-competency button`, chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	var comps string
	run(t, staff, "read the competencies", chromedp.Text("#competencies", &comps, chromedp.ByQuery))
	if !strings.Contains(comps, "Komunikasi") {
		t.Fatalf("the competencies read %q", comps)
	}
	check(t, staff, "practitioner with a competency")

	run(t, staff, "archive: the confirmation page", chromedp.Click(`form[action$="/archive"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#confirm", chromedp.ByQuery))
	check(t, staff, "archive confirmation")
	run(t, staff, "confirm archiving", chromedp.Click("#confirm button", chromedp.ByQuery),
		chromedp.WaitVisible(`form[action$="/unarchive"]`, chromedp.ByQuery))
	if !e.person(t, e.practitioner).Archived() || e.auditCount(t, "archive", e.practitioner) != 1 {
		t.Fatal("the practitioner is not archived, or not audited")
	}
	check(t, staff, "archived practitioner")
	var history string
	run(t, staff, "the person's history", chromedp.Click("#history-link", chromedp.ByQuery),
		chromedp.WaitVisible("#history", chromedp.ByQuery), chromedp.Text("#history", &history, chromedp.ByQuery))
	if !strings.HasPrefix(strings.TrimSpace(history), "Diarsipkan") || !strings.Contains(history, "Kompetensi diubah") || !strings.Contains(history, "Profil diubah") {
		t.Fatalf("the history reads %q", history)
	}
	check(t, staff, "person history")

	file := filepath.Join(t.TempDir(), "roster.csv")
	must(t, os.WriteFile(file, []byte(rosterCSV), 0o600))
	run(t, staff, "the import page", chromedp.Navigate(base+"/console/people/import"), chromedp.WaitVisible("#upload", chromedp.ByQuery))
	check(t, staff, "import")
	var counts string
	run(t, staff, "dry run", chromedp.SetUploadFiles("#f-file", []string{file}, chromedp.ByQuery),
		chromedp.Click("#upload button", chromedp.ByQuery), chromedp.WaitVisible("#apply", chromedp.ByQuery),
		chromedp.Text("#counts", &counts, chromedp.ByQuery))
	if !strings.Contains(counts, "baru: 2") {
		t.Fatalf("the dry run counts %q", counts)
	}
	check(t, staff, "import preview")
	var done string
	run(t, staff, "confirm the import", chromedp.Click("#apply button", chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery), chromedp.Text("#report-h", &done, chromedp.ByQuery))
	var imported int64
	must(t, e.db.Raw("SELECT count(*) FROM people WHERE institution_id = ? AND email IN ('rina@a.go.id', 'hendra@bpbd.example.id')", e.instA).Scan(&imported).Error)
	if imported != 2 || !strings.Contains(done, "Impor selesai") {
		t.Fatalf("%d people imported; the page says %q", imported, done)
	}
	check(t, staff, "import done")

	// The practitioner is back on the roster for the trainer's part.
	run(t, staff, "restore the practitioner", chromedp.Navigate(base+"/console/people?archived=archived"),
		chromedp.Click(`//a[text()="Marthen Rumbiak"]`, chromedp.BySearch),
		chromedp.Click(`form[action$="/unarchive"] button`, chromedp.ByQuery), chromedp.WaitVisible("#confirm", chromedp.ByQuery),
		chromedp.Click("#confirm button", chromedp.ByQuery), chromedp.WaitVisible(`form[action$="/archive"]`, chromedp.ByQuery))

	trainer := browser(t)
	run(t, trainer, "ask for a link", chromedp.Navigate(base+"/console/trainer/login"), chromedp.WaitVisible("#f-email", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", "marthen@example.id", chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	run(t, trainer, "use the link", chromedp.Navigate(e.signInLink("marthen@example.id")),
		chromedp.Click("form button.primary", chromedp.ByQuery), chromedp.WaitVisible("#up-h", chromedp.ByQuery),
		chromedp.Click("#edit-profile", chromedp.ByQuery), chromedp.WaitVisible("#profile-form", chromedp.ByQuery))
	check(t, trainer, "trainer's profile")
	run(t, trainer, "edit the unit", setForm(map[string]string{"#f-unit": "Seksi Logistik dan Peralatan"}),
		chromedp.Click(`#profile-form button.primary`, chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	if u := e.person(t, e.practitioner).Unit; u != "Seksi Logistik dan Peralatan" {
		t.Fatalf("the trainer's unit is %q", u)
	}
	var statement string
	run(t, trainer, "the statements", chromedp.Navigate(base+"/console/trainer"), chromedp.Click("#statements", chromedp.ByQuery),
		chromedp.WaitVisible("#statement", chromedp.ByQuery), chromedp.Text("#statement", &statement, chromedp.ByQuery))
	if !strings.Contains(statement, "Pelatihan Tanggap Darurat") || !strings.Contains(statement, "dibayar") {
		t.Fatalf("the statement reads %q", statement)
	}
	check(t, trainer, "trainer's statements")
}
