package console_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"sinergi/calendar"
	"sinergi/profile"
	"sinergi/scheduling"
)

// benchBoard is the board fixture with four more people invited to the
// later session and three calendar replies for each of the five bookings.
func benchBoard(b *testing.B) (*env, *client, boardFixture, []int64) {
	e := newEnv(b)
	f := newBoard(b, e)
	ids := []int64{f.laterB.ID}
	for i := range 4 {
		p, err := e.app.People.Create(f.ctx, e.instA, profile.Person{Kind: profile.Practitioner, Name: fmt.Sprintf("Orang %d", i),
			Email: fmt.Sprintf("orang%d@example.id", i), Organisation: "BPBD", Unit: "Logistik", Employment: profile.NonASN,
			TaxIDStatus: profile.TaxNone, Zone: "Asia/Makassar", ExperienceYears: 5})
		must(b, err)
		bk, err := e.app.Scheduling.Book(f.ctx, e.instA, scheduling.BookRequest{SessionID: f.later.ID, PersonID: p.ID, Role: scheduling.CoTrainer})
		must(b, err)
		bk, _, err = e.app.Scheduling.TransitionBooking(f.ctx, scheduling.Scope{InstitutionID: e.instA}, bk.ID, scheduling.Invited, 0)
		must(b, err)
		ids = append(ids, bk.ID)
	}
	var uids []string
	must(b, e.db.Raw(`SELECT uid FROM bookings WHERE session_id = ? ORDER BY id`, f.later.ID).Scan(&uids).Error)
	for i, uid := range uids {
		for _, ps := range []string{"DECLINED", "TENTATIVE", "ACCEPTED"} {
			to := "marthen@example.id"
			if i > 0 {
				to = fmt.Sprintf("orang%d@example.id", i-1)
			}
			e.inbound(b, f.gateway, calendarReply(b, uid, to, to, ps, "catatan "+ps))
		}
	}
	c := e.client()
	c.login(e.staffA, password)
	return e, c, f, ids
}

// BenchmarkBoardPage prices the session page whose board holds five
// bookings with three calendar replies each, against
// BenchmarkBoardReplies, the reply reads alone, in the same run.
func BenchmarkBoardPage(b *testing.B) {
	e, c, f, _ := benchBoard(b)
	path := fmt.Sprintf("/console/sessions/%d", f.later.ID)
	b.ResetTimer()
	for b.Loop() {
		if r := c.get(path); r.Status != http.StatusOK {
			e.t.Fatalf("session page: %d", r.Status)
		}
	}
}

// BenchmarkBoardReplies reads the five bookings' replies as the board does.
func BenchmarkBoardReplies(b *testing.B) {
	e, _, _, ids := benchBoard(b)
	b.ResetTimer()
	for b.Loop() {
		for _, id := range ids {
			if _, err := e.app.Replies.Messages(b.Context(), e.instA, calendar.MessageFilter{BookingID: id}, 20); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkMoveConfirmation prices the confirmation step of a move (the
// dry run of UpdateSession for five bookings, names, render), against
// BenchmarkBoardPage in the same run.
func BenchmarkMoveConfirmation(b *testing.B) {
	e, c, f, _ := benchBoard(b)
	path := fmt.Sprintf("/console/sessions/%d/edit", f.later.ID)
	form := url.Values{"version": {"0"}, "zone": {"Asia/Makassar"}, "start": {"2026-12-08T13:00"}, "end": {"2026-12-08T14:30"},
		"mode": {"offline"}, "venue": {"Ruang 2"}}
	b.ResetTimer()
	for b.Loop() {
		if r := c.post(path, form); r.Status != http.StatusOK {
			e.t.Fatalf("confirmation: %d %s", r.Status, r.Body)
		}
	}
	b.StopTimer()
	s, err := e.app.Scheduling.Session(b.Context(), e.instA, f.later.ID)
	must(b, err)
	if !s.Start.Equal(f.later.Start) {
		b.Fatal("a confirmation moved the session")
	}
}
