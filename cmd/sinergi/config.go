package main

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"sinergi/app"
)

// config is read from the environment, then flags override it.
type config struct {
	DatabaseURL     string
	ListenAddr      string
	BaseURL         string
	MigrateOnStart  bool
	LogLevel        string
	DBMaxConns      int
	DBMatchingConns int // matching's own pool; 0 shares the main one
	BookingTx       int // booking transactions at once on this replica
	ShutdownTimeout time.Duration
	BookingBuffer   time.Duration
	// SigningKEK seals the certificate signing keys (base64, 32 bytes).
	SigningKEK string
	// SigningKey optionally pins the signing key (base64 Ed25519 seed).
	SigningKey string
	// MailFrom is the service mailbox: ORGANIZER of invites, From of mail.
	MailFrom string
	// SMTPURL is where mail goes: smtp://user:pass@host:port (empty: mail
	// waits in the outbox).
	SMTPURL string
	// RunWorker runs the mail worker inside serve.
	RunWorker bool
	// RequireDKIM refuses calendar replies without a verified DKIM signature.
	RequireDKIM bool
	// KeyRate and ClientRate limit requests per second per API key and per
	// client address.
	KeyRate, ClientRate float64
	// StatementTimeout is the served pool's statement_timeout; a stall of
	// as long on a connection gives it up, so a frozen database answers 503.
	StatementTimeout time.Duration
	// RequestTimeout is every request's deadline.
	RequestTimeout time.Duration
	// TrustedProxies is a comma-separated list of proxy addresses or CIDRs
	// whose X-Forwarded-For is believed (empty: none).
	TrustedProxies string
}

func envOr(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func envBool(name string, def bool) bool {
	v, err := strconv.ParseBool(envOr(name, strconv.FormatBool(def)))
	if err != nil {
		return def
	}
	return v
}

func envFloat(name string, def float64) float64 {
	v, err := strconv.ParseFloat(envOr(name, strconv.FormatFloat(def, 'f', -1, 64)), 64)
	if err != nil {
		return def
	}
	return v
}

func envInt(name string, def int) int {
	v, err := strconv.Atoi(envOr(name, strconv.Itoa(def)))
	if err != nil {
		return def
	}
	return v
}

// register adds the flags every subcommand shares to fs.
func (c *config) register(fs *flag.FlagSet) {
	fs.StringVar(&c.DatabaseURL, "database-url", envOr("DATABASE_URL", ""), "PostgreSQL URL (env DATABASE_URL)")
	fs.StringVar(&c.ListenAddr, "listen", envOr("LISTEN_ADDR", ":8080"), "address to serve on (env LISTEN_ADDR)")
	fs.StringVar(&c.BaseURL, "base-url", envOr("BASE_URL", "http://localhost:8080"), "public URL of the service (env BASE_URL)")
	fs.BoolVar(&c.MigrateOnStart, "migrate", envBool("MIGRATE_ON_START", false), "apply migrations before serving (env MIGRATE_ON_START)")
	fs.StringVar(&c.LogLevel, "log-level", envOr("LOG_LEVEL", "info"), "debug, info, warn or error (env LOG_LEVEL)")
	fs.IntVar(&c.DBMaxConns, "db-max-conns", envInt("DB_MAX_CONNS", 20), "database pool size (env DB_MAX_CONNS)")
	fs.IntVar(&c.BookingTx, "booking-tx", envInt("BOOKING_TX", 1),
		"booking transactions that run at once on this replica; the others wait their turn, so that bursts of bookings leave ranking its share of the processors (env BOOKING_TX)")
	fs.IntVar(&c.DBMatchingConns, "db-matching-conns", envInt("DB_MATCHING_CONNS", 8),
		"pool of its own for ranking and assignment, so bursts of writes cannot hold every connection; 0 shares the main pool (env DB_MATCHING_CONNS)")
	buffer, err := time.ParseDuration(envOr("BOOKING_BUFFER", "60m"))
	if err != nil {
		buffer = -1 // reported by validate
	}
	fs.DurationVar(&c.BookingBuffer, "booking-buffer", buffer, "minimum gap between offline sessions of one person at different venues (env BOOKING_BUFFER)")
	fs.StringVar(&c.SigningKEK, "signing-kek", envOr("SIGNING_KEK", ""), "base64 32-byte key that seals the certificate signing keys (env SIGNING_KEK)")
	fs.StringVar(&c.SigningKey, "signing-key", envOr("SIGNING_KEY", ""), "optional base64 Ed25519 seed of the signing key (env SIGNING_KEY)")
	fs.StringVar(&c.MailFrom, "mail-from", envOr("MAIL_FROM", "jadwal@sinergi.localhost"), "service mailbox: invite ORGANIZER and mail From (env MAIL_FROM)")
	fs.StringVar(&c.SMTPURL, "smtp-url", envOr("SMTP_URL", ""), "SMTP server, smtp://user:pass@host:port (env SMTP_URL)")
	fs.BoolVar(&c.RunWorker, "worker", envBool("RUN_WORKER", true), "run the mail worker inside serve (env RUN_WORKER)")
	fs.BoolVar(&c.RequireDKIM, "require-dkim", envBool("REQUIRE_DKIM", false), "refuse calendar replies without a valid DKIM signature (env REQUIRE_DKIM)")
	fs.Float64Var(&c.KeyRate, "rate-per-key", envFloat("RATE_PER_KEY", 50), "requests per second per API key, 0 for no limit (env RATE_PER_KEY)")
	fs.Float64Var(&c.ClientRate, "rate-per-client", envFloat("RATE_PER_CLIENT", 100), "requests per second per client address, 0 for no limit (env RATE_PER_CLIENT)")
	fs.DurationVar(&c.StatementTimeout, "statement-timeout", envDuration("STATEMENT_TIMEOUT", 3*time.Second),
		"longest a database statement may run, and a connection may stall, before the request answers 503 (env STATEMENT_TIMEOUT)")
	fs.DurationVar(&c.RequestTimeout, "request-timeout", envDuration("REQUEST_TIMEOUT", 20*time.Second),
		"deadline of each request, under the 30 s idempotency lease (env REQUEST_TIMEOUT)")
	fs.StringVar(&c.TrustedProxies, "trusted-proxies", envOr("TRUSTED_PROXIES", ""),
		"comma-separated proxy addresses or CIDRs whose X-Forwarded-For is believed; empty trusts none (env TRUSTED_PROXIES)")
	fs.DurationVar(&c.ShutdownTimeout, "shutdown-timeout", 20*time.Second, "grace period for in-flight requests on SIGTERM")
}

// validate returns one error naming every bad value.
func (c *config) validate() error {
	var problems []string
	if c.DatabaseURL == "" {
		problems = append(problems, "DATABASE_URL is required")
	} else if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		problems = append(problems, "DATABASE_URL must be a postgres:// URL")
	}
	if _, port, err := net.SplitHostPort(c.ListenAddr); err != nil || port == "" {
		problems = append(problems, fmt.Sprintf("LISTEN_ADDR %q must be host:port, such as :8080", c.ListenAddr))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		problems = append(problems, fmt.Sprintf("BASE_URL %q must be an absolute http(s) URL", c.BaseURL))
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		problems = append(problems, err.Error())
	}
	if c.DBMaxConns < 1 || c.DBMaxConns > 1000 {
		problems = append(problems, "DB_MAX_CONNS must be 1 to 1000")
	}
	if c.BookingTx < 1 || c.BookingTx > 1000 {
		problems = append(problems, "BOOKING_TX must be 1 to 1000")
	}
	if c.DBMatchingConns < 0 || c.DBMatchingConns > 1000 {
		problems = append(problems, "DB_MATCHING_CONNS must be 0 to 1000")
	}
	if c.BookingBuffer < 0 || c.BookingBuffer > 24*time.Hour {
		problems = append(problems, "BOOKING_BUFFER must be a duration from 0 to 24h, such as 60m")
	}
	if c.SigningKEK != "" {
		if b, err := base64.StdEncoding.DecodeString(c.SigningKEK); err != nil || len(b) != 32 {
			problems = append(problems, "SIGNING_KEK must be 32 bytes in base64 (openssl rand -base64 32)")
		}
	}
	if c.SigningKey != "" {
		if b, err := base64.StdEncoding.DecodeString(c.SigningKey); err != nil || len(b) != 32 {
			problems = append(problems, "SIGNING_KEY must be a 32-byte Ed25519 seed in base64")
		}
	}
	if c.StatementTimeout < 0 || c.StatementTimeout > time.Minute {
		problems = append(problems, "STATEMENT_TIMEOUT must be a duration from 0 to 1m, such as 3s")
	}
	if c.RequestTimeout != 0 && (c.RequestTimeout < time.Second || c.RequestTimeout >= 30*time.Second) {
		problems = append(problems, "REQUEST_TIMEOUT must be from 1s to under 30s (the idempotency lease), such as 20s")
	}
	for _, p := range c.proxies() {
		if net.ParseIP(p) == nil {
			if _, _, err := net.ParseCIDR(p); err != nil {
				problems = append(problems, fmt.Sprintf("TRUSTED_PROXIES: %q is not an IP address or CIDR", p))
			}
		}
	}
	if c.KeyRate < 0 || c.ClientRate < 0 {
		problems = append(problems, "RATE_PER_KEY and RATE_PER_CLIENT must not be negative")
	}
	if len(problems) > 0 {
		return errors.New("bad configuration: " + strings.Join(problems, "; "))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return nil
}

func envDuration(name string, def time.Duration) time.Duration {
	v, err := time.ParseDuration(envOr(name, def.String()))
	if err != nil {
		return -1 // reported by validate
	}
	return v
}

// proxies is TRUSTED_PROXIES as a list.
func (c *config) proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("LOG_LEVEL %q must be debug, info, warn or error", s)
	}
	return l, nil
}

// kek returns the key encryption key, which serving requires.
func (c *config) kek() ([]byte, error) {
	if c.SigningKEK == "" {
		return nil, errors.New("SIGNING_KEK is required to sign certificates: set it to the output of openssl rand -base64 32 and keep it")
	}
	return base64.StdEncoding.DecodeString(c.SigningKEK)
}

// app is the part of the configuration the object graph is built from.
func (c config) app(kek []byte, log *slog.Logger) app.Config {
	return app.Config{BaseURL: c.BaseURL, MailFrom: c.MailFrom, Buffer: c.BookingBuffer, RequireDKIM: c.RequireDKIM,
		KEK: kek, KeyRate: c.KeyRate, ClientRate: c.ClientRate, Log: log, RequestTimeout: c.RequestTimeout,
		TrustedProxies: c.proxies(), MaxBookingTx: c.BookingTx}
}
