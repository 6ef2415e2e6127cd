package console

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"sinergi/incentive"
	"sinergi/tenant"
)

// statementLine is one honorarium row of a trainer's statement.
type statementLine struct {
	incentive.Honorarium
	CourseName string
}

// MonthText shows the row's month (YYYYMM) as YYYY-MM.
func (l statementLine) MonthText() string { return fmt.Sprintf("%04d-%02d", l.Month/100, l.Month%100) }

type statementView struct {
	page
	Years []int
	Year  int
	Lines []statementLine
	// Paid sums the paid rows (reversals included); All every row.
	PaidGross, PaidTax, PaidNet int64
	AllGross, AllTax, AllNet    int64
}

// trainerStatements shows the signed-in trainer's honorarium rows of one
// fiscal year (gross, PPh 21, net, status) with the year's totals, read
// through the ledger's own listing with the trainer's person as filter.
func (s *Server) trainerStatements(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx := r.Context()
	v := statementView{page: newPage(r, &u, "trainer")}
	v.Title = v.T("roster_statements")
	rows, err := s.Incentives.List(ctx, u.InstitutionID, incentive.Filter{PersonID: u.PersonID})
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	for _, h := range rows {
		if !slices.Contains(v.Years, h.FiscalYear) {
			v.Years = append(v.Years, h.FiscalYear)
		}
	}
	slices.Sort(v.Years)
	v.Year = s.Now().Year()
	if len(v.Years) > 0 {
		v.Year = v.Years[len(v.Years)-1]
	}
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		v.Year = y
	}
	courses := map[int64]string{}
	for _, h := range rows {
		if h.FiscalYear != v.Year || h.PersonID != u.PersonID {
			continue
		}
		name, ok := courses[h.CourseID]
		if !ok {
			if c, err := s.Scheduling.Course(ctx, h.InstitutionID, h.CourseID); err == nil {
				name = c.Name
			}
			courses[h.CourseID] = name
		}
		v.Lines = append(v.Lines, statementLine{Honorarium: h, CourseName: name})
		v.AllGross, v.AllTax, v.AllNet = v.AllGross+h.Gross, v.AllTax+h.Tax, v.AllNet+h.Net
		if h.Status == incentive.Paid {
			v.PaidGross, v.PaidTax, v.PaidNet = v.PaidGross+h.Gross, v.PaidTax+h.Tax, v.PaidNet+h.Net
		}
	}
	s.render(w, r, http.StatusOK, "trainer_statements", v)
}
