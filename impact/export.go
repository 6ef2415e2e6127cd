package impact

import (
	"bytes"
	"fmt"

	"github.com/xuri/excelize/v2"
)

// figureHeader names the columns of every figures row, in Indonesian.
var figureHeader = []string{"jumlah penilaian (L1)", "reaksi rata-rata 0-100 (L1)", "rencana aksi", "dilaporkan peserta",
	"dikonfirmasi atasan", "terlaksana menurut atasan", "porsi terlaksana (L3)", "batas bawah 95%", "batas atas 95%",
	"perubahan perilaku 1-4", "indikator terukur", "indikator membaik", "capaian indikator (L4)", "keyakinan", "catatan"}

func figureCells(f Figures) []any {
	opt := func(p *float64) any {
		if p == nil {
			return ""
		}
		return *p
	}
	return []any{f.Ratings, opt(f.ReactionMean), f.Plans, f.Reported, f.Confirmed, f.Implemented, opt(f.ImplementedShare),
		opt(f.ShareLow), opt(f.ShareHigh), opt(f.BehaviourMean), f.Measured, f.Improved, opt(f.Attainment), f.Confidence, f.Note}
}

// XLSX writes a report as a workbook: the whole on "Ringkasan", then one
// row per trainer ("Pengajar") and per pair ("Pasangan").
func XLSX(title string, r Report) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	put := func(sheet string, row int, values []any) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return f.SetSheetRow(sheet, cell, &values)
	}
	header := func(sheet string, lead ...string) error {
		h := make([]any, 0, len(lead)+len(figureHeader))
		for _, s := range lead {
			h = append(h, s)
		}
		for _, s := range figureHeader {
			h = append(h, s)
		}
		if err := put(sheet, 1, h); err != nil {
			return err
		}
		_ = f.SetColWidth(sheet, "A", "T", 18)
		return f.SetRowStyle(sheet, 1, 1, bold)
	}
	if err := f.SetSheetName("Sheet1", "Ringkasan"); err != nil {
		return nil, err
	}
	if err := header("Ringkasan", "laporan"); err != nil {
		return nil, err
	}
	if err := put("Ringkasan", 2, append([]any{title}, figureCells(r.Total)...)); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet("Pengajar"); err != nil {
		return nil, err
	}
	if err := header("Pengajar", "id", "nama", "jenis"); err != nil {
		return nil, err
	}
	for i, t := range r.Trainers {
		if err := put("Pengajar", i+2, append([]any{t.Person.ID, t.Person.Name, t.Person.Kind}, figureCells(t.Figures)...)); err != nil {
			return nil, err
		}
	}
	if _, err := f.NewSheet("Pasangan"); err != nil {
		return nil, err
	}
	if err := header("Pasangan", "widyaiswara", "praktisi"); err != nil {
		return nil, err
	}
	for i, p := range r.Pairs {
		if err := put("Pasangan", i+2, append([]any{p.Widyaiswara.Name, p.Practitioner.Name}, figureCells(p.Figures)...)); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write impact workbook: %w", err)
	}
	return buf.Bytes(), nil
}
