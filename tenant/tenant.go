// Package tenant holds institutions (the tenants) and the API keys that
// authenticate every request, with the role and scope each key carries.
package tenant

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/tz"
)

// Role is what an API key may do.
type Role string

// Roles. Admin is the platform operator; staff act for one institution;
// a trainer key belongs to one person; a mail gateway key may only post
// inbound mail.
const (
	Admin       Role = "admin"
	Staff       Role = "staff"
	Trainer     Role = "trainer"
	MailGateway Role = "mail_gateway"
)

// Institution is a tenant: a BPSDM provinsi, a Pusdiklat or similar.
type Institution struct {
	ID        int64
	Code      string
	Name      string
	Kind      string
	Zone      string
	CreatedAt time.Time
}

// InstitutionKinds are the kinds of training institution.
var InstitutionKinds = []string{"bpsdm_provinsi", "pusdiklat_kementerian", "lainnya"}

var instCodeRe = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,19}$`)

// Normalize checks a new institution.
func (in *Institution) Normalize() error {
	f := errs.Fields{}
	in.Code = strings.ToUpper(strings.TrimSpace(in.Code))
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	if !instCodeRe.MatchString(in.Code) {
		f.Add("code", "must be 2-20 letters, digits or '-', such as BPSDM-JABAR")
	}
	if n := len([]rune(in.Name)); n < 3 || n > 200 {
		f.Add("name", "must be 3 to 200 characters")
	}
	kindOK := false
	for _, k := range InstitutionKinds {
		kindOK = kindOK || k == in.Kind
	}
	if !kindOK {
		f.Addf("kind", "must be one of %s", strings.Join(InstitutionKinds, ", "))
	}
	if !tz.Valid(in.Zone) {
		f.Add("zone", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura")
	}
	return f.Err()
}

// APIKey is a stored key; its secret is kept only as a SHA-256 hash.
type APIKey struct {
	ID            int64
	Prefix        string
	Role          Role
	InstitutionID int64
	PersonID      int64
	Name          string
	CreatedAt     time.Time
	LastUsedAt    *time.Time
	RevokedAt     *time.Time
}

// Principal is the authenticated caller of a request.
type Principal struct {
	KeyID         int64
	Role          Role
	InstitutionID int64
	PersonID      int64
}

// KeyPrefix starts every secret so that leaked keys are easy to grep for.
const KeyPrefix = "snrg_"

// NewSecret returns a fresh 256-bit secret, its display prefix and its hash.
func NewSecret() (secret, prefix string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", nil, err
	}
	secret = KeyPrefix + base64.RawURLEncoding.EncodeToString(b[:])
	return secret, secret[:len(KeyPrefix)+8], HashSecret(secret), nil
}

// HashSecret hashes a secret for storage and lookup. The secret carries 256
// random bits, so a fast hash is enough: nothing is guessable to brute force.
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// Errors about keys and institutions.
var (
	ErrUnauthenticated = errs.New(errs.Unauthenticated, "unauthenticated", "a valid API key is required: Authorization: Bearer <key>")
	ErrForbidden       = errs.New(errs.Forbidden, "forbidden", "this key may not do that")
	ErrDuplicateCode   = errs.New(errs.Conflict, "duplicate_institution", "an institution with that code already exists").OnField("code")
)

// Store persists institutions and keys.
type Store interface {
	CreateInstitution(ctx context.Context, in Institution) (Institution, error)
	Institution(ctx context.Context, id int64) (Institution, error)
	ListInstitutions(ctx context.Context) ([]Institution, error)
	InstitutionByCode(ctx context.Context, code string) (Institution, error)
	// CreateKey stores k with the hash of its secret.
	CreateKey(ctx context.Context, k APIKey, hash []byte) (APIKey, error)
	// KeyByHash returns the active key with that hash and marks it used.
	KeyByHash(ctx context.Context, hash []byte) (APIKey, error)
	// Key returns a key; inst 0 means any institution.
	Key(ctx context.Context, inst, id int64) (APIKey, error)
	ListKeys(ctx context.Context, inst int64) ([]APIKey, error)
	RevokeKey(ctx context.Context, id int64) error
	// PersonInstitution returns the institution of a person, for trainer keys.
	PersonInstitution(ctx context.Context, personID int64) (int64, error)
}

// Service issues and checks keys.
type Service struct {
	Store Store
}

// CreateInstitution validates and stores a tenant.
func (s Service) CreateInstitution(ctx context.Context, in Institution) (Institution, error) {
	in.ID = 0
	if err := in.Normalize(); err != nil {
		return Institution{}, err
	}
	return s.Store.CreateInstitution(ctx, in)
}

// IssueKey creates a key and returns it with its secret, shown only now.
// For trainer keys PersonID must be a person of the institution.
func (s Service) IssueKey(ctx context.Context, k APIKey) (APIKey, string, error) {
	f := errs.Fields{}
	k.Name = strings.TrimSpace(k.Name)
	if len(k.Name) > 100 {
		f.Add("name", "at most 100 characters")
	}
	switch k.Role {
	case Admin, Staff, MailGateway:
		if k.PersonID != 0 {
			f.Add("person_id", "only a trainer key belongs to a person")
		}
		if k.Role == Admin {
			k.InstitutionID = 0
		}
	case Trainer:
		if k.PersonID <= 0 {
			f.Add("person_id", "is required for a trainer key")
		}
	default:
		f.Add("role", "must be staff, trainer or mail_gateway")
	}
	if err := f.Err(); err != nil {
		return APIKey{}, "", err
	}
	if k.Role == Trainer {
		inst, err := s.Store.PersonInstitution(ctx, k.PersonID)
		if err != nil || inst != k.InstitutionID {
			// Another institution's person is as unknown as one that never was.
			return APIKey{}, "", &errs.Error{Kind: errs.NotFound, Code: "not_found", Message: "no such person in this institution",
				Fields: map[string]string{"person_id": "is not a person of this institution"}}
		}
	}
	secret, prefix, hash, err := NewSecret()
	if err != nil {
		return APIKey{}, "", err
	}
	k.Prefix = prefix
	saved, err := s.Store.CreateKey(ctx, k, hash)
	if err != nil {
		return APIKey{}, "", err
	}
	return saved, secret, nil
}

// Authenticate resolves a bearer secret to its principal.
func (s Service) Authenticate(ctx context.Context, secret string) (Principal, error) {
	if !strings.HasPrefix(secret, KeyPrefix) || len(secret) > 100 {
		return Principal{}, ErrUnauthenticated
	}
	k, err := s.Store.KeyByHash(ctx, HashSecret(secret))
	if err != nil {
		if errs.KindOf(err) == errs.NotFound {
			return Principal{}, ErrUnauthenticated
		}
		return Principal{}, err
	}
	return Principal{KeyID: k.ID, Role: k.Role, InstitutionID: k.InstitutionID, PersonID: k.PersonID}, nil
}
