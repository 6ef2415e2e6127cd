// Package pgtest gives tests a fresh, migrated PostgreSQL database each.
//
// SINERGI_TEST_DATABASE_URL names a server (the test command starts one with
// scripts/postgres.sh). Each test package migrates a template database once;
// every NewDB call clones it, so each test starts from the real migrations
// with no leftovers. When the variable is missing the tests skip, except
// under CI=true, where a missing database fails the run.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"sinergi/postgres"
)

// EnvURL is the variable naming the test server.
const EnvURL = "SINERGI_TEST_DATABASE_URL"

type state struct {
	once     sync.Once
	admin    *gorm.DB
	base     *url.URL
	template string
	err      error
}

var shared state

// Main runs the package's tests and drops the template afterwards. Call it
// from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared.admin != nil && shared.template != "" {
		shared.admin.Exec("DROP DATABASE IF EXISTS " + shared.template + " WITH (FORCE)")
		postgres.Close(shared.admin)
	}
	os.Exit(code)
}

func randomName(prefix string) string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return prefix + hex.EncodeToString(b[:])
}

func (s *state) init() {
	raw := os.Getenv(EnvURL)
	if raw == "" {
		s.err = fmt.Errorf("%s is not set; run the tests with `make test`", EnvURL)
		return
	}
	u, err := url.Parse(raw)
	if err != nil {
		s.err = fmt.Errorf("parse %s: %w", EnvURL, err)
		return
	}
	s.base = u
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	s.admin, err = postgres.Open(ctx, raw, 4)
	if err != nil {
		s.err = err
		return
	}
	s.template = randomName("tmpl_")
	if err := s.admin.Exec("CREATE DATABASE " + s.template).Error; err != nil {
		s.err = fmt.Errorf("create template: %w", err)
		return
	}
	db, err := postgres.Open(ctx, s.urlFor(s.template), 2)
	if err != nil {
		s.err = err
		return
	}
	defer postgres.Close(db)
	if err := postgres.MigrateUp(ctx, db, slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		s.err = err
	}
}

func (s *state) urlFor(name string) string {
	u := *s.base
	u.Path = "/" + name
	return u.String()
}

// URL returns the URL of a fresh migrated database dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	shared.once.Do(shared.init)
	if shared.err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("database required under CI: %v", shared.err)
		}
		t.Skipf("no database: %v", shared.err)
	}
	name := randomName("t_")
	if err := shared.admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + shared.template).Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { shared.admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	return shared.urlFor(name)
}

// NewDB returns a connection to a fresh migrated database.
func NewDB(t testing.TB) *gorm.DB {
	t.Helper()
	u := URL(t)
	db, err := postgres.Open(context.Background(), u, 60)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { postgres.Close(db) })
	return db
}
