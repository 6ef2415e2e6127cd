package console

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"sinergi/certification"
	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// createInstitution adds a tenant through tenant.CreateInstitution, the
// API's use case; the admin then makes its first staff user on the same
// page.
func (s *Server) createInstitution(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	f := r.PostForm
	in, err := s.Tenants.CreateInstitution(r.Context(), tenant.Institution{Code: f.Get("code"), Name: f.Get("name"),
		Kind: f.Get("kind"), Zone: f.Get("zone")})
	p := newPage(r, &u, "admin")
	if err != nil {
		p.Form = r.PostForm
		p.withError(err)
		s.renderAdmin(w, r, u, p, "", "")
		return
	}
	back(w, r, fmt.Sprintf("%sadmin?institution=%d", Prefix, in.ID), "set_inst_created")
}

// ceilings lists the national ceilings, newest version first, with the
// form that adds a version.
func (s *Server) ceilings(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "admin")
	p.Form.Set("fiscal_year", strconv.Itoa(s.Now().Year()+1))
	p.Form.Set("funding", "APBN")
	p.Form.Set("unit", string(incentive.PerJP))
	s.renderCeilings(w, r, u, p, http.StatusOK)
}

func (s *Server) renderCeilings(w http.ResponseWriter, r *http.Request, u tenant.User, p page, st int) {
	all, err := s.Incentives.Rates(r.Context(), 0)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := ratesView{page: p, Classes: incentive.Classes(), Admin: true, Tab: "ceilings"}
	v.Lines, v.Pager = paged(r, v.page, rateLines(all, func(x incentive.Rate) bool { return x.InstitutionID == 0 }))
	v.Title = v.T("set_ceilings_title")
	s.render(w, r, st, "rates", v)
}

// createCeiling adds a ceiling version through incentive.CreateRate with
// no institution, as the API does for the admin.
func (s *Server) createCeiling(w http.ResponseWriter, r *http.Request, u tenant.User) {
	rate, err := rateForm(r)
	if err == nil {
		_, err = s.Incentives.CreateRate(r.Context(), 0, rate)
	}
	if err != nil {
		p := newPage(r, &u, "admin")
		p.Form = r.PostForm
		p.withError(err)
		s.renderCeilings(w, r, u, p, status(err))
		return
	}
	back(w, r, Prefix+"admin/ceilings", "set_ceiling_added")
}

type holidaysView struct {
	page
	Year               int
	Holidays           []scheduling.Holiday
	Pager              pager
	PrevYear, NextYear int
	Tab                string
	// AskReplace offers replacing the holiday the date has, after the
	// domain refused adding a second one.
	AskReplace bool
}

// holidayYear reads the year a holiday list shows: the query's, else this
// year.
func (s *Server) holidayYear(r *http.Request) int {
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		return y
	}
	return s.Now().Year()
}

// holidays lists a year's holidays with the form that adds one.
func (s *Server) holidays(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "admin")
	p.Form.Set("kind", string(scheduling.LiburNasional))
	p.Form.Set("status", "confirmed")
	s.renderHolidays(w, r, u, p, s.holidayYear(r), http.StatusOK, false)
}

func (s *Server) renderHolidays(w http.ResponseWriter, r *http.Request, u tenant.User, p page, year, st int, askReplace bool) {
	list, err := s.Scheduling.Holidays(r.Context(), year)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := holidaysView{page: p, Year: year, PrevYear: year - 1, NextYear: year + 1, Tab: "holidays", AskReplace: askReplace}
	v.Holidays, v.Pager = paged(r, v.page, list)
	v.Title = v.T("set_holidays_title")
	s.render(w, r, st, "holidays", v)
}

// putHoliday adds a holiday through scheduling.PutHoliday; a date that has
// one comes back with the domain's problem at the date field and a box to
// tick to replace it.
func (s *Server) putHoliday(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	f := r.PostForm
	h := scheduling.Holiday{Kind: scheduling.HolidayKind(f.Get("kind")), NameID: f.Get("name_id"), NameEN: f.Get("name_en"),
		Status: f.Get("status"), Source: f.Get("source")}
	var err error
	if h.Date, err = time.Parse(time.DateOnly, strings.TrimSpace(f.Get("date"))); err != nil && f.Get("date") != "" {
		err = errs.Invalidf("date", "must be a date YYYY-MM-DD")
	} else {
		_, err = s.Scheduling.PutHoliday(r.Context(), h, f.Get("replace") == "yes")
	}
	if err != nil {
		p := newPage(r, &u, "admin")
		p.Form = f
		p.withError(err)
		year := s.Now().Year()
		if !h.Date.IsZero() {
			year = h.Date.Year()
		}
		s.renderHolidays(w, r, u, p, year, status(err), errors.Is(err, scheduling.ErrHolidayTaken))
		return
	}
	back(w, r, s.holidayPage(r, h.Date), "set_holiday_added")
}

// holidayPage is the URL of the list page that shows the holiday on date.
func (s *Server) holidayPage(r *http.Request, date time.Time) string {
	to := fmt.Sprintf("%sadmin/holidays?year=%d", Prefix, date.Year())
	list, err := s.Scheduling.Holidays(r.Context(), date.Year())
	if err != nil {
		return to
	}
	for i, h := range list {
		if h.Date.Equal(date) && i >= pageSize {
			return fmt.Sprintf("%s&page=%d", to, i/pageSize+1)
		}
	}
	return to
}

// deleteHoliday asks, then removes a holiday through
// scheduling.DeleteHoliday; a post without the confirmation changes
// nothing.
func (s *Server) deleteHoliday(w http.ResponseWriter, r *http.Request, u tenant.User) {
	date, err := time.Parse(time.DateOnly, r.PathValue("date"))
	if err != nil {
		s.errorPage(w, r, &u, errs.NotFoundf("no holiday on %s", r.PathValue("date")))
		return
	}
	var found *scheduling.Holiday
	list, err := s.Scheduling.Holidays(r.Context(), date.Year())
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	for i := range list {
		if list[i].Date.Equal(date) {
			found = &list[i]
		}
	}
	if found == nil {
		s.errorPage(w, r, &u, errs.NotFoundf("no holiday on %s", date.Format(time.DateOnly)))
		return
	}
	year := s.holidayPage(r, date)
	if r.Method != http.MethodPost || !confirmed(r) {
		v := confirmView{page: newPage(r, &u, "admin"), Question: msg(u.Lang, "set_confirm_remove_holiday"),
			Detail: date.Format("02-01-2006") + " · " + found.NameID, Action: fmt.Sprintf("%sadmin/holidays/%s/delete", Prefix, date.Format(time.DateOnly)),
			Button: msg(u.Lang, "set_yes_remove"), Cancel: year}
		v.Title = v.T("set_remove_holiday_title")
		s.askConfirm(w, r, v, http.StatusOK)
		return
	}
	if err := s.Scheduling.DeleteHoliday(r.Context(), date); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, year, "set_holiday_removed")
}

// keyLine is a signing key as the admin sees it: public material only,
// with its times in the platform's zone and that zone's label.
type keyLine struct {
	ID, DID          string
	Active           bool
	Created, Retired string
}

// platformZone is the zone of pages that belong to no institution (the
// platform admin's): WIB, the capital's.
const platformZone = "Asia/Jakarta"

type keysView struct {
	page
	Keys  []keyLine
	Pager pager
	Tab   string
}

// signingKeys lists the certificate signing keys with their status.
func (s *Server) signingKeys(w http.ResponseWriter, r *http.Request, u tenant.User) {
	keys, err := s.Certificates.Keys.Keys(r.Context())
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	lines := make([]keyLine, 0, len(keys))
	for i := len(keys) - 1; i >= 0; i-- { // newest first
		k := keys[i]
		l := keyLine{ID: k.ID, DID: certification.DIDKey(k.Public), Active: k.Active, Created: at(u.Lang, k.CreatedAt, platformZone)}
		if k.RetiredAt != nil {
			l.Retired = at(u.Lang, *k.RetiredAt, platformZone)
		}
		lines = append(lines, l)
	}
	v := keysView{page: newPage(r, &u, "admin"), Tab: "keys"}
	v.Keys, v.Pager = paged(r, v.page, lines)
	v.Title = v.T("set_keys_title")
	s.render(w, r, http.StatusOK, "keys", v)
}

// rotateKey asks, then makes a new signing key and retires the active
// one through the keyring's Rotate (audited); a post without the
// confirmation changes nothing.
func (s *Server) rotateKey(w http.ResponseWriter, r *http.Request, u tenant.User) {
	if r.Method != http.MethodPost || !confirmed(r) {
		v := confirmView{page: newPage(r, &u, "admin"), Question: msg(u.Lang, "set_confirm_rotate"),
			Action: Prefix + "admin/keys/rotate", Button: msg(u.Lang, "set_yes_rotate"), Cancel: Prefix + "admin/keys"}
		if k, err := s.activeKeyID(r); err == nil && k != "" {
			v.Detail = k
		}
		v.Title = v.T("set_rotate_title")
		s.askConfirm(w, r, v, http.StatusOK)
		return
	}
	if _, err := s.Certificates.Keys.Rotate(r.Context()); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, Prefix+"admin/keys", "set_key_rotated")
}

// activeKeyID names the active key without making one.
func (s *Server) activeKeyID(r *http.Request) (string, error) {
	keys, err := s.Certificates.Keys.Keys(r.Context())
	for _, k := range keys {
		if k.Active {
			return k.ID, err
		}
	}
	return "", err
}
