package console_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"sinergi/audit"
	"sinergi/profile"
	"sinergi/scheduling"
)

// competencyID is the id of a national competency by code.
func (e *env) competencyID(t *testing.T, code string) int64 {
	var id int64
	must(t, e.db.Raw("SELECT id FROM competencies WHERE code = ? AND institution_id IS NULL", code).Scan(&id).Error)
	if id == 0 {
		t.Fatalf("no competency %s", code)
	}
	return id
}

// widyaiswara puts a widyaiswara on A's roster with a competency.
func (e *env) widyaiswara(t *testing.T, name, nip, email string, comp string, level int) int64 {
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	p, err := e.app.People.Create(ctx, e.instA, profile.Person{Kind: profile.Widyaiswara, Name: name, Email: email, NIP: nip,
		Jenjang: profile.AhliMadya, Golongan: "IV/a", Organisation: "BPSDM Provinsi A", Employment: profile.PNS,
		TaxIDStatus: profile.TaxNone, Zone: "Asia/Makassar"})
	must(t, err)
	if comp != "" {
		_, err = e.app.People.ReplaceCompetencies(ctx, e.instA, p.ID, []profile.PersonCompetency{{CompetencyID: e.competencyID(t, comp), Level: level}})
		must(t, err)
	}
	return p.ID
}

// personLinks counts the links to people on a page.
func personLinks(body string) int {
	return len(regexp.MustCompile(`<a href="/console/people/\d+"`).FindAllString(body, -1))
}

func versionOf(t *testing.T, body string) string {
	m := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no version on the page:\n%s", body)
	}
	return m[1]
}

func (e *env) auditCount(t *testing.T, action string, person int64) int64 {
	var n int64
	must(t, e.db.Raw("SELECT count(*) FROM audit_log WHERE action = ? AND entity = 'person' AND entity_id = ?", action, person).Scan(&n).Error)
	return n
}

// The roster filters by competency and minimum level, finds people by
// NIP, separates archived people, and pages forward and back; a bad
// filter is refused by the API's rule, next to its field.
func TestRosterFiltersAndPages(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	e.widyaiswara(t, "Andi Integritas Tinggi", "197805122003121002", "andi@a.go.id", "integritas", 4)
	e.widyaiswara(t, "Budi Integritas Rendah", "198001012005011003", "budi@a.go.id", "integritas", 2)

	r := c.get("/console/people?competency=integritas&min_level=3")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Andi Integritas Tinggi") || strings.Contains(r.Body, "Budi Integritas Rendah") {
		t.Fatalf("integritas at 3 or above answered %d:\n%s", r.Status, r.Body)
	}
	if r := c.get("/console/people?q=198001"); !strings.Contains(r.Body, "Budi Integritas Rendah") || strings.Contains(r.Body, "Andi Integritas") {
		t.Fatalf("a search by the start of a NIP reads:\n%s", r.Body)
	}
	if r := c.get("/console/people?kind=practitioner"); !strings.Contains(r.Body, "Marthen Rumbiak") || strings.Contains(r.Body, "Andi Integritas") {
		t.Fatal("the kind filter lets widyaiswara through")
	}
	r = c.get("/console/people?min_level=3")
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-min_level-err"`) {
		t.Fatalf("a level without a competency answered %d", r.Status)
	}
	// htmx asks for the results alone; a problem comes with them.
	r = c.do("GET", "/console/people?min_level=3", nil, "HX-Request", "true", "HX-Target", "results")
	if r.Status != http.StatusOK || strings.Contains(r.Body, "<html") || !strings.Contains(r.Body, `id="results"`) || !strings.Contains(r.Body, "Tingkat minimum") {
		t.Fatalf("the htmx results answered %d:\n%s", r.Status, r.Body)
	}

	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	must(t, e.app.People.Archive(ctx, e.instA, e.practitioner))
	if r := c.get("/console/people"); strings.Contains(r.Body, "Marthen Rumbiak") {
		t.Fatal("an archived person is on the active roster")
	}
	if r := c.get("/console/people?archived=archived"); !strings.Contains(r.Body, "Marthen Rumbiak") || strings.Contains(r.Body, "Andi Integritas") {
		t.Fatal("the archived filter does not list the archived alone")
	}

	for i := range 27 {
		e.widyaiswara(t, fmt.Sprintf("Widyaiswara %02d", i), fmt.Sprintf("1980010120050110%02d", i+10), fmt.Sprintf("w%02d@a.go.id", i), "", 0)
	}
	// 29 active people: 25 on the first page, 4 on the second.
	r = c.get("/console/people")
	next := regexp.MustCompile(`<a href="([^"]+)" rel="next"`).FindStringSubmatch(r.Body)
	if next == nil || strings.Contains(r.Body, `rel="prev"`) || personLinks(r.Body) != 25 {
		t.Fatalf("the first page has %d people", personLinks(r.Body))
	}
	r = c.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	prev := regexp.MustCompile(`<a href="([^"]+)" rel="prev"`).FindStringSubmatch(r.Body)
	if prev == nil || strings.Contains(r.Body, `rel="next"`) || personLinks(r.Body) != 4 || !strings.Contains(r.Body, "halaman 2") {
		t.Fatalf("the second page reads:\n%s", r.Body)
	}
	if r := c.get(strings.ReplaceAll(prev[1], "&amp;", "&")); personLinks(r.Body) != 25 || !strings.Contains(r.Body, "Andi Integritas Tinggi") {
		t.Fatal("the previous link does not lead back to the first page")
	}
	if r := c.get("/console/people?limit=50"); personLinks(r.Body) != 29 || strings.Contains(r.Body, `rel="next"`) {
		t.Fatal("a page of 50 does not hold all 29")
	}
}

// A practitioner's whole profile is edited with the domain's field
// errors in place; the tax number is sealed, shown masked and kept when
// left empty; a stale form is answered with the stored values and what
// was not saved.
func TestEditPractitionerProfile(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	path := fmt.Sprintf("/console/people/%d", e.practitioner)
	r := c.get(path)
	for _, want := range []string{`id="f-expertise"`, `id="f-experience_years"`, `id="f-tax_id_status"`, `id="f-organisation"`, `id="f-employment"`} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the practitioner's page has no %s", want)
		}
	}
	form := url.Values{"version": {versionOf(t, r.Body)}, "name": {"Marthen Rumbiak"}, "email": {"marthen@example.id"},
		"phone": {"0812-3456-7890"}, "organisation": {"BPBD Provinsi Papua"}, "unit": {"Logistik"}, "employment": {"non_asn"},
		"nip": {""}, "golongan": {""}, "expertise": {"manajemen bencana, logistik"}, "experience_years": {"12"},
		"tax_id_status": {"npwp"}, "tax_id": {"12.345.678.9-012.34"}, "zone": {"Asia/Jayapura"}, "has_share": {"1"}}
	r = c.post(path, form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-tax_id-err"`) || !strings.Contains(r.Body, "NPWP") {
		t.Fatalf("a 14-digit NPWP answered %d:\n%s", r.Status, r.Body)
	}
	form.Set("experience_years", "dua belas")
	form.Set("tax_id", "0123.4567.8901.2345")
	if r := c.post(path, form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-experience_years-err"`) {
		t.Fatalf("years in words answered %d", r.Status)
	}
	form.Set("experience_years", "13")
	if r := c.post(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("saving answered %d:\n%s", r.Status, r.Body)
	}
	var sealed string
	must(t, e.db.Raw("SELECT coalesce(tax_id, '') FROM people WHERE id = ?", e.practitioner).Scan(&sealed).Error)
	if strings.Contains(sealed, "1234567890") {
		t.Fatalf("the tax number is stored in the clear: %q", sealed)
	}
	r = c.get(path)
	if !strings.Contains(r.Body, "0123********2345") || strings.Contains(r.Body, "0123456789012345") || !strings.Contains(r.Body, "manajemen bencana, logistik") {
		t.Fatalf("the page after saving reads:\n%s", r.Body)
	}
	// Left empty, the number is kept.
	form.Set("version", versionOf(t, r.Body))
	form.Set("tax_id", "")
	form.Set("unit", "Seksi Logistik")
	if r := c.post(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("saving without the number answered %d", r.Status)
	}
	p, err := e.app.People.Person(context.Background(), e.instA, e.practitioner, false)
	must(t, err)
	if p.TaxID != "0123456789012345" || p.Unit != "Seksi Logistik" || p.ExperienceYears != 13 || p.Phone != "+6281234567890" {
		t.Fatalf("stored: %+v", p)
	}
	// Another member of staff saved first: this form is stale.
	form.Set("unit", "Unit dari form lama")
	r = c.post(path, form)
	if r.Status != http.StatusConflict || !strings.Contains(r.Body, `id="unsaved"`) || !strings.Contains(r.Body, "Unit dari form lama") ||
		!strings.Contains(r.Body, `value="Seksi Logistik"`) || !strings.Contains(r.Body, "diubah orang lain") {
		t.Fatalf("a stale form answered %d:\n%s", r.Status, r.Body)
	}
	if n := e.auditCount(t, "update", e.practitioner); n != 2 {
		t.Fatalf("%d audited updates, want 2", n)
	}
}

// Competencies are added, changed (1–5) and removed after a confirmation
// step, through ReplaceCompetencies; a level out of range is shown next
// to its field; each change is audited.
func TestPersonCompetencies(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	path := fmt.Sprintf("/console/people/%d", e.practitioner)
	integritas := e.competencyID(t, "integritas")
	v := versionOf(t, c.get(path).Body)
	if r := c.post(path+"/competencies", url.Values{"version": {v}, "competency_id": {fmt.Sprint(integritas)}, "level": {"7"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="add-level-err"`) {
		t.Fatalf("level 7 answered %d:\n%s", r.Status, r.Body)
	}
	if r := c.post(path+"/competencies", url.Values{"version": {v}, "competency_id": {fmt.Sprint(integritas)}, "level": {"3"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("adding answered %d:\n%s", r.Status, r.Body)
	}
	r := c.get(path)
	if !strings.Contains(r.Body, `id="level-`+fmt.Sprint(integritas)+`"`) {
		t.Fatal("the added competency has no level form")
	}
	if r := c.post(fmt.Sprintf("%s/competencies/%d", path, integritas), url.Values{"version": {v}, "level": {"4"}}); r.Status != http.StatusConflict {
		t.Fatalf("a change from a stale page answered %d", r.Status)
	}
	v = versionOf(t, r.Body)
	if r := c.post(fmt.Sprintf("%s/competencies/%d", path, integritas), url.Values{"version": {v}, "level": {"0"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, fmt.Sprintf(`id="level-%d-err"`, integritas)) {
		t.Fatalf("level 0 answered %d", r.Status)
	}
	if r := c.post(fmt.Sprintf("%s/competencies/%d", path, integritas), url.Values{"version": {v}, "level": {"5"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("changing answered %d", r.Status)
	}
	p, err := e.app.People.Person(context.Background(), e.instA, e.practitioner, false)
	must(t, err)
	if len(p.Competencies) != 1 || p.Competencies[0].Level != 5 {
		t.Fatalf("stored competencies: %+v", p.Competencies)
	}
	remove := fmt.Sprintf("%s/competencies/%d/remove", path, integritas)
	r = c.get(remove)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `name="confirm" value="yes"`) {
		t.Fatalf("the removal's confirmation page answered %d", r.Status)
	}
	v = versionOf(t, r.Body)
	if r := c.post(remove, url.Values{"version": {v}}); r.Status != http.StatusOK {
		t.Fatalf("removing without confirming answered %d", r.Status)
	}
	if r := c.post(remove, url.Values{"version": {v}, "confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("removing answered %d:\n%s", r.Status, r.Body)
	}
	p, err = e.app.People.Person(context.Background(), e.instA, e.practitioner, false)
	must(t, err)
	if len(p.Competencies) != 0 {
		t.Fatalf("still holds %+v", p.Competencies)
	}
	if n := e.auditCount(t, "replace_competencies", e.practitioner); n != 3 {
		t.Fatalf("%d audited competency changes, want 3", n)
	}
}

// Archiving and unarchiving ask first (a page that works without
// JavaScript) and are audited.
func TestArchiveAndUnarchiveConfirmed(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	path := fmt.Sprintf("/console/people/%d", e.practitioner)
	if r := c.get(path + "/archive"); r.Status != http.StatusOK || !strings.Contains(r.Body, "Arsipkan Marthen Rumbiak?") {
		t.Fatalf("the archive confirmation answered %d", r.Status)
	}
	if r := c.post(path+"/archive", url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("archiving answered %d", r.Status)
	}
	r := c.get(path)
	if !strings.Contains(r.Body, path+"/unarchive") || strings.Contains(r.Body, `id="add-competency"`) {
		t.Fatal("an archived person's page offers no restore, or still offers adding competencies")
	}
	if r := c.post(path+"/unarchive", url.Values{}); r.Status != http.StatusOK || !strings.Contains(r.Body, "Kembalikan Marthen Rumbiak") {
		t.Fatalf("unarchiving without confirming answered %d", r.Status)
	}
	if r := c.post(path+"/unarchive", url.Values{"confirm": {"yes"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("unarchiving answered %d", r.Status)
	}
	var archived bool
	must(t, e.db.Raw("SELECT archived_at IS NOT NULL FROM people WHERE id = ?", e.practitioner).Scan(&archived).Error)
	if archived || e.auditCount(t, "archive", e.practitioner) != 1 || e.auditCount(t, "unarchive", e.practitioner) != 1 {
		t.Fatal("archive and unarchive are not both done and audited")
	}
}

// postFile posts a multipart form with a file field.
func (c *client) postFile(path, field, name string, body []byte, fields map[string]string) answer {
	c.e.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if field != "" {
		fw, err := mw.CreateFormFile(field, name)
		must(c.e.t, err)
		_, _ = fw.Write(body)
	}
	for k, v := range fields {
		must(c.e.t, mw.WriteField(k, v))
	}
	must(c.e.t, mw.Close())
	req, err := http.NewRequest("POST", c.e.srv.URL+path, &buf)
	must(c.e.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.http.Do(req)
	must(c.e.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(b)}
}

const rosterCSV = "nama,jenis,nip,jenjang,golongan,email,telepon,organisasi,unit,kepegawaian,zona_waktu,kompetensi\n" +
	"Dr. Rina Kusumawati,widyaiswara,197805122003122002,ahli_madya,IV/a,rina@a.go.id,081234567890,BPSDM A,Bidang PKM,pns,WITA,integritas:4\n" +
	"Hendra Saputra,praktisi,,,,hendra@bpbd.example.id,,BPBD Kabupaten,Seksi Kedaruratan,non_asn,WITA,komunikasi:3\n"

// A roster file is checked first (the API's dry run) with the problems
// by row, then imported on confirmation.
func TestRosterImport(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	if r := c.get("/console/people/import/template/csv"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "nama,jenis,nip") {
		t.Fatalf("the CSV template answered %d: %.60q", r.Status, r.Body)
	}
	if r := c.get("/console/people/import/template/xlsx"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "PK") {
		t.Fatalf("the XLSX template answered %d", r.Status)
	}
	bad := strings.Replace(rosterCSV, "IV/a", "III/a", 1)
	r := c.postFile("/console/people/import", "file", "roster.csv", []byte(bad), nil)
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="problems"`) || !strings.Contains(r.Body, "golongan") || strings.Contains(r.Body, `id="apply"`) {
		t.Fatalf("a file with a bad row answered %d:\n%s", r.Status, r.Body)
	}
	r = c.postFile("/console/people/import", "file", "roster.csv", []byte(rosterCSV), nil)
	m := regexp.MustCompile(`name="file" value="([^"]+)"`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil || !strings.Contains(r.Body, "baru: 2") {
		t.Fatalf("the preview answered %d:\n%s", r.Status, r.Body)
	}
	var n int64
	must(t, e.db.Raw("SELECT count(*) FROM people WHERE email IN ('rina@a.go.id', 'hendra@bpbd.example.id')").Scan(&n).Error)
	if n != 0 {
		t.Fatal("the dry run saved people")
	}
	r = c.postFile("/console/people/import/apply", "", "", nil, map[string]string{"file": m[1]})
	if r.Status != http.StatusOK || !strings.Contains(r.Body, "Impor selesai") {
		t.Fatalf("importing answered %d:\n%s", r.Status, r.Body)
	}
	must(t, e.db.Raw("SELECT count(*) FROM people WHERE institution_id = ? AND email IN ('rina@a.go.id', 'hendra@bpbd.example.id')", e.instA).Scan(&n).Error)
	if n != 2 {
		t.Fatalf("%d people imported, want 2", n)
	}
	must(t, e.db.Raw("SELECT count(*) FROM audit_log WHERE entity = 'person' AND action = 'create' AND actor_user_id IS NOT NULL AND institution_id = ?", e.instA).Scan(&n).Error)
	if n != 2 {
		t.Fatalf("%d imported people audited with the console user, want 2", n)
	}
	if r := c.postFile("/console/people/import", "file", "empty.csv", nil, nil); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-file-err"`) {
		t.Fatalf("an empty file answered %d", r.Status)
	}
	if r := c.postFile("/console/people/import", "file", "big.csv", bytes.Repeat([]byte("x"), 7<<20), nil); r.Status != http.StatusRequestEntityTooLarge {
		t.Fatalf("a 7 MiB file answered %d", r.Status)
	}
}

func (e *env) person(t *testing.T, id int64) profile.Person {
	t.Helper()
	p, err := e.app.People.Person(context.Background(), e.instA, id, false)
	must(t, err)
	return p
}

func itoa(n int64) string { return fmt.Sprint(n) }

// A course's participants are imported the same way (the API's importer
// for participants); another institution's course is a missing page.
func TestParticipantImport(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	course, err := e.app.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Pengadaan", OrganisingUnit: "Bidang PKM",
		Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2026, 12, 1), EndDate: day(2026, 12, 3)})
	must(t, err)
	c := e.client()
	c.login(e.staffA, password)
	path := fmt.Sprintf("/console/courses/%d/participants/import", course.ID)
	if r := c.get(fmt.Sprintf("/console/courses/%d", course.ID)); !strings.Contains(r.Body, `href="`+path+`"`) {
		t.Fatal("the course page does not link the participant import")
	}
	if r := c.get("/console/participants/import/template/csv"); r.Status != http.StatusOK || !strings.HasPrefix(r.Body, "nama,nip,unit,email") {
		t.Fatalf("the participant template answered %d: %.40q", r.Status, r.Body)
	}
	file := "nama,nip,unit,email,nama_atasan,email_atasan\nSiti Aminah,,Bagian Umum,siti@pemda.example.id,Budi Hartono,budi@pemda.example.id\n"
	r := c.postFile(path, "file", "peserta.csv", []byte(file), nil)
	m := regexp.MustCompile(`name="file" value="([^"]+)"`).FindStringSubmatch(r.Body)
	if r.Status != http.StatusOK || m == nil || !strings.Contains(r.Body, "baru: 1") {
		t.Fatalf("the participants' dry run answered %d:\n%s", r.Status, r.Body)
	}
	if r := c.postFile(path+"/apply", "", "", nil, map[string]string{"file": m[1]}); r.Status != http.StatusOK || !strings.Contains(r.Body, "Impor selesai") {
		t.Fatalf("importing participants answered %d:\n%s", r.Status, r.Body)
	}
	var n int64
	must(t, e.db.Raw("SELECT count(*) FROM participants WHERE course_id = ? AND email = 'siti@pemda.example.id'", course.ID).Scan(&n).Error)
	if n != 1 {
		t.Fatalf("%d participants imported, want 1", n)
	}
	cb := e.client()
	cb.login(e.staffB, password)
	if r := cb.get(path); r.Status != http.StatusNotFound {
		t.Errorf("B opening A's participant import: %d", r.Status)
	}
	if r := cb.postFile(path, "file", "peserta.csv", []byte(file), nil); r.Status != http.StatusNotFound {
		t.Errorf("B's dry run on A's course: %d", r.Status)
	}
	if r := cb.postFile(path+"/apply", "", "", nil, map[string]string{"file": m[1]}); r.Status != http.StatusNotFound {
		t.Errorf("B importing into A's course: %d", r.Status)
	}
}

// A widyaiswara's page edits NIP, jenjang and golongan; a golongan that
// does not fit the jenjang is refused by the domain, next to its field.
func TestEditWidyaiswara(t *testing.T) {
	e := newEnv(t)
	id := e.widyaiswara(t, "Dr. Rina Kusumawati", "197805122003122002", "rina@a.go.id", "", 0)
	c := e.client()
	c.login(e.staffA, password)
	path := fmt.Sprintf("/console/people/%d", id)
	r := c.get(path)
	for _, want := range []string{`id="f-nip"`, `id="f-jenjang"`, `id="f-golongan"`, "Instansi asal"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the widyaiswara's page has no %s", want)
		}
	}
	form := url.Values{"version": {versionOf(t, r.Body)}, "name": {"Dr. Rina Kusumawati, M.Si."}, "email": {"rina@a.go.id"},
		"nip": {"197805122003122002"}, "jenjang": {"ahli_utama"}, "golongan": {"IV/a"}, "employment": {"pns"},
		"organisation": {"BPSDM Provinsi A"}, "unit": {""}, "tax_id_status": {"none"}, "zone": {"Asia/Makassar"}}
	r = c.post(path, form)
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-golongan-err"`) || !strings.Contains(r.Body, "IV/d") {
		t.Fatalf("IV/a for ahli utama answered %d:\n%s", r.Status, r.Body)
	}
	form.Set("golongan", "IV/d")
	if r := c.post(path, form); r.Status != http.StatusSeeOther {
		t.Fatalf("saving answered %d", r.Status)
	}
	if p := e.person(t, id); p.Jenjang != profile.AhliUtama || p.Golongan != "IV/d" || p.Name != "Dr. Rina Kusumawati, M.Si." {
		t.Fatalf("stored %+v", p)
	}
}

// A person's history reads the audit trail newest first, with who acted,
// a page at a time; another institution's person is 404.
func TestPersonHistory(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.login(e.staffA, password)
	path := fmt.Sprintf("/console/people/%d", e.practitioner)
	if r := c.get(path); !strings.Contains(r.Body, `href="`+path+`/history"`) {
		t.Fatal("the person page does not link the history")
	}
	c.post(path+"/archive", url.Values{"confirm": {"yes"}})
	c.post(path+"/unarchive", url.Values{"confirm": {"yes"}})
	r := c.get(path + "/history")
	restored, archived, created := strings.Index(r.Body, "Dikembalikan ke daftar"), strings.Index(r.Body, "Diarsipkan"), strings.Index(r.Body, "Ditambahkan ke daftar")
	if r.Status != http.StatusOK || restored < 0 || archived < restored || created < archived || !strings.Contains(r.Body, e.staffA) ||
		!strings.Contains(r.Body, "WITA") || strings.Contains(r.Body, `rel="next"`) {
		t.Fatalf("the history answered %d:\n%s", r.Status, r.Body)
	}
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	for i := range 25 {
		_, err := e.app.People.ReplaceCompetencies(ctx, e.instA, e.practitioner, []profile.PersonCompetency{{CompetencyID: e.competencyID(t, "integritas"), Level: i%5 + 1}})
		must(t, err)
	}
	r = c.get(path + "/history")
	older := regexp.MustCompile(`<a href="([^"]+)" rel="next"`).FindStringSubmatch(r.Body)
	if older == nil || strings.Count(r.Body, "Kompetensi diubah") != 25 {
		t.Fatalf("the first history page has %d competency changes", strings.Count(r.Body, "Kompetensi diubah"))
	}
	r = c.get(strings.ReplaceAll(older[1], "&amp;", "&"))
	if !strings.Contains(r.Body, "Ditambahkan ke daftar") || strings.Count(r.Body, "<li><strong>") != 3 || strings.Contains(r.Body, `rel="next"`) {
		t.Fatalf("the second history page reads:\n%s", r.Body)
	}
	cb := e.client()
	cb.login(e.staffB, password)
	if r := cb.get(path + "/history"); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Marthen") {
		t.Fatalf("B reading A's person's history: %d", r.Status)
	}
}
