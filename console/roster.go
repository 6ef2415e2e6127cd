package console

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"sinergi/profile"
	"sinergi/tenant"
)

// routesRoster serves the roster: the searchable list, a person's page
// (profile, competencies, archiving), the spreadsheet import, and the
// trainer's own profile and honorarium statements.
func (s *Server) routesRoster(mux *http.ServeMux, staff, trainer func(func(http.ResponseWriter, *http.Request, tenant.User)) http.HandlerFunc) {
	mux.HandleFunc("GET /console/people", staff(s.people))
	mux.HandleFunc("GET /console/people/import", staff(s.importPage))
	mux.HandleFunc("POST /console/people/import", staff(s.importPreview))
	mux.HandleFunc("POST /console/people/import/apply", staff(s.importApply))
	mux.HandleFunc("GET /console/people/import/template/{format}", staff(s.importTemplate))
	mux.HandleFunc("GET /console/courses/{id}/participants/import", staff(s.importPage))
	mux.HandleFunc("POST /console/courses/{id}/participants/import", staff(s.importPreview))
	mux.HandleFunc("POST /console/courses/{id}/participants/import/apply", staff(s.importApply))
	mux.HandleFunc("GET /console/participants/import/template/{format}", staff(s.participantTemplate))
	mux.HandleFunc("GET /console/people/{id}", staff(s.showPerson))
	mux.HandleFunc("POST /console/people/{id}", staff(s.updatePerson))
	mux.HandleFunc("POST /console/people/{id}/competencies", staff(s.addCompetency))
	mux.HandleFunc("POST /console/people/{id}/competencies/{cid}", staff(s.changeCompetency))
	mux.HandleFunc("GET /console/people/{id}/competencies/{cid}/remove", staff(s.removeCompetency))
	mux.HandleFunc("POST /console/people/{id}/competencies/{cid}/remove", staff(s.removeCompetency))
	mux.HandleFunc("GET /console/people/{id}/history", staff(s.personHistory))
	mux.HandleFunc("GET /console/people/{id}/archive", staff(s.archivePerson))
	mux.HandleFunc("POST /console/people/{id}/archive", staff(s.archivePerson))
	mux.HandleFunc("GET /console/people/{id}/unarchive", staff(s.unarchivePerson))
	mux.HandleFunc("POST /console/people/{id}/unarchive", staff(s.unarchivePerson))

	mux.HandleFunc("GET /console/trainer/profile", trainer(s.showPerson))
	mux.HandleFunc("POST /console/trainer/profile", trainer(s.updatePerson))
	mux.HandleFunc("POST /console/trainer/competencies", trainer(s.addCompetency))
	mux.HandleFunc("POST /console/trainer/competencies/{cid}", trainer(s.changeCompetency))
	mux.HandleFunc("GET /console/trainer/competencies/{cid}/remove", trainer(s.removeCompetency))
	mux.HandleFunc("POST /console/trainer/competencies/{cid}/remove", trainer(s.removeCompetency))
	mux.HandleFunc("GET /console/trainer/honoraria", trainer(s.trainerStatements))
}

// rosterSizes are the page sizes the roster offers; the first is the
// default.
var rosterSizes = []int{25, 50, 100}

// rosterTrail caps how many earlier pages the previous link remembers.
const rosterTrail = 50

type peopleView struct {
	page
	Q, Kind, Competency, Archived string
	MinLevel                      string
	Limit                         int
	Sizes                         []int
	Competencies                  []profile.Competency
	People                        []profile.Person
	// PageNo is the page's number; Prev and Next the links to the pages
	// around it ("" when there is none).
	PageNo     int
	Prev, Next string
	// Partial is set when htmx asks for the results alone: their problems
	// are then shown with them.
	Partial bool
}

// people lists the roster through profile.Service.ListPeople, the API's
// use case, with its filter checked by the same rule (profile.Filter.Check).
// The search form is a GET form; htmx swaps only the results.
//
// Paging follows the API's cursors: the page's URL carries its cursor and
// the cursors of the pages before it (p), so the previous link needs no
// state on the server.
func (s *Server) people(w http.ResponseWriter, r *http.Request, u tenant.User) {
	q := r.URL.Query()
	v := peopleView{page: newPage(r, &u, "people"), Q: strings.TrimSpace(q.Get("q")), Kind: q.Get("kind"),
		Competency: strings.ToLower(q.Get("competency")), Archived: q.Get("archived"), MinLevel: q.Get("min_level"),
		Limit: rosterSizes[0], Sizes: rosterSizes, Partial: r.Header.Get("HX-Target") == "results"}
	v.Title = v.T("people_title")
	for k, val := range map[string]string{"q": v.Q, "kind": v.Kind, "competency": v.Competency, "min_level": v.MinLevel, "archived": v.Archived} {
		v.Form.Set(k, val)
	}
	if n, err := strconv.Atoi(q.Get("limit")); err == nil {
		for _, size := range rosterSizes {
			if n == size {
				v.Limit = n
			}
		}
	}
	comps, err := s.People.Competencies(r.Context(), u.InstitutionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v.Competencies = comps
	f := profile.Filter{Q: v.Q, Kind: profile.Kind(v.Kind), Competency: v.Competency, Limit: v.Limit, Cursor: q.Get("cursor"),
		Sort: "name", OnlyArchived: v.Archived == "archived", IncludeArchived: v.Archived == "all"}
	if v.MinLevel != "" {
		if f.MinLevel, err = strconv.Atoi(v.MinLevel); err != nil || f.MinLevel == 0 {
			f.MinLevel = -1
		}
	}
	err = f.Check()
	var pg profile.Page
	if err == nil {
		pg, err = s.People.ListPeople(r.Context(), u.InstitutionID, f)
	}
	if err != nil {
		v.withError(err)
		st := status(err)
		if v.Partial {
			st = http.StatusOK // htmx swaps only successful answers
		}
		s.render(w, r, st, "people", v)
		return
	}
	v.People = pg.Items
	trail := q["p"]
	if len(trail) > rosterTrail {
		trail = trail[len(trail)-rosterTrail:]
	}
	v.PageNo = len(trail) + 1
	if f.Cursor != "" {
		v.PageNo = len(trail) + 2
		v.Prev = v.pageURL(q, trail[:max(len(trail)-1, 0)], lastOf(trail))
	}
	if pg.NextCursor != "" {
		v.Next = v.pageURL(q, append(trail[:len(trail):len(trail)], cursorOrFirst(f.Cursor)...), pg.NextCursor)
	}
	s.render(w, r, http.StatusOK, "people", v)
}

// cursorOrFirst is the trail entry of the page a cursor opens: nothing
// for the first page, whose previous link has no cursor.
func cursorOrFirst(c string) []string {
	if c == "" {
		return nil
	}
	return []string{c}
}

func lastOf(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[len(xs)-1]
}

// pageURL is the roster URL with the same filters at another cursor.
func (v peopleView) pageURL(q url.Values, trail []string, cursor string) string {
	out := url.Values{}
	for _, k := range []string{"q", "kind", "competency", "min_level", "archived"} {
		if q.Get(k) != "" {
			out.Set(k, q.Get(k))
		}
	}
	out.Set("limit", strconv.Itoa(v.Limit))
	if cursor != "" {
		out.Set("cursor", cursor)
	}
	if len(trail) > 0 {
		out["p"] = trail
	}
	return Prefix + "people?" + out.Encode()
}
