package api_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-msgauth/dkim"
	"github.com/emersion/go-smtp"

	"sinergi/calendar"
)

// sink is a real SMTP server on loopback that keeps what arrives.
type sink struct {
	mu   sync.Mutex
	msgs [][]byte
	srv  *smtp.Server
	addr string
}

type sinkSession struct{ s *sink }

func (s *sink) NewSession(*smtp.Conn) (smtp.Session, error) { return sinkSession{s}, nil }
func (sinkSession) Reset()                                  {}
func (sinkSession) Logout() error                           { return nil }
func (sinkSession) Mail(string, *smtp.MailOptions) error    { return nil }
func (sinkSession) Rcpt(string, *smtp.RcptOptions) error    { return nil }
func (x sinkSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, b)
	x.s.mu.Unlock()
	return err
}

// startSink listens on addr ("127.0.0.1:0" for any port).
func startSink(t *testing.T, addr string) *sink {
	t.Helper()
	s := &sink{}
	s.srv = smtp.NewServer(s)
	s.srv.Domain = "localhost"
	s.srv.AllowInsecureAuth = true
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s.addr = l.Addr().String()
	go func() { _ = s.srv.Serve(l) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

func (s *sink) received() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.msgs...)
}

// invitedBooking books a practitioner and invites them; it returns the
// booking id and UID.
func invitedBooking(e *env) (int64, string, int64) {
	e.t.Helper()
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON("marthen@example.id"))
	r := e.book(s, p, "co_trainer")
	r = e.transition(e.staffA, r.id(), "invited")
	e.expect(r, http.StatusOK, "")
	if r.Body["mail_error"] != nil {
		e.t.Fatalf("mail: %v", r.Body["mail_error"])
	}
	return r.id(), r.Body["uid"].(string), s
}

// deliver runs one pass of the outbox through the service's own SMTP
// sender, without TLS, to addr.
func deliver(e *env, addr string) (int, int) {
	e.t.Helper()
	sender := calendar.SMTP{Addr: addr, Plain: true, From: "jadwal@sinergi.example.id"}
	sent, failed, err := e.outbox.Deliver(context.Background(), 10, 3, sender.Send)
	must(e.t, err)
	return sent, failed
}

func TestInvitationMail(t *testing.T) {
	e := newEnv(t)
	b, uid, _ := invitedBooking(e)
	srv := startSink(t, "127.0.0.1:0")
	if sent, _ := deliver(e, srv.addr); sent != 1 {
		t.Fatalf("sent %d", sent)
	}
	got := srv.received()
	if len(got) != 1 {
		t.Fatalf("%d messages arrived", len(got))
	}
	msg, err := mail.ReadMessage(bytes.NewReader(got[0]))
	must(t, err)
	if to := msg.Header.Get("To"); !strings.Contains(to, "marthen@example.id") {
		t.Fatalf("To %q", to)
	}
	ct, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if ct != "multipart/mixed" {
		t.Fatalf("top part %s", ct)
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	alt, err := mr.NextPart()
	must(t, err)
	act, aparams, _ := mime.ParseMediaType(alt.Header.Get("Content-Type"))
	if act != "multipart/alternative" {
		t.Fatalf("first part %s", act)
	}
	var inner []string
	var calendarBody, plainBody string
	ar := multipart.NewReader(alt, aparams["boundary"])
	for {
		p, err := ar.NextPart()
		if err != nil {
			break
		}
		ct, ps, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		inner = append(inner, ct+";method="+ps["method"])
		body, _ := io.ReadAll(p)
		switch ct {
		case "text/calendar":
			calendarBody = decodeTransfer(p.Header.Get("Content-Transfer-Encoding"), body)
		case "text/plain":
			plainBody = decodeTransfer(p.Header.Get("Content-Transfer-Encoding"), body)
		}
	}
	if strings.Join(inner, ",") != "text/plain;method=,text/html;method=,text/calendar;method=REQUEST" {
		t.Fatalf("alternative parts %v", inner)
	}
	if !strings.Contains(calendarBody, "METHOD:REQUEST") || !strings.Contains(calendarBody, "UID:"+uid) {
		t.Fatalf("calendar part %s", calendarBody)
	}
	att, err := mr.NextPart()
	must(t, err)
	if att.FileName() != "invite.ics" {
		t.Fatalf("attachment %v", att.Header)
	}
	t.Run("the answer link in the mail accepts the booking", func(t *testing.T) {
		text := plainBody
		i := strings.Index(text, "https://sinergi.example.id/r/")
		if i < 0 {
			t.Fatal("no answer link")
		}
		link := text[i+len("https://sinergi.example.id") : i+len("https://sinergi.example.id/r/")+43]
		page := e.do("GET", link, "", nil)
		if page.Status != 200 || !strings.Contains(string(page.Raw), "belum dijawab") {
			t.Fatalf("page %d %s", page.Status, page.Raw)
		}
		form := e.do("POST", link, "", "answer=accepted", "Content-Type", "application/x-www-form-urlencoded")
		if form.Status != 200 || !strings.Contains(string(form.Raw), "diterima") {
			t.Fatalf("answer %d %s", form.Status, form.Raw)
		}
		if st := e.do("GET", fmt.Sprintf("/v1/bookings/%d", b), e.staffA, nil).Body["status"]; st != "accepted" {
			t.Fatalf("booking is %v", st)
		}
		if r := e.do("GET", "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", nil); r.Status != 404 {
			t.Fatalf("unknown link %d", r.Status)
		}
	})
}

func decodeTransfer(enc string, body []byte) string {
	if strings.EqualFold(enc, "base64") {
		out, _ := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(body)), ""))
		return string(out)
	}
	if strings.EqualFold(enc, "quoted-printable") {
		out, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		return string(out)
	}
	return string(body)
}

// TestSMTPOutageLosesNothing: with the server down the message waits,
// and it goes out once the server is back.
func TestSMTPOutageLosesNothing(t *testing.T) {
	e := newEnv(t)
	invitedBooking(e)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	if sent, failed := deliver(e, addr); sent != 0 || failed != 1 {
		t.Fatalf("sent %d failed %d", sent, failed)
	}
	r := e.do("GET", "/v1/outbox?status=pending", e.staffA, nil)
	items := r.items()
	if len(items) != 1 || items[0]["attempts"] != float64(1) || items[0]["last_error"] == "" {
		t.Fatalf("outbox %s", r.Raw)
	}
	if sent, _ := deliver(e, addr); sent != 0 {
		t.Fatal("retried before its backoff")
	}
	srv := startSink(t, addr)
	e.expect(e.do("POST", fmt.Sprintf("/v1/outbox/%d/retry", int64(items[0]["id"].(float64))), e.staffA, nil), http.StatusNoContent, "")
	if sent, _ := deliver(e, addr); sent != 1 || len(srv.received()) != 1 {
		t.Fatalf("not delivered after the outage")
	}
	t.Run("after too many attempts a message is dead and visible", func(t *testing.T) {
		must(t, e.db.Exec(`INSERT INTO outbox (institution_id, kind, recipient, message, attempts) VALUES (?, 'REQUEST', 'x@example.id', 'x', 2)`, e.instA).Error)
		_, _, err := e.outbox.Deliver(context.Background(), 10, 3, func(string, []byte) error { return fmt.Errorf("550 mailbox unavailable") })
		must(t, err)
		dead := e.do("GET", "/v1/outbox?status=dead", e.staffA, nil).items()
		if len(dead) != 1 || !strings.Contains(dead[0]["last_error"].(string), "550") {
			t.Fatalf("dead letters %v", dead)
		}
	})
}

// reply builds a REPLY e-mail in the shape of a client.
type reply struct {
	from, attendee, partstat, uid, method string
	sequence                              int
	extraAttendee                         string
	shape                                 string // google, outlook, thunderbird
	fold                                  bool
}

func (r reply) ics() string {
	att := fmt.Sprintf("ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=%s;CN=Marthen Rumbiak;X-NUM-GUESTS=0:mailto:%s", r.partstat, r.attendee)
	tzid := "Asia/Makassar"
	prodid := "-//Google Inc//Google Calendar 70.9054//EN"
	switch r.shape {
	case "outlook":
		att = fmt.Sprintf("ATTENDEE;PARTSTAT=%s;CN=\"Rumbiak, Marthen\";EMAIL=%s:MAILTO:%s", r.partstat, r.attendee, strings.ToUpper(r.attendee))
		tzid = "Singapore Standard Time"
		prodid = "Microsoft Exchange Server 2010"
	case "thunderbird":
		att = fmt.Sprintf("ATTENDEE;RSVP=TRUE;CN=Marthen Rumbiak;PARTSTAT=%s;ROLE=REQ-PARTICIPANT:mailto:%s", r.partstat, r.attendee)
		prodid = "-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN"
	}
	lines := []string{"BEGIN:VCALENDAR", "PRODID:" + prodid, "VERSION:2.0", "METHOD:" + r.method, "BEGIN:VEVENT",
		"DTSTART;TZID=" + tzid + ":20261207T090000", "DTEND;TZID=" + tzid + ":20261207T103000",
		"DTSTAMP:20261124T010000Z", "ORGANIZER;CN=Dewi Lestari:mailto:jadwal@sinergi.example.id", "UID:" + r.uid,
		fmt.Sprintf("SEQUENCE:%d", r.sequence), att}
	if r.extraAttendee != "" {
		lines = append(lines, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:"+r.extraAttendee)
	}
	if r.shape == "outlook" {
		lines = append(lines, `COMMENT;LANGUAGE=id-ID:Saya hadir\: terima kasih`)
	}
	lines = append(lines, "SUMMARY:Manajemen Risiko Bencana", "END:VEVENT", "END:VCALENDAR")
	out := strings.Join(lines, "\r\n") + "\r\n"
	if r.fold {
		var b strings.Builder
		for _, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
			for len(l) > 40 {
				b.WriteString(l[:40] + "\r\n ")
				l = l[40:]
			}
			b.WriteString(l + "\r\n")
		}
		out = b.String()
	}
	return out
}

func (r reply) message() []byte {
	ics := r.ics()
	boundary := "b1_" + r.shape
	var part string
	switch r.shape {
	case "outlook": // base64 text/calendar inside multipart/alternative
		enc := base64.StdEncoding.EncodeToString([]byte(ics))
		var wrapped strings.Builder
		for len(enc) > 76 {
			wrapped.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		wrapped.WriteString(enc)
		part = "Content-Type: text/calendar; charset=\"utf-8\"; method=" + r.method + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + wrapped.String() + "\r\n"
	case "thunderbird": // application/ics attachment
		part = "Content-Type: application/ics; name=\"invite.ics\"\r\nContent-Disposition: attachment; filename=\"invite.ics\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + ics
	default:
		part = "Content-Type: text/calendar; charset=\"UTF-8\"; method=" + r.method + "\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + ics
	}
	return []byte("From: Marthen Rumbiak <" + r.from + ">\r\nTo: jadwal@sinergi.example.id\r\nSubject: Accepted: Manajemen Risiko Bencana\r\n" +
		"Message-ID: <" + r.shape + "-" + r.partstat + "@example.id>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n" +
		"--" + boundary + "\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nMarthen has accepted this invitation.\r\n" +
		"--" + boundary + "\r\n" + part + "--" + boundary + "--\r\n")
}

func (e *env) inbound(key string, msg []byte, headers ...string) response {
	e.t.Helper()
	r := e.do("POST", "/v1/itip/inbound", key, msg, append([]string{"Content-Type", "message/rfc822"}, headers...)...)
	e.expect(r, http.StatusOK, "")
	return r
}

func TestReplies(t *testing.T) {
	e := newEnv(t)
	b, uid, _ := invitedBooking(e)
	gateway := e.key("mail_gateway", e.instA, 0)
	base := reply{from: "marthen@example.id", attendee: "marthen@example.id", uid: uid, method: "REPLY", shape: "google"}
	status := func() string {
		return e.do("GET", fmt.Sprintf("/v1/bookings/%d", b), e.staffA, nil).Body["status"].(string)
	}
	steps := []struct {
		name           string
		change         func(r *reply)
		outcome, state string
		reason         string
	}{
		{"Google ACCEPTED moves the booking", func(r *reply) { r.partstat = "ACCEPTED" }, "applied", "accepted", ""},
		{"a replay changes nothing", func(r *reply) { r.partstat = "ACCEPTED" }, "unchanged", "accepted", ""},
		{"Outlook (EMAIL=, Windows TZID, base64, MAILTO) TENTATIVE", func(r *reply) { r.partstat, r.shape = "TENTATIVE", "outlook" }, "applied", "tentative", ""},
		{"Thunderbird DECLINED, folded", func(r *reply) { r.partstat, r.shape, r.fold = "DECLINED", "thunderbird", true }, "applied", "declined", ""},
		{"Google ACCEPTED, folded", func(r *reply) { r.partstat, r.fold = "ACCEPTED", true }, "applied", "accepted", ""},
		{"a spoofed sender is rejected", func(r *reply) { r.partstat, r.from = "DECLINED", "mallory@evil.example" }, "rejected", "accepted", "does not match"},
		{"an unknown UID is rejected", func(r *reply) { r.partstat, r.uid = "DECLINED", "nope@sinergi" }, "rejected", "accepted", "unknown UID"},
		{"two attendees are rejected", func(r *reply) { r.partstat, r.extraAttendee = "DECLINED", "other@example.id" }, "rejected", "accepted", "exactly one ATTENDEE"},
		{"another attendee is rejected", func(r *reply) { r.partstat, r.attendee, r.from = "DECLINED", "other@example.id", "other@example.id" }, "rejected", "accepted", "not the invited person"},
		{"a stale SEQUENCE is ignored", func(r *reply) { r.partstat, r.sequence = "DECLINED", -1 }, "ignored", "accepted", "stale SEQUENCE"},
		{"a COUNTER is declined", func(r *reply) { r.partstat, r.method = "ACCEPTED", "COUNTER" }, "ignored", "accepted", "COUNTER"},
		{"a REFRESH re-sends the invitation", func(r *reply) { r.partstat, r.method = "NEEDS-ACTION", "REFRESH" }, "applied", "accepted", "REFRESH"},
		{"a REQUEST is not an answer", func(r *reply) { r.partstat, r.method = "NEEDS-ACTION", "REQUEST" }, "ignored", "accepted", "not an answer"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			rp := base
			st.change(&rp)
			r := e.inbound(gateway, rp.message())
			if r.Body["outcome"] != st.outcome || !strings.Contains(r.Body["reason"].(string), st.reason) {
				t.Fatalf("outcome %v: %v", r.Body["outcome"], r.Body["reason"])
			}
			if got := status(); got != st.state {
				t.Fatalf("booking is %s, want %s", got, st.state)
			}
		})
	}
	t.Run("COUNTER and REFRESH queued mail; the refusals sent the trainer one new answer link", func(t *testing.T) {
		var kinds []string
		must(t, e.db.Raw("SELECT kind FROM outbox ORDER BY id").Scan(&kinds).Error)
		if strings.Join(kinds, ",") != "REQUEST,ANSWER_LINK,DECLINECOUNTER,REQUEST" {
			t.Fatalf("outbox kinds %v", kinds)
		}
	})
	t.Run("every message is stored with its outcome", func(t *testing.T) {
		var n int64
		must(t, e.db.Raw("SELECT count(*) FROM itip_messages WHERE length(raw) > 0 AND outcome <> '' AND reason <> ''").Scan(&n).Error)
		if n != int64(len(steps)) {
			t.Fatalf("%d stored, want %d", n, len(steps))
		}
	})
	t.Run("staff see each message with its outcome", func(t *testing.T) {
		r := e.do("GET", "/v1/itip/messages?outcome=rejected", e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		items := r.items()
		if len(items) != 4 || items[0]["reason"] == "" {
			t.Fatalf("rejected messages %s", r.Raw)
		}
		if n := len(e.do("GET", "/v1/itip/messages", e.staffB, nil).items()); n != 0 {
			t.Fatalf("B sees %d messages", n)
		}
	})
	t.Run("the envelope sender must match too", func(t *testing.T) {
		rp := base
		rp.partstat = "DECLINED"
		r := e.inbound(gateway, rp.message(), "X-Envelope-From", "bounce@evil.example")
		if r.Body["outcome"] != "rejected" {
			t.Fatalf("%v", r.Body)
		}
	})
	t.Run("only the gateway key posts mail, and only for its institution", func(t *testing.T) {
		e.expect(e.do("POST", "/v1/itip/inbound", e.staffA, "x"), http.StatusForbidden, "forbidden")
		other := e.key("mail_gateway", e.instB, 0)
		rp := base
		rp.partstat = "DECLINED"
		if r := e.inbound(other, rp.message()); r.Body["outcome"] != "rejected" || status() != "accepted" {
			t.Fatalf("%v", r.Body)
		}
		if r := e.inbound(gateway, []byte("hello")); r.Body["outcome"] != "rejected" {
			t.Fatalf("%v", r.Body)
		}
	})
}

func TestRepliesWithDKIM(t *testing.T) {
	e := newEnv(t)
	b, uid, _ := invitedBooking(e)
	gateway := e.key("mail_gateway", e.instA, 0)
	pub, priv, _ := ed25519.GenerateKey(nil)
	e.dkimKeys["s1._domainkey.example.id"] = "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	sign := func(msg []byte) []byte {
		var out bytes.Buffer
		must(t, dkim.Sign(&out, bytes.NewReader(msg), &dkim.SignOptions{Domain: "example.id", Selector: "s1", Signer: priv}))
		return out.Bytes()
	}
	rp := reply{from: "marthen@example.id", attendee: "marthen@example.id", uid: uid, method: "REPLY", shape: "google", partstat: "ACCEPTED"}
	signed := sign(rp.message())
	if r := e.inbound(gateway, signed); r.Body["outcome"] != "applied" {
		t.Fatalf("signed reply: %v", r.Body)
	}
	tampered := bytes.Replace(signed, []byte("PARTSTAT=ACCEPTED"), []byte("PARTSTAT=DECLINED"), 1)
	if r := e.inbound(gateway, tampered); r.Body["outcome"] != "rejected" || !strings.Contains(r.Body["reason"].(string), "DKIM") {
		t.Fatalf("tampered reply: %v", r.Body)
	}
	if st := e.do("GET", fmt.Sprintf("/v1/bookings/%d", b), e.staffA, nil).Body["status"]; st != "accepted" {
		t.Fatalf("booking %v", st)
	}
}

// trainerInvited books a practitioner with the given address on a session
// of its own (9:00 WITA on 2026-12-day) and invites them; it returns the
// booking id and UID.
func trainerInvited(e *env, email string, day int) (int64, string) {
	e.t.Helper()
	c := e.course(e.staffA)
	s := e.mustSession(c, fmt.Sprintf("2026-12-%02dT09:00", day), fmt.Sprintf("2026-12-%02dT10:30", day), "Asia/Makassar")
	p := e.createPerson(e.staffA, practitionerJSON(email))
	r := e.transition(e.staffA, e.book(s, p, "co_trainer").id(), "invited")
	e.expect(r, http.StatusOK, "")
	return r.id(), r.Body["uid"].(string)
}

// replyObject is a METHOD:REPLY VCALENDAR with the given client's PRODID
// and time zone name, and the given attendee lines and other properties.
func replyObject(prodid, tzid, uid string, lines ...string) string {
	out := []string{"BEGIN:VCALENDAR", "PRODID:" + prodid, "VERSION:2.0", "CALSCALE:GREGORIAN", "METHOD:REPLY", "BEGIN:VEVENT",
		"DTSTART;TZID=" + tzid + ":20261208T090000", "DTEND;TZID=" + tzid + ":20261208T103000", "DTSTAMP:20261124T020000Z",
		"ORGANIZER;CN=BPSDM Provinsi A:mailto:jadwal@sinergi.example.id", "UID:" + uid, "SEQUENCE:0"}
	out = append(out, lines...)
	out = append(out, "SUMMARY:Manajemen Risiko Bencana", "STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR")
	return strings.Join(out, "\r\n") + "\r\n"
}

// googleMail is a reply as Google Calendar sends it: multipart/mixed
// holding multipart/alternative (text, HTML, 7bit text/calendar) and the
// same object as a base64 invite.ics attachment.
func googleMail(from, subject, ics string) []byte {
	att := base64.StdEncoding.EncodeToString([]byte(ics))
	var wrapped strings.Builder
	for len(att) > 76 {
		wrapped.WriteString(att[:76] + "\r\n")
		att = att[76:]
	}
	wrapped.WriteString(att)
	return []byte("MIME-Version: 1.0\r\nDate: Tue, 24 Nov 2026 10:00:00 +0800\r\nMessage-ID: <000000000000a1b2c3d4@google.com>\r\n" +
		"Subject: " + subject + "\r\nFrom: " + from + "\r\nTo: jadwal@sinergi.example.id\r\n" +
		"Content-Type: multipart/mixed; boundary=\"000000000000mixed\"\r\n\r\n" +
		"--000000000000mixed\r\nContent-Type: multipart/alternative; boundary=\"000000000000alt\"\r\n\r\n" +
		"--000000000000alt\r\nContent-Type: text/plain; charset=\"UTF-8\"; format=flowed; delsp=yes\r\n\r\nMarthen Rumbiak has accepted this invitation.\r\n" +
		"--000000000000alt\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n\r\n<p>Marthen Rumbiak has accepted this invitation.</p>\r\n" +
		"--000000000000alt\r\nContent-Type: text/calendar; charset=\"UTF-8\"; method=REPLY\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + ics +
		"--000000000000alt--\r\n" +
		"--000000000000mixed\r\nContent-Type: application/ics; name=\"invite.ics\"\r\nContent-Disposition: attachment; filename=\"invite.ics\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + wrapped.String() + "\r\n--000000000000mixed--\r\n")
}

// outlookMail is a reply as Outlook sends it: the calendar part in
// quoted-printable inside multipart/alternative.
func outlookMail(from, ics string) []byte {
	var qp bytes.Buffer
	w := quotedprintable.NewWriter(&qp)
	_, _ = w.Write([]byte(ics))
	_ = w.Close()
	return []byte("From: \"Rumbiak, Marthen\" <" + from + ">\r\nTo: Jadwal <jadwal@sinergi.example.id>\r\n" +
		"Subject: Diterima: Manajemen Risiko Bencana\r\nMessage-ID: <AM0PR01MB1234ABCD@AM0PR01MB1234.eurprd01.prod.outlook.com>\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"_000_AM0PR01MB_\"\r\n\r\n" +
		"--_000_AM0PR01MB_\r\nContent-Type: text/plain; charset=\"iso-8859-1\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nSaya hadir.\r\n" +
		"--_000_AM0PR01MB_\r\nContent-Type: text/calendar; charset=\"utf-8\"; method=REPLY\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
		qp.String() + "\r\n--_000_AM0PR01MB_--\r\n")
}

// signer signs messages for one DKIM domain; its key is served by the
// test's DNS stub.
func (e *env) signer(domain, selector string) func([]byte) []byte {
	pub, priv, _ := ed25519.GenerateKey(nil)
	e.dkimKeys[selector+"._domainkey."+domain] = "v=DKIM1; k=ed25519; p=" + base64.StdEncoding.EncodeToString(pub)
	return func(msg []byte) []byte {
		var out bytes.Buffer
		must(e.t, dkim.Sign(&out, bytes.NewReader(msg), &dkim.SignOptions{Domain: domain, Selector: selector, Signer: priv}))
		return out.Bytes()
	}
}

func (e *env) booking(id int64) response {
	e.t.Helper()
	r := e.do("GET", fmt.Sprintf("/v1/bookings/%d", id), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	return r
}

// outboxKinds lists the kinds of mail queued for a booking, oldest first.
func (e *env) outboxKinds(booking int64) string {
	e.t.Helper()
	var kinds []string
	must(e.t, e.db.Raw("SELECT kind FROM outbox WHERE booking_id = ? ORDER BY id", booking).Scan(&kinds).Error)
	return strings.Join(kinds, ",")
}

// TestRepliesFromRealCalendars drives replies in the shapes real clients
// and providers send (beside the parser fixtures in ../shared/fixtures/itip).
func TestRepliesFromRealCalendars(t *testing.T) {
	e := newEnv(t)
	gateway := e.key("mail_gateway", e.instA, 0)
	google := e.signer("google.com", "20230601")
	gmailKey := e.signer("gmail.com", "20230601")

	t.Run("Google via its bounce envelope, signed by google.com only, is applied", func(t *testing.T) {
		b, uid := trainerInvited(e, "m.rumbiak@gmail.com", 8)
		ics := replyObject("-//Google Inc//Google Calendar 70.9054//EN", "Asia/Makassar", uid,
			"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Marthen Rumbiak;X-NUM-GUESTS=0:mailto:m.rumbiak@gmail.com")
		msg := google(googleMail("Marthen Rumbiak <m.rumbiak@gmail.com>", "Accepted: Manajemen Risiko Bencana", ics))
		r := e.inbound(gateway, msg, "X-Envelope-From", "3sGtlaQwKBg4ab-cdefg.hij@calendar-server.bounces.google.com")
		if r.Body["outcome"] != "applied" || !strings.Contains(r.Body["reason"].(string), "not aligned") {
			t.Fatalf("%v", r.Body)
		}
		if st := e.booking(b).Body["status"]; st != "accepted" {
			t.Fatalf("booking %v", st)
		}
	})
	t.Run("Gmail dots, googlemail.com and case name the same mailbox", func(t *testing.T) {
		b, uid := trainerInvited(e, "siti.nurhaliza@gmail.com", 9)
		ics := replyObject("-//Google Inc//Google Calendar 70.9054//EN", "Asia/Makassar", uid,
			"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=TENTATIVE;CN=Siti:mailto:SitiNurhaliza@googlemail.com")
		msg := gmailKey(googleMail("Siti <SitiNurhaliza@GMAIL.com>", "Tentatively Accepted", ics))
		r := e.inbound(gateway, msg, "X-Envelope-From", "sitinurhaliza@gmail.com")
		if r.Body["outcome"] != "applied" || !strings.Contains(r.Body["reason"].(string), "aligned (gmail.com)") {
			t.Fatalf("%v", r.Body)
		}
		if st := e.booking(b).Body["status"]; st != "tentative" {
			t.Fatalf("booking %v", st)
		}
	})
	t.Run("a +tag and another case of the domain name the same mailbox", func(t *testing.T) {
		b, uid := trainerInvited(e, "yohana+diklat@bpbd.example.id", 10)
		ics := replyObject("-//Apple Inc.//macOS 15.1//EN", "Asia/Makassar", uid,
			"ATTENDEE;CN=Yohana Wenda;CUTYPE=INDIVIDUAL;EMAIL=Yohana@BPBD.Example.ID;PARTSTAT=DECLINED:mailto:Yohana@BPBD.Example.ID")
		r := e.inbound(gateway, googleMail("Yohana Wenda <Yohana@BPBD.Example.ID>", "Declined", ics), "X-Envelope-From", "yohana@bpbd.example.id")
		if r.Body["outcome"] != "applied" {
			t.Fatalf("%v", r.Body)
		}
		if st := e.booking(b).Body["status"]; st != "declined" {
			t.Fatalf("booking %v", st)
		}
	})
	t.Run("Google Workspace signed by google.com and the tenant's gappssmtp.com, From at the org domain", func(t *testing.T) {
		gapps := e.signer("sulselprov-go-id.20230601.gappssmtp.com", "20230601")
		b, uid := trainerInvited(e, "andi@bpbd.sulselprov.go.id", 11)
		ics := replyObject("-//Google Inc//Google Calendar 70.9054//EN", "Asia/Makassar", uid,
			"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Andi Mappanyukki;X-NUM-GUESTS=0:mailto:andi@bpbd.sulselprov.go.id")
		msg := google(gapps(googleMail("Andi Mappanyukki <andi@bpbd.sulselprov.go.id>", "Accepted", ics)))
		if n := len(regexp.MustCompile(`(?m)^DKIM-Signature:`).FindAll(msg, -1)); n != 2 {
			t.Fatalf("%d signatures", n)
		}
		t.Run("with REQUIRE_DKIM=true neither signature speaks for the org: refused, staff and trainer told", func(t *testing.T) {
			strict := e.app.Replies
			strict.RequireDKIM = true
			rec, err := strict.Process(context.Background(), e.instA, msg, "")
			must(t, err)
			if rec.Outcome != "rejected" || !strings.Contains(rec.Reason, "REQUIRE_DKIM") || !rec.Attention || !rec.TrainerTold {
				t.Fatalf("%+v", rec)
			}
			if st := e.booking(b).Body["status"]; st != "invited" {
				t.Fatalf("booking %v", st)
			}
		})
		r := e.inbound(gateway, msg)
		if r.Body["outcome"] != "applied" || !strings.Contains(r.Body["reason"].(string), "google.com") {
			t.Fatalf("%v", r.Body)
		}
		got := e.booking(b)
		if got.Body["status"] != "accepted" || got.Body["reply_attention"] != nil {
			t.Fatalf("booking %s", got.Raw)
		}
		t.Run("a signature of the parent organisation aligns and satisfies REQUIRE_DKIM", func(t *testing.T) {
			org := e.signer("sulselprov.go.id", "google")
			ics := strings.Replace(ics, "PARTSTAT=ACCEPTED", "PARTSTAT=TENTATIVE", 1)
			strict := e.app.Replies
			strict.RequireDKIM = true
			rec, err := strict.Process(context.Background(), e.instA, google(org(googleMail("Andi <andi@bpbd.sulselprov.go.id>", "Tentative", ics))), "")
			must(t, err)
			if rec.Outcome != "applied" || !strings.Contains(rec.Reason, "aligned (sulselprov.go.id)") {
				t.Fatalf("%+v", rec)
			}
		})
	})
	t.Run("Outlook in quoted-printable with a Windows zone keeps its COMMENT", func(t *testing.T) {
		b, uid := trainerInvited(e, "marthen.r@example.id", 14)
		ics := replyObject("Microsoft Exchange Server 2010", "Singapore Standard Time", uid,
			`ATTENDEE;PARTSTAT=ACCEPTED;CN="Rumbiak, Marthen";EMAIL=marthen.r@example.id:MAILTO:MARTHEN.R@EXAMPLE.ID`,
			`COMMENT;LANGUAGE=id-ID:Terima kasih atas undangannya. Saya hadir\, mohon disiapkan proyektor\; saya tiba pukul 08.30 WITA.`)
		r := e.inbound(gateway, outlookMail("marthen.r@example.id", ics))
		const comment = "Terima kasih atas undangannya. Saya hadir, mohon disiapkan proyektor; saya tiba pukul 08.30 WITA."
		if r.Body["outcome"] != "applied" || r.Body["comment"] != comment {
			t.Fatalf("%v", r.Body)
		}
		got := e.booking(b)
		reply, _ := got.Body["reply"].(map[string]any)
		if got.Body["status"] != "accepted" || reply["comment"] != comment || reply["partstat"] != "ACCEPTED" {
			t.Fatalf("booking %s", got.Raw)
		}
		list := e.do("GET", fmt.Sprintf("/v1/itip/messages?booking_id=%d", b), e.staffA, nil).items()
		if len(list) != 1 || list[0]["comment"] != comment {
			t.Fatalf("messages %v", list)
		}
	})
	t.Run("DELEGATED is held for staff with the delegate's name and address", func(t *testing.T) {
		b, uid := trainerInvited(e, "marthen.d@example.id", 15)
		ics := replyObject("-//Stalwart Labs LLC//Stalwart Server//EN", "Asia/Makassar", uid,
			`ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="mailto:rina.pratiwi@example.id";CN=Marthen Rumbiak:mailto:marthen.d@example.id`,
			`ATTENDEE;RSVP=TRUE;DELEGATED-FROM="mailto:marthen.d@example.id";PARTSTAT=NEEDS-ACTION;CN=Rina Pratiwi:mailto:rina.pratiwi@example.id`,
			`COMMENT:Saya bertugas ke lapangan; Bu Rina menggantikan.`)
		r := e.inbound(gateway, googleMail("Marthen Rumbiak <marthen.d@example.id>", "Delegated", ics))
		to, _ := r.Body["delegated_to"].(map[string]any)
		if r.Body["outcome"] != "held" || to["email"] != "rina.pratiwi@example.id" || to["name"] != "Rina Pratiwi" || r.Body["attention"] != true {
			t.Fatalf("%v", r.Body)
		}
		got := e.booking(b)
		att, _ := got.Body["reply_attention"].(map[string]any)
		dto, _ := att["delegated_to"].(map[string]any)
		if got.Body["status"] != "invited" || dto["email"] != "rina.pratiwi@example.id" || dto["name"] != "Rina Pratiwi" ||
			!strings.Contains(att["comment"].(string), "Bu Rina menggantikan") {
			t.Fatalf("booking %s", got.Raw)
		}
		if kinds := e.outboxKinds(b); kinds != "REQUEST" {
			t.Fatalf("a delegation mails the trainer: %s", kinds)
		}
		open := e.do("GET", "/v1/itip/messages?attention=true", e.staffA, nil).items()
		if len(open) == 0 || open[0]["booking_id"] != float64(b) || open[0]["outcome"] != "held" {
			t.Fatalf("attention list %v", open)
		}
		t.Run("staff close it once they have dealt with it", func(t *testing.T) {
			id := int64(open[0]["id"].(float64))
			r := e.do("POST", fmt.Sprintf("/v1/itip/messages/%d/resolve", id), e.staffA, nil)
			e.expect(r, http.StatusOK, "")
			if r.Body["attention"] != false || r.Body["resolved_at"] == nil {
				t.Fatalf("%v", r.Body)
			}
			if e.booking(b).Body["reply_attention"] != nil {
				t.Fatal("still flagged")
			}
			e.expect(e.do("POST", fmt.Sprintf("/v1/itip/messages/%d/resolve", id), e.staffA, nil), http.StatusNotFound, "not_found")
			e.expect(e.do("POST", fmt.Sprintf("/v1/itip/messages/%d/resolve", id), e.staffB, nil), http.StatusNotFound, "not_found")
		})
	})
	t.Run("an Outlook-style delegation with the DELEGATED-TO parameter only", func(t *testing.T) {
		b, uid := trainerInvited(e, "yusuf@example.id", 16)
		ics := replyObject("Microsoft Exchange Server 2010", "Singapore Standard Time", uid,
			`ATTENDEE;PARTSTAT=DELEGATED;DELEGATED-TO="MAILTO:Agus@Example.ID":MAILTO:yusuf@example.id`)
		r := e.inbound(gateway, outlookMail("yusuf@example.id", ics))
		to, _ := r.Body["delegated_to"].(map[string]any)
		if r.Body["outcome"] != "held" || to["email"] != "agus@example.id" || e.booking(b).Body["status"] != "invited" {
			t.Fatalf("%v", r.Body)
		}
	})
}

// mailLink finds the answer link in a queued mail's text part.
func mailLink(t *testing.T, raw []byte) string {
	t.Helper()
	ent, err := message.Read(bytes.NewReader(raw))
	must(t, err)
	var text string
	_ = ent.Walk(func(_ []int, part *message.Entity, _ error) error {
		if ct, _, _ := part.Header.ContentType(); ct == "text/plain" && text == "" {
			b, _ := io.ReadAll(part.Body)
			text = string(b)
		}
		return nil
	})
	i := strings.Index(text, "https://sinergi.example.id/r/")
	if i < 0 {
		t.Fatalf("no answer link in %q", text)
	}
	return text[i+len("https://sinergi.example.id") : i+len("https://sinergi.example.id/r/")+43]
}

// TestRefusedReplyIsNeverSilent: a reply that cannot be applied shows on
// the booking and in the attention list, and the invited person (not the
// sender) gets one mail with a new answer link; answering with it closes
// the matter.
func TestRefusedReplyIsNeverSilent(t *testing.T) {
	e := newEnv(t)
	gateway := e.key("mail_gateway", e.instA, 0)
	b, uid := trainerInvited(e, "marthen@example.id", 8)
	ics := replyObject("-//Google Inc//Google Calendar 70.9054//EN", "Asia/Makassar", uid,
		"ATTENDEE;PARTSTAT=ACCEPTED;CN=Marthen Rumbiak:mailto:marthen@example.id")
	// Sent from another mailbox than the one invited: doubtful.
	for range 3 {
		r := e.inbound(gateway, googleMail("Marthen <marthen.rumbiak@kantor.example>", "Accepted", ics))
		if r.Body["outcome"] != "rejected" || r.Body["attention"] != true {
			t.Fatalf("%v", r.Body)
		}
	}
	got := e.booking(b)
	att, _ := got.Body["reply_attention"].(map[string]any)
	if got.Body["status"] != "invited" || att["outcome"] != "rejected" || !strings.Contains(att["reason"].(string), "does not match") {
		t.Fatalf("booking %s", got.Raw)
	}
	if open := e.do("GET", "/v1/itip/messages?attention=true", e.staffA, nil).items(); len(open) != 3 {
		t.Fatalf("attention list has %d", len(open))
	}
	if n := len(e.do("GET", "/v1/itip/messages?attention=true", e.staffB, nil).items()); n != 0 {
		t.Fatalf("B sees %d", n)
	}
	e.expect(e.do("GET", "/v1/itip/messages?attention=maybe", e.staffA, nil), http.StatusUnprocessableEntity, "validation_failed")
	if kinds := e.outboxKinds(b); kinds != "REQUEST,ANSWER_LINK" {
		t.Fatalf("three refusals queued %s; want one answer link", kinds)
	}
	var m struct {
		Recipient string
		Message   []byte
	}
	must(t, e.db.Raw("SELECT recipient, message FROM outbox WHERE kind = 'ANSWER_LINK'").Scan(&m).Error)
	if m.Recipient != "marthen@example.id" {
		t.Fatalf("the link went to %s", m.Recipient)
	}
	p, err := calendar.RenderPreview(m.Message)
	must(t, err)
	if !strings.HasPrefix(p.Subject, "Mohon jawab kembali") || !strings.Contains(p.Text, "belum tercatat") ||
		strings.Index(p.Text, "Please answer") < strings.Index(p.Text, "Mohon jawab") {
		t.Fatalf("notice %+v", p)
	}
	link := mailLink(t, m.Message)
	page := e.do("POST", link, "", "answer=accepted", "Content-Type", "application/x-www-form-urlencoded")
	if page.Status != 200 || !strings.Contains(string(page.Raw), "jawaban Anda tercatat: diterima") {
		t.Fatalf("%d %s", page.Status, page.Raw)
	}
	got = e.booking(b)
	if got.Body["status"] != "accepted" || got.Body["reply_attention"] != nil {
		t.Fatalf("after answering: %s", got.Raw)
	}
	if open := e.do("GET", "/v1/itip/messages?attention=true", e.staffA, nil).items(); len(open) != 0 {
		t.Fatalf("still needing attention: %v", open)
	}
}

// TestAnswerPage: a double tap says the answer is already recorded, also
// when both taps arrive together; an expired link says whom to contact.
func TestAnswerPage(t *testing.T) {
	e := newEnv(t)
	b, _ := trainerInvited(e, "marthen@example.id", 8)
	secret, err := e.outbox.NewLinkToken(context.Background(), b, time.Date(2026, 12, 15, 1, 0, 0, 0, time.UTC))
	must(t, err)
	link := "/r/" + secret
	tap := func() response {
		return e.do("POST", link, "", "answer=accepted", "Content-Type", "application/x-www-form-urlencoded")
	}
	first := tap()
	if first.Status != 200 || !strings.Contains(string(first.Raw), "Terima kasih, jawaban Anda tercatat: diterima") {
		t.Fatalf("%d %s", first.Status, first.Raw)
	}
	second := tap()
	if second.Status != 200 || !strings.Contains(string(second.Raw), "Jawaban Anda sudah tercatat: diterima") ||
		strings.Contains(string(second.Raw), "cannot") {
		t.Fatalf("%d %s", second.Status, second.Raw)
	}
	t.Run("two taps at once both read as recorded", func(t *testing.T) {
		e.expect(e.do("POST", link, "", "answer=tentative", "Content-Type", "application/x-www-form-urlencoded"), http.StatusOK, "")
		var wg sync.WaitGroup
		pages := make([]response, 2)
		for i := range pages {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pages[i] = tap()
			}()
		}
		wg.Wait()
		for _, p := range pages {
			if p.Status != 200 || !strings.Contains(string(p.Raw), "tercatat: diterima") || strings.Contains(string(p.Raw), "tidak dapat") {
				t.Fatalf("%d %s", p.Status, p.Raw)
			}
		}
		if st := e.booking(b).Body["status"]; st != "accepted" {
			t.Fatalf("booking %v", st)
		}
	})
	t.Run("an expired link explains what to do and whom to contact", func(t *testing.T) {
		e.testTime = time.Date(2026, 12, 15, 1, 0, 0, 0, time.UTC)
		defer func() { e.testTime = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC) }()
		for _, method := range []string{"GET", "POST"} {
			r := e.do(method, link, "", "answer=declined", "Content-Type", "application/x-www-form-urlencoded")
			page := string(r.Raw)
			if r.Status != http.StatusGone || !strings.Contains(page, "sudah kedaluwarsa") || !strings.Contains(page, "hubungi panitia <strong>BPSDM Provinsi A</strong>") ||
				strings.Index(page, "This answer link expired") < strings.Index(page, "kedaluwarsa") {
				t.Fatalf("%s: %d %s", method, r.Status, page)
			}
		}
		if st := e.booking(b).Body["status"]; st != "accepted" {
			t.Fatalf("an expired link changed the booking: %v", st)
		}
		r := e.do("GET", "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", nil)
		if r.Status != http.StatusNotFound || !strings.Contains(string(r.Raw), "Tautan ini tidak dikenal") {
			t.Fatalf("unknown link %d %s", r.Status, r.Raw)
		}
	})
}

// TestDKIMTemporaryFailureIsRetried: a key lookup that fails temporarily
// defers the reply; the worker's pass and the next inbound message
// process it again, and it is applied once the key can be fetched.
func TestDKIMTemporaryFailureIsRetried(t *testing.T) {
	e := newEnv(t)
	gateway := e.key("mail_gateway", e.instA, 0)
	b, uid := trainerInvited(e, "marthen@example.id", 8)
	sign := e.signer("example.id", "s1")
	ics := replyObject("-//Google Inc//Google Calendar 70.9054//EN", "Asia/Makassar", uid,
		"ATTENDEE;PARTSTAT=ACCEPTED;CN=Marthen Rumbiak:mailto:marthen@example.id")
	e.dnsDown["s1._domainkey.example.id"] = true
	r := e.inbound(gateway, sign(googleMail("Marthen <marthen@example.id>", "Accepted", ics)))
	if r.Body["outcome"] != "deferred" || r.Body["next_attempt_at"] == nil || !strings.Contains(r.Body["reason"].(string), "attempt 1 of") {
		t.Fatalf("%v", r.Body)
	}
	id := int64(r.Body["id"].(float64))
	got := e.booking(b)
	if got.Body["status"] != "invited" || got.Body["reply_attention"].(map[string]any)["outcome"] != "deferred" {
		t.Fatalf("booking %s", got.Raw)
	}
	if kinds := e.outboxKinds(b); kinds != "REQUEST" {
		t.Fatalf("a deferral mailed the trainer: %s", kinds)
	}
	settled, err := e.app.Replies.RetryDeferred(context.Background(), 0, 10)
	must(t, err)
	var attempts int
	must(t, e.db.Raw("SELECT attempts FROM itip_messages WHERE id = ?", id).Scan(&attempts).Error)
	if settled != 0 || attempts != 1 {
		t.Fatalf("retried before it was due: settled %d, attempts %d", settled, attempts)
	}

	e.testTime = e.testTime.Add(10 * time.Minute)
	settled, err = e.app.Replies.RetryDeferred(context.Background(), 0, 10)
	must(t, err)
	var row struct {
		Outcome  string
		Attempts int
	}
	must(t, e.db.Raw("SELECT outcome, attempts FROM itip_messages WHERE id = ?", id).Scan(&row).Error)
	if settled != 0 || row.Outcome != "deferred" || row.Attempts != 2 {
		t.Fatalf("worker pass while DNS is still down: settled %d, %+v", settled, row)
	}

	// DNS is back; the next inbound message (another booking's) processes
	// the due deferred one first.
	delete(e.dnsDown, "s1._domainkey.example.id")
	e.testTime = e.testTime.Add(time.Hour)
	other, otherUID := trainerInvited(e, "yohana@example.id", 9)
	e.inbound(gateway, googleMail("Yohana <yohana@example.id>", "Declined", replyObject("-//Google Inc//Google Calendar 70.9054//EN",
		"Asia/Makassar", otherUID, "ATTENDEE;PARTSTAT=DECLINED:mailto:yohana@example.id")))
	must(t, e.db.Raw("SELECT outcome, attempts FROM itip_messages WHERE id = ?", id).Scan(&row).Error)
	if row.Outcome != "applied" || row.Attempts != 3 {
		t.Fatalf("after DNS came back: %+v", row)
	}
	got = e.booking(b)
	if got.Body["status"] != "accepted" || got.Body["reply_attention"] != nil || e.booking(other).Body["status"] != "declined" {
		t.Fatalf("booking %s", got.Raw)
	}
	t.Run("a signature of the sender's domain that does not verify is refused for good", func(t *testing.T) {
		b, uid := trainerInvited(e, "andi@example.id", 10)
		signed := sign(googleMail("Andi <andi@example.id>", "Accepted", replyObject("-//Google Inc//Google Calendar 70.9054//EN",
			"Asia/Makassar", uid, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:andi@example.id")))
		tampered := bytes.Replace(signed, []byte("PARTSTAT=ACCEPTED"), []byte("PARTSTAT=DECLINED"), 1)
		r := e.inbound(gateway, tampered)
		if r.Body["outcome"] != "rejected" || !strings.Contains(r.Body["reason"].(string), "does not verify") || e.booking(b).Body["status"] != "invited" {
			t.Fatalf("%v", r.Body)
		}
	})
	t.Run("an aligned pass outweighs a foreign envelope", func(t *testing.T) {
		b, uid := trainerInvited(e, "rina@example.id", 11)
		msg := sign(googleMail("Rina <rina@example.id>", "Accepted", replyObject("-//Google Inc//Google Calendar 70.9054//EN",
			"Asia/Makassar", uid, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:rina@example.id")))
		r := e.inbound(gateway, msg, "X-Envelope-From", "SRS0=abcd=XY=example.id=rina@forwarder.example")
		if r.Body["outcome"] != "applied" || e.booking(b).Body["status"] != "accepted" {
			t.Fatalf("%v", r.Body)
		}
	})
	t.Run("a deferred reply does not undo an answer given on the page while it waited", func(t *testing.T) {
		b, uid := trainerInvited(e, "dewi@example.id", 15)
		e.dnsDown["s1._domainkey.example.id"] = true
		r := e.inbound(gateway, sign(googleMail("Dewi <dewi@example.id>", "Accepted", replyObject("-//Google Inc//Google Calendar 70.9054//EN",
			"Asia/Makassar", uid, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:dewi@example.id"))))
		id := int64(r.Body["id"].(float64))
		secret, err := e.outbox.NewLinkToken(context.Background(), b, e.testTime.Add(30*24*time.Hour))
		must(t, err)
		e.expect(e.do("POST", "/r/"+secret, "", "answer=declined", "Content-Type", "application/x-www-form-urlencoded"), http.StatusOK, "")
		delete(e.dnsDown, "s1._domainkey.example.id")
		e.testTime = e.testTime.Add(3 * time.Hour)
		_, err = e.app.Replies.RetryDeferred(context.Background(), 0, 10)
		must(t, err)
		var msg struct{ Outcome, Reason string }
		must(t, e.db.Raw("SELECT outcome, reason FROM itip_messages WHERE id = ?", id).Scan(&msg).Error)
		if msg.Outcome != "ignored" || !strings.Contains(msg.Reason, "superseded") || e.booking(b).Body["status"] != "declined" {
			t.Fatalf("%+v, booking %v", msg, e.booking(b).Body["status"])
		}
	})
	t.Run("a lookup that keeps failing stops deferring and counts as no signature", func(t *testing.T) {
		b, uid := trainerInvited(e, "agus@example.id", 14)
		e.dnsDown["s1._domainkey.example.id"] = true
		defer delete(e.dnsDown, "s1._domainkey.example.id")
		r := e.inbound(gateway, sign(googleMail("Agus <agus@example.id>", "Accepted", replyObject("-//Google Inc//Google Calendar 70.9054//EN",
			"Asia/Makassar", uid, "ATTENDEE;PARTSTAT=ACCEPTED:mailto:agus@example.id"))))
		id := int64(r.Body["id"].(float64))
		for range calendar.MaxAttempts {
			e.testTime = e.testTime.Add(3 * time.Hour)
			_, err := e.app.Replies.RetryDeferred(context.Background(), e.instA, 10)
			must(t, err)
		}
		must(t, e.db.Raw("SELECT outcome, attempts FROM itip_messages WHERE id = ?", id).Scan(&row).Error)
		if row.Outcome != "applied" || row.Attempts != calendar.MaxAttempts || e.booking(b).Body["status"] != "accepted" {
			t.Fatalf("%+v", row)
		}
	})
}

// BenchmarkInboundReply posts calendar replies through the router and the
// real database, each one moving its booking (ACCEPTED and TENTATIVE in
// turn): unsigned, signed twice as Google Workspace does (two DKIM
// verifications against the local key stub), and doubtful (refused,
// recorded for staff).
func BenchmarkInboundReply(b *testing.B) {
	e := newEnv(b)
	gateway := e.key("mail_gateway", e.instA, 0)
	google := e.signer("google.com", "20230601")
	gapps := e.signer("sulselprov-go-id.20230601.gappssmtp.com", "20230601")
	shapes := []struct {
		name string
		from string
		wrap func([]byte) []byte
		want string
	}{
		{"unsigned", "marthen@example.id", func(m []byte) []byte { return m }, "applied"},
		{"workspace-double-dkim", "marthen@example.id", func(m []byte) []byte { return google(gapps(m)) }, "applied"},
		{"doubtful-sender", "other@kantor.example", func(m []byte) []byte { return m }, "rejected"},
	}
	for i, sh := range shapes {
		_, uid := trainerInvited(e, fmt.Sprintf("bench%d@example.id", i), 8+i)
		var msgs [2][]byte
		for j, ps := range []string{"ACCEPTED", "TENTATIVE"} {
			from := sh.from
			if from == "marthen@example.id" {
				from = fmt.Sprintf("bench%d@example.id", i)
			}
			ics := replyObject("-//Google Inc//Google Calendar 70.9054//EN", "Asia/Makassar", uid,
				fmt.Sprintf("ATTENDEE;PARTSTAT=%s:mailto:bench%d@example.id", ps, i))
			msgs[j] = sh.wrap(googleMail("M <"+from+">", "Reply", ics))
		}
		b.Run(sh.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				r := e.inbound(gateway, msgs[n%2])
				if r.Body["outcome"] != sh.want {
					b.Fatalf("%v", r.Body)
				}
				n++
			}
		})
	}
}
