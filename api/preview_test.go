package api_test

import (
	"bytes"
	"context"
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
	_, message, err := e.outbox.OutboxMessage(context.Background(), e.instA, id)
	must(t, err)
	// Undo quoted-printable soft line breaks; the token's characters need no other escaping.
	raw := bytes.ReplaceAll(message, []byte("=\r\n"), nil)
	token := regexp.MustCompile(`/r/([A-Za-z0-9_-]{16,})`).FindSubmatch(raw)
	if token == nil {
		t.Fatal("the queued message has no answer link")
	}
	t.Run("the table holds the message sealed: neither the token nor the text", func(t *testing.T) {
		var stored struct {
			Message []byte
			Sealed  bool
		}
		must(t, e.db.Raw("SELECT message, sealed FROM outbox WHERE id = ?", id).Scan(&stored).Error)
		if !stored.Sealed || bytes.Contains(stored.Message, token[1]) || bytes.Contains(stored.Message, []byte("/r/")) ||
			bytes.Contains(stored.Message, []byte("marthen@example.id")) {
			t.Fatalf("outbox.message is readable: %.200q", stored.Message)
		}
	})
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

// TestQueuedMailIsSealedAtStart seals mail queued before messages were
// sealed, as serve does when it starts, and still delivers it as composed.
func TestQueuedMailIsSealedAtStart(t *testing.T) {
	e := newEnv(t)
	var id int64
	must(t, e.db.Raw(`INSERT INTO outbox (institution_id, kind, recipient, message) VALUES (?, 'REQUEST', 'x@example.id', ?) RETURNING id`,
		e.instA, []byte("Subject: hi\r\n\r\nhttps://sinergi.example.id/r/AAAAAAAAAAAAAAAAAAAAAAAA\r\n")).Scan(&id).Error)
	n, err := e.outbox.SealMessages(context.Background())
	must(t, err)
	var stored struct {
		Message []byte
		Sealed  bool
	}
	must(t, e.db.Raw("SELECT message, sealed FROM outbox WHERE id = ?", id).Scan(&stored).Error)
	if n != 1 || !stored.Sealed || bytes.Contains(stored.Message, []byte("/r/")) {
		t.Fatalf("sealed %d, row %v %.80q", n, stored.Sealed, stored.Message)
	}
	_, msg, err := e.outbox.OutboxMessage(context.Background(), e.instA, id)
	must(t, err)
	if !bytes.Contains(msg, []byte("/r/AAAAAAAAAAAAAAAAAAAAAAAA")) {
		t.Fatalf("opened %q", msg)
	}
	if n, err := e.outbox.SealMessages(context.Background()); err != nil || n != 0 {
		t.Fatalf("sealing again sealed %d (%v)", n, err)
	}
}
