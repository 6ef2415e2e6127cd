package i18n

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestNegotiate(t *testing.T) {
	for header, want := range map[string]Lang{
		"":                        Indonesian,
		"id":                      Indonesian,
		"id-ID,id;q=0.9,en;q=0.8": Indonesian,
		"en":                      English,
		"en-US,en;q=0.9":          English,
		"en-GB;q=0.8, id;q=0.9":   Indonesian,
		"fr-FR":                   Indonesian,
		"de, en;q=0.5":            English,
		"*":                       Indonesian,
		"not a ;; header ===":     Indonesian,
		"jv":                      Indonesian,
	} {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %s, want %s", header, got, want)
		}
	}
}

func TestTellingTimesAndMoney(t *testing.T) {
	wita := time.FixedZone("WITA", 8*3600)
	span := Span{Start: time.Date(2027, 2, 15, 8, 0, 0, 0, wita), End: time.Date(2027, 2, 15, 9, 30, 0, 0, wita), Label: "WITA"}
	night := Span{Start: time.Date(2027, 2, 15, 22, 0, 0, 0, wita), End: time.Date(2027, 2, 16, 1, 0, 0, 0, wita), Label: "WITA"}
	for _, tc := range []struct {
		got, want string
	}{
		{span.Tell(Indonesian), "Senin, 15 Februari 2027, 08:00–09:30 WITA"},
		{span.Tell(English), "Monday 15 February 2027 08:00–09:30 WITA"},
		{night.Tell(Indonesian), "Senin, 15 Februari 2027, 22:00–Selasa, 16 Februari 2027 01:00 WITA"},
		{Moment{At: span.Start, Label: "WIT"}.Tell(Indonesian), "Senin, 15 Februari 2027 08:00 WIT"},
		{ShortDate(span.Start).Tell(Indonesian), "Sen 15-02-2027"},
		{ShortDate(span.Start).Tell(English), "Mon 15-02-2027"},
		{ShortDate(night.End.AddDate(0, 0, 5)).Tell(Indonesian), "Min 21-02-2027"},
		{Rupiah(1500000).Tell(Indonesian), "Rp1.500.000"},
		{Rupiah(1500000).Tell(English), "Rp1,500,000"},
		{Rupiah(-900).Tell(Indonesian), "-Rp900"},
		{Sprintf(Indonesian, "no such %s in this institution", "session"), "sesi tersebut tidak ada di instansi ini"},
		{Sprintf(English, "no such %s in this institution", "session"), "no such session in this institution"},
		{Sprintf(Indonesian, "session %d not found", 12345), "sesi 12345 tidak ditemukan"},
		{T("meets %d of %d required competencies; %s", 1, 2, T("lacks %s", "bencana")).In(Indonesian),
			"memenuhi 1 dari 2 kompetensi yang diperlukan; tidak memiliki bencana"},
		{Sprintf(Indonesian, "a text nobody catalogued, %d", 3), "a text nobody catalogued, 3"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

var templateText = regexp.MustCompile(`\{\{(?:t \$?\.Lang|id|printf "%-10s" \(id) ("(?:[^"\\]|\\.)*")`)

// TestCatalogueCoversTheCode reads every Go source of the module and checks
// that each literal message people read (error messages, field problems,
// matching explanations and reasons) has an Indonesian text, so a new
// message cannot reach a reader in English only.
func TestCatalogueCoversTheCode(t *testing.T) {
	found := 0
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "bench") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		check := func(e ast.Expr) {
			lit, ok := e.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return
			}
			s, _ := strconv.Unquote(lit.Value)
			if s == "" {
				return
			}
			found++
			if !Has(s) {
				t.Errorf("%s: %q has no Indonesian text in the catalogue", fset.Position(lit.Pos()), s)
			}
		}
		// Templates: {{t .Lang "…"}} on pages, {{id "…"}} in mail.
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range templateText.FindAllSubmatch(src, -1) {
			s, err := strconv.Unquote(string(m[1]))
			if err != nil {
				t.Errorf("%s: %s", path, m[1])
				continue
			}
			found++
			if !Has(s) {
				t.Errorf("%s: template text %q has no Indonesian text in the catalogue", path, s)
			}
		}
		problems := strings.HasSuffix(path, "profile/validate.go") || strings.HasSuffix(path, "profile/competency.go") ||
			strings.HasSuffix(path, "profile/taxid.go")
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				sel, ok := n.Fun.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				pkg, _ := sel.X.(*ast.Ident)
				arg := -1
				switch {
				case pkg != nil && pkg.Name == "errs" && sel.Sel.Name == "New":
					arg = 2
				case pkg != nil && pkg.Name == "errs" && sel.Sel.Name == "Invalidf":
					arg = 1
				case pkg != nil && pkg.Name == "errs" && sel.Sel.Name == "NotFoundf", sel.Sel.Name == "WithMessage":
					arg = 0
				case pkg != nil && pkg.Name == "i18n" && sel.Sel.Name == "T":
					arg = 0
				case pkg != nil && (sel.Sel.Name == "Add" || sel.Sel.Name == "Addf") && len(n.Args) >= 2:
					arg = 1 // errs.Fields: f.Add(field, problem)
				}
				if arg >= 0 && arg < len(n.Args) {
					check(n.Args[arg])
				}
			case *ast.ReturnStmt:
				if problems && len(n.Results) == 1 {
					check(n.Results[0])
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && k.Name == "Reason" && strings.Contains(path, "matching") {
					check(n.Value)
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok && sel.Sel.Name == "Reason" && len(n.Rhs) == len(n.Lhs) && strings.Contains(path, "matching") {
						check(n.Rhs[i])
					}
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d messages checked", found)
	if found < 200 {
		t.Fatalf("only %d messages found; the scan no longer matches the code", found)
	}
}

// BenchmarkTell compares telling a catalogued explanation in Indonesian
// and in English with formatting it with fmt alone.
func BenchmarkTell(b *testing.B) {
	text := T("%d JP booked in %d against a peer mean of %.0f; %d JP this month", 12, 2026, 9.5, 4)
	b.Run("fmt", func(b *testing.B) {
		for b.Loop() {
			_ = fmt.Sprintf(text.Format, text.Args...)
		}
	})
	b.Run("english", func(b *testing.B) {
		for b.Loop() {
			_ = text.In(English)
		}
	})
	b.Run("indonesian", func(b *testing.B) {
		for b.Loop() {
			_ = text.In(Indonesian)
		}
	})
}

// What the console shows people in place of API wording is catalogued and
// names no JSON field, endpoint or request option.
func TestForPeople(t *testing.T) {
	api := regexp.MustCompile(`[a-z]_[a-z]|GET /|/v1/|force: true|RFC 3339`)
	for from, to := range forPeople {
		if !Has(to) {
			t.Errorf("%q: the people's version %q has no Indonesian text", from, to)
		}
		for _, told := range []string{to, Sprintf(Indonesian, to)} {
			if api.MatchString(told) {
				t.Errorf("%q: the people's version %q still reads like the API", from, told)
			}
		}
		if ForPeople(from) != to {
			t.Errorf("ForPeople(%q) = %q", from, ForPeople(from))
		}
	}
	if ForPeople("is required") != "is required" {
		t.Error("a text without API wording is changed")
	}
}

// One word per idea wherever a person reads: "belum pasti" for a
// tentative answer, "tatap muka", "daring" and "campuran" for the modes,
// "co-trainer" for the role.
func TestOneWordPerIdea(t *testing.T) {
	other := regexp.MustCompile(`(?i)\b(mungkin|tentatif|luring|hibrida|pengajar pendamping)\b`)
	for _, table := range []map[string]string{errorsID, fieldsID, matchingID, textsID, wordsID} {
		for en, id := range table {
			if m := other.FindString(id); m != "" {
				t.Errorf("%q is told with %q", en, m)
			}
		}
	}
	if got := Sprintf(Indonesian, "Tentative"); got != "Belum pasti" {
		t.Errorf("Tentative is %q", got)
	}
}
