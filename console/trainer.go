package console

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"sinergi/certification"
	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

func (s *Server) trainerLoginPage(w http.ResponseWriter, r *http.Request) {
	v := loginView{page: newPage(r, nil, "")}
	v.Title = v.T("trainer_login_title")
	s.render(w, r, http.StatusOK, "trainer_login", v)
}

// trainerLogin queues a single-use sign-in link to the address. The answer
// is the same whether or not anyone has it.
func (s *Server) trainerLogin(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	err := s.Accounts.SendLink(r.Context(), r.PostForm.Get("email"), func(token string) string {
		return s.BaseURL + Prefix + "trainer/link/" + token
	})
	v := loginView{page: newPage(r, nil, "")}
	v.Title = v.T("trainer_login_title")
	if err != nil {
		v.Form = r.PostForm
		v.withError(err)
		s.render(w, r, status(err), "trainer_login", v)
		return
	}
	v.Sent = true
	s.render(w, r, http.StatusOK, "trainer_login", v)
}

type linkView struct {
	page
	Token string
}

// linkPage asks for one click before using the link: mail scanners that
// open links must not spend it.
func (s *Server) linkPage(w http.ResponseWriter, r *http.Request) {
	v := linkView{page: newPage(r, nil, ""), Token: r.PathValue("token")}
	v.Title = v.T("trainer_login_title")
	s.render(w, r, http.StatusOK, "trainer_link", v)
}

func (s *Server) redeemLink(w http.ResponseWriter, r *http.Request) {
	_ = s.Accounts.SignOut(r.Context(), s.secret(r))
	secret, _, err := s.Accounts.RedeemLink(r.Context(), r.PathValue("token"))
	if err != nil {
		s.clearSession(w)
		v := loginView{page: newPage(r, nil, "")}
		v.Title = v.T("trainer_login_title")
		v.Error = v.T("link_invalid")
		s.render(w, r, status(err), "trainer_login", v)
		return
	}
	s.setSession(w, secret)
	http.Redirect(w, r, Prefix+"trainer", http.StatusSeeOther)
}

type trainerBooking struct {
	scheduling.Booking
	Session    sessionLine
	Answerable []scheduling.Status
	start      time.Time
}

// gridCell is one half-day of the weekly availability grid.
type gridCell struct {
	Name, Label string
	On          bool
}

type trainerView struct {
	page
	Person       profile.Person
	Certificates []certification.Certificate
	Honoraria    []incentive.Honorarium
	Name         string
	Upcoming     []trainerBooking
	Past         []trainerBooking
	// Each list pages on its own: upcoming soonest first, past newest
	// first.
	UpPg, PastPg, CertPg, HonPg pager
	Days                        []string
	Grid                        [][]gridCell // one row per day, a cell per part of the day
	Parts                       []string
	// FeedURL is the calendar address just made (shown this once);
	// FeedActive tells whether an address made before still works.
	FeedURL    string
	FeedActive bool
}

// allBookings reads every booking of a person, a page of the store's
// at a time: none is left out however many there are.
func (s *Server) allBookings(ctx context.Context, person int64) ([]scheduling.Booking, error) {
	var all []scheduling.Booking
	after := int64(0)
	for {
		page, err := s.Scheduling.ListBookings(ctx, scheduling.Scope{PersonID: person}, scheduling.BookingFilter{After: after, Limit: 200})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < 200 {
			return all, nil
		}
		after = page[len(page)-1].ID
	}
}

// The weekly grid: working days by morning and afternoon.
var (
	gridDays  = []string{"MO", "TU", "WE", "TH", "FR", "SA"}
	gridParts = [][2]int{{8 * 60, 12 * 60}, {13 * 60, 17 * 60}}
)

func (s *Server) trainerHome(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.renderTrainer(w, r, u, newPage(r, &u, "trainer"), "", http.StatusOK)
}

func (s *Server) renderTrainer(w http.ResponseWriter, r *http.Request, u tenant.User, p page, feed string, st int) {
	ctx := r.Context()
	person, err := s.People.Person(ctx, u.InstitutionID, u.PersonID, false)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := trainerView{page: p, Person: person, Name: person.Name, FeedURL: feed}
	if v.FeedActive, err = s.Feeds.FeedActive(ctx, u.InstitutionID, u.PersonID); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if v.Certificates, err = s.Certificates.PersonCertificates(ctx, u.InstitutionID, u.PersonID); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if v.Honoraria, err = s.Incentives.List(ctx, u.InstitutionID, incentive.Filter{PersonID: u.PersonID}); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	bookings, err := s.allBookings(ctx, u.PersonID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	now := s.Now()
	courses := map[int64]scheduling.Course{}
	for _, b := range bookings {
		sess, err := s.Scheduling.Session(ctx, b.InstitutionID, b.SessionID)
		if err != nil {
			s.errorPage(w, r, &u, err)
			return
		}
		c, ok := courses[sess.CourseID]
		if !ok {
			if c, err = s.Scheduling.Course(ctx, b.InstitutionID, sess.CourseID); err != nil {
				s.errorPage(w, r, &u, err)
				return
			}
			courses[sess.CourseID] = c
		}
		tb := trainerBooking{Booking: b, Session: line(u.Lang, sess, c.Name), start: sess.Start}
		// The answers the domain would take for this booking now (its
		// session's time included), not the bare lifecycle.
		moves := scheduling.Moves(b, sess, now)
		for _, to := range []scheduling.Status{scheduling.Accepted, scheduling.Tentative, scheduling.Declined} {
			if slices.Contains(moves, to) && b.Status != scheduling.Proposed {
				tb.Answerable = append(tb.Answerable, to)
			}
		}
		if sess.End.Before(now) {
			v.Past = append(v.Past, tb)
		} else if b.Status != scheduling.Proposed {
			v.Upcoming = append(v.Upcoming, tb)
		}
	}
	slices.SortStableFunc(v.Upcoming, func(a, b trainerBooking) int { return a.start.Compare(b.start) })
	slices.SortStableFunc(v.Past, func(a, b trainerBooking) int { return b.start.Compare(a.start) })
	v.Upcoming, v.UpPg = pagedBy(r, v.page, "up", v.Upcoming)
	v.Past, v.PastPg = pagedBy(r, v.page, "past", v.Past)
	v.Certificates, v.CertPg = pagedBy(r, v.page, "cert", v.Certificates)
	v.Honoraria, v.HonPg = pagedBy(r, v.page, "hon", v.Honoraria)
	avail, err := s.Scheduling.Availability(ctx, u.InstitutionID, u.PersonID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	on := map[string]bool{}
	for _, win := range avail.Windows {
		for i, part := range gridParts {
			if win.Start <= part[0] && win.End >= part[1] {
				if day, ok := strings.CutPrefix(win.RRule, "FREQ=WEEKLY;BYDAY="); ok {
					for _, d := range strings.Split(day, ",") {
						on[fmt.Sprintf("%s-%d", d, i)] = true
					}
				}
			}
		}
	}
	for i := range gridParts {
		v.Parts = append(v.Parts, v.T(fmt.Sprintf("part_%d", i)))
	}
	for _, d := range gridDays {
		v.Days = append(v.Days, v.T("day_"+d))
		var row []gridCell
		for i := range gridParts {
			name := fmt.Sprintf("%s-%d", d, i)
			row = append(row, gridCell{Name: name, Label: v.T("day_"+d) + " " + v.T(fmt.Sprintf("part_%d", i)), On: on[name]})
		}
		v.Grid = append(v.Grid, row)
	}
	v.Title = v.T("trainer_title")
	s.render(w, r, st, "trainer", v)
}

// answer moves the trainer's own booking through the same use case as
// their calendar reply or the API.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	to := scheduling.Status(r.FormValue("to"))
	if _, _, err := s.Scheduling.TransitionBooking(r.Context(), scheduling.Scope{PersonID: u.PersonID}, id, to, 0); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, Prefix+"trainer", "answer_"+string(to))
}

// saveAvailability turns the ticked half-days into weekly windows.
func (s *Server) saveAvailability(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	var a scheduling.Availability
	for i, part := range gridParts {
		var days []string
		for _, d := range gridDays {
			if r.PostForm.Get(fmt.Sprintf("%s-%d", d, i)) == "on" {
				days = append(days, d)
			}
		}
		if len(days) > 0 {
			a.Windows = append(a.Windows, scheduling.Window{RRule: "FREQ=WEEKLY;BYDAY=" + strings.Join(days, ","), Start: part[0], End: part[1]})
		}
	}
	if _, err := s.Scheduling.SetAvailability(r.Context(), u.InstitutionID, u.PersonID, a); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, Prefix+"trainer", "availability_saved")
}

// trainerCertificate downloads one of the trainer's own certificates;
// anyone else's is a missing page.
func (s *Server) trainerCertificate(w http.ResponseWriter, r *http.Request, u tenant.User) {
	c, err := s.pathCertificate(r, u)
	if err == nil && c.PersonID != u.PersonID {
		err = errs.NotFoundf("certificate %d not found", c.ID)
	}
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	s.sendPDF(w, r, u, c)
}

// newFeed makes a personal calendar feed URL; it is shown once, on the
// page this post answers. Replacing a working address asks first on a
// confirmation page (no JavaScript needed): the old address stops working.
func (s *Server) newFeed(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	if !confirmed(r) {
		active, err := s.Feeds.FeedActive(r.Context(), u.InstitutionID, u.PersonID)
		if err != nil {
			s.errorPage(w, r, &u, err)
			return
		}
		if active {
			v := confirmView{page: newPage(r, &u, "trainer"), Question: msg(u.Lang, "screens_feed_confirm"),
				Detail: msg(u.Lang, "screens_feed_confirm_old"), Action: Prefix + "trainer/feed",
				Button: msg(u.Lang, "screens_feed_yes"), Cancel: Prefix + "trainer#feed-h"}
			v.Title = v.T("screens_feed_confirm_title")
			s.askConfirm(w, r, v, http.StatusOK)
			return
		}
	}
	token, err := s.Feeds.NewFeedToken(r.Context(), u.InstitutionID, u.PersonID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p := newPage(r, &u, "trainer")
	p.Flash = p.T("screens_feed_made")
	if confirmed(r) {
		p.Flash = p.T("screens_feed_replaced")
	}
	s.renderTrainer(w, r, u, p, s.BaseURL+"/feeds/"+token+".ics", http.StatusOK)
}
