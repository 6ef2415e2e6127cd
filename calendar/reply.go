package calendar

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/dkim"

	"sinergi/errs"
)

// Outcomes of an inbound message.
const (
	Applied   = "applied"
	Unchanged = "unchanged"
	Ignored   = "ignored"
	Rejected  = "rejected"
)

// Record is what was received and what became of it; every message is
// kept with its record.
type Record struct {
	InstitutionID int64
	BookingID     int64
	MessageID     string
	Sender        string
	Method        string
	UID           string
	Attendee      string
	PartStat      string
	Sequence      *int
	Outcome       string
	Reason        string
	Raw           []byte
}

// Received is a stored inbound message, without its raw text.
type Received struct {
	ID         int64
	ReceivedAt time.Time
	BookingID  int64
	MessageID  string
	Sender     string
	Method     string
	UID        string
	Attendee   string
	PartStat   string
	Outcome    string
	Reason     string
}

// ReplyStore is what reply processing needs of storage.
type ReplyStore interface {
	BookingByUID(ctx context.Context, uid string) (Booking, int64, error)
	RecordMessage(ctx context.Context, r Record) (int64, error)
}

// Mailer queues outgoing iTIP mail.
type Mailer interface {
	// QueueITIP sends the booking's current object with method (REQUEST,
	// CANCEL or DECLINECOUNTER) to the booked person.
	QueueITIP(ctx context.Context, inst, bookingID int64, method string) error
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
	// RequireDKIM refuses messages without a verified DKIM signature.
	RequireDKIM bool
	// LookupTXT resolves DKIM keys; nil uses DNS.
	LookupTXT func(domain string) ([]string, error)
}

var partstatStatus = map[string]string{"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}

// checkDKIM verifies the message's DKIM signatures: one valid signature of
// the sender's domain (or a parent of it) passes.
func (p Processor) checkDKIM(raw []byte, sender string) error {
	vs, err := dkim.VerifyWithOptions(bytes.NewReader(raw), &dkim.VerifyOptions{LookupTXT: p.LookupTXT, MaxVerifications: 5})
	if err != nil && len(vs) == 0 {
		return fmt.Errorf("DKIM: %v", err)
	}
	_, domain, _ := strings.Cut(sender, "@")
	for _, v := range vs {
		if v.Err == nil && (strings.EqualFold(v.Domain, domain) || strings.HasSuffix(strings.ToLower(domain), "."+strings.ToLower(v.Domain))) {
			return nil
		}
	}
	for _, v := range vs {
		if v.Err != nil {
			return fmt.Errorf("DKIM signature of %s does not verify: %v", v.Domain, v.Err)
		}
	}
	return fmt.Errorf("no DKIM signature of the sender's domain %s", domain)
}

// Process handles one inbound message for the gateway of institution inst.
// envelopeFrom, when the gateway knows it, must match the attendee too.
func (p Processor) Process(ctx context.Context, inst int64, raw []byte, envelopeFrom string) (Record, error) {
	var rec Record
	err := p.Tx.Do(ctx, func(ctx context.Context) error {
		rec = p.decide(ctx, inst, raw, strings.ToLower(strings.TrimSpace(envelopeFrom)))
		rec.Raw = raw
		if rec.InstitutionID == 0 {
			rec.InstitutionID = inst
		}
		_, err := p.Store.RecordMessage(ctx, rec)
		return err
	})
	return rec, err
}

func (p Processor) decide(ctx context.Context, inst int64, raw []byte, envelopeFrom string) Record {
	var rec Record
	reject := func(format string, args ...any) Record {
		rec.Outcome, rec.Reason = Rejected, fmt.Sprintf(format, args...)
		return rec
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
	rec.UID = ev.UID
	seq := ev.Sequence
	rec.Sequence = &seq
	switch it.Method {
	case "REPLY", "COUNTER", "REFRESH":
	case "":
		return reject("the calendar object has no METHOD; a reply must be METHOD:REPLY")
	default:
		rec.Outcome, rec.Reason = Ignored, "METHOD:"+it.Method+" is not an answer to an invitation"
		return rec
	}
	b, bInst, err := p.Store.BookingByUID(ctx, ev.UID)
	if err != nil || bInst != inst {
		return reject("unknown UID: no booking of this institution has it")
	}
	rec.BookingID, rec.InstitutionID = b.ID, bInst
	if len(ev.Attendees) != 1 {
		return reject("a %s must name exactly one ATTENDEE, the one replying; it names %d", it.Method, len(ev.Attendees))
	}
	att := ev.Attendees[0]
	rec.Attendee, rec.PartStat = att.Email, att.PartStat
	invited := strings.ToLower(b.PersonEmail)
	if att.Email != invited {
		return reject("the ATTENDEE %s is not the invited person", att.Email)
	}
	if msg.From != invited || (envelopeFrom != "" && envelopeFrom != invited) {
		return reject("the sender %s does not match the attendee %s", firstNonEmpty(envelopeFrom, msg.From), invited)
	}
	if msg.HasDKIM {
		if err := p.checkDKIM(raw, msg.From); err != nil {
			return reject("%v", err)
		}
	} else if p.RequireDKIM {
		return reject("the message has no DKIM signature and one is required")
	}
	switch it.Method {
	case "COUNTER":
		rec.Outcome, rec.Reason = Ignored, "a COUNTER proposal is declined: the session's time is set by the organiser"
		p.queue(ctx, b, "DECLINECOUNTER", &rec)
		return rec
	case "REFRESH":
		rec.Outcome, rec.Reason = Applied, "REFRESH: the current "+b.Method()+" is sent again"
		p.queue(ctx, b, b.Method(), &rec)
		return rec
	}
	if ev.Sequence < b.Sequence {
		rec.Outcome, rec.Reason = Ignored, fmt.Sprintf("stale SEQUENCE %d: the invitation is at %d", ev.Sequence, b.Sequence)
		return rec
	}
	status, ok := partstatStatus[att.PartStat]
	if !ok {
		rec.Outcome, rec.Reason = Ignored, "PARTSTAT "+att.PartStat+" does not answer the invitation"
		return rec
	}
	if b.Status == status {
		rec.Outcome, rec.Reason = Unchanged, "the booking is already "+status
		return rec
	}
	if err := p.Transition(ctx, b.PersonID, b.ID, status); err != nil {
		if e, ok := errs.As(err); ok {
			return reject("the booking cannot become %s: %s", status, e.Message)
		}
		rec.Outcome, rec.Reason = Rejected, "internal error applying the reply"
		return rec
	}
	rec.Outcome, rec.Reason = Applied, "the booking is now "+status
	return rec
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

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
