package calendar

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"

	"github.com/emersion/go-message"
)

// TokenPlaceholder stands in a preview where the answer link's secret
// token was.
const TokenPlaceholder = "{token}"

// answerTokenRe matches the secret part of an answer link (/r/{token}).
var answerTokenRe = regexp.MustCompile(`/r/[A-Za-z0-9_-]{16,}`)

// Preview is a queued message as its recipient will read it, without
// anything that would let the reader act as the recipient.
type Preview struct {
	From, To, Subject string
	Text, HTML        string
	Calendar          string
}

// RenderPreview decodes a composed message for staff to read: headers,
// the text, HTML and calendar parts (transfer encodings undone), with
// every answer-link token replaced by TokenPlaceholder. Staff can see what
// a person was sent; they cannot answer in that person's name.
func RenderPreview(raw []byte) (Preview, error) {
	ent, err := message.Read(bytes.NewReader(raw))
	if ent == nil {
		return Preview{}, fmt.Errorf("read queued message: %w", err)
	}
	hide := func(s string) string { return answerTokenRe.ReplaceAllString(s, "/r/"+TokenPlaceholder) }
	dec := new(mime.WordDecoder)
	header := func(name string) string {
		v := ent.Header.Get(name)
		if d, err := dec.DecodeHeader(v); err == nil {
			return d
		}
		return v
	}
	p := Preview{From: header("From"), To: header("To"), Subject: hide(header("Subject"))}
	err = ent.Walk(func(path []int, part *message.Entity, err error) error {
		if err != nil || part == nil {
			return nil
		}
		ct, _, _ := part.Header.ContentType()
		if disp, _, _ := part.Header.ContentDisposition(); disp == "attachment" {
			return nil
		}
		var dst *string
		switch strings.ToLower(ct) {
		case "text/plain":
			dst = &p.Text
		case "text/html":
			dst = &p.HTML
		case "text/calendar":
			dst = &p.Calendar
		default:
			return nil
		}
		body, rerr := io.ReadAll(io.LimitReader(part.Body, maxPartBytes))
		if rerr == nil && *dst == "" {
			*dst = hide(string(body))
		}
		return nil
	})
	return p, err
}
