package api_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func TestHonorariaEndToEnd(t *testing.T) {
	e := newEnv(t)
	// Ceilings for APBD Sulawesi Selatan 2026 from the admin, the
	// institution's own lower rate for practitioners.
	for _, r := range []map[string]any{
		{"regulation": "Pergub Sulsel 2025", "fiscal_year": 2026, "funding": "APBD", "region": "Sulawesi Selatan",
			"class": "penceramah", "unit": "per_jp", "amount": 900000, "source": "Pergub Sulsel, SSH 2026"},
		{"regulation": "Pergub Sulsel 2025", "fiscal_year": 2026, "funding": "APBD", "region": "Sulawesi Selatan",
			"class": "widyaiswara_internal", "unit": "per_jp", "amount": 300000, "source": "Pergub Sulsel, SSH 2026"},
	} {
		e.expect(e.do("POST", "/v1/rate-tables", e.admin, r), http.StatusCreated, "")
	}
	own := map[string]any{"regulation": "SK Kepala BPSDM", "fiscal_year": 2026, "funding": "APBD", "region": "Sulawesi Selatan",
		"class": "penceramah", "unit": "per_jp", "amount": 950000}
	t.Run("an institution rate above the ceiling is refused", func(t *testing.T) {
		r := e.do("POST", "/v1/rate-tables", e.staffA, own)
		e.expect(r, http.StatusUnprocessableEntity, "above_ceiling")
		if r.field("amount") == "" {
			t.Fatal(string(r.Raw))
		}
	})
	t.Run("an unknown rate class is refused", func(t *testing.T) {
		bad := map[string]any{"regulation": "X", "fiscal_year": 2026, "funding": "APBD", "region": "Sulawesi Selatan",
			"class": "dosen_tamu", "unit": "per_jp", "amount": 1}
		r := e.do("POST", "/v1/rate-tables", e.staffA, bad)
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("class") == "" {
			t.Fatal(string(r.Raw))
		}
	})
	own["amount"] = 800000
	e.expect(e.do("POST", "/v1/rate-tables", e.staffA, own), http.StatusCreated, "")
	e.expect(e.do("POST", "/v1/rate-tables", e.staffA, own), http.StatusConflict, "duplicate_rate")
	e.expect(e.do("PUT", "/v1/incentive/settings", e.staffA, map[string]any{"widyaiswara_minimum_jp": 2}), http.StatusOK, "")

	r := e.do("POST", "/v1/courses", e.staffA, map[string]any{"name": "PKP Angkatan II", "organising_unit": "Bidang PKM",
		"funding": "APBD", "region": "Sulawesi Selatan", "start_date": "2026-12-01", "end_date": "2026-12-31"})
	course := r.id()
	s1 := e.mustSession(course, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar") // 4 JP
	s2 := e.mustSession(course, "2026-12-08T09:00", "2026-12-08T12:00", "Asia/Makassar") // 4 JP
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@a.go.id", "198503102010012003"))    // IV/b
	pBody := practitionerJSON("p@example.id")
	pBody["tax_id_status"], pBody["tax_id"] = "npwp", "01.234.567.8-901.000"
	p := e.createPerson(e.staffA, pBody)
	var bookings []int64
	for _, b := range [][3]any{{s1, w, "lead"}, {s1, p, "co_trainer"}, {s2, w, "lead"}, {s2, p, "co_trainer"}} {
		id := e.book(b[0].(int64), b[1].(int64), b[2].(string)).id()
		for _, to := range []string{"invited", "accepted", "confirmed"} {
			e.expect(e.transition(e.staffA, id, to), http.StatusOK, "")
		}
		bookings = append(bookings, id)
	}
	e.testTime = time.Date(2026, 12, 9, 0, 0, 0, 0, time.UTC)
	for i, id := range bookings {
		r := e.transition(e.staffA, id, "completed")
		e.expect(r, http.StatusOK, "")
		if r.Body["honorarium_id"] == nil {
			t.Fatalf("booking %d: no honorarium drafted: %s", i, r.Raw)
		}
	}
	r = e.do("GET", fmt.Sprintf("/v1/honoraria?course_id=%d", course), e.staffA, nil)
	rows := r.items()
	if len(rows) != 4 {
		t.Fatalf("%d ledger rows", len(rows))
	}
	// widyaiswara: 4 JP then 4 JP with 2 unpaid: 2 + 4 paid JP at 300,000, 15% final.
	// practitioner: 8 JP at 800,000 = 6,400,000; base 3,200,000 at 5% = 160,000.
	var gross, tax int64
	for _, h := range rows {
		gross += int64(h["gross"].(float64))
		tax += int64(h["tax"].(float64))
		if h["status"] != "draft" {
			t.Fatalf("row %v", h)
		}
	}
	if gross != 6*300000+8*800000 || tax != 6*300000*15/100+8*800000/2*5/100 {
		t.Fatalf("gross %d tax %d", gross, tax)
	}
	first := int64(rows[0]["id"].(float64))
	t.Run("paying a draft is refused", func(t *testing.T) {
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", first), e.staffA, nil), http.StatusConflict, "honorarium_not_approved")
	})
	for _, h := range rows {
		id := int64(h["id"].(float64))
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", id), e.staffA, nil), http.StatusOK, "")
	}
	t.Run("approving twice is refused", func(t *testing.T) {
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", first), e.staffA, nil), http.StatusConflict, "honorarium_not_draft")
	})
	for _, h := range rows {
		id := int64(h["id"].(float64))
		r := e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", id), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		if r.Body["paid_at"] == nil || r.Body["paid_by_key"] == nil {
			t.Fatalf("%s", r.Raw)
		}
	}
	t.Run("a paid row is never edited in the database", func(t *testing.T) {
		if err := e.db.Exec("UPDATE honoraria SET gross = 1 WHERE id = ?", first).Error; err == nil {
			t.Fatal("paid row changed")
		}
	})
	t.Run("another institution sees none of it", func(t *testing.T) {
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", first), e.staffB, nil), http.StatusNotFound, "not_found")
		if n := len(e.do("GET", "/v1/honoraria", e.staffB, nil).items()); n != 0 {
			t.Fatalf("B sees %d rows", n)
		}
	})

	wantGross, wantTax := int64(6*300000+8*800000), int64(6*300000*15/100+8*800000/2*5/100)
	t.Run("the CSV export has one line per person and year, with status, and correct totals", func(t *testing.T) {
		r := e.do("GET", fmt.Sprintf("/v1/honoraria/export.csv?course_id=%d", course), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		recs, err := csv.NewReader(bytes.NewReader(r.Raw)).ReadAll()
		if err != nil || len(recs) != 4 {
			t.Fatalf("%v %q", err, recs)
		}
		total := recs[3]
		if total[1] != "JUMLAH" || total[10] != "" || total[11] != strconv.FormatInt(wantGross, 10) || total[12] != strconv.FormatInt(wantTax, 10) ||
			total[13] != strconv.FormatInt(wantGross-wantTax, 10) {
			t.Fatalf("totals %q", total)
		}
		// The NPWP of 15 digits is kept as the 16-digit NPWP (0 in front).
		if recs[1][1] != "Dewi Lestari" || recs[1][2] != "198503102010012003" || recs[2][3] != "0012345678901000" ||
			recs[2][4] != "npwp" || recs[2][6] != "2026" || recs[2][14] != "dibayar" {
			t.Fatalf("lines %q", recs)
		}
	})
	t.Run("the XLSX export reads back in openpyxl with the ledger's totals", func(t *testing.T) {
		python := requireTool(t, "/usr/bin/python3")
		e.expect(e.do("PUT", "/v1/incentive/settings", e.staffA, map[string]any{"widyaiswara_minimum_jp": 2,
			"ppk_name": "Andi Makkasau, S.E.", "ppk_nip": "197501012000031001", "treasurer_name": "Rosmini",
			"treasurer_nip": "198002022005022002"}), http.StatusOK, "")
		r := e.do("GET", "/v1/honoraria/export.xlsx?month=2026-12", e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		path := filepath.Join(t.TempDir(), "honorarium.xlsx")
		must(t, os.WriteFile(path, r.Raw, 0o600))
		out, err := exec.Command(python, "testdata/read_xlsx.py", path).Output()
		if ee := (*exec.ExitError)(nil); errors.As(err, &ee) {
			t.Fatalf("openpyxl: %v: %s", err, ee.Stderr)
		} else if err != nil {
			t.Fatal(err)
		}
		var sheet struct {
			Dimension string
			MaxRow    int `json:"max_row"`
			Rows      [][]any
			Formats   [][]*string
		}
		must(t, json.Unmarshal(out, &sheet))
		var gross, tax int64
		for _, h := range e.do("GET", "/v1/honoraria?month=2026-12&status=approved,paid", e.staffA, nil).items() {
			gross += int64(h["gross"].(float64))
			tax += int64(h["tax"].(float64))
		}
		var total int = -1
		for i, row := range sheet.Rows {
			if len(row) > 1 && row[1] == "JUMLAH" {
				total = i
			}
		}
		if total < 0 || sheet.MaxRow != len(sheet.Rows) || !strings.HasPrefix(sheet.Dimension, "A1:P") {
			t.Fatalf("read-only openpyxl sees %s, %d rows: %v", sheet.Dimension, sheet.MaxRow, sheet.Rows)
		}
		row := sheet.Rows[total]
		if row[11] != float64(gross) || row[12] != float64(tax) || row[13] != float64(gross-tax) || row[10] != nil {
			t.Fatalf("JUMLAH %v, want gross %d tax %d", row, gross, tax)
		}
		for col := 8; col <= 13; col++ {
			if f := sheet.Formats[total][col]; f == nil || *f != "#,##0" {
				t.Fatalf("total in column %d has number format %v", col, f)
			}
		}
		text := fmt.Sprint(sheet.Rows)
		for _, want := range []string{"BPSDM Provinsi A", "Periode: Desember 2026", "Status: disetujui, dibayar", "Pejabat Pembuat Komitmen",
			"Andi Makkasau, S.E.", "NIP 197501012000031001", "Bendahara Pengeluaran", "NIP 198002022005022002"} {
			if !strings.Contains(text, want) {
				t.Fatalf("the sheet lacks %q: %v", want, sheet.Rows)
			}
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Raw))
		must(t, err)
		if w, _ := f.GetColWidth("Honorarium", "B"); w < 20 {
			t.Fatalf("column B is %v wide", w)
		}
	})
	t.Run("a reversal corrects a paid row and the yearly summary nets it", func(t *testing.T) {
		r := e.do("POST", fmt.Sprintf("/v1/honoraria/%d/reverse", first), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		if r.Body["gross"].(float64) >= 0 || r.Body["status"] != "draft" {
			t.Fatalf("%s", r.Raw)
		}
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/reverse", first), e.staffA, nil), http.StatusConflict, "already_reversed")
		rev := r.id()
		reversed := int64(rows[0]["gross"].(float64))
		summary := func(query string) [][]string {
			s := e.do("GET", "/v1/honoraria/export.csv?summary=year&year=2026"+query, e.staffA, nil)
			e.expect(s, http.StatusOK, "")
			recs, _ := csv.NewReader(bytes.NewReader(s.Raw)).ReadAll()
			return recs
		}
		if recs := summary(""); len(recs) != 4 || recs[3][11] != strconv.FormatInt(wantGross, 10) {
			t.Fatalf("an unapproved reversal is in the treasurer's summary: %q", recs)
		}
		if recs := summary("&status=draft"); len(recs) != 3 || recs[1][14] != "draf" || recs[2][11] != strconv.FormatInt(-reversed, 10) {
			t.Fatalf("status=draft: %q", recs)
		}
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", rev), e.staffA, nil), http.StatusOK, "")
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", rev), e.staffA, nil), http.StatusOK, "")
		if recs := summary(""); len(recs) != 4 || recs[3][11] != strconv.FormatInt(wantGross-reversed, 10) {
			t.Fatalf("summary %q", recs)
		}
	})
	e.expect(e.do("GET", "/v1/honoraria/export.csv", e.staffA, nil), http.StatusUnprocessableEntity, "validation_failed")
	e.expect(e.do("GET", "/v1/honoraria?status=lunas", e.staffA, nil), http.StatusUnprocessableEntity, "validation_failed")
}
