package profile

import (
	"fmt"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"sinergi/errs"
	"sinergi/tz"
)

// golonganRe matches I/a … IV/e (IV/e is the only "e").
var golonganRe = regexp.MustCompile(`^(I|II|III)/[a-d]$|^IV/[a-e]$`)

// jenjangGolongan lists the golongan each jenjang may hold (PerBKN 3/2023).
var jenjangGolongan = map[Jenjang][]string{
	AhliPertama: {"III/a", "III/b"},
	AhliMuda:    {"III/c", "III/d"},
	AhliMadya:   {"IV/a", "IV/b", "IV/c"},
	AhliUtama:   {"IV/d", "IV/e"},
}

// ValidGolongan reports whether g is a golongan/ruang from I/a to IV/e.
func ValidGolongan(g string) bool { return golonganRe.MatchString(g) }

// GolonganGroup returns the roman group (I, II, III or IV) of a golongan.
func GolonganGroup(g string) string {
	group, _, _ := strings.Cut(g, "/")
	return group
}

// CheckNIP validates an 18-digit NIP: birth date (YYYYMMDD), TMT CPNS
// (YYYYMM) after the person turned 15, sex digit 1 or 2, then a sequence.
// It returns a sentence describing the first problem, or "".
func CheckNIP(nip string, today time.Time) string {
	if len(nip) != 18 || strings.Trim(nip, "0123456789") != "" {
		return "must be 18 digits"
	}
	birth, err := time.Parse("20060102", nip[:8])
	if err != nil || birth.Year() < 1940 || birth.After(today) {
		return "digits 1-8 must be a real birth date (YYYYMMDD)"
	}
	tmt, err := time.Parse("200601", nip[8:14])
	if err != nil || tmt.After(today) {
		return "digits 9-14 must be the TMT year and month (YYYYMM), not in the future"
	}
	if tmt.Before(birth.AddDate(15, 0, 0)) {
		return "TMT in digits 9-14 must be at least 15 years after the birth date"
	}
	if nip[14] != '1' && nip[14] != '2' {
		return "digit 15 must be 1 (male) or 2 (female)"
	}
	if nip[15:] == "000" {
		return "digits 16-18 must be a sequence number from 001"
	}
	return ""
}

// CheckPPPKNIP validates the 18-digit Nomor Induk of a PPPK (BKN): birth
// date (YYYYMMDD), the year of first appointment as PPPK (YYYY, from 2019,
// when the first PPPK were appointed under PP 49/2018), a two-digit code
// where a PNS NIP has the TMT month (21 for PPPK, 24 for PPPK paruh waktu),
// sex digit 1 or 2, then a sequence. It returns a sentence describing the
// first problem, or "".
func CheckPPPKNIP(nip string, today time.Time) string {
	if len(nip) != 18 || strings.Trim(nip, "0123456789") != "" {
		return "must be 18 digits"
	}
	birth, err := time.Parse("20060102", nip[:8])
	if err != nil || birth.Year() < 1940 || birth.After(today) {
		return "digits 1-8 must be a real birth date (YYYYMMDD)"
	}
	year, _ := strconv.Atoi(nip[8:12])
	if year < 2019 || year > today.Year() {
		return "digits 9-12 must be the year of appointment as PPPK (2019 or later, not in the future)"
	}
	if year < birth.Year()+15 {
		return "the appointment year in digits 9-12 must be at least 15 years after the birth date"
	}
	if code := nip[12:14]; code != pppkCode && code != pppkPartTimeCode {
		return "digits 13-14 of a PPPK NIP are the PPPK code 21 (or 24 for paruh waktu)"
	}
	if nip[14] != '1' && nip[14] != '2' {
		return "digit 15 must be 1 (male) or 2 (female)"
	}
	if nip[15:] == "000" {
		return "digits 16-18 must be a sequence number from 001"
	}
	return ""
}

// The codes in digits 13-14 of a PPPK NIP.
const (
	pppkCode         = "21"
	pppkPartTimeCode = "24"
)

// CheckASNNIP accepts the NIP of a PNS or of a PPPK (for officials such as
// a treasurer, whose employment is not recorded).
func CheckASNNIP(nip string, today time.Time) string {
	problem := CheckNIP(nip, today)
	if problem != "" && len(nip) == 18 && (nip[12:14] == pppkCode || nip[12:14] == pppkPartTimeCode) {
		return CheckPPPKNIP(nip, today)
	}
	return problem
}

// NormalizeEmail lower-cases and trims an address; ok is false when it is
// not a plain address (no display name, exactly one @, a dotted domain).
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", false
	}
	_, domain, _ := strings.Cut(s, "@")
	if !strings.Contains(domain, ".") || strings.HasSuffix(domain, ".") {
		return "", false
	}
	return s, true
}

// NormalizePhone turns 0812-3456-789, 62 812 3456 789 or +62812… into
// +62812…; ok is false for anything that is not an Indonesian number.
func NormalizePhone(s string) (string, bool) {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.':
		default:
			return "", false
		}
	}
	d := b.String()
	switch {
	case strings.HasPrefix(d, "62"):
		d = d[2:]
	case strings.HasPrefix(d, "0"):
		d = d[1:]
	default:
		return "", false
	}
	if len(d) < 8 || len(d) > 12 || d[0] == '0' {
		return "", false
	}
	return "+62" + d, true
}

// Normalize trims and canonicalises p's fields and checks every rule,
// returning a validation error naming each bad field.
func (p *Person) Normalize(today time.Time) error {
	f := errs.Fields{}
	p.Name = strings.Join(strings.Fields(p.Name), " ")
	p.Organisation = strings.TrimSpace(p.Organisation)
	p.Unit = strings.TrimSpace(p.Unit)
	p.NIP = strings.ReplaceAll(strings.TrimSpace(p.NIP), " ", "")
	expertise := p.Expertise[:0:0]
	for _, e := range p.Expertise {
		if e = strings.TrimSpace(e); e != "" {
			expertise = append(expertise, e)
		}
	}
	p.Expertise = expertise

	switch p.Kind {
	case Widyaiswara, Practitioner:
	default:
		f.Add("kind", "must be widyaiswara or practitioner")
	}
	if n := len([]rune(p.Name)); n < 2 || n > 200 {
		f.Add("name", "must be 2 to 200 characters")
	}
	// Text from any source (the API, a roster file) is checked here too:
	// control characters and broken UTF-8 reach neither the database nor
	// the invitations and certificates printed from it.
	for field, v := range map[string]string{"name": p.Name, "organisation": p.Organisation, "unit": p.Unit} {
		if problem := plainText(v); problem != "" {
			f.Add(field, problem)
		}
	}
	for i, e := range p.Expertise {
		if problem := plainText(e); problem != "" {
			f.Add(fmt.Sprintf("expertise[%d]", i), problem)
		}
	}
	if email, ok := NormalizeEmail(p.Email); ok {
		p.Email = email
	} else {
		f.Add("email", "must be a plain e-mail address such as nama@instansi.go.id")
	}
	if p.Phone != "" {
		if phone, ok := NormalizePhone(p.Phone); ok {
			p.Phone = phone
		} else {
			f.Add("phone", "must be an Indonesian number such as +6281234567890 or 081234567890")
		}
	}
	if !tz.Valid(p.Zone) {
		f.Add("zone", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura")
	}
	switch p.Employment {
	case PNS, PPPK, NonASN:
	default:
		f.Add("employment", "must be pns, pppk or non_asn")
	}
	switch p.TaxIDStatus {
	case TaxNPWP, TaxNIK, TaxNone:
	default:
		f.Add("tax_id_status", "must be npwp, nik or none")
	}
	p.TaxID = strings.NewReplacer(".", "", "-", "", " ", "").Replace(p.TaxID)
	if p.TaxID != "" {
		switch p.TaxIDStatus {
		case TaxNone:
			f.Add("tax_id_status", "must be npwp or nik when tax_id is given")
		case TaxNPWP:
			if npwp, problem := normalizeNPWP(p.TaxID); problem.Format != "" {
				f.Addf("tax_id", problem.Format, problem.Args...)
			} else {
				p.TaxID = npwp
			}
		case TaxNIK:
			if problem := CheckNIK(p.TaxID); problem != "" {
				f.Add("tax_id", problem)
			}
		}
	}
	if p.ExperienceYears < 0 || p.ExperienceYears > 70 {
		f.Add("experience_years", "must be between 0 and 70")
	}
	if len(p.Expertise) > 30 {
		f.Add("expertise", "at most 30 entries")
	}
	asn := p.Employment == PNS || p.Employment == PPPK
	if p.NIP != "" {
		check := CheckNIP
		if p.Employment == PPPK {
			check = CheckPPPKNIP
		}
		if problem := check(p.NIP, today); problem != "" {
			f.Add("nip", problem)
		}
	} else if asn || p.Kind == Widyaiswara {
		f.Add("nip", "is required for ASN and widyaiswara")
	}
	if p.Golongan != "" && !ValidGolongan(p.Golongan) {
		f.Add("golongan", "must be a golongan/ruang from I/a to IV/e, such as III/c")
	}
	if p.Kind == Widyaiswara {
		p.checkWidyaiswara(f)
	} else if p.Jenjang != "" {
		f.Add("jenjang", "only widyaiswara have a jenjang")
	}
	if p.Kind == Practitioner && p.Organisation == "" {
		f.Add("organisation", "is required for practitioners")
	}
	if p.Employment == NonASN && p.Golongan != "" {
		f.Add("golongan", "non-ASN people have no golongan")
	}
	return f.Err()
}

func (p *Person) checkWidyaiswara(f errs.Fields) {
	if p.Employment == NonASN {
		f.Add("employment", "a widyaiswara is ASN (pns or pppk)")
	}
	allowed, ok := jenjangGolongan[p.Jenjang]
	if !ok {
		f.Add("jenjang", "must be ahli_pertama, ahli_muda, ahli_madya or ahli_utama")
		return
	}
	if p.Golongan == "" {
		f.Add("golongan", "is required for widyaiswara")
		return
	}
	for _, g := range allowed {
		if g == p.Golongan {
			return
		}
	}
	if ValidGolongan(p.Golongan) {
		f.Addf("golongan", "does not fit jenjang %s (allowed: %s)", string(p.Jenjang), strings.Join(allowed, ", "))
	}
}

// plainText says what keeps s from being one line of text of at most 200
// characters, or "".
func plainText(s string) string {
	if !utf8.ValidString(s) {
		return "must be UTF-8 text"
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return "must not contain control characters"
		}
	}
	if utf8.RuneCountInString(s) > 200 {
		return "must be at most 200 characters"
	}
	return ""
}
