package profile

import (
	"os"
	"regexp"
	"testing"
)

// TestIndonesianCoversValidation reads the validation sources and checks
// that every literal problem they report has an Indonesian text, so a new
// rule cannot reach an import report in English only.
func TestIndonesianCoversValidation(t *testing.T) {
	literal := regexp.MustCompile(`f\.Add\([^,]+, "([^"]+)"\)|return "([^"]+)"\n`)
	for _, file := range []string{"validate.go", "competency.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			found++
			problem := m[1] + m[2]
			if _, ok := indonesian[problem]; !ok {
				t.Errorf("%s: %q has no Indonesian text", file, problem)
			}
		}
		if found < 5 {
			t.Fatalf("%s: only %d problems found; the pattern no longer matches the source", file, found)
		}
	}
	if got := Indonesian("does not fit jenjang ahli_muda (allowed: III/c, III/d)"); got != "tidak sesuai dengan jenjang ahli_muda (yang sesuai: III/c, III/d)" {
		t.Errorf("jenjang problem reads %q", got)
	}
}
