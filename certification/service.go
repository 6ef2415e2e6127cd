package certification

import (
	"context"
	"crypto/ed25519"
	"slices"
	"strconv"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/profile"
)

// Settings are an institution's numbering template and signer, whose
// name and NIP are printed under the signature.
type Settings struct {
	Template    string
	SignerName  string
	SignerTitle string
	SignerNIP   string
}

// HasSigner reports whether a signer is named with a NIP: no certificate
// is issued before.
func (s Settings) HasSigner() bool { return s.SignerName != "" && s.SignerNIP != "" }

// DefaultTemplate numbers 0001/BPSDM-JABAR/CT/2026 for a co-trainer and
// 0002/BPSDM-JABAR/PJ/2026 for a lead: one sequence, the role's code.
const DefaultTemplate = "{seq:04}/{code}/{role}/{year}"

// Validate checks settings; today bounds the dates in the signer's NIP.
func (s *Settings) Validate(today time.Time) error {
	if err := ValidateTemplate(s.Template); err != nil {
		return err
	}
	f := errs.Fields{}
	s.SignerName, s.SignerTitle = strings.TrimSpace(s.SignerName), strings.TrimSpace(s.SignerTitle)
	if s.SignerName == "" || len(s.SignerName) > 200 {
		f.Add("signer_name", "is required (at most 200 characters)")
	}
	if s.SignerTitle == "" || len(s.SignerTitle) > 200 {
		f.Add("signer_title", "is required (at most 200 characters)")
	}
	s.SignerNIP = strings.ReplaceAll(strings.TrimSpace(s.SignerNIP), " ", "")
	if s.SignerNIP == "" {
		f.Add("signer_nip", "is required: the NIP printed under the signer's name")
	} else if problem := profile.CheckASNNIP(s.SignerNIP, today); problem != "" {
		f.Add("signer_nip", problem)
	}
	return f.Err()
}

// Keyring holds the signing keys.
type Keyring interface {
	// Active returns the key that signs new certificates, making one on
	// first use.
	Active(ctx context.Context) (Key, error)
	// Keys returns every key, retired ones with their public half only.
	Keys(ctx context.Context) ([]Key, error)
	// Rotate retires the active key and makes a new one.
	Rotate(ctx context.Context) (Key, error)
}

// Store keeps certificates.
type Store interface {
	// Draft fills a certificate from a person's completed bookings in a
	// course: holder, course, dates and place in the venue zone, total JP.
	Draft(ctx context.Context, inst, courseID, personID int64) (Certificate, error)
	// Issue numbers c gaplessly for its institution and year, lets sign
	// finish it, and stores it, all in one transaction.
	Issue(ctx context.Context, c Certificate, template string, sign func(*Certificate)) (Certificate, error)
	Certificate(ctx context.Context, inst, id int64) (Certificate, error)
	// CourseCertificates lists the certificates of a course, newest first.
	CourseCertificates(ctx context.Context, inst, courseID int64) ([]Certificate, error)
	// PersonCertificates lists a person's certificates, newest first.
	PersonCertificates(ctx context.Context, inst, personID int64) ([]Certificate, error)
	ByCode(ctx context.Context, code string) (Certificate, error)
	Revoke(ctx context.Context, inst, id int64, reason string) (Certificate, error)
	RevokedIDs(ctx context.Context) ([]int64, error)
	Holders(ctx context.Context, inst, courseID int64) ([]int64, error)
	Settings(ctx context.Context, inst int64) (Settings, error)
	PutSettings(ctx context.Context, inst int64, s Settings) error
	// ForAchievement returns a certificate issued for a course in a role.
	ForAchievement(ctx context.Context, courseID int64, role string) (Certificate, error)
}

// Service issues and checks certificates.
type Service struct {
	Store Store
	Keys  Keyring
	// Tx runs a change of several certificates (a course's issue, a
	// reissue) in one transaction: all of it or nothing.
	Tx      Tx
	Now     func() time.Time
	BaseURL string
}

// Tx runs f in one database transaction; stores called with the context
// it hands on join it.
type Tx interface {
	Do(ctx context.Context, f func(ctx context.Context) error) error
}

// VerifyURL is the public page of a certificate.
func (s Service) VerifyURL(c Certificate) string { return s.BaseURL + "/verify/" + c.Code }

// Issue certifies a person's completed bookings in a course. replaces
// links a reissue to the certificate it replaces.
func (s Service) Issue(ctx context.Context, inst, courseID, personID, replaces int64) (Certificate, error) {
	if replaces == 0 {
		revoked, err := s.revokedHolder(ctx, inst, courseID, personID)
		if err != nil {
			return Certificate{}, err
		}
		if revoked != 0 {
			return Certificate{}, ErrRevokedHolder.WithDetails(map[string]any{"certificate_id": revoked})
		}
	}
	c, err := s.Store.Draft(ctx, inst, courseID, personID)
	if err != nil {
		return Certificate{}, err
	}
	set, err := s.Store.Settings(ctx, inst)
	if err != nil {
		return Certificate{}, err
	}
	if !set.HasSigner() {
		return Certificate{}, ErrNoSigner
	}
	key, err := s.Keys.Active(ctx)
	if err != nil {
		return Certificate{}, err
	}
	c.SignerName, c.SignerTitle, c.SignerNIP, c.ReplacesID = set.SignerName, set.SignerTitle, set.SignerNIP, replaces
	c.IssuedAt, c.Code, c.Status = s.Now().UTC().Truncate(time.Second), NewCode(), Valid
	return s.Store.Issue(ctx, c, set.Template, func(c *Certificate) { Sign(c, key) })
}

// IssueCourse certifies everyone with completed bookings in a course who
// holds no valid certificate for it yet, except those whose certificate was
// revoked: Reissue is the only way to give them a new one.
func (s Service) IssueCourse(ctx context.Context, inst, courseID int64) ([]Certificate, error) {
	var out []Certificate
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		holders, err := s.Store.Holders(ctx, inst, courseID)
		if err != nil {
			return err
		}
		if len(holders) == 0 {
			return ErrNothingCompleted.WithMessage("nobody in this course has a completed booking without a certificate")
		}
		for _, p := range holders {
			c, err := s.Issue(ctx, inst, courseID, p, 0)
			if e, ok := errs.As(err); ok && e.Code == ErrRevokedHolder.Code {
				continue // revoked stays revoked; Reissue is the way back
			}
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		if len(out) == 0 {
			return ErrNothingCompleted.WithMessage("nobody in this course has a completed booking without a certificate")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// revokedHolder returns the id of a revoked certificate of the person for
// the course, when they hold one and no valid one.
func (s Service) revokedHolder(ctx context.Context, inst, courseID, personID int64) (int64, error) {
	certs, err := s.Store.PersonCertificates(ctx, inst, personID)
	if err != nil {
		return 0, err
	}
	var revoked int64
	for _, c := range certs {
		if c.CourseID != courseID {
			continue
		}
		if c.Status == Valid {
			return 0, nil // the store answers already_issued
		}
		revoked = c.ID
	}
	return revoked, nil
}

// Reissue revokes a certificate (unless it is revoked already) and issues
// its replacement, linked to it: the only way to certify again a person
// whose certificate was revoked.
func (s Service) Reissue(ctx context.Context, inst, id int64, reason string) (Certificate, error) {
	set, err := s.Store.Settings(ctx, inst)
	if err != nil {
		return Certificate{}, err
	}
	if !set.HasSigner() {
		return Certificate{}, ErrNoSigner
	}
	var c Certificate
	err = s.Tx.Do(ctx, func(ctx context.Context) error {
		old, err := s.Store.Certificate(ctx, inst, id)
		if err != nil {
			return err
		}
		// A revoked certificate is replaced as it stands (issuing the
		// course again passes its holder by); a valid one is revoked first.
		if old.Status == Valid {
			if old, err = s.Store.Revoke(ctx, inst, id, "diterbitkan ulang: "+reason); err != nil {
				return err
			}
		}
		c, err = s.Issue(ctx, inst, old.CourseID, old.PersonID, old.ID)
		return err
	})
	return c, err
}

// Check is the result of verifying a certificate.
type Check struct {
	Certificate    Certificate
	SignatureValid bool
}

// Verify looks a certificate up by its public code and checks its
// signature against the published keys.
func (s Service) Verify(ctx context.Context, code string) (Check, error) {
	if !ValidCode(code) {
		return Check{}, errs.NotFoundf("no certificate with that code")
	}
	c, err := s.Store.ByCode(ctx, code)
	if err != nil {
		return Check{}, err
	}
	keys, err := s.Keys.Keys(ctx)
	if err != nil {
		return Check{}, err
	}
	var pub ed25519.PublicKey
	for _, k := range keys {
		if k.ID == c.KeyID {
			pub = k.Public
		}
	}
	return Check{Certificate: c, SignatureValid: Verify(c, pub)}, nil
}

// CredentialCheck is the result of verifying an Open Badges credential.
type CredentialCheck struct {
	ProofValid  bool
	IssuerKnown bool
	Status      string
	Errors      []string
}

// VerifyCredential checks a credential file: its proof, whether the key is
// one of ours, and its revocation status.
func (s Service) VerifyCredential(ctx context.Context, raw []byte) (CredentialCheck, error) {
	var out CredentialCheck
	pub, doc, err := CheckProof(raw)
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
	} else {
		out.ProofValid = true
	}
	if pub != nil {
		keys, err := s.Keys.Keys(ctx)
		if err != nil {
			return out, err
		}
		for _, k := range keys {
			out.IssuerKnown = out.IssuerKnown || k.Public.Equal(pub)
		}
		if !out.IssuerKnown {
			out.Errors = append(out.Errors, "the key is not one of this service's keys")
		}
	}
	out.Status = "unknown"
	if st, ok := doc["credentialStatus"].(map[string]any); ok {
		idx, _ := st["statusListIndex"].(string)
		revoked, err := s.Store.RevokedIDs(ctx)
		if err != nil {
			return out, err
		}
		// The index is read as the published list would give it.
		if id, perr := parseIndex(idx); perr == nil && id < statusListSize(revoked) {
			out.Status = "valid"
			if slices.Contains(revoked, id) {
				out.Status = "revoked"
			}
		}
	}
	return out, nil
}

func parseIndex(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, errs.Invalidf("statusListIndex", "is not an index")
	}
	return n, nil
}
