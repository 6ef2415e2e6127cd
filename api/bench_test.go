package api

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
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
		AND a.during && z.during WHERE a.status NOT IN ('declined', 'cancelled') AND z.status NOT IN ('declined', 'cancelled')`).Scan(&doubles).Error)
	b.ReportMetric(float64(doubles), "double-bookings")
	if doubles != 0 || other.Load() != 0 {
		b.Fatalf("%d double bookings, %d unexpected statuses", doubles, other.Load())
	}
}
