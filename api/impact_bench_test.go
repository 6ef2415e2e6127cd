package api_test

import (
	"context"
	"sync"
	"testing"
	"time"
)

// BenchmarkFollowUpOpening opens 1,000 due follow-ups (one mail with a new
// link each, in the claiming transaction) with two schedulers draining at
// once, as two workers would; it reports follow-ups per second and fails on
// any message queued twice.
func BenchmarkFollowUpOpening(b *testing.B) {
	e := newEnv(b)
	c := e.course(e.staffA)
	const n = 1000
	must(b, e.db.Exec(`INSERT INTO participants (institution_id, course_id, name, email, supervisor_name, supervisor_email, created_at, updated_at)
		SELECT ?, ?, 'Peserta ' || i, 'p' || i || '@pemda.example.id', 'Atasan', 'a' || i || '@pemda.example.id', now(), now()
		FROM generate_series(1, ?) i`, e.instA, c, n).Error)
	ctx := context.Background()
	second := *e.app
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		must(b, e.db.Exec(`DELETE FROM outbox WHERE participant_id IS NOT NULL`).Error)
		must(b, e.db.Exec(`DELETE FROM follow_ups`).Error)
		must(b, e.db.Exec(`INSERT INTO follow_ups (participant_id, institution_id, course_id, state, due_at, next_at, updated_at)
			SELECT id, institution_id, course_id, 'waiting', ?, ?, now() FROM participants`, e.testTime.Add(-time.Hour), e.testTime.Add(-time.Hour)).Error)
		b.StartTimer()
		var wg sync.WaitGroup
		for _, s := range []func(context.Context){e.app.ImpactScheduler.Drain, second.ImpactScheduler.Drain} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s(ctx)
			}()
		}
		wg.Wait()
	}
	b.StopTimer()
	if got := e.countImpactMail("impact_follow_up"); got != n || e.duplicateImpactMail() != 0 {
		b.Fatalf("%d follow-up mails for %d participants", got, n)
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "follow-ups/s")
}
