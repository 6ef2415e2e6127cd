package api

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/certification"
	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/profile"
	"sinergi/tenant"
)

type certificateOut struct {
	ID                 int64      `json:"id"`
	Number             string     `json:"number"`
	InstitutionID      int64      `json:"institution_id"`
	Issuer             string     `json:"issuer"`
	PersonID           int64      `json:"person_id"`
	HolderName         string     `json:"holder_name"`
	HolderNIP          string     `json:"holder_nip,omitempty"`
	HolderOrganisation string     `json:"holder_organisation"`
	Role               string     `json:"role"`
	CourseID           int64      `json:"course_id"`
	CourseName         string     `json:"course_name"`
	StartDate          string     `json:"start_date"`
	EndDate            string     `json:"end_date"`
	Place              string     `json:"place"`
	JP                 int        `json:"jp"`
	SignerName         string     `json:"signer_name"`
	SignerTitle        string     `json:"signer_title"`
	SignerNIP          string     `json:"signer_nip,omitempty"`
	IssuedAt           time.Time  `json:"issued_at"`
	KeyID              string     `json:"key_id"`
	VerificationCode   string     `json:"verification_code"`
	VerifyURL          string     `json:"verify_url"`
	Status             string     `json:"status"`
	RevokedAt          *time.Time `json:"revoked_at,omitempty"`
	RevokedReason      string     `json:"revoked_reason,omitempty"`
	ReplacesID         int64      `json:"replaces_id,omitempty"`
}

func (s *Server) certificateDTO(c certification.Certificate) certificateOut {
	return certificateOut{ID: c.ID, Number: c.Number, InstitutionID: c.InstitutionID, Issuer: c.Issuer, PersonID: c.PersonID,
		HolderName: c.HolderName, HolderNIP: c.HolderNIP, HolderOrganisation: c.HolderOrganisation, Role: c.Role, CourseID: c.CourseID,
		CourseName: c.CourseName, StartDate: c.StartDate.Format(time.DateOnly), EndDate: c.EndDate.Format(time.DateOnly),
		Place: c.Place, JP: c.JP, SignerName: c.SignerName, SignerTitle: c.SignerTitle, SignerNIP: c.SignerNIP, IssuedAt: c.IssuedAt, KeyID: c.KeyID,
		VerificationCode: c.Code, VerifyURL: s.Certificates.VerifyURL(c), Status: string(c.Status), RevokedAt: c.RevokedAt,
		RevokedReason: c.RevokedReason, ReplacesID: c.ReplacesID}
}

type issueIn struct {
	CourseID int64 `json:"course_id" validate:"required"`
	PersonID int64 `json:"person_id"`
	All      bool  `json:"all"`
}

// issueCertificates certifies one person, or everyone with completed
// bookings in the course (all: true).
func (s *Server) issueCertificates(c *gin.Context) {
	var in issueIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	inst := principal(c).InstitutionID
	if in.All == (in.PersonID != 0) {
		fail(c, errs.Invalidf("person_id", "give person_id, or all: true for everyone in the course"))
		return
	}
	if !in.All {
		cert, err := s.Certificates.Issue(c.Request.Context(), inst, in.CourseID, in.PersonID, 0)
		if err != nil {
			fail(c, err)
			return
		}
		c.Header("Location", fmt.Sprintf("/v1/certificates/%d", cert.ID))
		c.JSON(http.StatusCreated, s.certificateDTO(cert))
		return
	}
	certs, err := s.Certificates.IssueCourse(c.Request.Context(), inst, in.CourseID)
	if err != nil && len(certs) == 0 {
		fail(c, err)
		return
	}
	items := make([]certificateOut, len(certs))
	for i, x := range certs {
		items[i] = s.certificateDTO(x)
	}
	out := issuedOut{Items: items}
	if err != nil {
		out.Error = errorMessage(c, err) // the ones issued stand; the rest can be retried
	}
	c.JSON(http.StatusCreated, out)
}

// certificateParam loads the certificate in the path for staff of its
// institution or for its holder.
func (s *Server) certificateParam(c *gin.Context, raw string) (certification.Certificate, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return certification.Certificate{}, errs.NotFoundf("no certificate %q", raw)
	}
	p := principal(c)
	if p.Role == tenant.Trainer {
		cert, err := s.Certificates.Certificate(c.Request.Context(), 0, id)
		if err != nil || cert.PersonID != p.PersonID {
			return certification.Certificate{}, errs.NotFoundf("certificate %d not found", id)
		}
		return cert, nil
	}
	return s.Certificates.Certificate(c.Request.Context(), p.InstitutionID, id)
}

// getCertificate answers /v1/certificates/{id} and /v1/certificates/{id}.pdf.
func (s *Server) getCertificate(c *gin.Context) {
	raw := c.Param("id")
	pdf := strings.HasSuffix(raw, ".pdf")
	if principal(c).Role == tenant.Trainer && !pdf {
		fail(c, tenant.ErrForbidden.WithMessage("a trainer key may download its own certificates as PDF"))
		return
	}
	cert, err := s.certificateParam(c, strings.TrimSuffix(raw, ".pdf"))
	if err != nil {
		fail(c, err)
		return
	}
	if !pdf {
		c.JSON(http.StatusOK, s.certificateDTO(cert))
		return
	}
	doc, err := certification.PDF(cert, s.Certificates.VerifyURL(cert))
	if err != nil {
		fail(c, err)
		return
	}
	name := strings.NewReplacer("/", "-", " ", "_").Replace(cert.Number)
	c.Header("Content-Disposition", fmt.Sprintf(`inline; filename="sertifikat-%s.pdf"`, name))
	c.Data(http.StatusOK, "application/pdf", doc)
}

type reasonIn struct {
	Reason string `json:"reason" validate:"required,max=500"`
}

// idAndReason reads the certificate id in the path and the reason in the body.
func (s *Server) idAndReason(c *gin.Context) (int64, string, error) {
	id, err := pathID(c, "id")
	var in reasonIn
	if err == nil {
		err = s.bind(c, &in)
	}
	return id, strings.TrimSpace(in.Reason), err
}

func (s *Server) revokeCertificate(c *gin.Context) {
	id, reason, err := s.idAndReason(c)
	if err != nil {
		fail(c, err)
		return
	}
	cert, err := s.Certificates.Revoke(c.Request.Context(), principal(c).InstitutionID, id, reason)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, s.certificateDTO(cert))
}

func (s *Server) reissueCertificate(c *gin.Context) {
	id, reason, err := s.idAndReason(c)
	if err != nil {
		fail(c, err)
		return
	}
	cert, err := s.Certificates.Reissue(c.Request.Context(), principal(c).InstitutionID, id, reason)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, s.certificateDTO(cert))
}

// credential exports the certificate as an Open Badges 3.0 credential.
func (s *Server) credential(c *gin.Context) {
	cert, err := s.certificateParam(c, c.Param("id"))
	if err != nil {
		fail(c, err)
		return
	}
	key, err := s.Certificates.Keys.Active(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="credential-%d.json"`, cert.ID))
	c.JSON(http.StatusOK, certification.Badge(cert, s.Certificates.BaseURL, key))
}

func (s *Server) verifyCredential(c *gin.Context) {
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		fail(c, decodeError(err))
		return
	}
	res, err := s.Certificates.VerifyCredential(c.Request.Context(), raw)
	if err != nil {
		fail(c, err)
		return
	}
	errors := res.Errors
	if errors == nil {
		errors = []string{}
	}
	c.JSON(http.StatusOK, credentialCheckOut{Verified: res.ProofValid && res.IssuerKnown && res.Status == "valid",
		ProofValid: res.ProofValid, IssuerKnown: res.IssuerKnown, Status: res.Status, Errors: errors})
}

func (s *Server) statusList(c *gin.Context) {
	ids, err := s.Certificates.RevokedIDs(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	key, err := s.Certificates.Keys.Active(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, certification.StatusListCredential(s.Certificates.BaseURL+"/status/revocation", ids, key, s.Now()))
}

func (s *Server) publicKeys(c *gin.Context) {
	keys, err := s.Certificates.Keys.Keys(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]map[string]any, len(keys))
	for i, k := range keys {
		jwk := k.JWK()
		jwk["did"] = certification.DIDKey(k.Public)
		jwk["active"] = k.Active
		out[i] = jwk
	}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, keySetOut{Keys: out})
}

func (s *Server) rotateKey(c *gin.Context) {
	k, err := s.Certificates.Keys.Rotate(c.Request.Context())
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, signingKeyOut{KID: k.ID, DID: certification.DIDKey(k.Public)})
}

type certSettingsIO struct {
	NumberTemplate string `json:"number_template" validate:"required"`
	SignerName     string `json:"signer_name"`
	SignerTitle    string `json:"signer_title"`
	SignerNIP      string `json:"signer_nip"`
}

func (s *Server) getCertSettings(c *gin.Context) {
	set, err := s.Certificates.Settings(c.Request.Context(), principal(c).InstitutionID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, certSettingsIO{NumberTemplate: set.Template, SignerName: set.SignerName, SignerTitle: set.SignerTitle,
		SignerNIP: set.SignerNIP})
}

func (s *Server) putCertSettings(c *gin.Context) {
	var in certSettingsIO
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	set := certification.Settings{Template: in.NumberTemplate, SignerName: in.SignerName, SignerTitle: in.SignerTitle, SignerNIP: in.SignerNIP}
	if err := s.Certificates.PutSettings(c.Request.Context(), principal(c).InstitutionID, set); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, certSettingsIO{NumberTemplate: set.Template, SignerName: set.SignerName, SignerTitle: set.SignerTitle,
		SignerNIP: set.SignerNIP})
}

// achievement serves the Open Badges Achievement a credential points at.
func (s *Server) achievement(c *gin.Context) {
	course, role, ok := certification.ParseAchievementID(strings.TrimSuffix(c.Param("id"), ".json"))
	if !ok {
		fail(c, errs.NotFoundf("no achievement %q", c.Param("id")))
		return
	}
	cert, err := s.Certificates.ForAchievement(c.Request.Context(), course, role)
	if err != nil {
		fail(c, err)
		return
	}
	doc := certification.Achievement(cert, s.Certificates.BaseURL)
	doc["@context"] = []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"}
	c.Header("Cache-Control", "public, max-age=300")
	c.JSON(http.StatusOK, doc)
}

// verifyPage is the public verification page, in Indonesian, readable on
// a phone.
var verifyPage = template.Must(template.New("verify").Funcs(pageFuncs).Parse(`<!doctype html>
<html lang="{{.Lang.Tag}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Found}}{{t .Lang "Certificate verification %s" .C.Number}}{{else}}{{t .Lang "Certificate not found"}}{{end}}</title>
<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}
main{max-width:36rem;margin:0 auto;padding:1.25rem}
.status{border-radius:10px;padding:1rem 1.25rem;margin:1rem 0;font-size:1.25rem;font-weight:700}
.valid{background:#e3f6e8;color:#0d5d26;border:2px solid #27a145}
.revoked{background:#fdeaea;color:#8a1313;border:2px solid #d33}
.unknown{background:#fff4e0;color:#7a4b00;border:2px solid #e0a030}
dl{background:#fff;border-radius:10px;padding:1rem 1.25rem;margin:0}
dt{font-size:.8rem;color:#5a6b7b;margin-top:.75rem}dd{margin:0;font-size:1.05rem}
small{display:block;color:#5a6b7b;margin-top:1rem;line-height:1.4}
</style></head><body><main>
<h1>{{t .Lang "Certificate verification"}}</h1>
{{if not .Found}}
<div class="status unknown" id="status">{{t .Lang "Certificate not found"}}</div>
<p>{{t .Lang "No certificate has this code. Check the code on the certificate or scan its QR code again."}}</p>
{{else}}
{{if eq .C.Status "revoked"}}<div class="status revoked" id="status">{{t .Lang "REVOKED"}}</div>
<p>{{t .Lang "This certificate was revoked on %s. Reason: %s" .RevokedOn .C.RevokedReason}}</p>
{{else if .SignatureValid}}<div class="status valid" id="status">{{t .Lang "VALID — a genuine certificate in force"}}</div>
{{else}}<div class="status unknown" id="status">{{t .Lang "THE SIGNATURE DOES NOT MATCH"}}</div>{{end}}
<dl>
<dt>{{t .Lang "Number"}}</dt><dd>{{.C.Number}}</dd>
<dt>{{t .Lang "Holder"}}</dt><dd id="holder">{{.C.HolderName}}{{if .C.HolderNIP}} (NIP {{.C.HolderNIP}}){{end}}</dd>
<dt>{{t .Lang "Holder's institution"}}</dt><dd>{{.C.HolderOrganisation}}</dd>
<dt>{{t .Lang "Role"}}</dt><dd>{{t .Lang .Role}}</dd>
<dt>{{t .Lang "Course"}}</dt><dd>{{.C.CourseName}}</dd>
<dt>{{t .Lang "Dates and place"}}</dt><dd>{{.Period}}, {{.C.Place}}</dd>
<dt>{{t .Lang "JP"}}</dt><dd>{{.C.JP}} JP</dd>
<dt>{{t .Lang "Issuer"}}</dt><dd>{{.C.Issuer}}</dd>
<dt>{{t .Lang "Signer"}}</dt><dd>{{.C.SignerName}}, {{.C.SignerTitle}}{{if .C.SignerNIP}} (NIP {{.C.SignerNIP}}){{end}}</dd>
<dt>{{t .Lang "Electronic signature"}}</dt><dd id="signature">{{if .SignatureValid}}{{t .Lang "Verified (Ed25519, key %s)" .C.KeyID}}{{else}}{{t .Lang "Not verified"}}{{end}}</dd>
</dl>
<small>{{t .Lang "This certificate is issued by %s and is not a LAN credential. The revocation status is also published as a W3C Bitstring Status List at" .C.Issuer}}
<a href="/status/revocation">/status/revocation</a>; {{t .Lang "public keys at"}}
<a href="/.well-known/sinergi-keys.json">/.well-known/sinergi-keys.json</a>.</small>
{{end}}
</main></body></html>`))

func (s *Server) verify(c *gin.Context) {
	code := strings.ToUpper(strings.TrimSpace(c.Param("code")))
	check, err := s.Certificates.Verify(c.Request.Context(), code)
	found := err == nil
	if err != nil && errs.KindOf(err) != errs.NotFound {
		fail(c, err)
		return
	}
	status := http.StatusOK
	if !found {
		status = http.StatusNotFound
	}
	// The public page shows the holder's NIP masked; staff read it in full.
	check.Certificate.HolderNIP = profile.Mask(check.Certificate.HolderNIP)
	if strings.Contains(c.GetHeader("Accept"), "application/json") {
		if !found {
			fail(c, err)
			return
		}
		out := s.certificateDTO(check.Certificate)
		c.JSON(status, verificationOut{Certificate: out, SignatureValid: check.SignatureValid, Status: out.Status})
		return
	}
	cert := check.Certificate
	l := lang(c)
	day := func(t time.Time) string {
		if l == i18n.English {
			return t.Format("2 January 2006")
		}
		return certification.Tanggal(t)
	}
	period := day(cert.StartDate)
	if !cert.EndDate.Equal(cert.StartDate) {
		period = i18n.Sprintf(l, "%s to %s", period, day(cert.EndDate))
	}
	revokedOn := ""
	if cert.RevokedAt != nil {
		revokedOn = day(cert.RevokedAt.In(time.FixedZone("WIB", 7*3600)))
	}
	role := "Co-trainer"
	if cert.Role == "lead" {
		role = "Lead trainer (widyaiswara)"
	}
	c.Status(status)
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("Cache-Control", "no-store")
	if err := verifyPage.Execute(c.Writer, map[string]any{"Lang": l, "Found": found, "C": cert, "SignatureValid": check.SignatureValid,
		"Period": period, "RevokedOn": revokedOn, "Role": role}); err != nil {
		logger(c).Error("render verification page", "err", err)
	}
}

// issuedOut answers an issuance: the certificates issued and, when some
// could not be, why.
type issuedOut struct {
	Items []certificateOut `json:"items"`
	Error string           `json:"error,omitempty"`
}

type credentialCheckOut struct {
	Verified    bool     `json:"verified"`
	ProofValid  bool     `json:"proof_valid"`
	IssuerKnown bool     `json:"issuer_known"`
	Status      string   `json:"status"`
	Errors      []string `json:"errors"`
}

// keySetOut is the public key set: JWKs with their did:key.
type keySetOut struct {
	Keys []map[string]any `json:"keys"`
}

type signingKeyOut struct {
	KID string `json:"kid"`
	DID string `json:"did"`
}

type verificationOut struct {
	Certificate    certificateOut `json:"certificate"`
	SignatureValid bool           `json:"signature_valid"`
	Status         string         `json:"status"`
}
