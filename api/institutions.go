package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/tenant"
	"sinergi/tz"
)

type institutionIn struct {
	Code string `json:"code" validate:"required"`
	Name string `json:"name" validate:"required"`
	Kind string `json:"kind" validate:"required"`
	Zone string `json:"zone" validate:"required"`
}

type institutionOut struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Zone      string    `json:"zone"`
	ZoneLabel string    `json:"zone_label"`
	CreatedAt time.Time `json:"created_at"`
}

func institutionDTO(in tenant.Institution) institutionOut {
	return institutionOut{ID: in.ID, Code: in.Code, Name: in.Name, Kind: in.Kind, Zone: in.Zone,
		ZoneLabel: tz.Label(in.Zone), CreatedAt: in.CreatedAt}
}

func (s *Server) createInstitution(c *gin.Context) {
	var in institutionIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	out, err := s.Tenants.CreateInstitution(c.Request.Context(), tenant.Institution{Code: in.Code, Name: in.Name, Kind: in.Kind, Zone: in.Zone})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, institutionDTO(out))
}

func (s *Server) listInstitutions(c *gin.Context) {
	p := principal(c)
	var list []tenant.Institution
	if p.Role == tenant.Admin {
		var err error
		if list, err = s.Tenants.Institutions(c.Request.Context()); err != nil {
			fail(c, err)
			return
		}
	} else {
		in, err := s.Tenants.Institution(c.Request.Context(), p.InstitutionID)
		if err != nil {
			fail(c, err)
			return
		}
		list = []tenant.Institution{in}
	}
	writeList(c, list, nil, institutionDTO)
}

func (s *Server) getInstitution(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil {
		err = ownInstitution(principal(c), id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	in, err := s.Tenants.Institution(c.Request.Context(), id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, institutionDTO(in))
}

type keyIn struct {
	Role     string `json:"role" validate:"required,oneof=staff trainer mail_gateway"`
	PersonID int64  `json:"person_id"`
	Name     string `json:"name" validate:"max=100"`
}

type keyOut struct {
	ID            int64      `json:"id"`
	Prefix        string     `json:"prefix"`
	Role          string     `json:"role"`
	InstitutionID int64      `json:"institution_id,omitempty"`
	PersonID      int64      `json:"person_id,omitempty"`
	Name          string     `json:"name"`
	CreatedAt     time.Time  `json:"created_at"`
	LastUsedAt    *time.Time `json:"last_used_at,omitempty"`
	RevokedAt     *time.Time `json:"revoked_at,omitempty"`
	// Secret is present only in the response that created the key.
	Secret string `json:"secret,omitempty"`
}

func keyDTO(k tenant.APIKey) keyOut {
	return keyOut{ID: k.ID, Prefix: k.Prefix, Role: string(k.Role), InstitutionID: k.InstitutionID, PersonID: k.PersonID,
		Name: k.Name, CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt, RevokedAt: k.RevokedAt}
}

// institutionParam reads the institution in the path and checks that the
// caller may act on it.
func institutionParam(c *gin.Context) (int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, err
	}
	return id, ownInstitution(principal(c), id)
}

func (s *Server) createKey(c *gin.Context) {
	inst, err := institutionParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	if _, err := s.Tenants.Institution(c.Request.Context(), inst); err != nil {
		fail(c, err)
		return
	}
	var in keyIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	k, secret, err := s.Tenants.IssueKey(c.Request.Context(), tenant.APIKey{Role: tenant.Role(in.Role), InstitutionID: inst,
		PersonID: in.PersonID, Name: in.Name})
	if err != nil {
		fail(c, err)
		return
	}
	out := keyDTO(k)
	out.Secret = secret
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, out)
}

func (s *Server) listKeys(c *gin.Context) {
	inst, err := institutionParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	keys, err := s.Tenants.Keys(c.Request.Context(), inst)
	writeList(c, keys, err, keyDTO)
}

// revokeKey lets admins revoke any key, staff the keys of their
// institution and trainers their own key.
func (s *Server) revokeKey(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	err = s.Tenants.RevokeKey(c.Request.Context(), principal(c), id)
	if err == nil {
		s.keys.forget(id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}
