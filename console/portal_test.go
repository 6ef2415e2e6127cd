package console_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"sinergi/audit"
	"sinergi/scheduling"
)

// A trainer with more bookings than one read of the store holds sees
// every one of them: the past newest first and the coming soonest first,
// each list paged on its own, and the last booking made is not left out.
func TestTrainerPortalListsEveryBookingPaged(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	a := e.app
	c, err := a.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Panjang", OrganisingUnit: "Bidang PKM",
		Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2026, 1, 5), EndDate: day(2026, 12, 30)})
	must(t, err)
	book := func(d time.Time, topic string) {
		t.Helper()
		s, _, err := a.Scheduling.CreateSession(ctx, e.instA, c.ID, scheduling.Session{Topic: topic, Zone: "Asia/Makassar",
			Start: d.Add(time.Hour), End: d.Add(time.Hour + 45*time.Minute), Mode: scheduling.Online}, true)
		must(t, err)
		_, err = a.Scheduling.Book(ctx, e.instA, scheduling.BookRequest{SessionID: s.ID, PersonID: e.practitioner, Role: scheduling.CoTrainer})
		must(t, err)
	}
	// 230 past sessions, oldest first, so that the newest past one is
	// the 230th booking; then three coming ones, booked latest-first.
	first := day(2026, 4, 1)
	for i := 0; i < 230; i++ {
		book(first.AddDate(0, 0, i), fmt.Sprintf("Sesi lampau %03d", i+1))
	}
	for _, d := range []int{10, 5, 2} {
		b := day(2026, 12, d)
		book(b, fmt.Sprintf("Sesi mendatang %02d Desember", d))
		s, err := a.Scheduling.ListBookings(ctx, scheduling.Scope{InstitutionID: e.instA}, scheduling.BookingFilter{PersonID: e.practitioner, Limit: 1000})
		must(t, err)
		_, _, err = a.Scheduling.TransitionBooking(ctx, scheduling.Scope{InstitutionID: e.instA}, s[len(s)-1].ID, scheduling.Invited, 0)
		must(t, err)
	}

	tr := e.trainer(t, "marthen@example.id")
	body := tr.get("/console/trainer").Body
	up := strings.Index(body, "Sesi mendatang 02 Desember")
	if up < 0 || !(up < strings.Index(body, "Sesi mendatang 05 Desember") && strings.Index(body, "Sesi mendatang 05 Desember") < strings.Index(body, "Sesi mendatang 10 Desember")) {
		t.Fatalf("the coming sessions, booked after 230 others, are missing or not soonest first:\n%s", body)
	}
	if !strings.Contains(body, "Sesi lampau 230") || strings.Contains(body, "Sesi lampau 001") {
		t.Fatal("the first page of past sessions does not start with the newest")
	}
	if !strings.Contains(body, "past=2") {
		t.Fatal("the past sessions have no link to their next page")
	}
	var found bool
	for n := 2; n <= 20 && !found; n++ {
		found = strings.Contains(tr.get(fmt.Sprintf("/console/trainer?past=%d&size=100", n)).Body, "Sesi lampau 001")
	}
	if !found {
		t.Fatal("the oldest past session is on no page")
	}
}

// An institution that has run more courses than one read of the store
// holds still sees its newest course's session on the dashboard and the
// week, and a decline on it among the answers to act on.
func TestDashboardAndWeekSeeTheNewestCourse(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	a := e.app
	for i := 0; i < 120; i++ {
		_, err := a.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: fmt.Sprintf("Pelatihan lama %03d", i+1),
			OrganisingUnit: "Bidang PKM", Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2025, 1, 6), EndDate: day(2025, 1, 10)})
		must(t, err)
	}
	c, err := a.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Terbaru", OrganisingUnit: "Bidang PKM",
		Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2026, 11, 23), EndDate: day(2026, 11, 27)})
	must(t, err)
	s, _, err := a.Scheduling.CreateSession(ctx, e.instA, c.ID, scheduling.Session{Topic: "Sesi pekan ini", Zone: "Asia/Makassar",
		Start: time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 25, 1, 45, 0, 0, time.UTC), Mode: scheduling.Online}, false)
	must(t, err)
	b, err := a.Scheduling.Book(ctx, e.instA, scheduling.BookRequest{SessionID: s.ID, PersonID: e.practitioner, Role: scheduling.CoTrainer})
	must(t, err)
	scope := scheduling.Scope{InstitutionID: e.instA}
	for _, to := range []scheduling.Status{scheduling.Invited, scheduling.Declined} {
		_, _, err := a.Scheduling.TransitionBooking(ctx, scope, b.ID, to, 0)
		must(t, err)
	}
	staff := e.staffClient(e.staffA)
	dash := staff.get("/console/dashboard").Body
	if strings.Count(dash, "Sesi pekan ini") < 2 || !strings.Contains(dash, "Marthen Rumbiak") {
		t.Fatalf("the dashboard misses the newest course's session or its decline:\n%s", dash)
	}
	if week := staff.get("/console/week?from=2026-11-23").Body; !strings.Contains(week, "Sesi pekan ini") || !strings.Contains(week, "Pelatihan Terbaru") {
		t.Fatalf("the week misses the newest course's session:\n%s", week)
	}
}
