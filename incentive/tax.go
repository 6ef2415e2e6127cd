package incentive

import (
	"fmt"
	"strings"

	"sinergi/i18n"
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
	Base int64
	// Basis says how the tax was reached.
	Basis i18n.Text
}

// YearTax is the PPh 21 a payee without an employment is due on a yearly
// base: the Pasal 17 scale, 20% higher without NPWP/NIK.
func (t TaxRules) YearTax(p profile.Person, base int64) int64 {
	tax := t.Progressive(base)
	if !p.HasTaxID() {
		tax += bp(tax, t.NoTaxIDSurchargeBP)
	}
	return tax
}

// Withhold computes PPh 21 on a gross honorarium paid to p after the rows
// before it in ledger order (ytd). PNS are taxed final by golongan on each
// payment. Everyone else is taxed as a non-employee: 50% of gross at the
// progressive scale, cumulative over the fiscal year, so this payment
// withholds what the year's base through it is due less what the rows
// before it withheld; a difference left by rows that can no longer change
// (approved or paid) is absorbed here and the basis says so.
func (t TaxRules) Withhold(p profile.Person, gross int64, ytd YearToDate) (Withholding, error) {
	if p.Employment == profile.PNS {
		group := profile.GolonganGroup(p.Golongan)
		rate, ok := t.FinalByGroup[group]
		if !ok {
			return Withholding{}, fmt.Errorf("no final rate for golongan %q", p.Golongan)
		}
		return Withholding{Tax: bp(gross, rate),
			Basis: i18n.T("PPh 21 final %s%% for PNS golongan %s (PP 80/2010)", pct(rate), group)}, nil
	}
	base := bp(gross, t.NonEmployeeBaseBP)
	due := t.YearTax(p, ytd.Base+base)
	tax := due - ytd.Withheld
	basis := []i18n.Text{i18n.T("PPh 21 for non-employees: %s%% of gross = %s at the Pasal 17 scale on a yearly base of %s to %s (PMK 168/2023)",
		pct(t.NonEmployeeBaseBP), i18n.Rupiah(base), i18n.Rupiah(ytd.Base), i18n.Rupiah(ytd.Base+base))}
	switch {
	case p.HasTaxID():
		basis = append(basis, i18n.T("%s %s", strings.ToUpper(string(p.TaxIDStatus)), profile.Mask(p.TaxID)))
	case t.NoTaxIDSurchargeBP > 0 && p.TaxIDStatus != profile.TaxNone && p.TaxIDStatus != "":
		basis = append(basis, i18n.T("+%s%%: %s status without its number", pct(t.NoTaxIDSurchargeBP), strings.ToUpper(string(p.TaxIDStatus))))
	case t.NoTaxIDSurchargeBP > 0:
		basis = append(basis, i18n.T("+%s%% without NPWP/NIK", pct(t.NoTaxIDSurchargeBP)))
	}
	if diff := ytd.Withheld - t.YearTax(p, ytd.Base); diff != 0 {
		way := "too little"
		if diff > 0 {
			way = "too much"
		}
		basis = append(basis, i18n.T("absorbs %s withheld %s by earlier rows that can no longer change", i18n.Rupiah(abs(diff)), way))
	}
	return Withholding{Tax: tax, Base: base, Basis: i18n.Join("; ", basis...)}, nil
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func pct(bp int) string {
	s := fmt.Sprintf("%d.%02d", bp/100, bp%100)
	return strings.TrimSuffix(strings.TrimSuffix(s, "00"), ".")
}
