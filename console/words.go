package console

import (
	"fmt"
	"time"

	"sinergi/i18n"
	"sinergi/scheduling"
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
