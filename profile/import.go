package profile

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"sinergi/errs"
	"sinergi/i18n"
)

// ImportColumns are the roster template's columns, in order. Staff keep
// rosters in spreadsheets (SIMPEG exports, Excel lists), so the names are
// Indonesian.
var ImportColumns = []string{"nama", "jenis", "nip", "jenjang", "golongan", "email", "telepon", "organisasi", "unit",
	"kepegawaian", "zona_waktu", "kompetensi"}

// ImportColumnHelp explains each column of the template, in Indonesian.
var ImportColumnHelp = map[string]string{
	"nama":        "Nama lengkap dengan gelar, 2–200 karakter.",
	"jenis":       "widyaiswara atau praktisi.",
	"nip":         "NIP 18 digit (tulis sebagai teks). Wajib untuk widyaiswara dan ASN. Kunci pencocokan utama.",
	"jenjang":     "Khusus widyaiswara: ahli_pertama, ahli_muda, ahli_madya, ahli_utama.",
	"golongan":    "Golongan/ruang I/a sampai IV/e, harus sesuai jenjang widyaiswara. Kosong untuk non-ASN.",
	"email":       "Alamat e-mail; kunci pencocokan bila NIP kosong.",
	"telepon":     "Nomor Indonesia, misalnya 081234567890 atau +6281234567890.",
	"organisasi":  "Instansi atau organisasi asal; wajib untuk praktisi.",
	"unit":        "Unit kerja.",
	"kepegawaian": "pns, pppk atau non_asn.",
	"zona_waktu":  "Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura (atau WIB, WITA, WIT).",
	"kompetensi":  "Kode dan level 1–5 dipisah titik koma, misalnya \"integritas:3; pengadaan_barang_jasa:4\". Mengganti seluruh kompetensi orang itu.",
}

// ImportExample is two filled rows for the template, one per kind.
var ImportExample = [][]string{
	{"Dr. Rina Kusumawati, M.Si.", "widyaiswara", "197805122003122002", "ahli_madya", "IV/a", "rina.kusumawati@bpsdm.jabarprov.go.id",
		"081234567890", "BPSDM Provinsi Jawa Barat", "Bidang Pengembangan Kompetensi", "pns", "Asia/Jakarta", "integritas:4; pengambilan_keputusan:4"},
	{"Hendra Saputra, S.T.", "praktisi", "", "", "", "hendra.saputra@bpbd.example.id", "+6281398765432",
		"BPBD Kabupaten Bandung", "Seksi Kedaruratan", "non_asn", "Asia/Jakarta", "pelayanan_publik:4; komunikasi:3"},
}

// MaxImportRows bounds one file, so a request cannot hold a transaction
// for minutes.
const MaxImportRows = 50000

// ImportAction says what applying a row does.
type ImportAction string

// The actions of an import row.
const (
	ImportCreate    ImportAction = "create"
	ImportUpdate    ImportAction = "update"
	ImportUnchanged ImportAction = "unchanged"
)

// ImportProblem is one thing wrong with a file: the spreadsheet row (1 is
// the header), the column, a stable code and a message in Indonesian.
type ImportProblem struct {
	Row     int
	Field   string
	Code    string
	Message string
	// Format and Args are what Message was formatted from, when a page
	// for people tells it in its own words (i18n.ForPeople).
	Format string
	Args   []any
}

// ImportResult is what one valid row does (or did, once applied).
type ImportResult struct {
	Row      int
	Action   ImportAction
	PersonID int64
	Name     string
	Email    string
	// Changed lists the columns whose value the row changes.
	Changed []string
}

// ImportReport answers a dry run or an application of a roster file.
type ImportReport struct {
	DryRun  bool
	Applied bool
	// Rows counts the data rows read (empty rows are skipped).
	Rows                        int
	Created, Updated, Unchanged int
	Results                     []ImportResult
	Problems                    []ImportProblem
}

// OK reports whether the file has no problem.
func (r ImportReport) OK() bool { return len(r.Problems) == 0 }

// ImportChange is one person to write: Before is nil for a new person.
type ImportChange struct {
	Row    int
	Before *Person
	After  Person
	// ReplaceCompetencies is set when the file gives the kompetensi column
	// for the row; After.Competencies is then the full new set.
	ReplaceCompetencies bool
}

// ImportStore reads and writes what a roster import touches.
type ImportStore interface {
	// PeopleByKeys returns inst's people (archived ones too) whose NIP is
	// among nips or whose e-mail is among emails, with their competencies,
	// locked until the transaction ends.
	PeopleByKeys(ctx context.Context, inst int64, nips, emails []string) ([]Person, error)
	Competencies(ctx context.Context, inst int64) ([]Competency, error)
	// ApplyImport inserts the new people and updates the others (version
	// plus one, updated at at), replaces competencies where asked and
	// writes an audit row per person. It returns the person ids in the
	// order of changes.
	ApplyImport(ctx context.Context, inst int64, at time.Time, changes []ImportChange) ([]int64, error)
}

// Transactor runs f in one database transaction; stores called with the
// context it hands on join it.
type Transactor interface {
	Do(ctx context.Context, f func(ctx context.Context) error) error
}

// Importer reads a roster table and, unless it is a dry run, upserts it.
type Importer struct {
	Store ImportStore
	Tx    Transactor
	Now   func() time.Time
}

// ErrImportRejected is returned with the report when an application is
// refused because some row is broken; nothing was changed.
var ErrImportRejected = errs.New(errs.Invalid, "import_rejected",
	"the file was not applied: fix every reported row and send it again; nothing was changed")

// errRollback ends the transaction of a dry run or a refused application.
var errRollback = errors.New("roll back")

// Import reads table (first non-empty row the header, in ImportColumns
// names) and matches each row to a person of inst by NIP, else e-mail.
// Cells that are empty, and columns the file leaves out, keep the person's
// value. Every row is checked with the same rules as a create or an update
// through the API. With apply, a file without problems is written in one
// transaction; a file with any problem changes nothing and the error is
// ErrImportRejected.
func (im Importer) Import(ctx context.Context, inst int64, table [][]string, apply bool) (ImportReport, error) {
	report := ImportReport{DryRun: !apply}
	header, rows, problems := readTable(table)
	report.Rows = len(rows)
	report.Problems = problems
	if len(problems) > 0 {
		if apply {
			return report, ErrImportRejected
		}
		return report, nil
	}
	err := im.Tx.Do(ctx, func(ctx context.Context) error {
		changes, err := im.plan(ctx, inst, header, rows, &report)
		if err != nil {
			return err
		}
		if !apply || !report.OK() {
			return errRollback
		}
		ids, err := im.Store.ApplyImport(ctx, inst, im.Now(), changes)
		if err != nil {
			return err
		}
		byRow := make(map[int]int64, len(ids))
		for i, c := range changes {
			byRow[c.Row] = ids[i]
		}
		for i := range report.Results {
			if id, ok := byRow[report.Results[i].Row]; ok {
				report.Results[i].PersonID = id
			}
		}
		report.Applied = true
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return ImportReport{}, err
	}
	if apply && !report.OK() {
		report.Results = nil
		report.Created, report.Updated, report.Unchanged = 0, 0, 0
		return report, ErrImportRejected
	}
	return report, nil
}

// tableRow is one data row: its spreadsheet row number and its non-empty
// cells by column.
type tableRow struct {
	line  int
	cells map[string]string
}

// readTable finds the header and the data rows, reporting unknown,
// repeated and missing key columns.
func readTable(table [][]string) ([]string, []tableRow, []ImportProblem) {
	var problems []ImportProblem
	h := 0
	for h < len(table) && blank(table[h]) {
		h++
	}
	if h == len(table) {
		return nil, nil, []ImportProblem{{Row: 1, Field: "", Code: "empty_file", Message: "berkas kosong: baris pertama harus berisi nama kolom"}}
	}
	header := make([]string, len(table[h]))
	seen := map[string]bool{}
	for i, name := range table[h] {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")))
		name = strings.ReplaceAll(name, " ", "_")
		header[i] = name
		switch {
		case name == "":
		case !slices.Contains(ImportColumns, name):
			problems = append(problems, ImportProblem{Row: h + 1, Field: name, Code: "unknown_column",
				Message: fmt.Sprintf("kolom %q tidak dikenal; kolom yang dikenal: %s", name, strings.Join(ImportColumns, ", "))})
		case seen[name]:
			problems = append(problems, ImportProblem{Row: h + 1, Field: name, Code: "duplicate_column", Message: "kolom ini muncul lebih dari sekali"})
		}
		seen[name] = true
	}
	if !seen["nip"] && !seen["email"] {
		problems = append(problems, ImportProblem{Row: h + 1, Field: "nip", Code: "missing_key_column",
			Message: "berkas harus memiliki kolom nip atau email untuk mencocokkan orang"})
	}
	var rows []tableRow
	for i := h + 1; i < len(table); i++ {
		if blank(table[i]) {
			continue
		}
		r := tableRow{line: i + 1, cells: map[string]string{}}
		for j, v := range table[i] {
			v = strings.TrimSpace(v)
			if v == "" {
				continue
			}
			if j >= len(header) || header[j] == "" {
				problems = append(problems, ImportProblem{Row: i + 1, Field: "", Code: "cell_without_column",
					Message: fmt.Sprintf("sel di kolom ke-%d berisi data tetapi kolom itu tidak bernama", j+1)})
				continue
			}
			r.cells[header[j]] = v
		}
		rows = append(rows, r)
	}
	if len(rows) > MaxImportRows {
		problems = append(problems, ImportProblem{Row: h + 1, Code: "too_many_rows",
			Message: fmt.Sprintf("berkas berisi %d baris; paling banyak %d baris sekali impor", len(rows), MaxImportRows)})
	}
	return header, rows, problems
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// plan matches and checks every row, filling report; it returns the
// changes to write.
func (im Importer) plan(ctx context.Context, inst int64, header []string, rows []tableRow, report *ImportReport) ([]ImportChange, error) {
	var nips, emails []string
	for _, r := range rows {
		if v := r.cells["nip"]; v != "" {
			nips = append(nips, cleanNIP(v))
		}
		if v := r.cells["email"]; v != "" {
			emails = append(emails, strings.ToLower(v))
		}
	}
	existing, err := im.Store.PeopleByKeys(ctx, inst, nips, emails)
	if err != nil {
		return nil, err
	}
	byNIP, byEmail := map[string]*Person{}, map[string]*Person{}
	for i := range existing {
		p := &existing[i]
		if p.NIP != "" {
			byNIP[p.NIP] = p
		}
		byEmail[p.Email] = p
	}
	var taxonomy map[string]Competency
	if slices.Contains(header, "kompetensi") {
		list, err := im.Store.Competencies(ctx, inst)
		if err != nil {
			return nil, err
		}
		taxonomy = make(map[string]Competency, len(list))
		for _, c := range list {
			taxonomy[c.Code] = c
		}
	}
	today := im.Now()
	// Final keys claimed by a row, to catch two rows about one person and
	// a row taking another person's NIP or e-mail.
	nipRow, emailRow, personRow := map[string]int{}, map[string]int{}, map[int64]int{}
	var changes []ImportChange
	for _, r := range rows {
		add := func(field, code, message string) {
			report.Problems = append(report.Problems, ImportProblem{Row: r.line, Field: field, Code: code, Message: message})
		}
		nip, email := cleanNIP(r.cells["nip"]), strings.ToLower(r.cells["email"])
		if nip == "" && email == "" {
			add("nip", "missing_key", "isi nip atau email agar baris ini dapat dicocokkan")
			continue
		}
		var target *Person
		if nip != "" {
			target = byNIP[nip]
		}
		if email != "" {
			if other := byEmail[email]; other != nil {
				if target != nil && other.ID != target.ID {
					add("email", "key_conflict", fmt.Sprintf("NIP menunjuk %s tetapi e-mail ini milik %s; baris ini ambigu", target.Name, other.Name))
					continue
				}
				target = other
			}
		}
		if target != nil {
			if prev, dup := personRow[target.ID]; dup {
				add("nip", "duplicate_in_file", fmt.Sprintf("orang yang sama sudah ada di baris %d", prev))
				continue
			}
			personRow[target.ID] = r.line
			if target.Archived() {
				add("nip", "archived", "orang ini sudah diarsipkan; pulihkan dulu sebelum mengimpor")
				continue
			}
		}
		var p Person
		if target != nil {
			p = *target
			p.Expertise = slices.Clone(target.Expertise)
		} else {
			p = Person{InstitutionID: inst, TaxIDStatus: TaxNone, Version: 1}
		}
		overlay(&p, r.cells)
		bad := false
		if err := p.Normalize(today); err != nil {
			bad = true
			for _, f := range fieldProblems(err) {
				add(f[0], "invalid_value", f[1])
			}
		}
		replace := false
		if v, ok := r.cells["kompetensi"]; ok {
			cs, problems := parseCompetencies(v, taxonomy, target)
			for _, m := range problems {
				add("kompetensi", m.Code, m.Message)
				last := &report.Problems[len(report.Problems)-1]
				last.Format, last.Args = m.Format, m.Args
			}
			if len(problems) > 0 {
				bad = true
			} else if err := NormalizeCompetencies(cs); err != nil {
				bad = true
				for _, f := range fieldProblems(err) {
					add("kompetensi", "invalid_value", f[1])
				}
			}
			p.Competencies, replace = cs, true
		}
		if prev, dup := nipRow[p.NIP]; dup && p.NIP != "" {
			add("nip", "duplicate_in_file", fmt.Sprintf("NIP ini sudah dipakai di baris %d", prev))
			bad = true
		} else if owner := byNIP[p.NIP]; p.NIP != "" && owner != nil && (target == nil || owner.ID != target.ID) {
			add("nip", "duplicate", "NIP ini sudah dipakai orang lain di instansi ini: "+owner.Name)
			bad = true
		}
		if prev, dup := emailRow[p.Email]; dup && p.Email != "" {
			add("email", "duplicate_in_file", fmt.Sprintf("e-mail ini sudah dipakai di baris %d", prev))
			bad = true
		} else if owner := byEmail[p.Email]; owner != nil && (target == nil || owner.ID != target.ID) {
			add("email", "duplicate", "e-mail ini sudah dipakai orang lain di instansi ini: "+owner.Name)
			bad = true
		}
		if p.NIP != "" {
			nipRow[p.NIP] = r.line
		}
		emailRow[p.Email] = r.line
		if bad {
			continue
		}
		res := ImportResult{Row: r.line, Name: p.Name, Email: p.Email}
		if target == nil {
			res.Action = ImportCreate
			res.Changed = presentColumns(header, r.cells)
			report.Created++
		} else {
			res.PersonID = target.ID
			res.Changed = changedColumns(*target, p, replace)
			if len(res.Changed) == 0 {
				res.Action = ImportUnchanged
				report.Unchanged++
				report.Results = append(report.Results, res)
				continue
			}
			res.Action = ImportUpdate
			report.Updated++
		}
		report.Results = append(report.Results, res)
		changes = append(changes, ImportChange{Row: r.line, Before: target, After: p, ReplaceCompetencies: replace})
	}
	return changes, nil
}

func cleanNIP(s string) string { return strings.ReplaceAll(strings.TrimSpace(s), " ", "") }

// overlay copies the non-empty cells onto p, turning the spellings staff
// use ("praktisi", "Ahli Muda", "iii/c", "WITA") into the stored values;
// anything else is left for Normalize to judge.
func overlay(p *Person, cells map[string]string) {
	for col, v := range cells {
		lower := strings.ToLower(v)
		switch col {
		case "nama":
			p.Name = v
		case "jenis":
			switch lower {
			case "praktisi", "practitioner":
				p.Kind = Practitioner
			default:
				p.Kind = Kind(lower)
			}
		case "nip":
			p.NIP = v
		case "jenjang":
			p.Jenjang = Jenjang(strings.NewReplacer(" ", "_", "-", "_").Replace(lower))
		case "golongan":
			if group, ruang, ok := strings.Cut(strings.ReplaceAll(v, " ", ""), "/"); ok {
				v = strings.ToUpper(group) + "/" + strings.ToLower(ruang)
			}
			p.Golongan = v
		case "email":
			p.Email = v
		case "telepon":
			p.Phone = v
		case "organisasi":
			p.Organisation = v
		case "unit":
			p.Unit = v
		case "kepegawaian":
			p.Employment = Employment(strings.NewReplacer(" ", "_", "-", "_").Replace(lower))
		case "zona_waktu":
			switch strings.ToUpper(v) {
			case "WIB":
				v = "Asia/Jakarta"
			case "WITA":
				v = "Asia/Makassar"
			case "WIT":
				v = "Asia/Jayapura"
			}
			p.Zone = v
		}
	}
}

var competencyItemRe = regexp.MustCompile(`^([A-Za-z0-9][A-Za-z0-9_.-]*)\s*[:=]\s*(\S+)$`)

// unknownCompetency is the problem of a competency code the institution's
// dictionary lacks, as API clients read it.
const unknownCompetency = "kode kompetensi %q tidak ada di kamus instansi ini (lihat GET /v1/competencies)"

// parseCompetencies reads "integritas:3; pengadaan_barang_jasa:4". Years,
// sessions taught and evidence the person already has for a competency are
// kept. Problems are [code, message] pairs.
func parseCompetencies(cell string, taxonomy map[string]Competency, target *Person) ([]PersonCompetency, []ImportProblem) {
	var out []PersonCompetency
	var problems []ImportProblem
	had := map[int64]PersonCompetency{}
	if target != nil {
		for _, c := range target.Competencies {
			had[c.CompetencyID] = c
		}
	}
	if strings.TrimSpace(cell) == "-" {
		return []PersonCompetency{}, nil
	}
	for _, item := range strings.FieldsFunc(cell, func(r rune) bool { return r == ';' || r == ',' || r == '\n' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		m := competencyItemRe.FindStringSubmatch(item)
		if m == nil {
			problems = append(problems, ImportProblem{Code: "bad_competency", Message: fmt.Sprintf("%q harus ditulis kode:level, misalnya integritas:3", item)})
			continue
		}
		code := strings.ToLower(m[1])
		c, ok := taxonomy[code]
		if !ok {
			problems = append(problems, ImportProblem{Code: "unknown_competency", Message: fmt.Sprintf(unknownCompetency, code),
				Format: unknownCompetency, Args: []any{code}})
			continue
		}
		level, err := strconv.Atoi(m[2])
		if err != nil || level < 1 || level > 5 {
			problems = append(problems, ImportProblem{Code: "bad_level", Message: fmt.Sprintf("level %s untuk %s harus angka 1 sampai 5", m[2], code)})
			continue
		}
		pc := had[c.ID]
		pc.CompetencyID, pc.Code, pc.Name, pc.Type, pc.Level = c.ID, c.Code, c.Name, c.Type, level
		out = append(out, pc)
	}
	return out, problems
}

// presentColumns lists the columns a new person's row fills.
func presentColumns(header []string, cells map[string]string) []string {
	var out []string
	for _, h := range header {
		if _, ok := cells[h]; ok {
			out = append(out, h)
		}
	}
	return out
}

// changedColumns lists the template columns whose value differs between a
// stored person and the same person after the row.
func changedColumns(a, b Person, competencies bool) []string {
	var out []string
	diff := func(col string, x, y string) {
		if x != y {
			out = append(out, col)
		}
	}
	diff("nama", a.Name, b.Name)
	diff("jenis", string(a.Kind), string(b.Kind))
	diff("nip", a.NIP, b.NIP)
	diff("jenjang", string(a.Jenjang), string(b.Jenjang))
	diff("golongan", a.Golongan, b.Golongan)
	diff("email", a.Email, b.Email)
	diff("telepon", a.Phone, b.Phone)
	diff("organisasi", a.Organisation, b.Organisation)
	diff("unit", a.Unit, b.Unit)
	diff("kepegawaian", string(a.Employment), string(b.Employment))
	diff("zona_waktu", a.Zone, b.Zone)
	if competencies && !sameCompetencies(a.Competencies, b.Competencies) {
		out = append(out, "kompetensi")
	}
	return out
}

func sameCompetencies(a, b []PersonCompetency) bool {
	if len(a) != len(b) {
		return false
	}
	level := make(map[int64]int, len(a))
	for _, c := range a {
		level[c.CompetencyID] = c.Level
	}
	for _, c := range b {
		if l, ok := level[c.CompetencyID]; !ok || l != c.Level {
			return false
		}
	}
	return true
}

// importColumn names, for each field Normalize reports, the template
// column it comes from.
var importColumn = map[string]string{"name": "nama", "kind": "jenis", "phone": "telepon", "organisation": "organisasi",
	"employment": "kepegawaian", "zone": "zona_waktu"}

// fieldProblems turns a validation error into [column, Indonesian message]
// pairs, sorted by column.
func fieldProblems(err error) [][2]string {
	e, ok := errs.As(err)
	if !ok || len(e.Fields) == 0 {
		return [][2]string{{"", err.Error()}}
	}
	out := make([][2]string, 0, len(e.Fields))
	for field := range e.Fields {
		col := field
		if c, ok := importColumn[field]; ok {
			col = c
		}
		t := e.FieldText(field)
		out = append(out, [2]string{col, i18n.Sprintf(i18n.Indonesian, t.Format, t.Args...)})
	}
	slices.SortFunc(out, func(a, b [2]string) int { return strings.Compare(a[0], b[0]) })
	return out
}
