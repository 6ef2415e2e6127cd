// Package calendar speaks iCalendar for Sinergi: it writes iTIP REQUEST
// and CANCEL objects and PUBLISH feeds on top of emersion/go-ical, adding
// what that library lacks (VTIMEZONE for the four Indonesian zones, 75-octet
// folding that never splits UTF-8), composes iMIP e-mail (RFC 6047) and
// reads the replies calendar clients send back.
package calendar

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"

	"sinergi/tz"
)

// ProdID names the producer in every object.
const ProdID = "-//Sinergi//Co-Trainer Scheduling//ID"

// Party is an organizer or attendee.
type Party struct {
	Email string
	Name  string
	// Role is CHAIR or REQ-PARTICIPANT (attendees).
	Role string
	// PartStat is NEEDS-ACTION, ACCEPTED, DECLINED or TENTATIVE.
	PartStat string
	// RSVP asks the attendee to answer (a REQUEST awaiting one).
	RSVP bool
}

// Event is one session as a calendar event.
type Event struct {
	UID         string
	Sequence    int
	Stamp       time.Time
	Start, End  time.Time
	Zone        string
	Summary     string
	Description string
	Location    string
	// Status is CONFIRMED, TENTATIVE or CANCELLED.
	Status    string
	URL       string
	Organizer Party
	Attendees []Party
}

// vtimezone describes an Indonesian zone; none has daylight saving, so a
// single STANDARD block is exact.
func vtimezone(zone string) *ical.Component {
	tzc := ical.NewComponent(ical.CompTimezone)
	tzc.Props.SetText(ical.PropTimezoneID, zone)
	std := ical.NewComponent(ical.CompTimezoneStandard)
	loc := tz.MustLoad(zone)
	_, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone()
	offset := fmt.Sprintf("%+03d%02d", off/3600, (off%3600)/60)
	std.Props.Set(&ical.Prop{Name: ical.PropDateTimeStart, Value: "19700101T000000", Params: ical.Params{}})
	std.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetFrom, Value: offset, Params: ical.Params{}})
	std.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetTo, Value: offset, Params: ical.Params{}})
	std.Props.SetText(ical.PropTimezoneName, tz.Label(zone))
	tzc.Children = append(tzc.Children, std)
	return tzc
}

// sanitizeCN keeps a display name usable as a parameter value: RFC 5545
// parameter values cannot hold a double quote or a line break.
func sanitizeCN(s string) string {
	s = strings.NewReplacer(`"`, "'", "\r", " ", "\n", " ").Replace(s)
	return strings.TrimSpace(s)
}

func mailto(email string) string { return "mailto:" + strings.ToLower(strings.TrimSpace(email)) }

func partyProp(name string, p Party, attendee bool) *ical.Prop {
	prop := &ical.Prop{Name: name, Value: mailto(p.Email), Params: ical.Params{}}
	if cn := sanitizeCN(p.Name); cn != "" {
		prop.Params.Set(ical.ParamCommonName, cn)
	}
	if attendee {
		prop.Params.Set("CUTYPE", "INDIVIDUAL")
		prop.Params.Set(ical.ParamRole, p.Role)
		prop.Params.Set(ical.ParamParticipationStatus, p.PartStat)
		if p.RSVP {
			prop.Params.Set(ical.ParamRSVP, "TRUE")
		}
	}
	return prop
}

// Build makes a VCALENDAR of method (REQUEST, CANCEL or PUBLISH; "" for
// none) holding the events, with one VTIMEZONE, first, for every zone
// they use. withAttendees is false for feeds, which must not publish
// e-mail addresses.
func Build(method string, events []Event, withAttendees bool, extra ...ical.Prop) *ical.Calendar {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropProductID, ProdID)
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	if method != "" {
		cal.Props.SetText(ical.PropMethod, method)
	}
	for i := range extra {
		cal.Props.Add(&extra[i])
	}
	seen := map[string]bool{}
	for _, e := range events {
		if !seen[e.Zone] {
			seen[e.Zone] = true
			cal.Children = append(cal.Children, vtimezone(e.Zone))
		}
	}
	for _, e := range events {
		ev := ical.NewEvent()
		loc := tz.MustLoad(e.Zone)
		ev.Props.SetText(ical.PropUID, e.UID)
		ev.Props.SetDateTime(ical.PropDateTimeStamp, e.Stamp.UTC())
		ev.Props.SetDateTime(ical.PropDateTimeStart, e.Start.In(loc))
		ev.Props.SetDateTime(ical.PropDateTimeEnd, e.End.In(loc))
		ev.Props.Set(&ical.Prop{Name: ical.PropSequence, Value: fmt.Sprint(e.Sequence), Params: ical.Params{}})
		ev.Props.SetText(ical.PropSummary, e.Summary)
		if e.Description != "" {
			ev.Props.SetText(ical.PropDescription, e.Description)
		}
		if e.Location != "" {
			ev.Props.SetText(ical.PropLocation, e.Location)
		}
		ev.Props.SetText(ical.PropStatus, e.Status)
		ev.Props.SetText(ical.PropTransparency, "OPAQUE")
		if e.URL != "" {
			ev.Props.Set(&ical.Prop{Name: ical.PropURL, Value: e.URL, Params: ical.Params{ical.ParamValue: {"URI"}}})
		}
		if withAttendees {
			ev.Props.Set(partyProp(ical.PropOrganizer, e.Organizer, false))
			for _, a := range e.Attendees {
				ev.Props.Add(partyProp(ical.PropAttendee, a, true))
			}
			ev.Props.Set(&ical.Prop{Name: "X-MICROSOFT-DISALLOW-COUNTER", Value: "TRUE", Params: ical.Params{}})
		}
		cal.Children = append(cal.Children, ev.Component)
	}
	return cal
}

// Encode writes cal with CRLF line ends, folded at 75 octets.
func Encode(w io.Writer, cal *ical.Calendar) error {
	f := &Folder{W: w}
	if err := ical.NewEncoder(f).Encode(cal); err != nil {
		return err
	}
	return f.Flush()
}

// Bytes encodes cal into memory.
func Bytes(cal *ical.Calendar) ([]byte, error) {
	var buf bytes.Buffer
	err := Encode(&buf, cal)
	return buf.Bytes(), err
}

// Folder is an io.Writer that folds content lines at 75 octets (RFC 5545
// §3.1): a long line continues on the next after CRLF and a space, and a
// UTF-8 sequence is never split.
type Folder struct {
	W       io.Writer
	pending []byte
}

// Write buffers until a line ends, then writes the line folded.
func (f *Folder) Write(p []byte) (int, error) {
	f.pending = append(f.pending, p...)
	for {
		i := bytes.IndexByte(f.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		line := bytes.TrimRight(f.pending[:i], "\r")
		if err := f.writeLine(line); err != nil {
			return 0, err
		}
		f.pending = f.pending[i+1:]
	}
}

// Flush writes a last line left without a line end.
func (f *Folder) Flush() error {
	if len(f.pending) == 0 {
		return nil
	}
	err := f.writeLine(f.pending)
	f.pending = nil
	return err
}

func (f *Folder) writeLine(line []byte) error {
	w := bufio.NewWriter(f.W)
	limit := 75
	for len(line) > limit {
		// Step back to the start of a UTF-8 sequence (at most 3 bytes);
		// invalid input is cut where it is.
		cut := limit
		for cut > limit-3 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if !utf8.RuneStart(line[cut]) {
			cut = limit
		}
		if _, err := w.Write(line[:cut]); err != nil {
			return err
		}
		if _, err := w.WriteString("\r\n "); err != nil {
			return err
		}
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	if _, err := w.Write(line); err != nil {
		return err
	}
	if _, err := w.WriteString("\r\n"); err != nil {
		return err
	}
	return w.Flush()
}
