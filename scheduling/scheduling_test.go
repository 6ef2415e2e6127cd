package scheduling

import (
	"slices"
	"testing"
	"time"

	"sinergi/errs"
	"sinergi/tz"
)

func at(zone, local string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", local, tz.MustLoad(zone))
	if err != nil {
		panic(err)
	}
	return t
}

var course = Course{Name: "Pelatihan Kepemimpinan Pengawas", OrganisingUnit: "Bidang PKM", Funding: APBD, Region: "Sulsel",
	StartDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC)}

func TestSessionNormalize(t *testing.T) {
	tests := []struct {
		name         string
		start, end   string
		jp           int
		wantJP       int
		field, wants string
	}{
		{"derives 2 JP from 90 minutes", "2026-12-07 09:00", "2026-12-07 10:30", 0, 2, "", ""},
		{"keeps an explicit JP for 100 minutes", "2026-12-07 09:00", "2026-12-07 10:40", 2, 2, "", ""},
		{"refuses 100 minutes without JP", "2026-12-07 09:00", "2026-12-07 10:40", 0, 0, "jp",
			"the session lasts 100 minutes, not a whole number of 45-minute JP; give jp explicitly"},
		{"refuses an end before the start", "2026-12-07 09:00", "2026-12-07 08:00", 0, 0, "end", "must be after start"},
		{"refuses a date outside the course", "2026-11-30 09:00", "2026-11-30 10:30", 0, 0, "start",
			"falls outside the course dates 2026-12-01 to 2027-01-31"},
		{"refuses 14 hours", "2026-12-07 06:00", "2026-12-07 20:00", 0, 0, "end", "a session lasts at most 12 hours"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Session{Topic: "Manajemen Risiko", Zone: "Asia/Makassar", Mode: Offline, Venue: "Aula BPSDM",
				Start: at("Asia/Makassar", tt.start), End: at("Asia/Makassar", tt.end), JP: tt.jp}
			err := s.Normalize(course)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if s.JP != tt.wantJP {
					t.Fatalf("JP = %d, want %d", s.JP, tt.wantJP)
				}
				if s.Start.Location() != time.UTC {
					t.Fatal("start not stored in UTC")
				}
				return
			}
			e, _ := errs.As(err)
			if e == nil || e.Fields[tt.field] != tt.wants {
				t.Fatalf("err = %v, want %s: %s", err, tt.field, tt.wants)
			}
		})
	}
}

func TestHolidayCheck(t *testing.T) {
	hs := []Holiday{
		{Date: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), Kind: CutiBersama, NameID: "Cuti Bersama Natal"},
		{Date: time.Date(2026, 12, 25, 0, 0, 0, 0, time.UTC), Kind: LiburNasional, NameID: "Natal"},
	}
	tests := []struct {
		name               string
		zone, start, end   string
		blocking, warnings int
	}{
		{"a session on Christmas is blocked", "Asia/Jakarta", "2026-12-25 09:00", "2026-12-25 10:30", 1, 0},
		{"a session on cuti bersama warns", "Asia/Jakarta", "2026-12-24 09:00", "2026-12-24 10:30", 0, 1},
		{"the venue's date decides: 06:00 WIT on the 25th is still the 24th in UTC", "Asia/Jayapura", "2026-12-25 06:00", "2026-12-25 07:30", 1, 0},
		{"a normal day passes", "Asia/Makassar", "2026-12-23 09:00", "2026-12-23 10:30", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Session{Zone: tt.zone, Start: at(tt.zone, tt.start).UTC(), End: at(tt.zone, tt.end).UTC()}
			b, w := HolidayCheck(s, hs)
			if len(b) != tt.blocking || len(w) != tt.warnings {
				t.Fatalf("blocking %d warnings %d, want %d %d", len(b), len(w), tt.blocking, tt.warnings)
			}
		})
	}
}

func TestAvailabilityAcrossZones(t *testing.T) {
	// Monday 08:00-12:00 in Jayapura (WIT) is Monday 06:00-10:00 WIB.
	av := Availability{Zone: "Asia/Jayapura", Windows: []Window{{RRule: "FREQ=WEEKLY;BYDAY=MO", Start: 8 * 60, End: 12 * 60}}}
	if err := av.Normalize(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		start, end string
		want       bool
	}{
		{"free for Monday 07:00-09:00 WIB", "2026-12-07 07:00", "2026-12-07 09:00", true},
		{"free for Monday 06:00-10:00 WIB exactly", "2026-12-07 06:00", "2026-12-07 10:00", true},
		{"not free Monday 09:00-11:00 WIB (runs past 12:00 WIT)", "2026-12-07 09:00", "2026-12-07 11:00", false},
		{"not free on Tuesday", "2026-12-08 07:00", "2026-12-08 09:00", false},
		{"not free Monday 05:00-07:00 WIB (before 08:00 WIT)", "2026-12-07 05:00", "2026-12-07 07:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := av.Covers(at("Asia/Jakarta", tt.start), at("Asia/Jakarta", tt.end)); got != tt.want {
				t.Fatalf("Covers = %v, want %v", got, tt.want)
			}
		})
	}
	t.Run("an unavailable period overrides the window", func(t *testing.T) {
		a := av
		a.Unavailable = []Period{{Interval: Interval{at("Asia/Jayapura", "2026-12-07 00:00"), at("Asia/Jayapura", "2026-12-08 00:00")}, Reason: "cuti"}}
		if a.Covers(at("Asia/Jakarta", "2026-12-07 07:00"), at("Asia/Jakarta", "2026-12-07 09:00")) {
			t.Fatal("covered despite unavailability")
		}
		if !a.Covers(at("Asia/Jakarta", "2026-12-14 07:00"), at("Asia/Jakarta", "2026-12-14 09:00")) {
			t.Fatal("next Monday not covered")
		}
	})
	t.Run("no windows means free unless busy", func(t *testing.T) {
		if !(Availability{Zone: "Asia/Jakarta"}).Covers(at("Asia/Jakarta", "2026-12-08 22:00"), at("Asia/Jakarta", "2026-12-08 23:00")) {
			t.Fatal("not covered")
		}
	})
}

func TestFreeBusy(t *testing.T) {
	av := Availability{Zone: "Asia/Makassar", Windows: []Window{{RRule: "FREQ=WEEKLY;BYDAY=MO,TU", Start: 8 * 60, End: 16 * 60}}}
	from, to := at("Asia/Makassar", "2026-12-07 00:00"), at("Asia/Makassar", "2026-12-09 00:00")
	booked := []Interval{{at("Asia/Makassar", "2026-12-07 10:00"), at("Asia/Makassar", "2026-12-07 12:00")}}
	free, busy := av.FreeBusy(booked, from, to)
	want := []Interval{
		{at("Asia/Makassar", "2026-12-07 08:00"), at("Asia/Makassar", "2026-12-07 10:00")},
		{at("Asia/Makassar", "2026-12-07 12:00"), at("Asia/Makassar", "2026-12-07 16:00")},
		{at("Asia/Makassar", "2026-12-08 08:00"), at("Asia/Makassar", "2026-12-08 16:00")},
	}
	if len(free) != len(want) {
		t.Fatalf("free = %v", free)
	}
	for i := range want {
		if !free[i].Start.Equal(want[i].Start) || !free[i].End.Equal(want[i].End) {
			t.Fatalf("free[%d] = %v, want %v", i, free[i], want[i])
		}
	}
	if len(busy) != 1 || !busy[0].Start.Equal(booked[0].Start) {
		t.Fatalf("busy = %v", busy)
	}
}

func TestAvailabilityNormalize(t *testing.T) {
	tests := []struct {
		name  string
		w     Window
		field string
	}{
		{"hourly rules are refused", Window{RRule: "FREQ=HOURLY", Start: 0, End: 60}, "windows[0].rrule"},
		{"COUNT is refused", Window{RRule: "FREQ=WEEKLY;COUNT=3", Start: 0, End: 60}, "windows[0].rrule"},
		{"garbage is refused", Window{RRule: "EVERY MONDAY", Start: 0, End: 60}, "windows[0].rrule"},
		{"an end before the start is refused", Window{RRule: "FREQ=WEEKLY;BYDAY=MO", Start: 600, End: 500}, "windows[0].end"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := Availability{Zone: "Asia/Jakarta", Windows: []Window{tt.w}}
			e, _ := errs.As(a.Normalize())
			if e == nil || e.Fields[tt.field] == "" {
				t.Fatalf("got %v, want field %s", e, tt.field)
			}
		})
	}
}

func TestTransitions(t *testing.T) {
	ended := Session{JP: 4, Start: time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 7, 4, 0, 0, 0, time.UTC), Status: SessionScheduled}
	now := time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	before := ended.Start.Add(-time.Hour)
	legal := [][2]Status{{Proposed, Invited}, {Invited, Accepted}, {Invited, Declined}, {Invited, Tentative},
		{Tentative, Accepted}, {Accepted, Confirmed}, {Confirmed, Completed}, {Confirmed, Cancelled}, {Declined, Invited}}
	for _, tr := range legal {
		b := Booking{Status: tr[0]}
		at := now
		if tr[1] == Invited {
			at = before
		}
		if err := Transition(&b, tr[1], false, ended, 0, at); err != nil || b.Status != tr[1] {
			t.Errorf("%s → %s: %v", tr[0], tr[1], err)
		}
	}
	illegal := [][2]Status{{Proposed, Accepted}, {Proposed, Completed}, {Completed, Cancelled}, {Cancelled, Invited},
		{Invited, Completed}, {Accepted, Completed}}
	for _, tr := range illegal {
		b := Booking{Status: tr[0]}
		err := Transition(&b, tr[1], false, ended, 0, now)
		e, _ := errs.As(err)
		if e == nil || e.Code != "illegal_transition" || e.Details["current_status"] != string(tr[0]) || b.Status != tr[0] {
			t.Errorf("%s → %s: %v", tr[0], tr[1], err)
		}
	}
	t.Run("a trainer only answers", func(t *testing.T) {
		b := Booking{Status: Accepted}
		if err := Transition(&b, Confirmed, true, ended, 0, now); errs.KindOf(err) != errs.Forbidden {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("completion waits for the end and records JP", func(t *testing.T) {
		b := Booking{Status: Confirmed}
		if err := Transition(&b, Completed, false, ended, 0, ended.End.Add(-time.Minute)); err != ErrNotEnded {
			t.Fatalf("got %v", err)
		}
		if err := Transition(&b, Completed, false, ended, 5, now); errs.KindOf(err) != errs.Invalid {
			t.Fatalf("5 JP of 4 accepted: %v", err)
		}
		if err := Transition(&b, Completed, false, ended, 3, now); err != nil || b.ActualJP != 3 {
			t.Fatalf("got %v, %d", err, b.ActualJP)
		}
	})
	t.Run("no invitation once the session has begun", func(t *testing.T) {
		for _, from := range []Status{Proposed, Declined} {
			b := Booking{Status: from}
			if err := Transition(&b, Invited, false, ended, 0, ended.Start); err != ErrSessionBegun || b.Status != from {
				t.Fatalf("%s → invited at the start: %v", from, err)
			}
		}
		if MayInvite(ended, ended.Start) || !MayInvite(ended, before) {
			t.Fatal("MayInvite disagrees with Transition")
		}
	})
	t.Run("moves offered are the ones Transition accepts", func(t *testing.T) {
		if got := Moves(Booking{Status: Confirmed}, ended, before); !slices.Equal(got, []Status{Cancelled}) {
			t.Fatalf("before the end: %v", got)
		}
		if got := Moves(Booking{Status: Confirmed}, ended, now); !slices.Equal(got, []Status{Completed, Cancelled}) {
			t.Fatalf("after the end: %v", got)
		}
		if got := Moves(Booking{Status: Proposed}, ended, now); !slices.Equal(got, []Status{Cancelled}) {
			t.Fatalf("a proposed booking of a past session: %v", got)
		}
	})
	t.Run("a session that began or has a completed booking is held", func(t *testing.T) {
		if Held(ended, nil, before) || !Held(ended, nil, ended.Start) || !Held(ended, []Booking{{Status: Completed}}, before) {
			t.Fatal("Held")
		}
	})
	t.Run("cancelling bumps SEQUENCE", func(t *testing.T) {
		b := Booking{Status: Invited, Sequence: 2}
		_ = Transition(&b, Cancelled, false, ended, 0, now)
		if b.Sequence != 3 {
			t.Fatalf("sequence %d", b.Sequence)
		}
	})
	if !slices.Equal(Allowed(Completed), []Status{}) {
		t.Error("completed is not terminal")
	}
}

func TestRandomUID(t *testing.T) {
	a, b := RandomUID(), RandomUID()
	if a == b || len(a) != 36+len("@sinergi") || a[14] != '4' {
		t.Fatalf("uids %q %q", a, b)
	}
}
