package calendar

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/emersion/go-message/mail"
)

// QueueSignInLink queues the e-mail that carries a trainer's single-use
// sign-in link to the portal, in the caller's transaction. It implements
// tenant.LinkMailer.
func (p Postman) QueueSignInLink(ctx context.Context, inst int64, to, name, link string) error {
	now := p.Now()
	var h mail.Header
	h.SetDate(now)
	h.SetAddressList("From", []*mail.Address{{Name: "Sinergi", Address: p.Organizer}})
	h.SetAddressList("To", []*mail.Address{{Name: name, Address: to}})
	h.SetMessageID(fmt.Sprintf("signin.%d@%s", now.UnixNano(), domainOf(p.Organizer)))
	h.SetSubject("Tautan masuk Sinergi / Sinergi sign-in link")
	h.SetContentType("text/plain", map[string]string{"charset": "utf-8"})
	var buf bytes.Buffer
	w, err := mail.CreateSingleInlineWriter(&buf, h)
	if err != nil {
		return err
	}
	body := fmt.Sprintf(`Yth. %s,

Buka tautan berikut untuk masuk ke portal pengajar Sinergi. Tautan hanya
berlaku sekali dan selama 15 menit:

  %s

Abaikan e-mail ini jika Anda tidak memintanya.
---
Open the link above to sign in to the Sinergi trainer portal. It works once,
for 15 minutes. Ignore this e-mail if you did not ask for it.
`, name, link)
	if _, err := io.WriteString(w, body); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return p.Store.Enqueue(ctx, inst, 0, "SIGNIN", to, buf.Bytes())
}
