package calendar

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixturesDir holds real messages from Google, Outlook, Exchange, iCloud,
// Thunderbird, Nextcloud, Stalwart and libical (../shared/fixtures/itip).
const fixturesDir = "../../shared/fixtures/itip"

// parseFile reads a fixture: a raw message (.eml) or an iCalendar file.
func parseFile(t *testing.T, name string) []ITIP {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixturesDir, name))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("fixture: %v", err)
		}
		t.Skipf("fixtures not here: %v", err)
	}
	if !strings.HasSuffix(name, ".eml") {
		its, err := ParseITIP(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return its
	}
	m, err := ParseMessage(raw)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []ITIP
	for _, c := range m.Calendars {
		its, err := ParseITIP(c)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, its...)
	}
	return out
}

func TestInteropReplies(t *testing.T) {
	tests := []struct {
		file, attendee, partstat, uidPrefix string
	}{
		{"google-reply-accepted-to-outlook-invite.ics", "karim@example.com", "ACCEPTED", "040000008200E00074C5B7101A82E008"},
		{"google-reply-tentative-to-outlook-invite.ics", "test1@example.com", "TENTATIVE", "040000008200E00074C5B7101A82E008"},
		{"google-reply-declined.ics", "karim@example.com", "DECLINED", "cccc@nylas.com"},
		{"outlook-teams-reply-accepted-unfolded.ics", "dack@example.com", "ACCEPTED", "040000008200E00074C5B7101A82E008"},
		{"nextcloud-reply-accepted-allday-folded-cn.ics", "pierre@general-store.com", "ACCEPTED", "dcc733bf-b2b2-41f2-a8cf-550ae4"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			its := parseFile(t, tt.file)
			if len(its) != 1 || its[0].Method != "REPLY" || len(its[0].Events) != 1 {
				t.Fatalf("%+v", its)
			}
			ev := its[0].Events[0]
			if len(ev.Attendees) != 1 || ev.Attendees[0].Email != tt.attendee || ev.Attendees[0].PartStat != tt.partstat ||
				!strings.HasPrefix(ev.UID, tt.uidPrefix) {
				t.Fatalf("%+v", ev)
			}
		})
	}
	t.Run("stalwart-reply-delegated-accepted.ics has two attendees, which processing refuses", func(t *testing.T) {
		its := parseFile(t, "stalwart-reply-delegated-accepted.ics")
		if its[0].Method != "REPLY" || len(its[0].Events[0].Attendees) != 2 {
			t.Fatalf("%+v", its)
		}
	})
}

func TestInteropOtherMethods(t *testing.T) {
	tests := map[string][]string{
		"apple-icloud-cancel-europe-paris.ics":                 {"CANCEL"},
		"outlook-request-romance-standard-time.ics":            {"REQUEST"},
		"outlook-desktop-publish-tab-folded.ics":               {"PUBLISH"},
		"stalwart-cancel-single-instance-recurrence-id.ics":    {"CANCEL"},
		"libical-incoming-itip-sequence.ics":                   {"REQUEST", "REQUEST", "REQUEST", "REPLY", "REPLY", "REPLY", "REPLY", "CANCEL", "COUNTER"},
		"outlook-request-fle-standard-time.eml":                {"REQUEST"},
		"outlook-com-request-w-europe-standard-time.eml":       {"REQUEST"},
		"google-request-europe-berlin.eml":                     {"REQUEST"},
		"thunderbird-test-cancel-repeat-event.eml":             {"CANCEL"},
		"thunderbird-test-exception-request-recurrence-id.eml": {"REQUEST"},
		"libical-request-multipart-qp-and-base64.eml":          {"REQUEST", ""},
	}
	for file, methods := range tests {
		t.Run(file, func(t *testing.T) {
			its := parseFile(t, file)
			var got []string
			for _, it := range its {
				got = append(got, it.Method)
				if len(it.Events) == 0 || it.Events[0].UID == "" {
					t.Fatalf("no event with a UID: %+v", it)
				}
			}
			if strings.Join(got, ",") != strings.Join(methods, ",") {
				t.Fatalf("methods %v, want %v", got, methods)
			}
		})
	}
	t.Run("the single-instance CANCEL keeps its RECURRENCE-ID", func(t *testing.T) {
		if its := parseFile(t, "stalwart-cancel-single-instance-recurrence-id.ics"); its[0].Events[0].RecurrenceID == "" {
			t.Fatal("no RECURRENCE-ID")
		}
	})
}

func TestBrokenInputIsAClearError(t *testing.T) {
	for name, raw := range map[string]string{
		"empty":               "",
		"not a calendar":      "hello world",
		"unterminated":        "BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\nUID:x\r\n",
		"garbage property":    "BEGIN:VCALENDAR\r\n;;;\r\nEND:VCALENDAR\r\n",
		"message without ics": "From: a@b.c\r\nContent-Type: text/plain\r\n\r\nhi\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			if strings.HasPrefix(raw, "From:") {
				if _, err := ParseMessage([]byte(raw)); err != ErrNoCalendar {
					t.Fatalf("got %v", err)
				}
				return
			}
			if _, err := ParseITIP([]byte(raw)); err == nil {
				t.Fatal("no error")
			}
		})
	}
}

func FuzzParseMessage(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixturesDir, "*"))
	for _, file := range files {
		if raw, err := os.ReadFile(file); err == nil && !strings.HasSuffix(file, ".md") {
			f.Add(raw)
		}
	}
	f.Add([]byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/calendar\r\nContent-Transfer-Encoding: base64\r\n\r\nQkVHSU46VkNBTEVOREFS\r\n--x--\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, _ := ParseMessage(raw)
		for _, c := range m.Calendars {
			_, _ = ParseITIP(c)
		}
		_, _ = ParseITIP(raw)
	})
}
