package layering

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestErrorCodesAreDistinct keeps one code per error: errors.Is compares
// codes, so two errors sharing one would match each other.
func TestErrorCodesAreDistinct(t *testing.T) {
	re := regexp.MustCompile(`errs\.New\(errs\.[A-Za-z]+, "([a-z_]+)"`)
	seen := map[string]string{}
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "../.." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules" || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if prev, ok := seen[m[1]]; ok {
				t.Errorf("error code %q is made in %s and in %s", m[1], prev, path)
			}
			seen[m[1]] = path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 20 {
		t.Fatalf("found only %d error codes; is the scan looking in the right place?", len(seen))
	}
}

// TestActiveConditionIsWrittenOnce keeps the active-booking condition in
// the SQL function booking_active (and its Go twin Status.Active): no query
// spells it out again.
func TestActiveConditionIsWrittenOnce(t *testing.T) {
	spelled := regexp.MustCompile(`(?i)status\s+NOT\s+IN\s*\(\s*'declined'`)
	err := filepath.WalkDir("../..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "../.." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".go") || strings.HasSuffix(path, ".sql")) {
			return nil
		}
		// Migrations that landed before booking_active are not edited.
		if strings.Contains(path, "migrations/0000") || strings.Contains(path, "migrations/00011_") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if loc := spelled.FindIndex(src); loc != nil {
			t.Errorf("%s spells out the active-booking condition; use booking_active(status)", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
