package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/scheduling"
	"sinergi/tenant"
)

type rateIO struct {
	ID            int64  `json:"id,omitempty"`
	InstitutionID int64  `json:"institution_id,omitempty"`
	Ceiling       bool   `json:"ceiling"`
	Regulation    string `json:"regulation" validate:"required"`
	FiscalYear    int    `json:"fiscal_year" validate:"required"`
	Funding       string `json:"funding" validate:"required"`
	Region        string `json:"region"`
	Class         string `json:"class" validate:"required"`
	Unit          string `json:"unit" validate:"required"`
	Amount        int64  `json:"amount" validate:"required"`
	Source        string `json:"source"`
}

func rateDTO(r incentive.Rate) rateIO {
	return rateIO{ID: r.ID, InstitutionID: r.InstitutionID, Ceiling: r.InstitutionID == 0, Regulation: r.Regulation,
		FiscalYear: r.FiscalYear, Funding: string(r.Funding), Region: r.Region, Class: string(r.Class), Unit: string(r.Unit),
		Amount: r.Amount, Source: r.Source}
}

func (s *Server) listRates(c *gin.Context) {
	rates, err := s.Incentives.Store.Rates(c.Request.Context(), principal(c).InstitutionID)
	writeList(c, rates, err, rateDTO)
}

// createRate adds a ceiling (admin) or an institution's own rate (staff).
func (s *Server) createRate(c *gin.Context) {
	var in rateIO
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	inst := int64(0)
	if p := principal(c); p.Role == tenant.Staff {
		inst = p.InstitutionID
	}
	r, err := s.Incentives.CreateRate(c.Request.Context(), inst, incentive.Rate{Regulation: in.Regulation, FiscalYear: in.FiscalYear,
		Funding: scheduling.Funding(in.Funding), Region: in.Region, Class: incentive.Class(in.Class), Unit: incentive.Unit(in.Unit),
		Amount: in.Amount, Source: in.Source})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, rateDTO(r))
}

type honorariumOut struct {
	ID         int64      `json:"id"`
	BookingID  int64      `json:"booking_id"`
	PersonID   int64      `json:"person_id"`
	CourseID   int64      `json:"course_id"`
	SessionID  int64      `json:"session_id"`
	ReversesID int64      `json:"reverses_id,omitempty"`
	Class      string     `json:"class"`
	Unit       string     `json:"unit"`
	JP         int        `json:"jp"`
	PaidJP     int        `json:"paid_jp"`
	Rate       int64      `json:"rate"`
	Gross      int64      `json:"gross"`
	Tax        int64      `json:"tax"`
	Net        int64      `json:"net"`
	Basis      string     `json:"basis"`
	FiscalYear int        `json:"fiscal_year"`
	Month      string     `json:"month"`
	Status     string     `json:"status"`
	ApprovedBy int64      `json:"approved_by_key,omitempty"`
	ApprovedAt *time.Time `json:"approved_at,omitempty"`
	PaidBy     int64      `json:"paid_by_key,omitempty"`
	PaidAt     *time.Time `json:"paid_at,omitempty"`
}

func honorariumDTO(h incentive.Honorarium) honorariumOut {
	return honorariumOut{ID: h.ID, BookingID: h.BookingID, PersonID: h.PersonID, CourseID: h.CourseID, SessionID: h.SessionID,
		ReversesID: h.ReversesID, Class: string(h.Class), Unit: string(h.Unit), JP: h.JP, PaidJP: h.PaidJP, Rate: h.Rate,
		Gross: h.Gross, Tax: h.Tax, Net: h.Net, Basis: h.Basis, FiscalYear: h.FiscalYear,
		Month: fmt.Sprintf("%04d-%02d", h.Month/100, h.Month%100), Status: string(h.Status), ApprovedBy: h.ApprovedBy,
		ApprovedAt: h.ApprovedAt, PaidBy: h.PaidBy, PaidAt: h.PaidAt}
}

// ledgerFilter reads course_id, person_id, status, month (YYYY-MM) and year.
func ledgerFilter(c *gin.Context) (incentive.Filter, error) {
	var f incentive.Filter
	bad := errs.Fields{}
	queryIDs(c, bad, map[string]*int64{"course_id": &f.CourseID, "person_id": &f.PersonID})
	switch st := incentive.Status(c.Query("status")); st {
	case "", incentive.Draft, incentive.Approved, incentive.Paid:
		f.Status = st
	default:
		bad.Add("status", "must be draft, approved or paid")
	}
	if v := c.Query("month"); v != "" {
		t, err := time.Parse("2006-01", v)
		if err != nil {
			bad.Add("month", "must be YYYY-MM")
		}
		f.Month = t.Year()*100 + int(t.Month())
	}
	if v := c.Query("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			bad.Add("year", "must be a year such as 2026")
		}
		f.Year = y
	}
	return f, bad.Err()
}

func (s *Server) listHonoraria(c *gin.Context) {
	f, err := ledgerFilter(c)
	if err != nil {
		fail(c, err)
		return
	}
	rows, err := s.Incentives.Store.List(c.Request.Context(), principal(c).InstitutionID, f)
	writeList(c, rows, err, honorariumDTO)
}

type accrueIn struct {
	BookingID int64  `json:"booking_id"`
	CourseID  int64  `json:"course_id"`
	Class     string `json:"class"`
}

// accrue drafts honoraria for one completed booking (optionally in
// another class) or for every completed booking of a course without one.
func (s *Server) accrue(c *gin.Context) {
	var in accrueIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	inst := principal(c).InstitutionID
	switch {
	case in.BookingID != 0:
		h, err := s.Incentives.Accrue(c.Request.Context(), inst, in.BookingID, incentive.Class(in.Class))
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, honorariumDTO(h))
	case in.CourseID != 0:
		n, err := s.Incentives.AccrueCourse(c.Request.Context(), inst, in.CourseID)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"course_id": in.CourseID, "drafted": n})
	default:
		fail(c, errs.Invalidf("booking_id", "give booking_id or course_id"))
	}
}

func (s *Server) ledgerStep(step func(c *gin.Context, inst, id int64) (incentive.Honorarium, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		id, err := pathID(c, "id")
		if err != nil {
			fail(c, err)
			return
		}
		h, err := step(c, principal(c).InstitutionID, id)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, honorariumDTO(h))
	}
}

func (s *Server) approveHonorarium(c *gin.Context, inst, id int64) (incentive.Honorarium, error) {
	return s.Incentives.Approve(c.Request.Context(), inst, id, principal(c).KeyID)
}

func (s *Server) payHonorarium(c *gin.Context, inst, id int64) (incentive.Honorarium, error) {
	return s.Incentives.Pay(c.Request.Context(), inst, id, principal(c).KeyID)
}

func (s *Server) reverseHonorarium(c *gin.Context, inst, id int64) (incentive.Honorarium, error) {
	return s.Incentives.Reverse(c.Request.Context(), inst, id)
}

// exportLines groups the filtered ledger per person, or per person over a
// year with summary=year.
func (s *Server) exportLines(c *gin.Context) ([]incentive.Line, string, error) {
	f, err := ledgerFilter(c)
	if err != nil {
		return nil, "", err
	}
	summary := c.Query("summary") == "year"
	if summary && f.Year == 0 {
		return nil, "", errs.Invalidf("year", "is required with summary=year")
	}
	if !summary && f.CourseID == 0 && f.Month == 0 {
		return nil, "", errs.Invalidf("course_id", "give course_id or month (YYYY-MM), or summary=year with year")
	}
	inst := principal(c).InstitutionID
	rows, err := s.Incentives.Store.List(c.Request.Context(), inst, f)
	if err != nil {
		return nil, "", err
	}
	people := map[int64]incentive.Line{}
	for _, h := range rows {
		if _, ok := people[h.PersonID]; ok {
			continue
		}
		p, err := s.People.Store.Person(c.Request.Context(), inst, h.PersonID, true)
		if err != nil {
			return nil, "", err
		}
		people[h.PersonID] = incentive.Line{Name: p.Name, NIP: p.NIP, TaxID: p.TaxID, TaxIDStatus: string(p.TaxIDStatus), Golongan: p.Golongan}
	}
	identity := func(id int64) incentive.Line { return people[id] }
	title := "honorarium"
	if summary {
		for i := range rows {
			rows[i].Class, rows[i].Rate = "", 0 // one line per person over the year
		}
		title = fmt.Sprintf("ringkasan-%d", f.Year)
	} else if f.CourseID != 0 {
		title = fmt.Sprintf("honorarium-kursus-%d", f.CourseID)
	} else {
		title = fmt.Sprintf("honorarium-%d-%02d", f.Month/100, f.Month%100)
	}
	return incentive.Summarise(rows, identity), title, nil
}

var exportHeader = []string{"No", "Nama", "NIP", "NPWP/NIK", "Golongan", "Kelas", "JP", "JP Dibayar", "Tarif", "Bruto", "PPh 21", "Netto"}

func exportRow(i int, l incentive.Line) []any {
	no := any(i + 1)
	if i < 0 {
		no = ""
	}
	return []any{no, l.Name, l.NIP, l.TaxID, l.Golongan, string(l.Class), l.JP, l.PaidJP, l.Rate, l.Gross, l.Tax, l.Net}
}

func (s *Server) exportCSV(c *gin.Context) {
	lines, title, err := s.exportLines(c)
	if err != nil {
		fail(c, err)
		return
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(exportHeader)
	for i, l := range append(lines, incentive.Totals(lines)) {
		if i == len(lines) {
			i = -1
		}
		row := exportRow(i, l)
		rec := make([]string, len(row))
		for k, v := range row {
			rec[k] = fmt.Sprint(v)
		}
		_ = w.Write(rec)
	}
	w.Flush()
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, title))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func (s *Server) exportXLSX(c *gin.Context) {
	lines, title, err := s.exportLines(c)
	if err != nil {
		fail(c, err)
		return
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Honorarium"
	_ = f.SetSheetName("Sheet1", sheet)
	put := func(row int, values []any) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		_ = f.SetSheetRow(sheet, cell, &values)
	}
	header := make([]any, len(exportHeader))
	for i, h := range exportHeader {
		header[i] = h
	}
	put(1, header)
	for i, l := range lines {
		put(i+2, exportRow(i, l))
	}
	put(len(lines)+2, exportRow(-1, incentive.Totals(lines)))
	money, _ := f.NewStyle(&excelize.Style{NumFmt: 3})
	last, _ := excelize.CoordinatesToCellName(12, len(lines)+2)
	_ = f.SetCellStyle(sheet, "I2", last, money)
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	_ = f.SetRowStyle(sheet, 1, 1, bold)
	_ = f.SetRowStyle(sheet, len(lines)+2, len(lines)+2, bold)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, title))
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

type incentiveSettingsIO struct {
	MinimumJP int `json:"widyaiswara_minimum_jp" validate:"gte=0,lte=2000"`
}

func (s *Server) getIncentiveSettings(c *gin.Context) {
	n, err := s.Incentives.Store.MinimumJP(c.Request.Context(), principal(c).InstitutionID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, incentiveSettingsIO{MinimumJP: n})
}

func (s *Server) putIncentiveSettings(c *gin.Context) {
	var in incentiveSettingsIO
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	if err := s.IncentiveSettings.SetMinimumJP(c.Request.Context(), principal(c).InstitutionID, in.MinimumJP); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, in)
}
