package calendar

import (
	"fmt"
	"strings"

	"github.com/emersion/go-ical"

	"sinergi/errs"
	"sinergi/mailbox"
	"sinergi/tz"
)

// Event is the booking as a calendar event; organizer is the service
// mailbox, shown with the institution's name. The attendee's PARTSTAT is
// the booking's state; RSVP=TRUE is asked only in a REQUEST awaiting an
// answer.
func eventOf(b Booking, organizer string) Event {
	role := "Co-Trainer"
	attRole := "REQ-PARTICIPANT"
	if b.Role == "lead" {
		role, attRole = "Pengajar utama", "CHAIR"
	}
	status := "CONFIRMED"
	if b.Cancelled() {
		status = "CANCELLED"
	}
	desc := fmt.Sprintf("%s — %s\n%s: %s\nWaktu: %s\nTempat: %s", b.CourseName, b.Institution, role, b.PersonName,
		When(b), b.Location())
	partstat := b.PartStat()
	return Event{UID: b.UID, Sequence: b.Sequence, Stamp: b.UpdatedAt, Start: b.Start, End: b.End, Zone: b.Zone,
		Summary: b.Topic + " (" + b.CourseName + ")", Description: strings.TrimSpace(desc), Location: b.Location(), Status: status,
		Organizer: Party{Email: organizer, Name: b.OrganizerName()},
		Attendees: []Party{{Email: b.PersonEmail, Name: b.PersonName, Role: attRole, PartStat: partstat,
			RSVP: partstat == "NEEDS-ACTION" && b.Method() == "REQUEST"}}}
}

// Invite is the current iTIP object of a booking: REQUEST, or CANCEL.
func Invite(b Booking, organizer string) *ical.Calendar {
	return Build(b.Method(), []Event{eventOf(b, organizer)}, true)
}

// ErrNotInvited: a booking only proposed was never sent, so it has no
// calendar object yet.
var ErrNotInvited = errs.New(errs.NotFound, "not_invited", "the booking has not been sent as an invitation yet; its invite.ics exists once it is invited")

// CurrentObject is the object a person holding the booking's invitation
// should have now (Invite), or ErrNotInvited for a booking never sent.
func CurrentObject(b Booking, organizer string) ([]byte, error) {
	if b.Status == "proposed" {
		return nil, ErrNotInvited
	}
	return Bytes(Invite(b, organizer))
}

// Reinvite is the REQUEST of a session that changed significantly: the
// attendee is asked to answer again (PARTSTAT=NEEDS-ACTION, RSVP=TRUE,
// RFC 5546 §2.1.5), whatever the earlier answer was.
func Reinvite(b Booking, organizer string) *ical.Calendar {
	if b.Method() != "REQUEST" {
		return Invite(b, organizer)
	}
	e := eventOf(b, organizer)
	e.Attendees[0].PartStat, e.Attendees[0].RSVP = "NEEDS-ACTION", true
	return Build("REQUEST", []Event{e}, true)
}

// Feed is a PUBLISH calendar of bookings for a subscription, without
// attendee addresses; cancelled ones stay with STATUS:CANCELLED so that
// subscribed calendars drop them.
func Feed(name string, bookings []Booking) *ical.Calendar {
	events := make([]Event, len(bookings))
	for i, b := range bookings {
		e := eventOf(b, "")
		if !b.Cancelled() && b.Status != "confirmed" && b.Status != "accepted" && b.Status != "completed" {
			e.Status = "TENTATIVE"
		}
		events[i] = e
	}
	cal := Build("PUBLISH", events, false,
		ical.Prop{Name: "X-WR-CALNAME", Value: escapeText(name), Params: ical.Params{}},
		ical.Prop{Name: "REFRESH-INTERVAL", Value: "PT1H", Params: ical.Params{ical.ParamValue: {"DURATION"}}},
		ical.Prop{Name: "X-PUBLISHED-TTL", Value: "PT1H", Params: ical.Params{}})
	if len(cal.Children) == 0 {
		// A calendar holds at least one component (RFC 5545 §3.6) and the
		// encoder refuses an empty one; a feed subscribed before the first
		// session carries the WIB zone, so subscribing works from day one.
		cal.Children = append(cal.Children, vtimezone(tz.Zones[0]))
	}
	return cal
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "").Replace(s)
}

// The records the stores keep are the mailbox package's; calendar builds
// and reads the messages about them.
type (
	// Booking is what a calendar object says about one booking.
	Booking = mailbox.Booking
	// OutboxItem is one queued e-mail.
	OutboxItem = mailbox.OutboxItem
	// Record is what was received and what became of it.
	Record = mailbox.Record
	// Received is a stored inbound message, without its raw text.
	Received = mailbox.Received
	// Pending is a deferred message to process again.
	Pending = mailbox.Pending
	// MessageFilter narrows a listing of received messages.
	MessageFilter = mailbox.MessageFilter
	// Link is an answer link with its booking.
	Link = mailbox.Link
)

// Outcomes of an inbound message.
const (
	Applied   = mailbox.Applied
	Unchanged = mailbox.Unchanged
	Ignored   = mailbox.Ignored
	Rejected  = mailbox.Rejected
	Held      = mailbox.Held
	Deferred  = mailbox.Deferred
)
