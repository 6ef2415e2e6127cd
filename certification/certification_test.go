package certification

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func sample() Certificate {
	return Certificate{ID: 42, InstitutionID: 1, Number: "0007/BPSDM-SULSEL/CT/2026", PersonID: 9, HolderName: "Marthen Rumbiak",
		HolderOrganisation: "BPBD Provinsi Papua", Role: "co_trainer", CourseID: 3, CourseName: "Manajemen Bencana",
		StartDate: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC),
		Place: "Aula BPSDM", JP: 8, Issuer: "BPSDM Provinsi Sulawesi Selatan", IssuerCode: "BPSDM-SULSEL", SignerName: "Dr. Andi",
		SignerTitle: "Kepala BPSDM", IssuedAt: time.Date(2026, 12, 9, 2, 0, 0, 0, time.UTC), Code: NewCode(), Status: Valid}
}

func TestSignatureRoundTrip(t *testing.T) {
	key, err := NewKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	c := sample()
	Sign(&c, key)
	if !Verify(c, key.Public) {
		t.Fatal("a fresh signature does not verify")
	}
	changes := map[string]func(c *Certificate){
		"holder name": func(c *Certificate) { c.HolderName = "Orang Lain" },
		"JP":          func(c *Certificate) { c.JP = 80 },
		"number":      func(c *Certificate) { c.Number = "0008/BPSDM-SULSEL/CT/2026" },
		"end date":    func(c *Certificate) { c.EndDate = c.EndDate.AddDate(0, 0, 1) },
		"course":      func(c *Certificate) { c.CourseName += " Lanjutan" },
	}
	for name, change := range changes {
		t.Run("a changed "+name+" fails verification", func(t *testing.T) {
			d := c
			change(&d)
			if Verify(d, key.Public) {
				t.Fatal("still verifies")
			}
		})
	}
	other, _ := NewKey(time.Now())
	if Verify(c, other.Public) {
		t.Fatal("verifies under another key")
	}
	if !json.Valid(c.Canonical()) || strings.Contains(string(c.Canonical()), "\n") {
		t.Fatal("canonical form is not compact JSON")
	}
}

func TestNumbering(t *testing.T) {
	issued := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ name, template, role, want string }{
		{"a co-trainer by the default template", DefaultTemplate, "co_trainer", "0007/BPSDM-JABAR/CT/2026"},
		{"a widyaiswara lead by the default template gets the lead's code", DefaultTemplate, "lead", "0007/BPSDM-JABAR/PJ/2026"},
		{"a lead by the old default that spells CT gets the lead's code", "{seq:04}/{code}/CT/{year}", "lead", "0007/BPSDM-JABAR/PJ/2026"},
		{"a co-trainer by the old default", "{seq:04}/{code}/CT/{year}", "co_trainer", "0007/BPSDM-JABAR/CT/2026"},
		{"CT inside a longer segment is text", "{seq}/DIKLAT-CT/{year}", "lead", "7/DIKLAT-CT/2026"},
		{"a template without a role", "SRT-{year}{month}-{seq}", "lead", "SRT-202603-7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FormatNumber(c.template, 7, "BPSDM-JABAR", c.role, issued); got != c.want {
				t.Fatalf("%q numbers a %s %q, want %q", c.template, c.role, got, c.want)
			}
		})
	}
	for _, bad := range []string{"{seq}", "{seq:04}/CT", "{code}/{year}", "{seq}/{year}/{nama}"} {
		if ValidateTemplate(bad) == nil {
			t.Errorf("template %q accepted", bad)
		}
	}
	if err := ValidateTemplate(DefaultTemplate); err != nil {
		t.Fatal(err)
	}
}

func TestCodes(t *testing.T) {
	a, b := NewCode(), NewCode()
	if a == b || !ValidCode(a) || ValidCode("0007/BPSDM/CT/2026") {
		t.Fatalf("codes %q %q", a, b)
	}
}

func TestStatusList(t *testing.T) {
	enc := EncodeStatusList([]int64{3, 42, 131071})
	for idx, want := range map[int64]bool{0: false, 3: true, 4: false, 42: true, 131071: true} {
		if got, err := StatusBit(enc, idx); err != nil || got != want {
			t.Errorf("bit %d = %v %v", idx, got, err)
		}
	}
	if _, err := StatusBit(enc, 131072); err == nil {
		t.Error("read past the list")
	}
	if big := EncodeStatusList([]int64{200000}); big == enc {
		t.Error("list did not grow")
	}
}

func TestBadgeProof(t *testing.T) {
	key, _ := NewKey(time.Now())
	c := sample()
	Sign(&c, key)
	doc := Badge(c, "https://sinergi.example.id", key)
	raw, _ := json.Marshal(doc)
	pub, _, err := CheckProof(raw)
	if err != nil || !pub.Equal(key.Public) {
		t.Fatalf("proof does not verify: %v", err)
	}
	tampered := strings.Replace(string(raw), "Marthen Rumbiak", "Orang Lain", 1)
	if _, _, err := CheckProof([]byte(tampered)); err == nil {
		t.Fatal("a tampered credential verifies")
	}
	if !strings.HasPrefix(DIDKey(key.Public), "did:key:z6Mk") {
		t.Fatalf("did:key %s does not have the Ed25519 prefix", DIDKey(key.Public))
	}
	back, err := publicFromDIDKey(VerificationMethod(key.Public))
	if err != nil || !back.Equal(key.Public) {
		t.Fatal("did:key does not round-trip")
	}
}

func TestPDFRenders(t *testing.T) {
	c := sample()
	doc, err := PDF(c, "https://sinergi.example.id/verify/"+c.Code)
	if err != nil || len(doc) < 1000 || string(doc[:5]) != "%PDF-" {
		t.Fatalf("pdf: %v, %d bytes", err, len(doc))
	}
}
