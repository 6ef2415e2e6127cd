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

// courseReport reads the course of the path and its impact report through
// the same use case as GET /v1/courses/{id}/impact; another institution's
// course is not found. It answers the error page itself when it fails.
func (s *Server) courseReport(w http.ResponseWriter, r *http.Request, u tenant.User) (int64, string, impact.Report, bool) {
	ctx, inst := r.Context(), u.InstitutionID
	id, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return 0, "", impact.Report{}, false
	}
	c, err := s.Scheduling.Course(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return 0, "", impact.Report{}, false
	}
	rep, err := s.Impact.CourseReport(ctx, inst, id)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return 0, "", impact.Report{}, false
	}
	return id, c.Name, rep, true
}

// courseImpact shows a course's impact report.
func (s *Server) courseImpact(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, name, rep, ok := s.courseReport(w, r, u)
	if !ok {
		return
	}
	v := impactView{page: newPage(r, &u, "courses"), CourseID: id, CourseName: name, Report: rep}
	v.Title = v.T("impact_title") + ": " + name
	s.render(w, r, http.StatusOK, "impact", v)
}

// courseImpactXLSX downloads the same report as a workbook.
func (s *Server) courseImpactXLSX(w http.ResponseWriter, r *http.Request, u tenant.User) {
	id, name, rep, ok := s.courseReport(w, r, u)
	if !ok {
		return
	}
	body, err := impact.XLSX(name, rep)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="dampak-pelatihan-%d.xlsx"`, id))
	_, _ = w.Write(body)
}
