package api

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
	"sinergi/tz"
)

// parseDate reads YYYY-MM-DD as UTC midnight.
func parseDate(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, errs.Invalidf(field, "must be a date YYYY-MM-DD")
	}
	return t, scheduling.CheckDate(field, t)
}

// parseInstant reads RFC 3339 with an offset, or a local time without one
// (2026-12-07T09:00) in the given zone.
func parseInstant(field, s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, scheduling.CheckDate(field, t)
	}
	if loc != nil {
		for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04"} {
			if t, err := time.ParseInLocation(layout, s, loc); err == nil {
				return t, scheduling.CheckDate(field, t)
			}
		}
	}
	return time.Time{}, errs.Invalidf(field, "must be RFC 3339 such as 2026-12-07T09:00:00+08:00, or a local time 2026-12-07T09:00 in the venue zone")
}

type courseIn struct {
	Name                    string `json:"name" validate:"required"`
	OrganisingUnit          string `json:"organising_unit" validate:"required"`
	Funding                 string `json:"funding" validate:"required"`
	Region                  string `json:"region" validate:"required"`
	StartDate               string `json:"start_date" validate:"required"`
	EndDate                 string `json:"end_date" validate:"required"`
	LeadMinJenjang          string `json:"lead_min_jenjang"`
	PractitionerOutsideUnit *bool  `json:"practitioner_outside_unit"`
	CoTrainers              string `json:"co_trainers"`
}

type courseOut struct {
	ID                      int64         `json:"id"`
	InstitutionID           int64         `json:"institution_id"`
	Name                    string        `json:"name"`
	OrganisingUnit          string        `json:"organising_unit"`
	Funding                 string        `json:"funding"`
	Region                  string        `json:"region"`
	StartDate               string        `json:"start_date"`
	EndDate                 string        `json:"end_date"`
	LeadMinJenjang          string        `json:"lead_min_jenjang,omitempty"`
	PractitionerOutsideUnit bool          `json:"practitioner_outside_unit"`
	CoTrainers              string        `json:"co_trainers"`
	SessionCount            int           `json:"session_count"`
	Sessions                *[]sessionOut `json:"sessions,omitempty"`
	CreatedAt               time.Time     `json:"created_at"`
}

// courseDTO shows a course; with sessions (the course's own page) it lists
// them, in a listing it gives only their number.
func courseDTO(c scheduling.Course, count int, sessions []scheduling.Session) courseOut {
	out := courseOut{ID: c.ID, InstitutionID: c.InstitutionID, Name: c.Name, OrganisingUnit: c.OrganisingUnit,
		Funding: string(c.Funding), Region: c.Region, StartDate: c.StartDate.Format(time.DateOnly),
		EndDate: c.EndDate.Format(time.DateOnly), LeadMinJenjang: string(c.LeadMinJenjang),
		PractitionerOutsideUnit: c.PractitionerOutsideUnit, CoTrainers: string(c.CoTrainers), SessionCount: count,
		CreatedAt: c.CreatedAt}
	if sessions != nil {
		list := make([]sessionOut, 0, len(sessions))
		for _, s := range sessions {
			list = append(list, sessionDTO(s, nil))
		}
		out.Sessions, out.SessionCount = &list, len(list)
	}
	return out
}

func (s *Server) createCourse(c *gin.Context) {
	var in courseIn
	if err := decode(c, &in); err != nil {
		fail(c, err)
		return
	}
	checked := s.check(&in)
	start, err1 := parseDate("start_date", in.StartDate)
	end, err2 := parseDate("end_date", in.EndDate)
	outside := true
	if in.PractitionerOutsideUnit != nil {
		outside = *in.PractitionerOutsideUnit
	}
	draft := scheduling.Course{
		Name: in.Name, OrganisingUnit: in.OrganisingUnit, Funding: scheduling.Funding(strings.ToUpper(in.Funding)),
		Region: in.Region, StartDate: start, EndDate: end, LeadMinJenjang: profile.Jenjang(in.LeadMinJenjang),
		PractitionerOutsideUnit: outside, CoTrainers: scheduling.CoTrainers(in.CoTrainers)}
	if err := firstErr(checked, err1, err2); err != nil {
		// A missing field or a date that cannot be read does not hide
		// the other fields' problems: the course is checked too, the
		// first problem of a field winning.
		fail(c, errs.Collect(checked, err1, err2, draft.Normalize()))
		return
	}
	course, err := s.Scheduling.CreateCourse(c.Request.Context(), principal(c).InstitutionID, draft)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/v1/courses/%d", course.ID))
	c.JSON(http.StatusCreated, courseDTO(course, 0, []scheduling.Session{}))
}

func firstErr(errors ...error) error {
	for _, e := range errors {
		if e != nil {
			return e
		}
	}
	return nil
}

func (s *Server) getCourse(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	course, sessions, err := s.Scheduling.CourseWithSessions(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	if sessions == nil {
		sessions = []scheduling.Session{}
	}
	c.JSON(http.StatusOK, courseDTO(course, len(sessions), sessions))
}

type requirementIO struct {
	Code     string `json:"code"`
	MinLevel int    `json:"min_level" validate:"gte=0,lte=5"`
}

type sessionIn struct {
	Topic                *string          `json:"topic" validate:"omitnil,max=200"`
	RequiredCompetencies *[]requirementIO `json:"required_competencies" validate:"omitnil,max=30"`
	Start                *string          `json:"start"`
	End                  *string          `json:"end"`
	Zone                 *string          `json:"zone"`
	JP                   *int             `json:"jp" validate:"omitnil,gte=1,lte=100"`
	Mode                 *string          `json:"mode"`
	Venue                *string          `json:"venue" validate:"omitnil,max=300"`
	Status               *string          `json:"status" validate:"omitnil,oneof=scheduled cancelled"`
	Force                bool             `json:"force"`
}

type holidayOut struct {
	Date   string `json:"date"`
	Kind   string `json:"kind"`
	NameID string `json:"name_id"`
	NameEN string `json:"name_en"`
	Status string `json:"status"`
	Source string `json:"source"`
}

func holidayDTO(h scheduling.Holiday) holidayOut {
	return holidayOut{Date: h.Date.Format(time.DateOnly), Kind: string(h.Kind), NameID: h.NameID, NameEN: h.NameEN,
		Status: h.Status, Source: h.Source}
}

type sessionOut struct {
	ID                   int64             `json:"id"`
	CourseID             int64             `json:"course_id"`
	Topic                string            `json:"topic"`
	RequiredCompetencies []requirementIO   `json:"required_competencies"`
	Start                string            `json:"start"`
	End                  string            `json:"end"`
	StartUTC             string            `json:"start_utc"`
	EndUTC               string            `json:"end_utc"`
	Zone                 string            `json:"zone"`
	ZoneLabel            string            `json:"zone_label"`
	LocalTimes           map[string]string `json:"local_times"`
	JP                   int               `json:"jp"`
	Mode                 string            `json:"mode"`
	Venue                string            `json:"venue"`
	Status               string            `json:"status"`
	Version              int               `json:"version"`
	Warnings             []holidayOut      `json:"warnings,omitempty"`
	Bookings             []bookingOut      `json:"bookings,omitempty"`
}

// localTimes shows a session's clock range in WIB, WITA and WIT.
func localTimes(start, end time.Time) map[string]string {
	out := map[string]string{}
	for _, z := range []string{"Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"} {
		loc := tz.MustLoad(z)
		out[tz.Label(z)] = start.In(loc).Format("15:04") + "–" + end.In(loc).Format("15:04")
	}
	return out
}

func sessionDTO(s scheduling.Session, warnings []scheduling.Holiday) sessionOut {
	loc := s.Location()
	out := sessionOut{ID: s.ID, CourseID: s.CourseID, Topic: s.Topic, RequiredCompetencies: []requirementIO{},
		Start: s.Start.In(loc).Format(time.RFC3339), End: s.End.In(loc).Format(time.RFC3339),
		StartUTC: s.Start.UTC().Format(time.RFC3339), EndUTC: s.End.UTC().Format(time.RFC3339), Zone: s.Zone,
		ZoneLabel: tz.Label(s.Zone), LocalTimes: localTimes(s.Start, s.End), JP: s.JP, Mode: string(s.Mode), Venue: s.Venue,
		Status: string(s.Status), Version: s.Version}
	for _, r := range s.Requirements {
		out.RequiredCompetencies = append(out.RequiredCompetencies, requirementIO(r))
	}
	for _, h := range warnings {
		out.Warnings = append(out.Warnings, holidayDTO(h))
	}
	return out
}

// applySession copies the given fields of in onto sess.
func applySession(sess *scheduling.Session, in sessionIn) error {
	if in.Topic != nil {
		sess.Topic = *in.Topic
	}
	if in.Zone != nil {
		sess.Zone = *in.Zone
	}
	loc, _ := tz.Load(sess.Zone)
	var err1, err2 error
	if in.Start != nil {
		sess.Start, err1 = parseInstant("start", *in.Start, loc)
	}
	if in.End != nil {
		sess.End, err2 = parseInstant("end", *in.End, loc)
	}
	if err := firstErr(err1, err2); err != nil {
		return err
	}
	if in.JP != nil {
		sess.JP = *in.JP
	}
	if in.Mode != nil {
		sess.Mode = scheduling.Mode(*in.Mode)
	}
	if in.Venue != nil {
		sess.Venue = *in.Venue
	}
	if in.Status != nil {
		sess.Status = scheduling.SessionStatus(*in.Status)
	}
	if in.RequiredCompetencies != nil {
		sess.Requirements = nil
		for _, r := range *in.RequiredCompetencies {
			sess.Requirements = append(sess.Requirements, scheduling.Requirement(r))
		}
	}
	return nil
}

func (s *Server) createSession(c *gin.Context) {
	courseID, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in sessionIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	if in.Status != nil {
		fail(c, errs.Invalidf("status", "a new session is scheduled; cancel it with PATCH"))
		return
	}
	var sess scheduling.Session
	if err := applySession(&sess, in); err != nil {
		fail(c, err)
		return
	}
	out, warnings, err := s.Scheduling.CreateSession(c.Request.Context(), principal(c).InstitutionID, courseID, sess, in.Force)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/v1/sessions/%d", out.ID))
	c.Header("ETag", etag(out.Version))
	c.JSON(http.StatusCreated, sessionDTO(out, warnings))
}

func (s *Server) getSession(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	sess, bookings, err := s.Scheduling.SessionWithBookings(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	out := sessionDTO(sess, nil)
	out.Bookings = []bookingOut{}
	for _, b := range bookings {
		out.Bookings = append(out.Bookings, bookingDTO(b))
	}
	c.Header("ETag", etag(sess.Version))
	c.JSON(http.StatusOK, out)
}

// ifMatchVersion reads W/"v<n>" from If-Match; 0 means no precondition.
func ifMatchVersion(c *gin.Context) (int, error) {
	m := c.GetHeader("If-Match")
	if m == "" || m == "*" {
		return 0, nil
	}
	v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(m, `W/"v`), `"`))
	if err != nil || v < 1 {
		return 0, errs.New(errs.Precondition, "precondition_failed", `If-Match must be an ETag of this resource, such as W/"v3"`)
	}
	return v, nil
}

func (s *Server) patchSession(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	version, err := ifMatchVersion(c)
	if err != nil {
		fail(c, err)
		return
	}
	var in sessionIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	var applyErr error
	out, warnings, bookings, err := s.Scheduling.UpdateSession(c.Request.Context(), principal(c).InstitutionID, id, version, in.Force,
		func(sess *scheduling.Session) { applyErr = applySession(sess, in) })
	if err == nil {
		err = applyErr
	}
	if err != nil {
		fail(c, err)
		return
	}
	dto := sessionDTO(out, warnings)
	for _, b := range bookings {
		dto.Bookings = append(dto.Bookings, bookingDTO(b))
	}
	c.Header("ETag", etag(out.Version))
	c.JSON(http.StatusOK, dto)
}

type bookingIn struct {
	SessionID int64  `json:"session_id" validate:"required"`
	PersonID  int64  `json:"person_id" validate:"required"`
	Role      string `json:"role" validate:"required,oneof=lead co_trainer"`
	Force     bool   `json:"force"`
}

type bookingOut struct {
	ID                 int64    `json:"id"`
	InstitutionID      int64    `json:"institution_id"`
	SessionID          int64    `json:"session_id"`
	PersonID           int64    `json:"person_id"`
	Role               string   `json:"role"`
	Status             string   `json:"status"`
	Start              string   `json:"start"`
	End                string   `json:"end"`
	Zone               string   `json:"zone"`
	ZoneLabel          string   `json:"zone_label"`
	UID                string   `json:"uid"`
	Sequence           int      `json:"sequence"`
	Flags              []string `json:"flags"`
	Forced             bool     `json:"forced"`
	ActualJP           int      `json:"actual_jp,omitempty"`
	AllowedTransitions []string `json:"allowed_transitions"`
	HonorariumID       int64    `json:"honorarium_id,omitempty"`
	HonorariumError    string   `json:"honorarium_error,omitempty"`
	// Reply and ReplyAttention are filled on GET /v1/bookings/{id}: the
	// latest answer from a calendar reply (with its COMMENT) and the
	// latest reply still needing staff (refused, doubtful, delegated,
	// deferred).
	Reply          *messageOut `json:"reply,omitempty"`
	ReplyAttention *messageOut `json:"reply_attention,omitempty"`
	Version        int         `json:"version"`
	CreatedAt      time.Time   `json:"created_at"`
	UpdatedAt      time.Time   `json:"updated_at"`
}

func bookingDTO(b scheduling.Booking) bookingOut {
	allowed := []string{}
	for _, st := range scheduling.Allowed(b.Status) {
		allowed = append(allowed, string(st))
	}
	flags := b.Flags
	if flags == nil {
		flags = []string{}
	}
	loc := time.UTC
	if l, err := tz.Load(b.Zone); err == nil {
		loc = l
	}
	return bookingOut{ID: b.ID, InstitutionID: b.InstitutionID, SessionID: b.SessionID, PersonID: b.PersonID,
		Role: string(b.Role), Status: string(b.Status), Start: b.During.Start.In(loc).Format(time.RFC3339),
		End: b.During.End.In(loc).Format(time.RFC3339), Zone: b.Zone, ZoneLabel: tz.Label(b.Zone), UID: b.UID, Sequence: b.Sequence, Flags: flags, Forced: b.Forced,
		ActualJP: b.ActualJP, AllowedTransitions: allowed, Version: b.Version, CreatedAt: b.CreatedAt, UpdatedAt: b.UpdatedAt}
}

func (s *Server) createBooking(c *gin.Context) {
	var in bookingIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	b, err := s.Scheduling.Book(c.Request.Context(), principal(c).InstitutionID, scheduling.BookRequest{
		SessionID: in.SessionID, PersonID: in.PersonID, Role: scheduling.Role(in.Role), Force: in.Force})
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Location", fmt.Sprintf("/v1/bookings/%d", b.ID))
	c.JSON(http.StatusCreated, bookingDTO(b))
}

// bookingScope is what a principal may reach: staff their institution's
// bookings, a trainer their own.
func bookingScope(p tenant.Principal) scheduling.Scope {
	if p.Role == tenant.Trainer {
		return scheduling.Scope{PersonID: p.PersonID}
	}
	return scheduling.Scope{InstitutionID: p.InstitutionID}
}

func (s *Server) getBooking(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	b, err := s.Scheduling.Booking(c.Request.Context(), bookingScope(principal(c)), id)
	if err != nil {
		fail(c, err)
		return
	}
	out := bookingDTO(b)
	answer, attention, err := s.Replies.BookingReplies(c.Request.Context(), b.InstitutionID, b.ID)
	if err != nil {
		fail(c, err)
		return
	}
	if answer != nil {
		m := messageDTO(*answer)
		out.Reply = &m
	}
	if attention != nil {
		m := messageDTO(*attention)
		out.ReplyAttention = &m
	}
	c.JSON(http.StatusOK, out)
}

type transitionIn struct {
	To       string `json:"to" validate:"required,oneof=invited accepted declined tentative confirmed completed cancelled"`
	ActualJP int    `json:"actual_jp" validate:"gte=0,lte=100"`
}

func (s *Server) transitionBooking(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in transitionIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	b, fx, err := s.Scheduling.TransitionBooking(c.Request.Context(), bookingScope(principal(c)), id, scheduling.Status(in.To), in.ActualJP)
	if err != nil {
		fail(c, err)
		return
	}
	out := bookingDTO(b)
	out.HonorariumID = fx.HonorariumID
	if fx.HonorariumError != nil {
		out.HonorariumError = errorMessage(c, fx.HonorariumError)
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) listHolidays(c *gin.Context) {
	year := s.Now().Year()
	if v := c.Query("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			fail(c, errs.Invalidf("year", "must be a year such as 2026"))
			return
		}
		year = y
	}
	hs, err := s.Scheduling.Holidays(c.Request.Context(), year)
	writeList(c, hs, err, holidayDTO)
}

type holidayIn struct {
	Date   string `json:"date" validate:"required"`
	Kind   string `json:"kind" validate:"required"`
	NameID string `json:"name_id" validate:"required,max=200"`
	NameEN string `json:"name_en" validate:"max=200"`
	Status string `json:"status"`
	Source string `json:"source" validate:"required,max=300"`
	// Replace replaces the holiday the date has; without it such a date
	// is 409 holiday_exists.
	Replace bool `json:"replace"`
}

func (s *Server) putHoliday(c *gin.Context) {
	var in holidayIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	date, err := parseDate("date", in.Date)
	if err != nil {
		fail(c, err)
		return
	}
	h := scheduling.Holiday{Date: date, Kind: scheduling.HolidayKind(in.Kind), NameID: in.NameID, NameEN: in.NameEN, Status: in.Status, Source: in.Source}
	out, err := s.Scheduling.PutHoliday(c.Request.Context(), h, in.Replace)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, holidayDTO(out))
}

func (s *Server) deleteHoliday(c *gin.Context) {
	date, err := parseDate("date", c.Param("date"))
	if err == nil && date.IsZero() {
		err = errNoRoute
	}
	if err == nil {
		err = s.Scheduling.DeleteHoliday(c.Request.Context(), date)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

type windowIO struct {
	RRule string `json:"rrule" validate:"required,max=500"`
	Start string `json:"start" validate:"required,max=5"`
	End   string `json:"end" validate:"required,max=5"`
}

type periodIO struct {
	Start  string `json:"start" validate:"required,max=40"`
	End    string `json:"end" validate:"required,max=40"`
	Reason string `json:"reason" validate:"max=200"`
}

// availabilityIn is what a PUT may send: windows are in the person's own
// zone, so a zone is refused rather than silently ignored.
type availabilityIn struct {
	Windows     []windowIO `json:"windows" validate:"max=50,dive"`
	Unavailable []periodIO `json:"unavailable" validate:"max=500,dive"`
}

type availabilityIO struct {
	Zone        string     `json:"zone,omitempty"`
	Windows     []windowIO `json:"windows" validate:"dive"`
	Unavailable []periodIO `json:"unavailable" validate:"dive"`
}

func availabilityDTO(a scheduling.Availability) availabilityIO {
	out := availabilityIO{Zone: a.Zone, Windows: []windowIO{}, Unavailable: []periodIO{}}
	loc := tz.MustLoad(a.Zone)
	for _, w := range a.Windows {
		out.Windows = append(out.Windows, windowIO{RRule: w.RRule, Start: scheduling.FormatClock(w.Start), End: scheduling.FormatClock(w.End)})
	}
	for _, p := range a.Unavailable {
		out.Unavailable = append(out.Unavailable, periodIO{Start: p.Start.In(loc).Format(time.RFC3339), End: p.End.In(loc).Format(time.RFC3339), Reason: p.Reason})
	}
	return out
}

func (s *Server) putAvailability(c *gin.Context) {
	id, err := personParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	var in availabilityIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	inst := principal(c).InstitutionID
	person, err := s.People.Person(c.Request.Context(), inst, id, false)
	if err != nil {
		fail(c, err)
		return
	}
	loc := tz.MustLoad(person.Zone)
	var a scheduling.Availability
	bad := errs.Fields{}
	for i, w := range in.Windows {
		start, ok1 := scheduling.ParseClock(w.Start)
		end, ok2 := scheduling.ParseClock(w.End)
		if !ok1 {
			bad.Add(fmt.Sprintf("windows[%d].start", i), "must be HH:MM")
		}
		if !ok2 {
			bad.Add(fmt.Sprintf("windows[%d].end", i), "must be HH:MM")
		}
		a.Windows = append(a.Windows, scheduling.Window{RRule: w.RRule, Start: start, End: end})
	}
	for i, p := range in.Unavailable {
		start, err1 := parseInstant(fmt.Sprintf("unavailable[%d].start", i), p.Start, loc)
		end, err2 := parseInstant(fmt.Sprintf("unavailable[%d].end", i), p.End, loc)
		for _, e := range []error{err1, err2} {
			if fe, ok := errs.As(e); ok {
				for k := range fe.Fields {
					t := fe.FieldText(k)
					bad.Addf(k, t.Format, t.Args...)
				}
			}
		}
		a.Unavailable = append(a.Unavailable, scheduling.Period{Interval: scheduling.Interval{Start: start.UTC(), End: end.UTC()}, Reason: p.Reason})
	}
	if err := bad.Err(); err != nil {
		fail(c, err)
		return
	}
	out, err := s.Scheduling.SetAvailability(c.Request.Context(), inst, id, a)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, availabilityDTO(out))
}

func (s *Server) getAvailability(c *gin.Context) {
	id, err := personParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	a, err := s.Scheduling.Availability(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, availabilityDTO(a))
}

type intervalOut struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Kind      string `json:"kind,omitempty"`
	BookingID int64  `json:"booking_id,omitempty"`
	SessionID int64  `json:"session_id,omitempty"`
	Topic     string `json:"topic,omitempty"`
	Reason    string `json:"reason,omitempty"`
}

func (s *Server) freeBusy(c *gin.Context) {
	id, err := personParam(c)
	if err != nil {
		fail(c, err)
		return
	}
	inst := principal(c).InstitutionID
	person, err := s.People.Person(c.Request.Context(), inst, id, false)
	if err != nil {
		fail(c, err)
		return
	}
	zone := c.DefaultQuery("tz", person.Zone)
	loc, lerr := tz.Load(zone)
	if lerr != nil {
		fail(c, errs.Invalidf("tz", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura"))
		return
	}
	from, err1 := parseInstant("from", c.Query("from"), loc)
	to, err2 := parseInstant("to", c.Query("to"), loc)
	if err := firstErr(err1, err2); err != nil {
		fail(c, err)
		return
	}
	if from.IsZero() || to.IsZero() {
		fail(c, errs.Invalidf("from", "from and to are required"))
		return
	}
	free, busy, unavailable, err := s.Scheduling.FreeBusy(c.Request.Context(), inst, id, from, to)
	if err != nil {
		fail(c, err)
		return
	}
	show := func(t time.Time) string { return t.In(loc).Format(time.RFC3339) }
	out := freeBusyOut{TZ: zone, ZoneLabel: tz.Label(zone), From: show(from), To: show(to)}
	freeOut := []intervalOut{}
	for _, f := range free {
		freeOut = append(freeOut, intervalOut{Start: show(f.Start), End: show(f.End)})
	}
	busyOut := []intervalOut{}
	for _, b := range busy {
		iv := intervalOut{Start: show(b.Start), End: show(b.End), Kind: "booking"}
		if b.InstitutionID == inst { // another institution's booking is only busy time
			iv.BookingID, iv.SessionID, iv.Topic = b.BookingID, b.SessionID, b.Topic
		}
		busyOut = append(busyOut, iv)
	}
	for _, u := range unavailable {
		busyOut = append(busyOut, intervalOut{Start: show(u.Start), End: show(u.End), Kind: "unavailable", Reason: u.Reason})
	}
	out.Free, out.Busy = freeOut, busyOut
	c.JSON(http.StatusOK, out)
}

// idCursor reads ?limit and ?cursor for listings paged by id; the cursor
// is the last id of the previous page.
func idCursor(c *gin.Context) (int, int64, error) {
	limit, cursor, err := listQuery(c)
	if err != nil || cursor == "" {
		return limit, 0, err
	}
	after, perr := strconv.ParseInt(cursor, 36, 64)
	if perr != nil || after < 0 {
		return 0, 0, errs.Invalidf("cursor", "is not a cursor from this listing; start again without it")
	}
	return limit, after, nil
}

// queryIDs reads optional id query parameters into their destinations,
// noting malformed ones in bad.
func queryIDs(c *gin.Context, bad errs.Fields, into map[string]*int64) {
	for name, dst := range into {
		if v := c.Query(name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				bad.Add(name, "must be an id")
			}
			*dst = n
		}
	}
}

// writePage answers one page; a full page gets the cursor of its last row.
func writePage[T, D any](c *gin.Context, list []T, limit int, id func(T) int64, dto func(T) D) {
	items := make([]D, len(list))
	for i, x := range list {
		items[i] = dto(x)
	}
	next := ""
	if len(list) == limit && limit > 0 {
		next = strconv.FormatInt(id(list[len(list)-1]), 36)
	}
	c.JSON(http.StatusOK, listOut[D]{Items: items, NextCursor: next})
}

func (s *Server) listCourses(c *gin.Context) {
	limit, after, err := idCursor(c)
	if err != nil {
		fail(c, err)
		return
	}
	list, err := s.Scheduling.ListCourses(c.Request.Context(), principal(c).InstitutionID, after, limit)
	if err != nil {
		fail(c, err)
		return
	}
	writePage(c, list, limit, func(x scheduling.CourseSummary) int64 { return x.ID },
		func(x scheduling.CourseSummary) courseOut { return courseDTO(x.Course, x.Sessions, nil) })
}

// listSessions lists the institution's sessions across courses, by start,
// with filters staff need to find the ones still to staff.
func (s *Server) listSessions(c *gin.Context) {
	limit, cursor, err := listQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := scheduling.SessionFilter{Limit: limit, Zone: c.Query("zone"), Status: scheduling.SessionStatus(c.Query("status")),
		Unstaffed: scheduling.Role(c.Query("unstaffed"))}
	bad := errs.Fields{}
	queryIDs(c, bad, map[string]*int64{"course_id": &f.CourseID})
	loc := tz.MustLoad("Asia/Jakarta")
	if l, err := tz.Load(f.Zone); err == nil {
		loc = l
	}
	for name, dst := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := c.Query(name); v != "" {
			if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
				*dst = t
			} else if t, err := parseInstant(name, v, loc); err == nil {
				*dst = t
			} else {
				bad.Add(name, "must be a date YYYY-MM-DD or RFC 3339 such as 2026-12-07T09:00:00+08:00")
			}
		}
	}
	if cursor != "" {
		at, id, ok := strings.Cut(cursor, ".")
		sec, err1 := strconv.ParseInt(at, 36, 64)
		n, err2 := strconv.ParseInt(id, 36, 64)
		if !ok || err1 != nil || err2 != nil {
			bad.Add("cursor", "is not a cursor from this listing; start again without it")
		}
		f.After = &scheduling.SessionCursor{Start: time.UnixMicro(sec).UTC(), ID: n}
	}
	if err := bad.Err(); err != nil {
		fail(c, err)
		return
	}
	list, err := s.Scheduling.ListSessions(c.Request.Context(), principal(c).InstitutionID, f)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]sessionOut, len(list))
	for i, x := range list {
		items[i] = sessionDTO(x, nil)
	}
	next := ""
	if len(list) == limit && limit > 0 {
		last := list[len(list)-1]
		next = strconv.FormatInt(last.Start.UnixMicro(), 36) + "." + strconv.FormatInt(last.ID, 36)
	}
	c.JSON(http.StatusOK, listOut[sessionOut]{Items: items, NextCursor: next})
}

// listBookings lists staff their institution's bookings (by session,
// person or status) and a trainer their own.
func (s *Server) listBookings(c *gin.Context) {
	limit, after, err := idCursor(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := scheduling.BookingFilter{After: after, Limit: limit, Status: c.Query("status")}
	bad := errs.Fields{}
	queryIDs(c, bad, map[string]*int64{"session_id": &f.SessionID, "person_id": &f.PersonID})
	if f.Status != "" {
		known := false
		for _, st := range []scheduling.Status{scheduling.Proposed, scheduling.Invited, scheduling.Accepted, scheduling.Declined,
			scheduling.Tentative, scheduling.Confirmed, scheduling.Completed, scheduling.Cancelled} {
			known = known || string(st) == f.Status
		}
		if !known {
			bad.Add("status", "is not a booking status")
		}
	}
	if err := bad.Err(); err != nil {
		fail(c, err)
		return
	}
	list, err := s.Scheduling.ListBookings(c.Request.Context(), bookingScope(principal(c)), f)
	if err != nil {
		fail(c, err)
		return
	}
	writePage(c, list, limit, func(x scheduling.Booking) int64 { return x.ID }, bookingDTO)
}

// freeBusyOut is a person's free and busy time in a zone.
type freeBusyOut struct {
	TZ        string        `json:"tz"`
	ZoneLabel string        `json:"zone_label"`
	From      string        `json:"from"`
	To        string        `json:"to"`
	Free      []intervalOut `json:"free"`
	Busy      []intervalOut `json:"busy"`
}

// listOut is every list's envelope.
type listOut[T any] struct {
	Items      []T    `json:"items"`
	NextCursor string `json:"next_cursor"`
}
