package console

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"sinergi/errs"
	"sinergi/profile"
	"sinergi/tenant"
)

// personView is a person's page: the profile form, the competencies and
// the archive step. The staff's page and the trainer's own profile page
// share it; Base is where its forms post.
type personView struct {
	page
	Person profile.Person
	// Staff shows the fields only the institution may change (kind, NIP,
	// jenjang, golongan, employment).
	Staff bool
	Base  string
	// Taxonomy is what can be added: the competencies the person does not
	// hold yet.
	Taxonomy []profile.Competency
	// Unsaved lists the values of a stale form that were not saved.
	Unsaved [][2]string
	Levels  []int
}

// TaxMasked is the stored tax number as staff pages show it.
func (v personView) TaxMasked() string { return profile.Mask(v.Person.TaxID) }

// profileFields are the form's fields of a person, in the order shown.
var profileFields = []string{"name", "email", "phone", "nip", "jenjang", "golongan", "employment", "organisation", "unit",
	"expertise", "experience_years", "tax_id_status", "zone"}

// staffFields are the fields a trainer may not change on their own
// profile (the API's rule for trainer keys).
var staffFields = map[string]bool{"kind": true, "nip": true, "jenjang": true, "golongan": true, "employment": true}

// personForm fills a form with a person's stored values.
func personForm(p profile.Person) url.Values {
	f := url.Values{}
	for k, v := range map[string]string{"name": p.Name, "email": p.Email, "phone": p.Phone, "nip": p.NIP,
		"jenjang": string(p.Jenjang), "golongan": p.Golongan, "employment": string(p.Employment), "organisation": p.Organisation,
		"unit": p.Unit, "expertise": strings.Join(p.Expertise, ", "), "experience_years": strconv.Itoa(p.ExperienceYears),
		"tax_id_status": string(p.TaxIDStatus), "zone": p.Zone, "version": strconv.Itoa(p.Version)} {
		f.Set(k, v)
	}
	if p.ShareProfile {
		f.Set("share_profile", "on")
	}
	return f
}

// applyPersonForm copies the posted fields onto p. Only the fields the
// form had are read (a field left out keeps its value); staff-only fields
// are read from staff alone. The domain checks the result.
func applyPersonForm(p *profile.Person, f url.Values, staff bool) {
	set := func(name string, dst *string) {
		if f.Has(name) && (staff || !staffFields[name]) {
			*dst = f.Get(name)
		}
	}
	set("name", &p.Name)
	set("email", &p.Email)
	set("phone", &p.Phone)
	set("nip", &p.NIP)
	set("golongan", &p.Golongan)
	set("organisation", &p.Organisation)
	set("unit", &p.Unit)
	set("zone", &p.Zone)
	var jenjang, employment, taxStatus string
	jenjang, employment, taxStatus = string(p.Jenjang), string(p.Employment), string(p.TaxIDStatus)
	set("jenjang", &jenjang)
	set("employment", &employment)
	set("tax_id_status", &taxStatus)
	p.Jenjang, p.Employment, p.TaxIDStatus = profile.Jenjang(jenjang), profile.Employment(employment), profile.TaxIDStatus(taxStatus)
	// The tax number is never shown back: an empty field keeps the stored
	// one, and no tax identity keeps no number.
	if n := strings.TrimSpace(f.Get("tax_id")); n != "" {
		p.TaxID = n
	}
	if p.TaxIDStatus == profile.TaxNone {
		p.TaxID = ""
	}
	if f.Has("expertise") {
		p.Expertise = strings.Split(f.Get("expertise"), ",")
	}
	if f.Has("experience_years") {
		n, err := strconv.Atoi(strings.TrimSpace(f.Get("experience_years")))
		if err != nil {
			n = -1 // not a number: the domain's range check names it
		}
		p.ExperienceYears = n
	}
	if f.Has("has_share") {
		p.ShareProfile = f.Get("share_profile") == "on"
	}
	if v, err := strconv.Atoi(f.Get("version")); err == nil {
		p.Version = v
	} else {
		p.Version = -1
	}
}

// personPage builds the page of a person with their stored values.
func (s *Server) personPage(r *http.Request, u tenant.User, p profile.Person, staff bool) (personView, error) {
	nav, base := "people", fmt.Sprintf("%speople/%d", Prefix, p.ID)
	if !staff {
		nav, base = "trainer", Prefix+"trainer"
	}
	v := personView{page: newPage(r, &u, nav), Person: p, Staff: staff, Base: base, Levels: []int{1, 2, 3, 4, 5}}
	v.Form = personForm(p)
	v.Title = p.Name
	if !staff {
		v.Title = v.T("roster_my_profile")
	}
	comps, err := s.People.Competencies(r.Context(), u.InstitutionID)
	if err != nil {
		return v, err
	}
	for _, c := range comps {
		if !slices.ContainsFunc(p.Competencies, func(pc profile.PersonCompetency) bool { return pc.CompetencyID == c.ID }) {
			v.Taxonomy = append(v.Taxonomy, c)
		}
	}
	return v, nil
}

// subject is the person a request acts on: the path's person for staff,
// the signed-in trainer's own person otherwise (a trainer's routes carry
// no person id, so no other person can be named).
func subject(r *http.Request, u tenant.User) (id int64, staff bool, err error) {
	if u.Role == tenant.Trainer {
		if u.PersonID == 0 {
			return 0, false, errs.NotFoundf("page not found")
		}
		return u.PersonID, false, nil
	}
	id, err = pathID(r, "id")
	return id, true, err
}

// back is where a person's page is.
func (v personView) back() string {
	if v.Staff {
		return v.Base
	}
	return Prefix + "trainer/profile"
}

// showPerson shows a person's page: the one the path names to staff, the
// trainer's own to a trainer (subject decides).
func (s *Server) showPerson(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, staff, err := subject(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p, err := s.People.Person(r.Context(), u.InstitutionID, id, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v, err := s.personPage(r, u, p, staff)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	s.render(w, r, http.StatusOK, "person", v)
}

// updatePerson saves the edited profile through profile.Service.Update,
// the API's use case, with the version the form was shown at: a person
// changed since is refused (stale_person), and the page then shows the
// stored values with the ones that were not saved.
func (s *Server) updatePerson(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, staff, err := subject(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	stored, err := s.People.Person(r.Context(), u.InstitutionID, id, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p := stored
	applyPersonForm(&p, f, staff)
	if _, err = s.People.Update(r.Context(), p); err == nil {
		v := personView{Staff: staff, Base: fmt.Sprintf("%speople/%d", Prefix, id)}
		back(w, r, v.back(), "person_saved")
		return
	}
	v, perr := s.personPage(r, u, stored, staff)
	if perr != nil {
		s.errorPage(w, r, &u, perr)
		return
	}
	v.withError(err)
	foldExpertise(v.Fields)
	if errs.KindOf(err) == errs.Precondition {
		// Someone else saved first: show what is stored now, and what this
		// form would have changed.
		v.Error = v.T("roster_stale")
		for _, name := range profileFields {
			if !f.Has(name) || (!staff && staffFields[name]) {
				continue
			}
			if now := v.Form.Get(name); strings.TrimSpace(f.Get(name)) != now {
				v.Unsaved = append(v.Unsaved, [2]string{v.T("roster_f_" + name), f.Get(name)})
			}
		}
	} else {
		tax := f.Get("tax_id")
		v.Form = f
		v.Form.Del("tax_id")
		if v.Fields["tax_id"] != "" {
			v.Form.Set("tax_id", tax) // a wrong number is shown to be corrected
		}
	}
	s.render(w, r, status(err), "person", v)
}

// foldExpertise puts the problems of single expertise entries on the one
// expertise field of the form.
func foldExpertise(fields map[string]string) {
	for k, msg := range fields {
		if strings.HasPrefix(k, "expertise[") {
			fields["expertise"] = msg
			delete(fields, k)
		}
	}
}

var competencyField = regexp.MustCompile(`^competencies\[(\d+)\]\.(\w+)$`)

// competencyChange reads the person, applies change to their
// competencies and saves the whole set through the API's use case,
// ReplaceCompetenciesAt with the version the page was shown at: a change
// made since (a profile edit or another competency change) is refused. A problem goes next to the field of the row it
// names: rowField maps an index and a field to the form's field.
func (s *Server) competencyChange(w http.ResponseWriter, r *http.Request, u tenant.User,
	change func(cs []profile.PersonCompetency) ([]profile.PersonCompetency, error), rowField func(i int, name string) string, ok string) {
	id, staff, err := subject(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	p, err := s.People.Person(r.Context(), u.InstitutionID, id, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	cs := make([]profile.PersonCompetency, len(p.Competencies))
	copy(cs, p.Competencies)
	if cs, err = change(cs); err == nil {
		// The domain checks the version under the person's lock.
		_, err = s.People.ReplaceCompetenciesAt(r.Context(), u.InstitutionID, id, formInt(r.PostForm, "version"), cs)
	}
	v, perr := s.personPage(r, u, p, staff)
	if perr != nil {
		s.errorPage(w, r, &u, perr)
		return
	}
	if err == nil {
		back(w, r, v.back(), ok)
		return
	}
	v.withError(err)
	for k, msg := range v.Fields {
		if m := competencyField.FindStringSubmatch(k); m != nil {
			i, _ := strconv.Atoi(m[1])
			delete(v.Fields, k)
			v.Fields[rowField(i, m[2])] = msg
		}
	}
	for _, k := range []string{"competency_id", "level"} {
		v.Form.Set("add_"+k, r.PostForm.Get(k))
	}
	if errs.KindOf(err) == errs.Precondition {
		v.Error = v.T("roster_stale")
	}
	s.render(w, r, status(err), "person", v)
}

// formInt reads a whole number of a form; anything else is -1, which the
// domain's range checks refuse by name.
func formInt(f url.Values, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
	if err != nil {
		return -1
	}
	return n
}

// addCompetency adds a competency at a level (1–5).
func (s *Server) addCompetency(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.competencyChange(w, r, u, func(cs []profile.PersonCompetency) ([]profile.PersonCompetency, error) {
		id, _ := strconv.ParseInt(r.PostForm.Get("competency_id"), 10, 64)
		return append(cs, profile.PersonCompetency{CompetencyID: id, Level: formInt(r.PostForm, "level")}), nil
	}, func(i int, name string) string { return "add_" + name }, "competency_added")
}

// changeCompetency sets the level of a competency the person holds.
func (s *Server) changeCompetency(w http.ResponseWriter, r *http.Request, u tenant.User) {
	cid, err := pathID(r, "cid")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	s.competencyChange(w, r, u, func(cs []profile.PersonCompetency) ([]profile.PersonCompetency, error) {
		i := slices.IndexFunc(cs, func(c profile.PersonCompetency) bool { return c.CompetencyID == cid })
		if i < 0 {
			return nil, errs.NotFoundf("competency %d not held", cid)
		}
		cs[i].Level = formInt(r.PostForm, "level")
		return cs, nil
	}, func(i int, name string) string { return fmt.Sprintf("%s-%d", name, cid) }, "competency_changed")
}

// confirmStep reports whether a destructive step was confirmed; if not,
// it shows the confirmation page, which carries the form's version.
func (s *Server) confirmStep(w http.ResponseWriter, r *http.Request, u tenant.User, nav, question, hint, button, cancel, version string) bool {
	if r.Method == http.MethodPost && confirmed(r) {
		return true
	}
	v := confirmView{page: newPage(r, &u, nav), Question: question, Detail: hint, Button: button, Action: r.URL.Path,
		Cancel: cancel}
	if version != "" {
		v.Hidden = [][2]string{{"version", version}}
	}
	v.Title = question
	s.askConfirm(w, r, v, http.StatusOK)
	return false
}

// removeCompetency takes a competency off the person, after a
// confirmation step.
func (s *Server) removeCompetency(w http.ResponseWriter, r *http.Request, u tenant.User) {
	cid, err := pathID(r, "cid")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	id, staff, err := subject(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p, err := s.People.Person(r.Context(), u.InstitutionID, id, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	i := slices.IndexFunc(p.Competencies, func(c profile.PersonCompetency) bool { return c.CompetencyID == cid })
	if i < 0 {
		s.errorPage(w, r, &u, errs.NotFoundf("competency %d not held", cid))
		return
	}
	v := personView{page: newPage(r, &u, ""), Staff: staff, Base: fmt.Sprintf("%speople/%d", Prefix, id)}
	nav := map[bool]string{true: "people", false: "trainer"}[staff]
	if !s.confirmStep(w, r, u, nav, fmt.Sprintf(v.T("roster_remove_q"), p.Competencies[i].Name, p.Name), "",
		v.T("roster_remove_yes"), v.back(), strconv.Itoa(p.Version)) {
		return
	}
	s.competencyChange(w, r, u, func(cs []profile.PersonCompetency) ([]profile.PersonCompetency, error) {
		return slices.DeleteFunc(cs, func(c profile.PersonCompetency) bool { return c.CompetencyID == cid }), nil
	}, func(i int, name string) string { return "add_" + name }, "competency_removed")
}

// archivePerson archives a person after a confirmation step; the domain
// revokes their keys and audits both in one transaction.
func (s *Server) archivePerson(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.archiveStep(w, r, u, true)
}

// unarchivePerson puts an archived person back on the roster, after a
// confirmation step.
func (s *Server) unarchivePerson(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.archiveStep(w, r, u, false)
}

func (s *Server) archiveStep(w http.ResponseWriter, r *http.Request, u tenant.User, archive bool) {
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
	pg := newPage(r, &u, "people")
	self := fmt.Sprintf("%speople/%d", Prefix, id)
	step, hint := "roster_unarchive", "roster_unarchive_hint"
	if archive {
		step, hint = "roster_archive", "archive_hint"
	}
	if !s.confirmStep(w, r, u, "people", fmt.Sprintf(pg.T(step+"_q"), p.Name), pg.T(hint), pg.T(step+"_yes"), self, "") {
		return
	}
	if archive {
		err = s.People.Archive(r.Context(), u.InstitutionID, id)
	} else {
		err = s.People.Unarchive(r.Context(), u.InstitutionID, id)
	}
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	ok := "person_unarchived"
	if archive {
		ok = "person_archived"
	}
	back(w, r, self, ok)
}
