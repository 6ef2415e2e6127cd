package main

import (
	"context"
	"encoding/base64"
	"io"
	"log/slog"
	"testing"
	"time"

	"sinergi/app"
	"sinergi/demo"
	"sinergi/internal/pgtest"
	"sinergi/postgres"
	"sinergi/scheduling"
)

// TestDemoDatesFollowTheClock seeds the demo, as sinergi seed does, with
// the clock on days around year ends and holidays (Natal and Tahun Baru,
// Nyepi and Idul Fitri with their cuti bersama, a year the database has no
// holidays for) and checks that the coming course lies ahead with sessions
// staff can still invite to, that the past course lies behind with every
// booking completed and its honorarium drafted, and that no session falls
// on a weekend, a national holiday or a cuti bersama day.
func TestDemoDatesFollowTheClock(t *testing.T) {
	for _, today := range []time.Time{
		time.Date(2026, 11, 24, 2, 0, 0, 0, time.UTC), // coming course over Natal and 1 January 2027
		time.Date(2027, 2, 10, 2, 0, 0, 0, time.UTC),  // coming course from Nyepi through Idul Fitri
		time.Date(2027, 3, 10, 2, 0, 0, 0, time.UTC),  // seeded on Idul Fitri; past course in January
		time.Date(2028, 12, 28, 2, 0, 0, 0, time.UTC), // past in 2028, coming in 2029: no holidays held
	} {
		t.Run(today.Format(time.DateOnly), func(t *testing.T) {
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
			now := func() time.Time { return today }
			if err := seedCmd(ctx, cfg, db, log, now, true, 42, false, ""); err != nil {
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
			d := demo.Generate(42)[0]
			cal := demo.Calendar{Today: today}
			coming, past := demo.Courses(d, cal).Course.Name, demo.Past(d, cal).Course.Name
			checks := []struct {
				name  string
				query string
				args  []any
				want  int64
			}{
				{"coming sessions, all after today", `SELECT count(*) FROM sessions s JOIN courses c ON c.id = s.course_id
					WHERE c.name = ? AND s.starts_at > ? AND c.start_date > ?::date AND extract(isodow FROM c.start_date) = 1`,
					[]any{coming, today, today}, 3 * 10},
				{"past sessions, all over before today", `SELECT count(*) FROM sessions s JOIN courses c ON c.id = s.course_id
					WHERE c.name = ? AND s.ends_at < ? AND c.end_date < ?::date AND extract(isodow FROM c.start_date) = 1`,
					[]any{past, today, today}, 3 * 4},
				{"completed bookings on the past course", `SELECT count(*) FROM bookings b JOIN sessions s ON s.id = b.session_id
					JOIN courses c ON c.id = s.course_id WHERE c.name = ? AND b.status = 'completed'`, []any{past}, 3 * 4 * 2},
				{"a drafted honorarium per completed booking", `SELECT count(*) FROM honoraria h JOIN bookings b ON b.id = h.booking_id
					WHERE b.status = 'completed' AND h.status = 'draft' AND h.gross > 0`, nil, 3 * 4 * 2},
				{"a valid certificate per institution", `SELECT count(*) FROM certificates WHERE status = 'valid'`, nil, 3},
				{"sessions on a weekend", `SELECT count(*) FROM sessions s
					WHERE extract(isodow FROM s.starts_at AT TIME ZONE s.zone::text) > 5`, nil, 0},
				{"sessions on a holiday or cuti bersama", `SELECT count(*) FROM sessions s JOIN holidays h
					ON h.date = (s.starts_at AT TIME ZONE s.zone::text)::date`, nil, 0},
			}
			for _, c := range checks {
				if got := count(c.query, c.args...); got != c.want {
					t.Errorf("%s: %d, want %d", c.name, got, c.want)
				}
			}

			// Staff can invite a trainer to the coming course's first
			// session, with the clock where the seed left it.
			a, err := app.New(db, app.Config{Now: now, Buffer: time.Hour, BaseURL: cfg.BaseURL, MailFrom: "demo@example.id"})
			if err != nil {
				t.Fatal(err)
			}
			var inst, session, person int64
			db.Raw("SELECT id FROM institutions WHERE code = ?", d.Tenant.Code).Scan(&inst)
			db.Raw(`SELECT min(s.id) FROM sessions s JOIN courses c ON c.id = s.course_id WHERE s.institution_id = ? AND c.name = ?`,
				inst, coming).Scan(&session)
			db.Raw("SELECT id FROM people WHERE institution_id = ? AND email = ?", inst, demo.Past(d, cal).Sessions[0].CoTrainer).Scan(&person)
			b, err := a.Scheduling.Book(ctx, inst, scheduling.BookRequest{SessionID: session, PersonID: person, Role: scheduling.CoTrainer})
			if err != nil {
				t.Fatalf("book on the coming course: %v", err)
			}
			if _, _, err := a.Scheduling.TransitionBooking(ctx, scheduling.Scope{InstitutionID: inst}, b.ID, scheduling.Invited, 0); err != nil {
				t.Fatalf("invite to the coming course: %v", err)
			}
		})
	}
}
