package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// requireTool returns the path of an external program the test needs; it
// skips without it, except under CI=true, where it fails.
func requireTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI (.ci/run installs it)", name)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

// completedCourse makes a course in A whose sessions w (lead) and p
// (co-trainer) completed, and returns the course, w and p.
func completedCourse(e *env) (int64, int64, int64) {
	e.t.Helper()
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar", "venue", "Aula BPSDM Sulsel")
	s2 := e.mustSession(c, "2026-12-08T09:00", "2026-12-08T12:00", "Asia/Makassar", "venue", "Aula BPSDM Sulsel")
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@a.go.id", "198503102010012003"))
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	for _, b := range [][3]any{{s1, w, "lead"}, {s1, p, "co_trainer"}, {s2, p, "co_trainer"}} {
		id := e.book(b[0].(int64), b[1].(int64), b[2].(string)).id()
		for _, to := range []string{"invited", "accepted", "confirmed"} {
			e.expect(e.transition(e.staffA, id, to), http.StatusOK, "")
		}
	}
	e.testTime = time.Date(2026, 12, 9, 3, 0, 0, 0, time.UTC)
	must(e.t, e.db.Exec(`UPDATE bookings SET status = 'completed', actual_jp = NULL`).Error)
	return c, w, p
}

// certSigner names the signer of A's certificates.
func (e *env) certSigner() {
	e.t.Helper()
	e.expect(e.do("PUT", "/v1/certificate-settings", e.staffA, map[string]any{"number_template": "{seq:04}/{code}/CT/{year}",
		"signer_name": "Dr. Andi Makkasau", "signer_title": "Kepala BPSDM Provinsi A", "signer_nip": "197001012000031005"}), http.StatusOK, "")
}

func TestCertificates(t *testing.T) {
	e := newEnv(t)
	c, w, p := completedCourse(e)
	other := e.createPerson(e.staffA, practitionerJSON("none@example.id"))
	e.expect(e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": other}), http.StatusConflict, "nothing_completed")
	e.expect(e.do("PUT", "/v1/certificate-settings", e.staffA, map[string]any{"number_template": "{seq:04}/CT", "signer_name": "Dr. Andi",
		"signer_title": "Kepala BPSDM"}), http.StatusUnprocessableEntity, "validation_failed")
	e.expect(e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p}), http.StatusUnprocessableEntity, "signer_not_set")
	r0 := e.do("PUT", "/v1/certificate-settings", e.staffA, map[string]any{"number_template": "{seq:04}/{code}/CT/{year}",
		"signer_name": "Dr. Andi Makkasau", "signer_title": "Kepala BPSDM Provinsi A"})
	e.expect(r0, http.StatusUnprocessableEntity, "validation_failed")
	if r0.field("signer_nip") == "" {
		t.Fatal(string(r0.Raw))
	}
	e.certSigner()

	r := e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p})
	e.expect(r, http.StatusCreated, "")
	cert := r.Body
	if cert["number"] != "0001/BPSDM-A/CT/2026" || cert["jp"] != float64(8) || cert["role"] != "co_trainer" ||
		cert["start_date"] != "2026-12-07" || cert["end_date"] != "2026-12-08" || cert["holder_name"] != "Marthen Rumbiak" {
		t.Fatalf("certificate %s", r.Raw)
	}
	id := r.id()
	code := cert["verification_code"].(string)
	e.expect(e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p}), http.StatusConflict, "already_issued")
	r = e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "all": true})
	e.expect(r, http.StatusCreated, "")
	if items := r.items(); len(items) != 1 || int64(items[0]["person_id"].(float64)) != w || items[0]["role"] != "lead" ||
		items[0]["number"] != "0002/BPSDM-A/PJ/2026" || items[0]["holder_nip"] != "198503102010012003" ||
		items[0]["signer_nip"] != "197001012000031005" {
		t.Fatalf("bulk %s", r.Raw)
	}
	t.Run("an ASN holder's NIP is in the credential and masked on the public page", func(t *testing.T) {
		lead := r.items()[0]
		page := string(e.do("GET", "/verify/"+lead["verification_code"].(string), "", nil).Raw)
		if !strings.Contains(page, "NIP 1985**********2003") || strings.Contains(page, "198503102010012003") {
			t.Fatalf("page shows %s", page)
		}
		j := e.do("GET", "/verify/"+lead["verification_code"].(string), "", nil, "Accept", "application/json")
		if j.Body["certificate"].(map[string]any)["holder_nip"] != "1985**********2003" || j.Body["signature_valid"] != true {
			t.Fatalf("%s", j.Raw)
		}
		cred := e.do("GET", fmt.Sprintf("/v1/certificates/%d/credential.json", int64(lead["id"].(float64))), e.staffA, nil)
		subject := cred.Body["credentialSubject"].(map[string]any)
		ids := fmt.Sprint(subject["identifier"])
		if subject["creditsEarned"] != float64(4) || !strings.Contains(ids, "ext:NIP") || !strings.Contains(ids, "198503102010012003") {
			t.Fatalf("credential subject %v", subject)
		}
		achievement := subject["achievement"].(map[string]any)
		url := achievement["id"].(string)
		a := e.do("GET", strings.TrimPrefix(url, "https://sinergi.example.id"), "", nil)
		e.expect(a, http.StatusOK, "")
		if a.Body["id"] != url || a.Body["name"] != achievement["name"] {
			t.Fatalf("achievement %s serves %s", url, a.Raw)
		}
		e.expect(e.do("GET", "/achievements/course-999999-lead", "", nil), http.StatusNotFound, "not_found")
	})

	t.Run("the verification page says valid, with a checked signature", func(t *testing.T) {
		r := e.do("GET", "/verify/"+code, "", nil, "Accept", "application/json")
		e.expect(r, http.StatusOK, "")
		if r.Body["status"] != "valid" || r.Body["signature_valid"] != true {
			t.Fatalf("%s", r.Raw)
		}
		page := e.do("GET", "/verify/"+strings.ToLower(code), "", nil)
		if page.Status != 200 || !strings.Contains(string(page.Raw), "SAH") || !strings.Contains(string(page.Raw), "Marthen Rumbiak") {
			t.Fatalf("page %d", page.Status)
		}
		e.expect(e.do("GET", "/verify/AAAAAA-AAAAAA-AAAAAA-AAAAAA", "", nil, "Accept", "application/json"), http.StatusNotFound, "not_found")
		if r := e.do("GET", "/verify/0001-BPSDM-A", "", nil); r.Status != 404 || !strings.Contains(string(r.Raw), "tidak ditemukan") {
			t.Fatalf("unknown code: %d %s", r.Status, r.Raw)
		}
	})
	t.Run("a tampered row fails its signature", func(t *testing.T) {
		must(t, e.db.Exec("UPDATE certificates SET jp = 80 WHERE id = ?", id).Error)
		r := e.do("GET", "/verify/"+code, "", nil, "Accept", "application/json")
		if r.Body["signature_valid"] != false {
			t.Fatalf("%s", r.Raw)
		}
		must(t, e.db.Exec("UPDATE certificates SET jp = 8 WHERE id = ?", id).Error)
	})
	var credential []byte
	t.Run("the Open Badges credential verifies, and is revoked with the certificate", func(t *testing.T) {
		r := e.do("GET", fmt.Sprintf("/v1/certificates/%d/credential.json", id), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		credential = r.Raw
		if types := r.Body["type"].([]any); types[1] != "OpenBadgeCredential" {
			t.Fatalf("%s", r.Raw)
		}
		v := e.do("POST", "/verify/credential", "", string(credential))
		if v.Body["verified"] != true || v.Body["status"] != "valid" {
			t.Fatalf("verify: %s", v.Raw)
		}
		forged := strings.Replace(string(credential), "Marthen Rumbiak", "Orang Lain", 1)
		if v := e.do("POST", "/verify/credential", "", forged); v.Body["verified"] != false || v.Body["proof_valid"] != false {
			t.Fatalf("forged: %s", v.Raw)
		}
	})
	t.Run("revocation shows on the page, in the status list and in the credential check", func(t *testing.T) {
		e.expect(e.do("POST", fmt.Sprintf("/v1/certificates/%d/revoke", id), e.staffB, map[string]any{"reason": "x"}), http.StatusNotFound, "not_found")
		e.expect(e.do("POST", fmt.Sprintf("/v1/certificates/%d/revoke", id), e.staffA, map[string]any{}), http.StatusUnprocessableEntity, "validation_failed")
		e.expect(e.do("POST", fmt.Sprintf("/v1/certificates/%d/revoke", id), e.staffA, map[string]any{"reason": "JP salah dicatat"}), http.StatusOK, "")
		e.expect(e.do("POST", fmt.Sprintf("/v1/certificates/%d/revoke", id), e.staffA, map[string]any{"reason": "lagi"}), http.StatusConflict, "already_revoked")
		page := string(e.do("GET", "/verify/"+code, "", nil).Raw)
		if !strings.Contains(page, "DICABUT") || !strings.Contains(page, "JP salah dicatat") {
			t.Fatal(page)
		}
		list := e.do("GET", "/status/revocation", "", nil)
		raw, _ := json.Marshal(list.Body)
		if v := e.do("POST", "/verify/credential", "", string(raw)); v.Body["proof_valid"] != true {
			t.Fatalf("status list proof: %s", v.Raw)
		}
		if v := e.do("POST", "/verify/credential", "", string(credential)); v.Body["verified"] != false || v.Body["status"] != "revoked" {
			t.Fatalf("revoked credential: %s", v.Raw)
		}
	})
	t.Run("reissue links the new certificate to the old", func(t *testing.T) {
		r := e.do("POST", fmt.Sprintf("/v1/certificates/%d/reissue", int64(r.items()[0]["id"].(float64))), e.staffA, map[string]any{"reason": "nama gelar"})
		e.expect(r, http.StatusCreated, "")
		if r.Body["replaces_id"] == nil || r.Body["number"] != "0003/BPSDM-A/PJ/2026" {
			t.Fatalf("%s", r.Raw)
		}
	})
	t.Run("keys rotate and old certificates still verify", func(t *testing.T) {
		e.expect(e.do("POST", "/v1/signing-keys/rotate", e.staffA, nil), http.StatusForbidden, "forbidden")
		e.expect(e.do("POST", "/v1/signing-keys/rotate", e.admin, nil), http.StatusCreated, "")
		keys := e.do("GET", "/.well-known/sinergi-keys.json", "", nil).Body["keys"].([]any)
		if len(keys) != 2 {
			t.Fatalf("keys %v", keys)
		}
		// p's certificate was revoked above: a new one comes by reissuing it.
		r := e.do("POST", fmt.Sprintf("/v1/certificates/%d/reissue", id), e.staffA, map[string]any{"reason": "JP diperbaiki"})
		e.expect(r, http.StatusCreated, "")
		newCode := r.Body["verification_code"].(string)
		for _, code := range []string{newCode} {
			if v := e.do("GET", "/verify/"+code, "", nil, "Accept", "application/json"); v.Body["signature_valid"] != true {
				t.Fatalf("%s", v.Raw)
			}
		}
		var oldValid string
		must(t, e.db.Raw("SELECT code FROM certificates WHERE status = 'valid' AND kid <> ? LIMIT 1", r.Body["key_id"]).Scan(&oldValid).Error)
		if v := e.do("GET", "/verify/"+oldValid, "", nil, "Accept", "application/json"); v.Body["signature_valid"] != true {
			t.Fatalf("old certificate after rotation: %s", v.Raw)
		}
	})
	t.Run("the holder downloads the PDF; others cannot", func(t *testing.T) {
		holder := e.key("trainer", e.instA, p)
		stranger := e.key("trainer", e.instA, w)
		r := e.do("GET", fmt.Sprintf("/v1/certificates/%d.pdf", id), holder, nil)
		if r.Status != 200 || r.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("%d", r.Status)
		}
		e.expect(e.do("GET", fmt.Sprintf("/v1/certificates/%d.pdf", id), stranger, nil), http.StatusNotFound, "not_found")
		e.expect(e.do("GET", fmt.Sprintf("/v1/certificates/%d.pdf", id), e.staffB, nil), http.StatusNotFound, "not_found")
	})
}

// TestCertificatePDFAndQR reads the PDF's text with pdftotext and decodes
// its QR code from a rendering with zbarimg.
func TestCertificatePDFAndQR(t *testing.T) {
	pdftotext, pdftoppm, zbarimg := requireTool(t, "pdftotext"), requireTool(t, "pdftoppm"), requireTool(t, "zbarimg")
	e := newEnv(t)
	c, w, p := completedCourse(e)
	e.certSigner()
	r := e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p})
	e.expect(r, http.StatusCreated, "")
	pdf := e.do("GET", fmt.Sprintf("/v1/certificates/%d.pdf", r.id()), e.staffA, nil)
	dir := t.TempDir()
	file := filepath.Join(dir, "c.pdf")
	must(t, os.WriteFile(file, pdf.Raw, 0o600))
	text, err := exec.Command(pdftotext, "-layout", file, "-").Output()
	must(t, err)
	for _, want := range []string{r.Body["number"].(string), "Marthen Rumbiak", "SERTIFIKAT", "8 JP"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	must(t, exec.Command(pdftoppm, "-png", "-r", "150", "-singlefile", file, filepath.Join(dir, "page")).Run())
	out, err := exec.Command(zbarimg, "--quiet", "--raw", filepath.Join(dir, "page.png")).Output()
	must(t, err)
	if got := strings.TrimSpace(string(out)); got != r.Body["verify_url"] {
		t.Fatalf("QR decodes to %q, want %q", got, r.Body["verify_url"])
	}
	pdfText := func(id int64) string {
		t.Helper()
		doc := e.do("GET", fmt.Sprintf("/v1/certificates/%d.pdf", id), e.staffA, nil)
		must(t, os.WriteFile(file, doc.Raw, 0o600))
		text, err := exec.Command(pdftotext, "-layout", file, "-").Output()
		must(t, err)
		return string(text)
	}
	lead := e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": w})
	e.expect(lead, http.StatusCreated, "")
	if text := pdfText(lead.id()); !strings.Contains(text, "NIP 198503102010012003") || !strings.Contains(text, "NIP 197001012000031005") ||
		strings.Contains(text, "DICABUT") {
		t.Fatalf("the lead's PDF lacks the holder's or the signer's NIP:\n%s", text)
	}
	e.expect(e.do("POST", fmt.Sprintf("/v1/certificates/%d/revoke", lead.id()), e.staffA, map[string]any{"reason": "JP salah"}), http.StatusOK, "")
	if text := pdfText(lead.id()); !strings.Contains(text, "DICABUT") || !strings.Contains(text, "JP salah") {
		t.Fatalf("a revoked PDF is not stamped:\n%s", text)
	}
}

// TestVerificationPageInChromium loads the page of a certificate in
// headless Chromium and reads the status it shows.
func TestVerificationPageInChromium(t *testing.T) {
	chromium := requireTool(t, "chromium")
	e := newEnv(t)
	c, _, p := completedCourse(e)
	e.certSigner()
	r := e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p})
	e.expect(r, http.StatusCreated, "")
	srv := httptest.NewServer(e.srv)
	defer srv.Close()
	dom := func() string {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		out, err := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir="+t.TempDir(),
			"--lang=id-ID", "--accept-lang=id-ID,id", // a verifier's phone in Indonesia
			"--dump-dom", srv.URL+"/verify/"+r.Body["verification_code"].(string)).Output()
		if err != nil {
			t.Fatalf("chromium: %v", err)
		}
		return string(out)
	}
	page := dom()
	if !strings.Contains(page, `id="status">SAH`) || !strings.Contains(page, "Marthen Rumbiak") || !strings.Contains(page, "Terverifikasi") {
		t.Fatalf("page:\n%s", page)
	}
	en := e.do("GET", "/verify/"+r.Body["verification_code"].(string), "", nil, "Accept-Language", "en-US,en;q=0.9")
	if !strings.Contains(string(en.Raw), `id="status">VALID`) || !strings.Contains(string(en.Raw), `<html lang="en">`) {
		t.Fatalf("English page:\n%s", en.Raw)
	}
	e.expect(e.do("POST", fmt.Sprintf("/v1/certificates/%d/revoke", r.id()), e.staffA, map[string]any{"reason": "dibatalkan"}), http.StatusOK, "")
	if page := dom(); !strings.Contains(page, `id="status">DICABUT`) {
		t.Fatalf("revoked page:\n%s", page)
	}
}

// TestConcurrentIssuanceIsGapless issues 100 certificates at once and
// expects 100 distinct consecutive numbers.
func TestConcurrentIssuanceIsGapless(t *testing.T) {
	e := newEnv(t)
	e.certSigner()
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar")
	must(t, e.db.Exec(`INSERT INTO people (institution_id, kind, name, email, employment, zone, organisation)
		SELECT ?, 'practitioner', 'Praktisi ' || g, 'p' || g || '@example.id', 'non_asn', 'Asia/Makassar', 'Org ' || g
		FROM generate_series(1, 100) g`, e.instA).Error)
	must(t, e.db.Exec(`INSERT INTO bookings (institution_id, session_id, person_id, role, status, during, uid)
		SELECT ?, s.id, p.id, 'co_trainer', 'completed', tstzrange(s.starts_at, s.ends_at, '[)'), 'u' || p.id
		FROM people p, sessions s WHERE s.id = ?`, e.instA, s).Error)
	var people []int64
	must(t, e.db.Raw("SELECT id FROM people ORDER BY id").Scan(&people).Error)
	numbers := make([]string, len(people))
	var wg sync.WaitGroup
	for i, p := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.do("POST", "/v1/certificates", e.staffA, map[string]any{"course_id": c, "person_id": p})
			if r.Status == http.StatusCreated {
				numbers[i] = r.Body["number"].(string)
			}
		}()
	}
	wg.Wait()
	sort.Strings(numbers)
	for i, n := range numbers {
		if want := fmt.Sprintf("%04d/BPSDM-A/CT/2026", i+1); n != want {
			t.Fatalf("number %d = %q, want %q", i, n, want)
		}
	}
}
