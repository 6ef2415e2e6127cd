package calendar

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	netmail "net/mail"
	"strconv"
	"strings"

	"github.com/emersion/go-ical"
	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // decode non-UTF-8 text parts
)

// Limits on what an inbound message may hold.
const (
	MaxMessageBytes  = 10 << 20
	maxCalendarParts = 8
	maxPartBytes     = 1 << 20
)

// Message is an inbound e-mail reduced to what iTIP processing needs.
type Message struct {
	From      string // the From address, lower case
	MessageID string
	Subject   string
	HasDKIM   bool
	// Calendars are the bodies of its text/calendar or application/ics
	// parts (and .ics attachments), decoded from base64 or quoted-printable.
	Calendars [][]byte
}

// ErrNoCalendar means a message carries no iCalendar part.
var ErrNoCalendar = errors.New("the message carries no text/calendar or application/ics part")

func isCalendarPart(h message.Header) bool {
	ct, params, _ := h.ContentType()
	ct = strings.ToLower(ct)
	if ct == "text/calendar" || ct == "application/ics" || ct == "text/x-vcalendar" {
		return true
	}
	name := params["name"]
	if _, dp, err := h.ContentDisposition(); err == nil && dp["filename"] != "" {
		name = dp["filename"]
	}
	return strings.HasSuffix(strings.ToLower(name), ".ics")
}

// ParseMessage reads a raw RFC 5322 message leniently: nested multiparts,
// base64 and quoted-printable bodies, text/calendar or application/ics.
func ParseMessage(raw []byte) (Message, error) {
	if len(raw) > MaxMessageBytes {
		return Message{}, fmt.Errorf("the message is larger than %d bytes", MaxMessageBytes)
	}
	ent, err := message.Read(bytes.NewReader(raw))
	if ent == nil {
		return Message{}, fmt.Errorf("not an RFC 5322 message: %w", err)
	}
	var m Message
	if from := ent.Header.Get("From"); from != "" {
		if a, err := netmail.ParseAddress(from); err == nil {
			m.From = strings.ToLower(a.Address)
		} else if addrs, err := netmail.ParseAddressList(from); err == nil && len(addrs) > 0 {
			m.From = strings.ToLower(addrs[0].Address)
		}
	}
	m.MessageID = strings.Trim(ent.Header.Get("Message-Id"), "<> ")
	if s, err := new(mime.WordDecoder).DecodeHeader(ent.Header.Get("Subject")); err == nil {
		m.Subject = s
	}
	m.HasDKIM = ent.Header.Get("DKIM-Signature") != ""
	walkErr := ent.Walk(func(path []int, part *message.Entity, err error) error {
		if err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err) {
			return nil // a broken part is skipped, not fatal
		}
		if len(path) > 12 {
			return errors.New("multipart nesting too deep")
		}
		if part == nil || !isCalendarPart(part.Header) || len(m.Calendars) >= maxCalendarParts {
			return nil
		}
		body, rerr := io.ReadAll(io.LimitReader(part.Body, maxPartBytes))
		if rerr == nil && len(bytes.TrimSpace(body)) > 0 {
			m.Calendars = append(m.Calendars, body)
		}
		return nil
	})
	if walkErr != nil {
		return m, walkErr
	}
	if len(m.Calendars) == 0 {
		return m, ErrNoCalendar
	}
	return m, nil
}

// Attendee is one ATTENDEE line of an iTIP object.
type Attendee struct {
	Email    string
	Name     string
	PartStat string
	// DelegatedTo and DelegatedFrom are the addresses of the
	// DELEGATED-TO and DELEGATED-FROM parameters (the first one each).
	DelegatedTo   string
	DelegatedFrom string
}

// ITIPEvent is what processing needs of one VEVENT.
type ITIPEvent struct {
	UID          string
	Sequence     int
	RecurrenceID string
	Organizer    string
	Attendees    []Attendee
	Comment      string
}

// ITIP is one VCALENDAR object with its METHOD.
type ITIP struct {
	Method string
	Events []ITIPEvent
}

// addressOf takes the address from a CAL-ADDRESS value, mailto: in any
// case, falling back to the EMAIL parameter (Apple, Outlook).
func addressOf(p ical.Prop) string {
	v := strings.TrimSpace(p.Value)
	if strings.HasPrefix(strings.ToLower(v), "mailto:") {
		v = v[len("mailto:"):]
	} else if e := p.Params.Get("EMAIL"); e != "" {
		v = e
	}
	return strings.ToLower(strings.Trim(v, `" `))
}

// calAddress reads a CAL-ADDRESS parameter value ("mailto:x@y", quoted
// or not, any case of mailto:).
func calAddress(v string) string {
	v = strings.Trim(strings.TrimSpace(v), `"`)
	if strings.HasPrefix(strings.ToLower(v), "mailto:") {
		v = v[len("mailto:"):]
	}
	return strings.ToLower(strings.TrimSpace(v))
}

// unescape reads a TEXT value leniently: it also accepts "\:", which some
// producers write although RFC 5545 does not define it.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// normalize makes the stream the decoder expects: CRLF line ends (bare LF
// and CR are common), folds with TAB or spaces kept as folds, and several
// VCALENDARs split apart.
func normalize(data []byte) [][]byte {
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	var objects [][]byte
	var cur bytes.Buffer
	depth := 0
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), maxPartBytes)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" {
			continue
		}
		upper := strings.ToUpper(strings.TrimSpace(line))
		if upper == "BEGIN:VCALENDAR" {
			depth++
			if depth == 1 {
				cur.Reset()
			}
		}
		if depth > 0 {
			cur.WriteString(line)
			cur.WriteString("\r\n")
		}
		if upper == "END:VCALENDAR" && depth > 0 {
			depth--
			if depth == 0 {
				objects = append(objects, append([]byte(nil), cur.Bytes()...))
			}
		}
	}
	return objects
}

// decode runs go-ical's decoder, which can panic on malformed parameters
// (for example a parameter without "=" at the end of a line); the panic
// becomes an error.
func decode(obj []byte) (cal *ical.Calendar, err error) {
	defer func() {
		if r := recover(); r != nil {
			cal, err = nil, fmt.Errorf("malformed content line: %v", r)
		}
	}()
	return ical.NewDecoder(bytes.NewReader(obj)).Decode()
}

// ParseITIP reads every VCALENDAR in data.
func ParseITIP(data []byte) ([]ITIP, error) {
	objects := normalize(data)
	if len(objects) == 0 {
		return nil, errors.New("no VCALENDAR object found")
	}
	var out []ITIP
	for i, obj := range objects {
		cal, err := decode(obj)
		if err != nil {
			return out, fmt.Errorf("VCALENDAR %d: %w", i+1, err)
		}
		it := ITIP{}
		if p := cal.Props.Get(ical.PropMethod); p != nil {
			it.Method = strings.ToUpper(strings.TrimSpace(p.Value))
		}
		for _, child := range cal.Children {
			if child.Name != ical.CompEvent {
				continue
			}
			var ev ITIPEvent
			if p := child.Props.Get(ical.PropUID); p != nil {
				ev.UID = strings.TrimSpace(unescape(p.Value))
			}
			if p := child.Props.Get(ical.PropSequence); p != nil {
				ev.Sequence, _ = strconv.Atoi(strings.TrimSpace(p.Value))
			}
			if p := child.Props.Get(ical.PropRecurrenceID); p != nil {
				ev.RecurrenceID = p.Value
			}
			if p := child.Props.Get(ical.PropOrganizer); p != nil {
				ev.Organizer = addressOf(*p)
			}
			if p := child.Props.Get(ical.PropComment); p != nil {
				ev.Comment = unescape(p.Value)
			}
			for _, p := range child.Props.Values(ical.PropAttendee) {
				ev.Attendees = append(ev.Attendees, Attendee{Email: addressOf(p), Name: strings.TrimSpace(p.Params.Get(ical.ParamCommonName)),
					PartStat:    strings.ToUpper(p.Params.Get(ical.ParamParticipationStatus)),
					DelegatedTo: calAddress(p.Params.Get(ical.ParamDelegatedTo)), DelegatedFrom: calAddress(p.Params.Get(ical.ParamDelegatedFrom))})
			}
			it.Events = append(it.Events, ev)
		}
		out = append(out, it)
	}
	return out, nil
}
