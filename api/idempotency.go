package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"io"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
	"sinergi/idempotency"
)

// idempotencyTTL is how long a key is remembered.
const idempotencyTTL = 24 * time.Hour

var (
	errKeyReused  = errs.New(errs.Invalid, "idempotency_key_reused", "this Idempotency-Key was used with a different request")
	errKeyRunning = errs.New(errs.Conflict, "idempotency_key_in_progress", "a request with this Idempotency-Key is still running; retry later")
)

// recorder keeps a copy of what a handler writes.
type recorder struct {
	gin.ResponseWriter
	buf bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.buf.Write(b)
	return r.ResponseWriter.Write(b)
}

func (r *recorder) WriteString(s string) (int, error) {
	r.buf.WriteString(s)
	return r.ResponseWriter.WriteString(s)
}

// idempotent replays the first response to a repeated Idempotency-Key
// (scoped per institution, kept 24 h): the same body byte for byte; a
// different request with the key is 422; one still running is 409.
func (s *Server) idempotent(c *gin.Context) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" || s.Idempotency == nil || c.Request.Method == http.MethodGet {
		c.Next()
		return
	}
	if len(key) > 255 {
		fail(c, errs.Invalidf("Idempotency-Key", "at most 255 characters"))
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		fail(c, decodeError(err))
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	h.Write([]byte(c.Request.Method + " " + c.Request.URL.Path + "\n"))
	h.Write(body)
	hash := h.Sum(nil)
	p := principal(c)
	scope := p.InstitutionID
	ctx := c.Request.Context()
	prev, started, err := s.Idempotency.Begin(ctx, scope, key, hash, idempotencyTTL)
	switch {
	case err != nil:
		fail(c, err)
		return
	case !started && !bytes.Equal(prev.RequestHash, hash):
		fail(c, errKeyReused)
		return
	case !started && prev.Running:
		fail(c, errKeyRunning)
		return
	case !started:
		for k, v := range prev.Headers {
			c.Header(k, v)
		}
		c.Header("Idempotent-Replayed", "true")
		c.Data(prev.Status, prev.ContentType, prev.Body)
		c.Abort()
		return
	}
	rec := &recorder{ResponseWriter: c.Writer}
	c.Writer = rec
	defer func() {
		if r := recover(); r != nil {
			_ = s.Idempotency.Abandon(context.WithoutCancel(ctx), scope, key)
			panic(r)
		}
	}()
	c.Next()
	status := rec.Status()
	// Server failures are not remembered, so that a retry can succeed.
	if status >= 500 {
		_ = s.Idempotency.Abandon(context.WithoutCancel(ctx), scope, key)
		return
	}
	headers := map[string]string{}
	for _, h := range []string{"Location", "ETag"} {
		if v := rec.Header().Get(h); v != "" {
			headers[h] = v
		}
	}
	if err := s.Idempotency.Finish(context.WithoutCancel(ctx), scope, key, idempotency.Response{Status: status,
		ContentType: rec.Header().Get("Content-Type"), Headers: headers, Body: rec.buf.Bytes()}); err != nil {
		s.Log.Error("record idempotent response", "request_id", requestID(c), "err", err)
	}
}
