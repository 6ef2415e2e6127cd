package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"sinergi/calendar"
	"sinergi/errs"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// BookingViews reads a booking as its calendar object tells it, within the
// principal's scope (the one read the calendar handlers make; the rules of
// the object live in calendar).
type BookingViews interface {
	BookingView(ctx context.Context, scope scheduling.Scope, id int64) (calendar.Booking, int64, error)
}

// writeICS answers a calendar object; to HEAD, the same headers
// (Content-Length included) without the body.
func writeICS(c *gin.Context, method string, body []byte) {
	ct := "text/calendar; charset=utf-8"
	if method != "" {
		ct += "; method=" + method
	}
	if c.Request.Method == http.MethodHead {
		c.Header("Content-Type", ct)
		c.Header("Content-Length", strconv.Itoa(len(body)))
		c.Status(http.StatusOK)
		return
	}
	c.Data(http.StatusOK, ct, body)
}

// invite answers the booking's current iTIP object (REQUEST or CANCEL),
// with the attendee's PARTSTAT as the booking stands. A booking never
// invited (proposed) has none: 404.
func (s *Server) invite(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	b, _, err := s.Calendar.BookingView(c.Request.Context(), bookingScope(principal(c)), id)
	if err != nil {
		fail(c, err)
		return
	}
	body, err := calendar.CurrentObject(b, s.Organizer)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Content-Disposition", `attachment; filename="invite.ics"`)
	writeICS(c, b.Method(), body)
}

type feedTokenIn struct {
	PersonID int64 `json:"person_id"`
}

// feedOwner decides whose feed a request is about: a trainer's own; for
// staff, a person of their institution or (person_id 0) the institution.
func (s *Server) feedOwner(c *gin.Context, person int64) (int64, int64, error) {
	p := principal(c)
	if p.Role == tenant.Trainer {
		if person != 0 && person != p.PersonID {
			return 0, 0, tenant.ErrForbidden.WithMessage("a trainer key manages only its own feed")
		}
		return p.InstitutionID, p.PersonID, nil
	}
	if person != 0 {
		if _, err := s.People.Person(c.Request.Context(), p.InstitutionID, person, false); err != nil {
			return 0, 0, err
		}
	}
	return p.InstitutionID, person, nil
}

// feedRequest reads the optional person_id of a feed-token request and
// resolves whose feed it is.
func (s *Server) feedRequest(c *gin.Context) (int64, int64, error) {
	var in feedTokenIn
	if c.Request.ContentLength != 0 {
		if err := s.bind(c, &in); err != nil {
			return 0, 0, err
		}
	}
	return s.feedOwner(c, in.PersonID)
}

// createFeedToken makes (or rotates) a feed URL, shown once.
func (s *Server) createFeedToken(c *gin.Context) {
	inst, person, err := s.feedRequest(c)
	if err != nil {
		fail(c, err)
		return
	}
	secret, err := s.Desk.NewFeedToken(c.Request.Context(), inst, person)
	if err != nil {
		fail(c, err)
		return
	}
	url := s.BaseURL + "/feeds/" + secret + ".ics"
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, feedTokenOut{URL: url, WebcalURL: "webcal://" + strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://"),
		PersonID: person, Note: "shown once; creating a new one revokes this one"})
}

func (s *Server) revokeFeedToken(c *gin.Context) {
	inst, person, err := s.feedRequest(c)
	if err == nil {
		err = s.Desk.RevokeFeedTokens(c.Request.Context(), inst, person)
	}
	if err != nil {
		fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

// feed serves /feeds/{token}.ics: PUBLISH, no attendee addresses, with an
// ETag. Unknown and revoked tokens are 404. The access log shows only the
// route template, never the token.
func (s *Server) feed(c *gin.Context) {
	secret, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok {
		fail(c, errs.NotFoundf("no such feed"))
		return
	}
	body, err := s.Desk.Feed(c.Request.Context(), secret)
	if err != nil {
		fail(c, err)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	c.Header("ETag", etag)
	c.Header("Cache-Control", "private, max-age=300")
	if match := c.GetHeader("If-None-Match"); match != "" && strings.Contains(match, etag) {
		c.Status(http.StatusNotModified)
		return
	}
	writeICS(c, "", body)
}

// previewOutbox shows staff a queued message as the recipient reads it,
// with the answer link's token replaced by a placeholder.
func (s *Server) previewOutbox(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	m, p, err := s.Desk.Preview(c.Request.Context(), principal(c).InstitutionID, id)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusOK, previewOut{ID: m.ID, BookingID: m.BookingID, Kind: m.Kind, Status: m.Status, From: p.From, To: p.To,
		Subject: p.Subject, Text: p.Text, HTML: p.HTML, Calendar: p.Calendar, Placeholder: calendar.TokenPlaceholder})
}

// feedTokenOut is a new feed URL, shown once.
type feedTokenOut struct {
	URL       string `json:"url"`
	WebcalURL string `json:"webcal_url"`
	PersonID  int64  `json:"person_id"`
	Note      string `json:"note"`
}

// previewOut is a queued message as its recipient reads it.
type previewOut struct {
	ID          int64  `json:"id"`
	BookingID   int64  `json:"booking_id"`
	Kind        string `json:"kind"`
	Status      string `json:"status"`
	From        string `json:"from"`
	To          string `json:"to"`
	Subject     string `json:"subject"`
	Text        string `json:"text"`
	HTML        string `json:"html"`
	Calendar    string `json:"calendar"`
	Placeholder string `json:"placeholder"`
}
