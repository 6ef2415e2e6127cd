package calendar

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTP sends mail through a server named by a URL: smtp://user:pass@host:587
// (STARTTLS, required), smtps://…:465 (implicit TLS) or smtp+plain://host:25
// (no TLS: a relay on the same host or network).
type SMTP struct {
	Addr     string
	Implicit bool
	Plain    bool
	Username string
	Password string
	From     string
}

// ParseSMTP reads an SMTP URL.
func ParseSMTP(raw, from string) (SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps" && u.Scheme != "smtp+plain") || u.Host == "" {
		return SMTP{}, fmt.Errorf("SMTP_URL must look like smtp://user:pass@host:587, smtps://host:465 or smtp+plain://host:25")
	}
	s := SMTP{Addr: u.Host, Implicit: u.Scheme == "smtps", Plain: u.Scheme == "smtp+plain", From: from}
	if _, _, err := net.SplitHostPort(u.Host); err != nil {
		s.Addr = net.JoinHostPort(u.Host, map[bool]string{true: "465", false: "587"}[s.Implicit])
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// Send delivers one message to one recipient.
func (s SMTP) Send(recipient string, message []byte) error {
	host, _, _ := net.SplitHostPort(s.Addr)
	var c *smtp.Client
	var err error
	switch {
	case s.Implicit:
		c, err = smtp.DialTLS(s.Addr, &tls.Config{ServerName: host})
	case s.Plain:
		c, err = smtp.Dial(s.Addr)
	default:
		c, err = smtp.DialStartTLS(s.Addr, &tls.Config{ServerName: host})
	}
	if err != nil {
		return err
	}
	defer c.Close()
	if s.Username != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.Username, s.Password)); err != nil {
			return err
		}
	}
	if err := c.SendMail(s.From, []string{recipient}, bytes.NewReader(message)); err != nil {
		return err
	}
	return c.Quit()
}
