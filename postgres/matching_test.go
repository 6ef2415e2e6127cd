package postgres_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"sinergi/audit"
	"sinergi/errs"
	"sinergi/internal/pgtest"
	"sinergi/matching"
	"sinergi/postgres"
)

// TestChangeLog: each write records the people it touched, so replicas can
// patch their index with just those people; a reader finds each change
// once, whatever order the writers commit in.
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
	// caughtUp is a mark past every change so far.
	caughtUp := func() matching.Mark {
		t.Helper()
		m, err := s.Mark(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if m, _, _, err = s.ChangesSince(ctx, m, 1000); err != nil {
			t.Fatal(err)
		}
		return m
	}
	changed := func(f func()) []int64 {
		t.Helper()
		from := caughtUp()
		f()
		_, ids, _, err := s.ChangesSince(ctx, from, 1000)
		if err != nil {
			t.Fatal(err)
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

	t.Run("changes since a mark load in one query as LoadPeopleByID does", func(t *testing.T) {
		from := caughtUp()
		exec(`INSERT INTO availability (person_id, windows) VALUES (2, '[{"rrule": "FREQ=WEEKLY;BYDAY=MO", "start_minute": 480, "end_minute": 960}]')`)
		exec(`INSERT INTO unavailable_periods (person_id, during) VALUES (2, tstzrange('2026-12-14 00:00Z', '2026-12-15 00:00Z'))`)
		exec(`INSERT INTO person_competencies (person_id, competency_id, level) VALUES (2, 1, 3), (2, 2, 5)`)
		exec(`INSERT INTO bookings (institution_id, session_id, person_id, role, status, during, uid)
			VALUES (1, 1, 1, 'co_trainer', 'proposed', tstzrange('2026-12-07 01:00Z', '2026-12-07 02:30Z'), 'u1')`)
		exec(`INSERT INTO evaluation_forms (hash, institution_id, session_id, expires_at) VALUES (sha256('f'), 1, 1, now() + interval '1 day')`)
		exec(`INSERT INTO evaluations (form_id, booking_id, person_id, scores, mean, normalised) VALUES (1, 1, 2, '{}', 3.5, 80), (1, 1, 2, '{}', 3, 70)`)
		exec(`INSERT INTO people (institution_id, kind, name, email, employment, zone, organisation)
			VALUES (1, 'practitioner', 'Baru', 'baru@x.id', 'non_asn', 'Asia/Makassar', 'Org')`)
		// Two plans drew on persons 1 and 2; supervisors confirmed both,
		// one implemented: each has an impact tally and one with the other.
		exec(`INSERT INTO participants (institution_id, course_id, name, email, supervisor_name, supervisor_email, created_at, updated_at)
			VALUES (1, 1, 'Peserta', 'peserta@x.id', 'Atasan', 'atasan@x.id', now(), now())`)
		exec(`INSERT INTO action_plans (institution_id, participant_id, position, change, indicator, baseline, target, due_date, created_at)
			VALUES (1, 1, 1, 'Perubahan satu', 'Indikator', 1, 2, '2027-03-01', now()), (1, 1, 2, 'Perubahan dua', 'Indikator', 1, 2, '2027-03-01', now())`)
		exec(`INSERT INTO plan_trainers (plan_id, person_id) VALUES (1, 1), (1, 2), (2, 2)`)
		exec(`INSERT INTO plan_confirmations (plan_id, implemented, behaviour, confirmed_at) VALUES (1, true, 3, now()), (2, false, 2, now())`)
		next, ids, got, err := s.ChangesSince(ctx, from, 100)
		if err != nil || !reflect.DeepEqual(ids, []int64{1, 2, 4}) {
			t.Fatalf("ids %v, %v", ids, err)
		}
		if _, again, _, err := s.ChangesSince(ctx, next, 100); err != nil || len(again) != 0 {
			t.Fatalf("read again from the next mark: %v, %v", again, err)
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
		if got[1].Impact != (matching.ImpactTally{Confirmed: 2, Implemented: 1}) || got[0].PairImpact[2] != (matching.ImpactTally{Confirmed: 1, Implemented: 1}) {
			t.Fatalf("impact: %+v %+v / %+v", got[1].Impact, got[1].PairImpact, got[0].PairImpact)
		}
		if got[1].RatingCount != 2 || len(got[1].Levels) != 2 || len(got[0].Busy) != 1 {
			t.Fatalf("the loaded data is not what was written: %+v", got)
		}
		if _, ids, people, _ := s.ChangesSince(ctx, from, 2); len(ids) != 3 || people != nil {
			t.Fatalf("past the limit: %v ids, %d people", ids, len(people))
		}
	})
	t.Run("a change committed after a later one is still found, once", func(t *testing.T) {
		from := caughtUp()
		slow := db.Begin()
		defer slow.Rollback()
		if err := slow.Exec(`UPDATE people SET unit = 'Lambat' WHERE id = 1`).Error; err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE people SET unit = 'Cepat' WHERE id = 3`)
		next, ids, people, err := s.ChangesSince(ctx, from, 100)
		if err != nil || !reflect.DeepEqual(ids, []int64{3}) || people[0].Unit != "Cepat" {
			t.Fatalf("before the slow writer commits: %v %+v %v", ids, people, err)
		}
		if err := slow.Commit().Error; err != nil {
			t.Fatal(err)
		}
		next, ids, people, err = s.ChangesSince(ctx, next, 100)
		if err != nil || !reflect.DeepEqual(ids, []int64{1}) || people[0].Unit != "Lambat" {
			t.Fatalf("after: %v %+v %v", ids, people, err)
		}
		if _, ids, _, err = s.ChangesSince(ctx, next, 100); err != nil || len(ids) != 0 {
			t.Fatalf("read again: %v %v", ids, err)
		}
	})
}

// TestRankingInputs: a session, its course and the settings read in one
// query are what the stores read one by one; another institution's
// session is not found.
func TestRankingInputs(t *testing.T) {
	db := pgtest.NewDB(t)
	ctx := context.Background()
	for _, q := range []string{
		`INSERT INTO institutions (code, name, kind, zone) VALUES ('AB', 'Abc', 'lainnya', 'Asia/Jakarta'), ('CD', 'Cde', 'lainnya', 'Asia/Jakarta')`,
		`INSERT INTO courses (institution_id, name, organising_unit, funding, region, start_date, end_date, co_trainers)
			VALUES (1, 'Kursus', 'Unit', 'APBD', 'Jabar', '2026-12-01', '2026-12-31', 'practitioners_and_widyaiswara')`,
		`INSERT INTO sessions (institution_id, course_id, topic, starts_at, ends_at, zone, jp, mode, requirements)
			VALUES (1, 1, 'Topik', '2026-12-07 01:00Z', '2026-12-07 02:30Z', 'Asia/Jakarta', 2, 'online', '[{"code": "komunikasi", "min_level": 3}]')`,
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	ms, sched := postgres.MatchingStore{DB: db}, postgres.SchedulingStore{DB: db}
	check := func(name string) {
		t.Helper()
		in, err := ms.RankingInputs(ctx, 1, 1, matching.Mark{}, 100)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sess, course, set := in.Session, in.Course, in.Settings
		wantSess, err1 := sched.Session(ctx, 1, 1)
		wantCourse, err2 := sched.Course(ctx, 1, 1)
		wantSet, err3 := ms.Settings(ctx, 1)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(sess, wantSess) || !reflect.DeepEqual(course, wantCourse) || !reflect.DeepEqual(set, wantSet) {
			t.Fatalf("%s:\n got %+v\n     %+v\n     %+v\nwant %+v\n     %+v\n     %+v", name, sess, course, set, wantSess, wantCourse, wantSet)
		}
	}
	check("default settings")
	if err := ms.PutSettings(audit.WithActor(ctx, audit.Actor{Role: "test"}), 1, matching.Settings{Weights: matching.Weights{Level: 3, Cost: 1},
		MonthlyCapJP: 40, BudgetPerJP: 500000}); err != nil {
		t.Fatal(err)
	}
	check("saved settings")
	if _, err := ms.RankingInputs(ctx, 2, 1, matching.Mark{}, 100); !notFound(err) {
		t.Fatalf("another institution's session: %v", err)
	}

	// The changes past a mark come with the inputs, as ChangesSince reads
	// them, and only those.
	mark, err := ms.Mark(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if mark, _, _, err = ms.ChangesSince(ctx, mark, 100); err != nil {
		t.Fatal(err)
	}
	changed := func(m matching.Mark) matching.Inputs {
		t.Helper()
		in, err := ms.RankingInputs(ctx, 1, 1, m, 100)
		if err != nil {
			t.Fatal(err)
		}
		return in
	}
	if in := changed(mark); len(in.Changed) != 0 || in.Session.ID != 1 {
		t.Fatalf("nothing changed, yet %v (session %d)", in.Changed, in.Session.ID)
	}
	if err := db.Exec(`INSERT INTO people (institution_id, kind, name, email, employment, zone, organisation)
		VALUES (1, 'practitioner', 'Praktisi Satu', 'p@x.id', 'non_asn', 'Asia/Jakarta', 'Org')`).Error; err != nil {
		t.Fatal(err)
	}
	in := changed(mark)
	next, ids, people, err := ms.ChangesSince(ctx, mark, 100)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(in.Changed, ids) || len(in.People) != 1 || in.People[0].Name != "Praktisi Satu" ||
		!reflect.DeepEqual(in.Mark, next) || !reflect.DeepEqual(in.People[0].Levels, people[0].Levels) {
		t.Fatalf("with the inputs %v %+v %+v, alone %v %+v %+v", in.Changed, in.People, in.Mark, ids, people, next)
	}
	if in := changed(next); len(in.Changed) != 0 || in.Session.ID != 1 {
		t.Fatalf("the change was read, yet %v", in.Changed)
	}
}

func notFound(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Kind == errs.NotFound
}
