package calendar

import (
	"context"

	"sinergi/errs"
)

// DeskStore is what the desk needs of storage: feed tokens, feed contents
// and the outbox of one institution.
type DeskStore interface {
	FeedBookings(ctx context.Context, inst, person int64) ([]Booking, error)
	NewFeedToken(ctx context.Context, inst, person int64) (string, error)
	RevokeFeedTokens(ctx context.Context, inst, person int64) error
	FeedOwner(ctx context.Context, secret string) (int64, int64, error)
	Outbox(ctx context.Context, inst int64, status string) ([]OutboxItem, error)
	RetryOutbox(ctx context.Context, inst, id int64) error
	OutboxMessage(ctx context.Context, inst, id int64) (OutboxItem, []byte, error)
}

// Desk is the calendar use cases people reach besides invitations and
// replies: personal and institution feeds, and the outbox staff watch.
type Desk struct {
	Store DeskStore
}

// NewFeedToken makes a feed token for a person (or, person 0, the whole
// institution), revoking the one before; the secret is shown once.
func (d Desk) NewFeedToken(ctx context.Context, inst, person int64) (string, error) {
	return d.Store.NewFeedToken(ctx, inst, person)
}

// RevokeFeedTokens revokes the feed of a person or institution.
func (d Desk) RevokeFeedTokens(ctx context.Context, inst, person int64) error {
	return d.Store.RevokeFeedTokens(ctx, inst, person)
}

// Feed resolves a feed token to the calendar it publishes: PUBLISH, without
// attendee addresses. An unknown or revoked token is not found.
func (d Desk) Feed(ctx context.Context, secret string) ([]byte, error) {
	if len(secret) < 22 || len(secret) > 64 {
		return nil, errs.NotFoundf("no such feed")
	}
	inst, person, err := d.Store.FeedOwner(ctx, secret)
	if err != nil {
		return nil, err
	}
	bookings, err := d.Store.FeedBookings(ctx, inst, person)
	if err != nil {
		return nil, err
	}
	name := "Sinergi"
	if len(bookings) > 0 {
		name = "Sinergi — " + bookings[0].Institution
		if person != 0 {
			name = "Sinergi — " + bookings[0].PersonName
		}
	}
	return Bytes(Feed(name, bookings))
}

// Outbox lists an institution's queued, sent or dead mail.
func (d Desk) Outbox(ctx context.Context, inst int64, status string) ([]OutboxItem, error) {
	switch status {
	case "", "pending", "sent", "dead":
	default:
		return nil, errs.Invalidf("status", "must be pending, sent or dead")
	}
	return d.Store.Outbox(ctx, inst, status)
}

// Retry puts a dead or pending message back in the queue now.
func (d Desk) Retry(ctx context.Context, inst, id int64) error {
	return d.Store.RetryOutbox(ctx, inst, id)
}

// Preview renders a queued message as its recipient reads it, with the
// answer link's token replaced by a placeholder.
func (d Desk) Preview(ctx context.Context, inst, id int64) (OutboxItem, Preview, error) {
	m, raw, err := d.Store.OutboxMessage(ctx, inst, id)
	if err != nil {
		return OutboxItem{}, Preview{}, err
	}
	p, err := RenderPreview(raw)
	return m, p, err
}
