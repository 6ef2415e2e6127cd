package calendar

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden .ics files")

// TestGolden compares generated objects with testdata/golden/*.ics; run
// with -update after an intended change and review the diff.
func TestGolden(t *testing.T) {
	b := sampleBooking()
	moved := b
	moved.Sequence, moved.Start, moved.End = 3, b.Start.AddDate(0, 0, 1), b.End.AddDate(0, 0, 1)
	cancelled := moved
	cancelled.Status, cancelled.Sequence = "cancelled", 4
	other := b
	other.UID, other.Zone, other.Status = "feed-2@sinergi", "Asia/Jayapura", "confirmed"
	cases := map[string][]byte{}
	for name, cal := range map[string]func() ([]byte, error){
		"request.ics": func() ([]byte, error) { return Bytes(Invite(b, "jadwal@sinergi.example.id")) },
		"update.ics":  func() ([]byte, error) { return Bytes(Reinvite(moved, "jadwal@sinergi.example.id")) },
		"cancel.ics":  func() ([]byte, error) { return Bytes(Invite(cancelled, "jadwal@sinergi.example.id")) },
		"feed.ics":    func() ([]byte, error) { return Bytes(Feed("Sinergi — BPSDM Sulsel", []Booking{b, other})) },
		"declinecounter.ics": func() ([]byte, error) {
			return DeclineCounter(b, "jadwal@sinergi.example.id"), nil
		},
	} {
		raw, err := cal()
		if err != nil {
			t.Fatal(err)
		}
		cases[name] = raw
	}
	for name, got := range cases {
		path := filepath.Join("testdata", "golden", name)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./calendar -run TestGolden -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
		}
	}
}
