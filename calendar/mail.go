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

	"sinergi/i18n"
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

// mailFuncs gives the mail templates the catalogue: id tells an English
// text in Indonesian, en in English. The mail is in
// Indonesian first, with an English summary.
var mailFuncs = map[string]any{
	"id": func(format string, args ...any) string { return i18n.Sprintf(i18n.Indonesian, format, args...) },
	"en": func(format string, args ...any) string { return i18n.Sprintf(i18n.English, format, args...) },
}

var mailText = ttemplate.Must(ttemplate.New("text").Funcs(mailFuncs).Parse(`{{.Greeting}}

{{.Lead}}

  {{printf "%-10s" (id "Session")}}: {{.B.Topic}}
  {{printf "%-10s" (id "Course")}}: {{.B.CourseName}} ({{.B.Institution}})
  {{printf "%-10s" (id "Time")}}: {{.When}}
  {{printf "%-10s" (id "Place")}}: {{.Where}}
{{range .Changes}}  {{.}}
{{end}}{{if .Answer}}
{{id "Answer this invitation from your calendar app (Google Calendar, Outlook,\nThunderbird, Apple), or open: %s" .Answer}}
{{end}}
---
{{.LeadEN}}
{{en "Session: %s — %s — %s" .B.Topic .WhenEN .Where}}
{{range .ChangesEN}}{{.}}
{{end}}{{if .Answer}}{{en "Answer from your calendar app, or open: %s" .Answer}}{{end}}
`))

var mailHTML = template.Must(template.New("html").Funcs(mailFuncs).Parse(`<!doctype html><html lang="id"><body style="font-family:system-ui,sans-serif;max-width:36rem">
<p>{{.Greeting}}</p><p>{{.Lead}}</p>
<table style="border-collapse:collapse">
<tr><td style="padding:2px 8px;color:#555">{{id "Session"}}</td><td>{{.B.Topic}}</td></tr>
<tr><td style="padding:2px 8px;color:#555">{{id "Course"}}</td><td>{{.B.CourseName}} ({{.B.Institution}})</td></tr>
<tr><td style="padding:2px 8px;color:#555">{{id "Time"}}</td><td>{{.When}}</td></tr>
<tr><td style="padding:2px 8px;color:#555">{{id "Place"}}</td><td>{{.Where}}</td></tr>
</table>
{{range .Changes}}<p style="background:#fff4d6;padding:6px 8px">{{.}}</p>{{end}}
{{if .Answer}}<p><a href="{{.Answer}}" style="display:inline-block;padding:10px 16px;background:#14467a;color:#fff;border-radius:6px;text-decoration:none">{{id "Accept or decline"}} / {{en "Accept or decline"}}</a></p>{{end}}
<p style="color:#555;font-size:90%">{{.LeadEN}}</p>
</body></html>`))

// When writes a session's time in its zone: Senin, 7 Desember 2026, 09:00–10:30 WITA.
func When(b Booking) string { return Span(b).Tell(i18n.Indonesian) }

// Span is the booking's time in the venue zone with its label, to be told
// in any language.
func Span(b Booking) i18n.Span {
	loc := tz.MustLoad(b.Zone)
	return i18n.Span{Start: b.Start.In(loc), End: b.End.In(loc), Label: tz.Label(b.Zone)}
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
	subject := map[string]string{"REQUEST": "Invitation", "CANCEL": "Cancelled", "DECLINECOUNTER": "Proposed time declined"}[m.Method]
	if m.Booking.Sequence > 0 && m.Method == "REQUEST" {
		subject = "Invitation (updated)"
	}
	h.Set("Subject", HeaderText(i18n.Sprintf(i18n.Indonesian, "%s: %s — %s", subject, m.Booking.Topic, When(m.Booking))))
	both := func(key string, args ...any) (string, string) {
		return i18n.Sprintf(i18n.Indonesian, key, args...), i18n.Sprintf(i18n.English, key, args...)
	}
	data := map[string]any{"B": m.Booking, "When": When(m.Booking), "WhenEN": Span(m.Booking).Tell(i18n.English),
		"Where": m.Booking.Location(), "Answer": m.AnswerURL, "Greeting": i18n.Sprintf(i18n.Indonesian, "Dear %s,", m.ToName)}
	switch m.Method {
	case "CANCEL":
		data["Lead"], data["LeadEN"] = both("The session below is cancelled; it will be removed from your calendar.")
		data["Answer"] = ""
	case "DECLINECOUNTER":
		data["Lead"], data["LeadEN"] = both("Thank you for proposing another time. The session keeps the time below.")
		data["Answer"] = ""
	default:
		if m.Was != nil {
			was := m.Booking
			was.Start, was.End, was.Venue, was.Mode = m.Was.Start, m.Was.End, m.Was.Venue, m.Was.Mode
			var id, en []string
			if !was.Start.Equal(m.Booking.Start) || !was.End.Equal(m.Booking.End) {
				i, e := both("New time: was %s, now %s.", Span(was), Span(m.Booking))
				id, en = append(id, i), append(en, e)
			}
			if was.Location() != m.Booking.Location() {
				i, e := both("New place: was %s, now %s.", was.Location(), m.Booking.Location())
				id, en = append(id, i), append(en, e)
			}
			data["Changes"], data["ChangesEN"] = id, en
			data["Lead"], data["LeadEN"] = both("The session below has changed. Please answer the invitation again.")
			break
		}
		role := "co-trainer"
		if m.Booking.Role == "lead" {
			role = "lead trainer"
		}
		data["Lead"] = i18n.Sprintf(i18n.Indonesian, "You are invited as %s for the session below.", role)
		data["LeadEN"] = i18n.Sprintf(i18n.English, "You are invited to teach the session below.")
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

Mohon jawab (terima, belum pasti, atau tolak) melalui tautan ini:
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
	data := map[string]any{"N": n, "When": When(n.Booking), "Where": n.Booking.Location()}
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
	e := eventOf(b, organizer)
	raw, _ := Bytes(Build("DECLINECOUNTER", []Event{e}, true))
	return raw
}
