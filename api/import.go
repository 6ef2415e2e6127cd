package api

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
	"sinergi/internal/sheet"
	"sinergi/profile"
)

// importMaxBody is the cap for a roster file: 10,000 people with
// competencies are about 2 MiB of CSV.
const importMaxBody = 32 << 20

type importProblemOut struct {
	Row     int    `json:"row"`
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type importResultOut struct {
	Row      int      `json:"row"`
	Action   string   `json:"action"`
	PersonID int64    `json:"person_id,omitempty"`
	Name     string   `json:"name"`
	Email    string   `json:"email"`
	Changed  []string `json:"changed"`
}

type importReportOut struct {
	DryRun    bool               `json:"dry_run"`
	Applied   bool               `json:"applied"`
	Valid     bool               `json:"valid"`
	Rows      int                `json:"rows"`
	Created   int                `json:"created"`
	Updated   int                `json:"updated"`
	Unchanged int                `json:"unchanged"`
	Problems  []importProblemOut `json:"problems"`
	Items     []importResultOut  `json:"items"`
}

func importReportDTO(r profile.ImportReport) importReportOut {
	out := importReportOut{DryRun: r.DryRun, Applied: r.Applied, Valid: r.OK(), Rows: r.Rows, Created: r.Created,
		Updated: r.Updated, Unchanged: r.Unchanged, Problems: make([]importProblemOut, len(r.Problems)),
		Items: make([]importResultOut, len(r.Results))}
	for i, p := range r.Problems {
		out.Problems[i] = importProblemOut{Row: p.Row, Field: p.Field, Code: p.Code, Message: p.Message}
	}
	for i, x := range r.Results {
		changed := x.Changed
		if changed == nil {
			changed = []string{}
		}
		out.Items[i] = importResultOut{Row: x.Row, Action: string(x.Action), PersonID: x.PersonID, Name: x.Name, Email: x.Email, Changed: changed}
	}
	return out
}

// importFile reads the roster from the request: the raw body (XLSX or
// CSV), or the "file" field of a multipart form.
func importFile(c *gin.Context) ([]byte, error) {
	var r io.Reader = c.Request.Body
	if c.ContentType() == "multipart/form-data" {
		fh, err := c.FormFile("file")
		if err != nil {
			return nil, errs.Invalidf("file", "send the file in the field \"file\"")
		}
		f, err := fh.Open()
		if err != nil {
			return nil, errs.Invalidf("file", "the file cannot be opened")
		}
		defer f.Close()
		r = f
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return nil, decodeError(err)
	}
	if len(body) == 0 {
		return nil, errs.Invalidf("file", "the file is empty: send XLSX or CSV as the request body")
	}
	return body, nil
}

// importTable reads an import request: the spreadsheet as a table and
// whether it is a dry run (unless dry_run=false).
func importTable(c *gin.Context) ([][]string, bool, error) {
	dryRun := true
	if v := c.Query("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return nil, false, errs.Invalidf("dry_run", "must be true or false")
		}
		dryRun = b
	}
	body, err := importFile(c)
	if err != nil {
		return nil, false, err
	}
	table, err := sheet.Read(body)
	return table, dryRun, err
}

// importPeople runs a roster import: a dry run unless dry_run=false. A
// refused application answers 422 with the whole report in details.
func (s *Server) importPeople(c *gin.Context) {
	table, dryRun, err := importTable(c)
	if err != nil {
		fail(c, err)
		return
	}
	report, err := s.Roster.Import(c.Request.Context(), principal(c).InstitutionID, table, !dryRun)
	writeImportReport(c, report, err)
}

// spreadsheetTemplate serves an import template, XLSX or CSV, under name,
// with its columns, example rows and a help sheet.
func spreadsheetTemplate(format, name string, columns []string, example [][]string, help map[string]string) gin.HandlerFunc {
	return func(c *gin.Context) {
		body, err := sheet.Template(format, columns, example, help)
		if err != nil {
			fail(c, err)
			return
		}
		ct := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		if format == sheet.CSV {
			ct = "text/csv; charset=utf-8"
		}
		c.Header("Content-Disposition", `attachment; filename="`+name+`.`+format+`"`)
		c.Data(http.StatusOK, ct, body)
	}
}

// importTemplate serves the roster template with two example rows.
func importTemplate(format string) gin.HandlerFunc {
	return spreadsheetTemplate(format, "templat-roster", profile.ImportColumns, profile.ImportExample, profile.ImportColumnHelp)
}

// writeImportReport answers an import: the report, or the refusal carrying
// it when a row is broken.
func writeImportReport(c *gin.Context, report profile.ImportReport, err error) {
	if errors.Is(err, profile.ErrImportRejected) {
		e, _ := errs.As(err)
		fail(c, e.WithDetails(map[string]any{"report": importReportDTO(report)}))
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, importReportDTO(report))
}
