package console

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"sinergi/i18n"
	"sinergi/incentive"
	"sinergi/tenant"
)

// statementLine is one honorarium row of a trainer's statement.
type statementLine struct {
	incentive.Honorarium
	CourseName string
	// MonthText is the row's month in the page's language ("Oktober
	// 2026"); JPText its JP, a reversal's as the JP it takes back.
	MonthText, JPText string
}

func newStatementLine(p page, h incentive.Honorarium, course string) statementLine {
	l := statementLine{Honorarium: h, CourseName: course, MonthText: i18n.MonthOf(h.Month).Tell(i18n.Lang(p.Lang)),
		JPText: fmt.Sprintf("%d/%d", h.PaidJP, h.JP)}
	if h.ReversesID != 0 {
		l.JPText = fmt.Sprintf(p.T("flow_jp_reversed"), -h.PaidJP)
	}
	return l
}

type statementView struct {
	page
	Years []int
	Year  int
	Lines []statementLine
	// Paid sums what counts as paid (a reversal nets its row); All every
	// row.
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
		v.Lines = append(v.Lines, newStatementLine(v.page, h, name))
		v.AllGross, v.AllTax, v.AllNet = v.AllGross+h.Gross, v.AllTax+h.Tax, v.AllNet+h.Net
		if h.CountsAsPaid() {
			v.PaidGross, v.PaidTax, v.PaidNet = v.PaidGross+h.Gross, v.PaidTax+h.Tax, v.PaidNet+h.Net
		}
	}
	s.render(w, r, http.StatusOK, "trainer_statements", v)
}
