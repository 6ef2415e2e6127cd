package console_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"sinergi/audit"
	"sinergi/incentive"
	"sinergi/profile"
	"sinergi/scheduling"
)

// completedSession books the practitioner as co-trainer on a session of
// A this morning and completes it, which drafts an honorarium; the draft
// is approved and paid. It returns the honorarium's id.
func (e *env) completedSession(t *testing.T) int64 {
	t.Helper()
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	a := e.app
	c, err := a.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Tanggap Darurat", OrganisingUnit: "Bidang PKM",
		Funding: scheduling.APBD, Region: "Sulawesi Selatan", StartDate: day(2026, 11, 23), EndDate: day(2026, 11, 27)})
	must(t, err)
	s, _, err := a.Scheduling.CreateSession(ctx, e.instA, c.ID, scheduling.Session{Topic: "Logistik Bencana", Zone: "Asia/Makassar",
		Start: time.Date(2026, 11, 23, 1, 15, 0, 0, time.UTC), End: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), Mode: scheduling.Offline,
		Venue: "Aula"}, false)
	must(t, err)
	b, err := a.Scheduling.Book(ctx, e.instA, scheduling.BookRequest{SessionID: s.ID, PersonID: e.practitioner, Role: scheduling.CoTrainer})
	must(t, err)
	scope := scheduling.Scope{InstitutionID: e.instA}
	for _, to := range []scheduling.Status{scheduling.Invited, scheduling.Accepted, scheduling.Confirmed} {
		_, _, err := a.Scheduling.TransitionBooking(ctx, scope, b.ID, to, 0)
		must(t, err)
	}
	e.advance(95 * time.Minute)
	_, _, err = a.Scheduling.TransitionBooking(ctx, scope, b.ID, scheduling.Completed, 0)
	must(t, err)
	rows, err := a.Incentives.List(ctx, e.instA, incentive.Filter{PersonID: e.practitioner})
	must(t, err)
	if len(rows) != 1 {
		t.Fatalf("%d honoraria drafted, want 1", len(rows))
	}
	_, err = a.Incentives.Approve(ctx, e.instA, rows[0].ID, 1)
	must(t, err)
	_, err = a.Incentives.Pay(ctx, e.instA, rows[0].ID, 1, incentive.Payment{})
	must(t, err)
	return rows[0].ID
}

// trainer signs the practitioner in to the portal by the e-mailed link.
func (e *env) trainer(t *testing.T, email string) *client {
	t.Helper()
	c := e.client()
	c.post("/console/trainer/login", url.Values{"email": {email}})
	if r := c.post(strings.TrimPrefix(e.signInLink(email), e.srv.URL), url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("the sign-in link answered %d", r.Status)
	}
	return c
}

// The trainer edits their own profile and competencies (never the fields
// only staff change, never anyone else's) and reads their honorarium
// statement by year.
func TestTrainerOwnProfileAndStatement(t *testing.T) {
	e := newEnv(t)
	e.completedSession(t)
	other := e.widyaiswara(t, "Andi Lain", "197805122003121002", "andi@a.go.id", "integritas", 2)
	c := e.trainer(t, "marthen@example.id")
	r := c.get("/console/trainer")
	if !strings.Contains(r.Body, `href="/console/trainer/profile"`) || !strings.Contains(r.Body, `href="/console/trainer/honoraria"`) {
		t.Fatal("the portal does not link the profile and the statements")
	}
	r = c.get("/console/trainer/profile")
	if r.Status != http.StatusOK || strings.Contains(r.Body, `id="f-nip"`) || strings.Contains(r.Body, `id="f-employment"`) || !strings.Contains(r.Body, `id="f-expertise"`) {
		t.Fatalf("the trainer's profile page answered %d:\n%s", r.Status, r.Body)
	}
	form := url.Values{"version": {versionOf(t, r.Body)}, "name": {"Marthen Rumbiak"}, "email": {"marthen@example.id"},
		"phone": {"12345"}, "organisation": {"BPBD Provinsi Papua"}, "unit": {"Logistik"}, "expertise": {"manajemen_bencana, logistik"},
		"experience_years": {"14"}, "tax_id_status": {"none"}, "zone": {"Asia/Jayapura"},
		// Fields only staff change, and another person's id, are ignored.
		"nip": {"197805122003121002"}, "employment": {"pns"}, "id": {fmt.Sprint(other)}}
	if r := c.post("/console/trainer/profile", form); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.Body, `id="f-phone-err"`) {
		t.Fatalf("a bad phone answered %d", r.Status)
	}
	form.Set("phone", "081298765432")
	if r := c.post("/console/trainer/profile", form); r.Status != http.StatusSeeOther || r.Location != "/console/trainer/profile?ok=person_saved" {
		t.Fatalf("saving answered %d %q:\n%s", r.Status, r.Location, r.Body)
	}
	p, err := e.app.People.Person(context.Background(), e.instA, e.practitioner, false)
	must(t, err)
	if p.Phone != "+6281298765432" || p.ExperienceYears != 14 || p.NIP != "" || p.Employment != profile.NonASN {
		t.Fatalf("the trainer's profile is stored as %+v", p)
	}
	if o, _ := e.app.People.Person(context.Background(), e.instA, other, false); o.Phone != "" || o.Version != 2 {
		t.Fatalf("another person changed: %+v", o)
	}
	komunikasi := e.competencyID(t, "komunikasi")
	v := versionOf(t, c.get("/console/trainer/profile").Body)
	if r := c.post("/console/trainer/competencies", url.Values{"version": {v}, "competency_id": {fmt.Sprint(komunikasi)}, "level": {"4"}}); r.Status != http.StatusSeeOther {
		t.Fatalf("adding a competency answered %d:\n%s", r.Status, r.Body)
	}
	// A competency the trainer does not hold (another person's) is not
	// theirs to remove.
	integritas := e.competencyID(t, "integritas")
	v = versionOf(t, c.get("/console/trainer/profile").Body)
	if r := c.post(fmt.Sprintf("/console/trainer/competencies/%d/remove", integritas), url.Values{"version": {v}, "confirm": {"yes"}}); r.Status != http.StatusNotFound {
		t.Fatalf("removing a competency not held answered %d", r.Status)
	}
	if o, _ := e.app.People.Person(context.Background(), e.instA, other, false); len(o.Competencies) != 1 {
		t.Fatal("another person's competency was removed")
	}
	p, _ = e.app.People.Person(context.Background(), e.instA, e.practitioner, false)
	if len(p.Competencies) != 1 || p.Competencies[0].Code != "komunikasi" || p.Competencies[0].Level != 4 {
		t.Fatalf("the trainer's competencies: %+v", p.Competencies)
	}

	r = c.get("/console/trainer/honoraria")
	if r.Status != http.StatusOK || !strings.Contains(r.Body, `id="statement"`) || !strings.Contains(r.Body, "Pelatihan Tanggap Darurat") ||
		!strings.Contains(r.Body, "November 2026") || !strings.Contains(r.Body, "dibayar") {
		t.Fatalf("the statement answered %d:\n%s", r.Status, r.Body)
	}
	rows, err := e.app.Incentives.List(context.Background(), e.instA, incentive.Filter{PersonID: e.practitioner})
	must(t, err)
	for _, want := range []int64{rows[0].Gross, rows[0].Tax, rows[0].Net} {
		if want == 0 || strings.Count(r.Body, rupiahText(want)) < 2 { // the row and the year's total
			t.Errorf("the statement does not show %s on the row and in the total", rupiahText(want))
		}
	}
	if r := c.get("/console/trainer/honoraria?year=2025"); !strings.Contains(r.Body, "Belum ada") && strings.Contains(r.Body, `id="statement"`) {
		t.Fatal("2025 shows 2026's rows")
	}
}

func rupiahText(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return "Rp" + b.String()
}

// Every roster route answers another institution's person as a missing
// page and changes nothing; a trainer cannot use the staff's roster
// routes at all.
func TestRosterRoutesKeepInstitutionsApart(t *testing.T) {
	e := newEnv(t)
	integritas := e.competencyID(t, "integritas")
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	_, err := e.app.People.ReplaceCompetencies(ctx, e.instA, e.practitioner, []profile.PersonCompetency{{CompetencyID: integritas, Level: 3}})
	must(t, err)
	before, err := e.app.People.Person(ctx, e.instA, e.practitioner, false)
	must(t, err)
	v := fmt.Sprint(before.Version)
	path := fmt.Sprintf("/console/people/%d", e.practitioner)
	comp := fmt.Sprintf("%s/competencies/%d", path, integritas)
	routes := []struct {
		method, path string
		form         url.Values
	}{
		{"GET", path, nil},
		{"POST", path, url.Values{"version": {v}, "name": {"Diubah B"}, "email": {"b@b.id"}, "organisation": {"B"}, "zone": {"Asia/Jakarta"}}},
		{"POST", path + "/competencies", url.Values{"version": {v}, "competency_id": {fmt.Sprint(e.competencyID(t, "komunikasi"))}, "level": {"2"}}},
		{"POST", comp, url.Values{"version": {v}, "level": {"5"}}},
		{"GET", comp + "/remove", nil},
		{"POST", comp + "/remove", url.Values{"version": {v}, "confirm": {"yes"}}},
		{"GET", path + "/archive", nil},
		{"POST", path + "/archive", url.Values{"confirm": {"yes"}}},
		{"GET", path + "/unarchive", nil},
		{"GET", path + "/history", nil},
		{"POST", path + "/unarchive", url.Values{"confirm": {"yes"}}},
	}
	cb := e.client()
	cb.login(e.staffB, password)
	for _, rt := range routes {
		if r := cb.do(rt.method, rt.path, rt.form); r.Status != http.StatusNotFound || strings.Contains(r.Body, "Marthen") {
			t.Errorf("B: %s %s answered %d", rt.method, rt.path, r.Status)
		}
	}
	if r := cb.get("/console/people?q=Marth&archived=all"); strings.Contains(r.Body, "Marthen Rumbiak") || personLinks(r.Body) != 0 {
		t.Error("B's roster lists A's person")
	}
	// The trainer (the practitioner, signed in by link) is refused the
	// staff's routes, their own id included.
	tr := e.trainer(t, "marthen@example.id")
	for _, rt := range append(routes, struct {
		method, path string
		form         url.Values
	}{"GET", "/console/people", nil}, struct {
		method, path string
		form         url.Values
	}{"GET", "/console/people/import", nil}) {
		if r := tr.do(rt.method, rt.path, rt.form); r.Status != http.StatusForbidden {
			t.Errorf("trainer: %s %s answered %d, want 403", rt.method, rt.path, r.Status)
		}
	}
	if r := tr.postFile("/console/people/import/apply", "", "", nil, map[string]string{"file": "bmFtYQo="}); r.Status != http.StatusForbidden {
		t.Errorf("trainer importing answered %d", r.Status)
	}
	// A's staff see the trainer's own portal routes refused too.
	ca := e.client()
	ca.login(e.staffA, password)
	if r := ca.post("/console/trainer/profile", url.Values{"name": {"X"}}); r.Status != http.StatusForbidden {
		t.Errorf("staff posting to the trainer's profile answered %d", r.Status)
	}
	after, err := e.app.People.Person(ctx, e.instA, e.practitioner, false)
	must(t, err)
	if after.Version != before.Version || after.Archived() || after.Name != "Marthen Rumbiak" || len(after.Competencies) != 1 || after.Competencies[0].Level != 3 {
		t.Fatalf("the person changed: %+v", after)
	}
}
