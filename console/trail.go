package console

import (
	"net/http"

	"sinergi/audit"
	"sinergi/scheduling"
	"sinergi/tenant"
)

type trailLine struct {
	audit.Entry
	When, What, Who string
	// Change says what changed (from → to, which fields), when known.
	Change string
}

type trailView struct {
	page
	Booking scheduling.Booking
	Name    string
	Session sessionLine
	Lines   []trailLine
	Pager   pager
}

// trail shows a booking's audit trail from proposal to certificate.
func (s *Server) trail(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx, inst := r.Context(), u.InstitutionID
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	b, entries, err := s.Scheduling.BookingTrail(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	sess, err := s.Scheduling.Session(ctx, inst, b.SessionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p, err := s.People.Person(ctx, inst, b.PersonID, true)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := trailView{page: newPage(r, &u, "courses"), Booking: b, Name: p.Name}
	v.Session = line(v.Lang, sess, "")
	lo, hi, pg := v.pageRows(r, "page", len(entries))
	v.Pager = pg
	for _, e := range entries[lo:hi] {
		who := actor(v.page, e)
		v.Lines = append(v.Lines, trailLine{Entry: e, When: at(v.Lang, e.At, sess.Zone),
			What: v.T("trail_" + e.Entity + "_" + e.Action), Change: changeText(v.page, e), Who: who})
	}
	v.Title = v.T("trail_title")
	s.render(w, r, http.StatusOK, "trail", v)
}
