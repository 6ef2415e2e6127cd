package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

func sampleBooking() Booking {
	start := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC) // 09:00 WITA
	return Booking{ID: 1, UID: "0b6f4c1e-1111-4222-8333-444455556666@sinergi", Sequence: 2, Status: "invited", SessionStatus: "scheduled",
		Start: start, End: start.Add(90 * time.Minute), Zone: "Asia/Makassar",
		Topic: "Manajemen Risiko Bencana; studi kasus, banjir \"Sulsel\" — ñ 漢字 dengan judul yang sangat panjang sekali", CourseName: "PKP",
		Venue: "Aula BPSDM, Makassar", Mode: "offline", Role: "co_trainer", PersonName: `Marthen "Mat" Rumbiak`,
		PersonEmail: "Marthen@Example.ID", LeadName: "Dewi Lestari", Institution: "BPSDM Sulsel", UpdatedAt: start.Add(-48 * time.Hour)}
}

// checkLines asserts RFC 5545 §3.1 on raw output.
func checkLines(t *testing.T, raw []byte) {
	t.Helper()
	if !bytes.HasSuffix(raw, []byte("END:VCALENDAR\r\n")) || bytes.HasSuffix(raw, []byte("\r\n\r\n")) {
		t.Fatal("does not end with one CRLF after END:VCALENDAR")
	}
	for _, line := range bytes.Split(bytes.TrimSuffix(raw, []byte("\r\n")), []byte("\r\n")) {
		if len(line) > 75 || bytes.ContainsAny(line, "\r\n") || !utf8.Valid(line) {
			t.Fatalf("bad line (%d octets): %q", len(line), line)
		}
	}
}

func TestInviteObject(t *testing.T) {
	raw, err := Bytes(Invite(sampleBooking(), "jadwal@sinergi.example.id"))
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, raw)
	cal, err := ical.NewDecoder(bytes.NewReader(raw)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := cal.Props.Text(ical.PropMethod); m != "REQUEST" {
		t.Fatalf("method %q", m)
	}
	if cal.Children[0].Name != ical.CompTimezone {
		t.Fatal("VTIMEZONE is not first")
	}
	ev := cal.Events()[0]
	loc, _ := time.LoadLocation("Asia/Makassar")
	start, err := ev.DateTimeStart(loc)
	if err != nil || !start.Equal(time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)) {
		t.Fatalf("start %v %v", start, err)
	}
	if p := ev.Props.Get(ical.PropDateTimeStart); p.Params.Get(ical.ParamTimezoneID) != "Asia/Makassar" || p.Value != "20261207T090000" {
		t.Fatalf("DTSTART %+v", p)
	}
	att := ev.Props.Get(ical.PropAttendee)
	if att.Value != "mailto:marthen@example.id" || att.Params.Get(ical.ParamRSVP) != "TRUE" || att.Params.Get(ical.ParamParticipationStatus) != "NEEDS-ACTION" ||
		strings.Contains(att.Params.Get(ical.ParamCommonName), `"`) {
		t.Fatalf("ATTENDEE %+v", att)
	}
	if org := ev.Props.Get(ical.PropOrganizer); org.Value != "mailto:jadwal@sinergi.example.id" || org.Params.Get(ical.ParamCommonName) != "BPSDM Sulsel" {
		t.Fatalf("ORGANIZER %+v", org)
	}
	if summary, _ := ev.Props.Text(ical.PropSummary); !strings.Contains(summary, `studi kasus, banjir "Sulsel" — ñ 漢字`) {
		t.Fatalf("summary %q", summary)
	}
	if seq := ev.Props.Get(ical.PropSequence); seq.Value != "2" {
		t.Fatal("sequence")
	}
	t.Run("a cancelled booking is a CANCEL with the same UID and ORGANIZER, asking for no reply", func(t *testing.T) {
		b := sampleBooking()
		b.Status, b.Sequence = "cancelled", 3
		b.LeadName = "" // the lead's booking is gone too: the organizer's name does not follow it
		raw, _ := Bytes(Invite(b, "jadwal@sinergi.example.id"))
		unfolded := bytes.ReplaceAll(raw, []byte("\r\n "), nil)
		if !bytes.Contains(raw, []byte("METHOD:CANCEL")) || !bytes.Contains(raw, []byte("STATUS:CANCELLED")) ||
			!bytes.Contains(raw, []byte("UID:"+b.UID)) || !bytes.Contains(raw, []byte("SEQUENCE:3")) {
			t.Fatalf("%s", raw)
		}
		if bytes.Contains(unfolded, []byte("RSVP")) {
			t.Fatalf("a CANCEL asks for a reply:\n%s", raw)
		}
		if !bytes.Contains(unfolded, []byte("ORGANIZER;CN=BPSDM Sulsel:mailto:jadwal@sinergi.example.id")) {
			t.Fatalf("the CANCEL's ORGANIZER differs from the REQUEST's:\n%s", raw)
		}
	})
	t.Run("the attendee's PARTSTAT is the booking's state; only an open REQUEST asks for RSVP", func(t *testing.T) {
		for status, want := range map[string]string{"invited": "NEEDS-ACTION", "accepted": "ACCEPTED", "tentative": "TENTATIVE",
			"confirmed": "ACCEPTED", "completed": "ACCEPTED", "declined": "DECLINED", "cancelled": "NEEDS-ACTION"} {
			b := sampleBooking()
			b.Status = status
			cal := Invite(b, "jadwal@sinergi.example.id")
			att := cal.Events()[0].Props.Get(ical.PropAttendee)
			rsvp := att.Params.Get(ical.ParamRSVP)
			if att.Params.Get(ical.ParamParticipationStatus) != want || (rsvp == "TRUE") != (status == "invited") {
				t.Errorf("%s: PARTSTAT %s RSVP %q, want %s", status, att.Params.Get(ical.ParamParticipationStatus), rsvp, want)
			}
		}
	})
	t.Run("an update asks again, whatever the earlier answer", func(t *testing.T) {
		b := sampleBooking()
		b.Status = "accepted"
		att := Reinvite(b, "jadwal@sinergi.example.id").Events()[0].Props.Get(ical.PropAttendee)
		if att.Params.Get(ical.ParamParticipationStatus) != "NEEDS-ACTION" || att.Params.Get(ical.ParamRSVP) != "TRUE" {
			t.Fatalf("ATTENDEE %+v", att)
		}
	})
}

func TestFeedHasNoAddresses(t *testing.T) {
	b := sampleBooking()
	other := b
	other.UID, other.Zone, other.Status = "x@sinergi", "Asia/Jayapura", "cancelled"
	raw, _ := Bytes(Feed("Sinergi — BPSDM, Sulsel", []Booking{b, other}))
	checkLines(t, raw)
	for _, want := range []string{"METHOD:PUBLISH", "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H", "TZID:Asia/Makassar",
		"TZID:Asia/Jayapura", "STATUS:CANCELLED", "STATUS:TENTATIVE", `X-WR-CALNAME:Sinergi — BPSDM\, Sulsel`} {
		if !bytes.Contains(raw, []byte(want)) {
			t.Errorf("feed lacks %q", want)
		}
	}
	if bytes.Contains(raw, []byte("mailto:")) || bytes.Contains(raw, []byte("ATTENDEE")) {
		t.Fatal("feed publishes addresses")
	}
}

func TestFolderNeverSplitsUTF8(t *testing.T) {
	for n := 60; n < 200; n++ {
		var buf bytes.Buffer
		f := &Folder{W: &buf}
		_, _ = f.Write([]byte("SUMMARY:" + strings.Repeat("é漢", n/3) + strings.Repeat("x", n%7) + "\r\n"))
		checkLines(t, append(buf.Bytes(), []byte("END:VCALENDAR\r\n")...))
		unfolded := strings.ReplaceAll(buf.String(), "\r\n ", "")
		if !strings.HasPrefix(unfolded, "SUMMARY:"+strings.Repeat("é漢", n/3)) {
			t.Fatalf("unfolding does not restore the line: %q", unfolded)
		}
	}
}

func FuzzFolder(f *testing.F) {
	f.Add([]byte("DESCRIPTION:" + strings.Repeat("ñ", 100)))
	f.Add([]byte("X:\xff\xfe" + strings.Repeat("a", 80)))
	f.Fuzz(func(t *testing.T, line []byte) {
		line = bytes.ReplaceAll(bytes.ReplaceAll(line, []byte("\r"), nil), []byte("\n"), nil)
		var buf bytes.Buffer
		f := &Folder{W: &buf}
		_, _ = f.Write(append(line, '\r', '\n'))
		out := buf.Bytes()
		for _, l := range bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n")) {
			if len(l) > 75 {
				t.Fatalf("line of %d octets", len(l))
			}
		}
		if got := bytes.ReplaceAll(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n "), nil); !bytes.Equal(got, line) {
			t.Fatalf("unfolded %q, want %q", got, line)
		}
	})
}

// A personal feed made before the person's first session is still a
// calendar clients can subscribe to: it encodes, with no event.
func TestEmptyFeedEncodes(t *testing.T) {
	b, err := Bytes(Feed("Sinergi — Marthen Rumbiak", nil))
	if err != nil {
		t.Fatalf("an empty feed does not encode: %v", err)
	}
	if s := string(b); !strings.Contains(s, "BEGIN:VCALENDAR") || !strings.Contains(s, "X-WR-CALNAME") || strings.Contains(s, "BEGIN:VEVENT") {
		t.Fatalf("the empty feed reads:\n%s", s)
	}
}
