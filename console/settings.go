package console

import (
	"net/http"
	"strconv"

	"sinergi/certification"
	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/tenant"
)

type settingsView struct {
	page
	// Weights are the stored matching weights with what each means.
	Weights []weightLine
	Tab     string
}

// settings shows the institution's certificate template and signer and the
// honorarium settings, each saved through its domain's use case.
func (s *Server) settings(w http.ResponseWriter, r *http.Request, u tenant.User) {
	p := newPage(r, &u, "settings")
	cert, err := s.Certificates.Settings(r.Context(), u.InstitutionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	inc, err := s.Incentives.Settings(r.Context(), u.InstitutionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	ms, err := s.Matching.Settings.Settings(r.Context(), u.InstitutionID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	fillWeights(&p, ms)
	if cert.Template == "" {
		cert.Template = certification.DefaultTemplate
	}
	for k, v := range map[string]string{"template": cert.Template, "signer_name": cert.SignerName, "signer_title": cert.SignerTitle,
		"signer_nip": cert.SignerNIP, "widyaiswara_minimum_jp": strconv.Itoa(inc.MinimumJP), "ppk_name": inc.PPKName,
		"ppk_nip": inc.PPKNIP, "treasurer_name": inc.TreasurerName, "treasurer_nip": inc.TreasurerNIP} {
		p.Form.Set(k, v)
	}
	s.renderSettings(w, r, p, http.StatusOK)
}

func (s *Server) renderSettings(w http.ResponseWriter, r *http.Request, p page, st int) {
	ms, err := s.Matching.Settings.Settings(r.Context(), p.User.InstitutionID)
	if err != nil {
		s.errorPage(w, r, p.User, err)
		return
	}
	v := settingsView{page: p, Weights: weightLines(p, ms), Tab: "general"}
	v.Title = v.T("settings_title")
	s.render(w, r, st, "settings", v)
}

func (s *Server) saveCertSettings(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	f := r.PostForm
	err := s.Certificates.PutSettings(r.Context(), u.InstitutionID, certification.Settings{Template: f.Get("template"),
		SignerName: f.Get("signer_name"), SignerTitle: f.Get("signer_title"), SignerNIP: f.Get("signer_nip")})
	if err != nil {
		s.settingsError(w, r, u, err)
		return
	}
	back(w, r, Prefix+"settings", "settings_saved")
}

func (s *Server) saveIncentiveSettings(w http.ResponseWriter, r *http.Request, u tenant.User) {
	_ = r.ParseForm()
	f := r.PostForm
	min, err := strconv.Atoi(f.Get("widyaiswara_minimum_jp"))
	if err != nil {
		s.settingsError(w, r, u, errs.Invalidf("widyaiswara_minimum_jp", "must be a whole number"))
		return
	}
	_, err = s.Incentives.PutSettings(r.Context(), u.InstitutionID, incentive.Settings{MinimumJP: min, PPKName: f.Get("ppk_name"),
		PPKNIP: f.Get("ppk_nip"), TreasurerName: f.Get("treasurer_name"), TreasurerNIP: f.Get("treasurer_nip")})
	if err != nil {
		s.settingsError(w, r, u, err)
		return
	}
	back(w, r, Prefix+"settings", "settings_saved")
}

// settingsError shows both forms again, the submitted one with its values
// and field errors.
func (s *Server) settingsError(w http.ResponseWriter, r *http.Request, u tenant.User, err error) {
	p := newPage(r, &u, "settings")
	p.Form = r.PostForm
	p.withError(err, map[string]string{"number_template": "template"})
	s.renderSettings(w, r, p, status(err))
}
