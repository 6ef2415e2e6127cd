package sheet

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestRead(t *testing.T) {
	want := [][]string{{"nama", "nip"}, {"Rina, M.Si.", "197805122003122002"}}
	xlsx := func() []byte {
		f := excelize.NewFile()
		defer f.Close()
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"nama", "nip"})
		_ = f.SetSheetRow("Sheet1", "A2", &[]any{"Rina, M.Si.", "197805122003122002"})
		var b bytes.Buffer
		if err := f.Write(&b); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	tests := []struct {
		name string
		body []byte
	}{
		{"comma CSV", []byte("nama,nip\n\"Rina, M.Si.\",197805122003122002\n")},
		{"semicolon CSV from Excel with a BOM and CRLF", []byte("\ufeffnama;nip\r\nRina, M.Si.;197805122003122002\r\n")},
		{"XLSX", xlsx()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.body)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got %q, want %q", got, want)
			}
		})
	}
	t.Run("refuses CSV that is not UTF-8", func(t *testing.T) {
		if _, err := Read([]byte("nama\nJos\xe9\n")); err == nil {
			t.Fatal("Latin-1 CSV was read")
		}
	})
	t.Run("says a picture, a PDF or an old XLS is no spreadsheet", func(t *testing.T) {
		for name, body := range map[string][]byte{
			"png": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"),
			"pdf": []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 5 /Filter /FlateDecode >>\nstream\nx\x9c\x03\x00\x00\x00\x00\x01"),
			"xls": []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"),
		} {
			if _, err := Read(body); err != ErrNotSpreadsheet {
				t.Errorf("%s: %v, want %v", name, err, ErrNotSpreadsheet)
			}
		}
		if _, err := Read([]byte("nama\nJos\xe9\n")); err == ErrNotSpreadsheet {
			t.Error("a Latin-1 CSV is called no spreadsheet; it is text in the wrong encoding")
		}
	})
	t.Run("refuses a broken XLSX", func(t *testing.T) {
		if _, err := Read([]byte("PK\x03\x04not a zip")); err == nil {
			t.Fatal("a broken XLSX was read")
		}
	})
}

func TestTemplateRoundTrip(t *testing.T) {
	header := []string{"nama", "nip"}
	rows := [][]string{{"Rina", "197805122003122002"}}
	for _, format := range []string{XLSX, CSV} {
		body, err := Template(format, header, rows, map[string]string{"nama": "Nama lengkap"})
		if err != nil {
			t.Fatal(err)
		}
		if Detect(body) != format {
			t.Fatalf("%s template detected as %s", format, Detect(body))
		}
		got, err := Read(body)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, append([][]string{header}, rows...)) {
			t.Fatalf("%s template reads back as %q", format, got)
		}
	}
}
