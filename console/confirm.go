package console

import (
	"net/http"
)

// paged cuts a list held whole in memory to the page ?page= names (from
// 1), at the ?size= chosen, with the pager that links its neighbours.
func paged[T any](r *http.Request, p page, items []T) ([]T, pager) {
	return pagedBy(r, p, "page", items)
}

// pagedBy is paged for one of several lists on a page, each paging by a
// query parameter of its own.
func pagedBy[T any](r *http.Request, p page, key string, items []T) ([]T, pager) {
	lo, hi, pg := p.pageRows(r, key, len(items))
	return items[lo:hi], pg
}

// confirmLine is a booking a confirmation names: the person and what
// happens to them.
type confirmLine struct {
	Name, Before, After string
	Reasked, Mailed     bool
}

// confirmView asks before a destructive or far-reaching action. It is a
// page of its own, so the step works without JavaScript: the action's
// form posts confirm=yes, and a post without it only shows this page.
type confirmView struct {
	page
	Question, Detail string
	// Lines say what will happen; People the bookings it touches.
	Lines  []string
	People []confirmLine
	Action string
	Hidden [][2]string
	// Reason asks for a reason in a field of that name and label key.
	Reason, ReasonLabel string
	// Inputs are further fields the step records (a payment's date and
	// reference).
	Inputs         []field
	Button, Cancel string
}

// confirmed reports whether a destructive post carries its confirmation.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// askConfirm renders the confirmation page of an action.
func (s *Server) askConfirm(w http.ResponseWriter, r *http.Request, v confirmView, st int) {
	s.render(w, r, st, "confirm", v)
}
