package api_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

const rosterHeader = "nama,jenis,nip,jenjang,golongan,email,telepon,organisasi,unit,kepegawaian,zona_waktu,kompetensi\n"

// countPeople counts institution inst's people and its audit rows about people.
func (e *env) countPeople(inst int64) (people, audits int64) {
	e.t.Helper()
	must(e.t, e.db.Raw("SELECT count(*) FROM people WHERE institution_id = ?", inst).Scan(&people).Error)
	must(e.t, e.db.Raw("SELECT count(*) FROM audit_log WHERE institution_id = ? AND entity = 'person'", inst).Scan(&audits).Error)
	return people, audits
}

func (e *env) importCSV(path, csv string) response {
	e.t.Helper()
	return e.do("POST", path, e.staffA, []byte(csv), "Content-Type", "text/csv")
}

func problems(r response) []map[string]any {
	body := r.Body
	if errBody, ok := r.Body["error"].(map[string]any); ok {
		details, _ := errBody["details"].(map[string]any)
		body, _ = details["report"].(map[string]any)
	}
	list, _ := body["problems"].([]any)
	out := make([]map[string]any, len(list))
	for i, x := range list {
		out[i], _ = x.(map[string]any)
	}
	return out
}

func TestRosterImport(t *testing.T) {
	e := newEnv(t)
	existing := e.createPerson(e.staffA, widyaiswaraJSON("dewi@bpsdm-a.go.id", "197001011995031001"))
	// Updates Dewi by NIP (new unit and competencies; phone, e-mail and the
	// rest kept), adds a practitioner with competencies.
	file := rosterHeader +
		",,197001011995031001,,,,,,Bidang Kompetensi Teknis,,,integritas:4; komunikasi:3\n" +
		"Marthen Rumbiak,praktisi,,,,marthen@bpbd.example.id,0812 9876 5432,BPBD Provinsi Papua,Logistik,non_asn,WIT,pelayanan_publik:5\n"

	t.Run("dry run reports each row and changes nothing", func(t *testing.T) {
		people, audits := e.countPeople(e.instA)
		r := e.importCSV("/v1/people/import", file)
		e.expect(r, http.StatusOK, "")
		if r.Body["dry_run"] != true || r.Body["applied"] != false || r.Body["valid"] != true ||
			r.Body["created"] != 1.0 || r.Body["updated"] != 1.0 {
			t.Fatalf("report: %s", r.Raw)
		}
		items := r.items()
		if items[0]["action"] != "update" || items[0]["person_id"] != float64(existing) ||
			fmt.Sprint(items[0]["changed"]) != "[unit kompetensi]" || items[1]["action"] != "create" || items[1]["row"] != 3.0 {
			t.Fatalf("items: %v", items)
		}
		if p, a := e.countPeople(e.instA); p != people || a != audits {
			t.Fatalf("dry run wrote: people %d→%d, audit %d→%d", people, p, audits, a)
		}
		got := e.do("GET", fmt.Sprintf("/v1/people/%d", existing), e.staffA, nil)
		if got.Body["unit"] != "Bidang PKM" || len(got.Body["competencies"].([]any)) != 0 {
			t.Fatalf("dry run changed the person: %s", got.Raw)
		}
	})

	t.Run("apply upserts, keeps what the file leaves empty, replaces competencies and audits", func(t *testing.T) {
		people, audits := e.countPeople(e.instA)
		r := e.importCSV("/v1/people/import?dry_run=false", file)
		e.expect(r, http.StatusOK, "")
		if r.Body["applied"] != true || r.Body["created"] != 1.0 || r.Body["updated"] != 1.0 {
			t.Fatalf("report: %s", r.Raw)
		}
		if p, a := e.countPeople(e.instA); p != people+1 || a != audits+2 {
			t.Fatalf("people %d→%d, audit %d→%d; want one more person and two audit rows", people, p, audits, a)
		}
		dewi := e.do("GET", fmt.Sprintf("/v1/people/%d", existing), e.staffA, nil)
		if dewi.Body["unit"] != "Bidang Kompetensi Teknis" || dewi.Body["phone"] != "+6281234567890" ||
			dewi.Body["golongan"] != "IV/b" || dewi.Body["version"] != 2.0 {
			t.Fatalf("updated person: %s", dewi.Raw)
		}
		levels := map[string]float64{}
		for _, c := range dewi.Body["competencies"].([]any) {
			levels[c.(map[string]any)["code"].(string)] = c.(map[string]any)["level"].(float64)
		}
		if len(levels) != 2 || levels["integritas"] != 4 || levels["komunikasi"] != 3 {
			t.Fatalf("competencies: %v", levels)
		}
		id := int64(r.items()[1]["person_id"].(float64))
		marthen := e.do("GET", fmt.Sprintf("/v1/people/%d", id), e.staffA, nil)
		if marthen.Body["kind"] != "practitioner" || marthen.Body["zone"] != "Asia/Jayapura" || marthen.Body["phone"] != "+6281298765432" ||
			len(marthen.Body["competencies"].([]any)) != 1 {
			t.Fatalf("created person: %s", marthen.Raw)
		}
		again := e.importCSV("/v1/people/import?dry_run=false", file)
		if again.Body["unchanged"] != 2.0 || again.Body["created"] != 0.0 {
			t.Fatalf("second import of the same file: %s", again.Raw)
		}
		list := e.do("GET", "/v1/people?competency=pelayanan_publik&min_level=5", e.staffA, nil)
		if len(list.items()) != 1 {
			t.Fatalf("imported competency not searchable: %s", list.Raw)
		}
	})

	t.Run("a file with broken rows changes nothing and reports every one", func(t *testing.T) {
		people, audits := e.countPeople(e.instA)
		broken := rosterHeader +
			"Ani Wulandari,widyaiswara,197501012000121002,ahli_muda,IV/a,ani@bpsdm-a.go.id,,BPSDM A,,pns,Asia/Makassar,\n" + // golongan does not fit
			"Budi Santoso,praktisi,,,,budi@example.id,,Dinas Kesehatan,,non_asn,Asia/Makassar,\n" + // good
			"Citra,praktisi,,,,citra.example.id,,,,non_asn,WITA,\n" + // bad e-mail, no organisation
			"Dodi,praktisi,,,,dodi@example.id,,RSUD,,non_asn,Asia/Makassar,kepemimpinan:3\n" + // unknown competency
			"Eka,praktisi,,,,budi@example.id,,RSUD,,non_asn,Asia/Makassar,\n" + // e-mail of row 3
			"Fajar,widyaiswara,12345,ahli_muda,III/c,fajar@bpsdm-a.go.id,,BPSDM A,,pns,Asia/Makassar,\n" // bad NIP
		r := e.importCSV("/v1/people/import?dry_run=false", broken)
		e.expect(r, http.StatusUnprocessableEntity, "import_rejected")
		got := map[string]string{}
		for _, p := range problems(r) {
			got[fmt.Sprintf("%v/%v", p["row"], p["field"])] = fmt.Sprintf("%v: %v", p["code"], p["message"])
		}
		want := map[string]string{
			"2/golongan":   "invalid_value: tidak sesuai dengan jenjang ahli_muda (yang sesuai: III/c, III/d)",
			"4/email":      "invalid_value: harus alamat e-mail biasa, misalnya nama@instansi.go.id",
			"4/organisasi": "invalid_value: wajib diisi untuk praktisi",
			"5/kompetensi": `unknown_competency: kode kompetensi "kepemimpinan" tidak ada di kamus instansi ini (lihat GET /v1/competencies)`,
			"6/email":      "duplicate_in_file: e-mail ini sudah dipakai di baris 3",
			"7/nip":        "invalid_value: harus 18 digit angka",
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("problem %s = %q, want %q", k, got[k], v)
			}
		}
		if len(got) != len(want) {
			t.Errorf("problems %v, want exactly %v", got, want)
		}
		if p, a := e.countPeople(e.instA); p != people || a != audits {
			t.Fatalf("a refused file wrote: people %d→%d, audit %d→%d", people, p, audits, a)
		}
	})

	t.Run("the same rules as the API", func(t *testing.T) {
		bad := widyaiswaraJSON("rule@bpsdm-a.go.id", "197001011995031009")
		bad["golongan"] = "III/a"
		api := e.do("POST", "/v1/people", e.staffA, bad)
		e.expect(api, http.StatusUnprocessableEntity, "validation_failed")
		r := e.importCSV("/v1/people/import", rosterHeader+
			"Dewi Lestari,widyaiswara,197001011995031009,ahli_madya,III/a,rule@bpsdm-a.go.id,,BPSDM A,,pns,Asia/Makassar,\n")
		ps := problems(r)
		if api.field("golongan") == "" || len(ps) != 1 || ps[0]["field"] != "golongan" {
			t.Fatalf("API says %s; import says %v", api.Raw, ps)
		}
	})

	t.Run("header problems and an unreadable file", func(t *testing.T) {
		r := e.importCSV("/v1/people/import", "nama;surel\nA;b@c.id\n")
		ps := problems(r)
		if len(ps) != 2 || ps[0]["code"] != "unknown_column" || ps[1]["code"] != "missing_key_column" {
			t.Fatalf("problems: %v", ps)
		}
		e.expect(e.do("POST", "/v1/people/import", e.staffA, []byte("PK\x03\x04garbage"), "Content-Type", "application/octet-stream"),
			http.StatusUnprocessableEntity, "unreadable_file")
		e.expect(e.do("POST", "/v1/people/import?dry_run=maybe", e.staffA, []byte(rosterHeader)), http.StatusUnprocessableEntity, "validation_failed")
	})

	t.Run("another institution's people are not matched", func(t *testing.T) {
		r := e.do("POST", "/v1/people/import?dry_run=true", e.staffB, []byte(rosterHeader+
			",,197001011995031001,,,,,,Unit B,,,\n"), "Content-Type", "text/csv")
		ps := problems(r)
		if r.Body["updated"] != 0.0 || len(ps) == 0 {
			t.Fatalf("B's import saw A's person: %s", r.Raw)
		}
	})
}

// TestRosterTemplate downloads both templates and imports the XLSX one,
// semicolon CSV too, as a dry run: the examples are valid rows.
func TestRosterTemplate(t *testing.T) {
	e := newEnv(t)
	x := e.do("GET", "/v1/people/import/template.xlsx", e.staffA, nil)
	e.expect(x, http.StatusOK, "")
	f, err := excelize.OpenReader(bytes.NewReader(x.Raw))
	must(t, err)
	rows, err := f.GetRows("Data")
	must(t, err)
	if strings.Join(rows[0], ",")+"\n" != rosterHeader || len(rows) != 3 {
		t.Fatalf("template rows: %v", rows)
	}
	if sheets := f.GetSheetList(); len(sheets) != 2 || sheets[1] != "Petunjuk" {
		t.Fatalf("sheets: %v", sheets)
	}
	r := e.do("POST", "/v1/people/import", e.staffA, x.Raw, "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	e.expect(r, http.StatusOK, "")
	if r.Body["valid"] != true || r.Body["created"] != 2.0 {
		t.Fatalf("template as a dry run: %s", r.Raw)
	}
	c := e.do("GET", "/v1/people/import/template.csv", e.staffA, nil)
	e.expect(c, http.StatusOK, "")
	records, err := csv.NewReader(bytes.NewReader(c.Raw)).ReadAll()
	must(t, err)
	var semicolons bytes.Buffer
	w := csv.NewWriter(&semicolons)
	w.Comma = ';'
	must(t, w.WriteAll(records))
	r = e.importCSV("/v1/people/import", semicolons.String())
	if r.Body["valid"] != true || r.Body["created"] != 2.0 {
		t.Fatalf("semicolon CSV: %s", r.Raw)
	}
}
