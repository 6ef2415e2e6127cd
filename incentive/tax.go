package incentive

import (
	"fmt"
	"strings"

	"sinergi/profile"
)

// Band is one step of the Pasal 17(1)(a) progressive scale: income up to
// Upper (0 for no limit) is taxed at RateBP basis points.
type Band struct {
	Upper  int64
	RateBP int
}

// TaxRules are the PPh 21 rules of a year, loaded from the tax_rules table.
type TaxRules struct {
	Year int
	// FinalByGroup is the final rate for PNS by golongan group (I, II, III,
	// IV) on honoraria paid from APBN/APBD (PP 80/2010 Pasal 4).
	FinalByGroup map[string]int
	// Bands are the progressive scale for non-employees (bukan pegawai).
	Bands []Band
	// NonEmployeeBaseBP is the share of gross that is taxed (PMK 168/2023: 50%).
	NonEmployeeBaseBP int
	// NoTaxIDSurchargeBP is added to the tax of a payee without NPWP/NIK.
	NoTaxIDSurchargeBP int
}

// bp multiplies an amount by basis points, rounding down to whole rupiah:
// withholding never exceeds the exact figure.
func bp(amount int64, rateBP int) int64 { return amount * int64(rateBP) / 10000 }

// Progressive is the Pasal 17 tax on a yearly base, rounded down per band.
func (t TaxRules) Progressive(base int64) int64 {
	var tax, lower int64
	for _, b := range t.Bands {
		if base <= lower {
			break
		}
		top := base
		if b.Upper > 0 && b.Upper < top {
			top = b.Upper
		}
		tax += bp(top-lower, b.RateBP)
		if b.Upper == 0 {
			break
		}
		lower = b.Upper
	}
	return tax
}

// Withholding is the PPh 21 on one payment and how it was reached.
type Withholding struct {
	Tax int64
	// Base is the taxed base this payment adds to the year (non-employees).
	Base  int64
	Basis string
}

// Withhold computes PPh 21 on a gross honorarium paid to p. PNS are taxed
// final by golongan; everyone else as a non-employee: 50% of gross at the
// progressive scale, cumulative over the calendar year (baseYTD is the base
// already taxed this year), plus the surcharge without NPWP/NIK.
func (t TaxRules) Withhold(p profile.Person, gross, baseYTD int64) (Withholding, error) {
	if gross < 0 {
		return Withholding{}, fmt.Errorf("negative gross %d", gross)
	}
	if p.Employment == profile.PNS {
		group := profile.GolonganGroup(p.Golongan)
		rate, ok := t.FinalByGroup[group]
		if !ok {
			return Withholding{}, fmt.Errorf("no final rate for golongan %q", p.Golongan)
		}
		return Withholding{Tax: bp(gross, rate),
			Basis: fmt.Sprintf("PPh 21 final %s%% for PNS golongan %s (PP 80/2010)", pct(rate), group)}, nil
	}
	base := bp(gross, t.NonEmployeeBaseBP)
	tax := t.Progressive(baseYTD+base) - t.Progressive(baseYTD)
	basis := fmt.Sprintf("PPh 21 bukan pegawai: %s%% of gross = Rp%d at the Pasal 17 scale on a yearly base of Rp%d to Rp%d (PMK 168/2023)",
		pct(t.NonEmployeeBaseBP), base, baseYTD, baseYTD+base)
	if p.TaxIDStatus == profile.TaxNone && t.NoTaxIDSurchargeBP > 0 {
		tax += bp(tax, t.NoTaxIDSurchargeBP)
		basis += fmt.Sprintf("; +%s%% without NPWP/NIK", pct(t.NoTaxIDSurchargeBP))
	}
	return Withholding{Tax: tax, Base: base, Basis: basis}, nil
}

func pct(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	return strings.TrimSuffix(strings.TrimSuffix(s, "00"), ".")
}
