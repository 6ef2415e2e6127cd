package api

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"

	"sinergi/errs"
)

// statusOf is the one table from error kind to HTTP status.
var statusOf = map[errs.Kind]int{
	errs.Invalid:         http.StatusUnprocessableEntity,
	errs.Malformed:       http.StatusBadRequest,
	errs.NotFound:        http.StatusNotFound,
	errs.Conflict:        http.StatusConflict,
	errs.Forbidden:       http.StatusForbidden,
	errs.Unauthenticated: http.StatusUnauthorized,
	errs.Precondition:    http.StatusPreconditionFailed,
	errs.RateLimited:     http.StatusTooManyRequests,
	errs.TooLarge:        http.StatusRequestEntityTooLarge,
	errs.Unavailable:     http.StatusServiceUnavailable,
}

// retryAfterUnavailable is what a 503 asks the client to wait, in seconds.
const retryAfterUnavailable = "5"

var errUnavailable = errs.New(errs.Unavailable, "unavailable", "the database did not answer in time; try again shortly")

// unavailable reports whether err is the database (or the request's own
// deadline) failing to answer rather than a fault in the request or the
// code: a deadline passed, a connection broke or could not be made, or
// the server cancelled a statement (statement_timeout) or is shutting
// down. It reads only standard interfaces, so no driver type reaches api.
func unavailable(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var op *net.OpError
	if errors.As(err, &op) {
		return true
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		code := st.SQLState()
		return strings.HasPrefix(code, "08") || code == "57014" || strings.HasPrefix(code, "57P") || code == "53300"
	}
	return false
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Status    int               `json:"status"`
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	Details   map[string]any    `json:"details,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// fail answers with the error envelope. Errors without a kind are logged
// with the request id and answered 500 without their text.
func fail(c *gin.Context, err error) {
	e, ok := errs.As(err)
	if (!ok || e.Kind == errs.Internal) && unavailable(err) {
		logger(c).WarnContext(c.Request.Context(), "database unavailable", "request_id", requestID(c), "err", err)
		e, ok = errUnavailable, true
	}
	if ok && e.Kind == errs.Unavailable {
		c.Header("Retry-After", retryAfterUnavailable)
	}
	status := http.StatusInternalServerError
	if ok {
		if s, known := statusOf[e.Kind]; known {
			status = s
		}
	}
	rid := requestID(c)
	if status == http.StatusInternalServerError {
		logger(c).ErrorContext(c.Request.Context(), "internal error", "request_id", rid, "err", err)
		e = errs.New(errs.Internal, "internal_error", "internal error; quote the request id when reporting it")
	}
	c.Abort()
	msg, fields := translated(c, e)
	c.JSON(status, errorBody{Error: errorDetail{Status: status, Code: e.Code, Message: msg, Fields: fields,
		Details: e.Details, RequestID: rid}})
}

const loggerKey = "logger"

// logger is the server's logger, which the first middleware puts on the
// context.
func logger(c *gin.Context) *slog.Logger {
	if l, ok := c.Get(loggerKey); ok {
		return l.(*slog.Logger)
	}
	return slog.Default()
}

var (
	errMalformed = errs.New(errs.Malformed, "malformed_json", "the request body is not valid JSON")
	errTooLarge  = errs.New(errs.TooLarge, "too_large", "the request body is too large")
	errNoRoute   = errs.New(errs.NotFound, "not_found", "no such resource")
	errNoMethod  = errs.New(errs.Invalid, "method_not_allowed", "that method is not allowed on this resource")
)

// bind decodes a JSON body strictly into v and validates its tags. Unknown
// fields are refused so that a misspelt field is not silently dropped.
func (s *Server) bind(c *gin.Context, v any) error {
	if err := decode(c, v); err != nil {
		return err
	}
	return s.check(v)
}

// decode reads the body's one JSON value into v, without checking it.
func decode(c *gin.Context, v any) error {
	dec := json.NewDecoder(c.Request.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err)
	}
	if dec.More() {
		return errMalformed.WithMessage("the request body holds more than one JSON value")
	}
	return nil
}

func decodeError(err error) error {
	var maxErr *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &maxErr):
		return errTooLarge
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" {
			field = "body"
		}
		return errs.Invalidf(field, "must be %s", jsonType(typeErr.Type.Kind().String()))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errs.Invalidf(field, "is not a known field")
	case errors.Is(err, io.EOF):
		return errMalformed.WithMessage("the request body is empty; send a JSON object")
	default:
		return errMalformed.WithMessage("the request body is not valid JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
}

func jsonType(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map":
		return "an object"
	default:
		return "a number"
	}
}

// check runs the validator over v's tags and reports fields by JSON name.
func (s *Server) check(v any) error {
	f := errs.Fields{}
	checkText(v, f)
	err := s.validate.Struct(v)
	var verrs validator.ValidationErrors
	if err == nil || !errors.As(err, &verrs) {
		if err == nil {
			return f.Err()
		}
		return err
	}
	for _, fe := range verrs {
		ns := fe.Namespace()
		if i := strings.IndexByte(ns, '.'); i >= 0 {
			ns = ns[i+1:]
		}
		format, args := describe(fe)
		f.Addf(ns, format, args...)
	}
	return f.Err()
}

// describe is a validator failure as a catalogued format and its
// arguments.
func describe(fe validator.FieldError) (string, []any) {
	switch fe.Tag() {
	case "required":
		return "is required", nil
	case "oneof":
		return "must be one of: %s", []any{strings.ReplaceAll(fe.Param(), " ", ", ")}
	case "max", "lte":
		return "must be at most %s", []any{fe.Param()}
	case "min", "gte":
		return "must be at least %s", []any{fe.Param()}
	case "email":
		return "must be an e-mail address", nil
	default:
		return "is not valid (%s)", []any{fe.Tag()}
	}
}

// writeList answers a whole list in the list envelope, each element mapped
// to its DTO, or the error that loading it gave.
func writeList[T, D any](c *gin.Context, list []T, err error, dto func(T) D) {
	if err != nil {
		fail(c, err)
		return
	}
	writePage(c, list, 0, nil, dto)
}

// errorMessage is what a person may read of err: a domain error's message,
// never driver text.
func errorMessage(c *gin.Context, err error) string {
	if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
		return tell(c, e.Text())
	}
	return tell(c, errs.Text{Format: "internal error"})
}
