package profile

import (
	"strings"
	"time"

	"sinergi/errs"
)

// HasTaxID reports whether the person gave a tax identity: a status of
// NPWP or NIK and its number. Without one, PPh 21 is 20% higher.
func (p Person) HasTaxID() bool {
	return p.TaxIDStatus != TaxNone && p.TaxIDStatus != "" && p.TaxID != ""
}

// nikProvinces are the province codes that open a NIK (Kemendagri area
// codes, Permendagri 72/2019 and the Papua provinces of 2022).
var nikProvinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true, "16": true, "17": true, "18": true, "19": true, "21": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "51": true, "52": true, "53": true,
	"61": true, "62": true, "63": true, "64": true, "65": true, "71": true, "72": true, "73": true, "74": true, "75": true,
	"76": true, "81": true, "82": true, "91": true, "92": true, "93": true, "94": true, "95": true, "96": true,
}

// CheckNIK validates a 16-digit NIK (UU 24/2013 Adminduk): province,
// regency and district codes, the birth date as DDMMYY with 40 added to
// the day for women, and a sequence from 0001. It returns a sentence
// describing the first problem, or "".
func CheckNIK(nik string) string {
	if len(nik) != 16 || strings.Trim(nik, "0123456789") != "" {
		return "a NIK has 16 digits"
	}
	if !nikProvinces[nik[:2]] {
		return "digits 1-2 of a NIK must be a province code such as 73 (Sulawesi Selatan)"
	}
	if nik[2:4] == "00" || nik[4:6] == "00" {
		return "digits 3-6 of a NIK are the regency and district codes, never 00"
	}
	day := int(nik[6]-'0')*10 + int(nik[7]-'0')
	if day > 40 {
		day -= 40
	}
	date := nik[8:12] // MMYY
	valid := false
	for _, century := range []string{"19", "20"} {
		if _, err := time.Parse("02012006", twoDigits(day)+date[:2]+century+date[2:]); err == nil {
			valid = true
		}
	}
	if !valid {
		return "digits 7-12 of a NIK must be the birth date as DDMMYY (day + 40 for women)"
	}
	if nik[12:] == "0000" {
		return "digits 13-16 of a NIK must be a sequence number from 0001"
	}
	return ""
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }

// NormalizeNPWP returns the 16-digit NPWP in force since 2024 (PMK
// 112/2022): a resident's NIK, or a 15-digit NPWP with 0 put in front
// (Pasal 7). It returns a sentence describing the problem, or "".
func NormalizeNPWP(npwp string) (string, string) {
	n, problem := normalizeNPWP(npwp)
	return n, problem.String()
}

// normalizeNPWP is NormalizeNPWP with the problem kept as a text, so that
// a NIK's problem inside it is told in the reader's language too.
func normalizeNPWP(npwp string) (string, errs.Text) {
	if strings.Trim(npwp, "0123456789") != "" || (len(npwp) != 15 && len(npwp) != 16) {
		return "", errs.Text{Format: "an NPWP has 16 digits (a 15-digit NPWP from before 2024 gets 0 in front)"}
	}
	if len(npwp) == 15 {
		npwp = "0" + npwp
	}
	if npwp[0] != '0' {
		if problem := CheckNIK(npwp); problem != "" {
			return "", errs.Text{Format: "a 16-digit NPWP not starting with 0 is a NIK: %s", Args: []any{problem}}
		}
	}
	return npwp, errs.Text{}
}

// Mask hides all but the first and last four digits of an identity number,
// as staff pages and the public verification page show it:
// 1985**********2001.
func Mask(s string) string {
	if len(s) <= 8 {
		return strings.Repeat("*", len(s))
	}
	return s[:4] + strings.Repeat("*", len(s)-8) + s[len(s)-4:]
}
