package postgres_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"sinergi/internal/pgtest"
	"sinergi/postgres"
)

// TestChangeLog: each write records the people it touched under a new
// epoch, so replicas can patch their index with just those people.
func TestChangeLog(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	s := postgres.MatchingStore{DB: db}
	exec := func(q string, args ...any) {
		t.Helper()
		if err := db.Exec(q, args...).Error; err != nil {
			t.Fatal(err)
		}
	}
	exec(`INSERT INTO institutions (code, name, kind, zone) VALUES ('AB', 'Abc', 'lainnya', 'Asia/Jakarta')`)
	exec(`INSERT INTO people (institution_id, kind, name, email, employment, zone, organisation)
		SELECT 1, 'practitioner', 'P' || g, 'p' || g || '@x.id', 'non_asn', 'Asia/Jakarta', 'Org' FROM generate_series(1, 3) g`)
	exec(`INSERT INTO courses (institution_id, name, organising_unit, funding, region, start_date, end_date)
		VALUES (1, 'Kursus', 'Unit', 'APBD', 'Jabar', '2026-12-01', '2026-12-31')`)
	exec(`INSERT INTO sessions (institution_id, course_id, topic, starts_at, ends_at, zone, jp, mode)
		VALUES (1, 1, 'Topik', '2026-12-07 01:00Z', '2026-12-07 02:30Z', 'Asia/Jakarta', 2, 'online')`)
	changed := func(f func()) []int64 {
		t.Helper()
		before, err := s.Epoch(ctx)
		if err != nil {
			t.Fatal(err)
		}
		f()
		after, _ := s.Epoch(ctx)
		ids, err := s.Changed(ctx, before, after)
		if err != nil || after <= before {
			t.Fatalf("epoch %d → %d, %v", before, after, err)
		}
		return ids
	}
	tests := []struct {
		name string
		run  func()
		want []int64
	}{
		{"a booking", func() {
			exec(`INSERT INTO bookings (institution_id, session_id, person_id, role, status, during, uid)
				VALUES (1, 1, 2, 'co_trainer', 'proposed', tstzrange('2026-12-07 01:00Z', '2026-12-07 02:30Z'), 'u2')`)
		}, []int64{2}},
		{"competencies", func() {
			exec(`INSERT INTO person_competencies (person_id, competency_id, level) VALUES (3, 1, 4)`)
		}, []int64{3}},
		{"a profile", func() { exec(`UPDATE people SET unit = 'Baru' WHERE id = 1`) }, []int64{1}},
		{"a session move reaches its booked people", func() {
			exec(`UPDATE sessions SET venue = 'Aula' WHERE id = 1`)
		}, []int64{2}},
		{"removed competencies", func() { exec(`DELETE FROM person_competencies WHERE person_id = 3`) }, []int64{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := changed(tt.run); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("changed %v, want %v", got, tt.want)
			}
		})
	}
	people, err := s.LoadPeopleByID(ctx, []int64{2})
	if err != nil || len(people) != 1 || len(people[0].Busy) != 1 || people[0].Busy[0].Venue != "Aula" {
		t.Fatalf("reloaded %+v %v", people, err)
	}

	t.Run("changes since an epoch load in one query as LoadPeopleByID does", func(t *testing.T) {
		from, _ := s.Epoch(ctx)
		exec(`INSERT INTO availability (person_id, windows) VALUES (2, '[{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start_minute": 480, "end_minute": 960}]')`)
		exec(`INSERT INTO unavailable_periods (person_id, during) VALUES (2, tstzrange('2026-12-14 00:00Z', '2026-12-15 00:00Z'))`)
		exec(`INSERT INTO person_competencies (person_id, competency_id, level) VALUES (2, 1, 3), (2, 2, 5)`)
		exec(`INSERT INTO bookings (institution_id, session_id, person_id, role, status, during, uid)
			VALUES (1, 1, 1, 'co_trainer', 'proposed', tstzrange('2026-12-07 01:00Z', '2026-12-07 02:30Z'), 'u1')`)
		exec(`INSERT INTO evaluation_forms (hash, institution_id, session_id, expires_at) VALUES (sha256('f'), 1, 1, now() + interval '1 day')`)
		exec(`INSERT INTO evaluations (form_id, booking_id, person_id, scores, mean, normalised) VALUES (1, 1, 2, '{}', 3.5, 80), (1, 1, 2, '{}', 3, 70)`)
		exec(`INSERT INTO people (institution_id, kind, name, email, employment, zone, organisation)
			VALUES (1, 'practitioner', 'Baru', 'baru@x.id', 'non_asn', 'Asia/Makassar', 'Org')`)
		epoch, ids, got, err := s.ChangesSince(ctx, from, 100)
		now, _ := s.Epoch(ctx)
		if err != nil || epoch != now || !reflect.DeepEqual(ids, []int64{1, 2, 4}) {
			t.Fatalf("epoch %d (now %d), ids %v, %v", epoch, now, ids, err)
		}
		want, err := s.LoadPeopleByID(ctx, ids)
		if err != nil || len(got) != len(want) {
			t.Fatalf("%d people, want %d (%v)", len(got), len(want), err)
		}
		for i := range want {
			g, w := got[i], want[i]
			if (g.Free == nil) != (w.Free == nil) {
				t.Fatalf("person %d: availability differs", w.ID)
			}
			for _, at := range []string{"2026-12-07T01:00:00Z", "2026-12-08T01:00:00Z", "2026-12-14T02:00:00Z"} {
				start, _ := time.Parse(time.RFC3339, at)
				if w.Free != nil && g.Free(start, start.Add(time.Hour)) != w.Free(start, start.Add(time.Hour)) {
					t.Fatalf("person %d: free at %s differs", w.ID, at)
				}
			}
			g.Free, w.Free = nil, nil
			if !reflect.DeepEqual(g, w) {
				t.Fatalf("person %d:\n got %+v\nwant %+v", w.ID, g, w)
			}
		}
		if got[1].RatingCount != 2 || len(got[1].Levels) != 2 || len(got[0].Busy) != 1 {
			t.Fatalf("the loaded data is not what was written: %+v", got)
		}
		if _, ids, people, _ := s.ChangesSince(ctx, from, 2); len(ids) != 3 || people != nil {
			t.Fatalf("past the limit: %v ids, %d people", ids, len(people))
		}
	})
}
