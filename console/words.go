package console

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"sinergi/i18n"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
	"sinergi/tz"
)

// langOf is the catalogue's language of a page's language code.
func langOf(lang string) i18n.Lang {
	if lang == "en" {
		return i18n.English
	}
	return i18n.Indonesian
}

// Tell tells a text of the catalogue (a matching explanation, a reason) in
// the page's language.
func (p page) Tell(t i18n.Teller) string { return t.Tell(langOf(p.Lang)) }

// day is a date as lists show it, with the weekday's short name in the
// page's language: "Sen 15-02-2027" or "Mon 15-02-2027".
func day(lang string, t time.Time) string { return i18n.ShortDate(t).Tell(langOf(lang)) }

// when is a session's date and clock in the venue's zone with
// WIB/WITA/WIT, in the page's language.
func when(lang string, s scheduling.Session) string {
	loc := s.Location()
	return fmt.Sprintf("%s %s–%s %s", day(lang, s.Start.In(loc)), s.Start.In(loc).Format("15:04"),
		s.End.In(loc).Format("15:04"), tz.Label(s.Zone))
}

// at is an instant in a zone, with its WIB/WITA/WIT label, in the page's
// language.
func at(lang string, t time.Time, zone string) string {
	loc, err := tz.Load(zone)
	if err != nil {
		loc = time.UTC
	}
	return day(lang, t.In(loc)) + " " + t.In(loc).Format("15:04") + " " + tz.Label(zone)
}

// Say tells a catalogued English text in the page's language.
func (p page) Say(format string, args ...any) string {
	return i18n.Sprintf(langOf(p.Lang), format, args...)
}

// guestLang is the language of someone not signed in: the one they
// picked (?lang= on the page, or the lang the sign-in form carries), else
// the browser's Accept-Language, Indonesian first.
func guestLang(r *http.Request) string {
	for _, l := range []string{r.URL.Query().Get("lang"), r.PostForm.Get("lang")} {
		if l == "id" || l == "en" {
			return l
		}
	}
	return i18n.Negotiate(r.Header.Get("Accept-Language")).Tag()
}

// here is the page a language switch comes back to: the page shown, with
// its filters, or for a form's answer the page the form was on (the
// browser's same-origin Referer); failing both, the user's first page.
func here(r *http.Request, u *tenant.User) string {
	def := Prefix
	if u != nil {
		def = home(u.Role)
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		q := r.URL.Query()
		q.Del("ok")
		return safeNext(withQuery(r.URL.Path, q), def)
	}
	if ref, err := url.Parse(r.Referer()); err == nil && ref.Host == r.Host {
		q := ref.Query()
		q.Del("ok")
		return safeNext(withQuery(ref.Path, q), def)
	}
	return def
}

// switchURL is the page shown in the other language, for someone not
// signed in (their choice travels in ?lang=).
func switchURL(r *http.Request, lang string) string {
	q := r.URL.Query()
	q.Del("ok")
	if lang == "en" {
		q.Set("lang", "id")
	} else {
		q.Set("lang", "en")
	}
	return withQuery(r.URL.Path, q)
}

func withQuery(p string, q url.Values) string {
	if len(q) == 0 {
		return p
	}
	return p + "?" + q.Encode()
}

// inputOf is the form input that shows the problem of an API field: the
// form's own name for it when inputs has one, else the field's name. A
// field of a list ("requirements[0].min_level") is looked up without its
// index too.
func inputOf(field string, inputs []map[string]string) string {
	plain := indexes.ReplaceAllString(field, "")
	for _, in := range inputs {
		if n, ok := in[field]; ok {
			return n
		}
		if n, ok := in[plain]; ok {
			return n
		}
	}
	return field
}

var indexes = regexp.MustCompile(`\[\d+\]`)

// pageOf gives render the page a view embeds.
func (p page) pageOf() page { return p }

// unshown finds the field problems of a rendered page that no input
// showed (the API named a field the form does not have) and lists them
// on top with the field's name, so that a page never says "check the
// fields" with nothing marked. It reports whether the page must be
// rendered again.
func unshown(view any, html string) bool {
	v, ok := view.(interface{ pageOf() page })
	if !ok {
		return false
	}
	p := v.pageOf()
	if len(p.Fields) == 0 || p.top == nil || len(*p.top) > 0 || p.Error == "" {
		return false
	}
	byText := map[string][]string{}
	for k, m := range p.Fields {
		byText[m] = append(byText[m], k)
	}
	var lines []string
	for m, names := range byText {
		if strings.Count(html, ">"+template.HTMLEscapeString(m)+"<") >= len(names) {
			continue
		}
		for _, k := range names {
			if !strings.Contains(html, "f-"+k+"-err\"") {
				lines = append(lines, p.fieldName(k)+": "+m)
			}
		}
	}
	if len(lines) == 0 {
		return false
	}
	slices.Sort(lines)
	*p.top = lines
	return true
}

// fieldName is a field as people call it: its label in the catalogue of
// the console, or the field itself with spaces.
func (p page) fieldName(field string) string {
	key := "words_field_" + indexes.ReplaceAllString(field, "")
	if t := p.T(key); t != key {
		return t
	}
	return strings.ReplaceAll(field, "_", " ")
}

// Problems are the field problems listed on top (see unshown).
func (p page) Problems() []string {
	if p.top == nil {
		return nil
	}
	return *p.top
}

// sessionInputs are the new-session form's inputs for the API's fields
// where the names differ: the form asks for one required competency.
var sessionInputs = map[string]string{"required_competencies": "competency", "required_competencies.code": "competency",
	"required_competencies.min_level": "min_level"}

// askRevokeReason shows the revocation's confirmation with the reason to
// fill in, next to its problem (a reason of only spaces), so that staff
// can go on from there.
func (s *Server) askRevokeReason(w http.ResponseWriter, r *http.Request, u tenant.User, id int64, problem error) {
	c, err := s.Certificates.Certificate(r.Context(), u.InstitutionID, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := confirmView{page: newPage(r, &u, "courses"), Action: r.URL.Path, Cancel: fmt.Sprintf("%scourses/%d", Prefix, c.CourseID),
		Button: msg(u.Lang, "revoke_confirm"), Reason: "reason", ReasonLabel: "words_revoke_reason"}
	v.Title = v.T("board_revoke_title")
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("board_revoke_what"), c.Number, c.HolderName), v.T("board_revoke_after"))
	v.Form.Set("reason", "")
	v.withError(problem)
	s.askConfirm(w, r, v, status(problem))
}

// Problem tells a spreadsheet import's problem to people: in the words of
// the page's language where the problem was written for API clients.
func (p page) Problem(x profile.ImportProblem) string {
	if x.Format == "" {
		return x.Message
	}
	return p.Say(i18n.ForPeople(x.Format), x.Args...)
}
