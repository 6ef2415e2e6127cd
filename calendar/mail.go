package calendar

import (
	"bytes"
	"html/template"
	"io"
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
	h.SetSubject(i18n.Sprintf(i18n.Indonesian, "%s: %s — %s", subject, m.Booking.Topic, When(m.Booking)))
	both := func(key string, args ...any) (string, string) {
		return i18n.Sprintf(i18n.Indonesian, key, args...), i18n.Sprintf(i18n.English, key, args...)
	}
	data := map[string]any{"B": m.Booking, "When": When(m.Booking), "WhenEN": Span(m.Booking).Tell(i18n.English),
		"Where": m.Booking.location(), "Answer": m.AnswerURL, "Greeting": i18n.Sprintf(i18n.Indonesian, "Dear %s,", m.ToName)}
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
			if was.location() != m.Booking.location() {
				i, e := both("New place: was %s, now %s.", was.location(), m.Booking.location())
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
