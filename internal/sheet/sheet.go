// Package sheet reads and writes the spreadsheets staff exchange with the
// service (XLSX from Excel or LibreOffice, CSV from SIMPEG exports) as a
// plain table of strings, so domain code parses rows without knowing the
// file format.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"sinergi/errs"
)

// Formats the package reads and writes.
const (
	XLSX = "xlsx"
	CSV  = "csv"
)

// ErrUnreadable is returned for a body that is neither XLSX nor CSV.
var ErrUnreadable = errs.New(errs.Invalid, "unreadable_file",
	"the file cannot be read: send XLSX (Excel) or UTF-8 CSV whose first row names the columns")

// ErrNotSpreadsheet is returned for a body that is no spreadsheet at all,
// such as a picture or a PDF: binary, and not an XLSX archive.
var ErrNotSpreadsheet = errs.New(errs.Invalid, "not_a_spreadsheet",
	"the file is neither XLSX nor CSV: save it from Excel as an .xlsx workbook or as CSV UTF-8")

// binary reports whether body is not text: a NUL or another control
// character that no CSV holds in its first kilobytes (tab, line breaks,
// form feed and the old end-of-file mark aside).
func binary(body []byte) bool {
	for _, c := range body[:min(len(body), 4096)] {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1a {
			return true
		}
	}
	return false
}

// Detect names the format of body: XLSX when it is a ZIP archive, else CSV.
func Detect(body []byte) string {
	if bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return XLSX
	}
	return CSV
}

// Read returns the cells of the first worksheet of an XLSX file, or of a
// CSV file separated by commas or semicolons (Excel in Indonesian locale
// writes semicolons), as rows of strings.
func Read(body []byte) ([][]string, error) {
	if Detect(body) == XLSX {
		return readXLSX(body)
	}
	return readCSV(body)
}

func readXLSX(body []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		return nil, ErrUnreadable.WithMessage("the XLSX file cannot be opened: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrUnreadable
	}
	// Raw values: a NIP typed as a number must not come back as 1.97E+17.
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, ErrUnreadable.WithMessage("sheet %q cannot be read: %v", sheets[0], err)
	}
	return rows, nil
}

func readCSV(body []byte) ([][]string, error) {
	body = bytes.TrimPrefix(body, []byte("\ufeff"))
	if binary(body) {
		return nil, ErrNotSpreadsheet
	}
	if !utf8.Valid(body) {
		return nil, ErrUnreadable.WithMessage("a CSV file must be UTF-8 (choose \"CSV UTF-8\" when saving from Excel)")
	}
	first, _, _ := bytes.Cut(body, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(body))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, ErrUnreadable.WithMessage("the CSV file cannot be read: %v", err)
		}
		rows = append(rows, rec)
	}
}

// Template writes a file with header and rows in format; in XLSX every
// column is text (so NIPs keep their digits), the header is bold and a
// second sheet "Petunjuk" lists help[column] for each column.
func Template(format string, header []string, rows [][]string, help map[string]string) ([]byte, error) {
	var buf bytes.Buffer
	if format == CSV {
		w := csv.NewWriter(&buf)
		_ = w.Write(header)
		_ = w.WriteAll(rows)
		return buf.Bytes(), w.Error()
	}
	f := excelize.NewFile()
	defer f.Close()
	const data, guide = "Data", "Petunjuk"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.ColumnNumberToName(len(header))
	if err := f.SetColStyle(data, "A:"+last, text); err != nil {
		return nil, err
	}
	_ = f.SetColWidth(data, "A", last, 24)
	put := func(sheet string, row int, values []string) error {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		vs := make([]any, len(values))
		for i, v := range values {
			vs[i] = v
		}
		return f.SetSheetRow(sheet, cell, &vs)
	}
	if err := put(data, 1, header); err != nil {
		return nil, err
	}
	_ = f.SetRowStyle(data, 1, 1, bold)
	for i, r := range rows {
		if err := put(data, i+2, r); err != nil {
			return nil, err
		}
	}
	if _, err := f.NewSheet(guide); err != nil {
		return nil, err
	}
	_ = put(guide, 1, []string{"kolom", "isi"})
	_ = f.SetRowStyle(guide, 1, 1, bold)
	for i, h := range header {
		_ = put(guide, i+2, []string{h, help[h]})
	}
	_ = put(guide, len(header)+3, []string{"", strings.Join([]string{
		"Sel kosong atau kolom yang tidak ada = data lama tetap.",
		"Orang dicocokkan dengan NIP, lalu e-mail, di instansi Anda.",
		"Uji dulu (dry run); berkas diterapkan hanya bila semua baris benar."}, " ")})
	_ = f.SetColWidth(guide, "A", "A", 16)
	_ = f.SetColWidth(guide, "B", "B", 110)
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write template: %w", err)
	}
	return buf.Bytes(), nil
}
