package console

import (
	"net/http"
	"strconv"

	"sinergi/tenant"
)

type adminView struct {
	page
	// Institutions is the page of the list; AllInstitutions the choice
	// for a first user.
	Institutions, AllInstitutions []tenant.Institution
	Pager                         pager
	Tab                           string
	Password                      string
	Created                       string
}

// admin lists the institutions and lets the platform admin create an
// institution's first staff user.
func (s *Server) admin(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "admin")
	p.Form.Set("institution", r.URL.Query().Get("institution"))
	p.Form.Set("kind", "bpsdm_provinsi")
	p.Form.Set("zone", "Asia/Jakarta")
	s.renderAdmin(w, r, u, p, "", "")
}

func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, u tenant.User, p page, created, password string) {
	list, err := s.Tenants.Institutions(r.Context())
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := adminView{page: p, AllInstitutions: list, Created: created, Password: password, Tab: "inst"}
	v.Institutions, v.Pager = paged(r, v.page, list)
	v.Title = v.T("admin_title")
	st := http.StatusOK
	if v.Error != "" {
		st = http.StatusUnprocessableEntity
	}
	s.render(w, r, st, "admin", v)
}

func (s *Server) adminCreateUser(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	inst, _ := strconv.ParseInt(r.PostForm.Get("institution"), 10, 64)
	p := newPage(r, &u, "admin")
	if _, err := s.Tenants.Institution(r.Context(), inst); err != nil {
		p.Form = r.PostForm
		p.Fields["institution"] = p.T("choose_institution")
		p.Error = p.T("fix_fields")
		s.renderAdmin(w, r, u, p, "", "")
		return
	}
	nu, password, err := s.Accounts.CreateUser(r.Context(), tenant.User{InstitutionID: inst, Role: tenant.Staff,
		Email: r.PostForm.Get("email"), Name: r.PostForm.Get("user_name")}, "")
	if err != nil {
		p.Form = r.PostForm
		p.withError(err, map[string]string{"name": "user_name"})
		s.renderAdmin(w, r, u, p, "", "")
		return
	}
	p.Flash = p.T("ok_user_created")
	s.renderAdmin(w, r, u, p, nu.Email, password)
}
