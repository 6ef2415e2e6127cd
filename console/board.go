package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"sinergi/calendar"
	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/scheduling"
	"sinergi/tenant"
	"sinergi/tz"
)

// routesBoard serves the booking board's own routes: moving a session
// (with the confirmation of whom it asks again) and closing the attention
// a calendar reply asked for.
func (s *Server) routesBoard(mux *http.ServeMux, staff func(func(http.ResponseWriter, *http.Request, tenant.User)) http.HandlerFunc) {
	mux.HandleFunc("GET /console/sessions/{id}/edit", staff(s.sessionEdit))
	mux.HandleFunc("POST /console/sessions/{id}/edit", staff(s.saveSession))
	mux.HandleFunc("POST /console/replies/{id}/resolve", staff(s.resolveReply))
}

// Page sizes a list may be shown in; the first is the default.
var pageSizes = []int{pageSize, 10, 50, 100}

// pager is a list's page: the bounds of its rows and GET links to the
// pages before and after it, keeping the query's filters, so that paging
// needs no JavaScript.
type pager struct {
	ID                  string
	Prev, Next          string
	Size                int
	Sizes               []int
	From, To, Total     int
	Keep                [][2]string
	Label, PrevText     string
	NextText, SizeText  string
	ShowText, RangeText string
	Shown               bool
}

// sizeOf reads ?size=, one of pageSizes.
func sizeOf(q url.Values) int {
	n, _ := strconv.Atoi(q.Get("size"))
	if slices.Contains(pageSizes, n) {
		return n
	}
	return pageSize
}

// newPager starts a pager whose links change the query parameter key.
func (p page) newPager(r *http.Request, key string) pager {
	q := r.URL.Query()
	pg := pager{ID: "size-" + key, Size: sizeOf(q), Sizes: pageSizes, Label: p.T("board_pages"), PrevText: p.T("board_prev_page"),
		NextText: p.T("next_page"), SizeText: p.T("board_page_size"), ShowText: p.T("board_show")}
	for k, vs := range q {
		if k == "size" || k == key || k == "ok" || k == "after" || k == "back" {
			continue
		}
		for _, v := range vs {
			pg.Keep = append(pg.Keep, [2]string{k, v})
		}
	}
	slices.SortFunc(pg.Keep, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return pg
}

// link is the list's URL with the query changed by set.
func link(r *http.Request, set map[string]string) string {
	q := r.URL.Query()
	q.Del("ok")
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return r.URL.Path
	}
	return r.URL.Path + "?" + q.Encode()
}

// pageRows pages n rows held in memory by ?key= (from 1) and ?size=; it
// returns the bounds of the rows to show.
func (p page) pageRows(r *http.Request, key string, n int) (lo, hi int, pg pager) {
	pg = p.newPager(r, key)
	num, _ := strconv.Atoi(r.URL.Query().Get(key))
	last := max((n+pg.Size-1)/pg.Size, 1)
	num = min(max(num, 1), last)
	lo, hi = (num-1)*pg.Size, min(num*pg.Size, n)
	if num > 1 {
		pg.Prev = link(r, map[string]string{key: strconv.Itoa(num - 1)})
	}
	if hi < n {
		pg.Next = link(r, map[string]string{key: strconv.Itoa(num + 1)})
	}
	pg.From, pg.To, pg.Total = lo+1, hi, n
	if n == 0 {
		pg.From = 0
	}
	pg.RangeText = fmt.Sprintf(p.T("board_range"), pg.From, pg.To, pg.Total)
	pg.Shown = n > pageSizes[1]
	return lo, hi, pg
}

// replyLine is a calendar message received about a booking, as the board
// shows it: who answered, with what PARTSTAT, when (venue time), the
// COMMENT, a delegation, and whether staff must still act on it.
type replyLine struct {
	calendar.Received
	When      string
	Delegated string
	Open      bool
}

func replyOf(lang string, m calendar.Received, zone string) replyLine {
	l := replyLine{Received: m, When: at(lang, m.ReceivedAt, zone), Open: m.Open()}
	if m.DelegatedTo != "" {
		l.Delegated = strings.TrimSpace(m.DelegatedName + " <" + m.DelegatedTo + ">")
	}
	return l
}

// repliesShown is how many of a booking's latest messages the board shows.
const repliesShown = 20

// resolveReply closes the attention a calendar reply asked for (staff
// dealt with it) and goes back to the booking's session.
func (s *Server) resolveReply(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	m, err := s.Replies.Resolve(r.Context(), u.InstitutionID, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	to := Prefix + "dashboard"
	if m.BookingID != 0 {
		if b, err := s.Scheduling.Booking(r.Context(), scheduling.Scope{InstitutionID: u.InstitutionID}, m.BookingID); err == nil {
			to = fmt.Sprintf("%ssessions/%d", Prefix, b.SessionID)
		}
	}
	back(w, r, to, "reply_resolved")
}

type sessionEditView struct {
	page
	Session sessionLine
	Course  scheduling.Course
	Version int
}

// sessionEdit shows the form that moves a session: time, zone, mode and
// venue, in the venue's zone.
func (s *Server) sessionEdit(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "courses")
	s.renderSessionEdit(w, r, u, p, http.StatusOK, 0)
}

func (s *Server) renderSessionEdit(w http.ResponseWriter, r *http.Request, u tenant.User, p page, st, version int) {
	sess, c, err := s.pathSession(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if p.Form.Get("zone") == "" {
		loc := sess.Location()
		p.Form.Set("zone", sess.Zone)
		p.Form.Set("start", sess.Start.In(loc).Format("2006-01-02T15:04"))
		p.Form.Set("end", sess.End.In(loc).Format("2006-01-02T15:04"))
		p.Form.Set("mode", string(sess.Mode))
		p.Form.Set("venue", sess.Venue)
	}
	if version == 0 {
		version = sess.Version
	}
	v := sessionEditView{page: p, Session: line(p.Lang, sess, c.Name), Course: c, Version: version}
	v.Title = v.T("board_move_title") + ": " + sess.Topic
	s.render(w, r, st, "session_edit", v)
}

// readWhen reads the start and end of a form (datetime-local) in zone;
// input that is not a time is a field problem. Whether the times make a
// valid session is the domain's to say.
func readWhen(f url.Values, zone string, sess *scheduling.Session) errs.Fields {
	fields := errs.Fields{}
	loc, err := tz.Load(zone)
	if err != nil {
		return fields // the domain names the zone
	}
	for _, name := range []string{"start", "end"} {
		if f.Get(name) == "" {
			continue
		}
		t, perr := time.ParseInLocation("2006-01-02T15:04", f.Get(name), loc)
		if perr != nil {
			fields.Add(name, "is not a date and time")
			continue
		}
		if name == "start" {
			sess.Start = t
		} else {
			sess.End = t
		}
	}
	return fields
}

// saveSession moves a session through scheduling.Service.UpdateSession. A
// change that carries bookings along (a significant one asks answered
// bookings again and mails every invited person an update) is first shown
// on a confirmation page, from a dry run of the same use case; only the
// post from that page (confirm=yes) saves.
func (s *Server) saveSession(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx, inst := r.Context(), u.InstitutionID
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	version, _ := strconv.Atoi(f.Get("version"))
	fail := func(err error) {
		p := newPage(r, &u, "courses")
		p.Form = f
		p.withError(err)
		if errors.Is(err, scheduling.ErrHoliday) {
			p.Form.Set("force_offered", "yes") // the form shows the domain's force option
		}
		s.renderSessionEdit(w, r, u, p, status(err), version)
	}
	var moved scheduling.Session
	force := f.Get("force") == "yes"
	if err := readWhen(f, f.Get("zone"), &moved).Err(); err != nil {
		fail(err)
		return
	}
	change := func(sess *scheduling.Session) {
		sess.Zone = f.Get("zone")
		sess.Mode = scheduling.Mode(f.Get("mode"))
		sess.Venue = f.Get("venue")
		if !moved.Start.IsZero() {
			sess.Start = moved.Start
		}
		if !moved.End.IsZero() {
			sess.End = moved.End
		}
	}
	if f.Get("confirm") != "yes" {
		preview, err := s.Scheduling.PreviewSessionChange(ctx, inst, id, version, force, change)
		if err != nil {
			fail(err)
			return
		}
		if len(preview.Bookings) > 0 {
			s.confirmMove(w, r, u, preview, f)
			return
		}
	}
	if _, _, _, err = s.Scheduling.UpdateSession(ctx, inst, id, version, force, change); err != nil {
		fail(err)
		return
	}
	back(w, r, fmt.Sprintf("%ssessions/%d", Prefix, id), "session_moved")
}

func (s *Server) confirmMove(w http.ResponseWriter, r *http.Request, u tenant.User, c scheduling.SessionChange, f url.Values) {
	v := confirmView{page: newPage(r, &u, "courses"), Action: r.URL.Path, Cancel: fmt.Sprintf("%ssessions/%d", Prefix, c.Session.ID),
		Button: msg(u.Lang, "board_move_confirm")}
	v.Title = v.T("board_move_check")
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("board_move_to"), c.Session.Topic, when(v.Lang, c.Session), venueOf(v.page, c.Session)))
	reasked := 0
	for _, b := range c.Bookings {
		p, err := s.People.Person(r.Context(), u.InstitutionID, b.After.PersonID, true)
		if err != nil {
			s.errorPage(w, r, &u, err)
			return
		}
		if b.Reasked() {
			reasked++
		}
		v.People = append(v.People, confirmLine{Name: p.Name, Before: v.T("status_" + string(b.Before.Status)),
			After: v.T("status_" + string(b.After.Status)), Reasked: b.Reasked(), Mailed: b.Mailed()})
	}
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("board_move_reasked"), reasked))
	for _, k := range []string{"version", "zone", "start", "end", "mode", "venue", "force"} {
		v.Hidden = append(v.Hidden, [2]string{k, f.Get(k)})
	}
	s.askConfirm(w, r, v, http.StatusOK)
}

func venueOf(p page, sess scheduling.Session) string {
	mode := p.T("mode_" + string(sess.Mode))
	if sess.Venue == "" {
		return mode
	}
	return mode + ", " + sess.Venue
}

// confirmCancel asks before a booking is cancelled: the trainer is sent
// the cancellation unless the booking was only proposed.
func (s *Server) confirmCancel(w http.ResponseWriter, r *http.Request, u tenant.User, id int64) {
	ctx, inst := r.Context(), u.InstitutionID
	b, err := s.Scheduling.Booking(ctx, scheduling.Scope{InstitutionID: inst}, id)
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
	v := confirmView{page: newPage(r, &u, "courses"), Action: r.URL.Path, Cancel: fmt.Sprintf("%ssessions/%d", Prefix, sess.ID),
		Button: msg(u.Lang, "board_cancel_confirm"), Hidden: [][2]string{{"to", string(scheduling.Cancelled)}}}
	v.Title = v.T("board_cancel_title")
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("board_cancel_what"), p.Name, v.T("role_"+string(b.Role)), sess.Topic, when(v.Lang, sess)))
	if b.Status != scheduling.Proposed {
		v.Lines = append(v.Lines, v.T("board_cancel_mail"))
	}
	s.askConfirm(w, r, v, http.StatusOK)
}

// confirmReverse asks before a payment is reversed: a reversal row is
// added; the paid row stays in the ledger.
func (s *Server) confirmReverse(w http.ResponseWriter, r *http.Request, u tenant.User, id int64) {
	ctx, inst := r.Context(), u.InstitutionID
	h, err := s.ledgerRow(ctx, inst, id, incentive.Paid)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if _, err := incentive.Reversal(h); err != nil {
		s.errorPage(w, r, &u, err) // already reversed: the domain says so before anyone confirms
		return
	}
	p, err := s.People.Person(ctx, inst, h.PersonID, true)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	v := confirmView{page: newPage(r, &u, "honoraria"), Action: r.URL.Path, Cancel: Prefix + "honoraria?" + honorariaQuery(r.Form),
		Button: msg(u.Lang, "board_reverse_confirm")}
	v.Title = v.T("board_reverse_title")
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("board_reverse_what"), p.Name, h.PaidJP, rupiah(h.Gross), rupiah(h.Net)),
		fmt.Sprintf(v.T("board_reverse_row"), rupiah(-h.Gross)))
	for _, k := range []string{"status", "year", "person_id", "page", "size"} {
		if val := r.Form.Get(k); val != "" {
			v.Hidden = append(v.Hidden, [2]string{k, val})
		}
	}
	s.askConfirm(w, r, v, http.StatusOK)
}

// confirmRevoke asks before a certificate is revoked: its verification
// page and the status list say so from then on.
func (s *Server) confirmRevoke(w http.ResponseWriter, r *http.Request, u tenant.User, id int64, reason string) {
	c, err := s.Certificates.Certificate(r.Context(), u.InstitutionID, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := confirmView{page: newPage(r, &u, "courses"), Action: r.URL.Path, Cancel: fmt.Sprintf("%scourses/%d", Prefix, c.CourseID),
		Button: msg(u.Lang, "revoke_confirm"), Hidden: [][2]string{{"reason", reason}}}
	v.Title = v.T("board_revoke_title")
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("board_revoke_what"), c.Number, c.HolderName), fmt.Sprintf(v.T("board_revoke_reason"), reason),
		v.T("board_revoke_after"), v.T("flow_revoke_stays"))
	s.askConfirm(w, r, v, http.StatusOK)
}

// confirmApply asks before a reviewed proposal books everyone in it.
func (s *Server) confirmApply(w http.ResponseWriter, r *http.Request, u tenant.User, courseID int64) {
	c, err := s.Scheduling.Course(r.Context(), u.InstitutionID, courseID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := confirmView{page: newPage(r, &u, "courses"), Action: r.URL.Path, Cancel: fmt.Sprintf("%scourses/%d", Prefix, c.ID),
		Button: msg(u.Lang, "apply_assignment")}
	v.Title = v.T("board_apply_title")
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("board_apply_what"), c.Name))
	s.askConfirm(w, r, v, http.StatusOK)
}
