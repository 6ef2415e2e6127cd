package calendar

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

// parsed is what an independent parser read from one file.
type parsed struct {
	Method string `json:"method"`
	Events []struct {
		UID       string `json:"uid"`
		Sequence  int    `json:"sequence"`
		Status    string `json:"status"`
		Start     string `json:"start"`
		End       string `json:"end"`
		Floating  bool   `json:"floating"`
		Attendees []struct {
			Address  string `json:"address"`
			PartStat string `json:"partstat"`
			CN       string `json:"cn"`
		} `json:"attendees"`
	} `json:"events"`
}

// need skips when a parser is missing, except under CI=true, where .ci/run
// installs it and a miss fails.
func need(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is required under CI: %v", what, err)
		}
		t.Skipf("%s not available: %v", what, err)
	}
}

func runParser(t *testing.T, name string, args ...string) []parsed {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("%s: %v\n%s", name, err, ee.Stderr)
		}
		t.Fatalf("%s: %v", name, err)
	}
	var res []parsed
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("%s output: %v\n%s", name, err, out)
	}
	return res
}

// TestIndependentParsers reads every kind of generated object (REQUEST,
// update, CANCEL, feed) with ical.js and with python3-icalendar and checks
// the instants, UID, SEQUENCE and attendees both see.
func TestIndependentParsers(t *testing.T) {
	dir := t.TempDir()
	b := sampleBooking() // Makassar 09:00-10:30 on 7 December 2026
	update := b
	update.Sequence, update.Start, update.End = 3, b.Start.Add(24*time.Hour), b.End.Add(24*time.Hour)
	cancel := update
	cancel.Status, cancel.Sequence = "cancelled", 4
	other := b
	other.UID, other.Zone = "feed-2@sinergi", "Asia/Jayapura"
	objects := []struct {
		name string
		cal  *ical.Calendar
	}{
		{"request", Invite(b, "jadwal@sinergi.example.id")},
		{"update", Invite(update, "jadwal@sinergi.example.id")},
		{"cancel", Invite(cancel, "jadwal@sinergi.example.id")},
		{"feed", Feed("Sinergi", []Booking{b, other})},
	}
	var files []string
	for _, o := range objects {
		raw, err := Bytes(o.cal)
		if err != nil {
			t.Fatal(err)
		}
		if o.name == "feed" && !strings.Contains(string(raw), "DTSTART;TZID=Asia/Jayapura:20261207T100000") {
			t.Fatalf("feed does not write the Jayapura event in WIT:\n%s", raw)
		}
		f := filepath.Join(dir, o.name+".ics")
		if err := os.WriteFile(f, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	parsersDir, _ := filepath.Abs("testdata/parsers")
	_, err := os.Stat(filepath.Join(parsersDir, "node_modules", "ical.js"))
	need(t, err, "ical.js (npm ci in calendar/testdata/parsers)")
	_, err = exec.LookPath("node")
	need(t, err, "node")
	need(t, exec.Command("/usr/bin/python3", "-c", "import icalendar").Run(), "python3-icalendar")

	results := map[string][]parsed{
		"ical.js":           runParser(t, "node", append([]string{filepath.Join(parsersDir, "parse.mjs")}, files...)...),
		"python3-icalendar": runParser(t, "/usr/bin/python3", append([]string{filepath.Join(parsersDir, "parse.py")}, files...)...),
	}
	for parser, res := range results {
		t.Run(parser, func(t *testing.T) {
			if len(res) != 4 {
				t.Fatalf("%d files read", len(res))
			}
			want := []struct {
				method, status, start string
				seq                   int
				attendee              bool
			}{
				{"REQUEST", "CONFIRMED", "2026-12-07T01:00:00.000Z", 2, true}, // Makassar 09:00 is 01:00Z
				{"REQUEST", "CONFIRMED", "2026-12-08T01:00:00.000Z", 3, true},
				{"CANCEL", "CANCELLED", "2026-12-08T01:00:00.000Z", 4, true},
				{"PUBLISH", "TENTATIVE", "2026-12-07T01:00:00.000Z", 2, false},
			}
			for i, w := range want {
				got := res[i]
				if got.Method != w.method || len(got.Events) == 0 {
					t.Fatalf("%s: method %q, %d events", objects[i].name, got.Method, len(got.Events))
				}
				ev := got.Events[0]
				if ev.UID != b.UID || ev.Sequence != w.seq || ev.Status != w.status || ev.Start != w.start || ev.Floating {
					t.Errorf("%s: %+v", objects[i].name, ev)
				}
				if w.attendee {
					if len(ev.Attendees) != 1 || ev.Attendees[0].Address != "mailto:marthen@example.id" || ev.Attendees[0].PartStat != "NEEDS-ACTION" {
						t.Errorf("%s attendees: %+v", objects[i].name, ev.Attendees)
					}
				} else if len(ev.Attendees) != 0 {
					t.Errorf("feed publishes attendees: %+v", ev.Attendees)
				}
			}
			// The same instant in a Jayapura venue is written as 10:00 WIT
			// and must read back as 01:00Z.
			if feed := res[3]; len(feed.Events) != 2 || feed.Events[1].Start != "2026-12-07T01:00:00.000Z" {
				t.Errorf("feed's Jayapura event read as %+v", feed.Events)
			}
		})
	}
}
