package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestOutboxPreview renders a queued invitation for staff: the text, HTML
// and calendar parts are there, and the answer link's token is not.
func TestOutboxPreview(t *testing.T) {
	e := newEnv(t)
	invitedBooking(e)
	items := e.do("GET", "/v1/outbox", e.staffA, nil).items()
	if len(items) != 1 {
		t.Fatalf("outbox: %v", items)
	}
	id := int64(items[0]["id"].(float64))
	var queued struct{ Message []byte }
	must(t, e.db.Raw("SELECT message FROM outbox WHERE id = ?", id).Scan(&queued).Error)
	// Undo quoted-printable soft line breaks; the token's characters need no other escaping.
	raw := bytes.ReplaceAll(queued.Message, []byte("=\r\n"), nil)
	token := regexp.MustCompile(`/r/([A-Za-z0-9_-]{16,})`).FindSubmatch(raw)
	if token == nil {
		t.Fatal("the queued message has no answer link")
	}
	r := e.do("GET", fmt.Sprintf("/v1/outbox/%d/preview", id), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	if strings.Contains(string(r.Raw), string(token[1])) {
		t.Fatalf("the preview shows the live token %s", token[1])
	}
	text, html := r.Body["text"].(string), r.Body["html"].(string)
	if !strings.Contains(text, "https://sinergi.example.id/r/{token}") || !strings.Contains(html, "/r/{token}") {
		t.Fatalf("no placeholder link in the preview: %s", r.Raw)
	}
	if !strings.HasPrefix(r.Body["subject"].(string), "Undangan: ") || !strings.Contains(text, "Anda diundang sebagai co-trainer") ||
		!strings.Contains(r.Body["calendar"].(string), "METHOD:REQUEST") || !strings.Contains(r.Body["to"].(string), "marthen@example.id") {
		t.Fatalf("preview: %s", r.Raw)
	}
	e.expect(e.do("GET", fmt.Sprintf("/v1/outbox/%d/preview", id), e.staffB, nil), http.StatusNotFound, "not_found")
}
