package api

import (
	"context"
	"html/template"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"sinergi/calendar"
	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/scheduling"
)

// Outbox is what the mail handlers need of storage.
type Outbox interface {
	Outbox(ctx context.Context, inst int64, status string) ([]calendar.OutboxItem, error)
	RetryOutbox(ctx context.Context, inst, id int64) error
	OutboxMessage(ctx context.Context, inst, id int64) (calendar.OutboxItem, []byte, error)
	LinkBooking(ctx context.Context, secret string) (calendar.Booking, int64, error)
	Messages(ctx context.Context, inst int64, outcome string, limit int) ([]calendar.Received, error)
}

// listMessages shows staff the calendar replies received and what became
// of each, newest first.
func (s *Server) listMessages(c *gin.Context) {
	outcome := c.Query("outcome")
	switch outcome {
	case "", calendar.Applied, calendar.Unchanged, calendar.Ignored, calendar.Rejected:
	default:
		fail(c, errs.Invalidf("outcome", "must be applied, unchanged, ignored or rejected"))
		return
	}
	limit, _, err := listQuery(c)
	if err != nil {
		fail(c, err)
		return
	}
	list, err := s.Outbox.Messages(c.Request.Context(), principal(c).InstitutionID, outcome, limit)
	writeList(c, list, err, func(m calendar.Received) gin.H {
		return gin.H{"id": m.ID, "received_at": m.ReceivedAt, "booking_id": m.BookingID, "message_id": m.MessageID, "sender": m.Sender,
			"method": m.Method, "uid": m.UID, "attendee": m.Attendee, "partstat": m.PartStat, "outcome": m.Outcome, "reason": m.Reason}
	})
}

// inbound takes a raw RFC 5322 message from the mail gateway. A message
// that is processed answers 200 whatever its outcome, so the gateway does
// not retry it; the outcome and reason say what happened.
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
	rec, err := s.Replies.Process(c.Request.Context(), principal(c).InstitutionID, raw, envelope)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"outcome": rec.Outcome, "reason": rec.Reason, "booking_id": rec.BookingID, "method": rec.Method,
		"uid": rec.UID, "attendee": rec.Attendee, "partstat": rec.PartStat, "message_id": rec.MessageID})
}

func (s *Server) listOutbox(c *gin.Context) {
	status := c.Query("status")
	if status != "" && status != "pending" && status != "sent" && status != "dead" {
		fail(c, errs.Invalidf("status", "must be pending, sent or dead"))
		return
	}
	items, err := s.Outbox.Outbox(c.Request.Context(), principal(c).InstitutionID, status)
	if err != nil {
		fail(c, err)
		return
	}
	out := make([]gin.H, len(items))
	for i, m := range items {
		out[i] = gin.H{"id": m.ID, "booking_id": m.BookingID, "kind": m.Kind, "recipient": m.Recipient, "status": m.Status,
			"attempts": m.Attempts, "next_attempt_at": m.NextAttemptAt, "last_error": m.LastError, "created_at": m.CreatedAt, "sent_at": m.SentAt}
	}
	c.JSON(http.StatusOK, gin.H{"items": out, "next_cursor": ""})
}

func (s *Server) retryOutbox(c *gin.Context) {
	id, err := pathID(c, "id")
	if err == nil {
		err = s.Outbox.RetryOutbox(c.Request.Context(), principal(c).InstitutionID, id)
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
.ok{background:#1d7a3a;color:#fff}.no{background:#b3261e;color:#fff}.maybe{background:#e0e4e8}.msg{padding:.8rem 1rem;border-radius:8px;background:#e3f6e8;margin:1rem 0}</style>
</head><body><main><h1>{{t .Lang "Session invitation"}}</h1>
{{if .Done}}<div class="msg" id="result">{{.Done}}</div>{{end}}
<div class="card"><p><strong>{{.B.Topic}}</strong><br>{{.B.CourseName}} — {{.B.Institution}}</p>
<p>{{.When}}<br>{{.Where}}</p><p>{{t .Lang "Your answer:"}} <strong id="status">{{t .Lang .Status}}</strong></p>
{{if .CanAnswer}}<form method="post">
<button class="ok" name="answer" value="accepted">{{t .Lang "Accept"}}</button>
<button class="maybe" name="answer" value="tentative">{{t .Lang "Maybe"}}</button>
<button class="no" name="answer" value="declined">{{t .Lang "Decline"}}</button>
</form>{{end}}</div></main></body></html>`))

// statusLabel is how the answer page names a booking's status, in the
// catalogue's English.
var statusLabel = map[string]string{"invited": "not answered yet", "accepted": "accepted", "declined": "declined",
	"tentative": "maybe", "confirmed": "confirmed", "completed": "completed", "cancelled": "cancelled", "proposed": "proposed"}

var linkGonePage = template.Must(template.New("gone").Funcs(pageFuncs).Parse(`<!doctype html><html lang="{{.Lang.Tag}}"><meta charset="utf-8">` +
	`<p>{{t .Lang "This link is unknown or has expired."}}</p></html>`))

func linkGone(c *gin.Context) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(http.StatusNotFound)
	_ = linkGonePage.Execute(c.Writer, map[string]any{"Lang": lang(c)})
}

// answer serves /r/{token}: the booking and buttons to accept, answer
// tentatively or decline, for people without a calendar client. The
// token is never logged: the access log shows the route template.
func (s *Server) answer(c *gin.Context) {
	token := c.Param("token")
	if len(token) < 22 || len(token) > 64 {
		linkGone(c)
		return
	}
	b, _, err := s.Outbox.LinkBooking(c.Request.Context(), token)
	if errs.KindOf(err) == errs.NotFound {
		linkGone(c)
		return
	}
	if err != nil {
		fail(c, err)
		return
	}
	done := ""
	if c.Request.Method == http.MethodPost {
		to := c.PostForm("answer")
		if to != "accepted" && to != "declined" && to != "tentative" {
			fail(c, errs.Invalidf("answer", "must be accepted, tentative or declined"))
			return
		}
		if b.Status == to {
			done = i18n.Sprintf(lang(c), "Your answer is already recorded: %s. Nothing more to do.", statusLabel[to])
		} else {
			nb, _, err := s.Scheduling.TransitionBooking(c.Request.Context(), scheduling.Scope{PersonID: b.PersonID}, b.ID, scheduling.Status(to), 0)
			switch e, ok := errs.As(err); {
			case err == nil:
				b.Status = string(nb.Status)
				done = i18n.Sprintf(lang(c), "Thank you, your answer is recorded: %s.", statusLabel[b.Status])
			case ok && e.Kind == errs.Conflict:
				done = i18n.Sprintf(lang(c), "The answer cannot be recorded: %s", tell(c, e.Text()))
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
		"Where": strings.TrimSpace(where), "Status": statusLabel[b.Status], "Done": done,
		"CanAnswer": !b.Cancelled() && (b.Status == "invited" || b.Status == "accepted" || b.Status == "tentative" || b.Status == "declined")})
}
