package api

import (
	"context"
	"fmt"
	"time"

	"sinergi/errs"
	"sinergi/incentive"
)

// Export renders the treasurer's honorarium export of an institution, as
// csv or xlsx, for a course, a month or a year: the same document
// GET /v1/honoraria/export.{csv,xlsx} serves. app hands it to the web
// console, so that the export exists once.
func (s *Server) Export(ctx context.Context, inst int64, format string, f incentive.Filter) (file, contentType string, body []byte, err error) {
	doc, err := s.buildExport(ctx, inst, f)
	if err != nil {
		return "", "", nil, err
	}
	switch format {
	case "csv":
		return doc.File + ".csv", "text/csv; charset=utf-8", exportCSVBytes(doc), nil
	case "xlsx":
		today := s.Now()
		if loc, err := time.LoadLocation(doc.Zone); err == nil {
			today = today.In(loc)
		}
		out, err := exportWorkbook(doc, today)
		if err != nil {
			return "", "", nil, fmt.Errorf("export workbook: %w", err)
		}
		return doc.File + ".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", out, nil
	default:
		return "", "", nil, errs.Invalidf("format", "must be csv or xlsx")
	}
}
