// Package mailbox holds the facts of the mail the service sends and
// receives: the booking as its calendar objects tell it, the outbox, the
// calendar replies received and what became of them, and answer links.
// The calendar package builds and reads the messages; the stores keep
// these records.
package mailbox

import "time"

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

// Answerable reports whether the booked person can still answer the
// invitation (on the answer page or from a calendar): the booking awaits
// or holds an answer and its session takes place.
func (b Booking) Answerable() bool {
	switch b.Status {
	case "invited", "accepted", "tentative", "declined":
		return b.SessionStatus != "cancelled"
	}
	return false
}

// Method is the iTIP method that describes the booking now.
func (b Booking) Method() string {
	if b.Cancelled() {
		return "CANCEL"
	}
	return "REQUEST"
}

// Location is where the session takes place, as people read it.
func (b Booking) Location() string {
	if b.Mode == "online" {
		return "Daring (online)"
	}
	return b.Venue
}

// PartStat is the attendee's PARTSTAT that the booking's status stands
// for: an accepted (or confirmed, completed) booking is ACCEPTED.
func (b Booking) PartStat() string {
	switch b.Status {
	case "accepted", "confirmed", "completed":
		return "ACCEPTED"
	case "tentative":
		return "TENTATIVE"
	case "declined":
		return "DECLINED"
	}
	return "NEEDS-ACTION"
}

// OrganizerName is the one name the ORGANIZER carries in every object and
// mail of a booking: its institution's.
func (b Booking) OrganizerName() string {
	if b.Institution == "" {
		return "Sinergi"
	}
	return b.Institution
}

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

// Record is what was received and what became of it; every message is
// kept with its record.
type Record struct {
	ID            int64
	InstitutionID int64
	BookingID     int64
	ReceivedAt    time.Time
	MessageID     string
	Sender        string
	EnvelopeFrom  string
	Method        string
	UID           string
	Attendee      string
	PartStat      string
	Sequence      *int
	// Comment is the attendee's note (COMMENT), as written.
	Comment string
	// DelegatedTo and DelegatedName name the delegate of a DELEGATED
	// answer.
	DelegatedTo   string
	DelegatedName string
	Outcome       string
	Reason        string
	// Attention: staff must look at this message (a rejection, a
	// delegation, a deferral) until the booking is answered.
	Attention bool
	// TrainerTold: the invited person was sent a new answer link because
	// of this message.
	TrainerTold bool
	// Attempts counts processing runs; NextAttemptAt is set while the
	// message is deferred.
	Attempts      int
	NextAttemptAt *time.Time
	Raw           []byte
}

// Received is a stored inbound message, without its raw text.
type Received struct {
	ID            int64
	ReceivedAt    time.Time
	BookingID     int64
	MessageID     string
	Sender        string
	EnvelopeFrom  string
	Method        string
	UID           string
	Attendee      string
	PartStat      string
	Comment       string
	DelegatedTo   string
	DelegatedName string
	Sequence      *int
	Outcome       string
	Reason        string
	Attention     bool
	TrainerTold   bool
	ResolvedAt    *time.Time
	Attempts      int
	NextAttemptAt *time.Time
}

// Pending is a deferred message claimed for another run: what was
// recorded of it, and its raw text. ResolvedAt is set when the booking
// was answered (or staff closed the message) while it waited; it must not
// be applied any more.
type Pending struct {
	Received
	InstitutionID int64
	Raw           []byte
}

// MessageFilter narrows a list of received messages.
type MessageFilter struct {
	Outcome string
	// Attention keeps the messages still needing staff's attention.
	Attention bool
	BookingID int64
	ID        int64
}

// Link is what an answer-page token leads to.
type Link struct {
	Booking       Booking
	InstitutionID int64
	ExpiresAt     time.Time
	// Expired: the token is known but no longer answers.
	Expired bool
}

// Outcomes of an inbound message.
const (
	Applied   = "applied"
	Unchanged = "unchanged"
	Ignored   = "ignored"
	Rejected  = "rejected"
	// Held: a genuine answer that a person must act on (a delegation);
	// the booking does not change.
	Held = "held"
	// Deferred: a DKIM key could not be fetched for now; the message is
	// processed again later (Processor.RetryDeferred).
	Deferred = "deferred"
)

// Open reports whether the message still needs staff's attention.
func (r Received) Open() bool { return r.Attention && r.ResolvedAt == nil }
