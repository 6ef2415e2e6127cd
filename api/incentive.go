package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/xuri/excelize/v2"

	"sinergi/certification"
	"sinergi/errs"
	"sinergi/i18n"
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

// rateIn is a rate line as written: whether it is a ceiling follows from
// who writes it (the platform admin), so ceiling, id and institution_id
// are refused rather than ignored.
type rateIn struct {
	Regulation string `json:"regulation" validate:"required,max=200"`
	FiscalYear int    `json:"fiscal_year" validate:"required,gte=2000,lte=2100"`
	Funding    string `json:"funding" validate:"required,max=20"`
	Region     string `json:"region" validate:"max=100"`
	Class      string `json:"class" validate:"required,max=50"`
	Unit       string `json:"unit" validate:"required,max=20"`
	Amount     int64  `json:"amount" validate:"required,gte=1,lte=1000000000000"`
	Source     string `json:"source" validate:"max=300"`
}

func rateDTO(r incentive.Rate) rateIO {
	return rateIO{ID: r.ID, InstitutionID: r.InstitutionID, Ceiling: r.InstitutionID == 0, Regulation: r.Regulation,
		FiscalYear: r.FiscalYear, Funding: string(r.Funding), Region: r.Region, Class: string(r.Class), Unit: string(r.Unit),
		Amount: r.Amount, Source: r.Source}
}

func (s *Server) listRates(c *gin.Context) {
	rates, err := s.Incentives.Rates(c.Request.Context(), principal(c).InstitutionID)
	writeList(c, rates, err, rateDTO)
}

// createRate adds a ceiling (admin) or an institution's own rate (staff).
func (s *Server) createRate(c *gin.Context) {
	var in rateIn
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
	CorrectsID int64      `json:"corrects_id,omitempty"`
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
	PaidOn     string     `json:"paid_on,omitempty"`
	PaymentRef string     `json:"payment_reference,omitempty"`
}

// honorariumDTO shows a ledger row with its basis in the reader's language.
func honorariumDTO(l i18n.Lang, h incentive.Honorarium) honorariumOut {
	return honorariumOut{ID: h.ID, BookingID: h.BookingID, PersonID: h.PersonID, CourseID: h.CourseID, SessionID: h.SessionID,
		ReversesID: h.ReversesID, CorrectsID: h.CorrectsID, Class: string(h.Class), Unit: string(h.Unit), JP: h.JP, PaidJP: h.PaidJP, Rate: h.Rate,
		Gross: h.Gross, Tax: h.Tax, Net: h.Net, Basis: h.Basis.In(l), FiscalYear: h.FiscalYear,
		Month: fmt.Sprintf("%04d-%02d", h.Month/100, h.Month%100), Status: string(h.Status), ApprovedBy: h.ApprovedBy,
		ApprovedAt: h.ApprovedAt, PaidBy: h.PaidBy, PaidAt: h.PaidAt, PaidOn: dateOnly(h.Payment.On), PaymentRef: h.Payment.Reference}
}

// dateOnly writes a civil date as YYYY-MM-DD, or "" for none.
func dateOnly(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// ledgerFilter reads course_id, person_id, status, month (YYYY-MM) and year.
func ledgerFilter(c *gin.Context) (incentive.Filter, error) {
	var f incentive.Filter
	bad := errs.Fields{}
	queryIDs(c, bad, map[string]*int64{"course_id": &f.CourseID, "person_id": &f.PersonID})
	for _, v := range c.QueryArray("status") {
		for _, st := range strings.Split(v, ",") {
			switch st := incentive.Status(strings.TrimSpace(st)); st {
			case incentive.Draft, incentive.Approved, incentive.Paid:
				f.Statuses = append(f.Statuses, st)
			case "":
			default:
				bad.Add("status", "must be draft, approved or paid (several separated by commas)")
			}
		}
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
	rows, err := s.Incentives.List(c.Request.Context(), principal(c).InstitutionID, f)
	writeList(c, rows, err, func(h incentive.Honorarium) honorariumOut { return honorariumDTO(lang(c), h) })
}

type accrueIn struct {
	BookingID int64  `json:"booking_id"`
	CourseID  int64  `json:"course_id"`
	Class     string `json:"class" validate:"max=50"`
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
	case in.BookingID != 0 && in.CourseID != 0:
		fail(c, errs.Invalidf("course_id", "give booking_id or course_id, not both"))
	case in.CourseID != 0 && in.Class != "":
		// A course is accrued in each booking's default class; a class
		// given here would be silently ignored.
		fail(c, errs.Invalidf("class", "applies to one booking_id, not to a course"))
	case in.BookingID != 0:
		h, err := s.Incentives.Accrue(c.Request.Context(), inst, in.BookingID, incentive.Class(in.Class))
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, honorariumDTO(lang(c), h))
	case in.CourseID != 0:
		n, err := s.Incentives.AccrueCourse(c.Request.Context(), inst, in.CourseID)
		if err != nil {
			fail(c, err)
			return
		}
		c.JSON(http.StatusOK, accruedOut{CourseID: in.CourseID, Drafted: n})
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
		c.JSON(http.StatusOK, honorariumDTO(lang(c), h))
	}
}

func (s *Server) approveHonorarium(c *gin.Context, inst, id int64) (incentive.Honorarium, error) {
	return s.Incentives.Approve(c.Request.Context(), inst, id, principal(c).KeyID)
}

// payIn is how a payment went out: its date (YYYY-MM-DD, today when
// absent) and the treasurer's reference. The body is optional.
type payIn struct {
	PaidOn    string `json:"paid_on"`
	Reference string `json:"reference"`
}

func (s *Server) payHonorarium(c *gin.Context, inst, id int64) (incentive.Honorarium, error) {
	var in payIn
	if c.Request.ContentLength != 0 {
		if err := s.bind(c, &in); err != nil {
			return incentive.Honorarium{}, err
		}
	}
	on, err := parseDate("paid_on", in.PaidOn)
	if err != nil {
		return incentive.Honorarium{}, err
	}
	return s.Incentives.Pay(c.Request.Context(), inst, id, principal(c).KeyID, incentive.Payment{On: on, Reference: in.Reference})
}

func (s *Server) reverseHonorarium(c *gin.Context, inst, id int64) (incentive.Honorarium, error) {
	return s.Incentives.Reverse(c.Request.Context(), inst, id)
}

// exportDoc is the treasurer's export with its title block.
type exportDoc struct {
	incentive.Export
	Institution string
	Period      string
	Course      string
	Zone        string
	File        string
}

var ledgerStatusLabel = map[incentive.Status]string{incentive.Draft: "draf", incentive.Approved: "disetujui", incentive.Paid: "dibayar"}

var bulanExport = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
	"November", "Desember"}

// exportDocument selects the rows of a course, a month or a fiscal year
// (approved and paid unless status= says otherwise) and titles them.
func (s *Server) exportDocument(c *gin.Context) (exportDoc, error) {
	f, err := ledgerFilter(c)
	if err != nil {
		return exportDoc{}, err
	}
	if c.Query("summary") == "year" && f.Year == 0 {
		return exportDoc{}, errs.Invalidf("year", "is required with summary=year")
	}
	return s.buildExport(c.Request.Context(), principal(c).InstitutionID, f)
}

// buildExport is exportDocument once the filter is read.
func (s *Server) buildExport(ctx context.Context, inst int64, f incentive.Filter) (exportDoc, error) {
	if f.CourseID == 0 && f.Month == 0 && f.Year == 0 {
		return exportDoc{}, errs.Invalidf("course_id", "give course_id, month (YYYY-MM) or year")
	}
	doc := exportDoc{Course: "semua kegiatan"}
	in, err := s.Tenants.Institution(ctx, inst)
	if err != nil {
		return exportDoc{}, err
	}
	doc.Institution, doc.Zone = in.Name, in.Zone
	switch {
	case f.CourseID != 0:
		course, err := s.Scheduling.Course(ctx, inst, f.CourseID)
		if err != nil {
			return exportDoc{}, err
		}
		doc.Course = course.Name
		doc.Period = certification.Tanggal(course.StartDate) + " s.d. " + certification.Tanggal(course.EndDate)
		doc.File = fmt.Sprintf("honorarium-kursus-%d", f.CourseID)
	case f.Month != 0:
		doc.Period = fmt.Sprintf("%s %d", bulanExport[f.Month%100-1], f.Month/100)
		doc.File = fmt.Sprintf("honorarium-%d-%02d", f.Month/100, f.Month%100)
	default:
		doc.File = fmt.Sprintf("ringkasan-%d", f.Year)
	}
	if f.Year != 0 {
		if doc.Period != "" {
			doc.Period += ", "
		}
		doc.Period += fmt.Sprintf("TA %d", f.Year)
	}
	doc.Export, err = s.Incentives.Export(ctx, inst, f)
	return doc, err
}

var exportHeader = []string{"No", "Nama", "NIP", "NPWP/NIK", "Jenis Identitas Pajak", "Golongan", "TA", "Kelas", "JP", "JP Dibayar",
	"Tarif", "Bruto", "PPh 21", "Netto", "Status", "Bukti Bayar"}

// exportRow is one line as cells; the JUMLAH line (i < 0) has no number,
// year, rate or status.
func exportRow(i int, l incentive.Line) []any {
	if i < 0 {
		return []any{"", l.Name, "", "", "", "", "", "", l.JP, l.PaidJP, "", l.Gross, l.Tax, l.Net, "", ""}
	}
	rate := any(l.Rate)
	if l.Rate == 0 {
		rate = ""
	}
	return []any{i + 1, l.Name, l.NIP, l.TaxID, l.TaxIDStatus, l.Golongan, l.FiscalYear, l.ClassNames(), l.JP, l.PaidJP, rate,
		l.Gross, l.Tax, l.Net, ledgerStatusLabel[l.Status], strings.Join(l.Payments, "; ")}
}

func (s *Server) exportCSV(c *gin.Context) {
	doc, err := s.exportDocument(c)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.csv"`, doc.File))
	c.Data(http.StatusOK, "text/csv; charset=utf-8", exportCSVBytes(doc))
}

func exportCSVBytes(doc exportDoc) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	_ = w.Write(exportHeader)
	for i, l := range append(doc.Lines, doc.Total) {
		if i == len(doc.Lines) {
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
	return buf.Bytes()
}

// exportWidths are the column widths of the sheet, in characters.
var exportWidths = []float64{5, 30, 21, 19, 11, 9, 7, 26, 6, 10, 12, 14, 13, 14, 11, 28}

func (s *Server) exportXLSX(c *gin.Context) {
	doc, err := s.exportDocument(c)
	if err != nil {
		fail(c, err)
		return
	}
	today := s.Now()
	if loc, err := time.LoadLocation(doc.Zone); err == nil {
		today = today.In(loc)
	}
	out, err := exportWorkbook(doc, today)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", fmt.Sprintf(`attachment; filename="%s.xlsx"`, doc.File))
	c.Data(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out)
}

// exportWorkbook lays the export out for the bendahara: a title block, the
// table with its JUMLAH line, and the signature block of the PPK and the
// bendahara pengeluaran.
func exportWorkbook(doc exportDoc, today time.Time) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Honorarium"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	last := len(exportHeader)
	lastCol, _ := excelize.ColumnNumberToName(last)
	cell := func(col, row int) string {
		name, _ := excelize.CoordinatesToCellName(col, row)
		return name
	}
	var firstErr error
	check := func(err error) {
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	put := func(row int, values []any) {
		for i, v := range values {
			if v == "" {
				values[i] = nil // an empty cell, not an empty string
			}
		}
		check(f.SetSheetRow(sheet, cell(1, row), &values))
	}
	style := func(st *excelize.Style) int {
		id, err := f.NewStyle(st)
		check(err)
		return id
	}
	titleStyle := style(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14, Color: "#000000"}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	subStyle := style(&excelize.Style{Alignment: &excelize.Alignment{Horizontal: "center"}})
	border := []excelize.Border{{Type: "left", Style: 1, Color: "#000000"}, {Type: "right", Style: 1, Color: "#000000"}, {Type: "top", Style: 1, Color: "#000000"},
		{Type: "bottom", Style: 1, Color: "#000000"}}
	headStyle := style(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "#000000"}, Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"#DDEBF7"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	textStyle := style(&excelize.Style{Border: border, NumFmt: 49}) // text: NIP and NPWP keep their digits
	plainStyle := style(&excelize.Style{Border: border})
	moneyStyle := style(&excelize.Style{Border: border, NumFmt: 3}) // #,##0
	totalStyle := style(&excelize.Style{Border: border, NumFmt: 3, Font: &excelize.Font{Bold: true, Color: "#000000"}})
	totalLabel := style(&excelize.Style{Border: border, Font: &excelize.Font{Bold: true, Color: "#000000"}})
	boldStyle := style(&excelize.Style{Font: &excelize.Font{Bold: true, Underline: "single", Color: "#000000"}})

	statuses := make([]string, len(doc.Statuses))
	for i, st := range doc.Statuses {
		statuses[i] = ledgerStatusLabel[st]
	}
	title := []string{"DAFTAR PEMBAYARAN HONORARIUM PENGAJAR DAN NARASUMBER", doc.Institution, "Kegiatan: " + doc.Course,
		"Periode: " + doc.Period, "Status: " + strings.Join(statuses, ", ")}
	for i, t := range title {
		row := i + 1
		check(f.SetCellStr(sheet, cell(1, row), t))
		check(f.MergeCell(sheet, cell(1, row), cell(last, row)))
		st := subStyle
		if i == 0 {
			st = titleStyle
		}
		check(f.SetCellStyle(sheet, cell(1, row), cell(last, row), st))
	}
	head := len(title) + 2
	header := make([]any, len(exportHeader))
	for i, h := range exportHeader {
		header[i] = h
	}
	put(head, header)
	check(f.SetCellStyle(sheet, cell(1, head), cell(last, head), headStyle))
	check(f.SetRowHeight(sheet, head, 30))
	for i, l := range doc.Lines {
		row := head + 1 + i
		put(row, exportRow(i, l))
		check(f.SetCellStyle(sheet, cell(1, row), cell(last, row), plainStyle))
		check(f.SetCellStyle(sheet, cell(3, row), cell(4, row), textStyle))
		check(f.SetCellStyle(sheet, cell(9, row), cell(14, row), moneyStyle))
	}
	total := head + 1 + len(doc.Lines)
	put(total, exportRow(-1, doc.Total))
	check(f.SetCellStyle(sheet, cell(1, total), cell(last, total), totalLabel))
	check(f.SetCellStyle(sheet, cell(9, total), cell(14, total), totalStyle))
	for i, w := range exportWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		check(f.SetColWidth(sheet, col, col, w))
	}

	sign := total + 2
	signers := []struct {
		col       int
		role      string
		name, nip string
	}{
		{2, "Pejabat Pembuat Komitmen", doc.Signers.PPKName, doc.Signers.PPKNIP},
		{12, "Bendahara Pengeluaran", doc.Signers.TreasurerName, doc.Signers.TreasurerNIP},
	}
	check(f.SetCellStr(sheet, cell(12, sign), certification.Tanggal(today)))
	for _, sg := range signers {
		name, nip := sg.name, sg.nip
		if name == "" {
			name, nip = "(belum diatur)", "...................."
		}
		check(f.SetCellStr(sheet, cell(sg.col, sign+1), sg.role+","))
		check(f.SetCellStr(sheet, cell(sg.col, sign+5), name))
		check(f.SetCellStyle(sheet, cell(sg.col, sign+5), cell(sg.col, sign+5), boldStyle))
		check(f.SetCellStr(sheet, cell(sg.col, sign+6), "NIP "+nip))
	}
	check(f.SetSheetDimension(sheet, "A1:"+lastCol+strconv.Itoa(sign+6)))
	check(f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: ptr("landscape")}))
	if firstErr != nil {
		return nil, fmt.Errorf("lay out the export: %w", firstErr)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func ptr[T any](v T) *T { return &v }

type incentiveSettingsIO struct {
	MinimumJP     int    `json:"widyaiswara_minimum_jp" validate:"gte=0,lte=2000"`
	PPKName       string `json:"ppk_name" validate:"max=200"`
	PPKNIP        string `json:"ppk_nip" validate:"max=30"`
	TreasurerName string `json:"treasurer_name" validate:"max=200"`
	TreasurerNIP  string `json:"treasurer_nip" validate:"max=30"`
}

func ledgerSettingsDTO(set incentive.Settings) incentiveSettingsIO {
	return incentiveSettingsIO{MinimumJP: set.MinimumJP, PPKName: set.PPKName, PPKNIP: set.PPKNIP, TreasurerName: set.TreasurerName,
		TreasurerNIP: set.TreasurerNIP}
}

func (s *Server) getIncentiveSettings(c *gin.Context) {
	set, err := s.Incentives.Settings(c.Request.Context(), principal(c).InstitutionID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ledgerSettingsDTO(set))
}

func (s *Server) putIncentiveSettings(c *gin.Context) {
	var in incentiveSettingsIO
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	set, err := s.Incentives.PutSettings(c.Request.Context(), principal(c).InstitutionID, incentive.Settings{MinimumJP: in.MinimumJP,
		PPKName: in.PPKName, PPKNIP: in.PPKNIP, TreasurerName: in.TreasurerName, TreasurerNIP: in.TreasurerNIP})
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, ledgerSettingsDTO(set))
}

// accruedOut answers the accrual of a whole course.
type accruedOut struct {
	CourseID int64 `json:"course_id"`
	Drafted  int   `json:"drafted"`
}
