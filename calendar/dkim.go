package calendar

import (
	"bytes"
	"strings"

	"github.com/emersion/go-msgauth/dkim"
)

// dkimVerdict is what a message's DKIM signatures say about its From
// domain, read as DMARC does (RFC 7489 §3.1.1, relaxed alignment): only a
// signature whose domain has the From domain's organizational domain
// speaks for the sender. Signatures of other domains (google.com, a
// Workspace tenant's gappssmtp.com) are recorded but neither help nor
// hurt.
type dkimVerdict struct {
	// Signed: the message carries at least one DKIM-Signature.
	Signed bool
	// AlignedPass is the domain of a verified, aligned signature.
	AlignedPass string
	// AlignedFail says why an aligned signature failed for good (the
	// message was changed, or the key does not verify it).
	AlignedFail string
	// TempFail says why a signature could not be checked now (a DNS
	// lookup failed temporarily); it is worth trying again later.
	TempFail string
	// Others are the domains of verified signatures that are not aligned.
	Others []string
}

// checkDKIM verifies every signature of raw (at most five) for the From
// domain fromDomain.
func (p Processor) checkDKIM(raw []byte, fromDomain string) dkimVerdict {
	var v dkimVerdict
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: p.LookupTXT, MaxVerifications: 5})
	if err != nil && len(vs) == 0 {
		v.Signed = true
		if dkim.IsTempFail(err) {
			v.TempFail = err.Error()
		}
		return v
	}
	v.Signed = len(vs) > 0
	for _, s := range vs {
		aligned := Aligned(s.Domain, fromDomain)
		switch {
		case s.Err == nil && aligned:
			v.AlignedPass = s.Domain
		case s.Err == nil:
			v.Others = append(v.Others, s.Domain)
		case dkim.IsTempFail(s.Err):
			if v.TempFail == "" {
				v.TempFail = s.Domain + ": " + s.Err.Error()
			}
		case aligned && v.AlignedFail == "":
			v.AlignedFail = s.Domain + ": " + s.Err.Error()
		}
	}
	return v
}

// String is the verdict in a few words, for the message's record.
func (v dkimVerdict) String() string {
	switch {
	case !v.Signed:
		return "no DKIM signature"
	case v.AlignedPass != "":
		return "DKIM pass, aligned (" + v.AlignedPass + ")"
	case len(v.Others) > 0:
		return "DKIM pass, not aligned with the sender (" + strings.Join(v.Others, ", ") + ")"
	default:
		return "no verified DKIM signature"
	}
}
