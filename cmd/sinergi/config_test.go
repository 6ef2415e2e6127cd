package main

import (
	"strings"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	good := config{DatabaseURL: "postgres://u@127.0.0.1:5432/db", ListenAddr: ":8080", BaseURL: "https://sinergi.example.id/",
		LogLevel: "info", DBMaxConns: 10, BookingTx: 1, BookingBuffer: time.Hour}
	if err := good.validate(); err != nil {
		t.Fatal(err)
	}
	if good.BaseURL != "https://sinergi.example.id" {
		t.Errorf("BaseURL not trimmed: %q", good.BaseURL)
	}
	tests := []struct {
		name   string
		change func(c *config)
		want   string
	}{
		{"missing database", func(c *config) { c.DatabaseURL = "" }, "DATABASE_URL is required"},
		{"mysql URL", func(c *config) { c.DatabaseURL = "mysql://x" }, "DATABASE_URL must be a postgres:// URL"},
		{"listen without port", func(c *config) { c.ListenAddr = "localhost" }, "LISTEN_ADDR"},
		{"relative base URL", func(c *config) { c.BaseURL = "/app" }, "BASE_URL"},
		{"unknown log level", func(c *config) { c.LogLevel = "loud" }, "LOG_LEVEL"},
		{"pool of zero", func(c *config) { c.DBMaxConns = 0 }, "DB_MAX_CONNS"},
		{"no booking at a time", func(c *config) { c.BookingTx = 0 }, "BOOKING_TX"},
		{"a proxy that is not an address", func(c *config) { c.TrustedProxies = "10.0.0.0/8, proxy.local" }, "TRUSTED_PROXIES"},
		{"a request deadline past the idempotency lease", func(c *config) { c.RequestTimeout = time.Minute }, "REQUEST_TIMEOUT"},
		{"an unparseable statement timeout", func(c *config) { c.StatementTimeout = -1 }, "STATEMENT_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good
			tt.change(&c)
			err := c.validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("validate() = %v, want one line mentioning %q", err, tt.want)
			}
		})
	}
}

func TestUnreachableDatabaseIsOneLine(t *testing.T) {
	err := run([]string{"migrate", "--database-url", "postgres://nobody@127.0.0.1:1/none", "status"})
	if err == nil || !strings.Contains(err.Error(), "database at postgres://nobody@127.0.0.1:1/none") {
		t.Fatalf("run() = %v", err)
	}
}
