package console

import (
	"fmt"
	"strings"

	"sinergi/audit"
)

// actor says who made an audited change: a console user by name (or
// e-mail), an API key by its number, else the role (system, command line).
func actor(p page, e audit.Entry) string {
	switch {
	case e.ActorName != "":
		return e.ActorName
	case e.ActorUserID != 0:
		return fmt.Sprintf("%s (%s %d)", e.ActorRole, p.T("user"), e.ActorUserID)
	case e.ActorKeyID != 0:
		return fmt.Sprintf("%s (%s %d)", e.ActorRole, p.T("api_key"), e.ActorKeyID)
	}
	return e.ActorRole
}

// personFields names, by the field the roster's audit image records, the
// label of the profile form that edits it. Fields without a label
// (version, timestamps) are bookkeeping and not told.
var personFields = map[string]string{
	"Kind": "roster_f_kind", "Name": "roster_f_name", "Email": "roster_f_email", "Phone": "roster_f_phone", "NIP": "roster_f_nip",
	"Jenjang": "roster_f_jenjang", "Golongan": "roster_f_golongan", "Organisation": "roster_f_organisation", "Unit": "roster_f_unit",
	"Employment": "roster_f_employment", "TaxIDStatus": "roster_f_tax_id_status", "TaxID": "roster_f_tax_id",
	"TaxIDSealed": "roster_f_tax_id", "Expertise": "roster_f_expertise", "ExperienceYears": "roster_f_experience_years",
	"Zone": "roster_f_zone", "ShareProfile": "roster_f_share_profile",
}

// changeText says what an audited change changed: a booking's or
// honorarium's status from → to, the profile fields edited (by label,
// never their values: tax numbers and contacts stay off the page).
func changeText(p page, e audit.Entry) string {
	if c, ok := e.Changed("status"); ok && e.Entity == "booking" && c.From != "" {
		return fmt.Sprintf(p.T("flow_status_from_to"), p.T("status_"+c.From), p.T("status_"+c.To))
	}
	if e.Entity == "person" {
		var labels []string
		for _, c := range e.Changes {
			key, ok := personFields[c.Field]
			if !ok {
				continue
			}
			if l := strings.TrimSuffix(p.T(key), " *"); !contains(labels, l) {
				labels = append(labels, l)
			}
		}
		if len(labels) > 0 {
			return fmt.Sprintf(p.T("flow_fields_changed"), strings.Join(labels, ", "))
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
