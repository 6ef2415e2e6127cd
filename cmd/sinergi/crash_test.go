package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

var crashRounds = flag.Int("crash.rounds", 5, "how often TestCrashRecovery kills the server (bench/crash.sh runs 50)")

// server is a running `sinergi serve` and what it logged.
type server struct {
	cmd  *exec.Cmd
	done chan struct{}
	logs *bytes.Buffer
	err  error
}

func startServer(t *testing.T, bin string, env []string, addr string) *server {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s := &server{cmd: cmd, done: make(chan struct{}), logs: &bytes.Buffer{}}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = cmd.Wait(); close(s.done) }()
	for deadline := time.Now().Add(30 * time.Second); ; {
		res, err := http.Get("http://" + addr + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		select {
		case <-s.done:
			t.Fatalf("serve exited: %v\n%s", s.err, s.logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not ready in 30 s:\n%s", s.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *server) kill() {
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
	<-s.done
}

// TestCrashRecovery books and invites in a loop through the served binary
// while killing it with SIGKILL at random points, then checks what a crash
// may never leave behind: an invited booking without exactly one queued
// invitation, an Idempotency-Key claimed past its lease, a booking whose
// audit trail does not match it. bench/crash.sh runs it 50 times.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	dbURL := pgtest.URL(t)
	bin := binary(t)
	addr := freeAddr(t)
	kek := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr, "BASE_URL=http://"+addr, "SIGNING_KEK="+kek,
		"RATE_PER_KEY=0", "RATE_PER_CLIENT=0", "LOG_LEVEL=error", "SMTP_URL=")
	seed := exec.Command(bin, "seed", "--admin-key")
	seed.Env = env
	out, err := seed.CombinedOutput()
	if err != nil {
		t.Fatalf("seed: %v %s", err, out)
	}
	admin := regexp.MustCompile(`snrg_[A-Za-z0-9_-]+`).FindString(string(out))
	db, err := postgres.Open(context.Background(), dbURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	defer postgres.Close(db)

	srv := startServer(t, bin, env, addr)
	c := client{t: t, base: "http://" + addr}
	inst := c.call("POST", "/v1/institutions", admin, map[string]any{"code": "BPSDM-X", "name": "BPSDM X", "kind": "bpsdm_provinsi",
		"zone": "Asia/Jakarta"}, 201).num("id")
	staff := c.call("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", inst), admin, map[string]any{"role": "staff", "name": "s"}, 201).str("secret")
	// A month of sessions starting four weeks from now, so that they can
	// still be invited to (forced past any holiday: the days do not matter
	// here).
	first := time.Now().AddDate(0, 0, 28)
	day := func(d int) string { return first.AddDate(0, 0, d).Format(time.DateOnly) }
	course := c.call("POST", "/v1/courses", staff, map[string]any{"name": "Kursus", "organising_unit": "Bidang PKM", "funding": "APBD",
		"region": "Jawa Barat", "start_date": day(0), "end_date": day(30)}, 201).num("id")
	var sessions, people []int64
	for d := 0; d < 12; d++ {
		for h := 0; h < 2; h++ {
			sessions = append(sessions, c.call("POST", fmt.Sprintf("/v1/courses/%d/sessions", course), staff, map[string]any{
				"topic": "Sesi", "start": fmt.Sprintf("%sT%02d:00", day(d), 8+4*h), "end": fmt.Sprintf("%sT%02d:30", day(d), 9+4*h),
				"zone": "Asia/Jakarta", "mode": "online", "force": true}, 201).num("id"))
		}
	}
	for i := 0; i < 40; i++ {
		people = append(people, c.call("POST", "/v1/people", staff, map[string]any{"kind": "practitioner", "name": fmt.Sprintf("Praktisi %d", i),
			"email": fmt.Sprintf("p%d@example.id", i), "organisation": "Dinas", "employment": "non_asn", "zone": "Asia/Jakarta"}, 201).num("id"))
	}
	srv.kill()

	rng := rand.New(rand.NewPCG(uint64(*crashRounds), 7))
	attempts := 0
	for round := 0; round < *crashRounds; round++ {
		srv = startServer(t, bin, env, addr)
		ctx, stop := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			seed := rng.Uint64()
			go func() {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, 1))
				for ctx.Err() == nil {
					s, p := sessions[r.IntN(len(sessions))], people[r.IntN(len(people))]
					body, _ := json.Marshal(map[string]any{"session_id": s, "person_id": p, "role": "co_trainer"})
					res := post(ctx, c.base+"/v1/bookings", staff, fmt.Sprintf("b-%d-%d", s, p), body)
					if res.id == 0 {
						continue
					}
					post(ctx, c.base+fmt.Sprintf("/v1/bookings/%d/transitions", res.id), staff, fmt.Sprintf("i-%d", res.id), []byte(`{"to":"invited"}`))
				}
			}()
		}
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		killedAt := time.Now()
		srv.kill()
		stop()
		wg.Wait()
		attempts++
		checkAfterCrash(t, db, killedAt)
		if t.Failed() {
			t.Fatalf("round %d", round)
		}
	}
	var invited, booked, messages int64
	db.Raw("SELECT count(*) FILTER (WHERE status = 'invited'), count(*) FROM bookings").Row().Scan(&invited, &booked)
	db.Raw("SELECT count(*) FROM outbox").Scan(&messages)
	t.Logf("%d kills: %d bookings, %d invited, %d queued messages; every invariant held", attempts, booked, invited, messages)
}

type posted struct{ id int64 }

// post sends one write; errors (the server was killed) are expected.
func post(ctx context.Context, url, key, idem string, body []byte) posted {
	req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", idem)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return posted{}
	}
	defer res.Body.Close()
	var out struct {
		ID int64 `json:"id"`
	}
	_ = json.NewDecoder(res.Body).Decode(&out)
	return posted{id: out.ID}
}

// checkAfterCrash asserts what no crash may leave behind.
func checkAfterCrash(t *testing.T, db *gorm.DB, killedAt time.Time) {
	t.Helper()
	var bad []int64
	db.Raw(`SELECT b.id FROM bookings b WHERE b.status = 'invited'
		AND (SELECT count(*) FROM outbox o WHERE o.booking_id = b.id AND o.kind = 'REQUEST') <> 1`).Scan(&bad)
	if len(bad) > 0 {
		t.Errorf("invited bookings without exactly one queued invitation: %v", bad)
	}
	bad = nil
	db.Raw(`SELECT b.id FROM bookings b WHERE b.status = 'proposed' AND EXISTS (SELECT 1 FROM outbox o WHERE o.booking_id = b.id)`).Scan(&bad)
	if len(bad) > 0 {
		t.Errorf("bookings never invited with a message queued: %v", bad)
	}
	var stuck int64
	db.Raw(`SELECT count(*) FROM idempotency_keys WHERE state = 'running' AND (lease_until IS NULL OR lease_until > ?)`,
		killedAt.Add(31*time.Second)).Scan(&stuck)
	if stuck > 0 {
		t.Errorf("%d Idempotency-Keys claimed beyond their lease", stuck)
	}
	var mismatch []string
	db.Raw(`SELECT b.id || ':' || b.status FROM bookings b
		WHERE (SELECT count(*) FROM audit_log a WHERE a.entity = 'booking' AND a.entity_id = b.id AND a.action = 'create') <> 1
		   OR (b.status = 'invited' AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'booking' AND a.entity_id = b.id
		       AND a.action = 'transition' AND a.after->>'status' = 'invited'))
		   OR (b.status = 'proposed' AND EXISTS (SELECT 1 FROM audit_log a WHERE a.entity = 'booking' AND a.entity_id = b.id
		       AND a.action = 'transition'))`).Scan(&mismatch)
	var orphans int64
	db.Raw(`SELECT count(*) FROM audit_log a WHERE a.entity = 'booking' AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.id = a.entity_id)`).Scan(&orphans)
	if len(mismatch) > 0 || orphans > 0 {
		t.Errorf("audit log does not match the bookings: %v, %d audit rows of bookings that do not exist", mismatch, orphans)
	}
}
