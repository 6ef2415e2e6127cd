package api

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
)

// Limits on text in requests. Every string a request body carries is
// checked here, once, against its field's declaration: `validate:"max=N"`
// on a DTO field sets its length in characters (defaultMaxText when the
// field declares none), and `validate:"multiline"` lets a description or
// comment hold newlines and tabs. No other control character (NUL, CR,
// ESC, the rest of C0, DEL) is accepted anywhere: they break the database,
// the iCalendar and mail headers, and the pages people read.
const (
	defaultMaxText = 200
	maxQueryValue  = 500
)

// controlIn returns the first control character in s that a field may not
// hold, or -1.
func controlIn(s string, multiline bool) rune {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			if multiline && (r == '\n' || r == '\t' || r == '\r') {
				continue
			}
			return r
		}
	}
	return -1
}

// textProblem says what is wrong with one string of a field, or "".
func textProblem(s string, max int, multiline bool) string {
	if !utf8.ValidString(s) {
		return "must be UTF-8 text"
	}
	if r := controlIn(s, multiline); r >= 0 {
		return fmt.Sprintf("must not contain control characters (found U+%04X)", r)
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("must be at most %d characters", max)
	}
	return ""
}

// tagRules reads a field's text rules from its validate tag: the max=N
// before any dive (the field's own limit) and whether it is multiline.
func tagRules(tag string) (max int, multiline bool) {
	max = defaultMaxText
	own, _, _ := strings.Cut(tag, "dive")
	for _, part := range strings.Split(own, ",") {
		switch {
		case part == "multiline":
			multiline = true
		case strings.HasPrefix(part, "max="):
			if n, err := strconv.Atoi(strings.TrimPrefix(part, "max=")); err == nil {
				max = n
			}
		}
	}
	return max, multiline
}

// elemRules reads the rules of a slice's elements: the max=N after dive.
func elemRules(tag string) (max int, multiline bool) {
	_, elems, found := strings.Cut(tag, "dive")
	if !found {
		return defaultMaxText, strings.Contains(tag, "multiline")
	}
	return tagRules(strings.TrimPrefix(elems, ","))
}

// checkText walks v (a pointer to a DTO) and reports every string that
// breaks its field's rules, by JSON path.
func checkText(v any, f errs.Fields) {
	walkText(reflect.ValueOf(v), "", defaultMaxText, false, f)
}

func walkText(v reflect.Value, path string, max int, multiline bool, f errs.Fields) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), path, max, multiline, f)
		}
	case reflect.String:
		if p := textProblem(v.String(), max, multiline); p != "" {
			f.Add(path, p)
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := 0; i < v.Len(); i++ {
			walkText(v.Index(i), fmt.Sprintf("%s[%d]", path, i), max, multiline, f)
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			k := fmt.Sprint(iter.Key().Interface())
			at := path + "." + k
			if iter.Key().Kind() == reflect.String {
				if p := textProblem(k, defaultMaxText, false); p != "" {
					f.Add(path, "keys "+p)
					continue
				}
			}
			walkText(iter.Value(), at, max, multiline, f)
		}
	case reflect.Struct:
		t := v.Type()
		if t.PkgPath() == "time" {
			return
		}
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if sf.Anonymous {
				walkText(v.Field(i), path, max, multiline, f)
				continue
			}
			at := name
			if path != "" {
				at = path + "." + name
			}
			tag := sf.Tag.Get("validate")
			ft := sf.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			fm, fml := tagRules(tag)
			if ft.Kind() == reflect.Slice || ft.Kind() == reflect.Map {
				fm, fml = elemRules(tag)
			}
			walkText(v.Field(i), at, fm, fml, f)
		}
	}
}

// checkQuery refuses query values that are not text: control characters
// (NUL above all, which the database cannot store), invalid UTF-8 or more
// than maxQueryValue characters, naming the parameter.
func checkQuery(c *gin.Context) {
	if c.Request.URL.RawQuery == "" {
		c.Next()
		return
	}
	f := errs.Fields{}
	for name, values := range c.Request.URL.Query() {
		if p := textProblem(name, 100, false); p != "" {
			f.Add("query", "parameter names "+p)
			continue
		}
		for _, v := range values {
			if p := textProblem(v, maxQueryValue, false); p != "" {
				f.Add(name, p)
			}
		}
	}
	if err := f.Err(); err != nil {
		fail(c, err)
		return
	}
	c.Next()
}
