package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"sinergi/errs"
)

const requestIDKey = "request_id"

var requestIDRe = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// requestIDs keeps a well-formed X-Request-ID from the caller or makes one.
func (s *Server) requestIDs(c *gin.Context) {
	id := c.GetHeader("X-Request-ID")
	if !requestIDRe.MatchString(id) {
		var b [12]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	c.Set(requestIDKey, id)
	c.Set(loggerKey, s.Log)
	c.Header("X-Request-ID", id)
	c.Next()
}

func requestID(c *gin.Context) string { return c.GetString(requestIDKey) }

// redactedPath is the path as logged: route templates hide the tokens in
// feed and link URLs, which are secrets.
func redactedPath(c *gin.Context) string {
	if p := c.FullPath(); p != "" {
		return p
	}
	return "(unmatched)"
}

// accessLog writes one structured line per request. It logs the route
// template, never the raw path or query, so tokens do not reach the logs.
func (s *Server) accessLog(c *gin.Context) {
	start := time.Now()
	c.Next()
	level := slog.LevelInfo
	if c.Writer.Status() >= 500 {
		level = slog.LevelError
	}
	s.Log.Log(c.Request.Context(), level, "request",
		"request_id", requestID(c), "method", c.Request.Method, "route", redactedPath(c),
		"status", c.Writer.Status(), "bytes", c.Writer.Size(), "duration_ms", time.Since(start).Milliseconds(),
		"principal", c.GetString(principalLogKey))
}

// recoverPanics turns a panic into a 500 envelope with the request id and
// logs the stack; the client never sees it.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if r := recover(); r != nil {
			if r == http.ErrAbortHandler {
				panic(r)
			}
			s.Log.Error("panic", "request_id", requestID(c), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			fail(c, errors.New("panic"))
		}
	}()
	c.Next()
}

// deadline gives the request its time limit: work still waiting on the
// database when it passes fails as unavailable (503), rather than hanging.
func (s *Server) deadline(c *gin.Context) {
	limit := s.RequestTimeout
	if c.Request.URL.Path == "/v1/people/import" {
		limit *= 6
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), limit)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// inboundMaxBody is the cap for raw e-mail from the mail gateway, which
// may carry signatures and attachments beside the calendar part.
const inboundMaxBody = 10 << 20

// limitBody caps request bodies; bind reports an oversized body as 413.
func (s *Server) limitBody(c *gin.Context) {
	limit := s.MaxBody
	switch c.Request.URL.Path {
	case "/v1/itip/inbound":
		limit = inboundMaxBody
	case "/v1/people/import":
		limit = importMaxBody
	}
	if c.Request.ContentLength > limit {
		fail(c, errTooLarge)
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
	c.Next()
}

type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "sinergi_http_requests_total",
			Help: "HTTP requests by method, route and status."}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "sinergi_http_request_duration_seconds",
			Help: "HTTP request latency by method and route.", Buckets: prometheus.DefBuckets}, []string{"method", "route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	_ = reg.Register(collectors.NewGoCollector())
	_ = reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

func (m *metrics) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := redactedPath(c)
	m.requests.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Inc()
	m.duration.WithLabelValues(c.Request.Method, route).Observe(time.Since(start).Seconds())
}

// pathID parses a numeric path parameter; a malformed id is simply unknown.
func pathID(c *gin.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundf("no %s %q", name, c.Param(name))
	}
	return id, nil
}
