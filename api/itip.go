package api

import (
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/calendar"
	"sinergi/errs"
	"sinergi/i18n"
)

// delegateOut names the delegate of a DELEGATED answer.
type delegateOut struct {
	Email string `json:"email"`
	Name  string `json:"name"`
}

func delegateDTO(email, name string) *delegateOut {
	if email == "" {
		return nil
	}
	return &delegateOut{Email: email, Name: name}
}

// messageOut is a received calendar message as staff read it.
type messageOut struct {
	ID            int64        `json:"id"`
	ReceivedAt    time.Time    `json:"received_at"`
	BookingID     int64        `json:"booking_id"`
	MessageID     string       `json:"message_id"`
	Sender        string       `json:"sender"`
	EnvelopeFrom  string       `json:"envelope_from"`
	Method        string       `json:"method"`
	UID           string       `json:"uid"`
	Attendee      string       `json:"attendee"`
	PartStat      string       `json:"partstat"`
	Comment       string       `json:"comment"`
	DelegatedTo   *delegateOut `json:"delegated_to"`
	Outcome       string       `json:"outcome"`
	Reason        string       `json:"reason"`
	Attention     bool         `json:"attention"`
	TrainerTold   bool         `json:"trainer_told"`
	ResolvedAt    *time.Time   `json:"resolved_at"`
	Attempts      int          `json:"attempts"`
	NextAttemptAt *time.Time   `json:"next_attempt_at,omitempty"`
}

func messageDTO(m calendar.Received) messageOut {
	return messageOut{ID: m.ID, ReceivedAt: m.ReceivedAt, BookingID: m.BookingID, MessageID: m.MessageID, Sender: m.Sender,
		EnvelopeFrom: m.EnvelopeFrom, Method: m.Method, UID: m.UID, Attendee: m.Attendee, PartStat: m.PartStat, Comment: m.Comment,
		DelegatedTo: delegateDTO(m.DelegatedTo, m.DelegatedName), Outcome: m.Outcome, Reason: m.Reason, Attention: m.Open(),
		TrainerTold: m.TrainerTold, ResolvedAt: m.ResolvedAt, Attempts: m.Attempts, NextAttemptAt: m.NextAttemptAt}
}

// inboundOut is what became of a message posted by the mail gateway.
type inboundOut struct {
	ID            int64        `json:"id"`
	Outcome       string       `json:"outcome"`
	Reason        string       `json:"reason"`
	BookingID     int64        `json:"booking_id"`
	Method        string       `json:"method"`
	UID           string       `json:"uid"`
	Attendee      string       `json:"attendee"`
	PartStat      string       `json:"partstat"`
	MessageID     string       `json:"message_id"`
	Comment       string       `json:"comment"`
	DelegatedTo   *delegateOut `json:"delegated_to"`
	Attention     bool         `json:"attention"`
	TrainerTold   bool         `json:"trainer_told"`
	NextAttemptAt *time.Time   `json:"next_attempt_at,omitempty"`
}

// listMessages shows staff the calendar replies received and what became
// of each, newest first; attention=true keeps those still needing a
// person (refused or doubtful, delegated, deferred).
func (s *Server) listMessages(c *gin.Context) {
	var f calendar.MessageFilter
	f.Outcome = c.Query("outcome")
	switch f.Outcome {
	case "", calendar.Applied, calendar.Unchanged, calendar.Ignored, calendar.Rejected, calendar.Held, calendar.Deferred:
	default:
		fail(c, errs.Invalidf("outcome", "must be applied, unchanged, ignored, rejected, held or deferred"))
		return
	}
	switch c.Query("attention") {
	case "", "false":
	case "true":
		f.Attention = true
	default:
		fail(c, errs.Invalidf("attention", "must be true or false"))
		return
	}
	if v := c.Query("booking_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			fail(c, errs.Invalidf("booking_id", "must be a positive integer"))
			return
		}
		f.BookingID = id
	}
	limit, _, err := listQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	list, err := s.Replies.Messages(c.Request.Context(), principal(c).InstitutionID, f, limit)
	writeList(c, list, err, messageDTO)
}

// resolveMessage closes the attention a message asked for (staff dealt
// with it, e.g. booked the delegate).
func (s *Server) resolveMessage(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	m, err := s.Replies.Resolve(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, messageDTO(m))
}

// inbound takes a raw RFC 5322 message from the mail gateway. A message
// that is processed answers 200 whatever its outcome, so the gateway does
// not retry it; the outcome and reason say what happened. A deferred
// message is kept and processed again later, here (deferred messages of
// the institution that are due go first) and by the worker.
func (s *Server) inbound(c *gin.Context) {
	raw, err := io.ReadAll(c.Request.Body)
	if err != nil {
		fail(c, decodeError(err))
		return
	}
	if len(raw) == 0 {
		fail(c, errMalformed.WithMessage("send the raw message as the request body"))
		return
	}
	envelope := c.GetHeader("X-Envelope-From")
	if envelope == "" {
		envelope = c.Query("sender")
	}
	inst := principal(c).InstitutionID
	if _, err := s.Replies.RetryDeferred(c.Request.Context(), inst, 5); err != nil {
		s.Log.Warn("retry deferred replies", "request_id", requestID(c), "err", err)
	}
	rec, err := s.Replies.Process(c.Request.Context(), inst, raw, envelope)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, inboundOut{ID: rec.ID, Outcome: rec.Outcome, Reason: rec.Reason, BookingID: rec.BookingID, Method: rec.Method,
		UID: rec.UID, Attendee: rec.Attendee, PartStat: rec.PartStat, MessageID: rec.MessageID, Comment: rec.Comment,
		DelegatedTo: delegateDTO(rec.DelegatedTo, rec.DelegatedName), Attention: rec.Attention, TrainerTold: rec.TrainerTold,
		NextAttemptAt: rec.NextAttemptAt})
}

func (s *Server) listOutbox(c *gin.Context) {
	items, err := s.Desk.Outbox(c.Request.Context(), principal(c).InstitutionID, c.Query("status"))
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]outboxOut, len(items))
	for i, m := range items {
		out[i] = outboxOut{ID: m.ID, BookingID: m.BookingID, Kind: m.Kind, Recipient: m.Recipient, Status: m.Status,
			Attempts: m.Attempts, NextAttemptAt: m.NextAttemptAt, LastError: m.LastError, CreatedAt: m.CreatedAt, SentAt: m.SentAt}
	}
	c.JSON(http.StatusOK, listOut[outboxOut]{Items: out})
}

func (s *Server) retryOutbox(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil {
		err = s.Desk.Retry(c.Request.Context(), principal(c).InstitutionID, id)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

var answerPage = template.Must(template.New("answer").Funcs(pageFuncs).Parse(`<!doctype html>
<html lang="{{.Lang.Tag}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t .Lang "Session invitation: %s" .B.Topic}}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}main{max-width:32rem;margin:0 auto;padding:1.25rem}
.card{background:#fff;border-radius:10px;padding:1rem 1.25rem}button{font-size:1.05rem;padding:.8rem 1.2rem;border:0;border-radius:8px;margin:.4rem .4rem 0 0}
.ok{background:#1d7a3a;color:#fff}.no{background:#b3261e;color:#fff}.maybe{background:#e0e4e8}.msg{padding:.8rem 1rem;border-radius:8px;background:#e3f6e8;margin:1rem 0}
.warn{background:#fff4d6}.en{color:#555;font-size:90%}</style>
</head><body><main><h1>{{t .Lang "Session invitation"}}</h1>
{{if .Done}}<div class="msg{{if .Warn}} warn{{end}}" id="result">{{.Done}}</div>{{end}}
<div class="card"><p><strong>{{.B.Topic}}</strong><br>{{.B.CourseName}} — {{.B.Institution}}</p>
<p>{{.When}}<br>{{.Where}}</p><p>{{t .Lang "Your answer:"}} <strong id="status">{{t .Lang .Status}}</strong></p>
{{if .CanAnswer}}<form method="post">
<button class="ok" name="answer" value="accepted">{{t .Lang "Accept"}}</button>
<button class="maybe" name="answer" value="tentative">{{t .Lang "Tentative"}}</button>
<button class="no" name="answer" value="declined">{{t .Lang "Decline"}}</button>
</form>{{else}}<p>{{t .Lang "The answer can no longer be changed from this page. If needed, contact the organisers at %s." .B.Institution}}</p>{{end}}</div></main></body></html>`))

// linkPage explains a link that no longer answers: what happened, what to
// do, whom to contact. Indonesian first.
var linkPage = template.Must(template.New("link").Parse(`<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tautan tidak berlaku</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}main{max-width:32rem;margin:0 auto;padding:1.25rem}
.card{background:#fff;border-radius:10px;padding:1rem 1.25rem}.en{color:#555;font-size:90%}</style>
</head><body><main><h1>Tautan tidak berlaku</h1><div class="card" id="explain">
{{if .Expired}}<p>Tautan jawaban untuk sesi <strong>{{.B.Topic}}</strong> ({{.When}}) sudah kedaluwarsa pada {{.ExpiredOn}}.</p>
<p>Jika Anda masih perlu menjawab atau mengubah jawaban, hubungi panitia <strong>{{.B.Institution}}</strong>, atau balas
undangan terbaru dari aplikasi kalender Anda. Setiap pembaruan undangan membawa tautan baru.</p>
<p class="en" lang="en">This answer link expired on {{.ExpiredOn}}. To answer or change your answer, contact the organisers at
{{.B.Institution}}, or reply to the latest invitation from your calendar app; every update brings a new link.</p>
{{else}}<p>Tautan ini tidak dikenal. Periksa apakah tautan tersalin utuh dari e-mail undangan, atau gunakan tautan dari e-mail
undangan terbaru. Jika masih gagal, hubungi panitia pelatihan yang mengundang Anda.</p>
<p class="en" lang="en">This link is unknown. Check that it was copied whole from the invitation e-mail, or use the link in the
latest invitation. If that fails, contact the organisers who invited you.</p>{{end}}
</div></main></body></html>`))

// statusLabel is how the answer page names a booking's status, in the
// catalogue's English.
var statusLabel = map[string]string{"invited": "not answered yet", "accepted": "accepted", "declined": "declined",
	"tentative": "tentative", "confirmed": "confirmed", "completed": "completed", "cancelled": "cancelled", "proposed": "proposed"}

// linkGone answers a link that no longer works: 410 with whom to contact
// when it expired, 404 when it is unknown.
func linkGone(c *gin.Context, l *calendar.Link) {
	status, data := http.StatusNotFound, map[string]any{"Expired": false}
	if l != nil {
		status = http.StatusGone
		data = map[string]any{"Expired": true, "B": l.Booking, "When": calendar.When(l.Booking),
			"ExpiredOn": calendar.Day(l.ExpiresAt, l.Booking.Zone)}
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	_ = linkPage.Execute(c.Writer, data)
}

// answer serves /r/{token}: the booking and buttons to accept, answer
// tentatively or decline, for people without a calendar client. The
// answer goes through the reply processor, so that it also closes what
// earlier calendar replies left open for staff. The token is never
// logged: the access log shows the route template.
func (s *Server) answer(c *gin.Context) {
	token := c.Param("token")
	if len(token) < 22 || len(token) > 64 {
		linkGone(c, nil)
		return
	}
	l, err := s.Replies.Link(c.Request.Context(), token)
	if errs.KindOf(err) == errs.NotFound {
		linkGone(c, nil)
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	if l.Expired {
		linkGone(c, &l)
		return
	}
	b := l.Booking
	done, warn := "", false
	if c.Request.Method == http.MethodPost {
		to := c.PostForm("answer")
		if to != "accepted" && to != "declined" && to != "tentative" {
			fail(c, errs.Invalidf("answer", "must be accepted, tentative or declined"))
			return
		}
		if b.Status == to {
			done = i18n.Sprintf(lang(c), "Your answer is already recorded: %s. Nothing more to do.", statusLabel[to])
		} else {
			err := s.Replies.Answer(c.Request.Context(), b, to)
			if e, ok := errs.As(err); ok && e.Kind == errs.Conflict {
				// A second tap that raced the first: the booking moved
				// meanwhile; if it moved to this answer, all is well.
				if now, lerr := s.Replies.Link(c.Request.Context(), token); lerr == nil {
					b = now.Booking
				}
			}
			switch e, ok := errs.As(err); {
			case err != nil && b.Status == to:
				done = i18n.Sprintf(lang(c), "Your answer is already recorded: %s. Nothing more to do.", statusLabel[to])
			case err == nil:
				b.Status = to
				done = i18n.Sprintf(lang(c), "Thank you, your answer is recorded: %s.", statusLabel[to])
			case ok && (e.Kind == errs.Conflict || e.Kind == errs.Forbidden):
				warn = true
				done = i18n.Sprintf(lang(c), "Your answer cannot be recorded: the booking is now %s. Contact the organisers at %s.",
					i18n.Sprintf(lang(c), statusLabel[b.Status]), b.Institution)
			default:
				fail(c, err)
				return
			}
		}
	}
	where := b.Venue
	if b.Mode == "online" {
		where = i18n.Sprintf(lang(c), "Online")
	}
	c.Header("Cache-Control", "no-store")
	c.Header("Referrer-Policy", "no-referrer")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(http.StatusOK)
	_ = answerPage.Execute(c.Writer, map[string]any{"Lang": lang(c), "B": b, "When": calendar.Span(b).Tell(lang(c)),
		"Where": strings.TrimSpace(where), "Status": statusLabel[b.Status], "Done": done, "Warn": warn, "CanAnswer": b.Answerable()})
}

// outboxOut is one queued, sent or dead message.
type outboxOut struct {
	ID            int64      `json:"id"`
	BookingID     int64      `json:"booking_id"`
	Kind          string     `json:"kind"`
	Recipient     string     `json:"recipient"`
	Status        string     `json:"status"`
	Attempts      int        `json:"attempts"`
	NextAttemptAt time.Time  `json:"next_attempt_at"`
	LastError     string     `json:"last_error"`
	CreatedAt     time.Time  `json:"created_at"`
	SentAt        *time.Time `json:"sent_at"`
}
