package console

import (
	"fmt"
	"net/http"

	"sinergi/impact"
	"sinergi/tenant"
)

// impactView is a course's impact report: reaction (level 1), plans
// implemented as supervisors confirm (level 3) and indicator change
// against baseline (level 4), in total, per trainer and per pair.
type impactView struct {
	page
	CourseID   int64
	CourseName string
	Report     impact.Report
}

// courseImpact shows a course's impact report through the same use case
// as GET /v1/courses/{id}/impact.
func (s *Server) courseImpact(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx, inst := r.Context(), u.InstitutionID
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	c, err := s.Scheduling.Course(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	rep, err := s.Impact.CourseReport(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := impactView{page: newPage(r, &u, "courses"), CourseID: id, CourseName: c.Name, Report: rep}
	v.Title = v.T("impact_title") + ": " + c.Name
	s.render(w, r, http.StatusOK, "impact", v)
}

// courseImpactXLSX downloads the same report as a workbook.
func (s *Server) courseImpactXLSX(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx, inst := r.Context(), u.InstitutionID
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	c, err := s.Scheduling.Course(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	rep, err := s.Impact.CourseReport(ctx, inst, id)
	if err == nil {
		var body []byte
		if body, err = impact.XLSX(c.Name, rep); err == nil {
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dampak-pelatihan-%d.xlsx"`, id))
			_, _ = w.Write(body)
			return
		}
	}
	s.errorPage(w, r, &u, err)
}
