package main

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

// The demo's staff sign-in is made once and printed again from the keys
// file; it signs in.
func TestDemoConsoleUser(t *testing.T) {
	url := pgtest.URL(t)
	db, err := postgres.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer postgres.Close(db)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	tenants, people := services(db)
	ids, err := loadDemo(context.Background(), config{DatabaseURL: url, BaseURL: "http://localhost:8080"}, tenants, people, db, log, 42)
	if err != nil {
		t.Fatal(err)
	}
	email, pw, err := demoConsoleUser(context.Background(), db, ids[0], map[string]string{})
	if err != nil || pw == "" {
		t.Fatalf("first demo user: %q %v", pw, err)
	}
	again, kept, err := demoConsoleUser(context.Background(), db, ids[0], map[string]string{"console": pw})
	if err != nil || again != email || kept != pw {
		t.Fatalf("seeding again gave %q %q %v", again, kept, err)
	}
	if _, lost, err := demoConsoleUser(context.Background(), db, ids[0], map[string]string{}); err != nil || lost != "" {
		t.Fatalf("without the keys file a second run printed %q (%v); it cannot know the password", lost, err)
	}
	secret, u, err := accounts(db).SignIn(context.Background(), email, pw)
	if err != nil || secret == "" || u.InstitutionID != ids[0] || !strings.HasSuffix(u.Email, ".demo.id") {
		t.Fatalf("the demo user does not sign in: %v", err)
	}
}
