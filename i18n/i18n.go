// Package i18n is the message catalogue: every text a person reads is
// written in English in the code (a format and its arguments, as fmt takes
// them) and told in Indonesian, the default, or English. The catalogue is a
// golang.org/x/text catalog keyed by the English format; Accept-Language is
// matched with x/text's language matcher. Arguments are formatted with fmt,
// not localised, so ids and years are never grouped ("sesi 1234", "2026");
// rupiah amounts and times have their own argument types.
package i18n

import (
	"fmt"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// Lang is a language the service speaks.
type Lang string

// The languages: Indonesian is the default; English on request.
const (
	Indonesian Lang = "id"
	English    Lang = "en"
)

var (
	supported = []language.Tag{language.Indonesian, language.English}
	matcher   = language.NewMatcher(supported)
	cat       = sync.OnceValue(build)
)

// Negotiate picks the language of an Accept-Language header: English when
// the client prefers it, Indonesian otherwise (also when the header is
// missing, malformed or names neither).
func Negotiate(acceptLanguage string) Lang {
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return Indonesian
	}
	_, i, conf := matcher.Match(tags...)
	if i == 1 && conf != language.No {
		return English
	}
	return Indonesian
}

// Tag is the BCP 47 tag of the language, for Content-Language.
func (l Lang) Tag() string {
	if l == English {
		return "en"
	}
	return "id"
}

// Teller is an argument that tells itself in a language, such as a time
// in the venue zone or an amount in rupiah.
type Teller interface {
	Tell(Lang) string
}

// Text is a message before it is told: an English format and its
// arguments.
type Text struct {
	Format string
	Args   []any
}

// T returns the text of format and args.
func T(format string, args ...any) Text { return Text{Format: format, Args: args} }

// In tells the text in language l.
func (t Text) In(l Lang) string { return Sprintf(l, t.Format, t.Args...) }

// String tells the text in English.
func (t Text) String() string { return t.In(English) }

// Tell implements Teller, so that texts nest.
func (t Text) Tell(l Lang) string { return t.In(l) }

// Sprintf formats format in language l: the catalogue's Indonesian format
// when it has one, with arguments that are Tellers, Texts or catalogued
// words told in l too.
func Sprintf(l Lang, format string, args ...any) string {
	f := lookup(l, format)
	if len(args) == 0 {
		return f
	}
	told := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case Teller:
			told[i] = v.Tell(l)
		case string:
			told[i] = lookup(l, v)
		default:
			told[i] = a
		}
	}
	return fmt.Sprintf(f, told...)
}

// Has reports whether the catalogue holds the Indonesian form of format.
func Has(format string) bool {
	_, ok := lookupOK(Indonesian, format)
	return ok
}

func lookup(l Lang, format string) string {
	s, _ := lookupOK(l, format)
	return s
}

func lookupOK(l Lang, format string) (string, bool) {
	if l != Indonesian || format == "" {
		return format, false
	}
	s, ok := cat().indonesian[format]
	if !ok {
		return format, false
	}
	return s, true
}

// recorder takes the text the catalogue renders for a key; arguments are
// applied afterwards with fmt.
type recorder struct{ b strings.Builder }

func (r *recorder) Render(s string)     { r.b.WriteString(s) }
func (r *recorder) Arg(int) interface{} { return nil }

// catalogue is the x/text catalog and, rendered from it once, the
// Indonesian text of every key, so that telling a text is a map lookup.
type catalogue struct {
	builder    *catalog.Builder
	indonesian map[string]string
}

func build() catalogue {
	b := catalog.NewBuilder(catalog.Fallback(language.Indonesian))
	for _, table := range []map[string]string{errorsID, fieldsID, matchingID, textsID, wordsID} {
		for en, id := range table {
			if err := b.SetString(language.Indonesian, en, id); err != nil {
				panic(fmt.Sprintf("catalogue entry %q: %v", en, err))
			}
		}
	}
	c := catalogue{builder: b, indonesian: map[string]string{}}
	for _, table := range []map[string]string{errorsID, fieldsID, matchingID, textsID, wordsID} {
		for en := range table {
			var r recorder
			if err := b.Context(language.Indonesian, &r).Execute(en); err == nil {
				c.indonesian[en] = r.b.String()
			}
		}
	}
	return c
}

// Join is texts told one after another with a separator between them.
func Join(sep string, parts ...Text) Text {
	return Text{Format: "%s", Args: []any{joined{sep: sep, parts: parts}}}
}

type joined struct {
	sep   string
	parts []Text
}

func (j joined) Tell(l Lang) string {
	out := make([]string, len(j.parts))
	for i, p := range j.parts {
		out[i] = p.In(l)
	}
	return strings.Join(out, j.sep)
}

// Stored is a text kept as it was told in each language, such as a
// ledger row's basis read back from the database; without its English
// form it is told in Indonesian.
func Stored(indonesian, english string) Text {
	return Text{Format: "%s", Args: []any{stored{indonesian, english}}}
}

type stored struct{ id, en string }

func (s stored) Tell(l Lang) string {
	if l == English && s.en != "" {
		return s.en
	}
	return s.id
}
