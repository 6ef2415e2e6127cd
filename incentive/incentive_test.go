package incentive

import (
	"strings"
	"testing"
	"time"

	"sinergi/profile"
	"sinergi/scheduling"
)

// rules2026 are the PPh 21 rules as the migration seeds them.
func rules2026() TaxRules {
	return TaxRules{Year: 2026, FinalByGroup: map[string]int{"I": 0, "II": 0, "III": 500, "IV": 1500},
		Bands:             []Band{{60_000_000, 500}, {250_000_000, 1500}, {500_000_000, 2500}, {5_000_000_000, 3000}, {0, 3500}},
		NonEmployeeBaseBP: 5000, NoTaxIDSurchargeBP: 2000}
}

func TestPNSFinalTax(t *testing.T) {
	tests := []struct {
		golongan string
		gross    int64
		want     int64
	}{
		{"II/d", 3_600_000, 0},
		{"III/c", 3_600_000, 180_000},
		{"IV/b", 3_600_000, 540_000},
		{"III/a", 333_333, 16_666}, // 16,666.65 rounds down
	}
	for _, tt := range tests {
		p := profile.Person{Employment: profile.PNS, Golongan: tt.golongan}
		w, err := rules2026().Withhold(p, tt.gross, YearToDate{})
		if err != nil || w.Tax != tt.want || w.Base != 0 || !strings.Contains(w.Basis.String(), "PP 80/2010") {
			t.Errorf("%s on %d: %+v %v, want %d", tt.golongan, tt.gross, w, err, tt.want)
		}
	}
}

func TestNonEmployeeTax(t *testing.T) {
	tests := []struct {
		name    string
		gross   int64
		ytdBase int64
		status  profile.TaxIDStatus
		want    int64
	}{
		{"first band: 2.5% of gross", 2_000_000, 0, profile.TaxNPWP, 50_000},
		{"crossing 60 jt within the year", 4_000_000, 59_000_000, profile.TaxNPWP, 50_000 + 150_000},
		{"wholly in the second band", 4_000_000, 70_000_000, profile.TaxNIK, 300_000},
		{"20% more without NPWP/NIK", 2_000_000, 0, profile.TaxNone, 60_000},
		{"crossing 60 jt without NPWP", 4_000_000, 59_000_000, profile.TaxNone, 240_000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := profile.Person{Employment: profile.NonASN, TaxIDStatus: tt.status}
			if tt.status != profile.TaxNone {
				p.TaxID = "7371014507850001"
			}
			r := rules2026()
			w, err := r.Withhold(p, tt.gross, YearToDate{Base: tt.ytdBase, Withheld: r.YearTax(p, tt.ytdBase)})
			if err != nil || w.Tax != tt.want || w.Base != tt.gross/2 {
				t.Fatalf("got %+v %v, want tax %d", w, err, tt.want)
			}
		})
	}
}

func TestProgressiveScale(t *testing.T) {
	r := rules2026()
	for base, want := range map[int64]int64{0: 0, 60_000_000: 3_000_000, 250_000_000: 3_000_000 + 28_500_000,
		6_000_000_000: 3_000_000 + 28_500_000 + 62_500_000 + 1_350_000_000 + 350_000_000} {
		if got := r.Progressive(base); got != want {
			t.Errorf("Progressive(%d) = %d, want %d", base, got, want)
		}
	}
}

var makassar = scheduling.Session{ID: 5, Zone: "Asia/Makassar", JP: 4, Start: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC),
	End: time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC)}
var apbd = scheduling.Course{ID: 3, Funding: scheduling.APBD, Region: "Sulawesi Selatan", OrganisingUnit: "Bidang PKM"}

func rates() []Rate {
	return []Rate{
		{ID: 1, Regulation: "Pergub 2025", FiscalYear: 2025, Funding: scheduling.APBD, Region: "Sulawesi Selatan", Class: Penceramah, Unit: PerJP, Amount: 800_000},
		{ID: 2, Regulation: "Pergub 2026", FiscalYear: 2026, Funding: scheduling.APBD, Region: "Sulawesi Selatan", Class: Penceramah, Unit: PerJP, Amount: 900_000},
		{ID: 3, InstitutionID: 7, Regulation: "SK Kepala BPSDM", FiscalYear: 2026, Funding: scheduling.APBD, Region: "Sulawesi Selatan", Class: Penceramah, Unit: PerJP, Amount: 750_000},
		{ID: 4, Regulation: "Pergub 2026", FiscalYear: 2026, Funding: scheduling.APBD, Region: "Papua", Class: Penceramah, Unit: PerJP, Amount: 1_100_000},
		{ID: 5, Regulation: "Pergub 2025", FiscalYear: 2025, Funding: scheduling.APBD, Region: "Sulawesi Selatan", Class: WidyaiswaraInternal, Unit: PerJP, Amount: 300_000},
	}
}

func TestRateInForce(t *testing.T) {
	tests := []struct {
		name   string
		inst   int64
		class  Class
		year   int
		region string
		want   int64
	}{
		{"the institution's own rate wins", 7, Penceramah, 2026, "Sulawesi Selatan", 3},
		{"another institution gets the ceiling", 8, Penceramah, 2026, "Sulawesi Selatan", 2},
		{"the session's year decides", 8, Penceramah, 2025, "Sulawesi Selatan", 1},
		{"the region decides", 8, Penceramah, 2026, "Papua", 4},
		{"a year without a table falls back to the latest earlier", 8, WidyaiswaraInternal, 2027, "Sulawesi Selatan", 5},
		{"no line for an unknown region", 8, Penceramah, 2026, "Aceh", 0},
	}
	for _, tt := range tests {
		r, ok := InForce(rates(), tt.inst, tt.class, tt.year, scheduling.APBD, tt.region)
		if (tt.want == 0) == ok || (ok && r.ID != tt.want) {
			t.Errorf("%s: got %d %v, want %d", tt.name, r.ID, ok, tt.want)
		}
	}
}

func TestCompute(t *testing.T) {
	booking := scheduling.Booking{ID: 9, InstitutionID: 7, SessionID: 5, PersonID: 11, Status: scheduling.Completed, ActualJP: 3}
	practitioner := profile.Person{ID: 11, InstitutionID: 7, Kind: profile.Practitioner, Employment: profile.NonASN,
		TaxIDStatus: profile.TaxNPWP, TaxID: "0012345678901000", Unit: "Logistik", Organisation: "BPBD"}
	t.Run("a practitioner is paid per JP taught at the institution's rate", func(t *testing.T) {
		h, err := Compute(Input{Booking: booking, Session: makassar, Course: apbd, Person: practitioner, Rates: rates(), Tax: rules2026()})
		if err != nil {
			t.Fatal(err)
		}
		if h.Class != Penceramah || h.PaidJP != 3 || h.Gross != 2_250_000 || h.Tax != 56_250 || h.Net != 2_193_750 || h.Status != Draft || h.Month != 202612 {
			t.Fatalf("%+v", h)
		}
	})
	t.Run("an internal widyaiswara is paid only above the yearly minimum", func(t *testing.T) {
		w := profile.Person{ID: 12, InstitutionID: 7, Kind: profile.Widyaiswara, Employment: profile.PNS, Golongan: "IV/a"}
		b := booking
		b.PersonID, b.ActualJP = 12, 4
		h, err := Compute(Input{Booking: b, Session: makassar, Course: apbd, Person: w, Rates: rates(), Tax: rules2026(),
			YTD: YearToDate{JP: 8}, MinimumJP: 10})
		if err != nil {
			t.Fatal(err)
		}
		if h.Class != WidyaiswaraInternal || h.JP != 4 || h.PaidJP != 2 || h.Gross != 600_000 || h.Tax != 90_000 ||
			!strings.Contains(h.Basis.String(), "no 2026 table yet") {
			t.Fatalf("%+v", h)
		}
	})
	t.Run("a practitioner from the organising unit is not paid", func(t *testing.T) {
		p := practitioner
		p.Unit = "Bidang PKM"
		h, err := Compute(Input{Booking: booking, Session: makassar, Course: apbd, Person: p, Rates: rates(), Tax: rules2026()})
		if err != nil || h.Gross != 0 || h.PaidJP != 0 {
			t.Fatalf("%+v %v", h, err)
		}
	})
	t.Run("no rate is a clear error", func(t *testing.T) {
		c := apbd
		c.Region = "Aceh"
		if _, err := Compute(Input{Booking: booking, Session: makassar, Course: c, Person: practitioner, Rates: rates(), Tax: rules2026()}); err == nil ||
			!strings.Contains(err.Error(), "no_rate") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestLedgerWorkflow(t *testing.T) {
	now := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC)
	h := Honorarium{ID: 1, Status: Draft, Gross: 100, Tax: 5, Net: 95, JP: 2, PaidJP: 2}
	if err := Pay(&h, 1, now, Payment{}); err == nil {
		t.Fatal("paid a draft")
	}
	if err := Approve(&h, 1, now); err != nil || h.Status != Approved {
		t.Fatal(err)
	}
	if err := Approve(&h, 1, now); err == nil {
		t.Fatal("approved twice")
	}
	if _, err := Reversal(h); err == nil {
		t.Fatal("reversed an unpaid row")
	}
	if err := Pay(&h, 2, now, Payment{Reference: "SP2D 0001"}); err != nil || h.Status != Paid || h.PaidBy != 2 {
		t.Fatal(err)
	}
	r, err := Reversal(h)
	if err != nil || r.Gross != -100 || r.Tax != -5 || r.Net != -95 || r.ReversesID != 1 || r.Status != Draft {
		t.Fatalf("%+v %v", r, err)
	}
	if !h.Reversible() || !h.CountsAsPaid() || !r.CountsAsPaid() {
		t.Fatal("a paid row and its reversal both count as paid, so that they net")
	}
	h.ReversedBy = 2
	if _, err := Reversal(h); err == nil || !strings.Contains(err.Error(), "already reversed") || h.Reversible() {
		t.Fatalf("a reversed row reversed again: %v", err)
	}
}

func TestFormatRupiah(t *testing.T) {
	for n, want := range map[int64]string{0: "Rp0", 900: "Rp900", 1000: "Rp1.000", 1_700_000: "Rp1.700.000", -25_000: "-Rp25.000"} {
		if got := FormatRupiah(n); got != want {
			t.Errorf("FormatRupiah(%d) = %q, want %q", n, got, want)
		}
	}
}
