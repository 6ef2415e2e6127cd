package calendar

import (
	"bytes"
	"mime"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
)

func TestSameMailbox(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"marthen@example.id", "Marthen@EXAMPLE.ID", true},
		{"marthen@example.id", "marthen+kalender@example.id", true},
		{"marthen@example.id", "mailto:marthen@example.id", true},
		{"m.rumbiak@gmail.com", "MRumbiak+jadwal@googlemail.com", true},
		{"m.rumbiak@gmail.com", "mrumbiak@gmail.com", true},
		{"m.rumbiak@example.id", "mrumbiak@example.id", false}, // dots matter outside Gmail
		{"marthen@example.id", "marthen@example.co.id", false},
		{"marthen@example.id", "", false},
	}
	for _, tt := range tests {
		if got := SameMailbox(tt.a, tt.b); got != tt.same {
			t.Errorf("SameMailbox(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.same)
		}
	}
}

func TestAlignedIsRelaxed(t *testing.T) {
	tests := []struct {
		a, b    string
		aligned bool
	}{
		{"mail.bpbd.go.id", "bpbd.go.id", true},
		{"bpbd.go.id", "kemendagri.go.id", false}, // go.id is a public suffix
		{"google.com", "bpbd.go.id", false},
		{"bpbd-go-id.gappssmtp.com", "bpbd.go.id", false},
		{"Example.ID", "example.id", true},
	}
	for _, tt := range tests {
		if got := Aligned(tt.a, tt.b); got != tt.aligned {
			t.Errorf("Aligned(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.aligned)
		}
	}
	if !providerBounce("2abc-x@calendar-server.bounces.google.com") || providerBounce("bounce@evil.example") {
		t.Fatal("provider bounce addresses")
	}
}

// TestSubjectIsFolded: a long subject with non-ASCII characters is folded
// by the mail writer into lines of at most 78 characters, and decodes
// back to the same text.
func TestSubjectIsFolded(t *testing.T) {
	b := sampleBooking()
	b.Topic = "Manajemen Risiko Bencana Berbasis Komunitas — studi kasus banjir bandang Luwu Utara dan Masamba"
	for _, method := range []string{"REQUEST", "CANCEL"} {
		raw, err := Compose(Mail{From: "jadwal@sinergi.example.id", FromName: b.OrganizerName(), To: b.PersonEmail, ToName: b.PersonName,
			Method: method, Booking: b, ICS: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"), Date: b.UpdatedAt, MessageID: "1@sinergi"})
		if err != nil {
			t.Fatal(err)
		}
		head, _, _ := bytes.Cut(raw, []byte("\r\n\r\n"))
		var subject []string
		inSubject := false
		for _, line := range strings.Split(string(head), "\r\n") {
			if len(line) > 78 {
				t.Errorf("%s: header line of %d characters: %q", method, len(line), line)
			}
			if strings.HasPrefix(line, "Subject:") {
				inSubject = true
			} else if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
				inSubject = false
			}
			if inSubject {
				subject = append(subject, line)
			}
		}
		if len(subject) < 2 {
			t.Errorf("%s: the subject is not folded: %q", method, subject)
		}
		m, err := mail.CreateReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		got, err := m.Header.Subject()
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"REQUEST": "Undangan (diperbarui)", "CANCEL": "Dibatalkan"}[method] + ": " + b.Topic + " — " + When(b)
		if got != want {
			t.Errorf("%s: subject decodes to %q, want %q", method, got, want)
		}
	}
	if d, _ := new(mime.WordDecoder).DecodeHeader(HeaderText("a — ñ 漢字 b")); d != "a — ñ 漢字 b" {
		t.Fatalf("adjacent encoded words lose their space: %q", d)
	}
}

func TestNoticeMail(t *testing.T) {
	b := sampleBooking()
	raw, err := ComposeNotice(Notice{From: "jadwal@sinergi.example.id", FromName: b.OrganizerName(), To: b.PersonEmail, ToName: b.PersonName,
		Booking: b, AnswerURL: "https://sinergi.example.id/r/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", Date: time.Now(), MessageID: "2@sinergi"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := RenderPreview(raw)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Subject, "Mohon jawab kembali") || p.Calendar != "" ||
		!strings.Contains(p.Text, "/r/"+TokenPlaceholder) || !strings.Contains(p.Text, "hubungi panitia BPSDM Sulsel") {
		t.Fatalf("%+v", p)
	}
	if id, en := strings.Index(p.Text, "Jawaban Anda"), strings.Index(p.Text, "Please answer"); id < 0 || en < id {
		t.Fatal("the notice is not Indonesian first")
	}
}
