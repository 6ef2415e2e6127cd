package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/profile"
	"sinergi/tenant"
	"sinergi/tz"
)

type personIn struct {
	Kind            string   `json:"kind" validate:"required"`
	Name            string   `json:"name" validate:"required"`
	Email           string   `json:"email" validate:"required"`
	Phone           string   `json:"phone"`
	NIP             string   `json:"nip"`
	Jenjang         string   `json:"jenjang"`
	Golongan        string   `json:"golongan"`
	Organisation    string   `json:"organisation"`
	Unit            string   `json:"unit"`
	Employment      string   `json:"employment" validate:"required"`
	TaxIDStatus     string   `json:"tax_id_status"`
	TaxID           string   `json:"tax_id"`
	Expertise       []string `json:"expertise" validate:"max=30,dive,max=200"`
	ExperienceYears int      `json:"experience_years" validate:"gte=0,lte=70"`
	Zone            string   `json:"zone" validate:"required"`
	ShareProfile    bool     `json:"share_profile"`
}

// personPatch is a partial update; absent or null fields keep their value.
type personPatch struct {
	Kind            *string   `json:"kind"`
	Name            *string   `json:"name"`
	Email           *string   `json:"email"`
	Phone           *string   `json:"phone"`
	NIP             *string   `json:"nip"`
	Jenjang         *string   `json:"jenjang"`
	Golongan        *string   `json:"golongan"`
	Organisation    *string   `json:"organisation"`
	Unit            *string   `json:"unit"`
	Employment      *string   `json:"employment"`
	TaxIDStatus     *string   `json:"tax_id_status"`
	TaxID           *string   `json:"tax_id"`
	Expertise       *[]string `json:"expertise" validate:"omitnil,max=30,dive,max=200"`
	ExperienceYears *int      `json:"experience_years" validate:"omitnil,gte=0,lte=70"`
	Zone            *string   `json:"zone"`
	ShareProfile    *bool     `json:"share_profile"`
}

type competencyOut struct {
	CompetencyID   int64  `json:"competency_id"`
	Code           string `json:"code"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	Level          int    `json:"level"`
	Years          int    `json:"years" validate:"gte=0,lte=70"`
	SessionsTaught int    `json:"sessions_taught" validate:"gte=0,lte=100000"`
	Evidence       string `json:"evidence" validate:"max=1000,multiline"`
}

type personOut struct {
	ID              int64           `json:"id"`
	InstitutionID   int64           `json:"institution_id"`
	Kind            string          `json:"kind"`
	Name            string          `json:"name"`
	Email           string          `json:"email"`
	Phone           string          `json:"phone"`
	NIP             string          `json:"nip,omitempty"`
	Jenjang         string          `json:"jenjang,omitempty"`
	Golongan        string          `json:"golongan,omitempty"`
	Organisation    string          `json:"organisation"`
	Unit            string          `json:"unit"`
	Employment      string          `json:"employment"`
	TaxIDStatus     string          `json:"tax_id_status"`
	TaxID           string          `json:"tax_id,omitempty"`
	Expertise       []string        `json:"expertise"`
	ExperienceYears int             `json:"experience_years"`
	Zone            string          `json:"zone"`
	ZoneLabel       string          `json:"zone_label"`
	ShareProfile    bool            `json:"share_profile"`
	Version         int             `json:"version"`
	Archived        bool            `json:"archived"`
	Competencies    []competencyOut `json:"competencies"`
	CreatedAt       time.Time       `json:"created_at"`
	UpdatedAt       time.Time       `json:"updated_at"`
}

// competenciesDTO shows a person's competencies.
func competenciesDTO(cs []profile.PersonCompetency) []competencyOut {
	out := make([]competencyOut, len(cs))
	for i, c := range cs {
		out[i] = competencyOut{CompetencyID: c.CompetencyID, Code: c.Code, Name: c.Name, Type: string(c.Type),
			Level: c.Level, Years: c.Years, SessionsTaught: c.SessionsTaught, Evidence: c.Evidence}
	}
	return out
}

// personDTO shows a person; the tax number is masked (the treasurer's
// export is the one place it is shown in full).
func personDTO(p profile.Person) personOut {
	comps := competenciesDTO(p.Competencies)
	expertise := p.Expertise
	if expertise == nil {
		expertise = []string{}
	}
	return personOut{ID: p.ID, InstitutionID: p.InstitutionID, Kind: string(p.Kind), Name: p.Name, Email: p.Email,
		Phone: p.Phone, NIP: p.NIP, Jenjang: string(p.Jenjang), Golongan: p.Golongan, Organisation: p.Organisation,
		Unit: p.Unit, Employment: string(p.Employment), TaxIDStatus: string(p.TaxIDStatus), TaxID: profile.Mask(p.TaxID), Expertise: expertise,
		ExperienceYears: p.ExperienceYears, Zone: p.Zone, ZoneLabel: tz.Label(p.Zone), ShareProfile: p.ShareProfile,
		Version: p.Version, Archived: p.Archived(), Competencies: comps, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

func etag(version int) string { return fmt.Sprintf(`W/"v%d"`, version) }

// writePerson answers with a person and its ETag.
func writePerson(c *gin.Context, status int, p profile.Person) {
	c.Header("ETag", etag(p.Version))
	c.JSON(status, personDTO(p))
}

func (s *Server) createPerson(c *gin.Context) {
	var in personIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	if in.TaxIDStatus == "" {
		in.TaxIDStatus = string(profile.TaxNone)
	}
	p, err := s.People.Create(c.Request.Context(), principal(c).InstitutionID, profile.Person{
		Kind: profile.Kind(in.Kind), Name: in.Name, Email: in.Email, Phone: in.Phone, NIP: in.NIP,
		Jenjang: profile.Jenjang(in.Jenjang), Golongan: in.Golongan, Organisation: in.Organisation, Unit: in.Unit,
		Employment: profile.Employment(in.Employment), TaxIDStatus: profile.TaxIDStatus(in.TaxIDStatus),
		TaxID: in.TaxID, Expertise: in.Expertise, ExperienceYears: in.ExperienceYears, Zone: in.Zone, ShareProfile: in.ShareProfile})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/v1/people/%d", p.ID))
	writePerson(c, http.StatusCreated, p)
}

// personParam reads the person id and checks that a trainer key acts only
// on its own person.
func personParam(c *gin.Context) (int64, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, err
	}
	if p := principal(c); p.Role == tenant.Trainer && p.PersonID != id {
		return 0, tenant.ErrForbidden.WithMessage("a trainer key may act only on its own profile")
	}
	return id, nil
}

func (s *Server) getPerson(c *gin.Context) {
	id, err := personParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	p, err := s.People.Person(c.Request.Context(), principal(c).InstitutionID, id, principal(c).Role == tenant.Staff)
	if err != nil {
		fail(c, err)
		return
	}
	writePerson(c, http.StatusOK, p)
}

// staffOnlyFields are the fields a trainer may not change on their own
// profile: identity and rank are the institution's records.
var staffOnlyFields = []string{"kind", "nip", "jenjang", "golongan", "employment"}

func (s *Server) patchPerson(c *gin.Context) {
	id, err := personParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var in personPatch
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	pr := principal(c)
	if pr.Role == tenant.Trainer {
		set := map[string]bool{"kind": in.Kind != nil, "nip": in.NIP != nil, "jenjang": in.Jenjang != nil,
			"golongan": in.Golongan != nil, "employment": in.Employment != nil}
		for _, f := range staffOnlyFields {
			if set[f] {
				e := tenant.ErrForbidden.WithMessage("only institution staff may change %s", f)
				e.Fields = map[string]string{f: "only institution staff may change this"}
				fail(c, e)
				return
			}
		}
	}
	p, err := s.People.Person(c.Request.Context(), pr.InstitutionID, id, false)
	if err != nil {
		fail(c, err)
		return
	}
	if m := c.GetHeader("If-Match"); m != "" && m != etag(p.Version) && m != "*" {
		fail(c, profile.ErrStaleVersion)
		return
	}
	applyPatch(&p, in)
	out, err := s.People.Update(c.Request.Context(), p)
	if err != nil {
		fail(c, err)
		return
	}
	writePerson(c, http.StatusOK, out)
}

func applyPatch(p *profile.Person, in personPatch) {
	str := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	if in.Kind != nil {
		p.Kind = profile.Kind(*in.Kind)
	}
	str(&p.Name, in.Name)
	str(&p.Email, in.Email)
	str(&p.Phone, in.Phone)
	str(&p.NIP, in.NIP)
	if in.Jenjang != nil {
		p.Jenjang = profile.Jenjang(*in.Jenjang)
	}
	str(&p.Golongan, in.Golongan)
	str(&p.Organisation, in.Organisation)
	str(&p.Unit, in.Unit)
	if in.Employment != nil {
		p.Employment = profile.Employment(*in.Employment)
	}
	if in.TaxIDStatus != nil {
		p.TaxIDStatus = profile.TaxIDStatus(*in.TaxIDStatus)
	}
	str(&p.TaxID, in.TaxID)
	if in.Expertise != nil {
		p.Expertise = *in.Expertise
	}
	if in.ExperienceYears != nil {
		p.ExperienceYears = *in.ExperienceYears
	}
	str(&p.Zone, in.Zone)
	if in.ShareProfile != nil {
		p.ShareProfile = *in.ShareProfile
	}
}

func (s *Server) archivePerson(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil {
		err = s.People.Archive(c.Request.Context(), principal(c).InstitutionID, id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// listQuery parses limit and cursor, common to every listing.
func listQuery(c *gin.Context) (int, string, error) {
	limit, err := limitParam(c, 50, 500)
	return limit, c.Query("cursor"), err
}

func (s *Server) listPeople(c *gin.Context) {
	limit, cursor, err := listQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := profile.Filter{Kind: profile.Kind(c.Query("kind")), Competency: strings.ToLower(c.Query("competency")),
		Q: strings.TrimSpace(c.Query("q")), Zone: c.Query("zone"), Sort: c.Query("sort"), Limit: limit, Cursor: cursor,
		IncludeArchived: c.Query("archived") == "true", IncludeShared: c.Query("shared") == "true"}
	if v := c.Query("min_level"); v != "" {
		n, perr := strconv.Atoi(v)
		if perr != nil || n == 0 {
			n = -1
		}
		f.MinLevel = n
	}
	if err := f.Check(); err != nil {
		fail(c, err)
		return
	}
	page, err := s.People.ListPeople(c.Request.Context(), principal(c).InstitutionID, f)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]personOut, len(page.Items))
	for i, p := range page.Items {
		items[i] = personDTO(p)
	}
	c.JSON(http.StatusOK, listOut[personOut]{Items: items, NextCursor: page.NextCursor})
}

type personCompetencyIn struct {
	CompetencyID   int64  `json:"competency_id"`
	Level          int    `json:"level"`
	Years          int    `json:"years" validate:"gte=0,lte=70"`
	SessionsTaught int    `json:"sessions_taught" validate:"gte=0,lte=100000"`
	Evidence       string `json:"evidence" validate:"max=1000,multiline"`
}

type competenciesIn struct {
	Competencies []personCompetencyIn `json:"competencies" validate:"required,max=200,dive"`
}

func (s *Server) putCompetencies(c *gin.Context) {
	id, err := personParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var in competenciesIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	cs := make([]profile.PersonCompetency, len(in.Competencies))
	for i, x := range in.Competencies {
		cs[i] = profile.PersonCompetency{CompetencyID: x.CompetencyID, Level: x.Level, Years: x.Years,
			SessionsTaught: x.SessionsTaught, Evidence: x.Evidence}
	}
	out, err := s.People.ReplaceCompetencies(c.Request.Context(), principal(c).InstitutionID, id, cs)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, competenciesOut{Competencies: competenciesDTO(out)})
}

type taxonomyOut struct {
	ID          int64  `json:"id"`
	Type        string `json:"type"`
	Code        string `json:"code"`
	Name        string `json:"name"`
	Description string `json:"description"`
	National    bool   `json:"national"`
}

func taxonomyDTO(x profile.Competency) taxonomyOut {
	return taxonomyOut{ID: x.ID, Type: string(x.Type), Code: x.Code, Name: x.Name, Description: x.Description,
		National: x.InstitutionID == 0}
}

func (s *Server) listCompetencies(c *gin.Context) {
	list, err := s.People.Competencies(c.Request.Context(), principal(c).InstitutionID)
	writeList(c, list, err, taxonomyDTO)
}

type competencyIn struct {
	Type        string `json:"type" validate:"required"`
	Code        string `json:"code" validate:"required"`
	Name        string `json:"name" validate:"required"`
	Description string `json:"description" validate:"max=2000,multiline"`
}

func (s *Server) createCompetency(c *gin.Context) {
	var in competencyIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	out, err := s.People.CreateCompetency(c.Request.Context(), principal(c).InstitutionID, profile.Competency{
		Type: profile.CompetencyType(in.Type), Code: in.Code, Name: in.Name, Description: in.Description})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, taxonomyDTO(out))
}

// competenciesOut answers the replacement of a person's competencies.
type competenciesOut struct {
	Competencies []competencyOut `json:"competencies"`
}
