// Package errs defines the kinds of error the domain reports and the Error
// value that carries a kind, a stable machine code, a message for people and,
// for validation failures, the offending fields. The api package maps kinds to
// HTTP statuses in one table; nothing else needs to know about HTTP.
package errs

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind int

// The kinds of error. Internal is the zero value so that an unclassified
// error is never mistaken for a client error.
const (
	Internal Kind = iota
	Invalid
	NotFound
	Conflict
	Forbidden
	Unauthenticated
	Precondition
	RateLimited
	Malformed
	TooLarge
	// Unavailable is a dependency (the database) that did not answer in
	// time or at all: nothing the caller did, and worth retrying.
	Unavailable
)

// Error is a classified error. Code is stable and machine readable
// ("validation_failed", "booking_conflict"); Message is for people, in
// English. Format and Args (and FieldTexts for the fields) keep what the
// messages were formatted from, so that the api can tell them in the
// reader's language through the message catalogue; the code never changes
// with the language.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	// Fields maps a JSON field name to what is wrong with it.
	Fields map[string]string
	// Details carries structured context, such as the clashing booking.
	Details map[string]any
	// Format and Args are what Message was formatted from; an empty Format
	// means Message itself.
	Format string
	Args   []any
	// FieldTexts holds, per field, what its problem was formatted from.
	FieldTexts map[string]Text
}

// Text is a message before formatting: an English format and its
// arguments.
type Text struct {
	Format string
	Args   []any
}

// String formats the text.
func (t Text) String() string {
	if len(t.Args) == 0 {
		return t.Format
	}
	return fmt.Sprintf(t.Format, t.Args...)
}

// Text returns what the message was formatted from.
func (e *Error) Text() Text {
	if e.Format == "" {
		return Text{Format: e.Message}
	}
	return Text{Format: e.Format, Args: e.Args}
}

// FieldText returns what a field's problem was formatted from.
func (e *Error) FieldText(field string) Text {
	if t, ok := e.FieldTexts[field]; ok {
		return t
	}
	return Text{Format: e.Fields[field]}
}

// New returns an Error of the given kind.
func New(kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message}
}

// Error implements error.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return e.Code + ": " + e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " " + e.Fields[k]
	}
	return fmt.Sprintf("%s: %s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Is reports whether target is an *Error with the same code, so sentinels
// such as scheduling.ErrDoubleBooked match copies enriched with details.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithDetails returns a copy of e carrying the given details.
func (e *Error) WithDetails(details map[string]any) *Error {
	c := *e
	c.Details = details
	return &c
}

// WithMessage returns a copy of e with another message.
func (e *Error) WithMessage(format string, args ...any) *Error {
	c := *e
	c.Message = Text{format, args}.String()
	c.Format, c.Args = format, args
	return &c
}

// OnField returns a copy of e whose message is also the problem of one
// field, such as a duplicate e-mail address: a form shows it next to that
// input, and the API names the field.
func (e *Error) OnField(field string) *Error {
	c := *e
	t := c.Text()
	c.Fields = map[string]string{field: t.String()}
	c.FieldTexts = map[string]Text{field: t}
	return &c
}

// Fields collects per-field validation problems; its Err method returns nil
// when nothing was added.
type Fields map[string]Text

// Add records a problem with a field unless one is already recorded for it.
func (f Fields) Add(field, problem string) {
	if _, seen := f[field]; !seen {
		f[field] = Text{Format: problem}
	}
}

// Addf records a formatted problem with a field unless one is already
// recorded for it.
func (f Fields) Addf(field, format string, args ...any) {
	if _, seen := f[field]; !seen {
		f[field] = Text{Format: format, Args: args}
	}
}

// Err returns a validation error listing every field, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	e := &Error{Kind: Invalid, Code: "validation_failed", Message: "some fields are not valid",
		Fields: make(map[string]string, len(f)), FieldTexts: make(map[string]Text, len(f))}
	for k, t := range f {
		e.Fields[k], e.FieldTexts[k] = t.String(), t
	}
	return e
}

// Collect merges validation errors into one that lists every field, the
// first problem of a field winning, so that a form hears of all its
// problems at once (a date that cannot be read and a blank name). Nil
// errors are skipped; the first error that is not a validation error
// with fields is returned as it is.
func Collect(errors ...error) error {
	f := Fields{}
	for _, err := range errors {
		if err == nil {
			continue
		}
		e, ok := As(err)
		if !ok || len(e.Fields) == 0 {
			return err
		}
		keys := make([]string, 0, len(e.Fields))
		for k := range e.Fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			t := e.FieldText(k)
			f.Addf(k, t.Format, t.Args...)
		}
	}
	return f.Err()
}

// Invalidf returns a validation error for one field.
func Invalidf(field, format string, args ...any) *Error {
	t := Text{format, args}
	return &Error{Kind: Invalid, Code: "validation_failed", Message: "some fields are not valid",
		Fields: map[string]string{field: t.String()}, FieldTexts: map[string]Text{field: t}}
}

// NotFoundf returns a not_found error naming what was looked for.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Message: Text{format, args}.String(), Format: format, Args: args}
}

// KindOf returns the kind of the first *Error in err's chain, or Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// As returns the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
