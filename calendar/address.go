package calendar

import (
	"strings"

	"golang.org/x/net/publicsuffix"
)

// gmailDomains are the domains where Gmail ignores dots in the local part
// and googlemail.com is the same mailbox as gmail.com.
var gmailDomains = map[string]bool{"gmail.com": true, "googlemail.com": true}

// providerBounceDomains send calendar replies with an envelope sender of
// their own (a bounce address), not the attendee's: such an envelope says
// nothing about who replied, for or against.
var providerBounceDomains = []string{"calendar-server.bounces.google.com"}

// Canonical is the form of a mailbox that two spellings of the same
// mailbox share: lower case, without a "+tag" in the local part, and for
// Gmail without dots and with googlemail.com as gmail.com. A value
// without "@" is only lower-cased.
func Canonical(addr string) string {
	addr = strings.ToLower(strings.Trim(strings.TrimSpace(addr), `"<> `))
	addr = strings.TrimPrefix(addr, "mailto:")
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return addr
	}
	local, domain := addr[:at], strings.TrimSuffix(addr[at+1:], ".")
	if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	if gmailDomains[domain] {
		local = strings.ReplaceAll(local, ".", "")
		domain = "gmail.com"
	}
	return local + "@" + domain
}

// SameMailbox reports whether a and b are spellings of one mailbox.
func SameMailbox(a, b string) bool {
	return a != "" && b != "" && Canonical(a) == Canonical(b)
}

// domainOfAddr is the lower-case domain of an address ("" without "@").
func domainOfAddr(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(strings.TrimSpace(addr[at+1:])), ".")
}

// OrgDomain is a domain's organizational domain (RFC 7489 §3.2): the
// public suffix plus one label, from the Public Suffix List.
func OrgDomain(domain string) string {
	domain = strings.TrimSuffix(strings.ToLower(domain), ".")
	if org, err := publicsuffix.EffectiveTLDPlusOne(domain); err == nil {
		return org
	}
	return domain
}

// Aligned reports DMARC relaxed alignment (RFC 7489 §3.1): the two
// domains have the same organizational domain.
func Aligned(a, b string) bool {
	return a != "" && b != "" && OrgDomain(a) == OrgDomain(b)
}

// providerBounce reports whether addr is a calendar provider's own bounce
// address.
func providerBounce(addr string) bool {
	d := domainOfAddr(addr)
	for _, p := range providerBounceDomains {
		if d == p || strings.HasSuffix(d, "."+p) {
			return true
		}
	}
	return false
}
