// Package certification issues co-trainer certificates that anyone can
// verify: a gapless number per institution and year from a template, an
// Ed25519 signature over a canonical serialisation, an unguessable
// verification code, a PDF with a QR code, revocation published as a W3C
// Bitstring Status List, and an Open Badges 3.0 credential.
package certification

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gowebpki/jcs"

	"sinergi/errs"
)

// Status of a certificate.
type Status string

// Certificate statuses.
const (
	Valid   Status = "valid"
	Revoked Status = "revoked"
)

// Certificate is an institution-issued co-trainer certificate.
type Certificate struct {
	ID                 int64
	InstitutionID      int64
	Number             string
	Year               int
	Seq                int
	PersonID           int64
	HolderName         string
	HolderNIP          string
	HolderOrganisation string
	// Role is lead or co_trainer.
	Role        string
	CourseID    int64
	CourseName  string
	StartDate   time.Time
	EndDate     time.Time
	Place       string
	JP          int
	Issuer      string
	IssuerCode  string
	SignerName  string
	SignerTitle string
	SignerNIP   string
	IssuedAt    time.Time
	KeyID       string
	Signature   []byte
	// Code is the public verification code (not the number).
	Code          string
	Status        Status
	RevokedAt     *time.Time
	RevokedReason string
	ReplacesID    int64
}

// RoleLabel is the role as printed.
func (c Certificate) RoleLabel() string {
	if c.Role == "lead" {
		return "Pengajar Utama (Widyaiswara)"
	}
	return "Co-Trainer"
}

// Canonical is the signed serialisation: the certificate as a JSON object
// in the JSON Canonicalization Scheme (RFC 8785). The signer's NIP is part
// of it when the certificate has one, so certificates issued before it was
// recorded keep verifying.
func (c Certificate) Canonical() []byte {
	signer := map[string]any{"name": c.SignerName, "title": c.SignerTitle}
	if c.SignerNIP != "" {
		signer["nip"] = c.SignerNIP
	}
	doc := map[string]any{
		"v": 1, "number": c.Number, "institution_id": c.InstitutionID, "issuer": c.Issuer, "issuer_code": c.IssuerCode,
		"holder": map[string]any{"person_id": c.PersonID, "name": c.HolderName, "nip": c.HolderNIP, "organisation": c.HolderOrganisation},
		"role":   c.Role, "course": map[string]any{"id": c.CourseID, "name": c.CourseName, "start": c.StartDate.Format(time.DateOnly),
			"end": c.EndDate.Format(time.DateOnly), "place": c.Place, "jp": c.JP},
		"signer":    signer,
		"issued_at": c.IssuedAt.UTC().Format(time.RFC3339), "code": c.Code, "key_id": c.KeyID, "replaces": c.ReplacesID,
	}
	return canonicalJSON(doc)
}

// canonicalJSON serialises v by RFC 8785 (JCS): sorted keys, ECMAScript
// number forms and string escapes, no insignificant white space.
func canonicalJSON(v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err) // only maps, slices, strings and numbers reach here
	}
	out, err := jcs.Transform(raw)
	if err != nil {
		panic(err) // json.Marshal output is valid JSON
	}
	return out
}

// Sign signs c with key.
func Sign(c *Certificate, key Key) {
	c.KeyID = key.ID
	c.Signature = ed25519.Sign(key.Private, c.Canonical())
}

// Verify reports whether c's signature holds under pub.
func Verify(c Certificate, pub ed25519.PublicKey) bool {
	return len(pub) == ed25519.PublicKeySize && len(c.Signature) == ed25519.SignatureSize &&
		ed25519.Verify(pub, c.Canonical(), c.Signature)
}

// NewCode returns an unguessable verification code: 120 random bits in
// base32, grouped in fours of six for reading aloud.
func NewCode() string {
	var b [15]byte
	_, _ = rand.Read(b[:])
	s := base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
	return s[0:6] + "-" + s[6:12] + "-" + s[12:18] + "-" + s[18:24]
}

var codeRe = regexp.MustCompile(`^[A-Z2-7]{6}-[A-Z2-7]{6}-[A-Z2-7]{6}-[A-Z2-7]{6}$`)

// ValidCode reports whether s has the shape of a verification code.
func ValidCode(s string) bool { return codeRe.MatchString(s) }

var tokenRe = regexp.MustCompile(`\{(seq(?::0?(\d))?|code|role|year|month)\}`)

// Role codes that {role} prints in a certificate's number: the lead, a
// widyaiswara teaching as pengajar, is PJ; a co-trainer is CT. A lead's
// certificate must not read as a co-trainer's.
const (
	LeadCode      = "PJ"
	CoTrainerCode = "CT"
)

// RoleCode is the code {role} prints for a certificate's role.
func RoleCode(role string) string {
	if role == "lead" {
		return LeadCode
	}
	return CoTrainerCode
}

// ValidateTemplate checks a numbering template: it must hold {seq} (or
// {seq:04}) and {year} so numbers stay unique per institution and year.
func ValidateTemplate(t string) error {
	if len(t) < 6 || len(t) > 100 {
		return errs.Invalidf("number_template", "must be 6 to 100 characters")
	}
	if !strings.Contains(t, "{seq") || !strings.Contains(t, "{year}") {
		return errs.Invalidf("number_template", "must contain {seq} (or {seq:04}) and {year}, such as {seq:04}/{code}/{role}/{year}")
	}
	if rest := tokenRe.ReplaceAllString(t, ""); strings.ContainsAny(rest, "{}") {
		return errs.Invalidf("number_template", "knows only {seq}, {seq:0N}, {code}, {role}, {year} and {month}")
	}
	return nil
}

// FormatNumber fills a template for a certificate of role (lead or
// co_trainer). A template without {role} that has CT as a segment of its
// own (the default before {role} existed, still saved by institutions)
// gets the role's code there, so a lead is never numbered as a
// co-trainer.
func FormatNumber(template string, seq int, code, role string, issued time.Time) string {
	if !strings.Contains(template, "{role}") {
		segs := strings.Split(template, "/")
		for i, s := range segs {
			if s == CoTrainerCode {
				segs[i] = "{role}"
			}
		}
		template = strings.Join(segs, "/")
	}
	return tokenRe.ReplaceAllStringFunc(template, func(tok string) string {
		m := tokenRe.FindStringSubmatch(tok)
		switch {
		case m[1] == "code":
			return code
		case m[1] == "role":
			return RoleCode(role)
		case m[1] == "year":
			return strconv.Itoa(issued.Year())
		case m[1] == "month":
			return fmt.Sprintf("%02d", int(issued.Month()))
		case m[2] != "":
			w, _ := strconv.Atoi(m[2])
			return fmt.Sprintf("%0*d", w, seq)
		default:
			return strconv.Itoa(seq)
		}
	})
}

// Errors of certification.
var (
	ErrNothingCompleted = errs.New(errs.Conflict, "nothing_completed", "the person has no completed booking in this course")
	ErrAlreadyIssued    = errs.New(errs.Conflict, "already_issued", "the person already holds a valid certificate for this course; reissue it instead")
	ErrAlreadyRevoked   = errs.New(errs.Conflict, "already_revoked", "the certificate is already revoked")
	// ErrRevokedHolder keeps a revoked certificate revoked: a new one for
	// the same course and person is given only by reissuing it.
	ErrRevokedHolder = errs.New(errs.Conflict, "certificate_revoked", "the person's certificate for this course was revoked; reissue it to give a new one")
	ErrNoSigner      = errs.New(errs.Invalid, "signer_not_set", "name the signer and the signer's NIP in the certificate settings (PUT /v1/certificate-settings) before the first issuance")
)
