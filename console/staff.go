package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/matching"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
	"sinergi/tz"
)

// sessionLine is a session as the lists show it: its clock in the venue's
// zone with WIB/WITA/WIT.
type sessionLine struct {
	scheduling.Session
	CourseName string
	When       string
	NoLead     bool
	NoCo       bool
}

func line(lang string, s scheduling.Session, course string) sessionLine {
	return sessionLine{Session: s, CourseName: course, When: when(lang, s)}
}

type dashboardView struct {
	page
	Week, Gaps                []sessionLine
	Answers                   []answerLine
	Attention                 []attentionLine
	WeekPg, GapsPg, AnswersPg pager
	AttentionPg               pager
	Drafts                    int
}

// answerLine is an answer that needs staff: a decline or a tentative yes
// for a session still to come.
type answerLine struct {
	Status    scheduling.Status
	Name      string
	BookingID int64
	Session   sessionLine
}

// attentionLine is a calendar reply the reply processor flagged for staff
// (refused or doubtful, delegated, deferred): it links to the booking on
// its session's board, where it is marked handled.
type attentionLine struct {
	replyLine
	Name    string
	Session *sessionLine
}

// attentionShown bounds the flagged replies the dashboard reads.
const attentionShown = 500

// dashboard shows this week's sessions, upcoming sessions that lack a lead
// or a co-trainer, the calendar replies needing attention, the answers to
// act on and the honoraria waiting for approval; every list pages.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx, inst := r.Context(), u.InstitutionID
	v := dashboardView{page: newPage(r, &u, "dashboard")}
	v.Title = v.T("dashboard_title")
	now := s.Now()
	weekEnd := now.AddDate(0, 0, 7)
	// Every scheduled session that has not ended, of every course: the
	// ones of this week, the ones short of a lead or co-trainer, and the
	// declines and tentative answers to act on.
	upcoming, err := s.sessionsBetween(ctx, inst, now.Add(-scheduling.MaxSessionLength), time.Time{})
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	courseName := s.courseNames(ctx, inst)
	var declined, tentative []answerLine
	for _, sess := range upcoming {
		if sess.End.Before(now) {
			continue
		}
		cn, err := courseName(sess.CourseID)
		if err != nil {
			s.errorPage(w, r, &u, err)
			return
		}
		l := line(v.Lang, sess, cn)
		if sess.Start.Before(weekEnd) {
			v.Week = append(v.Week, l)
		}
		bookings, err := s.Scheduling.SessionBookings(ctx, inst, sess.ID)
		if err != nil {
			s.errorPage(w, r, &u, err)
			return
		}
		l.NoLead, l.NoCo = true, true
		for _, b := range bookings {
			if b.Status.Active() {
				l.NoLead = l.NoLead && b.Role != scheduling.Lead
				l.NoCo = l.NoCo && b.Role != scheduling.CoTrainer
			}
			if b.Status == scheduling.Declined || b.Status == scheduling.Tentative {
				p, err := s.People.Person(ctx, inst, b.PersonID, true)
				if err != nil {
					s.errorPage(w, r, &u, err)
					return
				}
				a := answerLine{Status: b.Status, Name: p.Name, BookingID: b.ID, Session: line(v.Lang, sess, "")}
				if b.Status == scheduling.Declined {
					declined = append(declined, a)
				} else {
					tentative = append(tentative, a)
				}
			}
		}
		if l.NoLead || l.NoCo {
			v.Gaps = append(v.Gaps, l)
		}
	}
	v.Answers = append(declined, tentative...)
	sessions := map[int64]scheduling.Session{}
	sessionOf := func(id int64) (scheduling.Session, error) {
		if sess, ok := sessions[id]; ok {
			return sess, nil
		}
		sess, err := s.Scheduling.Session(ctx, inst, id)
		sessions[id] = sess
		return sess, err
	}
	names := map[int64]string{}
	nameOf := func(id int64) (string, error) {
		if n, ok := names[id]; ok {
			return n, nil
		}
		p, err := s.People.Person(ctx, inst, id, true)
		names[id] = p.Name
		return p.Name, err
	}
	open, err := s.Replies.Messages(ctx, inst, calendar.MessageFilter{Attention: true}, attentionShown)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	home := "Asia/Jakarta"
	if len(open) > 0 {
		// A message that names no booking is dated in the institution's zone.
		in, err := s.Tenants.Institution(ctx, inst)
		if err != nil {
			s.errorPage(w, r, &u, err)
			return
		}
		if in.Zone != "" {
			home = in.Zone
		}
	}
	for _, m := range open {
		a := attentionLine{replyLine: replyOf(v.Lang, m, home)}
		if m.BookingID != 0 {
			b, err := s.Scheduling.Booking(ctx, scheduling.Scope{InstitutionID: inst}, m.BookingID)
			if err != nil {
				s.errorPage(w, r, &u, err)
				return
			}
			sess, err := sessionOf(b.SessionID)
			if err != nil {
				s.errorPage(w, r, &u, err)
				return
			}
			if a.Name, err = nameOf(b.PersonID); err != nil {
				s.errorPage(w, r, &u, err)
				return
			}
			l := line(v.Lang, sess, "")
			a.Session, a.replyLine = &l, replyOf(v.Lang, m, sess.Zone)
		}
		v.Attention = append(v.Attention, a)
	}
	lo, hi, pg := v.pageRows(r, "week_page", len(v.Week))
	v.Week, v.WeekPg = v.Week[lo:hi], pg
	lo, hi, pg = v.pageRows(r, "gaps_page", len(v.Gaps))
	v.Gaps, v.GapsPg = v.Gaps[lo:hi], pg
	lo, hi, pg = v.pageRows(r, "answers_page", len(v.Answers))
	v.Answers, v.AnswersPg = v.Answers[lo:hi], pg
	lo, hi, pg = v.pageRows(r, "attention_page", len(v.Attention))
	v.Attention, v.AttentionPg = v.Attention[lo:hi], pg
	drafts, err := s.Incentives.List(ctx, inst, incentive.Filter{Statuses: []incentive.Status{incentive.Draft}})
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v.Drafts = len(drafts)
	s.render(w, r, http.StatusOK, "dashboard", v)
}

type coursesView struct {
	page
	Courses []scheduling.CourseSummary
	Pager   pager
}

func (s *Server) courses(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "courses")
	p.Form.Set("funding", "APBD")
	p.Form.Set("co_trainers", string(scheduling.PractitionersOnly))
	s.renderCourses(w, r, u, p, http.StatusOK)
}

const pageSize = 25

// renderCourses pages the courses as the API does, by the id of the last
// one shown (?after=); ?back= keeps the cursors of the pages before, so
// that the previous page is a plain link too.
func (s *Server) renderCourses(w http.ResponseWriter, r *http.Request, u tenant.User, p page, st int) {
	q := r.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	var trail []string
	if b := q.Get("back"); b != "" {
		trail = strings.Split(b, ".")
	}
	pg := p.newPager(r, "after")
	list, err := s.Scheduling.ListCourses(r.Context(), u.InstitutionID, after, pg.Size+1)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := coursesView{page: p}
	if len(list) > pg.Size {
		list = list[:pg.Size]
		pg.Next = link(r, map[string]string{"after": strconv.FormatInt(list[pg.Size-1].ID, 10),
			"back": strings.Join(append(slices.Clone(trail), strconv.FormatInt(after, 10)), ".")})
	}
	if after > 0 {
		prev, rest := "", ""
		if len(trail) > 0 {
			prev, rest = trail[len(trail)-1], strings.Join(trail[:len(trail)-1], ".")
		}
		if prev == "0" {
			prev = ""
		}
		pg.Prev = link(r, map[string]string{"after": prev, "back": rest})
	}
	pg.Shown = pg.Prev != "" || pg.Next != ""
	pg.RangeText = fmt.Sprintf(p.T("board_page_of"), len(trail)+1)
	if after == 0 {
		pg.RangeText = fmt.Sprintf(p.T("board_page_of"), 1)
	}
	v.Courses, v.Pager = list, pg
	v.Title = v.T("courses_title")
	s.render(w, r, st, "courses", v)
}

func civilDate(field, v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, errs.Invalidf(field, "is not a date (YYYY-MM-DD)")
	}
	return t, nil
}

func (s *Server) createCourse(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	f := r.PostForm
	start, err1 := civilDate("start_date", f.Get("start_date"))
	end, err2 := civilDate("end_date", f.Get("end_date"))
	c := scheduling.Course{Name: f.Get("name"),
		OrganisingUnit: f.Get("organising_unit"), Funding: scheduling.Funding(f.Get("funding")), Region: f.Get("region"),
		StartDate: start, EndDate: end, PractitionerOutsideUnit: f.Get("practitioner_outside_unit") != "no",
		CoTrainers: scheduling.CoTrainers(f.Get("co_trainers"))}
	var err error
	if err1 != nil || err2 != nil {
		// A date that cannot be read does not hide the other problems.
		err = errs.Collect(err1, err2, c.Normalize())
	} else {
		c, err = s.Scheduling.CreateCourse(r.Context(), u.InstitutionID, c)
	}
	if err != nil {
		p := newPage(r, &u, "courses")
		p.Form = f
		p.withError(err)
		s.renderCourses(w, r, u, p, status(err))
		return
	}
	back(w, r, fmt.Sprintf("%scourses/%d", Prefix, c.ID), "course_created")
}

type courseView struct {
	page
	Course       scheduling.Course
	Sessions     []sessionLine
	Pager        pager
	Certificates []certification.Certificate
	VerifyURL    map[int64]string
	Competencies []profile.Competency
}

func (s *Server) course(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "courses")
	p.Form.Set("zone", "Asia/Jakarta")
	p.Form.Set("mode", "offline")
	p.Form.Set("min_level", "1")
	p.Form.Set("co_trainers_per_session", "1")
	s.renderCourse(w, r, u, p, http.StatusOK)
}

func (s *Server) renderCourse(w http.ResponseWriter, r *http.Request, u tenant.User, p page, st int) {
	ctx, inst := r.Context(), u.InstitutionID
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	c, err := s.Scheduling.Course(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	sessions, err := s.Scheduling.CourseSessions(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	certs, err := s.Certificates.CourseCertificates(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	comps, err := s.People.Competencies(ctx, inst)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := courseView{page: p, Course: c, Certificates: certs, VerifyURL: map[int64]string{}, Competencies: comps}
	lo, hi, pg := p.pageRows(r, "page", len(sessions))
	for _, sess := range sessions[lo:hi] {
		v.Sessions = append(v.Sessions, line(p.Lang, sess, c.Name))
	}
	v.Pager = pg
	for _, ct := range certs {
		v.VerifyURL[ct.ID] = s.Certificates.VerifyURL(ct)
	}
	v.Title = c.Name
	if p.Form.Get("start") == "" {
		d := c.StartDate.Format(time.DateOnly)
		p.Form.Set("start", d+"T08:00")
		p.Form.Set("end", d+"T09:30")
	}
	s.render(w, r, st, "course", v)
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request, u tenant.User) {
	courseID, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	f := r.PostForm
	sess := scheduling.Session{Topic: f.Get("topic"), Zone: f.Get("zone"), Mode: scheduling.Mode(f.Get("mode")), Venue: f.Get("venue")}
	fields := errs.Fields{}
	if loc, lerr := tz.Load(sess.Zone); lerr == nil {
		for _, name := range []string{"start", "end"} {
			if f.Get(name) == "" {
				continue
			}
			t, perr := time.ParseInLocation("2006-01-02T15:04", f.Get(name), loc)
			if perr != nil {
				fields.Add(name, "is not a date and time")
			}
			if name == "start" {
				sess.Start = t
			} else {
				sess.End = t
			}
		}
	}
	if jp := f.Get("jp"); jp != "" {
		if sess.JP, err = strconv.Atoi(jp); err != nil {
			fields.Add("jp", "must be a whole number")
		}
	}
	if code := f.Get("competency"); code != "" {
		level := 1
		if v := strings.TrimSpace(f.Get("min_level")); v != "" {
			if level, err = strconv.Atoi(v); err != nil {
				fields.Add("min_level", "must be a whole number")
			}
		}
		sess.Requirements = []scheduling.Requirement{{Code: code, MinLevel: level}}
	}
	err = fields.Err()
	var out scheduling.Session
	if err == nil {
		out, _, err = s.Scheduling.CreateSession(r.Context(), u.InstitutionID, courseID, sess, f.Get("force") == "yes")
	}
	if err != nil {
		p := newPage(r, &u, "courses")
		p.Form = f
		p.withError(err, sessionInputs)
		if errors.Is(err, scheduling.ErrHoliday) {
			p.Form.Set("force_offered", "yes") // the form shows the domain's force option
		}
		s.renderCourse(w, r, u, p, status(err))
		return
	}
	back(w, r, fmt.Sprintf("%ssessions/%d", Prefix, out.ID), "session_created")
}

func (s *Server) issueCertificates(w http.ResponseWriter, r *http.Request, u tenant.User) {
	courseID, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if _, err := s.Certificates.IssueCourse(r.Context(), u.InstitutionID, courseID); err != nil {
		p := newPage(r, &u, "courses")
		p.withError(err)
		s.renderCourse(w, r, u, p, status(err))
		return
	}
	back(w, r, fmt.Sprintf("%scourses/%d", Prefix, courseID), "certificates_issued")
}

// boardLine is a booking on the session's board: its person, the moves
// staff may make, and the calendar replies received for it, newest first.
type boardLine struct {
	scheduling.Booking
	Name      string
	Next      []scheduling.Status
	Replies   []replyLine
	Attention bool
}

type sessionView struct {
	page
	Session    sessionLine
	Course     scheduling.Course
	Role       string
	Result     matching.Result
	Board      []boardLine
	Pairs      []matching.Pair
	Slots      []slotLine
	LocalTimes [][2]string
	// Held hides moving the session; MayInvite offers booking and
	// inviting at once: the domain's own answers at this time.
	Held, MayInvite bool
	// HolidayNote names the cuti bersama (or forced national holiday) the
	// session falls on: the warning its creation answered.
	HolidayNote string
}

// slotLine is a time the best pair is free together, in the venue zone.
type slotLine struct {
	When string
	Pair matching.Pair
}

func (s *Server) session(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.renderSession(w, r, u, newPage(r, &u, "courses"), http.StatusOK)
}

// pathSession reads the session the path's id names, and its course, in
// the user's institution.
func (s *Server) pathSession(r *http.Request, u tenant.User) (scheduling.Session, scheduling.Course, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return scheduling.Session{}, scheduling.Course{}, err
	}
	sess, err := s.Scheduling.Session(r.Context(), u.InstitutionID, id)
	if err != nil {
		return scheduling.Session{}, scheduling.Course{}, err
	}
	c, err := s.Scheduling.Course(r.Context(), u.InstitutionID, sess.CourseID)
	return sess, c, err
}

func (s *Server) renderSession(w http.ResponseWriter, r *http.Request, u tenant.User, p page, st int) {
	ctx, inst := r.Context(), u.InstitutionID
	sess, c, err := s.pathSession(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	role := r.URL.Query().Get("role")
	if role != string(scheduling.Lead) {
		role = string(scheduling.CoTrainer)
	}
	res, err := s.Matching.Candidates(ctx, inst, sess.ID, scheduling.Role(role), 10)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	board, err := s.board(ctx, p.Lang, inst, sess, s.Now())
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	pairs, err := s.Matching.Pairs(ctx, inst, sess.ID, 3)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := sessionView{page: p, Session: line(p.Lang, sess, c.Name), Course: c, Role: role, Result: res, Board: board, Pairs: pairs,
		MayInvite: scheduling.MayInvite(sess, s.Now())}
	bookings := make([]scheduling.Booking, len(board))
	for i, l := range board {
		bookings[i] = l.Booking
	}
	v.Held = scheduling.Held(sess, bookings, s.Now())
	hs, err := s.Scheduling.SessionHolidays(ctx, sess)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if len(hs) > 0 {
		names := make([]string, len(hs))
		for i, h := range hs {
			names[i] = h.NameID
			if p.Lang == "en" && h.NameEN != "" {
				names[i] = h.NameEN
			}
			names[i] += " (" + h.Date.Format("02-01-2006") + ")"
		}
		v.HolidayNote = fmt.Sprintf(v.T("flow_holiday_note"), strings.Join(names, ", "))
	}
	// Free times only help before the session is staffed; a course longer
	// than the search window gets none.
	if len(board) == 0 {
		slots, err := s.Matching.Slots(ctx, inst, sess.ID, c.StartDate, c.EndDate.AddDate(0, 0, 1), 3)
		if err != nil && errs.KindOf(err) != errs.Invalid {
			s.errorPage(w, r, &u, err)
			return
		}
		for _, sl := range slots {
			v.Slots = append(v.Slots, slotLine{When: (when(p.Lang, scheduling.Session{Start: sl.Start, End: sl.End, Zone: sess.Zone})), Pair: sl.Pair})
		}
	}
	for _, z := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} {
		loc := tz.MustLoad(z)
		v.LocalTimes = append(v.LocalTimes, [2]string{tz.Label(z), sess.Start.In(loc).Format("15:04") + "–" + sess.End.In(loc).Format("15:04")})
	}
	v.Title = sess.Topic
	s.render(w, r, st, "session", v)
}

func (s *Server) board(ctx context.Context, lang string, inst int64, sess scheduling.Session, now time.Time) ([]boardLine, error) {
	bookings, err := s.Scheduling.SessionBookings(ctx, inst, sess.ID)
	if err != nil {
		return nil, err
	}
	var out []boardLine
	for _, b := range bookings {
		p, err := s.People.Person(ctx, inst, b.PersonID, true)
		if err != nil {
			return nil, err
		}
		l := boardLine{Booking: b, Name: p.Name, Next: scheduling.Moves(b, sess, now)}
		msgs, err := s.Replies.Messages(ctx, inst, calendar.MessageFilter{BookingID: b.ID}, repliesShown)
		if err != nil {
			return nil, err
		}
		for _, m := range msgs {
			rl := replyOf(lang, m, b.Zone)
			l.Attention = l.Attention || rl.Open
			l.Replies = append(l.Replies, rl)
		}
		out = append(out, l)
	}
	return out, nil
}

// book puts a candidate on the session; with invite=yes it invites them
// at once (the invitation is queued in the same transaction as the move).
func (s *Server) book(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	person, _ := strconv.ParseInt(r.PostForm.Get("person_id"), 10, 64)
	role := scheduling.Role(r.PostForm.Get("role"))
	b, err := s.Scheduling.Book(r.Context(), u.InstitutionID, scheduling.BookRequest{SessionID: id, PersonID: person, Role: role})
	if err == nil && r.PostForm.Get("invite") == "yes" {
		_, _, err = s.Scheduling.TransitionBooking(r.Context(), scheduling.Scope{InstitutionID: u.InstitutionID}, b.ID, scheduling.Invited, 0)
	}
	if err != nil {
		p := newPage(r, &u, "courses")
		p.withError(err)
		s.renderSession(w, r, u, p, status(err))
		return
	}
	ok := "booked"
	if r.PostForm.Get("invite") == "yes" {
		ok = "invited"
	}
	back(w, r, fmt.Sprintf("%ssessions/%d?role=%s", Prefix, id, role), ok)
}

func (s *Server) transition(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	to := scheduling.Status(r.PostForm.Get("to"))
	if to == scheduling.Cancelled && r.PostForm.Get("confirm") != "yes" {
		s.confirmCancel(w, r, u, id)
		return
	}
	b, _, err := s.Scheduling.TransitionBooking(r.Context(), scheduling.Scope{InstitutionID: u.InstitutionID}, id, to, 0)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, fmt.Sprintf("%ssessions/%d", Prefix, b.SessionID), "status_"+string(b.Status))
}

type honorariumLine struct {
	incentive.Honorarium
	Name string
	// Course and Session tell one person's rows apart: the course's name,
	// the session's topic and date in the venue zone.
	Course, Session, Paid string
}

type honorariaView struct {
	page
	Status        string
	Year          int
	FilterYear    string
	PersonID      int64
	People        [][2]string
	Rows          []honorariumLine
	Pager         pager
	Keep          [][2]string
	StatusOptions [][2]string
}

// honorariaQuery is the honoraria list's filters of a request, to go back
// to the same list after a step.
func honorariaQuery(f url.Values) string {
	q := url.Values{}
	for _, k := range []string{"status", "year", "person_id", "page", "size"} {
		if v := f.Get(k); v != "" {
			q.Set(k, v)
		}
	}
	return q.Encode()
}

// honoraria lists the ledger, filtered by status, fiscal year and person
// (the API's filters), paged.
func (s *Server) honoraria(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx, q := r.Context(), r.URL.Query()
	v := honorariaView{page: newPage(r, &u, "honoraria"), Status: q.Get("status"), Year: s.Now().Year(), FilterYear: q.Get("year")}
	v.Title = v.T("honoraria_title")
	f := incentive.Filter{}
	if v.Status != "" {
		f.Statuses = []incentive.Status{incentive.Status(v.Status)}
	}
	if v.FilterYear != "" {
		y, err := strconv.Atoi(v.FilterYear)
		if err != nil || y < 2000 || y > 2100 {
			v.Fields["year"] = v.T("board_bad_year")
		} else {
			f.Year, v.Year = y, y
		}
	}
	v.StatusOptions = [][2]string{{"", v.T("all")}}
	for _, st := range []string{"draft", "approved", "paid"} {
		v.StatusOptions = append(v.StatusOptions, [2]string{st, v.T("h_" + st)})
	}
	if len(v.Fields) > 0 {
		v.Error = v.T("fix_fields")
		s.render(w, r, http.StatusUnprocessableEntity, "honoraria", v)
		return
	}
	rows, err := s.Incentives.List(ctx, u.InstitutionID, f)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v.PersonID, _ = strconv.ParseInt(q.Get("person_id"), 10, 64)
	names := map[int64]string{}
	var shown []incentive.Honorarium
	for _, h := range rows {
		if _, ok := names[h.PersonID]; !ok {
			p, err := s.People.Person(ctx, u.InstitutionID, h.PersonID, true)
			if err != nil {
				s.errorPage(w, r, &u, err)
				return
			}
			names[h.PersonID] = p.Name
			v.People = append(v.People, [2]string{strconv.FormatInt(h.PersonID, 10), p.Name})
		}
		if v.PersonID == 0 || h.PersonID == v.PersonID {
			shown = append(shown, h)
		}
	}
	slices.SortFunc(v.People, func(a, b [2]string) int { return strings.Compare(a[1], b[1]) })
	lo, hi, pg := v.pageRows(r, "page", len(shown))
	for _, h := range shown[lo:hi] {
		l, err := s.honorariumLine(r, u, v.page, h, names[h.PersonID])
		if err != nil {
			s.errorPage(w, r, &u, err)
			return
		}
		v.Rows = append(v.Rows, l)
	}
	v.Pager = pg
	for _, k := range []string{"status", "year", "person_id", "page", "size"} {
		if val := q.Get(k); val != "" {
			v.Keep = append(v.Keep, [2]string{k, val})
		}
	}
	s.render(w, r, http.StatusOK, "honoraria", v)
}

// export downloads the treasurer's export of a course (?course_id=) or a
// fiscal year (?year=), approved and paid rows.
func (s *Server) export(w http.ResponseWriter, r *http.Request, u tenant.User) {
	q := r.URL.Query()
	var f incentive.Filter
	f.CourseID, _ = strconv.ParseInt(q.Get("course_id"), 10, 64)
	f.Year, _ = strconv.Atoi(q.Get("year"))
	f.Statuses = []incentive.Status{incentive.Approved, incentive.Paid}
	file, ctype, body, err := s.Export(r.Context(), u.InstitutionID, r.PathValue("format"), f)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file))
	_, _ = w.Write(body)
}

// ledgerStep approves, pays or reverses a honorarium row. The console
// records the signed-in user in the audit log; approved_by and paid_by
// name API keys, so they stay empty here.
func (s *Server) ledgerStep(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	ctx, inst := r.Context(), u.InstitutionID
	switch r.PathValue("step") {
	case "approve":
		_, err = s.Incentives.Approve(ctx, inst, id, 0)
	case "pay":
		if r.FormValue("confirm") != "yes" {
			s.confirmPay(w, r, u, id, nil)
			return
		}
		pay := incentive.Payment{Reference: r.FormValue("reference")}
		if v := strings.TrimSpace(r.FormValue("paid_on")); v != "" {
			if pay.On, err = time.Parse(time.DateOnly, v); err != nil {
				err = errs.Invalidf("paid_on", "is not a date (YYYY-MM-DD)")
			}
		}
		if err == nil {
			_, err = s.Incentives.Pay(ctx, inst, id, 0, pay)
		}
		if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
			s.confirmPay(w, r, u, id, err)
			return
		}
	case "reverse":
		if r.FormValue("confirm") != "yes" {
			s.confirmReverse(w, r, u, id)
			return
		}
		_, err = s.Incentives.Reverse(ctx, inst, id)
	default:
		err = errs.NotFoundf("%v", errNoSuchStep)
	}
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, Prefix+"honoraria?"+honorariaQuery(r.Form), "ledger_"+r.PathValue("step"))
}

// pathCertificate reads the certificate the path's id names in the
// user's institution.
func (s *Server) pathCertificate(r *http.Request, u tenant.User) (certification.Certificate, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return certification.Certificate{}, err
	}
	return s.Certificates.Certificate(r.Context(), u.InstitutionID, id)
}

func (s *Server) certificatePDF(w http.ResponseWriter, r *http.Request, u tenant.User) {
	c, err := s.pathCertificate(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	s.sendPDF(w, r, u, c)
}

func (s *Server) revokeCertificate(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	reason := strings.TrimSpace(r.FormValue("reason"))
	if reason == "" {
		s.askRevokeReason(w, r, u, id, errs.Invalidf("reason", "is required"))
		return
	}
	if r.FormValue("confirm") != "yes" {
		s.confirmRevoke(w, r, u, id, reason)
		return
	}
	c, err := s.Certificates.Revoke(r.Context(), u.InstitutionID, id, reason)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, fmt.Sprintf("%scourses/%d", Prefix, c.CourseID), "certificate_revoked")
}

// sendPDF answers a certificate's printable PDF, with its QR code of the
// public verification page.
func (s *Server) sendPDF(w http.ResponseWriter, r *http.Request, u tenant.User, c certification.Certificate) {
	doc, err := certification.PDF(c, s.Certificates.VerifyURL(c))
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=\"sertifikat-%d.pdf\"", c.ID))
	_, _ = w.Write(doc)
}
