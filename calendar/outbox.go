package calendar

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// OutboxItem is one queued e-mail.
type OutboxItem struct {
	ID            int64
	InstitutionID int64
	BookingID     int64
	Kind          string
	Recipient     string
	Status        string // pending, sent or dead
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// OutboxStore queues mail and hands it out to workers.
type OutboxStore interface {
	BookingView(ctx context.Context, inst, bookingID int64) (Booking, error)
	NewLinkToken(ctx context.Context, bookingID int64, ttl time.Duration) (string, error)
	Enqueue(ctx context.Context, inst, bookingID int64, kind, recipient string, message []byte) error
	// Deliver claims due messages with FOR UPDATE SKIP LOCKED, so any
	// number of workers can run, sends each with send, and records the
	// result: sent, retried with backoff, or dead after maxAttempts.
	Deliver(ctx context.Context, batch, maxAttempts int, send func(recipient string, message []byte) error) (sent, failed int, err error)
}

// Postman composes iTIP mail for bookings and queues it.
type Postman struct {
	Store         OutboxStore
	Organizer     string
	OrganizerName string
	BaseURL       string
	Now           func() time.Time
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
	switch method {
	case "DECLINECOUNTER":
		ics = DeclineCounter(b, p.Organizer)
	default:
		if ics, err = Bytes(Invite(b, p.Organizer)); err != nil {
			return err
		}
		method = b.Method()
	}
	answer := ""
	if method == "REQUEST" {
		// The link lives until the session is over, plus a grace period;
		// every update sends a new one.
		ttl := max(b.End.Add(AnswerGrace).Sub(p.Now()), 24*time.Hour)
		token, err := p.Store.NewLinkToken(ctx, bookingID, ttl)
		if err != nil {
			return err
		}
		answer = p.BaseURL + "/r/" + token
	}
	now := p.Now()
	msg, err := Compose(Mail{From: p.Organizer, FromName: p.OrganizerName, To: b.PersonEmail, ToName: b.PersonName, Method: method,
		Booking: b, ICS: ics, AnswerURL: answer, Date: now, Was: was,
		MessageID: fmt.Sprintf("%d.%d.%d@%s", bookingID, b.Sequence, now.UnixNano(), domainOf(p.Organizer))})
	if err != nil {
		return err
	}
	return p.Store.Enqueue(ctx, inst, bookingID, method, b.PersonEmail, msg)
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
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
