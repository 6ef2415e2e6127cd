package console

import (
	"net/http"

	"sinergi/errs"
	"sinergi/tenant"
)

type loginView struct {
	page
	Next string
	Sent bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	v := loginView{page: newPage(r, nil, ""), Next: r.URL.Query().Get("next")}
	v.Title = v.T("login_title")
	s.render(w, r, http.StatusOK, "login", v)
}

// login signs a staff member or admin in. Whatever session the browser
// carried before is ended and a new one made, so that an id planted before
// sign-in (session fixation) is worth nothing after it.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, nil, errs.New(errs.Malformed, "malformed_form", "the form could not be read"))
		return
	}
	_ = s.Accounts.SignOut(r.Context(), s.secret(r))
	secret, u, err := s.Accounts.SignIn(r.Context(), r.PostForm.Get("email"), r.PostForm.Get("password"))
	if err != nil {
		s.clearSession(w)
		v := loginView{page: newPage(r, nil, ""), Next: r.PostForm.Get("next")}
		v.Title = v.T("login_title")
		v.Form.Set("email", r.PostForm.Get("email"))
		switch {
		case errs.KindOf(err) == errs.Unauthenticated:
			v.Error = v.T("bad_credentials")
		case errs.KindOf(err) == errs.RateLimited:
			v.Error = v.T("throttled")
		default:
			v.withError(err)
		}
		s.render(w, r, status(err), "login", v)
		return
	}
	s.setSession(w, secret)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next"), home(u.Role)), http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	to := Prefix + "login?ok=signed_out"
	if sess, err := s.Accounts.Resume(r.Context(), s.secret(r)); err == nil && sess.User.Role == tenant.Trainer {
		to = Prefix + "trainer/login?ok=signed_out"
	}
	if err := s.Accounts.SignOut(r.Context(), s.secret(r)); err != nil {
		s.errorPage(w, r, nil, err)
		return
	}
	s.clearSession(w)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// logoutEverywhere ends every session of the user: a stolen cookie dies
// with the rest.
func (s *Server) logoutEverywhere(w http.ResponseWriter, r *http.Request, u tenant.User) {
	if _, err := s.Accounts.SignOutEverywhere(r.Context(), u.ID); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	s.clearSession(w)
	to := Prefix + "login?ok=signed_out_everywhere"
	if u.Role == tenant.Trainer {
		to = Prefix + "trainer/login?ok=signed_out_everywhere"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) setLang(w http.ResponseWriter, r *http.Request, u tenant.User) {
	if err := s.Accounts.SetLang(r.Context(), u.ID, r.FormValue("lang")); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	http.Redirect(w, r, safeNext(r.FormValue("next"), Prefix), http.StatusSeeOther)
}

type usersView struct {
	page
	Users    []tenant.User
	Pager    pager
	Password string
	Created  string
}

func (s *Server) users(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.renderUsers(w, r, u, newPage(r, &u, "users"), "", "")
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, u tenant.User, p page, created, password string) {
	list, err := s.Accounts.Users(r.Context(), u.InstitutionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := usersView{page: p, Password: password, Created: created}
	v.Users, v.Pager = paged(r, v.page, list)
	v.Title = v.T("users_title")
	st := http.StatusOK
	if len(v.Fields) > 0 || v.Error != "" {
		st = http.StatusUnprocessableEntity
	}
	s.render(w, r, st, "users", v)
}

// createUser adds a staff user to the signed-in user's institution and
// shows the one-time password once.
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "users")
	_ = r.ParseForm()
	nu, password, err := s.Accounts.CreateUser(r.Context(), tenant.User{InstitutionID: u.InstitutionID, Role: tenant.Staff,
		Email: r.PostForm.Get("email"), Name: r.PostForm.Get("name")}, "")
	if err != nil {
		p.Form = r.PostForm
		p.withError(err)
		s.renderUsers(w, r, u, p, "", "")
		return
	}
	p.Flash = p.T("ok_user_created")
	s.renderUsers(w, r, u, p, nu.Email, password)
}
