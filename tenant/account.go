package tenant

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"sinergi/errs"
)

// User is a person who signs in to the console: staff and admins with a
// password, trainers with a link sent to their e-mail. Machines use API
// keys instead.
type User struct {
	ID            int64
	InstitutionID int64 // 0 for admins
	PersonID      int64 // set for trainers
	Email         string
	Name          string
	Role          Role
	// Lang is the language the console speaks to the user: id or en.
	Lang       string
	CreatedAt  time.Time
	DisabledAt *time.Time
}

// Principal is what the user may act as: the same scope an API key of
// their role has.
func (u User) Principal() Principal {
	return Principal{Role: u.Role, InstitutionID: u.InstitutionID, PersonID: u.PersonID}
}

// WebSession is a signed-in browser. Its secret is only in the cookie; the
// store keeps its hash.
type WebSession struct {
	ID         int64
	User       User
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Errors of signing in.
var (
	ErrBadCredentials  = errs.New(errs.Unauthenticated, "bad_credentials", "e-mail atau kata sandi salah")
	ErrSignInThrottled = errs.New(errs.RateLimited, "sign_in_throttled",
		"terlalu banyak percobaan masuk yang gagal; coba lagi beberapa menit lagi")
	ErrSessionExpired = errs.New(errs.Unauthenticated, "session_expired", "sesi berakhir; silakan masuk lagi")
	ErrLinkInvalid    = errs.New(errs.Unauthenticated, "sign_in_link_invalid",
		"tautan masuk ini tidak berlaku lagi (sudah dipakai atau kedaluwarsa); minta tautan baru")
	ErrDuplicateUser = errs.New(errs.Conflict, "duplicate_user", "sudah ada pengguna dengan e-mail itu").OnField("email")
	ErrSelfDisable   = errs.New(errs.Conflict, "cannot_disable_self",
		"you cannot deactivate your own account; ask another staff member")
)

// AccountStore keeps users, their sessions, failed sign-ins and sign-in
// links. Secrets arrive hashed.
type AccountStore interface {
	CreateUser(ctx context.Context, u User, passwordHash string) (User, error)
	// UserByEmail returns the staff or admin user with that e-mail and
	// their password hash.
	UserByEmail(ctx context.Context, email string) (User, string, error)
	// User returns a user; inst 0 means any institution.
	User(ctx context.Context, inst, id int64) (User, error)
	Users(ctx context.Context, inst int64) ([]User, error)
	// TrainerUsers returns the trainer accounts of the people (not
	// archived) with that e-mail, making the accounts that are missing.
	TrainerUsers(ctx context.Context, email string) ([]User, error)
	SetLang(ctx context.Context, userID int64, lang string) error

	CreateWebSession(ctx context.Context, userID int64, hash []byte, now, expires time.Time) error
	WebSession(ctx context.Context, hash []byte) (WebSession, error)
	TouchWebSession(ctx context.Context, id int64, now time.Time) error
	DeleteWebSession(ctx context.Context, hash []byte) error
	// DeleteUserSessions ends every session of a user and returns how many.
	DeleteUserSessions(ctx context.Context, userID int64) (int, error)
	// DisableUser marks a user disabled at at (audited); a disabled user
	// cannot sign in and their sessions no longer resume.
	DisableUser(ctx context.Context, id int64, at time.Time) error

	RecordFailure(ctx context.Context, email string, at time.Time) error
	Failures(ctx context.Context, email string, since time.Time) (int, error)
	ClearFailures(ctx context.Context, email string) error

	CreateLoginLink(ctx context.Context, userID int64, hash []byte, now, expires time.Time) error
	// Purge deletes sessions ended before idleBefore (last use) or now
	// (absolute end), used or expired links and failures older than
	// failuresBefore, returning how many rows went.
	Purge(ctx context.Context, now, idleBefore, failuresBefore time.Time) (int64, error)
	// ConsumeLoginLink marks an unused, unexpired link used and returns its
	// user; any other link is ErrLinkInvalid.
	ConsumeLoginLink(ctx context.Context, hash []byte, now time.Time) (int64, error)
}

// LinkMailer queues the e-mail that carries a trainer's sign-in link.
type LinkMailer interface {
	QueueSignInLink(ctx context.Context, inst int64, to, name, link string) error
}

// Tx runs a use case in one transaction.
type Tx interface {
	Do(ctx context.Context, f func(ctx context.Context) error) error
}

// Accounts signs people in to the console.
type Accounts struct {
	Store AccountStore
	Tx    Tx
	Mail  LinkMailer
	Now   func() time.Time
	// IdleTimeout ends a session nobody used for that long; MaxAge ends
	// any session that old. LinkTTL is how long a sign-in link works.
	IdleTimeout, MaxAge, LinkTTL time.Duration
	// MaxFailures failed sign-ins for one e-mail within FailureWindow
	// refuse the next attempts until the window has passed.
	MaxFailures   int
	FailureWindow time.Duration
}

// Defaults of Accounts.
const (
	DefaultIdleTimeout   = 2 * time.Hour
	DefaultMaxAge        = 12 * time.Hour
	DefaultLinkTTL       = 15 * time.Minute
	DefaultMaxFailures   = 5
	DefaultFailureWindow = 15 * time.Minute
	// MinPasswordLength is the shortest password a user may be given.
	MinPasswordLength = 12
)

func (a Accounts) now() time.Time {
	if a.Now == nil {
		return time.Now().UTC()
	}
	return a.Now()
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// NormalizeEmail lower-cases a plain address, or reports it is not one.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || a.Name != "" {
		return "", false
	}
	return s, true
}

// CreateUser adds a staff or admin user (trainers get their account from
// their roster entry when they ask for a sign-in link). An empty password
// is replaced by a random one, which is returned: it is shown only once.
func (a Accounts) CreateUser(ctx context.Context, u User, password string) (User, string, error) {
	f := errs.Fields{}
	email, ok := NormalizeEmail(u.Email)
	if !ok {
		f.Add("email", "harus alamat e-mail biasa, misalnya nama@instansi.go.id")
	}
	u.Email = email
	u.Name = strings.Join(strings.Fields(u.Name), " ")
	switch u.Role {
	case Admin:
		u.InstitutionID = 0
	case Staff:
		if u.InstitutionID == 0 {
			f.Add("institution", "wajib untuk pengguna staf")
		}
	default:
		f.Add("role", "harus admin atau staff")
	}
	if u.Lang == "" {
		u.Lang = "id"
	}
	if password == "" {
		var err error
		if password, err = randomPassword(); err != nil {
			return User{}, "", err
		}
	} else if len([]rune(password)) < MinPasswordLength {
		f.Add("password", fmt.Sprintf("minimal %d karakter", MinPasswordLength))
	}
	if err := f.Err(); err != nil {
		return User{}, "", err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return User{}, "", err
	}
	out, err := a.Store.CreateUser(ctx, u, hash)
	if err != nil {
		return User{}, "", err
	}
	return out, password, nil
}

// SignIn checks an e-mail and password and opens a new session, returning
// its secret for the cookie. Every sign-in makes a new secret, so a
// session id known before sign-in is worth nothing after it. Repeated
// failures for one e-mail are refused for a while, whether or not the
// address belongs to anyone.
func (a Accounts) SignIn(ctx context.Context, email, password string) (string, User, error) {
	now := a.now()
	email, _ = NormalizeEmail(email)
	max := a.MaxFailures
	if max <= 0 {
		max = DefaultMaxFailures
	}
	n, err := a.Store.Failures(ctx, email, now.Add(-orDefault(a.FailureWindow, DefaultFailureWindow)))
	if err != nil {
		return "", User{}, err
	}
	if n >= max {
		return "", User{}, ErrSignInThrottled
	}
	u, hash, err := a.Store.UserByEmail(ctx, email)
	if err != nil && errs.KindOf(err) != errs.NotFound {
		return "", User{}, err
	}
	if hash == "" {
		// Spend the same time as a real check so that timing does not tell
		// which addresses have accounts.
		hash = dummyHash
	}
	if !CheckPassword(hash, password) || err != nil || u.DisabledAt != nil {
		if err := a.Store.RecordFailure(ctx, email, now); err != nil {
			return "", User{}, err
		}
		return "", User{}, ErrBadCredentials
	}
	if err := a.Store.ClearFailures(ctx, email); err != nil {
		return "", User{}, err
	}
	secret, err := a.open(ctx, u.ID, now)
	return secret, u, err
}

// open makes a new session for a user.
func (a Accounts) open(ctx context.Context, userID int64, now time.Time) (string, error) {
	secret, _, hash, err := NewSecret()
	if err != nil {
		return "", err
	}
	if err := a.Store.CreateWebSession(ctx, userID, hash, now, now.Add(orDefault(a.MaxAge, DefaultMaxAge))); err != nil {
		return "", err
	}
	return secret, nil
}

// Resume returns the session a cookie secret names, ending it when it has
// been idle too long or is past its absolute end.
func (a Accounts) Resume(ctx context.Context, secret string) (WebSession, error) {
	if secret == "" {
		return WebSession{}, ErrSessionExpired
	}
	hash := HashSecret(secret)
	s, err := a.Store.WebSession(ctx, hash)
	if errs.KindOf(err) == errs.NotFound {
		return WebSession{}, ErrSessionExpired
	}
	if err != nil {
		return WebSession{}, err
	}
	now := a.now()
	if !now.Before(s.ExpiresAt) || !now.Before(s.LastSeenAt.Add(orDefault(a.IdleTimeout, DefaultIdleTimeout))) ||
		s.User.DisabledAt != nil {
		if err := a.Store.DeleteWebSession(ctx, hash); err != nil {
			return WebSession{}, err
		}
		return WebSession{}, ErrSessionExpired
	}
	// Writing on every request would make each page a write; a minute's
	// precision is enough for an idle timeout counted in hours.
	if now.Sub(s.LastSeenAt) > time.Minute {
		if err := a.Store.TouchWebSession(ctx, s.ID, now); err != nil {
			return WebSession{}, err
		}
		s.LastSeenAt = now
	}
	return s, nil
}

// Purge deletes what can no longer be used: ended sessions, spent or
// expired links and failures outside the throttling window.
func (a Accounts) Purge(ctx context.Context) (int64, error) {
	now := a.now()
	return a.Store.Purge(ctx, now, now.Add(-orDefault(a.IdleTimeout, DefaultIdleTimeout)),
		now.Add(-orDefault(a.FailureWindow, DefaultFailureWindow)))
}

// SignOut ends one session.
func (a Accounts) SignOut(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return a.Store.DeleteWebSession(ctx, HashSecret(secret))
}

// SignOutEverywhere ends every session of a user, including stolen ones.
func (a Accounts) SignOutEverywhere(ctx context.Context, userID int64) (int, error) {
	return a.Store.DeleteUserSessions(ctx, userID)
}

// Deactivate disables a staff user of inst on behalf of user by and ends
// every session of theirs in the same transaction: a deactivated user is
// signed out at once. Another institution's user is not found; nobody
// disables themselves (an institution must not lock its last staff out by
// a slip).
func (a Accounts) Deactivate(ctx context.Context, inst, by, id int64) (User, error) {
	var u User
	err := a.Tx.Do(ctx, func(ctx context.Context) error {
		var err error
		if u, err = a.StaffUser(ctx, inst, id); err != nil {
			return err
		}
		if u.ID == by {
			return ErrSelfDisable
		}
		if u.DisabledAt != nil {
			return nil
		}
		now := a.now()
		if err := a.Store.DisableUser(ctx, id, now); err != nil {
			return err
		}
		u.DisabledAt = &now
		_, err = a.Store.DeleteUserSessions(ctx, id)
		return err
	})
	return u, err
}

// SignOutUser ends every session of a staff user of inst (audited), for
// a lost laptop or a shared browser.
func (a Accounts) SignOutUser(ctx context.Context, inst, id int64) (int, error) {
	if _, err := a.StaffUser(ctx, inst, id); err != nil {
		return 0, err
	}
	return a.Store.DeleteUserSessions(ctx, id)
}

// StaffUser reads a staff user of inst; trainers' accounts follow their
// roster entries and are not managed here.
func (a Accounts) StaffUser(ctx context.Context, inst, id int64) (User, error) {
	if inst == 0 {
		return User{}, errs.NotFoundf("user not found")
	}
	u, err := a.Store.User(ctx, inst, id)
	if err != nil {
		return User{}, err
	}
	if u.Role != Staff {
		return User{}, errs.NotFoundf("user not found")
	}
	return u, nil
}

// Users lists an institution's console users.
func (a Accounts) Users(ctx context.Context, inst int64) ([]User, error) {
	return a.Store.Users(ctx, inst)
}

// SetLang remembers the language a user reads the console in.
func (a Accounts) SetLang(ctx context.Context, userID int64, lang string) error {
	if lang != "id" && lang != "en" {
		return errs.Invalidf("lang", "harus id atau en")
	}
	return a.Store.SetLang(ctx, userID, lang)
}

// SendLink queues, for every roster entry with that e-mail, a single-use
// sign-in link to the trainer portal: link(token) makes its URL. An
// address nobody has gets no mail and the same answer, so the form does
// not tell who is on a roster.
func (a Accounts) SendLink(ctx context.Context, email string, link func(token string) string) error {
	email, ok := NormalizeEmail(email)
	if !ok {
		return errs.Invalidf("email", "harus alamat e-mail biasa, misalnya nama@instansi.go.id")
	}
	now := a.now()
	return a.Tx.Do(ctx, func(ctx context.Context) error {
		users, err := a.Store.TrainerUsers(ctx, email)
		if err != nil {
			return err
		}
		for _, u := range users {
			secret, _, hash, err := NewSecret()
			if err != nil {
				return err
			}
			if err := a.Store.CreateLoginLink(ctx, u.ID, hash, now, now.Add(orDefault(a.LinkTTL, DefaultLinkTTL))); err != nil {
				return err
			}
			if err := a.Mail.QueueSignInLink(ctx, u.InstitutionID, u.Email, u.Name, link(secret)); err != nil {
				return err
			}
		}
		return nil
	})
}

// RedeemLink uses a sign-in link once and opens a session for its trainer.
func (a Accounts) RedeemLink(ctx context.Context, token string) (string, User, error) {
	now := a.now()
	var secret string
	var u User
	err := a.Tx.Do(ctx, func(ctx context.Context) error {
		id, err := a.Store.ConsumeLoginLink(ctx, HashSecret(token), now)
		if err != nil {
			return err
		}
		if u, err = a.Store.User(ctx, 0, id); err != nil {
			return err
		}
		secret, err = a.open(ctx, id, now)
		return err
	})
	return secret, u, err
}

// argon2id parameters: the OWASP minimum for argon2id (19 MiB, two passes,
// one lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
)

// HashPassword hashes a password with argon2id in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword reports whether password matches a hash made by
// HashPassword (with whatever parameters the hash names).
func CheckPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is checked against when no user has the e-mail.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$c2luZXJnaS1kdW1teQ$yQ2MlY7p2Jf8yC1z0oF0m2kq7e0m5c1XjzJ0c8r7yXo"

// randomPassword makes a 20-character password from 120 random bits.
func randomPassword() (string, error) {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
