package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/mailbox"
	"sinergi/scheduling"
)

// OutboxStore implements calendar.OutboxStore and calendar.ReplyStore.
// Queued messages are sealed under KEK: they hold answer links whose
// tokens would let anyone with a database dump answer for the invitee.
type OutboxStore struct {
	CalendarStore
	KEK []byte
}

// sealMessage seals a composed message for the outbox, bound to its
// recipient. Without a key (a demo seeded without SIGNING_KEK) the
// message stays as composed, and serve, which requires the key, seals it
// when it starts.
func (s OutboxStore) sealMessage(recipient string, msg []byte) ([]byte, bool, error) {
	if len(s.KEK) == 0 {
		return msg, false, nil
	}
	sealed, err := sealer(s.KEK).seal(msg, []byte("outbox:"+recipient))
	if err != nil {
		return nil, false, fmt.Errorf("seal queued mail: %w", err)
	}
	return sealed, true, nil
}

// openMessage returns a queued message as composed.
func (s OutboxStore) openMessage(recipient string, msg []byte, sealed bool) ([]byte, error) {
	if !sealed {
		return msg, nil
	}
	plain, err := sealer(s.KEK).open(msg, []byte("outbox:"+recipient))
	if err != nil {
		return nil, fmt.Errorf("open queued mail (wrong key encryption key?): %w", err)
	}
	return plain, nil
}

// SealMessages seals the messages queued before messages were sealed, and
// returns how many it sealed.
func (s OutboxStore) SealMessages(ctx context.Context) (int, error) {
	var rows []struct {
		ID        int64
		Recipient string
		Message   []byte
	}
	if err := conn(ctx, s.DB).Raw(`SELECT id, recipient, message FROM outbox WHERE NOT sealed`).Scan(&rows).Error; err != nil {
		return 0, fmt.Errorf("load unsealed mail: %w", err)
	}
	if len(s.KEK) == 0 {
		return 0, errors.New("seal queued mail: no key encryption key")
	}
	for _, r := range rows {
		sealed, _, err := s.sealMessage(r.Recipient, r.Message)
		if err != nil {
			return 0, err
		}
		if err := conn(ctx, s.DB).Exec(`UPDATE outbox SET message = ?, sealed = true WHERE id = ? AND NOT sealed`, sealed, r.ID).Error; err != nil {
			return 0, fmt.Errorf("seal queued mail %d: %w", r.ID, err)
		}
	}
	return len(rows), nil
}

// BookingView implements calendar.OutboxStore.
func (s OutboxStore) BookingView(ctx context.Context, inst, bookingID int64) (mailbox.Booking, error) {
	b, _, err := s.CalendarStore.BookingView(ctx, scheduling.Scope{InstitutionID: inst}, bookingID)
	return b, err
}

// NewLinkToken implements calendar.OutboxStore: an answer-page token,
// kept only as a hash, that works until expires.
func (s OutboxStore) NewLinkToken(ctx context.Context, bookingID int64, expires time.Time) (string, error) {
	secret, hash, err := newToken()
	if err != nil {
		return "", err
	}
	err = conn(ctx, s.DB).Exec(`INSERT INTO link_tokens (booking_id, expires_at, hash) VALUES (?, ?, ?)`,
		bookingID, expires, hash).Error
	return secret, err
}

// LinkBooking resolves an answer-page token to its booking, at now. An
// expired token still names its booking (Expired is set), so that the
// page can say whom to ask; an unknown one is NotFound.
func (s OutboxStore) LinkBooking(ctx context.Context, secret string, now time.Time) (mailbox.Link, error) {
	var row struct {
		BookingID int64
		ExpiresAt time.Time
	}
	err := conn(ctx, s.DB).Raw(`SELECT booking_id, expires_at FROM link_tokens WHERE hash = ?`, hashToken(secret)).Scan(&row).Error
	if err != nil {
		return mailbox.Link{}, fmt.Errorf("resolve answer link: %w", err)
	}
	if row.BookingID == 0 {
		return mailbox.Link{}, errs.NotFoundf("this link is unknown")
	}
	b, inst, err := s.CalendarStore.BookingView(ctx, scheduling.Scope{}, row.BookingID)
	if err != nil {
		return mailbox.Link{}, err
	}
	return mailbox.Link{Booking: b, InstitutionID: inst, ExpiresAt: row.ExpiresAt.UTC(), Expired: !now.Before(row.ExpiresAt)}, nil
}

// Enqueue implements calendar.OutboxStore.
func (s OutboxStore) Enqueue(ctx context.Context, inst, bookingID int64, kind, recipient string, message []byte) error {
	stored, sealed, err := s.sealMessage(recipient, message)
	if err != nil {
		return err
	}
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var id int64
		if err := tx.Raw(`INSERT INTO outbox (institution_id, booking_id, kind, recipient, message, sealed) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			nullable(inst), nullable(bookingID), kind, recipient, stored, sealed).Scan(&id).Error; err != nil {
			return fmt.Errorf("queue mail: %w", err)
		}
		return writeAudit(ctx, tx, inst, "queue", "outbox", id, nil, map[string]any{"booking_id": bookingID, "kind": kind, "to": recipient})
	})
}

// backoff is the wait before attempt n+1: one minute doubling, at most
// six hours.
func backoff(attempts int) time.Duration {
	d := time.Minute << min(attempts, 9)
	return min(d, 6*time.Hour)
}

// Deliver implements calendar.OutboxStore.
func (s OutboxStore) Deliver(ctx context.Context, batch, maxAttempts int, send func(string, []byte) error) (int, int, error) {
	sent, failed := 0, 0
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var due []struct {
			ID        int64
			Recipient string
			Message   []byte
			Sealed    bool
			Attempts  int
		}
		if err := tx.Raw(`SELECT id, recipient, message, sealed, attempts FROM outbox WHERE status = 'pending' AND next_attempt_at <= now()
			ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED`, batch).Scan(&due).Error; err != nil {
			return fmt.Errorf("claim mail: %w", err)
		}
		for _, m := range due {
			msg, err := s.openMessage(m.Recipient, m.Message, m.Sealed)
			if err == nil {
				err = send(m.Recipient, msg)
			}
			if err != nil {
				failed++
				status := "pending"
				if m.Attempts+1 >= maxAttempts {
					status = "dead"
				}
				if err := tx.Exec(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, status = ?, next_attempt_at = now() + make_interval(secs => ?)
					WHERE id = ?`, err.Error(), status, backoff(m.Attempts).Seconds(), m.ID).Error; err != nil {
					return err
				}
				continue
			}
			sent++
			if err := tx.Exec(`UPDATE outbox SET attempts = attempts + 1, status = 'sent', sent_at = now(), last_error = '' WHERE id = ?`, m.ID).Error; err != nil {
				return err
			}
		}
		return nil
	})
	return sent, failed, err
}

// Outbox lists an institution's queued mail, newest first.
func (s OutboxStore) Outbox(ctx context.Context, inst int64, status string) ([]mailbox.OutboxItem, error) {
	q := conn(ctx, s.DB).Table("outbox").Select("id, coalesce(institution_id, 0) AS institution_id, coalesce(booking_id, 0) AS booking_id, kind, recipient, status, attempts, next_attempt_at, last_error, created_at, sent_at").
		Where("institution_id = ?", inst)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	var out []mailbox.OutboxItem
	err := q.Order("id DESC").Limit(500).Scan(&out).Error
	return out, err
}

// RetryOutbox puts a dead or failed message back in the queue now.
func (s OutboxStore) RetryOutbox(ctx context.Context, inst, id int64) error {
	res := conn(ctx, s.DB).Exec(`UPDATE outbox SET status = 'pending', next_attempt_at = now() WHERE id = ? AND institution_id = ? AND status <> 'sent'`, id, inst)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return errs.NotFoundf("no unsent message %d", id)
	}
	return nil
}

// messageRow is the stored form of mailbox.Record.
func messageArgs(r mailbox.Record) []any {
	return []any{nullable(r.BookingID), r.MessageID, r.Sender, r.EnvelopeFrom, r.Method, r.UID, r.Attendee, r.PartStat, r.Sequence,
		r.Comment, r.DelegatedTo, r.DelegatedName, r.Outcome, r.Reason, r.Attention, r.TrainerTold, r.Attempts, r.NextAttemptAt}
}

func messageAudit(r mailbox.Record) map[string]any {
	return map[string]any{"booking_id": r.BookingID, "outcome": r.Outcome, "reason": r.Reason, "partstat": r.PartStat,
		"attention": r.Attention, "trainer_told": r.TrainerTold, "attempts": r.Attempts}
}

// RecordMessage implements calendar.ReplyStore.
// Whatever the message held, it is recorded: the raw bytes as bytea, and
// the fields read from it as text cleaned of what text columns cannot
// hold (NUL, invalid UTF-8), so that a hostile message is stored with its
// outcome rather than failing the request.
func (s OutboxStore) RecordMessage(ctx context.Context, r mailbox.Record) (int64, error) {
	for _, f := range []*string{&r.MessageID, &r.Sender, &r.Method, &r.UID, &r.Attendee, &r.PartStat, &r.Outcome, &r.Reason} {
		*f = storable(*f)
	}
	var id int64
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		args := append([]any{nullable(r.InstitutionID), r.ReceivedAt}, messageArgs(r)...)
		// The raw message goes last: gorm expands a leading []byte argument.
		if err := tx.Raw(`INSERT INTO itip_messages (institution_id, received_at, booking_id, message_id, sender, envelope_from, method,
				uid, attendee, partstat, sequence, comment, delegated_to, delegated_name, outcome, reason, attention, trainer_told,
				attempts, next_attempt_at, raw)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, append(args, r.Raw)...).Scan(&id).Error; err != nil {
			return fmt.Errorf("record iTIP message: %w", err)
		}
		return writeAudit(ctx, tx, r.InstitutionID, "receive", "itip_message", id, nil, messageAudit(r))
	})
	return id, err
}

// UpdateMessage implements calendar.ReplyStore: the new outcome of a
// deferred message processed again.
func (s OutboxStore) UpdateMessage(ctx context.Context, id int64, r mailbox.Record) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		args := append(messageArgs(r), id)
		if err := tx.Exec(`UPDATE itip_messages SET booking_id = ?, message_id = ?, sender = ?, envelope_from = ?, method = ?, uid = ?,
				attendee = ?, partstat = ?, sequence = ?, comment = ?, delegated_to = ?, delegated_name = ?, outcome = ?, reason = ?,
				attention = ?, trainer_told = ?, attempts = ?, next_attempt_at = ?
			WHERE id = ?`, args...).Error; err != nil {
			return fmt.Errorf("update iTIP message %d: %w", id, err)
		}
		return writeAudit(ctx, tx, r.InstitutionID, "reprocess", "itip_message", id, nil, messageAudit(r))
	})
}

// ClaimDeferred implements calendar.ReplyStore.
func (s OutboxStore) ClaimDeferred(ctx context.Context, inst int64, now time.Time) (*mailbox.Pending, error) {
	q := `SELECT ` + receivedSelect + `, coalesce(institution_id, 0) AS institution_id, raw FROM itip_messages
		WHERE outcome = 'deferred' AND next_attempt_at <= ?`
	args := []any{now}
	if inst != 0 {
		q += ` AND institution_id = ?`
		args = append(args, inst)
	}
	var rows []mailbox.Pending
	if err := conn(ctx, s.DB).Raw(q+` ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("claim deferred reply: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	rows[0].ReceivedAt = rows[0].ReceivedAt.UTC()
	return &rows[0], nil
}

// TrainerTold implements calendar.ReplyStore.
func (s OutboxStore) TrainerTold(ctx context.Context, bookingID int64) (bool, error) {
	var told bool
	err := conn(ctx, s.DB).Raw(`SELECT EXISTS (SELECT 1 FROM itip_messages WHERE booking_id = ? AND trainer_told AND attention
		AND resolved_at IS NULL)`, bookingID).Scan(&told).Error
	return told, err
}

// ResolveAttention implements calendar.ReplyStore.
func (s OutboxStore) ResolveAttention(ctx context.Context, bookingID int64, at time.Time) error {
	return conn(ctx, s.DB).Exec(`UPDATE itip_messages SET resolved_at = ? WHERE booking_id = ? AND attention AND resolved_at IS NULL`,
		at, bookingID).Error
}

// ResolveMessage closes the attention one message asked for: staff have
// dealt with it.
func (s OutboxStore) ResolveMessage(ctx context.Context, inst, id int64, at time.Time) (mailbox.Received, error) {
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		res := tx.Exec(`UPDATE itip_messages SET resolved_at = ? WHERE id = ? AND institution_id = ? AND attention AND resolved_at IS NULL`,
			at, id, inst)
		if res.Error != nil {
			return fmt.Errorf("resolve iTIP message %d: %w", id, res.Error)
		}
		if res.RowsAffected == 0 {
			return errs.NotFoundf("no message %d needing attention", id)
		}
		return writeAudit(ctx, tx, inst, "resolve", "itip_message", id, nil, map[string]any{"resolved_at": at})
	})
	if err != nil {
		return mailbox.Received{}, err
	}
	list, err := s.Messages(ctx, inst, mailbox.MessageFilter{ID: id}, 1)
	if err != nil || len(list) == 0 {
		return mailbox.Received{}, err
	}
	return list[0], nil
}

const receivedSelect = `id, received_at, coalesce(booking_id, 0) AS booking_id, message_id, sender, envelope_from, method, uid,
	attendee, partstat AS part_stat, sequence, comment, delegated_to, delegated_name, outcome, reason, attention, trainer_told, resolved_at, attempts,
	next_attempt_at`

// Messages lists the iTIP messages received for an institution, newest
// first, narrowed by f.
func (s OutboxStore) Messages(ctx context.Context, inst int64, f mailbox.MessageFilter, limit int) ([]mailbox.Received, error) {
	q := conn(ctx, s.DB).Table("itip_messages").Select(receivedSelect).Where("institution_id = ?", inst)
	if f.Outcome != "" {
		q = q.Where("outcome = ?", f.Outcome)
	}
	if f.Attention {
		q = q.Where("attention AND resolved_at IS NULL")
	}
	if f.BookingID != 0 {
		q = q.Where("booking_id = ?", f.BookingID)
	}
	if f.ID != 0 {
		q = q.Where("id = ?", f.ID)
	}
	var out []mailbox.Received
	if err := q.Order("id DESC").Limit(limit).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("list iTIP messages: %w", err)
	}
	for i := range out {
		out[i].ReceivedAt = out[i].ReceivedAt.UTC()
	}
	return out, nil
}

// BookingReplies returns what calendar replies said about a booking: the
// latest answer recorded from one (applied, unchanged or held), and the
// latest message still needing attention; either may be nil.
func (s OutboxStore) BookingReplies(ctx context.Context, inst, bookingID int64) (answer, attention *mailbox.Received, err error) {
	var rows []mailbox.Received
	if err := conn(ctx, s.DB).Raw(`(SELECT `+receivedSelect+`, 1 AS k FROM itip_messages WHERE institution_id = ? AND booking_id = ?
			AND method = 'REPLY' AND outcome IN ('applied', 'unchanged', 'held') ORDER BY id DESC LIMIT 1)
		UNION ALL (SELECT `+receivedSelect+`, 2 AS k FROM itip_messages WHERE institution_id = ? AND booking_id = ?
			AND attention AND resolved_at IS NULL ORDER BY id DESC LIMIT 1) ORDER BY k`,
		inst, bookingID, inst, bookingID).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("load replies of booking %d: %w", bookingID, err)
	}
	for i := range rows {
		r := rows[i]
		r.ReceivedAt = r.ReceivedAt.UTC()
		if r.Open() {
			if attention == nil || r.ID > attention.ID {
				attention = &r
			}
		}
		if r.Outcome == mailbox.Applied || r.Outcome == mailbox.Unchanged || r.Outcome == mailbox.Held {
			if answer == nil || r.ID > answer.ID {
				answer = &r
			}
		}
	}
	return answer, attention, nil
}

// OutboxMessage returns one of an institution's queued messages with its
// composed bytes.
func (s OutboxStore) OutboxMessage(ctx context.Context, inst, id int64) (mailbox.OutboxItem, []byte, error) {
	var row struct {
		mailbox.OutboxItem
		Message []byte
		Sealed  bool
	}
	err := conn(ctx, s.DB).Raw(`SELECT id, coalesce(institution_id, 0) AS institution_id, coalesce(booking_id, 0) AS booking_id, kind,
			recipient, status, attempts, next_attempt_at, last_error, created_at, sent_at, message, sealed
		FROM outbox WHERE id = ? AND institution_id = ?`, id, inst).Scan(&row).Error
	if err != nil {
		return mailbox.OutboxItem{}, nil, fmt.Errorf("load outbox message %d: %w", id, err)
	}
	if row.ID == 0 {
		return mailbox.OutboxItem{}, nil, errs.NotFoundf("no message %d in the outbox", id)
	}
	msg, err := s.openMessage(row.Recipient, row.Message, row.Sealed)
	return row.OutboxItem, msg, err
}

// storable is s as a text column can hold it: valid UTF-8 without NUL,
// at most 1000 characters.
func storable(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	if utf8.RuneCountInString(s) > 1000 {
		s = string([]rune(s)[:1000])
	}
	return s
}
