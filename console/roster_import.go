package console

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"

	"sinergi/errs"
	"sinergi/impact"
	"sinergi/internal/sheet"
	"sinergi/profile"
	"sinergi/tenant"
)

// importMaxFile caps a spreadsheet sent through the console (10,000
// people with competencies are about 2 MiB of CSV); the confirmation
// form carries it back once more, encoded.
const importMaxFile = 6 << 20

var errFileTooLarge = errs.New(errs.TooLarge, "file_too_large", "the file is larger than 6 MiB; split it")

// importKind is one of the console's spreadsheet imports: the roster, or
// a course's participants. Both run the API's importer with its dry run
// and answer the same report.
type importKind struct {
	// Action is where the file is posted; Template where the templates are;
	// Back the page the import belongs to.
	Action, Template, Back string
	TitleKey, BackKey      string
	run                    func(ctx context.Context, table [][]string, apply bool) (profile.ImportReport, error)
}

type importView struct {
	page
	Kind   importKind
	Report profile.ImportReport
	// Done is set once a report is shown; File is the previewed file,
	// encoded, for the confirmation form.
	Done bool
	File string
}

// importOf names the import a request is about: a course's participants
// (the course must be the institution's) or the roster.
func (s *Server) importOf(r *http.Request, u tenant.User) (importKind, error) {
	if r.PathValue("id") == "" {
		return importKind{Action: Prefix + "people/import", Template: Prefix + "people/import/template", Back: Prefix + "people",
			TitleKey: "roster_import_title", BackKey: "roster_back",
			run: func(ctx context.Context, table [][]string, apply bool) (profile.ImportReport, error) {
				return s.Roster.Import(ctx, u.InstitutionID, table, apply)
			}}, nil
	}
	id, err := pathID(r, "id")
	if err != nil {
		return importKind{}, err
	}
	if _, err := s.Scheduling.Course(r.Context(), u.InstitutionID, id); err != nil {
		return importKind{}, err
	}
	return importKind{Action: fmt.Sprintf("%scourses/%d/participants/import", Prefix, id), Template: Prefix + "participants/import/template",
		Back: fmt.Sprintf("%scourses/%d", Prefix, id), TitleKey: "roster_participants_title", BackKey: "roster_back_course",
		run: func(ctx context.Context, table [][]string, apply bool) (profile.ImportReport, error) {
			return s.Impact.ImportParticipants(ctx, u.InstitutionID, id, table, apply)
		}}, nil
}

func (s *Server) importView(w http.ResponseWriter, r *http.Request, u tenant.User) (importView, bool) {
	k, err := s.importOf(r, u)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return importView{}, false
	}
	nav := "people"
	if r.PathValue("id") != "" {
		nav = "courses"
	}
	v := importView{page: newPage(r, &u, nav), Kind: k}
	v.Title = v.T(k.TitleKey)
	return v, true
}

// importPage offers the upload and the templates.
func (s *Server) importPage(w http.ResponseWriter, r *http.Request, u tenant.User) {
	if v, ok := s.importView(w, r, u); ok {
		s.render(w, r, http.StatusOK, "people_import", v)
	}
}

// importTemplate serves the roster template (xlsx or csv), the API's.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.sendTemplate(w, r, u, "templat-roster", profile.ImportColumns, profile.ImportExample, profile.ImportColumnHelp)
}

// participantTemplate serves the participant template, the API's.
func (s *Server) participantTemplate(w http.ResponseWriter, r *http.Request, u tenant.User) {
	s.sendTemplate(w, r, u, "templat-peserta", impact.ImportColumns, impact.ImportExample, impact.ImportColumnHelp)
}

func (s *Server) sendTemplate(w http.ResponseWriter, r *http.Request, u tenant.User, name string, columns []string, example [][]string, help map[string]string) {
	format := r.PathValue("format")
	if format != sheet.XLSX && format != sheet.CSV {
		s.errorPage(w, r, &u, errs.NotFoundf("page not found"))
		return
	}
	body, err := sheet.Template(format, columns, example, help)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	ct := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if format == sheet.CSV {
		ct = "text/csv; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.`+format+`"`)
	_, _ = w.Write(body)
}

// importPreview runs the importer as a dry run (the API's dry_run) and
// shows what each row would do and every problem by row.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, u tenant.User) {
	v, ok := s.importView(w, r, u)
	if !ok {
		return
	}
	body, err := uploadedFile(w, r)
	if err == nil {
		v.Report, err = v.Kind.read(r.Context(), body, false)
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
	v, ok := s.importView(w, r, u)
	if !ok {
		return
	}
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
		v.Report, err = v.Kind.read(r.Context(), body, true)
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

func (k importKind) read(ctx context.Context, body []byte, apply bool) (profile.ImportReport, error) {
	table, err := sheet.Read(body)
	if err != nil {
		return profile.ImportReport{}, err
	}
	return k.run(ctx, table, apply)
}

// uploadedFile reads the "file" field of a multipart form.
func uploadedFile(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, importMaxFile+1<<16)
	fh, _, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errFileTooLarge
		}
		return nil, errs.Invalidf("file", "choose an XLSX or CSV file")
	}
	defer fh.Close()
	body, err := io.ReadAll(io.LimitReader(fh, importMaxFile+1))
	if err != nil {
		return nil, errs.Invalidf("file", "the file cannot be opened")
	}
	if len(body) > importMaxFile {
		return nil, errFileTooLarge
	}
	if len(body) == 0 {
		return nil, errs.Invalidf("file", "the file is empty")
	}
	return body, nil
}
