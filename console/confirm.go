package console

import (
	"net/http"
	"net/url"
	"strconv"
)

// listSize is how many lines a settings or admin list shows per page.
const listSize = 20

// pager is one page of a list shown whole by the domain: which page,
// and the links to the pages either side.
type pager struct {
	Page, Pages int
	Prev, Next  string
}

// paged cuts items to the page the query's page parameter names (from
// 1); base is the list's URL with any other parameters.
func paged[T any](r *http.Request, base string, items []T) ([]T, pager) {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	pages := (len(items) + listSize - 1) / listSize
	if pages == 0 {
		pages = 1
	}
	n = min(max(n, 1), pages)
	link := func(p int) string {
		u, _ := url.Parse(base)
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		return u.String()
	}
	pg := pager{Page: n, Pages: pages}
	if n > 1 {
		pg.Prev = link(n - 1)
	}
	if n < pages {
		pg.Next = link(n + 1)
	}
	from := (n - 1) * listSize
	return items[from:min(from+listSize, len(items))], pg
}

// confirmView asks before a destructive action. It is a page of its own,
// so the step works without JavaScript: the action's form posts
// confirm=yes, and a post without it only shows this page again.
type confirmView struct {
	page
	Question, Detail string
	Action           string
	Hidden           [][2]string
	// Reason asks for a reason in a field of that name and label key.
	Reason, ReasonLabel string
	Button, Cancel      string
}

// confirmed reports whether a destructive post carries its confirmation.
func confirmed(r *http.Request) bool { return r.PostFormValue("confirm") == "yes" }

// askConfirm renders the confirmation page of an action.
func (s *Server) askConfirm(w http.ResponseWriter, r *http.Request, v confirmView, st int) {
	s.render(w, r, st, "confirm", v)
}
