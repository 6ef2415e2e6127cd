package main

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"sinergi/incentive"
	"sinergi/internal/pgtest"
	"sinergi/matching"
	"sinergi/postgres"
	"sinergi/profile"
	"sinergi/scheduling"
)

// TestDemoWalksTheJourney seeds the demo as make run does and checks that
// it holds a finished course: completed bookings with a widyaiswara lead
// and a practitioner co-trainer, evaluations, drafted honoraria priced
// from example rate lines, a signer and an issued certificate; that the
// keys are kept and reused; and that the natural co-trainers of the
// coming course are practitioners.
func TestDemoWalksTheJourney(t *testing.T) {
	url := pgtest.URL(t)
	db, err := postgres.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer postgres.Close(db)
	ctx := context.Background()
	cfg := config{DatabaseURL: url, BaseURL: "http://localhost:8080", BookingBuffer: time.Hour,
		SigningKEK: base64.StdEncoding.EncodeToString(make([]byte, 32))}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	keys := filepath.Join(t.TempDir(), "demo-keys")
	if err := seedCmd(ctx, cfg, db, log, time.Now, true, 42, true, keys); err != nil {
		t.Fatal(err)
	}
	count := func(query string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := db.Raw(query, args...).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	checks := []struct {
		name  string
		query string
		want  int64
	}{
		{"completed bookings, a lead and a co-trainer per past session",
			`SELECT count(*) FROM bookings b JOIN people p ON p.id = b.person_id WHERE b.status = 'completed'
			AND ((b.role = 'lead' AND p.kind = 'widyaiswara') OR (b.role = 'co_trainer' AND p.kind = 'practitioner'))`, 3 * 4 * 2},
		{"a drafted honorarium per completed booking", `SELECT count(*) FROM honoraria WHERE status = 'draft' AND gross > 0`, 24},
		{"example rate lines for the diklat classes, marked as examples",
			`SELECT count(*) FROM rate_tables WHERE regulation = 'CONTOH — bukan angka resmi' AND class IN ('penceramah', 'pengajar_luar_satker', 'widyaiswara_internal')`, 3 * 3 * 3},
		{"participants' evaluations of every completed booking", `SELECT count(DISTINCT booking_id) FROM evaluations`, 24},
		{"a valid certificate per institution", `SELECT count(*) FROM certificates WHERE status = 'valid'`, 3},
		{"a signer per institution", `SELECT count(*) FROM certificate_settings WHERE signer_name LIKE 'Dr.%'`, 3},
	}
	for _, c := range checks {
		if got := count(c.query); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}

	t.Run("seeding again reuses the kept keys", func(t *testing.T) {
		before, err := os.ReadFile(keys)
		if err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(keys); fi.Mode().Perm() != 0o600 {
			t.Fatalf("keys file mode %v", fi.Mode().Perm())
		}
		n := count("SELECT count(*) FROM api_keys")
		if err := seedCmd(ctx, cfg, db, log, time.Now, true, 42, true, keys); err != nil {
			t.Fatal(err)
		}
		after, _ := os.ReadFile(keys)
		if string(after) != string(before) || count("SELECT count(*) FROM api_keys") != n {
			t.Fatal("seeding again made new keys")
		}
		db.Exec("UPDATE api_keys SET revoked_at = now()")
		if err := seedCmd(ctx, cfg, db, log, time.Now, true, 42, true, keys); err != nil {
			t.Fatal(err)
		}
		if after, _ := os.ReadFile(keys); string(after) == string(before) {
			t.Fatal("revoked keys were handed out again")
		}
	})

	t.Run("the coming course's co-trainers are practitioners who know the topic", func(t *testing.T) {
		var inst, session int64
		db.Raw("SELECT id FROM institutions WHERE code = 'BPSDM-JABAR'").Scan(&inst)
		db.Raw(`SELECT min(s.id) FROM sessions s JOIN courses c ON c.id = s.course_id WHERE s.institution_id = ? AND c.start_date > current_date`, inst).Scan(&session)
		ms := postgres.MatchingStore{DB: db}
		sched := postgres.SchedulingStore{DB: db}
		svc := matching.Service{Cache: &matching.Cache{Loader: ms}, Scheduling: sched, Settings: ms, Proposals: ms, Buffer: time.Hour,
			Costs: incentive.MatchingCosts(postgres.IncentiveStore{DB: db})}
		res, err := svc.Candidates(ctx, inst, session, scheduling.CoTrainer, 10)
		if err != nil {
			t.Fatal(err)
		}
		practitioners := 0
		for _, c := range res.Candidates {
			if c.Person.Kind == profile.Practitioner {
				practitioners++
			}
		}
		top := res.Candidates[0]
		if practitioners < 7 || top.Person.Kind != profile.Practitioner {
			for _, c := range res.Candidates {
				t.Logf("%s %s %d", c.Person.Name, c.Person.Kind, c.Score)
			}
			t.Fatalf("%d of the top 10 co-trainers are practitioners; the top one is a %s", practitioners, top.Person.Kind)
		}
	})
}
