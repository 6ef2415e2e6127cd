package calendar

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// OutboxStore queues mail and hands it out to workers.
type OutboxStore interface {
	BookingView(ctx context.Context, inst, bookingID int64) (Booking, error)
	// NewLinkToken makes an answer-page token for a booking that works
	// until expires.
	NewLinkToken(ctx context.Context, bookingID int64, expires time.Time) (string, error)
	Enqueue(ctx context.Context, inst, bookingID int64, kind, recipient string, message []byte) error
	// Deliver claims due messages with FOR UPDATE SKIP LOCKED, so any
	// number of workers can run, sends each with send, and records the
	// result: sent, retried with backoff, or dead after maxAttempts.
	Deliver(ctx context.Context, batch, maxAttempts int, send func(recipient string, message []byte) error) (sent, failed int, err error)
}

// Postman composes iTIP mail for bookings and queues it.
type Postman struct {
	Store OutboxStore
	// Organizer is the service mailbox; its name in objects and mail is
	// the booking's institution (Booking.OrganizerName).
	Organizer string
	BaseURL   string
	Now       func() time.Time
}

// AnswerGrace is how long an answer link outlives its session.
const AnswerGrace = 7 * 24 * time.Hour

// QueueITIP implements Mailer.
func (p Postman) QueueITIP(ctx context.Context, inst, bookingID int64, method string) error {
	return p.Queue(ctx, inst, bookingID, method, nil)
}

// Queue composes the booking's current iTIP object with method (REQUEST,
// CANCEL or DECLINECOUNTER; a REQUEST of a cancelled booking becomes its
// CANCEL) and queues it in the outbox, in the caller's transaction. was,
// when set, is the session before an update.
func (p Postman) Queue(ctx context.Context, inst, bookingID int64, method string, was *Change) error {
	b, err := p.Store.BookingView(ctx, inst, bookingID)
	if err != nil {
		return err
	}
	var ics []byte
	switch {
	case method == "DECLINECOUNTER":
		ics = DeclineCounter(b, p.Organizer)
	case was != nil:
		if ics, err = Bytes(Reinvite(b, p.Organizer)); err != nil {
			return err
		}
		method = b.Method()
	default:
		if ics, err = Bytes(Invite(b, p.Organizer)); err != nil {
			return err
		}
		method = b.Method()
	}
	answer := ""
	if method == "REQUEST" {
		if answer, err = p.answerLink(ctx, b); err != nil {
			return err
		}
	}
	now := p.Now()
	msg, err := Compose(Mail{From: p.Organizer, FromName: b.OrganizerName(), To: b.PersonEmail, ToName: b.PersonName, Method: method,
		Booking: b, ICS: ics, AnswerURL: answer, Date: now, Was: was,
		MessageID: fmt.Sprintf("%d.%d.%d@%s", bookingID, b.Sequence, now.UnixNano(), domainOf(p.Organizer))})
	if err != nil {
		return err
	}
	return p.Store.Enqueue(ctx, inst, bookingID, method, b.PersonEmail, msg)
}

// answerLink makes a new answer-page link for b. It lives until the
// session is over, plus AnswerGrace (at least a day); every mail that
// asks for an answer carries a new one.
func (p Postman) answerLink(ctx context.Context, b Booking) (string, error) {
	now := p.Now()
	expires := b.End.Add(AnswerGrace)
	if expires.Before(now.Add(24 * time.Hour)) {
		expires = now.Add(24 * time.Hour)
	}
	token, err := p.Store.NewLinkToken(ctx, b.ID, expires)
	if err != nil {
		return "", err
	}
	return p.BaseURL + "/r/" + token, nil
}

// AnswerLinkKind is the outbox kind of the mail that sends a new answer
// link after a calendar reply could not be recorded.
const AnswerLinkKind = "ANSWER_LINK"

// QueueAnswerLink implements Mailer: a mail to the booked person (never
// to a reply's sender) with a new answer link, in the caller's
// transaction.
func (p Postman) QueueAnswerLink(ctx context.Context, inst, bookingID int64) error {
	b, err := p.Store.BookingView(ctx, inst, bookingID)
	if err != nil {
		return err
	}
	link, err := p.answerLink(ctx, b)
	if err != nil {
		return err
	}
	now := p.Now()
	msg, err := ComposeNotice(Notice{From: p.Organizer, FromName: b.OrganizerName(), To: b.PersonEmail, ToName: b.PersonName,
		Booking: b, AnswerURL: link, Date: now, MessageID: fmt.Sprintf("%d.link.%d@%s", bookingID, now.UnixNano(), domainOf(p.Organizer))})
	if err != nil {
		return err
	}
	return p.Store.Enqueue(ctx, inst, bookingID, AnswerLinkKind, b.PersonEmail, msg)
}

func domainOf(addr string) string {
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == '@' {
			return addr[i+1:]
		}
	}
	return "sinergi"
}

// Worker sends queued mail until its context ends.
type Worker struct {
	Store       OutboxStore
	Send        func(recipient string, message []byte) error
	Interval    time.Duration
	Batch       int
	MaxAttempts int
	Log         *slog.Logger
	// Replies, when set, also processes deferred calendar replies that
	// are due (their DKIM key lookup failed for a while) on every round.
	Replies interface {
		RetryDeferred(ctx context.Context, inst int64, limit int) (int, error)
	}
}

// Run polls the outbox.
func (w Worker) Run(ctx context.Context) {
	t := time.NewTicker(w.Interval)
	defer t.Stop()
	for {
		sent, failed, err := w.Store.Deliver(ctx, w.Batch, w.MaxAttempts, w.Send)
		if err != nil && ctx.Err() == nil {
			w.Log.Error("outbox", "err", err)
		} else if sent+failed > 0 {
			w.Log.Info("outbox", "sent", sent, "failed", failed)
		}
		if w.Replies != nil {
			if n, err := w.Replies.RetryDeferred(ctx, 0, w.Batch); err != nil && ctx.Err() == nil {
				w.Log.Error("deferred replies", "err", err)
			} else if n > 0 {
				w.Log.Info("deferred replies", "settled", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
