package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func TestInviteAndFeeds(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar")
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@a.go.id", "198503102010012003"))
	p := e.createPerson(e.staffA, practitionerJSON("marthen@example.id"))
	e.book(s, w, "lead")
	b := e.book(s, p, "co_trainer").id()
	trainer := e.key("trainer", e.instA, p)
	invite := fmt.Sprintf("/v1/bookings/%d/invite.ics", b)

	e.expect(e.do("GET", invite, trainer, nil), http.StatusNotFound, "not_invited")
	e.expect(e.transition(e.staffA, b, "invited"), http.StatusOK, "")
	r := e.do("GET", invite, trainer, nil)
	if r.Status != 200 || r.Header.Get("Content-Type") != "text/calendar; charset=utf-8; method=REQUEST" {
		t.Fatalf("%d %v", r.Status, r.Header)
	}
	ics := string(r.Raw)
	for _, want := range []string{"DTSTART;TZID=Asia/Makassar:20261207T090000", "ORGANIZER;CN=BPSDM Provinsi A:mailto:jadwal@sinergi.example.id",
		"mailto:marthen@example.id", "BEGIN:VTIMEZONE", "PARTSTAT=NEEDS-ACTION", "RSVP=TRUE"} {
		if !strings.Contains(strings.ReplaceAll(ics, "\r\n ", ""), want) {
			t.Errorf("invite lacks %q:\n%s", want, ics)
		}
	}
	e.expect(e.do("GET", invite, e.staffB, nil), http.StatusNotFound, "not_found")
	t.Run("HEAD gives the headers of invite.ics without the body", func(t *testing.T) {
		h := e.do("HEAD", invite, trainer, nil)
		if h.Status != 200 || h.Header.Get("Content-Type") != "text/calendar; charset=utf-8; method=REQUEST" ||
			h.Header.Get("Content-Length") != fmt.Sprint(len(r.Raw)) || len(h.Raw) != 0 {
			t.Fatalf("HEAD %d %v %d bytes", h.Status, h.Header, len(h.Raw))
		}
	})
	t.Run("an accepted booking's invite says ACCEPTED and asks for no reply", func(t *testing.T) {
		e.expect(e.transition(trainer, b, "accepted"), http.StatusOK, "")
		ics := strings.ReplaceAll(string(e.do("GET", invite, trainer, nil).Raw), "\r\n ", "")
		if !strings.Contains(ics, "PARTSTAT=ACCEPTED") || strings.Contains(ics, "RSVP") {
			t.Fatalf("%s", ics)
		}
	})

	r = e.do("POST", "/v1/feed-tokens", trainer, nil)
	e.expect(r, http.StatusCreated, "")
	url := r.Body["url"].(string)
	path := strings.TrimPrefix(url, "https://sinergi.example.id")
	if !strings.HasPrefix(path, "/feeds/") || len(path) < len("/feeds/")+43 || !strings.HasPrefix(r.Body["webcal_url"].(string), "webcal://") {
		t.Fatalf("feed url %v", r.Body)
	}
	feed := e.do("GET", path, "", nil)
	if feed.Status != 200 || !strings.Contains(string(feed.Raw), "METHOD:PUBLISH") || strings.Contains(string(feed.Raw), "mailto:") {
		t.Fatalf("feed %d %s", feed.Status, feed.Raw)
	}
	var stored int64
	must(t, e.db.Raw("SELECT count(*) FROM feed_tokens WHERE position(? in encode(hash, 'escape')) > 0", strings.TrimSuffix(path[len("/feeds/"):], ".ics")).Scan(&stored).Error)
	if stored != 0 {
		t.Fatal("the feed token is stored in clear")
	}
	etag := feed.Header.Get("ETag")
	if again := e.do("GET", path, "", nil, "If-None-Match", etag); again.Status != http.StatusNotModified {
		t.Fatalf("If-None-Match: %d", again.Status)
	}
	if h := e.do("HEAD", path, "", nil); h.Status != 200 || h.Header.Get("ETag") != etag || len(h.Raw) != 0 ||
		h.Header.Get("Content-Length") != fmt.Sprint(len(feed.Raw)) {
		t.Fatalf("HEAD on the feed: %d %v", h.Status, h.Header)
	}
	if h := e.do("HEAD", path, "", nil, "If-None-Match", etag); h.Status != http.StatusNotModified {
		t.Fatalf("HEAD with If-None-Match: %d", h.Status)
	}
	t.Run("a cancelled session stays in the feed as CANCELLED and the invite becomes a CANCEL", func(t *testing.T) {
		e.expect(e.do("PATCH", fmt.Sprintf("/v1/sessions/%d", s), e.staffA, map[string]any{"status": "cancelled"}), http.StatusOK, "")
		feed := e.do("GET", path, "", nil, "If-None-Match", etag)
		if feed.Status != 200 || !strings.Contains(string(feed.Raw), "STATUS:CANCELLED") {
			t.Fatalf("%d %s", feed.Status, feed.Raw)
		}
		r := e.do("GET", fmt.Sprintf("/v1/bookings/%d/invite.ics", b), e.staffA, nil)
		ics := strings.ReplaceAll(string(r.Raw), "\r\n ", "")
		if !strings.Contains(ics, "METHOD:CANCEL") || !strings.Contains(ics, "SEQUENCE:1") || strings.Contains(ics, "RSVP") ||
			!strings.Contains(ics, "ORGANIZER;CN=BPSDM Provinsi A:mailto:jadwal@sinergi.example.id") {
			t.Fatalf("%s", r.Raw)
		}
	})
	t.Run("rotating revokes the old URL", func(t *testing.T) {
		r := e.do("POST", "/v1/feed-tokens", trainer, nil)
		e.expect(r, http.StatusCreated, "")
		e.expect(e.do("GET", path, "", nil), http.StatusNotFound, "not_found")
		newPath := strings.TrimPrefix(r.Body["url"].(string), "https://sinergi.example.id")
		e.expect(e.do("GET", newPath, "", nil), http.StatusOK, "")
		e.expect(e.do("POST", "/v1/feed-tokens/revoke", trainer, nil), http.StatusNoContent, "")
		e.expect(e.do("GET", newPath, "", nil), http.StatusNotFound, "not_found")
	})
	t.Run("staff get an institution feed; another institution's person is not theirs", func(t *testing.T) {
		e.expect(e.do("POST", "/v1/feed-tokens", e.staffA, nil), http.StatusCreated, "")
		e.expect(e.do("POST", "/v1/feed-tokens", e.staffB, map[string]any{"person_id": p}), http.StatusNotFound, "not_found")
		e.expect(e.do("POST", "/v1/feed-tokens", trainer, map[string]any{"person_id": w}), http.StatusForbidden, "forbidden")
	})
}
