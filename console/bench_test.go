package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"sinergi/scheduling"
)

// benchSession makes a session of A with the practitioner as a candidate
// and a signed-in staff client.
func benchSession(b *testing.B) (*env, *client, int64) {
	e := newEnv(b)
	c := e.client()
	c.login(e.staffA, password)
	r := c.post("/console/courses", url.Values{"name": {"Pelatihan Tolok Ukur"}, "organising_unit": {"Bidang PKM"}, "funding": {"APBD"},
		"region": {"Sulawesi Selatan"}, "start_date": {"2026-12-07"}, "end_date": {"2026-12-08"}})
	if r.Status != http.StatusSeeOther {
		b.Fatalf("course: %d", r.Status)
	}
	var course int64
	must(b, e.db.Raw("SELECT max(id) FROM courses").Scan(&course).Error)
	r = c.post(fmt.Sprintf("/console/courses/%d/sessions", course), url.Values{"topic": {"Sesi Tolok Ukur"}, "zone": {"Asia/Makassar"},
		"start": {"2026-12-07T08:00"}, "end": {"2026-12-07T09:30"}, "mode": {"online"}})
	if r.Status != http.StatusSeeOther {
		b.Fatalf("session: %d", r.Status)
	}
	var session int64
	must(b, e.db.Raw("SELECT max(id) FROM sessions").Scan(&session).Error)
	return e, c, session
}

// BenchmarkSessionPage prices the whole session page (session, board,
// candidates, pairs, free times, render) against BenchmarkCandidates, the
// ranking alone, in the same run.
func BenchmarkSessionPage(b *testing.B) {
	e, c, session := benchSession(b)
	path := fmt.Sprintf("/console/sessions/%d", session)
	b.ResetTimer()
	for b.Loop() {
		if r := c.get(path); r.Status != http.StatusOK {
			e.t.Fatalf("session page: %d", r.Status)
		}
	}
}

// BenchmarkCandidates is the ranking the session page shows, called
// directly.
func BenchmarkCandidates(b *testing.B) {
	e, _, session := benchSession(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.app.Matching.Candidates(context.Background(), e.instA, session, scheduling.CoTrainer, 10); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignIn prices a sign-in: the argon2id check (19 MiB, 2 passes)
// and the new session row.
func BenchmarkSignIn(b *testing.B) {
	e := newEnv(b)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := e.app.Accounts.SignIn(context.Background(), e.staffA, password); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkResume prices what every console request pays to find its
// session from the cookie.
func BenchmarkResume(b *testing.B) {
	e := newEnv(b)
	secret, _, err := e.app.Accounts.SignIn(context.Background(), e.staffA, password)
	must(b, err)
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.app.Accounts.Resume(context.Background(), secret); err != nil {
			b.Fatal(err)
		}
	}
}
