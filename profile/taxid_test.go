package profile

import (
	"testing"
	"time"
)

// TestPPPKNIP follows the Nomor Induk PPPK as BKN issues it: birth date,
// year of appointment, the code in place of the TMT month, sex, sequence.
// Source: swarawarta.co.id, "Contoh NIP PPPK Paruh Waktu" (6 October 2025),
// which reads 199009132025242014 as born 13 September 1990, appointed 2025,
// code 24 (paruh waktu), female, number 014; the full-time code is 21
// (foppsirokanhulu.blogspot.com, "Apa perbedaan NIP PNS dan NI PPPK?",
// March 2024, for the structure).
func TestPPPKNIP(t *testing.T) {
	today := time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, nip string
		ok        bool
	}{
		{"the published paruh waktu example", "199009132025242014", true},
		{"a full-time PPPK appointed 2023", "198706152023211003", true},
		{"a PNS NIP is not a PPPK number", "198503102010012003", false},
		{"another code where the month would be", "199009132025132014", false},
		{"appointed before the first PPPK (2019)", "199009132018212014", false},
		{"appointed in the future", "199009132027212014", false},
		{"no sex digit 3", "199009132025213014", false},
		{"sequence 000", "199009132025211000", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckPPPKNIP(tt.nip, today); (got == "") != tt.ok {
				t.Fatalf("CheckPPPKNIP(%s) = %q", tt.nip, got)
			}
		})
	}
	t.Run("a pppk person is validated by the PPPK rule", func(t *testing.T) {
		p := Person{Kind: Widyaiswara, Name: "Sri Wahyuni", Email: "sri@a.go.id", Employment: PPPK, NIP: "199009132025242014",
			Jenjang: AhliPertama, Golongan: "III/a", Zone: "Asia/Makassar", TaxIDStatus: TaxNone}
		if err := p.Normalize(today); err != nil {
			t.Fatal(err)
		}
		p.Employment = PNS
		if p.Normalize(today) == nil {
			t.Fatal("a PPPK number accepted for a PNS")
		}
	})
}

func TestTaxIdentity(t *testing.T) {
	for _, tt := range []struct {
		name, nik string
		ok        bool
	}{
		{"a woman born 5 July 1985 in Makassar", "7371014507850001", true},
		{"a man born 29 February 2000", "3174052902000123", true},
		{"unknown province 99", "9971014507850001", false},
		{"district 00", "7371004507850001", false},
		{"31 February", "7371013102850001", false},
		{"sequence 0000", "7371014507850000", false},
		{"15 digits", "737101450785000", false},
	} {
		if got := CheckNIK(tt.nik); (got == "") != tt.ok {
			t.Errorf("%s: CheckNIK(%s) = %q", tt.name, tt.nik, got)
		}
	}
	if npwp, problem := NormalizeNPWP("012345678901000"); problem != "" || npwp != "0012345678901000" {
		t.Errorf("a 15-digit NPWP becomes %q %q, want 0 in front (PMK 112/2022 Pasal 7)", npwp, problem)
	}
	if _, problem := NormalizeNPWP("9912345678901000"); problem == "" {
		t.Error("a 16-digit NPWP that is neither 0-led nor a NIK was accepted")
	}
	p := Person{Kind: Practitioner, Name: "Marthen", Email: "m@example.id", Organisation: "BPBD", Employment: NonASN,
		Zone: "Asia/Jayapura", TaxIDStatus: TaxNone, TaxID: "7371014507850001"}
	if p.Normalize(time.Now()) == nil {
		t.Error("a number with status none was accepted")
	}
	p.TaxIDStatus = TaxNPWP
	if err := p.Normalize(time.Now()); err != nil || !p.HasTaxID() {
		t.Errorf("a NIK used as NPWP: %v", err)
	}
	if got := Mask("198503102010012003"); got != "1985**********2003" {
		t.Errorf("Mask = %s", got)
	}
}
