package api

import (
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"sinergi/errs"
)

// limiter keeps a token bucket per caller (an API key, or a client address
// for the public pages) and forgets callers idle for ten minutes.
type limiter struct {
	mu      sync.Mutex
	every   rate.Limit
	burst   int
	buckets map[string]*bucket
	calls   int
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(perSecond float64, burst int) *limiter {
	if perSecond <= 0 {
		return nil
	}
	return &limiter{every: rate.Limit(perSecond), burst: max(burst, 1), buckets: map[string]*bucket{}}
}

// reserve takes a token for key; when none is left it returns how long to wait.
func (l *limiter) reserve(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.calls++
	if l.calls%1024 == 0 {
		for k, b := range l.buckets {
			if now.Sub(b.seen) > 10*time.Minute {
				delete(l.buckets, k)
			}
		}
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

var errRateLimited = errs.New(errs.RateLimited, "rate_limited", "too many requests; retry after the time in Retry-After")

func (s *Server) limitBy(l *limiter, key func(c *gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if l == nil {
			c.Next()
			return
		}
		if ok, wait := l.reserve(key(c), time.Now()); !ok {
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			fail(c, errRateLimited)
			return
		}
		c.Next()
	}
}

// limitClient limits requests per client address (public pages, and
// failed authentication attempts); probes are exempt.
func (s *Server) limitClient() gin.HandlerFunc {
	h := s.limitBy(s.clientLimiter, func(c *gin.Context) string { return c.ClientIP() })
	return func(c *gin.Context) {
		switch c.Request.URL.Path {
		case "/healthz", "/readyz", "/metrics":
			c.Next()
		default:
			h(c)
		}
	}
}

// limitKey limits requests per API key.
func (s *Server) limitKey() gin.HandlerFunc {
	return s.limitBy(s.keyLimiter, func(c *gin.Context) string { return "key:" + strconv.FormatInt(principal(c).KeyID, 10) })
}
