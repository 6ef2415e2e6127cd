package api

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/audit"
	"sinergi/errs"
	"sinergi/tenant"
)

const (
	principalKey    = "principal"
	principalLogKey = "principal_log"
)

// authenticate resolves the bearer key and puts the principal, and the
// audit actor, on the request.
func (s *Server) authenticate(c *gin.Context) {
	secret := bearer(c)
	if secret == "" {
		fail(c, tenant.ErrUnauthenticated)
		return
	}
	p, err := s.keys.authenticate(c.Request.Context(), s.Tenants, secret)
	if err != nil {
		fail(c, err)
		return
	}
	c.Set(principalKey, p)
	c.Set(principalLogKey, string(p.Role)+":"+strconv.FormatInt(p.KeyID, 10))
	c.Request = c.Request.WithContext(audit.WithActor(c.Request.Context(), audit.Actor{
		KeyID: p.KeyID, Role: string(p.Role), InstitutionID: p.InstitutionID, PersonID: p.PersonID, RequestID: requestID(c)}))
	c.Next()
}

// bearer is the request's bearer secret, or "".
func bearer(c *gin.Context) string {
	secret, ok := strings.CutPrefix(c.GetHeader("Authorization"), "Bearer ")
	if !ok {
		return ""
	}
	return strings.TrimSpace(secret)
}

func principal(c *gin.Context) tenant.Principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(tenant.Principal)
	return pr
}

// only admits the given roles; any other authenticated key gets 403.
func (s *Server) only(roles ...tenant.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p := principal(c)
		for _, r := range roles {
			if p.Role == r {
				c.Next()
				return
			}
		}
		fail(c, tenant.ErrForbidden.WithMessage("a %s key may not do this", p.Role))
	}
}

// ownInstitution checks that a staff principal acts on its own institution;
// another institution is reported as not found so existence does not leak.
// Admins pass.
func ownInstitution(p tenant.Principal, inst int64) error {
	if p.Role == tenant.Admin || p.InstitutionID == inst {
		return nil
	}
	return errs.NotFoundf("institution %d not found", inst)
}

// keyTTL is how long a resolved key is trusted without asking the
// database. A key revoked on another replica is dropped as soon as the
// database's notification arrives (ForgetKey); keyTTL bounds it when the
// notification is lost.
const keyTTL = time.Second

// maxCachedKeys bounds the cache; past it the cache starts over.
const maxCachedKeys = 10000

// keyCache remembers resolved API keys for under a second, so that a busy
// client's requests do not each query api_keys. Only keys that resolved
// are kept (by the hash of the secret, never the secret), so unknown keys
// cannot fill it, and a key revoked through this server, or announced
// revoked by the database, is dropped at once.
type keyCache struct {
	now     func() time.Time // monotonic time, not the service's clock
	mu      sync.RWMutex
	entries map[string]cachedKey
}

type cachedKey struct {
	principal tenant.Principal
	until     time.Time
}

func newKeyCache(now func() time.Time) *keyCache {
	return &keyCache{now: now, entries: map[string]cachedKey{}}
}

func (k *keyCache) authenticate(ctx context.Context, tenants tenant.Service, secret string) (tenant.Principal, error) {
	hash := string(tenant.HashSecret(secret))
	now := k.now()
	k.mu.RLock()
	e, ok := k.entries[hash]
	k.mu.RUnlock()
	if ok && now.Before(e.until) {
		return e.principal, nil
	}
	p, err := tenants.Authenticate(ctx, secret)
	if err != nil {
		return p, err
	}
	k.mu.Lock()
	if len(k.entries) >= maxCachedKeys {
		k.entries = map[string]cachedKey{}
	}
	k.entries[hash] = cachedKey{principal: p, until: now.Add(keyTTL)}
	k.mu.Unlock()
	return p, nil
}

// forget drops a key, as when it is revoked.
func (k *keyCache) forget(keyID int64) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for h, e := range k.entries {
		if e.principal.KeyID == keyID {
			delete(k.entries, h)
		}
	}
}

// forgetAll empties the cache, as when revocations may have been missed.
func (k *keyCache) forgetAll() {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.entries = map[string]cachedKey{}
}

// ForgetKey drops an API key from the cache at once: the database
// announces each revoked or deleted key (on every replica).
func (s *Server) ForgetKey(keyID int64) { s.keys.forget(keyID) }

// ForgetKeys empties the key cache: announcements may have been missed
// (the connection that listens for them was lost).
func (s *Server) ForgetKeys() { s.keys.forgetAll() }
