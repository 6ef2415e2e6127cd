package console

import (
	"encoding/base64"
	"errors"
	"io"
	"net/http"

	"sinergi/errs"
	"sinergi/internal/sheet"
	"sinergi/profile"
	"sinergi/tenant"
)

// importMaxFile caps a roster file sent through the console (10,000
// people with competencies are about 2 MiB of CSV); the confirmation
// form carries it back once more, encoded.
const importMaxFile = 6 << 20

type importView struct {
	page
	Report profile.ImportReport
	// Done is set once a report is shown; File is the previewed file,
	// encoded, for the confirmation form.
	Done bool
	File string
}

// importPage offers the upload and the templates.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request, u tenant.User) {
	v := importView{page: newPage(r, &u, "people")}
	v.Title = v.T("roster_import_title")
	s.render(w, r, http.StatusOK, "people_import", v)
}

// importTemplate serves the roster template (xlsx or csv), the API's.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, u tenant.User) {
	format := r.PathValue("format")
	if format != sheet.XLSX && format != sheet.CSV {
		s.errorPage(w, r, &u, errs.NotFoundf("page not found"))
		return
	}
	body, err := sheet.Template(format, profile.ImportColumns, profile.ImportExample, profile.ImportColumnHelp)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	ct := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if format == sheet.CSV {
		ct = "text/csv; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="templat-roster.`+format+`"`)
	_, _ = w.Write(body)
}

// importPreview runs the importer as a dry run (the API's dry_run) and
// shows what each row would do and every problem by row.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, u tenant.User) {
	v := importView{page: newPage(r, &u, "people")}
	v.Title = v.T("roster_import_title")
	body, err := uploadedFile(w, r)
	if err == nil {
		v.Report, err = s.importTable(r, u, body, false)
	}
	if err != nil {
		v.withError(err)
		s.render(w, r, status(err), "people_import", v)
		return
	}
	v.Done, v.File = true, base64.StdEncoding.EncodeToString(body)
	s.render(w, r, http.StatusOK, "people_import", v)
}

// importApply imports the previewed file. The rows are checked again: a
// file that no longer passes is refused whole, with its report.
func (s *Server) importApply(w http.ResponseWriter, r *http.Request, u tenant.User) {
	v := importView{page: newPage(r, &u, "people")}
	v.Title = v.T("roster_import_title")
	r.Body = http.MaxBytesReader(w, r.Body, importMaxFile*2)
	var body []byte
	err := r.ParseMultipartForm(1 << 20)
	if err == nil {
		body, err = base64.StdEncoding.DecodeString(r.PostFormValue("file"))
	}
	if err != nil || len(body) == 0 {
		err = errs.Invalidf("file", "choose an XLSX or CSV file")
	}
	if err == nil {
		v.Report, err = s.importTable(r, u, body, true)
	}
	v.Done = true
	if err != nil {
		v.withError(err)
		if errors.Is(err, profile.ErrImportRejected) {
			v.File = base64.StdEncoding.EncodeToString(body)
		} else {
			v.Done = false
		}
		s.render(w, r, status(err), "people_import", v)
		return
	}
	v.Flash = v.T("roster_imported")
	s.render(w, r, http.StatusOK, "people_import", v)
}

func (s *Server) importTable(r *http.Request, u tenant.User, body []byte, apply bool) (profile.ImportReport, error) {
	table, err := sheet.Read(body)
	if err != nil {
		return profile.ImportReport{}, err
	}
	return s.Roster.Import(r.Context(), u.InstitutionID, table, apply)
}

// uploadedFile reads the "file" field of a multipart form.
func uploadedFile(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, importMaxFile+1<<16)
	fh, _, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errs.New(errs.TooLarge, "file_too_large", "the file is larger than 6 MiB; split it")
		}
		return nil, errs.Invalidf("file", "choose an XLSX or CSV file")
	}
	defer fh.Close()
	body, err := io.ReadAll(io.LimitReader(fh, importMaxFile+1))
	if err != nil {
		return nil, errs.Invalidf("file", "the file cannot be opened")
	}
	if len(body) > importMaxFile {
		return nil, errs.New(errs.TooLarge, "file_too_large", "the file is larger than 6 MiB; split it")
	}
	if len(body) == 0 {
		return nil, errs.Invalidf("file", "the file is empty")
	}
	return body, nil
}
