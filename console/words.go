package console

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"sinergi/i18n"
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
