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
// ("validation_failed", "booking_conflict"); Message is for people.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	// Fields maps a JSON field name to what is wrong with it.
	Fields map[string]string
	// Details carries structured context, such as the clashing booking.
	Details map[string]any
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
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// Fields collects per-field validation problems; its Err method returns nil
// when nothing was added.
type Fields map[string]string

// Add records a problem with a field unless one is already recorded for it.
func (f Fields) Add(field, problem string) {
	if _, seen := f[field]; !seen {
		f[field] = problem
	}
}

// Err returns a validation error listing every field, or nil.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &Error{Kind: Invalid, Code: "validation_failed", Message: "some fields are not valid", Fields: map[string]string(f)}
}

// Invalidf returns a validation error for one field.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Code: "validation_failed", Message: "some fields are not valid",
		Fields: map[string]string{field: fmt.Sprintf(format, args...)}}
}

// NotFoundf returns a not_found error naming what was looked for.
func NotFoundf(format string, args ...any) *Error {
	return &Error{Kind: NotFound, Code: "not_found", Message: fmt.Sprintf(format, args...)}
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
