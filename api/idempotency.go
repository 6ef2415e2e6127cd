package api

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
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

// idempotencyLease is how long a claim holds while its request runs; the
// request deadline is shorter, so a live request never loses its claim, and
// one that died frees the key within seconds.
const idempotencyLease = 30 * time.Second

// sealer encrypts remembered responses under a key derived from the bearer
// secret and the Idempotency-Key, neither of which is stored: a response
// (which may hold a new API key or a feed URL) is never at rest in clear,
// and only a client presenting both can have it replayed.
type sealer struct{ aead cipher.AEAD }

func newSealer(bearer, key string) sealer {
	k := sha256.Sum256([]byte("sinergi idempotency v1\x00" + bearer + "\x00" + key))
	block, _ := aes.NewCipher(k[:])
	aead, _ := cipher.NewGCM(block)
	return sealer{aead}
}

func (s sealer) seal(plain []byte) []byte {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce)
	return s.aead.Seal(nonce, nonce, plain, nil)
}

func (s sealer) open(sealed []byte) ([]byte, error) {
	n := s.aead.NonceSize()
	if len(sealed) < n {
		return nil, errors.New("sealed response too short")
	}
	return s.aead.Open(nil, sealed[:n], sealed[n:], nil)
}

// idempotent replays the first response to a repeated Idempotency-Key
// (scoped to the API key that sent it, kept 24 h): the same body byte for
// byte; a different request with the key is 422; one still running is 409.
// It runs after authentication; answers a role may not have (401, 403) are
// not remembered.
func (s *Server) idempotent(c *gin.Context) {
	key := c.GetHeader("Idempotency-Key")
	if key == "" || c.Request.Method == http.MethodGet || c.Request.Method == http.MethodHead {
		c.Next()
		return
	}
	if len(key) > 255 || !printableASCII(key) {
		fail(c, errs.Invalidf("Idempotency-Key", "1 to 255 printable ASCII characters"))
		return
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		fail(c, decodeError(err))
		return
	}
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	h.Write([]byte(c.Request.Method + " " + c.Request.URL.Path + "?" + c.Request.URL.RawQuery + "\n"))
	h.Write(body)
	hash := h.Sum(nil)
	p := principal(c)
	kh := sha256.Sum256([]byte(key))
	claim := idempotency.Claim{KeyID: p.KeyID, InstitutionID: p.InstitutionID, KeyHash: kh[:]}
	seal := newSealer(bearer(c), key)
	ctx := c.Request.Context()
	prev, started, err := s.Idempotency.Begin(ctx, claim, hash, s.Now(), idempotencyLease, idempotencyTTL)
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
		plain, err := seal.open(prev.Body)
		if err != nil {
			fail(c, fmt.Errorf("open remembered response: %w", err))
			return
		}
		for k, v := range prev.Headers {
			c.Header(k, v)
		}
		c.Header("Idempotent-Replayed", "true")
		c.Data(prev.Status, prev.ContentType, plain)
		c.Abort()
		return
	}
	rec := &recorder{ResponseWriter: c.Writer}
	c.Writer = rec
	defer func() {
		if r := recover(); r != nil {
			_ = s.Idempotency.Abandon(context.WithoutCancel(ctx), claim)
			panic(r)
		}
	}()
	c.Next()
	status := rec.Status()
	// Server failures are not remembered, so that a retry can succeed; nor
	// are refusals of the key's role, which another request may not share.
	if status >= 500 || status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusTooManyRequests {
		_ = s.Idempotency.Abandon(context.WithoutCancel(ctx), claim)
		return
	}
	headers := map[string]string{}
	for _, h := range []string{"Location", "ETag"} {
		if v := rec.Header().Get(h); v != "" {
			headers[h] = v
		}
	}
	if err := s.Idempotency.Finish(context.WithoutCancel(ctx), claim, idempotency.Response{Status: status,
		ContentType: rec.Header().Get("Content-Type"), Headers: headers, Body: seal.seal(rec.buf.Bytes())}); err != nil {
		s.Log.Error("record idempotent response", "request_id", requestID(c), "err", err)
	}
}

func printableASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return s != ""
}
