package console_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
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

// The calendar address is shown once, right after it is made, as a
// read-only field with the calendar instructions beside it; the page says
// it cannot be shown again. Replacing a working address asks first on a
// page of its own and says the old one stops working; only the confirmed
// post replaces it.
func TestTrainerFeedShownOnceAndReplacedAfterAsking(t *testing.T) {
	e := newEnv(t)
	trainer := e.client()
	trainer.post("/console/trainer/login", url.Values{"email": {"marthen@example.id"}})
	if r := trainer.post(strings.TrimPrefix(e.signInLink("marthen@example.id"), e.srv.URL), url.Values{}); r.Status != http.StatusSeeOther {
		t.Fatalf("the sign-in link answered %d", r.Status)
	}
	home := trainer.get("/console/trainer")
	for _, want := range []string{"hanya ditampilkan sekali", `id="feed-none"`, "Google Calendar", "Outlook", "Buat alamat kalender"} {
		if !strings.Contains(home.Body, want) {
			t.Fatalf("the portal without an address does not show %q", want)
		}
	}
	feedURL := regexp.MustCompile(`<input id="feed-url" readonly value="(` + regexp.QuoteMeta(e.srv.URL) + `/feeds/[A-Za-z0-9_-]+\.ics)">`)

	made := trainer.post("/console/trainer/feed", url.Values{})
	first := feedURL.FindStringSubmatch(made.Body)
	if made.Status != http.StatusOK || first == nil {
		t.Fatalf("making the first address answered %d without a read-only address field:\n%s", made.Status, made.Body)
	}
	for _, want := range []string{`data-copy="feed-url"`, "Salin alamat", "Simpan sekarang", "Google Calendar", "Outlook", "copy"} {
		if !strings.Contains(made.Body, want) {
			t.Errorf("the page with the new address does not show %q", want)
		}
	}
	if r := e.client().get(strings.TrimPrefix(first[1], e.srv.URL)); r.Status != http.StatusOK {
		t.Fatalf("the new address answered %d %s", r.Status, r.Body)
	}

	again := trainer.get("/console/trainer")
	if strings.Contains(again.Body, first[1]) || !strings.Contains(again.Body, `id="feed-have"`) || !strings.Contains(again.Body, "Ganti dengan alamat kalender baru") {
		t.Fatalf("the portal with an address shows it again or does not say it cannot:\n%s", again.Body)
	}

	ask := trainer.post("/console/trainer/feed", url.Values{})
	if ask.Status != http.StatusOK || !strings.Contains(ask.Body, `id="confirm-yes"`) || !strings.Contains(ask.Body, "berhenti berfungsi") ||
		feedURL.MatchString(ask.Body) {
		t.Fatalf("replacing without confirmation answered %d without asking:\n%s", ask.Status, ask.Body)
	}
	if r := e.client().get(strings.TrimPrefix(first[1], e.srv.URL)); r.Status != http.StatusOK {
		t.Fatalf("asking ended the old address: %d", r.Status)
	}
	if n := e.count("SELECT count(*) FROM feed_tokens WHERE person_id = ?", e.practitioner); n != 1 {
		t.Fatalf("%d addresses after asking, want 1", n)
	}

	replaced := trainer.post("/console/trainer/feed", url.Values{"confirm": {"yes"}})
	second := feedURL.FindStringSubmatch(replaced.Body)
	if replaced.Status != http.StatusOK || second == nil || second[1] == first[1] || !strings.Contains(replaced.Body, "alamat lama berhenti berfungsi") {
		t.Fatalf("the confirmed replacement answered %d:\n%s", replaced.Status, replaced.Body)
	}
	if r := e.client().get(strings.TrimPrefix(first[1], e.srv.URL)); r.Status != http.StatusNotFound {
		t.Fatalf("the old address still answers %d", r.Status)
	}
	if r := e.client().get(strings.TrimPrefix(second[1], e.srv.URL)); r.Status != http.StatusOK {
		t.Fatalf("the new address answered %d", r.Status)
	}
	if n := e.count(`SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'feed_token'`); n != 2 {
		t.Fatalf("%d audit rows for the addresses, want 2", n)
	}
}
