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
	"strings"
	"sync"
	"testing"

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
