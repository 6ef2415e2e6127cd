package calendar

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	ttemplate "text/template"
	"time"

	"github.com/emersion/go-message/mail"

	"sinergi/tz"
)

// Mail is an iMIP message to compose.
type Mail struct {
	From, FromName string
	To, ToName     string
	Method         string
	Booking        Booking
	ICS            []byte
	// AcceptURL and DeclineURL open the answer page, for people without a
	// calendar client (REQUEST only).
	AnswerURL string
	MessageID string
	Date      time.Time
	// Was describes the session before an update (REQUEST with a higher
	// SEQUENCE), so that the mail can say what changed.
	Was *Change
}

// Change is how a session was before a significant change.
type Change struct {
	Start, End time.Time
	Venue      string
	Mode       string
}

var mailText = ttemplate.Must(ttemplate.New("text").Parse(`{{.Greeting}}

{{.Lead}}

  Sesi      : {{.B.Topic}}
  Pelatihan : {{.B.CourseName}} ({{.B.Institution}})
  Waktu     : {{.When}}
  Tempat    : {{.Where}}
{{range .Changes}}  {{.}}
{{end}}{{if .Answer}}
Jawab undangan ini dari aplikasi kalender Anda (Google Calendar, Outlook,
Thunderbird, Apple), atau buka: {{.Answer}}
{{end}}
---
{{.LeadEN}}
Session: {{.B.Topic}} — {{.When}} — {{.Where}}
{{range .ChangesEN}}{{.}}
{{end}}{{if .Answer}}Answer from your calendar app, or open: {{.Answer}}{{end}}
`))

var mailHTML = template.Must(template.New("html").Parse(`<!doctype html><html lang="id"><body style="font-family:system-ui,sans-serif;max-width:36rem">
<p>{{.Greeting}}</p><p>{{.Lead}}</p>
<table style="border-collapse:collapse">
<tr><td style="padding:2px 8px;color:#555">Sesi</td><td>{{.B.Topic}}</td></tr>
<tr><td style="padding:2px 8px;color:#555">Pelatihan</td><td>{{.B.CourseName}} ({{.B.Institution}})</td></tr>
<tr><td style="padding:2px 8px;color:#555">Waktu</td><td>{{.When}}</td></tr>
<tr><td style="padding:2px 8px;color:#555">Tempat</td><td>{{.Where}}</td></tr>
</table>
{{range .Changes}}<p style="background:#fff4d6;padding:6px 8px">{{.}}</p>{{end}}
{{if .Answer}}<p><a href="{{.Answer}}" style="display:inline-block;padding:10px 16px;background:#14467a;color:#fff;border-radius:6px;text-decoration:none">Terima atau tolak / Accept or decline</a></p>{{end}}
<p style="color:#555;font-size:90%">{{.LeadEN}}</p>
</body></html>`))

// When writes a session's time in its zone: Senin, 7 Desember 2026, 09:00–10:30 WITA.
func When(b Booking) string {
	loc := tz.MustLoad(b.Zone)
	s, e := b.Start.In(loc), b.End.In(loc)
	hari := [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}[s.Weekday()]
	bulan := [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}[s.Month()-1]
	return fmt.Sprintf("%s, %d %s %d, %s–%s %s", hari, s.Day(), bulan, s.Year(), s.Format("15:04"), e.Format("15:04"), tz.Label(b.Zone))
}

// Compose writes the iMIP message: multipart/mixed holding
// multipart/alternative (text/plain, text/html, text/calendar; method=X)
// and the same object as an invite.ics attachment (RFC 6047; CalConnect).
func Compose(m Mail) ([]byte, error) {
	var h mail.Header
	h.SetDate(m.Date)
	h.SetAddressList("From", []*mail.Address{{Name: m.FromName, Address: m.From}})
	h.SetAddressList("To", []*mail.Address{{Name: m.ToName, Address: m.To}})
	h.SetMessageID(m.MessageID)
	subject := map[string]string{"REQUEST": "Undangan", "CANCEL": "Dibatalkan", "DECLINECOUNTER": "Usulan waktu ditolak"}[m.Method]
	if m.Booking.Sequence > 0 && m.Method == "REQUEST" {
		subject = "Undangan (diperbarui)"
	}
	h.SetSubject(fmt.Sprintf("%s: %s — %s", subject, m.Booking.Topic, When(m.Booking)))
	data := map[string]any{"B": m.Booking, "When": When(m.Booking), "Where": m.Booking.location(), "Answer": m.AnswerURL,
		"Greeting": "Yth. " + m.ToName + ","}
	switch m.Method {
	case "CANCEL":
		data["Lead"] = "Sesi berikut dibatalkan; jadwal di kalender Anda akan terhapus."
		data["LeadEN"] = "The session below is cancelled; it will be removed from your calendar."
		data["Answer"] = ""
	case "DECLINECOUNTER":
		data["Lead"] = "Terima kasih atas usulan waktunya. Waktu sesi tetap seperti di bawah ini."
		data["LeadEN"] = "Thank you for proposing another time. The session keeps the time below."
		data["Answer"] = ""
	default:
		if m.Was != nil {
			was := m.Booking
			was.Start, was.End, was.Venue, was.Mode = m.Was.Start, m.Was.End, m.Was.Venue, m.Was.Mode
			var id, en []string
			if !was.Start.Equal(m.Booking.Start) || !was.End.Equal(m.Booking.End) {
				id = append(id, "Waktu berubah: semula "+When(was)+", menjadi "+When(m.Booking)+".")
				en = append(en, "New time: was "+When(was)+", now "+When(m.Booking)+".")
			}
			if was.location() != m.Booking.location() {
				id = append(id, "Tempat berubah: semula "+was.location()+", menjadi "+m.Booking.location()+".")
				en = append(en, "New place: was "+was.location()+", now "+m.Booking.location()+".")
			}
			data["Changes"], data["ChangesEN"] = id, en
			data["Lead"] = "Jadwal sesi berikut berubah. Mohon jawab kembali undangan ini."
			data["LeadEN"] = "The session below has changed. Please answer the invitation again."
			break
		}
		data["Lead"] = "Anda diundang sebagai " + map[bool]string{true: "pengajar utama", false: "co-trainer"}[m.Booking.Role == "lead"] + " pada sesi berikut."
		data["LeadEN"] = "You are invited to teach the session below."
	}
	var text, html bytes.Buffer
	if err := mailText.Execute(&text, data); err != nil {
		return nil, err
	}
	if err := mailHTML.Execute(&html, data); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	iw, err := w.CreateInline()
	if err != nil {
		return nil, err
	}
	part := func(ct string, params map[string]string, body []byte) error {
		var ph mail.InlineHeader
		ph.SetContentType(ct, params)
		pw, err := iw.CreatePart(ph)
		if err != nil {
			return err
		}
		if _, err := pw.Write(body); err != nil {
			return err
		}
		return pw.Close()
	}
	if err := part("text/plain", map[string]string{"charset": "utf-8"}, text.Bytes()); err != nil {
		return nil, err
	}
	if err := part("text/html", map[string]string{"charset": "utf-8"}, html.Bytes()); err != nil {
		return nil, err
	}
	if err := part("text/calendar", map[string]string{"charset": "utf-8", "method": m.Method}, m.ICS); err != nil {
		return nil, err
	}
	if err := iw.Close(); err != nil {
		return nil, err
	}
	var ah mail.AttachmentHeader
	ah.SetContentType("application/ics", map[string]string{"name": "invite.ics"})
	ah.SetFilename("invite.ics")
	aw, err := w.CreateAttachment(ah)
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(aw, bytes.NewReader(m.ICS)); err != nil {
		return nil, err
	}
	if err := aw.Close(); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DeclineCounter is the object that answers a COUNTER.
func DeclineCounter(b Booking, organizer string) []byte {
	e := b.Event(organizer)
	raw, _ := Bytes(Build("DECLINECOUNTER", []Event{e}, true))
	return raw
}
