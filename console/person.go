package console

import (
	"fmt"
	"net/http"
	"strconv"

	"sinergi/profile"
	"sinergi/tenant"
)

type personView struct {
	page
	Person profile.Person
}

// person shows a roster entry with a form to edit its contact and
// placement fields and a button to archive it.
func (s *Server) person(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p, err := s.People.Person(r.Context(), u.InstitutionID, id, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := personView{page: newPage(r, &u, "people"), Person: p}
	for k, val := range map[string]string{"name": p.Name, "email": p.Email, "phone": p.Phone, "organisation": p.Organisation,
		"unit": p.Unit, "zone": p.Zone, "version": strconv.Itoa(p.Version)} {
		v.Form.Set(k, val)
	}
	v.Title = p.Name
	s.render(w, r, http.StatusOK, "person", v)
}

// updatePerson saves the edited fields through profile.Service.Update, the
// API's use case; a version changed since the form was shown is refused.
func (s *Server) updatePerson(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	p, err := s.People.Person(r.Context(), u.InstitutionID, id, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if f.Get("version") != strconv.Itoa(p.Version) {
		err = profile.ErrStaleVersion
	} else {
		p.Name, p.Email, p.Phone, p.Organisation, p.Unit, p.Zone = f.Get("name"), f.Get("email"), f.Get("phone"),
			f.Get("organisation"), f.Get("unit"), f.Get("zone")
		_, err = s.People.Update(r.Context(), p)
	}
	if err != nil {
		v := personView{page: newPage(r, &u, "people"), Person: p}
		v.Form = f
		v.withError(err)
		v.Title = p.Name
		s.render(w, r, status(err), "person", v)
		return
	}
	back(w, r, fmt.Sprintf("%speople/%d", Prefix, id), "person_saved")
}

func (s *Server) archivePerson(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if err := s.People.Archive(r.Context(), u.InstitutionID, id); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, Prefix+"people", "person_archived")
}
