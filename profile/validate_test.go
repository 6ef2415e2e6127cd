package profile

import (
	"strings"
	"testing"
	"time"

	"sinergi/errs"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func TestCheckNIP(t *testing.T) {
	tests := []struct {
		name, nip, wantProblem string
	}{
		{"accepts a well-formed NIP", "198503102010011002", ""},
		{"rejects fewer than 18 digits", "19850310201001100", "must be 18 digits"},
		{"rejects letters", "19850310201001100A", "must be 18 digits"},
		{"rejects impossible birth date", "198502302010011002", "digits 1-8 must be a real birth date (YYYYMMDD)"},
		{"rejects birth date in the future", "202712012010011002", "digits 1-8 must be a real birth date (YYYYMMDD)"},
		{"rejects TMT month 13", "198503102010131002", "digits 9-14 must be the TMT year and month (YYYYMM), not in the future"},
		{"rejects TMT in the future", "198503102027011002", "digits 9-14 must be the TMT year and month (YYYYMM), not in the future"},
		{"rejects TMT before age 15", "198503101995011002", "TMT in digits 9-14 must be at least 15 years after the birth date"},
		{"rejects sex digit 3", "198503102010013002", "digit 15 must be 1 (male) or 2 (female)"},
		{"rejects sequence 000", "198503102010011000", "digits 16-18 must be a sequence number from 001"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CheckNIP(tt.nip, today); got != tt.wantProblem {
				t.Errorf("CheckNIP(%q) = %q, want %q", tt.nip, got, tt.wantProblem)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"0812-3456-7890", "+6281234567890"},
		{"62 812 3456 7890", "+6281234567890"},
		{"+62 (21) 555-1234", "+62215551234"},
		{"+1 555 1234567", ""},
		{"0812", ""},
		{"+620812345678", ""},
		{"0812x3456789", ""},
	}
	for _, tt := range tests {
		got, ok := NormalizePhone(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func TestNormalizeEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Budi.Santoso@BPSDM.JabarProv.go.id ", "budi.santoso@bpsdm.jabarprov.go.id"},
		{"Budi <budi@x.id>", ""},
		{"budi@localhost", ""},
		{"budi", ""},
		{"a@b@c.id", ""},
	}
	for _, tt := range tests {
		got, ok := NormalizeEmail(tt.in)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("NormalizeEmail(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

func validWidyaiswara() Person {
	return Person{Kind: Widyaiswara, Name: "Dewi Lestari", Email: "dewi@bpsdm.go.id", Phone: "081234567890",
		NIP: "198503102010012003", Jenjang: AhliMuda, Golongan: "III/c", Employment: PNS, TaxIDStatus: TaxNPWP,
		Zone: "Asia/Makassar", Organisation: "BPSDM Sulsel"}
}

func validPractitioner() Person {
	return Person{Kind: Practitioner, Name: "Marthen Rumbiak", Email: "marthen@example.id", Organisation: "BPBD Papua",
		Employment: NonASN, TaxIDStatus: TaxNone, Zone: "Asia/Jayapura", Expertise: []string{" logistik ", ""}}
}

// fieldsOf returns the field map of a validation error, or nil.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Invalid || e.Code != "validation_failed" {
		t.Fatalf("want a validation error, got %v", err)
	}
	return e.Fields
}

func TestPersonNormalize(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Person)
		base   func() Person
		field  string
		want   string
	}{
		{"accepts a valid widyaiswara", func(*Person) {}, validWidyaiswara, "", ""},
		{"accepts a valid practitioner", func(*Person) {}, validPractitioner, "", ""},
		{"rejects jenjang that does not fit golongan", func(p *Person) { p.Golongan = "IV/a" }, validWidyaiswara,
			"golongan", "does not fit jenjang ahli_muda (allowed: III/c, III/d)"},
		{"accepts Ahli Utama at IV/e", func(p *Person) { p.Jenjang, p.Golongan = AhliUtama, "IV/e" }, validWidyaiswara, "", ""},
		{"rejects Ahli Pertama at III/c", func(p *Person) { p.Jenjang, p.Golongan = AhliPertama, "III/c" }, validWidyaiswara,
			"golongan", "does not fit jenjang ahli_pertama (allowed: III/a, III/b)"},
		{"rejects golongan III/e", func(p *Person) { p.Golongan = "III/e" }, validWidyaiswara,
			"golongan", "must be a golongan/ruang from I/a to IV/e, such as III/c"},
		{"rejects unknown jenjang", func(p *Person) { p.Jenjang = "ahli_super" }, validWidyaiswara,
			"jenjang", "must be ahli_pertama, ahli_muda, ahli_madya or ahli_utama"},
		{"requires NIP of a widyaiswara", func(p *Person) { p.NIP = "" }, validWidyaiswara,
			"nip", "is required for ASN and widyaiswara"},
		{"rejects a non-ASN widyaiswara", func(p *Person) { p.Employment = NonASN }, validWidyaiswara,
			"employment", "a widyaiswara is ASN (pns or pppk)"},
		{"rejects a zone outside Indonesia", func(p *Person) { p.Zone = "Asia/Singapore" }, validWidyaiswara,
			"zone", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura"},
		{"rejects a foreign phone", func(p *Person) { p.Phone = "+6512345678" }, validWidyaiswara,
			"phone", "must be an Indonesian number such as +6281234567890 or 081234567890"},
		{"rejects a bad e-mail", func(p *Person) { p.Email = "dewi at bpsdm" }, validWidyaiswara,
			"email", "must be a plain e-mail address such as nama@instansi.go.id"},
		{"requires organisation of a practitioner", func(p *Person) { p.Organisation = " " }, validPractitioner,
			"organisation", "is required for practitioners"},
		{"rejects jenjang on a practitioner", func(p *Person) { p.Jenjang = AhliMuda }, validPractitioner,
			"jenjang", "only widyaiswara have a jenjang"},
		{"requires NIP of an ASN practitioner", func(p *Person) { p.Employment = PNS }, validPractitioner,
			"nip", "is required for ASN and widyaiswara"},
		{"rejects golongan of a non-ASN", func(p *Person) { p.Golongan = "III/a" }, validPractitioner,
			"golongan", "non-ASN people have no golongan"},
		{"rejects unknown tax status", func(p *Person) { p.TaxIDStatus = "maybe" }, validPractitioner,
			"tax_id_status", "must be npwp, nik or none"},
		{"rejects negative experience", func(p *Person) { p.ExperienceYears = -1 }, validPractitioner,
			"experience_years", "must be between 0 and 70"},
		{"rejects unknown kind", func(p *Person) { p.Kind = "guru" }, validPractitioner,
			"kind", "must be widyaiswara or practitioner"},
		{"rejects a one-letter name", func(p *Person) { p.Name = " X " }, validPractitioner,
			"name", "must be 2 to 200 characters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.base()
			tt.change(&p)
			fields := fieldsOf(t, p.Normalize(today))
			if tt.field == "" {
				if fields != nil {
					t.Fatalf("want valid, got %v", fields)
				}
				return
			}
			if got := fields[tt.field]; got != tt.want {
				t.Errorf("field %s = %q, want %q (all: %v)", tt.field, got, tt.want, fields)
			}
		})
	}
}

func TestPersonNormalizeCanonicalises(t *testing.T) {
	p := validWidyaiswara()
	p.Email, p.Name = "Dewi@BPSDM.go.id", "  Dewi   Lestari "
	if err := p.Normalize(today); err != nil {
		t.Fatal(err)
	}
	if p.Email != "dewi@bpsdm.go.id" || p.Phone != "+6281234567890" || p.Name != "Dewi Lestari" {
		t.Errorf("not canonical: email %q phone %q name %q", p.Email, p.Phone, p.Name)
	}
	q := validPractitioner()
	if err := q.Normalize(today); err != nil {
		t.Fatal(err)
	}
	if len(q.Expertise) != 1 || q.Expertise[0] != "logistik" {
		t.Errorf("expertise = %q, want [logistik]", q.Expertise)
	}
}

func TestNormalizeCompetencies(t *testing.T) {
	err := NormalizeCompetencies([]PersonCompetency{{CompetencyID: 1, Level: 3}, {CompetencyID: 1, Level: 6}, {Level: 0}})
	fields := fieldsOf(t, err)
	want := map[string]string{
		"competencies[1].competency_id": "appears more than once",
		"competencies[1].level":         "must be 1 to 5",
		"competencies[2].competency_id": "is required",
		"competencies[2].level":         "must be 1 to 5",
	}
	for k, v := range want {
		if fields[k] != v {
			t.Errorf("%s = %q, want %q", k, fields[k], v)
		}
	}
	if len(fields) != len(want) {
		t.Errorf("fields = %v", fields)
	}
	if err := NormalizeCompetencies([]PersonCompetency{{CompetencyID: 1, Level: 5}}); err != nil {
		t.Errorf("valid set refused: %v", err)
	}
}

func TestJenjangRank(t *testing.T) {
	if AhliPertama.Rank() != 1 || AhliUtama.Rank() != 4 || Jenjang("x").Rank() != 0 {
		t.Error("ranks wrong")
	}
}

// The roster filter's rule, shared by the API's query and the console's
// search form.
func TestFilterCheck(t *testing.T) {
	for _, tc := range []struct {
		f     Filter
		field string
	}{
		{Filter{}, ""},
		{Filter{Competency: "integritas", MinLevel: 3}, ""},
		{Filter{Kind: "dosen"}, "kind"},
		{Filter{Zone: "Asia/Singapore"}, "zone"},
		{Filter{MinLevel: 3}, "min_level"},
		{Filter{Competency: "integritas", MinLevel: 6}, "min_level"},
		{Filter{Competency: "integritas", MinLevel: -1}, "min_level"},
		{Filter{Q: strings.Repeat("a", 101)}, "q"},
	} {
		err := tc.f.Check()
		e, _ := errs.As(err)
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: %v", tc.f, err)
		case tc.field != "" && (e == nil || e.Fields[tc.field] == ""):
			t.Errorf("%+v: want a problem with %s, got %v", tc.f, tc.field, err)
		}
	}
}
