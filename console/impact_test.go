package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"sinergi/audit"
	"sinergi/impact"
	"sinergi/scheduling"
)

// TestImpactReportPage shows a course's impact report from the same use
// case as the API, with its XLSX; another institution's course is 404.
func TestImpactReportPage(t *testing.T) {
	e := newEnv(t)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	course, err := e.app.Scheduling.CreateCourse(ctx, e.instA, scheduling.Course{Name: "Pelatihan Dampak", OrganisingUnit: "Bidang PKM",
		Funding: "APBD", Region: "Jawa Barat", StartDate: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), EndDate: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC)})
	must(t, err)
	_, err = e.app.Impact.AddParticipant(ctx, e.instA, course.ID, impact.Participant{Name: "Andi Pratama", Email: "andi@pemda.example.id",
		SupervisorName: "Sri Wahyuni", SupervisorEmail: "sri@pemda.example.id"})
	must(t, err)
	want, err := e.app.Impact.CourseReport(ctx, e.instA, course.ID)
	must(t, err)

	c := e.client()
	if r := c.login(e.staffA, password); r.Status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", r.Status)
	}
	r := c.get(fmt.Sprintf("/console/courses/%d/impact", course.ID))
	if r.Status != http.StatusOK {
		t.Fatalf("impact page: %d %s", r.Status, r.Body)
	}
	for _, s := range []string{"Tingkat 3 (terlaksana)", "Tingkat 4 (capaian)", `id="impact-total"`, want.Total.Note,
		fmt.Sprintf("%d/%d", want.Total.Implemented, want.Total.Confirmed)} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("the impact page lacks %q", s)
		}
	}
	if r := c.get(fmt.Sprintf("/console/courses/%d", course.ID)); !strings.Contains(r.Body, fmt.Sprintf("/console/courses/%d/impact", course.ID)) {
		t.Errorf("the course page does not link its impact report")
	}
	x := c.get(fmt.Sprintf("/console/courses/%d/impact.xlsx", course.ID))
	if x.Status != http.StatusOK || !strings.HasPrefix(x.Body, "PK") {
		t.Errorf("impact workbook: %d", x.Status)
	}
	other := e.client()
	if r := other.login(e.staffB, password); r.Status != http.StatusSeeOther {
		t.Fatalf("sign in B: %d", r.Status)
	}
	if r := other.get(fmt.Sprintf("/console/courses/%d/impact", course.ID)); r.Status != http.StatusNotFound {
		t.Errorf("another institution's course impact answered %d", r.Status)
	}
}
