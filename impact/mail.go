package impact

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	ttemplate "text/template"
	"time"

	"github.com/emersion/go-message/mail"
)

// Letter is one impact message to compose: Indonesian first, English
// after.
type Letter struct {
	Kind       string
	From       string
	To, ToName string
	Course     string
	// Participant is named in the supervisor's mail.
	Participant string
	URL         string
	Expires     time.Time
	Date        time.Time
	MessageID   string
}

type wording struct {
	subject, lead, action, leadEN string
}

func (l Letter) wording() wording {
	switch {
	case l.Kind == MailPlan:
		return wording{"Rencana aksi: " + l.Course,
			"Terima kasih telah mengikuti pelatihan " + l.Course + ". Tuliskan satu sampai tiga perubahan yang akan Anda terapkan di tempat kerja (rencana aksi), masing-masing dengan indikator, nilai awal, target dan tanggal.",
			"Isi rencana aksi", "Please write one to three changes you will make at work after this course, each with an indicator, a baseline, a target and a date."}
	case l.Kind == MailFollowUp:
		return wording{"Tindak lanjut rencana aksi: " + l.Course,
			"Sudah waktunya menengok rencana aksi Anda dari pelatihan " + l.Course + ". Laporkan kemajuannya, nilai indikator saat ini dan buktinya.",
			"Laporkan kemajuan", "It is time to report the progress of your action plans: the indicator's current value and evidence."}
	case strings.HasPrefix(l.Kind, "impact_reminder_"):
		return wording{"Pengingat: tindak lanjut rencana aksi " + l.Course,
			"Kami belum menerima laporan kemajuan rencana aksi Anda dari pelatihan " + l.Course + ".",
			"Laporkan kemajuan", "Reminder: we have not yet received the progress report on your action plans."}
	case l.Kind == MailSupervisor:
		return wording{"Konfirmasi atasan: rencana aksi " + l.Participant,
			l.Participant + " telah melaporkan kemajuan rencana aksi dari pelatihan " + l.Course + ". Sebagai atasan langsung, mohon konfirmasi apakah rencana aksi terlaksana, seberapa besar perubahan perilaku kerja yang Anda amati, dan nilai indikatornya.",
			"Beri konfirmasi", "As the direct supervisor, please confirm whether the action plans were implemented, the change in behaviour you saw, and the indicator's value."}
	default:
		return wording{"Pengingat konfirmasi atasan: rencana aksi " + l.Participant,
			"Kami belum menerima konfirmasi Anda atas rencana aksi " + l.Participant + " dari pelatihan " + l.Course + ".",
			"Beri konfirmasi", "Reminder: please confirm your staff member's action plans."}
	}
}

var letterText = ttemplate.Must(ttemplate.New("text").Parse(`Yth. {{.Name}},

{{.W.lead}}

{{.W.action}}: {{.URL}}
Tautan ini hanya untuk Anda dan berlaku sampai {{.Until}}.

---
{{.W.leadEN}}
Open: {{.URL}} (valid until {{.UntilEN}}; for you only).
`))

var letterHTML = template.Must(template.New("html").Parse(`<!doctype html><html lang="id"><body style="font-family:system-ui,sans-serif;max-width:36rem">
<p>Yth. {{.Name}},</p><p>{{.W.lead}}</p>
<p><a href="{{.URL}}" style="display:inline-block;padding:10px 16px;background:#14467a;color:#fff;border-radius:6px;text-decoration:none">{{.W.action}}</a></p>
<p style="color:#555">Tautan ini hanya untuk Anda dan berlaku sampai {{.Until}}.</p>
<p style="color:#555;font-size:90%">{{.W.leadEN}}</p>
</body></html>`))

// dateID writes a date the Indonesian way: 7 Desember 2026.
func dateID(t time.Time) string {
	bulan := [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"}[t.Month()-1]
	return fmt.Sprintf("%d %s %d", t.Day(), bulan, t.Year())
}

// Compose writes the message: multipart/alternative with text and HTML.
func Compose(l Letter) ([]byte, error) {
	w := l.wording()
	var h mail.Header
	h.SetDate(l.Date)
	h.SetAddressList("From", []*mail.Address{{Name: "Sinergi", Address: l.From}})
	h.SetAddressList("To", []*mail.Address{{Name: l.ToName, Address: l.To}})
	h.SetMessageID(l.MessageID)
	h.SetSubject(w.subject)
	h.Set("Auto-Submitted", "auto-generated")
	data := map[string]any{"Name": l.ToName, "URL": l.URL, "Until": dateID(l.Expires), "UntilEN": l.Expires.Format("2 January 2006"),
		"W": map[string]string{"lead": w.lead, "action": w.action, "leadEN": w.leadEN}}
	var text, html bytes.Buffer
	if err := letterText.Execute(&text, data); err != nil {
		return nil, err
	}
	if err := letterHTML.Execute(&html, data); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	mw, err := mail.CreateInlineWriter(&buf, h)
	if err != nil {
		return nil, err
	}
	for _, part := range []struct {
		ct   string
		body []byte
	}{{"text/plain", text.Bytes()}, {"text/html", html.Bytes()}} {
		var ph mail.InlineHeader
		ph.SetContentType(part.ct, map[string]string{"charset": "utf-8"})
		pw, err := mw.CreatePart(ph)
		if err != nil {
			return nil, err
		}
		if _, err := pw.Write(part.body); err != nil {
			return nil, err
		}
		if err := pw.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
