package console

import (
	"fmt"
	"net/http"

	"sinergi/tenant"
)

// deactivateUser asks, then disables a staff user of the institution
// through tenant.Accounts.Deactivate, which ends their sessions in the
// same transaction. A post without the confirmation changes nothing.
func (s *Server) deactivateUser(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	target, err := s.Accounts.StaffUser(r.Context(), u.InstitutionID, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if r.Method != http.MethodPost || !confirmed(r) {
		v := confirmView{page: newPage(r, &u, "users"), Question: msg(u.Lang, "set_confirm_deactivate"),
			Detail: target.Email, Action: fmt.Sprintf("%susers/%d/deactivate", Prefix, id), Button: msg(u.Lang, "set_yes_deactivate"),
			Cancel: Prefix + "users"}
		v.Title = v.T("set_deactivate_title")
		s.askConfirm(w, r, v, http.StatusOK)
		return
	}
	if _, err := s.Accounts.Deactivate(r.Context(), u.InstitutionID, u.ID, id); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, Prefix+"users", "set_user_disabled")
}

// signOutUser ends every session of a staff user of the institution.
func (s *Server) signOutUser(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if _, err := s.Accounts.SignOutUser(r.Context(), u.InstitutionID, id); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, Prefix+"users", "set_user_signed_out")
}
