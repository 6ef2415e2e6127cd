package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// TestDemoSeedIsDeterministic seeds two fresh databases and compares what
// they hold; seeding again adds nothing.
func TestDemoSeedIsDeterministic(t *testing.T) {
	dump := func() []string {
		url := pgtest.URL(t)
		cfg := config{DatabaseURL: url, BaseURL: "http://localhost:8080"}
		db, err := postgres.Open(context.Background(), url, 4)
		if err != nil {
			t.Fatal(err)
		}
		defer postgres.Close(db)
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		for range 2 {
			if err := seedCmd(context.Background(), cfg, db, log, time.Now, true, 42, false, ""); err != nil {
				t.Fatal(err)
			}
		}
		var rows []string
		err = db.Raw(`SELECT i.code || '|' || p.kind || '|' || p.name || '|' || p.email || '|' || coalesce(p.nip, '') || '|' ||
				coalesce(p.golongan, '') || '|' || p.zone || '|' ||
				coalesce((SELECT string_agg(c.code || ':' || pc.level, ',' ORDER BY c.code) FROM person_competencies pc
					JOIN competencies c ON c.id = pc.competency_id WHERE pc.person_id = p.id), '')
			FROM people p JOIN institutions i ON i.id = p.institution_id ORDER BY 1`).Scan(&rows).Error
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	a, b := dump(), dump()
	if len(a) != 360 {
		t.Fatalf("%d people seeded, want 360", len(a))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d differs:\n%s\n%s", i, a[i], b[i])
		}
	}
}
