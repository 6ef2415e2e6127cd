package impact

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/profile"
)

// ImportColumns are the participant roster's columns, in order.
var ImportColumns = []string{"nama", "nip", "unit", "email", "nama_atasan", "email_atasan"}

// ImportColumnHelp explains each column of the template, in Indonesian.
var ImportColumnHelp = map[string]string{
	"nama":         "Nama lengkap peserta, 2–200 karakter.",
	"nip":          "NIP 18 digit bila peserta ASN (tulis sebagai teks); kosong untuk non-ASN.",
	"unit":         "Unit kerja peserta.",
	"email":        "E-mail peserta; kunci pencocokan dalam pelatihan ini. Tautan rencana aksi dan tindak lanjut dikirim ke sini.",
	"nama_atasan":  "Nama atasan langsung yang akan mengonfirmasi perubahan di tempat kerja.",
	"email_atasan": "E-mail atasan langsung.",
}

// ImportExample is a filled row for the template.
var ImportExample = [][]string{{"Andi Pratama, S.E.", "199001012015031001", "Subbagian Keuangan", "andi.pratama@pemda.example.id",
	"Sri Wahyuni, M.M.", "sri.wahyuni@pemda.example.id"}}

// errRollback ends the transaction of a dry run.
var errRollback = errors.New("roll back")

// ImportParticipants reads a roster table for a course of inst and, with
// apply, adds or updates its participants in one transaction; the report
// has the shape of the people import's. Rows are matched by e-mail, then
// NIP; empty cells keep the participant's value. A file with any problem
// changes nothing.
func (s Service) ImportParticipants(ctx context.Context, inst, courseID int64, table [][]string, apply bool) (profile.ImportReport, error) {
	report := profile.ImportReport{DryRun: !apply}
	if _, err := s.Store.Course(ctx, inst, courseID); err != nil {
		return report, err
	}
	rows := readTable(table, &report)
	report.Rows = len(rows)
	if !report.OK() {
		if apply {
			return report, profile.ErrImportRejected
		}
		return report, nil
	}
	err := s.Tx.Do(ctx, func(ctx context.Context) error {
		existing, err := s.Store.Participants(ctx, inst, courseID)
		if err != nil {
			return err
		}
		byEmail, byNIP := map[string]*Participant{}, map[string]*Participant{}
		for i := range existing {
			byEmail[existing[i].Email] = &existing[i]
			if existing[i].NIP != "" {
				byNIP[existing[i].NIP] = &existing[i]
			}
		}
		type change struct {
			row    int
			before *Participant
			after  Participant
		}
		var changes []change
		claimed := map[string]int{}
		for _, r := range rows {
			add := func(field, code, message string) {
				report.Problems = append(report.Problems, profile.ImportProblem{Row: r.line, Field: field, Code: code, Message: message})
			}
			email, nip := strings.ToLower(r.cells["email"]), strings.ReplaceAll(r.cells["nip"], " ", "")
			var target *Participant
			if email != "" {
				target = byEmail[email]
			}
			if target == nil && nip != "" {
				target = byNIP[nip]
			}
			now := s.Now()
			p := Participant{InstitutionID: inst, CourseID: courseID, CreatedAt: now}
			if target != nil {
				p = *target
			}
			p.UpdatedAt = now
			for col, dst := range map[string]*string{"nama": &p.Name, "nip": &p.NIP, "unit": &p.Unit, "email": &p.Email,
				"nama_atasan": &p.SupervisorName, "email_atasan": &p.SupervisorEmail} {
				if v, ok := r.cells[col]; ok {
					*dst = v
				}
			}
			if err := p.Normalize(now); err != nil {
				for field, problem := range fieldsOf(err) {
					add(columnOf(field), "invalid", i18n.Sprintf(i18n.Indonesian, problem))
				}
				continue
			}
			for _, key := range []string{"e:" + p.Email, "n:" + p.NIP} {
				if key == "n:" {
					continue
				}
				if prev, dup := claimed[key]; dup {
					add("email", "duplicate_in_file", fmt.Sprintf("peserta yang sama sudah ada di baris %d", prev))
				}
				claimed[key] = r.line
			}
			if other := byEmail[p.Email]; other != nil && (target == nil || other.ID != target.ID) {
				add("email", "key_conflict", "e-mail ini milik peserta lain: "+other.Name)
				continue
			}
			if other := byNIP[p.NIP]; p.NIP != "" && other != nil && (target == nil || other.ID != target.ID) {
				add("nip", "key_conflict", "NIP ini milik peserta lain: "+other.Name)
				continue
			}
			res := profile.ImportResult{Row: r.line, Name: p.Name, Email: p.Email}
			switch {
			case target == nil:
				res.Action = profile.ImportCreate
				report.Created++
			default:
				res.PersonID = target.ID
				res.Changed = changedColumns(*target, p)
				if len(res.Changed) == 0 {
					res.Action = profile.ImportUnchanged
					report.Unchanged++
				} else {
					res.Action = profile.ImportUpdate
					report.Updated++
				}
			}
			report.Results = append(report.Results, res)
			if res.Action != profile.ImportUnchanged {
				changes = append(changes, change{r.line, target, p})
			}
		}
		if !apply || !report.OK() {
			return errRollback
		}
		ids := map[int]int64{}
		for _, c := range changes {
			saved, err := s.Store.SaveParticipant(ctx, c.before, c.after)
			if err != nil {
				return fmt.Errorf("row %d: %w", c.row, err)
			}
			ids[c.row] = saved.ID
		}
		for i := range report.Results {
			if id, ok := ids[report.Results[i].Row]; ok {
				report.Results[i].PersonID = id
			}
		}
		report.Applied = true
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return profile.ImportReport{}, err
	}
	if apply && !report.OK() {
		report.Results = nil
		report.Created, report.Updated, report.Unchanged = 0, 0, 0
		return report, profile.ErrImportRejected
	}
	return report, nil
}

type tableRow struct {
	line  int
	cells map[string]string
}

// readTable finds the header and the data rows, reporting unknown,
// repeated and missing columns.
func readTable(table [][]string, report *profile.ImportReport) []tableRow {
	problem := func(row int, field, code, message string) {
		report.Problems = append(report.Problems, profile.ImportProblem{Row: row, Field: field, Code: code, Message: message})
	}
	h := 0
	for h < len(table) && blank(table[h]) {
		h++
	}
	if h == len(table) {
		problem(1, "", "empty_file", "berkas kosong: baris pertama harus berisi nama kolom")
		return nil
	}
	header := make([]string, len(table[h]))
	seen := map[string]bool{}
	for i, name := range table[h] {
		name = strings.ReplaceAll(strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff"))), " ", "_")
		header[i] = name
		switch {
		case name == "":
		case !slices.Contains(ImportColumns, name):
			problem(h+1, name, "unknown_column", fmt.Sprintf("kolom %q tidak dikenal; kolom yang dikenal: %s", name, strings.Join(ImportColumns, ", ")))
		case seen[name]:
			problem(h+1, name, "duplicate_column", "kolom ini muncul lebih dari sekali")
		}
		seen[name] = true
	}
	if !seen["email"] {
		problem(h+1, "email", "missing_key_column", "berkas harus memiliki kolom email untuk mencocokkan peserta")
	}
	var rows []tableRow
	for i := h + 1; i < len(table); i++ {
		if blank(table[i]) {
			continue
		}
		r := tableRow{line: i + 1, cells: map[string]string{}}
		for j, v := range table[i] {
			if v = strings.TrimSpace(v); v == "" {
				continue
			}
			if j >= len(header) || header[j] == "" {
				problem(i+1, "", "cell_without_column", fmt.Sprintf("sel di kolom ke-%d berisi data tetapi kolom itu tidak bernama", j+1))
				continue
			}
			r.cells[header[j]] = v
		}
		if r.cells["email"] == "" {
			problem(i+1, "email", "missing_key", "isi email agar baris ini dapat dicocokkan")
			continue
		}
		rows = append(rows, r)
	}
	if len(rows) > MaxImportRows {
		problem(h+1, "", "too_many_rows", fmt.Sprintf("berkas berisi %d baris; paling banyak %d baris sekali impor", len(rows), MaxImportRows))
	}
	return rows
}

// MaxImportRows bounds one participant file.
const MaxImportRows = 5000

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func fieldsOf(err error) map[string]string {
	if e, ok := errs.As(err); ok && len(e.Fields) > 0 {
		return e.Fields
	}
	return map[string]string{"": err.Error()}
}

// columnOf maps a participant field to its roster column.
func columnOf(field string) string {
	return map[string]string{"name": "nama", "nip": "nip", "unit": "unit", "email": "email",
		"supervisor_name": "nama_atasan", "supervisor_email": "email_atasan"}[field]
}

func changedColumns(a, b Participant) []string {
	var out []string
	for _, c := range []struct {
		col  string
		x, y string
	}{{"nama", a.Name, b.Name}, {"nip", a.NIP, b.NIP}, {"unit", a.Unit, b.Unit}, {"email", a.Email, b.Email},
		{"nama_atasan", a.SupervisorName, b.SupervisorName}, {"email_atasan", a.SupervisorEmail, b.SupervisorEmail}} {
		if c.x != c.y {
			out = append(out, c.col)
		}
	}
	return out
}
