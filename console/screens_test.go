package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"sinergi/audit"
	"sinergi/tz"
)

// A week far in the future or the past is refused with a message and this
// week is shown: no year 10000, no year 0.
func TestWeekOutsideThePlannedYears(t *testing.T) {
	e := newEnv(t)
	staff := e.staffClient(e.staffA)
	for _, from := range []string{"9999-12-31", "2101-01-01", "1999-12-31", "0001-01-01"} {
		t.Run(from, func(t *testing.T) {
			r := staff.get("/console/week?from=" + from)
			if r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("answered %d, want 422", r.Status)
			}
			if !strings.Contains(r.Body, "tahun 2000 sampai 2100") {
				t.Fatalf("the page does not say which years can be opened:\n%s", r.Body)
			}
			for _, wrong := range []string{"10000", "-01-", "0000", "2101-", "1999-"} {
				if strings.Contains(r.Body, "from="+wrong) || strings.Contains(r.Body, wrong+"-") {
					t.Fatalf("the page still links or shows %q", wrong)
				}
			}
			if !strings.Contains(r.Body, "23-11-2026") {
				t.Fatal("the page does not show this week instead")
			}
		})
	}
	for _, from := range []string{"2000-01-01", "2100-12-25"} {
		if r := staff.get("/console/week?from=" + from); r.Status != http.StatusOK || strings.Contains(r.Body, "tahun 2000 sampai 2100") {
			t.Fatalf("the week of %s answered %d", from, r.Status)
		}
	}
}

// The signing keys page dates keys in WIB with its label, as every other
// page dates things in a zone people use, never in UTC.
func TestSigningKeysDatedInWIB(t *testing.T) {
	e := newEnv(t)
	k, err := e.app.Certificates.Keys.Active(audit.WithActor(context.Background(), audit.Actor{Role: "test"}))
	must(t, err)
	want := k.CreatedAt.In(tz.MustLoad("Asia/Jakarta")).Format("02-01-2006 15:04") + " WIB"
	keys := e.adminClient().get("/console/admin/keys")
	if keys.Status != http.StatusOK {
		t.Fatalf("the keys page answered %d", keys.Status)
	}
	if !strings.Contains(keys.Body, want) || strings.Contains(keys.Body, "UTC") {
		t.Fatalf("the keys page does not date the key %q:\n%s", want, keys.Body)
	}
}
