package calendar

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"mime"
	"strings"
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
	return fmt.Sprintf("%s, %s–%s %s", Day(s, b.Zone), s.Format("15:04"), e.Format("15:04"), tz.Label(b.Zone))
}

// Day writes the date of t in zone: Senin, 14 Desember 2026.
func Day(t time.Time, zone string) string {
	t = t.In(tz.MustLoad(zone))
	hari := [...]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}[t.Weekday()]
	bulan := [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}[t.Month()-1]
	return fmt.Sprintf("%s, %d %s %d", hari, t.Day(), bulan, t.Year())
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
	h.Set("Subject", HeaderText(fmt.Sprintf("%s: %s — %s", subject, m.Booking.Topic, When(m.Booking))))
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
	if err := writeAlternative(w, part{"text/plain", nil, text.Bytes()}, part{"text/html", nil, html.Bytes()},
		part{"text/calendar", map[string]string{"method": m.Method}, m.ICS}); err != nil {
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

// part is one alternative of a message body.
type part struct {
	ct     string
	params map[string]string
	body   []byte
}

// writeAlternative writes a multipart/alternative of the parts, UTF-8.
func writeAlternative(w *mail.Writer, parts ...part) error {
	iw, err := w.CreateInline()
	if err != nil {
		return err
	}
	for _, p := range parts {
		params := map[string]string{"charset": "utf-8"}
		for k, v := range p.params {
			params[k] = v
		}
		var ph mail.InlineHeader
		ph.SetContentType(p.ct, params)
		pw, err := iw.CreatePart(ph)
		if err != nil {
			return err
		}
		if _, err := pw.Write(p.body); err != nil {
			return err
		}
		if err := pw.Close(); err != nil {
			return err
		}
	}
	return iw.Close()
}

// HeaderText encodes s for an unstructured header field (Subject): each
// word that is not plain ASCII becomes its own short RFC 2047 encoded-word
// (Q, UTF-8), so that the mail writer can fold the field at the spaces
// between words and no line passes 78 characters. Between two encoded
// words the space travels inside the first, since decoders drop the
// whitespace between adjacent encoded-words.
func HeaderText(s string) string {
	words := strings.Split(s, " ")
	plain := func(w string) bool {
		if strings.Contains(w, "=?") {
			return false
		}
		for i := 0; i < len(w); i++ {
			if w[i] < 0x20 || w[i] > 0x7e {
				return false
			}
		}
		return true
	}
	out := make([]string, len(words))
	for i, w := range words {
		if plain(w) {
			out[i] = w
			continue
		}
		if i+1 < len(words) && !plain(words[i+1]) {
			w += " "
		}
		out[i] = mime.QEncoding.Encode("utf-8", w)
	}
	return strings.Join(out, " ")
}

// Notice is a plain mail about a booking to its person, without a
// calendar object.
type Notice struct {
	From, FromName string
	To, ToName     string
	Booking        Booking
	AnswerURL      string
	MessageID      string
	Date           time.Time
}

var noticeText = ttemplate.Must(ttemplate.New("notice").Parse(`Yth. {{.N.ToName}},

Kami menerima balasan dari aplikasi kalender Anda atas undangan sesi di bawah
ini, tetapi balasan itu belum dapat kami catat secara otomatis. Jawaban Anda
belum tercatat.

  Sesi      : {{.N.Booking.Topic}}
  Pelatihan : {{.N.Booking.CourseName}} ({{.N.Booking.Institution}})
  Waktu     : {{.When}}
  Tempat    : {{.Where}}

Mohon jawab (terima, mungkin, atau tolak) melalui tautan ini:
{{.N.AnswerURL}}

Tautan berlaku sampai tujuh hari setelah sesi selesai. Jika ada pertanyaan,
hubungi panitia {{.N.Booking.Institution}}.
---
We received a reply from your calendar to the invitation above but could not
record it automatically, so your answer is not recorded yet. Please answer
with this link: {{.N.AnswerURL}}
Questions: contact the organisers at {{.N.Booking.Institution}}.
`))

var noticeHTML = template.Must(template.New("notice").Parse(`<!doctype html><html lang="id"><body style="font-family:system-ui,sans-serif;max-width:36rem">
<p>Yth. {{.N.ToName}},</p>
<p>Kami menerima balasan dari aplikasi kalender Anda atas undangan sesi di bawah ini, tetapi balasan itu belum dapat kami catat secara otomatis. <strong>Jawaban Anda belum tercatat.</strong></p>
<table style="border-collapse:collapse">
<tr><td style="padding:2px 8px;color:#555">Sesi</td><td>{{.N.Booking.Topic}}</td></tr>
<tr><td style="padding:2px 8px;color:#555">Pelatihan</td><td>{{.N.Booking.CourseName}} ({{.N.Booking.Institution}})</td></tr>
<tr><td style="padding:2px 8px;color:#555">Waktu</td><td>{{.When}}</td></tr>
<tr><td style="padding:2px 8px;color:#555">Tempat</td><td>{{.Where}}</td></tr>
</table>
<p><a href="{{.N.AnswerURL}}" style="display:inline-block;padding:10px 16px;background:#14467a;color:#fff;border-radius:6px;text-decoration:none">Jawab undangan / Answer the invitation</a></p>
<p>Tautan berlaku sampai tujuh hari setelah sesi selesai. Jika ada pertanyaan, hubungi panitia {{.N.Booking.Institution}}.</p>
<p style="color:#555;font-size:90%">We received a reply from your calendar but could not record it automatically, so your answer is not recorded yet. Please answer with the button above. Questions: contact the organisers at {{.N.Booking.Institution}}.</p>
</body></html>`))

// ComposeNotice writes the mail that sends a person a new answer link
// because a calendar reply could not be recorded: Indonesian first, then
// English, text and HTML.
func ComposeNotice(n Notice) ([]byte, error) {
	var h mail.Header
	h.SetDate(n.Date)
	h.SetAddressList("From", []*mail.Address{{Name: n.FromName, Address: n.From}})
	h.SetAddressList("To", []*mail.Address{{Name: n.ToName, Address: n.To}})
	h.SetMessageID(n.MessageID)
	h.Set("Subject", HeaderText(fmt.Sprintf("Mohon jawab kembali: %s — %s", n.Booking.Topic, When(n.Booking))))
	data := map[string]any{"N": n, "When": When(n.Booking), "Where": n.Booking.location()}
	var text, html bytes.Buffer
	if err := noticeText.Execute(&text, data); err != nil {
		return nil, err
	}
	if err := noticeHTML.Execute(&html, data); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w, err := mail.CreateWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	if err := writeAlternative(w, part{"text/plain", nil, text.Bytes()}, part{"text/html", nil, html.Bytes()}); err != nil {
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
