package incentive

import (
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/profile"
)

// Settings are an institution's ledger settings: the JP an internal
// widyaiswara teaches unpaid each year, and the signature block of the
// treasurer's export, the pejabat pembuat komitmen (PPK) who approves and
// the bendahara pengeluaran who pays, each with the NIP printed under the
// name.
type Settings struct {
	MinimumJP     int
	PPKName       string
	PPKNIP        string
	TreasurerName string
	TreasurerNIP  string
}

// Normalize trims the settings and checks them: a name needs its NIP (an
// 18-digit NIP of a PNS or a PPPK) and the other way round.
func (s *Settings) Normalize(today time.Time) error {
	f := errs.Fields{}
	if s.MinimumJP < 0 || s.MinimumJP > 2000 {
		f.Add("widyaiswara_minimum_jp", "must be between 0 and 2000")
	}
	for _, x := range []struct {
		name, nip           *string
		nameField, nipField string
	}{
		{&s.PPKName, &s.PPKNIP, "ppk_name", "ppk_nip"},
		{&s.TreasurerName, &s.TreasurerNIP, "treasurer_name", "treasurer_nip"},
	} {
		*x.name = strings.Join(strings.Fields(*x.name), " ")
		*x.nip = strings.ReplaceAll(strings.TrimSpace(*x.nip), " ", "")
		if len(*x.name) > 200 {
			f.Add(x.nameField, "must be at most 200 characters")
		}
		switch {
		case *x.nip == "" && *x.name != "":
			f.Addf(x.nipField, "is required with %s", x.nameField)
		case *x.nip != "" && *x.name == "":
			f.Add(x.nameField, "is required with "+x.nipField)
		case *x.nip != "":
			if problem := profile.CheckASNNIP(*x.nip, today); problem != "" {
				f.Add(x.nipField, problem)
			}
		}
	}
	return f.Err()
}
