package console

import (
	"fmt"
	"net/http"
	"strings"

	"sinergi/errs"
	"sinergi/tenant"
)

// reissueCertificate asks for a reason, then revokes a certificate and
// issues a new one with a new number through certification.Reissue, the
// API's use case. A post without the confirmation changes nothing.
func (s *Server) reissueCertificate(w http.ResponseWriter, r *http.Request, u tenant.User) {
	c, err := s.pathCertificate(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	course := fmt.Sprintf("%scourses/%d", Prefix, c.CourseID)
	p := newPage(r, &u, "courses")
	if r.Method == http.MethodPost && confirmed(r) {
		reason := strings.TrimSpace(r.PostFormValue("reason"))
		if reason == "" {
			err = errs.Invalidf("reason", "is required")
		} else if _, err = s.Certificates.Reissue(r.Context(), u.InstitutionID, c.ID, reason); err == nil {
			back(w, r, course, "set_reissued")
			return
		}
		p.Form = r.PostForm
		p.withError(err)
	}
	v := confirmView{page: p, Question: msg(u.Lang, "set_confirm_reissue"), Detail: c.Number + " · " + c.HolderName,
		Action: fmt.Sprintf("%scertificates/%d/reissue", Prefix, c.ID), Reason: "reason", ReasonLabel: "set_reissue_reason",
		Button: msg(u.Lang, "set_yes_reissue"), Cancel: course}
	v.Title = v.T("set_reissue_title")
	st := http.StatusOK
	if err != nil {
		st = status(err)
	}
	s.askConfirm(w, r, v, st)
}
