package api_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"sinergi/app"
	"sinergi/matching"
	"sinergi/postgres"
)

// BenchmarkBookingThroughput books random people on random, partly
// overlapping sessions through the router and the real database, from
// parallel goroutines, and then checks that no person holds two
// overlapping active bookings.
func BenchmarkBookingThroughput(b *testing.B) {
	e := newEnv(b)
	c := e.course(e.staffA)
	var sessions []int64
	for i := 0; i < 200; i++ {
		start := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 30 * time.Minute)
		sessions = append(sessions, e.mustSession(c, start.Format(time.RFC3339), start.Add(90*time.Minute).Format(time.RFC3339),
			"Asia/Makassar", "mode", "online", "venue", ""))
	}
	var people []int64
	for i := 0; i < 100; i++ {
		people = append(people, e.createPerson(e.staffA, practitionerJSON(fmt.Sprintf("bench%d@example.id", i))))
	}
	var created, conflicts, other atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		r := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			switch e.book(sessions[r.IntN(len(sessions))], people[r.IntN(len(people))], "co_trainer").Status {
			case http.StatusCreated:
				created.Add(1)
			case http.StatusConflict:
				conflicts.Add(1)
			default:
				other.Add(1)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(created.Load()), "created")
	b.ReportMetric(float64(conflicts.Load()), "conflicts")
	var doubles int64
	must(b, e.db.Raw(`SELECT count(*) FROM bookings a JOIN bookings z ON a.person_id = z.person_id AND a.id < z.id
		AND a.during && z.during WHERE booking_active(a.status) AND booking_active(z.status)`).Scan(&doubles).Error)
	b.ReportMetric(float64(doubles), "double-bookings")
	if doubles != 0 || other.Load() != 0 {
		b.Fatalf("%d double bookings, %d unexpected statuses", doubles, other.Load())
	}
}

// BenchmarkCandidatesHTTP ranks a session's candidates through the router
// with 10,000 widyaiswara and 50,000 practitioners in the database (target:
// under 50 ms per request once the index is built). The "after-a-change"
// case changes one person before every request, so each request pays for
// patching the index rather than a rebuild.
func BenchmarkCandidatesHTTP(b *testing.B) {
	e := newEnv(b)
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar", "required_competencies",
		[]any{map[string]any{"code": "komunikasi", "min_level": 3}, map[string]any{"code": "integritas", "min_level": 2}})
	seedRoster(b, e, 10000, 50000)
	path := fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer&limit=10", s)
	start := time.Now()
	if r := e.do("GET", path, e.staffA, nil); r.Status != http.StatusOK || len(r.items()) != 10 {
		b.Fatalf("warm-up: %d %s", r.Status, r.Raw[:min(len(r.Raw), 300)])
	}
	build := time.Since(start) // the first request builds the index from the database
	b.Run("unchanged", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if r := e.do("GET", path, e.staffA, nil); r.Status != http.StatusOK {
				b.Fatal(r.Status)
			}
		}
		b.ReportMetric(float64(build.Milliseconds()), "index-build-ms")
	})
	b.Run("after-a-change", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			must(b, e.db.Exec(`UPDATE people SET experience_years = ? WHERE id = ?`, i%60, 2+i%60000).Error)
			b.StartTimer()
			if r := e.do("GET", path, e.staffA, nil); r.Status != http.StatusOK {
				b.Fatal(r.Status)
			}
		}
	})
}

// seedRoster adds nw widyaiswara and np practitioners to institution A,
// with competencies, in two statements.
func seedRoster(b *testing.B, e *env, nw, np int) {
	must(b, e.db.Exec(`INSERT INTO people (institution_id, kind, name, email, nip, jenjang, golongan, employment, zone, organisation)
		SELECT ?, CASE WHEN g <= ? THEN 'widyaiswara' ELSE 'practitioner' END, 'Orang ' || g, 'o' || g || '@example.id',
			CASE WHEN g <= ? THEN '1985031020' || lpad((10 + g / 999)::text, 2, '0') || '01' || (1 + g % 2) || lpad((g % 999 + 1)::text, 3, '0') END,
			CASE WHEN g <= ? THEN 'ahli_muda' END, CASE WHEN g <= ? THEN 'III/c' END,
			CASE WHEN g <= ? THEN 'pns' ELSE 'non_asn' END,
			(ARRAY['Asia/Jakarta','Asia/Makassar','Asia/Jayapura'])[1 + g % 3]::indonesian_zone, 'Organisasi ' || (g % 500)
		FROM generate_series(1, ?) g`, e.instA, nw, nw, nw, nw, nw, nw+np).Error)
	must(b, e.db.Exec(`INSERT INTO person_competencies (person_id, competency_id, level)
		SELECT p.id, c.id, 1 + ((p.id * 7 + c.id * 13) % 5) FROM people p CROSS JOIN competencies c
		WHERE c.institution_id IS NULL AND (p.id + c.id) % 3 = 0`).Error)
}

// BenchmarkRankingWhileBooking measures ranking latency with nobody else
// using the service and then while WRITERS clients (default 64) book people
// through the API as fast as they can, on the 60,000-person roster and on
// one the size of the demo (60 widyaiswara, 300 practitioners). Each phase
// takes b.N rankings; it reports both medians and 95th percentiles, their
// ratio (target: busy p50 at most 2× idle) and the bookings made per
// second meanwhile. bench/rank-busy.sh runs it.
func BenchmarkRankingWhileBooking(b *testing.B) {
	writers := 64
	if n, err := strconv.Atoi(os.Getenv("WRITERS")); err == nil && n >= 0 {
		writers = n
	}
	for _, roster := range []struct {
		name   string
		nw, np int
	}{{"demo", 60, 300}, {"60000", 10000, 50000}} {
		b.Run("roster="+roster.name, func(b *testing.B) {
			if b.N < 2 { // the probing run: percentiles need the real one
				return
			}
			e := newEnv(b)
			c := e.course(e.staffA)
			ranked := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T12:00", "Asia/Makassar", "required_competencies",
				[]any{map[string]any{"code": "komunikasi", "min_level": 3}, map[string]any{"code": "integritas", "min_level": 2}})
			seedRoster(b, e, roster.nw, roster.np)
			var people []int64
			must(b, e.db.Raw(`SELECT id FROM people WHERE institution_id = ? AND kind = 'practitioner' ORDER BY id LIMIT 1000`, e.instA).Scan(&people).Error)
			// Practitioners only: the course takes no widyaiswara as co-trainers.
			// Online 90-minute sessions on later days: writers book them
			// without touching the ranked session's time.
			var sessions []int64
			for i := 0; i < 150; i++ {
				start := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * 2 * time.Hour)
				sessions = append(sessions, e.mustSession(c, start.Format(time.RFC3339), start.Add(90*time.Minute).Format(time.RFC3339),
					"Asia/Makassar", "mode", "online", "venue", ""))
			}
			path := fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer&limit=10", ranked)
			rank := func() time.Duration {
				start := time.Now()
				if r := e.do("GET", path, e.staffA, nil); r.Status != http.StatusOK || len(r.items()) != 10 {
					b.Fatalf("ranking: %d %s", r.Status, r.Raw[:min(len(r.Raw), 300)])
				}
				return time.Since(start)
			}
			matchingPool(b, e)
			rank() // builds the index
			measure := func() []time.Duration {
				out := make([]time.Duration, b.N)
				for i := range out {
					out[i] = rank()
				}
				slices.Sort(out)
				return out
			}
			b.ResetTimer()
			idle := measure()
			var stop atomic.Bool
			var created atomic.Int64
			var wg sync.WaitGroup
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(seed uint64) {
					defer wg.Done()
					r := rand.New(rand.NewPCG(seed, 9))
					for !stop.Load() {
						switch st := e.book(sessions[r.IntN(len(sessions))], people[r.IntN(len(people))], "co_trainer").Status; st {
						case http.StatusCreated:
							created.Add(1)
						case http.StatusConflict:
						default:
							b.Errorf("booking answered %d", st)
							return
						}
					}
				}(uint64(w))
			}
			time.Sleep(500 * time.Millisecond) // let the writers get going
			began, before := time.Now(), created.Load()
			busy := measure()
			made := created.Load() - before
			rate := float64(made) / time.Since(began).Seconds()
			stop.Store(true)
			wg.Wait()
			if made == 0 {
				b.Fatal("no booking was made while ranking: the busy figures would be idle ones")
			}
			b.StopTimer()
			pct := func(d []time.Duration, p float64) float64 {
				return float64(d[min(len(d)-1, int(p*float64(len(d))))].Microseconds()) / 1000
			}
			b.ReportMetric(0, "ns/op")
			b.ReportMetric(pct(idle, 0.5), "idle-p50-ms")
			b.ReportMetric(pct(idle, 0.95), "idle-p95-ms")
			b.ReportMetric(pct(busy, 0.5), "busy-p50-ms")
			b.ReportMetric(pct(busy, 0.95), "busy-p95-ms")
			b.ReportMetric(pct(busy, 0.5)/pct(idle, 0.5), "p50-ratio")
			b.ReportMetric(rate, "bookings/s")
		})
	}
}

// matchingPool gives matching a pool of its own, as cmd/sinergi does, so
// that writers holding every connection of the main pool cannot make
// ranking queue for one, and keeps its index in step as `sinergi serve`
// does (app.Watch: woken by the database's notifications, polled every
// second).
func matchingPool(b *testing.B, e *env) {
	u, err := url.Parse(os.Getenv("SINERGI_TEST_DATABASE_URL"))
	must(b, err)
	must(b, e.db.Raw("SELECT current_database()").Scan(&u.Path).Error) // the env's fresh database
	u.Path = "/" + u.Path
	db, err := postgres.Open(context.Background(), postgres.MatchingDSN(u.String()), 8)
	must(b, err)
	b.Cleanup(func() { postgres.Close(db) })
	ms := postgres.MatchingStore{DB: db}
	e.srv.Matching.Cache = &matching.Cache{Loader: ms}
	e.srv.Matching.Scheduling = postgres.SchedulingStore{DB: db}
	e.srv.Matching.Settings, e.srv.Matching.Inputs = ms, ms
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		app.WatchMatching(ctx, db, e.srv.Matching.Cache, time.Second, e.srv, nil)
	}()
	b.Cleanup(func() { cancel(); <-done })
}
