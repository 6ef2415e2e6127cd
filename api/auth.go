package api

import (
	"strconv"
	"strings"

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
	p, err := s.Tenants.Authenticate(c.Request.Context(), secret)
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
