package layering

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// level is each domain package's place in the domain order: an import may
// only point to a lower level. calendar stands beside the domains and uses
// only the leaves.
var level = map[string]int{
	"sinergi/errs": 0, "sinergi/tz": 0, "sinergi/i18n": 0, "sinergi/audit": 0, "sinergi/idempotency": 0, "sinergi/mailbox": 0,
	"sinergi/profile": 1, "sinergi/tenant": 1, "sinergi/calendar": 1, "sinergi/internal/sheet": 1,
	"sinergi/scheduling": 2,
	"sinergi/matching":   3,
	"sinergi/incentive":  4, "sinergi/certification": 4, "sinergi/evaluation": 4, "sinergi/impact": 4,
	"sinergi/demo": 5,
}

// adapters know HTTP, HTML or SQL; they import domains, never each other.
var adapters = map[string]bool{"sinergi/api": true, "sinergi/postgres": true, "sinergi/console": true}

// wiring may import adapters: the one constructor, the binary and test support.
var wiring = map[string]bool{"sinergi/app": true, "sinergi/cmd/sinergi": true, "sinergi/internal/pgtest": true}

// frameworks are what a domain package must not import.
var frameworks = []string{"github.com/gin-gonic", "gorm.io", "net/http", "github.com/jackc", "database/sql"}

func imports(t *testing.T) map[string][]string {
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Imports " "}}`, "sinergi/...").Output()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("go list: %v", err)
		}
		t.Skipf("go list unavailable: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imps, _ := strings.Cut(line, ":")
		m[pkg] = strings.Fields(imps)
	}
	return m
}

func TestDomainsPointDown(t *testing.T) {
	for pkg, imps := range imports(t) {
		lv, isDomain := level[pkg]
		if !isDomain {
			continue
		}
		for _, imp := range imps {
			for _, f := range frameworks {
				if imp == f || strings.HasPrefix(imp, f+"/") {
					t.Errorf("domain package %s imports the framework %s", pkg, imp)
				}
			}
			if !strings.HasPrefix(imp, "sinergi/") {
				continue
			}
			if il, ok := level[imp]; !ok || il >= lv {
				t.Errorf("%s (level %d) imports %s, which is not below it in the domain order", pkg, lv, imp)
			}
		}
	}
}

func TestAdaptersStandApart(t *testing.T) {
	all := imports(t)
	for pkg, imps := range all {
		for _, imp := range imps {
			if adapters[imp] && !wiring[pkg] {
				t.Errorf("%s imports the adapter %s; only app and cmd wire adapters", pkg, imp)
			}
		}
	}
	// The stores keep the mailbox's records; building and reading messages
	// (calendar) is no business of the database adapter.
	for _, imp := range all["sinergi/postgres"] {
		if imp == "sinergi/calendar" {
			t.Errorf("sinergi/postgres imports sinergi/calendar; its records are sinergi/mailbox's")
		}
	}
	for pkg := range all {
		if _, known := level[pkg]; !known && !adapters[pkg] && !wiring[pkg] && pkg != "sinergi/migrations" &&
			pkg != "sinergi/internal/layering" && !strings.HasPrefix(pkg, "sinergi/bench/") {
			t.Errorf("package %s has no place in the layering; add it to this test and to the README's layout", pkg)
		}
	}
}

func TestEveryDomainExists(t *testing.T) {
	all := imports(t)
	for pkg := range level {
		if _, ok := all[pkg]; !ok {
			t.Errorf("the layering names %s, which does not exist", pkg)
		}
	}
}
