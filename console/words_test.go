package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"sinergi/tenant"
)

// newCourseAndSession makes a course and a session of A through the
// console and returns their paths.
func (c *client) newCourseAndSession(t *testing.T) (course, session string) {
	t.Helper()
	r := c.post("/console/courses", url.Values{"name": {"Pelatihan Kata"}, "organising_unit": {"Bidang PKM"}, "funding": {"APBD"},
		"region": {"Sulawesi Selatan"}, "start_date": {"2026-12-14"}, "end_date": {"2026-12-18"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create course: %d %s", r.Status, r.Body)
	}
	course = r.Location[:strings.Index(r.Location, "?")]
	r = c.post(course+"/sessions", url.Values{"topic": {"Sesi Kata"}, "zone": {"Asia/Makassar"}, "start": {"2026-12-15T08:00"},
		"end": {"2026-12-15T09:30"}, "mode": {"online"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create session: %d %s", r.Status, r.Body)
	}
	return course, r.Location[:strings.Index(r.Location, "?")]
}

func (c *client) english(t *testing.T) {
	t.Helper()
	if r := c.post("/console/lang", url.Values{"lang": {"en"}, "next": {"/console/dashboard"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("switching to English answered %d", r.Status)
	}
}

// Candidate explanations and exclusions are told in the page's language,
// as the API tells them.
func TestCandidateExplanationsInPageLanguage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	_, session := c.newCourseAndSession(t)
	r := c.get(session)
	if r.Status != http.StatusOK {
		t.Fatalf("session page: %d", r.Status)
	}
	for _, en := range []string{"scores ", "meets ", "lacks ", "available", "JP booked", "no availability"} {
		if i := strings.Index(r.Body, `class="parts"`); i >= 0 && strings.Contains(r.Body[i:], en) {
			t.Errorf("the Indonesian session page explains candidates in English (%q)", en)
		}
	}
	if !strings.Contains(r.Body, `class="parts"`) {
		t.Fatal("no candidate explanations on the session page")
	}
	c.english(t)
	if r := c.get(session); !strings.Contains(r.Body, `class="parts"`) || strings.Contains(r.Body[strings.Index(r.Body, `class="parts"`):], "kompetensi") {
		t.Error("the English session page explains candidates in Indonesian")
	}
}

// Tax number problems are told in the page's language.
func TestTaxNumberProblemsInPageLanguage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	person := fmt.Sprintf("/console/people/%d", e.practitioner)
	form := func(status, number string) url.Values {
		r := c.get(person)
		return url.Values{"kind": {"practitioner"}, "name": {"Marthen Rumbiak"}, "email": {"marthen@example.id"},
			"organisation": {"BPBD Provinsi Papua"}, "unit": {"Logistik"}, "employment": {"non_asn"}, "zone": {"Asia/Jayapura"},
			"expertise": {"manajemen_bencana"}, "experience_years": {"12"}, "tax_id_status": {status}, "tax_id": {number},
			"version": {versionOf(t, r.Body)}}
	}
	for _, tc := range []struct{ status, number, want string }{
		{"npwp", "1234", "NPWP terdiri atas 16 digit"},
		{"nik", "7371019999990001", "digit 7–12 NIK harus tanggal lahir"},
		{"npwp", "7371019999990001", "NPWP 16 digit yang tidak diawali 0 adalah NIK: digit 7–12 NIK"},
	} {
		r := c.post(person, form(tc.status, tc.number))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, tc.want) {
			t.Errorf("%s %s: %d, want %q in the page", tc.status, tc.number, r.Status, tc.want)
		}
	}
}

// Weekday names follow the page's language.
func TestWeekdaysInPageLanguage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	course, session := c.newCourseAndSession(t)
	for _, p := range []string{course, session, "/console/week?from=2026-12-14"} {
		if r := c.get(p); !strings.Contains(r.Body, "Sel 15-12-2026") {
			t.Errorf("%s in Indonesian does not show Sel 15-12-2026", p)
		}
	}
	c.english(t)
	for _, p := range []string{course, session, "/console/week?from=2026-12-14"} {
		if r := c.get(p); !strings.Contains(r.Body, "Tue 15-12-2026") || strings.Contains(r.Body, "Sel 15-12-2026") {
			t.Errorf("%s in English does not show Tue 15-12-2026", p)
		}
	}
}

// An unknown page is told in the signed-in user's language, and in the
// browser's before sign-in.
func TestNotFoundInPageLanguage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	c.english(t)
	if r := c.get("/console/no-such-page"); r.Status != http.StatusNotFound || !strings.Contains(r.Body, "Cannot continue") ||
		strings.Contains(r.Body, "Tidak dapat melanjutkan") {
		t.Errorf("an unknown page in English mode: %d", r.Status)
	}
	guest := e.client()
	if r := guest.do("GET", "/console/no-such-page", nil, "Accept-Language", "en-GB,en;q=0.9"); r.Status != http.StatusNotFound ||
		!strings.Contains(r.Body, "Cannot continue") {
		t.Errorf("an unknown page for an English browser: %d", r.Status)
	}
	if r := guest.get("/console/no-such-page"); !strings.Contains(r.Body, "Tidak dapat melanjutkan") {
		t.Error("an unknown page is not Indonesian first")
	}
}

// The sign-in pages honour Accept-Language, offer a language switch and
// keep the choice through a failed sign-in.
func TestSignInPagesSpeakEnglish(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, p := range []string{"/console/login", "/console/trainer/login"} {
		r := c.get(p)
		if !strings.Contains(r.Body, `lang="id"`) || !strings.Contains(r.Body, `href="`+p+`?lang=en"`) {
			t.Errorf("%s has no switch to English", p)
		}
		if r := c.do("GET", p, nil, "Accept-Language", "en-US,en;q=0.8,id;q=0.5"); !strings.Contains(r.Body, `<html lang="en">`) {
			t.Errorf("%s ignores Accept-Language: en", p)
		}
		if r := c.get(p + "?lang=en"); !strings.Contains(r.Body, `<html lang="en">`) || !strings.Contains(r.Body, `href="`+p+`?lang=id"`) {
			t.Errorf("%s?lang=en is not in English with a switch back", p)
		}
	}
	if r := c.get("/console/login?lang=en&next=%2Fconsole%2Fweek"); !strings.Contains(r.Body, "Sign in to Sinergi") ||
		!strings.Contains(r.Body, "next=%2Fconsole%2Fweek") {
		t.Error("the switch loses the page to go to after sign-in")
	}
	r := c.post("/console/login", url.Values{"email": {e.staffA}, "password": {"salah"}, "lang": {"en"}})
	if !strings.Contains(r.Body, "Wrong e-mail or password.") {
		t.Error("a failed sign-in in English answers in Indonesian")
	}
}

// The language switch comes back to the page it was on, filters included,
// and never leaves the console.
func TestLanguageSwitchReturnsToPage(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	_, session := c.newCourseAndSession(t)
	for _, p := range []string{session, "/console/people?kind=practitioner&q=marthen"} {
		r := c.get(p)
		if !strings.Contains(r.Body, `name="next" value="`+strings.ReplaceAll(p, "&", "&amp;")+`"`) {
			t.Errorf("the switch on %s does not come back to it", p)
		}
	}
	for next, want := range map[string]string{
		"/console/people?q=marthen": "/console/people?q=marthen",
		"https://evil.example/":     "/console/",
		"//evil.example/console/":   "/console/",
		"/console/../admin":         "/console/",
		"/consolex":                 "/console/",
	} {
		if r := c.post("/console/lang", url.Values{"lang": {"id"}, "next": {next}}); r.Location != want {
			t.Errorf("switching with next=%s went to %q, want %q", next, r.Location, want)
		}
	}
}

// fieldErr is the problem shown next to an input, or "".
func fieldErr(body, input string) string {
	i := strings.Index(body, `id="f-`+input+`-err">`)
	if i < 0 {
		return ""
	}
	rest := body[i+len(`id="f-`+input+`-err">`):]
	return rest[:strings.Index(rest, "<")]
}

// topProblems is the list of problems on top of the page.
func topProblems(body string) string {
	i := strings.Index(body, `class="alert" role="alert"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	return rest[:strings.Index(rest, "</div>")]
}

// Every field problem is shown: next to the input the form uses for the
// API's field, or on top with the field's name when the form has none;
// the inputs keep what was typed.
func TestEveryFieldProblemShown(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	course, _ := c.newCourseAndSession(t)

	// 8: the certificate number template.
	r := c.post("/console/settings/certificates", url.Values{"template": {"{seq:04}/ABC"}, "signer_name": {"Dr. Andi"},
		"signer_title": {"Kepala"}, "signer_nip": {"197001011990031001"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErr(r.Body, "template"), "{year}") {
		t.Errorf("8: a template without {year}: %d, next to the input %q", r.Status, fieldErr(r.Body, "template"))
	}

	// 9: co-trainers per session out of range keeps its value.
	r = c.post(course+"/assignments", url.Values{"co_trainers_per_session": {"9"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErr(r.Body, "co_trainers_per_session"), "0 sampai 5") ||
		!strings.Contains(r.Body, `name="co_trainers_per_session" type="number" value="9"`) {
		t.Errorf("9: 9 co-trainers per session: %d, %q", r.Status, fieldErr(r.Body, "co_trainers_per_session"))
	}

	// 10: a minimum level out of range.
	session := url.Values{"topic": {"Sesi Tingkat"}, "zone": {"Asia/Makassar"}, "start": {"2026-12-16T08:00"},
		"end": {"2026-12-16T09:30"}, "mode": {"online"}, "competency": {"integritas"}, "min_level": {"9"}}
	r = c.post(course+"/sessions", session)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErr(r.Body, "min_level"), "1 sampai 5") ||
		!strings.Contains(r.Body, `name="min_level" type="number" value="9"`) {
		t.Errorf("10: level 9: %d, %q", r.Status, fieldErr(r.Body, "min_level"))
	}
	// 13: a duplicate e-mail at the e-mail field.
	r = c.post("/console/users", url.Values{"email": {e.staffA}, "name": {"Lagi"}})
	if r.Status != http.StatusConflict && r.Status != http.StatusUnprocessableEntity || fieldErr(r.Body, "email") != "sudah ada pengguna dengan e-mail itu" {
		t.Errorf("13: a duplicate user: %d, next to the e-mail %q", r.Status, fieldErr(r.Body, "email"))
	}

	// 14: an unknown region is the region's fault; the known ones are offered.
	r = c.post("/console/settings/rates", url.Values{"fiscal_year": {"2026"}, "funding": {"APBD"}, "region": {"jabar"},
		"class": {"widyaiswara_internal"}, "unit": {"per_jp"}, "amount": {"100000"}, "regulation": {"SK 1/2026"}})
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(fieldErr(r.Body, "region"), "Sulawesi Selatan") || fieldErr(r.Body, "class") != "" {
		t.Errorf("14: region jabar: %d, region %q, class %q", r.Status, fieldErr(r.Body, "region"), fieldErr(r.Body, "class"))
	}
	if !strings.Contains(r.Body, `<option value="Sulawesi Selatan">`) {
		t.Error("14: the regions with a ceiling are not offered")
	}
}

// A field problem the form has no input for is listed on top with the
// field's name.
func TestUnmatchedProblemOnTop(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	r := c.post("/console/courses", url.Values{"name": {"Pelatihan Jenjang"}, "organising_unit": {"Bidang"}, "funding": {"APBD"},
		"region": {"Sulsel"}, "start_date": {"2026-12-01"}, "end_date": {"2026-12-02"}, "co_trainers": {"siapa_saja"}})
	if top := topProblems(r.Body); r.Status != http.StatusUnprocessableEntity || fieldErr(r.Body, "co_trainers") == "" && !strings.Contains(top, "Co-trainer dari:") {
		t.Errorf("a bad co-trainer rule: %d, nothing shown (%q)", r.Status, top)
	}
}

// 11: a date that cannot be read does not hide the other problems.
func TestAllCourseProblemsAtOnce(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	r := c.post("/console/courses", url.Values{"name": {""}, "organising_unit": {"Bidang"}, "funding": {"XYZ"}, "region": {""},
		"start_date": {"31-12-2026"}, "end_date": {"2027-01-02"}})
	for _, f := range []string{"name", "funding", "region", "start_date"} {
		if fieldErr(r.Body, f) == "" {
			t.Errorf("no problem shown for %s", f)
		}
	}
	if !strings.Contains(r.Body, `value="31-12-2026"`) {
		t.Error("the unreadable date is not shown again")
	}
}

// 12: a revocation reason of only spaces asks for the reason again, on a
// page that can go on.
func TestRevokeReasonOfSpaces(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	c := e.client()
	c.login(e.staffA, password)
	r := c.post(fmt.Sprintf("/console/certificates/%d/revoke", f.certificate), url.Values{"reason": {"   "}})
	if r.Status != http.StatusUnprocessableEntity || fieldErr(r.Body, "reason") != "wajib diisi" ||
		!strings.Contains(r.Body, fmt.Sprintf(`action="/console/certificates/%d/revoke"`, f.certificate)) {
		t.Fatalf("a reason of spaces: %d, %q", r.Status, fieldErr(r.Body, "reason"))
	}
	r = c.post(fmt.Sprintf("/console/certificates/%d/revoke", f.certificate), url.Values{"reason": {"salah nama"}, "confirm": {"yes"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("revoking from that page: %d", r.Status)
	}
}

// 13: a duplicate institution code at the code field.
func TestDuplicateInstitutionAtCode(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.app.Accounts.CreateUser(context.Background(), tenant.User{Email: "admin@sinergi.example.id", Role: tenant.Admin}, password)
	must(t, err)
	admin := e.client()
	admin.login("admin@sinergi.example.id", password)
	r := admin.post("/console/admin/institutions", url.Values{"code": {"BPSDM-A"}, "name": {"Lagi"}, "kind": {"lainnya"}, "zone": {"Asia/Jakarta"}})
	if fieldErr(r.Body, "code") != "instansi dengan kode itu sudah ada" {
		t.Errorf("a duplicate code: %d, next to the code %q", r.Status, fieldErr(r.Body, "code"))
	}
}

// 17, 18: people read field names, statuses and roles in words, and the
// console's own way of doing things instead of the API's.
func TestMessagesInPeoplesWords(t *testing.T) {
	e := newEnv(t)
	f := newBoardWithEverything(t, e)
	c := e.client()
	c.login(e.staffA, password)
	course, session := c.newCourseAndSession(t)
	check := func(what string, r answer, want ...string) {
		t.Helper()
		for _, w := range want {
			if !strings.Contains(r.Body, w) {
				t.Errorf("%s: %d, no %q in the page", what, r.Status, w)
			}
		}
		for _, raw := range []string{"sebelum start_date", "harus sesudah start<", "memerlukan competency", "berstatus approved", "berstatus paid",
			"berstatus proposed", "RFC 3339", "GET /v1", "co_trainers ke", "force: true"} {
			if strings.Contains(r.Body, raw) {
				t.Errorf("%s: the page reads %q", what, raw)
			}
		}
	}
	check("course dates", c.post("/console/courses", url.Values{"name": {"Pelatihan Tanggal"}, "organising_unit": {"Bidang"},
		"funding": {"APBD"}, "region": {"Sulsel"}, "start_date": {"2026-12-05"}, "end_date": {"2026-12-01"}}), "tidak boleh sebelum tanggal mulai")
	check("session times", c.post(course+"/sessions", url.Values{"topic": {"Sesi Terbalik"}, "zone": {"Asia/Makassar"},
		"start": {"2026-12-16T09:30"}, "end": {"2026-12-16T08:00"}, "mode": {"online"}}), "harus sesudah waktu mulai")
	check("empty start", c.post(course+"/sessions", url.Values{"topic": {"Sesi Kosong"}, "zone": {"Asia/Makassar"},
		"start": {""}, "end": {"2026-12-16T08:00"}, "mode": {"online"}}), `id="f-start-err">wajib diisi<`)
	check("roster filter", c.get("/console/people?min_level=3"), "memerlukan kompetensi yang dipilih")
	check("honorarium step", c.post(fmt.Sprintf("/console/honoraria/%d/approve", f.honorarium), url.Values{}), "berstatus dibayar")
	check("users", c.get("/console/users"), "· staf</span>")

	var booking int64
	must(t, e.db.Raw("SELECT id FROM bookings WHERE status = 'proposed' AND institution_id = ? LIMIT 1", e.instA).Scan(&booking).Error)
	if booking == 0 {
		r := c.post(session+"/bookings", url.Values{"person_id": {fmt.Sprint(e.practitioner)}, "role": {"co_trainer"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("book: %d", r.Status)
		}
		must(t, e.db.Raw("SELECT id FROM bookings WHERE status = 'proposed' AND institution_id = ? LIMIT 1", e.instA).Scan(&booking).Error)
	}
	check("board", c.post(fmt.Sprintf("/console/bookings/%d/status", booking), url.Values{"to": {"completed"}}),
		"pemesanan berstatus diusulkan tidak dapat menjadi selesai")

	wi := e.widyaiswara(t, "Wati Widyaiswara", "197805122003122002", "wati@a.go.id", "", 0)
	check("widyaiswara as co-trainer", c.post(session+"/bookings", url.Values{"person_id": {fmt.Sprint(wi)}, "role": {"co_trainer"}}),
		"aturan co-trainer dipilih saat pelatihan dibuat")

	csv := strings.Replace(rosterCSV, "komunikasi:3", "kepemimpinan_x:3", 1)
	check("import", c.postFile("/console/people/import", "file", "roster.csv", []byte(csv), nil), "pilihan kompetensi pada daftar pengajar")
}

// 29: a picture uploaded as a roster is said to be neither XLSX nor CSV.
func TestImportOfNoSpreadsheet(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	r := c.postFile("/console/people/import", "file", "foto.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), nil)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "bukan XLSX maupun CSV") || strings.Contains(r.Body, "harus UTF-8") {
		t.Errorf("a PNG upload: %d %s", r.Status, topProblems(r.Body)+fieldErr(r.Body, "file"))
	}
}
