package calendar

import (
	"context"
	"fmt"
	"strings"
	"time"

	"sinergi/errs"
)

// ReplyStore is what reply processing needs of storage.
type ReplyStore interface {
	BookingByUID(ctx context.Context, uid string) (Booking, int64, error)
	RecordMessage(ctx context.Context, r Record) (int64, error)
	// UpdateMessage stores the outcome of a message processed again.
	UpdateMessage(ctx context.Context, id int64, r Record) error
	// ClaimDeferred locks the oldest deferred message due at now (of
	// institution inst, or of any when inst is 0) so that no other
	// worker takes it; nil when there is none.
	ClaimDeferred(ctx context.Context, inst int64, now time.Time) (*Pending, error)
	// TrainerTold reports whether the booked person was already sent a
	// new answer link for a message still needing attention.
	TrainerTold(ctx context.Context, bookingID int64) (bool, error)
	// ResolveAttention closes every open attention on a booking: it has
	// been answered.
	ResolveAttention(ctx context.Context, bookingID int64, at time.Time) error
	// ResolveMessage closes the attention one message of institution
	// inst asked for; NotFound when it needs none.
	ResolveMessage(ctx context.Context, inst, id int64, at time.Time) (Received, error)
	// Messages lists an institution's received messages, newest first.
	Messages(ctx context.Context, inst int64, f MessageFilter, limit int) ([]Received, error)
	// BookingReplies returns the latest answer a calendar reply gave for
	// a booking and the latest message on it still needing attention.
	BookingReplies(ctx context.Context, inst, bookingID int64) (answer, attention *Received, err error)
	// LinkBooking resolves an answer-page token at now.
	LinkBooking(ctx context.Context, secret string, now time.Time) (Link, error)
}

// Mailer queues outgoing mail about bookings.
type Mailer interface {
	// QueueITIP sends the booking's current object with method (REQUEST,
	// CANCEL or DECLINECOUNTER) to the booked person.
	QueueITIP(ctx context.Context, inst, bookingID int64, method string) error
	// QueueAnswerLink tells the booked person that a calendar reply could
	// not be recorded and sends a new link to answer with.
	QueueAnswerLink(ctx context.Context, inst, bookingID int64) error
}

// Limits of deferral: a message whose DKIM key lookup keeps failing is
// tried MaxAttempts times with growing waits; the last run treats the
// unreachable signatures as absent.
const (
	MaxAttempts  = 8
	firstBackoff = 5 * time.Minute
	maxBackoff   = 2 * time.Hour
)

// deferBackoff is the wait after attempt n (1-based): five minutes
// doubling, at most two hours.
func deferBackoff(n int) time.Duration {
	return min(firstBackoff<<min(max(n-1, 0), 8), maxBackoff)
}

// Processor applies calendar replies to bookings.
type Processor struct {
	Store ReplyStore
	// Tx runs the processing of one message in one transaction: the
	// booking's change, its side effects and the message's record.
	Tx interface {
		Do(ctx context.Context, f func(ctx context.Context) error) error
	}
	// Transition moves the person's booking to accepted, declined or
	// tentative.
	Transition func(ctx context.Context, personID, bookingID int64, status string) error
	Mailer     Mailer
	// RequireDKIM refuses messages without a verified DKIM signature
	// aligned with the From domain.
	RequireDKIM bool
	// LookupTXT resolves DKIM keys; nil uses DNS. A temporary failure
	// (a net.Error whose Temporary() is true) defers the message.
	LookupTXT func(domain string) ([]string, error)
	// Now is the clock; nil is the system clock.
	Now func() time.Time
}

func (p Processor) now() time.Time {
	if p.Now == nil {
		return time.Now().UTC()
	}
	return p.Now()
}

var partstatStatus = map[string]string{"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}

// Process handles one inbound message for the gateway of institution inst.
// envelopeFrom is the SMTP envelope sender when the gateway knows it.
func (p Processor) Process(ctx context.Context, inst int64, raw []byte, envelopeFrom string) (Record, error) {
	var rec Record
	err := p.Tx.Do(ctx, func(ctx context.Context) error {
		var err error
		rec, err = p.run(ctx, inst, raw, strings.ToLower(strings.TrimSpace(envelopeFrom)), 1)
		if err != nil {
			return err
		}
		rec.ReceivedAt = p.now()
		rec.ID, err = p.Store.RecordMessage(ctx, rec)
		return err
	})
	return rec, err
}

// RetryDeferred processes again, each in its own transaction, up to limit
// deferred messages that are due (of institution inst, or of any when inst
// is 0). It returns how many were settled (no longer deferred).
func (p Processor) RetryDeferred(ctx context.Context, inst int64, limit int) (int, error) {
	settled := 0
	for range limit {
		found := false
		err := p.Tx.Do(ctx, func(ctx context.Context) error {
			m, err := p.Store.ClaimDeferred(ctx, inst, p.now())
			if err != nil || m == nil {
				return err
			}
			found = true
			var rec Record
			if m.ResolvedAt != nil {
				// Answered since (the page, a later reply) or closed by
				// staff: applying this older answer now would undo that.
				rec = Record{InstitutionID: m.InstitutionID, BookingID: m.BookingID, MessageID: m.MessageID, Sender: m.Sender,
					EnvelopeFrom: m.EnvelopeFrom, Method: m.Method, UID: m.UID, Attendee: m.Attendee, PartStat: m.PartStat,
					Sequence: m.Sequence, Comment: m.Comment, DelegatedTo: m.DelegatedTo, DelegatedName: m.DelegatedName,
					Outcome: Ignored, Attempts: m.Attempts, TrainerTold: m.TrainerTold,
					Reason: "superseded: the booking was answered, or staff closed this message, while its DKIM check waited"}
			} else if rec, err = p.run(ctx, m.InstitutionID, m.Raw, m.EnvelopeFrom, m.Attempts+1); err != nil {
				return err
			}
			rec.ReceivedAt = m.ReceivedAt
			if rec.Outcome != Deferred {
				settled++
			}
			return p.Store.UpdateMessage(ctx, m.ID, rec)
		})
		if err != nil {
			return settled, fmt.Errorf("retry deferred replies: %w", err)
		}
		if !found {
			break
		}
	}
	return settled, nil
}

// Answer records a person's answer from the answer page: the booking's
// change goes through Transition, and the attention its earlier calendar
// replies asked for is closed, in one transaction.
func (p Processor) Answer(ctx context.Context, b Booking, status string) error {
	return p.Tx.Do(ctx, func(ctx context.Context) error {
		if err := p.Transition(ctx, b.PersonID, b.ID, status); err != nil {
			return err
		}
		return p.Store.ResolveAttention(ctx, b.ID, p.now())
	})
}

// Messages lists the calendar messages an institution received, newest
// first, narrowed by f.
func (p Processor) Messages(ctx context.Context, inst int64, f MessageFilter, limit int) ([]Received, error) {
	return p.Store.Messages(ctx, inst, f, limit)
}

// Resolve closes, at the service's clock, the attention a message asked
// for: staff have dealt with it (booked the delegate, called the trainer).
// A deferred message closed this way is not applied when its check runs.
func (p Processor) Resolve(ctx context.Context, inst, id int64) (Received, error) {
	return p.Store.ResolveMessage(ctx, inst, id, p.now())
}

// BookingReplies returns what calendar replies said about a booking: the
// latest answer recorded from one, with its COMMENT, and the latest
// message still needing staff; either may be nil.
func (p Processor) BookingReplies(ctx context.Context, inst, bookingID int64) (answer, attention *Received, err error) {
	return p.Store.BookingReplies(ctx, inst, bookingID)
}

// Link resolves an answer-page token at the service's clock: the booking,
// and whether the link has expired.
func (p Processor) Link(ctx context.Context, secret string) (Link, error) {
	return p.Store.LinkBooking(ctx, secret, p.now())
}

// run decides a message and performs its effects in the caller's
// transaction: the booking's change, closing earlier attention once the
// booking is answered, and the one mail that tells the invited person an
// answer could not be recorded.
func (p Processor) run(ctx context.Context, inst int64, raw []byte, envelopeFrom string, attempt int) (Record, error) {
	rec, b, err := p.decide(ctx, inst, raw, envelopeFrom, attempt)
	if err != nil {
		return rec, err
	}
	rec.Raw, rec.EnvelopeFrom, rec.Attempts = raw, envelopeFrom, attempt
	if rec.InstitutionID == 0 {
		rec.InstitutionID = inst
	}
	if rec.BookingID == 0 {
		return rec, nil
	}
	switch {
	case (rec.Outcome == Applied || rec.Outcome == Unchanged) && rec.Method == "REPLY":
		if err := p.Store.ResolveAttention(ctx, rec.BookingID, p.now()); err != nil {
			return rec, err
		}
	case rec.Outcome == Rejected && b.Answerable():
		told, err := p.Store.TrainerTold(ctx, rec.BookingID)
		if err != nil || told {
			return rec, err
		}
		if p.Mailer == nil {
			rec.Reason += "; no mailer is configured"
			return rec, nil
		}
		if err := p.Mailer.QueueAnswerLink(ctx, rec.InstitutionID, rec.BookingID); err != nil {
			return rec, fmt.Errorf("queue the answer link of booking %d: %w", rec.BookingID, err)
		}
		rec.TrainerTold = true
		rec.Reason += "; the invited person was sent a new answer link"
	}
	return rec, nil
}

// replier finds the binding ATTENDEE line: the invited person's, in any
// spelling of the mailbox. A REPLY names only that attendee; a delegation
// may add the delegates' lines (DELEGATED-FROM the invited person).
func replier(method string, atts []Attendee, invited string) (Attendee, []Attendee, string) {
	var mine *Attendee
	var delegates []Attendee
	others := 0
	for i, a := range atts {
		switch {
		case mine == nil && SameMailbox(a.Email, invited):
			mine = &atts[i]
		case SameMailbox(a.DelegatedFrom, invited):
			delegates = append(delegates, a)
		default:
			others++
		}
	}
	switch {
	case mine == nil && len(atts) == 1:
		return Attendee{}, nil, fmt.Sprintf("the ATTENDEE %s is not the invited person", atts[0].Email)
	case mine == nil || others > 0:
		return Attendee{}, nil, fmt.Sprintf("a %s must name exactly one ATTENDEE, the one replying; it names %d", method, len(atts))
	}
	return *mine, delegates, ""
}

// envelopeAgrees reports whether the envelope sender supports the From
// address: absent, the same mailbox, a domain aligned with it, or a
// calendar provider's own bounce address.
func envelopeAgrees(envelope, from string) bool {
	return envelope == "" || SameMailbox(envelope, from) || Aligned(domainOfAddr(envelope), domainOfAddr(from)) || providerBounce(envelope)
}

// decide reads a message and decides what becomes of it. Binding facts:
// the UID names a booking of the gateway's institution and the ATTENDEE
// line is the invited person. Supporting evidence: the From address is the
// same mailbox, the envelope sender agrees, and a DKIM signature aligned
// with the From domain verifies. An aligned pass outweighs a disagreeing
// envelope; without one, a disagreeing envelope makes the reply doubtful,
// as does a From of another mailbox. Doubtful and refused replies do not
// change the booking; staff see them and the person is sent a link.
func (p Processor) decide(ctx context.Context, inst int64, raw []byte, envelopeFrom string, attempt int) (Record, Booking, error) {
	var rec Record
	var b Booking
	reject := func(format string, args ...any) (Record, Booking, error) {
		rec.Outcome, rec.Reason, rec.Attention = Rejected, fmt.Sprintf(format, args...), true
		return rec, b, nil
	}
	done := func(outcome, reason string) (Record, Booking, error) {
		rec.Outcome, rec.Reason = outcome, reason
		return rec, b, nil
	}
	msg, err := ParseMessage(raw)
	rec.MessageID, rec.Sender = msg.MessageID, msg.From
	if err != nil {
		return reject("%v", err)
	}
	var its []ITIP
	var parseErr error
	for _, c := range msg.Calendars {
		x, err := ParseITIP(c)
		its = append(its, x...)
		if err != nil && parseErr == nil {
			parseErr = err
		}
	}
	if len(its) == 0 {
		return reject("the calendar part cannot be read: %v", parseErr)
	}
	it := its[0]
	rec.Method = it.Method
	if len(it.Events) == 0 {
		return reject("the %s object holds no VEVENT", it.Method)
	}
	ev := it.Events[0]
	rec.UID, rec.Comment = ev.UID, strings.TrimSpace(ev.Comment)
	seq := ev.Sequence
	rec.Sequence = &seq
	switch it.Method {
	case "REPLY", "COUNTER", "REFRESH":
	case "":
		return reject("the calendar object has no METHOD; a reply must be METHOD:REPLY")
	default:
		return done(Ignored, "METHOD:"+it.Method+" is not an answer to an invitation")
	}
	var bInst int64
	b, bInst, err = p.Store.BookingByUID(ctx, ev.UID)
	if err != nil && errs.KindOf(err) != errs.NotFound {
		return rec, b, err
	}
	if err != nil || bInst != inst {
		b = Booking{}
		return reject("unknown UID: no booking of this institution has it")
	}
	rec.BookingID, rec.InstitutionID = b.ID, bInst
	invited := b.PersonEmail
	att, delegates, why := replier(it.Method, ev.Attendees, invited)
	if why != "" {
		return reject("%s", why)
	}
	rec.Attendee, rec.PartStat = att.Email, att.PartStat

	var dk dkimVerdict
	if msg.HasDKIM {
		dk = p.checkDKIM(raw, domainOfAddr(msg.From))
	}
	if dk.AlignedPass == "" && dk.AlignedFail != "" {
		return reject("the DKIM signature of the sender's domain does not verify (%s)", dk.AlignedFail)
	}
	if dk.AlignedPass == "" && dk.TempFail != "" {
		if attempt < MaxAttempts {
			next := p.now().Add(deferBackoff(attempt))
			rec.NextAttemptAt, rec.Attention = &next, true
			return done(Deferred, fmt.Sprintf("a DKIM key could not be fetched for now (%s); attempt %d of %d, next at %s",
				dk.TempFail, attempt, MaxAttempts, next.UTC().Format(time.RFC3339)))
		}
		// The lookups kept failing: the signatures count as absent.
		dk.TempFail = ""
	}
	if !SameMailbox(msg.From, invited) {
		return reject("the sender %s does not match the attendee %s", msg.From, invited)
	}
	if dk.AlignedPass == "" {
		if p.RequireDKIM {
			return reject("%s of the sender's domain %s, and REQUIRE_DKIM demands one", dk, domainOfAddr(msg.From))
		}
		if !envelopeAgrees(envelopeFrom, msg.From) {
			return reject("the envelope sender %s does not match the sender %s, and no DKIM signature of %s verifies",
				envelopeFrom, msg.From, domainOfAddr(msg.From))
		}
	}
	evidence := dk.String()
	switch it.Method {
	case "COUNTER":
		rec.Outcome, rec.Reason = Ignored, "a COUNTER proposal is declined: the session's time is set by the organiser"
		p.queue(ctx, b, "DECLINECOUNTER", &rec)
		return rec, b, nil
	case "REFRESH":
		rec.Outcome, rec.Reason = Applied, "REFRESH: the current "+b.Method()+" is sent again"
		p.queue(ctx, b, b.Method(), &rec)
		return rec, b, nil
	}
	if ev.Sequence < b.Sequence {
		return done(Ignored, fmt.Sprintf("stale SEQUENCE %d: the invitation is at %d", ev.Sequence, b.Sequence))
	}
	if att.PartStat == "DELEGATED" {
		rec.DelegatedTo = att.DelegatedTo
		for _, d := range delegates {
			if rec.DelegatedTo == "" || SameMailbox(d.Email, rec.DelegatedTo) {
				rec.DelegatedTo, rec.DelegatedName = d.Email, d.Name
				break
			}
		}
		if rec.DelegatedTo == "" {
			rec.Attention = true
			return done(Held, "delegated without naming the delegate (no DELEGATED-TO): staff decide who teaches")
		}
		rec.Attention = true
		who := rec.DelegatedTo
		if rec.DelegatedName != "" {
			who = rec.DelegatedName + " <" + rec.DelegatedTo + ">"
		}
		return done(Held, "delegated to "+who+": the booking is unchanged; staff decide whether to book the delegate")
	}
	status, ok := partstatStatus[att.PartStat]
	if !ok {
		return done(Ignored, "PARTSTAT "+att.PartStat+" does not answer the invitation")
	}
	if b.Status == status || status == "accepted" && (b.Status == "confirmed" || b.Status == "completed") {
		return done(Unchanged, "the booking is already "+b.Status+" ("+evidence+")")
	}
	if b.Status == "cancelled" || b.SessionStatus == "cancelled" {
		return done(Ignored, "the booking is "+b.Status+"; the answer changes nothing")
	}
	if err := p.Transition(ctx, b.PersonID, b.ID, status); err != nil {
		if e, ok := errs.As(err); ok {
			return reject("the booking cannot become %s: %s", status, e.Message)
		}
		return rec, b, err
	}
	b.Status = status
	return done(Applied, "the booking is now "+status+" ("+evidence+")")
}

func (p Processor) queue(ctx context.Context, b Booking, method string, rec *Record) {
	if p.Mailer == nil {
		rec.Reason += "; no mailer is configured"
		return
	}
	if err := p.Mailer.QueueITIP(ctx, rec.InstitutionID, b.ID, method); err != nil {
		rec.Reason += "; queueing the answer failed: " + err.Error()
	}
}
