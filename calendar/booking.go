package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/emersion/go-ical"
)

// Booking is what a calendar object says about one booking.
type Booking struct {
	ID            int64
	PersonID      int64
	UID           string
	Sequence      int
	Status        string // the booking's status
	SessionStatus string
	Start, End    time.Time
	Zone          string
	Topic         string
	CourseName    string
	Venue         string
	Mode          string
	Role          string
	PersonName    string
	PersonEmail   string
	LeadName      string
	Institution   string
	UpdatedAt     time.Time
}

// Cancelled reports whether the booking no longer takes place.
func (b Booking) Cancelled() bool {
	return b.Status == "cancelled" || b.Status == "declined" || b.SessionStatus == "cancelled"
}

// Method is the iTIP method that describes the booking now.
func (b Booking) Method() string {
	if b.Cancelled() {
		return "CANCEL"
	}
	return "REQUEST"
}

func (b Booking) location() string {
	if b.Mode == "online" {
		return "Daring (online)"
	}
	return b.Venue
}

// Event is the booking as a calendar event; organizer is the service
// mailbox, shown with the lead's name.
func (b Booking) Event(organizer string) Event {
	role := "Co-Trainer"
	attRole := "REQ-PARTICIPANT"
	if b.Role == "lead" {
		role, attRole = "Pengajar utama", "CHAIR"
	}
	status := "CONFIRMED"
	if b.Cancelled() {
		status = "CANCELLED"
	}
	orgName := b.LeadName
	if orgName == "" {
		orgName = b.Institution
	}
	desc := fmt.Sprintf("%s — %s\n%s: %s\nWaktu: %s\nTempat: %s", b.CourseName, b.Institution, role, b.PersonName,
		When(b), b.location())
	return Event{UID: b.UID, Sequence: b.Sequence, Stamp: b.UpdatedAt, Start: b.Start, End: b.End, Zone: b.Zone,
		Summary: b.Topic + " (" + b.CourseName + ")", Description: strings.TrimSpace(desc), Location: b.location(), Status: status,
		Organizer: Party{Email: organizer, Name: orgName},
		Attendees: []Party{{Email: b.PersonEmail, Name: b.PersonName, Role: attRole, PartStat: "NEEDS-ACTION"}}}
}

// Invite is the current iTIP object of a booking: REQUEST, or CANCEL.
func Invite(b Booking, organizer string) *ical.Calendar {
	return Build(b.Method(), []Event{b.Event(organizer)}, true)
}

// Feed is a PUBLISH calendar of bookings for a subscription, without
// attendee addresses; cancelled ones stay with STATUS:CANCELLED so that
// subscribed calendars drop them.
func Feed(name string, bookings []Booking) *ical.Calendar {
	events := make([]Event, len(bookings))
	for i, b := range bookings {
		e := b.Event("")
		if !b.Cancelled() && b.Status != "confirmed" && b.Status != "accepted" && b.Status != "completed" {
			e.Status = "TENTATIVE"
		}
		events[i] = e
	}
	return Build("PUBLISH", events, false,
		ical.Prop{Name: "X-WR-CALNAME", Value: escapeText(name), Params: ical.Params{}},
		ical.Prop{Name: "REFRESH-INTERVAL", Value: "PT1H", Params: ical.Params{ical.ParamValue: {"DURATION"}}},
		ical.Prop{Name: "X-PUBLISHED-TTL", Value: "PT1H", Params: ical.Params{}})
}

// escapeText escapes a TEXT value (RFC 5545 §3.3.11).
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\n", `\n`, "\r", "").Replace(s)
}
