package api

import (
	"html/template"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
	"sinergi/i18n"
)

const langKey = "lang"

// pageFuncs gives the pages' templates the catalogue: t with the page's
// language, an English text and its arguments tells the text in that
// language.
var pageFuncs = template.FuncMap{"t": func(l i18n.Lang, format string, args ...any) string {
	return i18n.Sprintf(l, format, args...)
}}

// negotiateLanguage picks the language of every text the request's answer
// holds from Accept-Language: Indonesian unless the client prefers English.
func (s *Server) negotiateLanguage(c *gin.Context) {
	l := i18n.Negotiate(c.GetHeader("Accept-Language"))
	c.Set(langKey, l)
	c.Header("Content-Language", l.Tag())
	c.Writer.Header().Add("Vary", "Accept-Language")
	c.Next()
}

// lang is the language negotiated for the request.
func lang(c *gin.Context) i18n.Lang {
	if l, ok := c.Get(langKey); ok {
		return l.(i18n.Lang)
	}
	return i18n.Indonesian
}

// tell tells an errs text in the request's language.
func tell(c *gin.Context, t errs.Text) string {
	return i18n.Sprintf(lang(c), t.Format, t.Args...)
}

// translated is e's message and fields in the request's language; the
// code stays as it is.
func translated(c *gin.Context, e *errs.Error) (string, map[string]string) {
	if len(e.Fields) == 0 {
		return tell(c, e.Text()), nil
	}
	fields := make(map[string]string, len(e.Fields))
	for k := range e.Fields {
		fields[k] = tell(c, e.FieldText(k))
	}
	return tell(c, e.Text()), fields
}
