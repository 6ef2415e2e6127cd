// Package incentive pays co-trainers: honorarium rates per JP from
// versioned rate tables (ceilings set by regulation, institution rates at or
// below them), PPh 21 withholding from a table of tax rules, and a ledger
// that moves draft → approved → paid and is corrected only by reversals.
// Money is integer rupiah; every division says how it rounds.
package incentive

import (
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/scheduling"
)

// Class is the kind of payment a trainer receives (SBM items 9 and 19).
type Class string

// Trainer classes.
const (
	WidyaiswaraInternal Class = "widyaiswara_internal"
	PengajarLuarSatker  Class = "pengajar_luar_satker"
	Penceramah          Class = "penceramah"
	NarasumberMenteri   Class = "narasumber_menteri"
	NarasumberEselonI   Class = "narasumber_eselon_i"
	NarasumberEselonII  Class = "narasumber_eselon_ii"
	NarasumberEselonIII Class = "narasumber_eselon_iii"
	NarasumberPakar     Class = "narasumber_pakar_praktisi"
	Moderator           Class = "moderator"
	PembawaAcara        Class = "pembawa_acara"
)

// Classes lists every class.
func Classes() []Class {
	return []Class{WidyaiswaraInternal, PengajarLuarSatker, Penceramah, NarasumberMenteri, NarasumberEselonI,
		NarasumberEselonII, NarasumberEselonIII, NarasumberPakar, Moderator, PembawaAcara}
}

// ValidClass reports whether c is a known class.
func ValidClass(c Class) bool {
	for _, x := range Classes() {
		if c == x {
			return true
		}
	}
	return false
}

// Unit is what a rate is paid per.
type Unit string

// Rate units: per JP (orang-jam), per time, per event.
const (
	PerJP       Unit = "per_jp"
	PerKali     Unit = "per_kali"
	PerKegiatan Unit = "per_kegiatan"
)

// Rate is one line of a rate table. National lines (InstitutionID 0) are
// ceilings set by regulation; an institution's own lines must not exceed
// the ceiling in force for the same year, funding, region and class.
type Rate struct {
	ID            int64
	InstitutionID int64
	Regulation    string
	FiscalYear    int
	Funding       scheduling.Funding
	// Region is "" for a national (APBN) line, else the province.
	Region    string
	Class     Class
	Unit      Unit
	Amount    int64
	Source    string
	CreatedAt time.Time
}

// Normalize checks a rate line.
func (r *Rate) Normalize() error {
	f := errs.Fields{}
	r.Regulation = strings.TrimSpace(r.Regulation)
	r.Region = strings.TrimSpace(r.Region)
	r.Source = strings.TrimSpace(r.Source)
	if r.Regulation == "" {
		f.Add("regulation", "is required, such as PMK 49/2023")
	}
	if r.FiscalYear < 2000 || r.FiscalYear > 2100 {
		f.Add("fiscal_year", "must be a year such as 2026")
	}
	if r.Funding != scheduling.APBN && r.Funding != scheduling.APBD {
		f.Add("funding", "must be APBN or APBD")
	}
	if r.Funding == scheduling.APBD && r.Region == "" && r.InstitutionID == 0 {
		f.Add("region", "an APBD ceiling belongs to a region (Perpres 33/2020 and the Pergub)")
	}
	if !ValidClass(r.Class) {
		names := make([]string, 0, 10)
		for _, c := range Classes() {
			names = append(names, string(c))
		}
		f.Addf("class", "is not a known rate class; use one of %s", strings.Join(names, ", "))
	}
	switch r.Unit {
	case PerJP, PerKali, PerKegiatan:
	default:
		f.Add("unit", "must be per_jp, per_kali or per_kegiatan")
	}
	if r.Amount <= 0 || r.Amount > 100_000_000 {
		f.Add("amount", "must be a positive whole number of rupiah up to 100,000,000")
	}
	if r.Source == "" && r.InstitutionID == 0 {
		f.Add("source", "is required for a ceiling: name the regulation text")
	}
	return f.Err()
}

// ErrAboveCeiling refuses an institution rate above the national ceiling.
var ErrAboveCeiling = errs.New(errs.Invalid, "above_ceiling", "the rate is above the ceiling in force")

// ErrNoRate says no rate applies to a payment.
var ErrNoRate = errs.New(errs.Conflict, "no_rate", "no rate table line applies; add one for this year, funding, region and class")

// InForce picks the rate for a class on a session: the institution's own
// line if any, else the ceiling, for the session's fiscal year (or, when
// that year has no table yet, the latest earlier year), funding and region
// (an exact region first, then a national line).
func InForce(rates []Rate, inst int64, class Class, year int, funding scheduling.Funding, region string) (Rate, bool) {
	best, found := Rate{}, false
	score := func(r Rate) int {
		s := r.FiscalYear * 10
		if r.InstitutionID == inst {
			s += 4
		}
		if strings.EqualFold(r.Region, region) && region != "" {
			s += 2
		}
		return s
	}
	for _, r := range rates {
		if r.Class != class || r.Funding != funding || r.FiscalYear > year {
			continue
		}
		if r.InstitutionID != 0 && r.InstitutionID != inst {
			continue
		}
		if r.Region != "" && !strings.EqualFold(r.Region, region) {
			continue
		}
		if !found || score(r) > score(best) {
			best, found = r, true
		}
	}
	return best, found
}

// Ceiling returns the national line an institution rate is held to.
func Ceiling(rates []Rate, r Rate) (Rate, bool) {
	return InForce(nationalOnly(rates), 0, r.Class, r.FiscalYear, r.Funding, r.Region)
}

// CeilingRegions are the regions that have a ceiling of a funding, in
// the order of the rates and each once: the values an APBD rate's region
// may take.
func CeilingRegions(rates []Rate, funding scheduling.Funding) []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range nationalOnly(rates) {
		if r.Funding == funding && r.Region != "" && !seen[strings.ToLower(r.Region)] {
			seen[strings.ToLower(r.Region)] = true
			out = append(out, r.Region)
		}
	}
	return out
}

func nationalOnly(rates []Rate) []Rate {
	var out []Rate
	for _, r := range rates {
		if r.InstitutionID == 0 {
			out = append(out, r)
		}
	}
	return out
}
