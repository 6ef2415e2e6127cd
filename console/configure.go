package console

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/matching"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// routesSettings registers the settings pages (matching weights, rate
// tables), the management of an institution's users, the admin pages
// (institutions, ceilings, holidays, signing keys) and certificate
// reissue.
func (s *Server) routesSettings(mux *http.ServeMux, staff func(func(http.ResponseWriter, *http.Request, tenant.User)) http.HandlerFunc) {
	admin := func(h func(http.ResponseWriter, *http.Request, tenant.User)) http.HandlerFunc {
		return s.signedIn(h, tenant.Admin)
	}
	mux.HandleFunc("POST /console/settings/matching", staff(s.saveWeights))
	mux.HandleFunc("GET /console/settings/rates", staff(s.rates))
	mux.HandleFunc("POST /console/settings/rates", staff(s.createRate))
	mux.HandleFunc("GET /console/users/{id}/deactivate", staff(s.deactivateUser))
	mux.HandleFunc("POST /console/users/{id}/deactivate", staff(s.deactivateUser))
	mux.HandleFunc("POST /console/users/{id}/sign-out", staff(s.signOutUser))
	mux.HandleFunc("GET /console/certificates/{id}/reissue", staff(s.reissueCertificate))
	mux.HandleFunc("POST /console/certificates/{id}/reissue", staff(s.reissueCertificate))

	mux.HandleFunc("POST /console/admin/institutions", admin(s.createInstitution))
	mux.HandleFunc("GET /console/admin/ceilings", admin(s.ceilings))
	mux.HandleFunc("POST /console/admin/ceilings", admin(s.createCeiling))
	mux.HandleFunc("GET /console/admin/holidays", admin(s.holidays))
	mux.HandleFunc("POST /console/admin/holidays", admin(s.putHoliday))
	mux.HandleFunc("GET /console/admin/holidays/{date}/delete", admin(s.deleteHoliday))
	mux.HandleFunc("POST /console/admin/holidays/{date}/delete", admin(s.deleteHoliday))
	mux.HandleFunc("GET /console/admin/keys", admin(s.signingKeys))
	mux.HandleFunc("GET /console/admin/keys/rotate", admin(s.rotateKey))
	mux.HandleFunc("POST /console/admin/keys/rotate", admin(s.rotateKey))
}

// weightLine is one matching weight as the settings page shows it: its
// name, what it means and its stored value.
type weightLine struct {
	Field, Name, Hint, Current string
}

var weightNames = []string{"expertise", "level", "rating", "load", "cost", "travel", "impact"}

func weightValues(w matching.Weights) []float64 {
	return []float64{w.Expertise, w.Level, w.Rating, w.Load, w.Cost, w.Travel, w.Impact}
}

func formatWeight(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// weightLines describes the stored weights in the page's language.
func weightLines(p page, set matching.Settings) []weightLine {
	vals := weightValues(set.Weights)
	out := make([]weightLine, len(weightNames))
	for i, n := range weightNames {
		out[i] = weightLine{Field: "weights." + n, Name: p.T("set_w_" + n), Hint: p.T("set_wh_" + n), Current: formatWeight(vals[i])}
	}
	return out
}

// fillWeights puts the stored matching settings into the page's form.
func fillWeights(p *page, set matching.Settings) {
	for i, v := range weightValues(set.Weights) {
		p.Form.Set("weights."+weightNames[i], formatWeight(v))
	}
	p.Form.Set("monthly_cap_jp", strconv.Itoa(set.MonthlyCapJP))
	p.Form.Set("budget_per_jp", strconv.FormatInt(set.BudgetPerJP, 10))
}

// saveWeights stores the institution's matching weights through
// matching.SaveSettings, the use case the API calls; its field problems
// are shown next to each weight.
func (s *Server) saveWeights(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	f := errs.Fields{}
	num := func(name string) float64 {
		v, err := strconv.ParseFloat(strings.TrimSpace(strings.ReplaceAll(r.PostForm.Get(name), ",", ".")), 64)
		if err != nil {
			f.Add(name, "must be a number")
		}
		return v
	}
	var ws [7]float64
	for i, n := range weightNames {
		ws[i] = num("weights." + n)
	}
	capJP, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("monthly_cap_jp")))
	if err != nil {
		f.Add("monthly_cap_jp", "must be a whole number")
	}
	budget, err := strconv.ParseInt(strings.TrimSpace(r.PostForm.Get("budget_per_jp")), 10, 64)
	if err != nil {
		f.Add("budget_per_jp", "must be a whole number")
	}
	set := matching.Settings{Weights: matching.Weights{Expertise: ws[0], Level: ws[1], Rating: ws[2], Load: ws[3], Cost: ws[4],
		Travel: ws[5], Impact: ws[6]}, MonthlyCapJP: capJP, BudgetPerJP: budget}
	if len(f) > 0 {
		// Show the domain's problems with the other fields too, so that
		// one round trip shows everything to fix.
		if e, ok := errs.As(set.Validate()); ok {
			for k, t := range e.FieldTexts {
				if _, unread := f[k]; !unread {
					f.Addf(k, t.Format, t.Args...)
				}
			}
		}
		s.settingsError(w, r, u, f.Err())
		return
	}
	if err := s.Matching.SaveSettings(r.Context(), u.InstitutionID, set); err != nil {
		s.settingsError(w, r, u, err)
		return
	}
	back(w, r, Prefix+"settings", "set_weights")
}

// rateLine is a rate with the ceiling it is held to.
type rateLine struct {
	incentive.Rate
	Ceiling    int64
	HasCeiling bool
}

type ratesView struct {
	page
	Lines   []rateLine
	Pager   pager
	Classes []incentive.Class
	// Admin is set on the ceilings page.
	Admin bool
	Tab   string
	// Regions are the regions that have an APBD ceiling, offered for the
	// region input.
	Regions []string
}

// rateLines orders the rates own picks newest version first.
func rateLines(all []incentive.Rate, own func(incentive.Rate) bool) []rateLine {
	var out []rateLine
	for _, r := range all {
		if own(r) {
			out = append(out, rateLine{Rate: r})
		}
	}
	slices.SortStableFunc(out, func(a, b rateLine) int {
		if a.FiscalYear != b.FiscalYear {
			return b.FiscalYear - a.FiscalYear
		}
		return strings.Compare(string(a.Class), string(b.Class))
	})
	return out
}

// rates lists the institution's own rate versions, each beside the
// ceiling it is held to, with the form that adds a version.
func (s *Server) rates(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "settings")
	p.Form.Set("fiscal_year", strconv.Itoa(s.Now().Year()+1))
	p.Form.Set("funding", "APBD")
	p.Form.Set("unit", string(incentive.PerJP))
	s.renderRates(w, r, u, p, http.StatusOK)
}

func (s *Server) renderRates(w http.ResponseWriter, r *http.Request, u tenant.User, p page, st int) {
	all, err := s.Incentives.Rates(r.Context(), u.InstitutionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := ratesView{page: p, Classes: incentive.Classes(), Tab: "rates", Regions: incentive.CeilingRegions(all, scheduling.APBD)}
	v.Lines, v.Pager = paged(r, v.page, rateLines(all, func(x incentive.Rate) bool { return x.InstitutionID == u.InstitutionID }))
	// Only the lines shown are priced against their ceiling.
	for i := range v.Lines {
		if c, ok := incentive.Ceiling(all, v.Lines[i].Rate); ok {
			v.Lines[i].Ceiling, v.Lines[i].HasCeiling = c.Amount, true
		}
	}
	v.Title = v.T("set_rates_title")
	s.render(w, r, st, "rates", v)
}

// rateForm reads a rate line from a form; a number that is not one is a
// field problem of its own.
func rateForm(r *http.Request) (incentive.Rate, error) {
	_ = r.ParseForm()
	f := r.PostForm
	rate := incentive.Rate{Regulation: f.Get("regulation"), Funding: scheduling.Funding(f.Get("funding")), Region: f.Get("region"),
		Class: incentive.Class(f.Get("class")), Unit: incentive.Unit(f.Get("unit")), Source: f.Get("source")}
	bad := errs.Fields{}
	year, err := strconv.Atoi(strings.TrimSpace(f.Get("fiscal_year")))
	if err != nil {
		bad.Add("fiscal_year", "must be a year such as 2026")
	}
	amount, err := strconv.ParseInt(strings.TrimSpace(strings.ReplaceAll(f.Get("amount"), ".", "")), 10, 64)
	if err != nil {
		bad.Add("amount", "must be a whole number")
	}
	rate.FiscalYear, rate.Amount = year, amount
	return rate, bad.Err()
}

// createRate adds a version of one of the institution's rates through
// incentive.CreateRate, which refuses a rate above the ceiling.
func (s *Server) createRate(w http.ResponseWriter, r *http.Request, u tenant.User) {
	rate, err := rateForm(r)
	if err == nil {
		_, err = s.Incentives.CreateRate(r.Context(), u.InstitutionID, rate)
	}
	if err != nil {
		p := newPage(r, &u, "settings")
		p.Form = r.PostForm
		p.withError(err)
		s.renderRates(w, r, u, p, status(err))
		return
	}
	back(w, r, Prefix+"settings/rates", "set_rate_added")
}
