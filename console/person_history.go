package console

import (
	"fmt"
	"net/http"
	"strconv"

	"sinergi/tenant"
)

// historySize is how many audit rows a history page shows.
const historySize = 25

type historyView struct {
	page
	PersonID int64
	Name     string
	Lines    []trailLine
	// Newer goes back to the newest rows; Older is the next page.
	Newer, Older string
}

// personHistory pages a person's audit trail (profile.Service.History),
// newest first, in the institution's time: who created, edited, changed
// competencies, imported, archived or restored them.
func (s *Server) personHistory(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	entries, next, err := s.People.History(ctx, u.InstitutionID, id, before, historySize)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p, err := s.People.Person(ctx, u.InstitutionID, id, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	inst, err := s.Tenants.Institution(ctx, u.InstitutionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := historyView{page: newPage(r, &u, "people"), PersonID: id, Name: p.Name}
	v.Title = v.T("roster_history")
	self := fmt.Sprintf("%speople/%d/history", Prefix, id)
	if before > 0 {
		v.Newer = self
	}
	if next > 0 {
		v.Older = fmt.Sprintf("%s?before=%d", self, next)
	}
	for _, e := range entries {
		who := actor(v.page, e)
		v.Lines = append(v.Lines, trailLine{Entry: e, When: at(v.Lang, e.At, inst.Zone),
			What: v.T("roster_h_" + e.Action), Change: changeText(v.page, e), Who: who})
	}
	s.render(w, r, http.StatusOK, "person_history", v)
}
