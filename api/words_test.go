package api_test

import (
	"net/http"
	"testing"
)

// A course whose date cannot be read hears of every other problem too,
// and a duplicate institution code names its field.
func TestCourseProblemsReportedTogether(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/v1/courses", e.staffA, map[string]any{"name": "", "organising_unit": "Bidang", "funding": "XYZ", "region": "",
		"start_date": "31-12-2026", "end_date": "2027-01-02"})
	e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	fields, _ := r.Body["error"].(map[string]any)["fields"].(map[string]any)
	for _, f := range []string{"name", "funding", "region", "start_date"} {
		if fields[f] == nil {
			t.Errorf("no problem reported for %s: %s", f, r.Raw)
		}
	}
	if fields["start_date"] != "harus tanggal TTTT-BB-HH" && fields["start_date"] != "must be a date YYYY-MM-DD" {
		t.Errorf("the unreadable date's own problem lost to another: %v", fields["start_date"])
	}
}

// A picture sent as a roster is named for what it is, with its own code.
func TestImportOfNoSpreadsheet(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/v1/people/import", e.staffA, []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "Content-Type", "text/csv")
	e.expect(r, http.StatusUnprocessableEntity, "not_a_spreadsheet")
	if msg := r.Body["error"].(map[string]any)["message"]; msg != "berkas ini bukan XLSX maupun CSV: simpan dari Excel sebagai buku kerja .xlsx atau sebagai CSV UTF-8" {
		t.Errorf("message %q", msg)
	}
}
