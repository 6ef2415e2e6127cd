package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/impact"
	"sinergi/matching"
)

// ImpactStore implements impact.Store.
type ImpactStore struct {
	DB *gorm.DB
}

// Course implements impact.Store.
func (s ImpactStore) Course(ctx context.Context, inst, courseID int64) (impact.Course, error) {
	var row struct {
		ID, InstitutionID int64
		Name, Zone        string
	}
	err := conn(ctx, s.DB).Raw(`SELECT c.id, c.institution_id, c.name,
			coalesce((SELECT s.zone FROM sessions s WHERE s.course_id = c.id ORDER BY s.starts_at, s.id LIMIT 1), 'Asia/Jakarta') AS zone
		FROM courses c WHERE c.id = ? AND c.institution_id = ?`, courseID, inst).Scan(&row).Error
	if err != nil {
		return impact.Course{}, fmt.Errorf("load course %d: %w", courseID, err)
	}
	if row.ID == 0 {
		return impact.Course{}, errs.NotFoundf("course %d not found", courseID)
	}
	return impact.Course{ID: row.ID, InstitutionID: row.InstitutionID, Name: row.Name, Zone: row.Zone}, nil
}

// CourseSessions implements impact.Store.
func (s ImpactStore) CourseSessions(ctx context.Context, inst, courseID int64) ([]impact.Session, error) {
	var rows []struct {
		ID          int64
		Topic, Zone string
		Start       time.Time
		PersonID    *int64
		Name, Kind  *string
		Role        *string
	}
	err := conn(ctx, s.DB).Raw(`SELECT s.id, s.topic, s.zone, s.starts_at AS start, b.person_id, p.name, p.kind, b.role
		FROM sessions s LEFT JOIN bookings b ON b.session_id = s.id AND booking_active(b.status)
		LEFT JOIN people p ON p.id = b.person_id
		WHERE s.course_id = ? AND s.institution_id = ? AND s.status <> 'cancelled'
		ORDER BY s.starts_at, s.id, b.role DESC, p.name`, courseID, inst).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load sessions of course %d: %w", courseID, err)
	}
	var out []impact.Session
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].ID != r.ID {
			out = append(out, impact.Session{ID: r.ID, Topic: r.Topic, Start: r.Start, Zone: r.Zone})
		}
		if r.PersonID != nil {
			last := &out[len(out)-1]
			last.Trainers = append(last.Trainers, impact.Trainer{PersonID: *r.PersonID, Name: *r.Name, Kind: *r.Kind, Role: *r.Role})
		}
	}
	return out, nil
}

type participantRow struct {
	ID              int64 `gorm:"primaryKey"`
	InstitutionID   int64
	CourseID        int64
	Name            string
	NIP             string `gorm:"column:nip"`
	Unit            string
	Email           string
	SupervisorName  string
	SupervisorEmail string
	CreatedAt       time.Time `gorm:"autoCreateTime:false"`
	UpdatedAt       time.Time `gorm:"autoUpdateTime:false"`
}

func (participantRow) TableName() string { return "participants" }

func (r participantRow) domain() impact.Participant {
	return impact.Participant{ID: r.ID, InstitutionID: r.InstitutionID, CourseID: r.CourseID, Name: r.Name, NIP: r.NIP, Unit: r.Unit,
		Email: r.Email, SupervisorName: r.SupervisorName, SupervisorEmail: r.SupervisorEmail, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func participantToRow(p impact.Participant) participantRow {
	return participantRow{ID: p.ID, InstitutionID: p.InstitutionID, CourseID: p.CourseID, Name: p.Name, NIP: p.NIP, Unit: p.Unit,
		Email: p.Email, SupervisorName: p.SupervisorName, SupervisorEmail: p.SupervisorEmail, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

// Participants implements impact.Store.
func (s ImpactStore) Participants(ctx context.Context, inst, courseID int64) ([]impact.Participant, error) {
	var rows []participantRow
	if err := conn(ctx, s.DB).Where("institution_id = ? AND course_id = ?", inst, courseID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list participants: %w", err)
	}
	out := make([]impact.Participant, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Participant implements impact.Store.
func (s ImpactStore) Participant(ctx context.Context, inst, id int64) (impact.Participant, error) {
	var rows []participantRow
	if err := conn(ctx, s.DB).Where("institution_id = ? AND id = ?", inst, id).Limit(1).Find(&rows).Error; err != nil {
		return impact.Participant{}, fmt.Errorf("load participant %d: %w", id, err)
	}
	if len(rows) == 0 {
		return impact.Participant{}, errs.NotFoundf("participant %d not found", id)
	}
	return rows[0].domain(), nil
}

// audited is the audit view of a participant: no e-mail addresses or NIP
// in the log, only that they changed.
func audited(p *impact.Participant) any {
	if p == nil {
		return nil
	}
	return map[string]any{"course_id": p.CourseID, "name": p.Name, "unit": p.Unit, "nip_set": p.NIP != "",
		"supervisor_name": p.SupervisorName}
}

// SaveParticipant implements impact.Store.
func (s ImpactStore) SaveParticipant(ctx context.Context, before *impact.Participant, after impact.Participant) (impact.Participant, error) {
	var out impact.Participant
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		row := participantToRow(after)
		action := "update"
		if before == nil {
			action, row.ID = "create", 0
		}
		if err := tx.Save(&row).Error; err != nil {
			if isCode(err, uniqueViolation) {
				return impact.ErrDuplicateParticipant
			}
			return fmt.Errorf("save participant: %w", err)
		}
		out = row.domain()
		return writeAudit(ctx, tx, out.InstitutionID, action, "participant", out.ID, audited(before), audited(&out))
	})
	return out, err
}

// DeleteParticipant implements impact.Store: the participant goes with
// plans, answers and links (the outbox keeps sent mail without the key).
func (s ImpactStore) DeleteParticipant(ctx context.Context, p impact.Participant) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		// Confirmations first, while the plans still name their trainers:
		// the trigger records those people for matching to patch.
		if err := tx.Exec(`DELETE FROM plan_confirmations WHERE plan_id IN (SELECT id FROM action_plans WHERE participant_id = ?)`, p.ID).Error; err != nil {
			return fmt.Errorf("delete confirmations of participant %d: %w", p.ID, err)
		}
		if err := tx.Exec(`DELETE FROM participants WHERE id = ? AND institution_id = ?`, p.ID, p.InstitutionID).Error; err != nil {
			return fmt.Errorf("delete participant %d: %w", p.ID, err)
		}
		return writeAudit(ctx, tx, p.InstitutionID, "delete", "participant", p.ID, audited(&p), nil)
	})
}

// NewLink implements impact.Store.
func (s ImpactStore) NewLink(ctx context.Context, inst, participantID int64, purpose string, now, expires time.Time) (string, error) {
	secret, hash, err := newToken()
	if err != nil {
		return "", err
	}
	err = conn(ctx, s.DB).Exec(`INSERT INTO impact_links (institution_id, participant_id, purpose, created_at, expires_at, hash) VALUES (?, ?, ?, ?, ?, ?)`,
		inst, participantID, purpose, now, expires, hash).Error
	if err != nil {
		return "", fmt.Errorf("create %s link: %w", purpose, err)
	}
	return secret, nil
}

// Link implements impact.Store.
func (s ImpactStore) Link(ctx context.Context, secret, purpose string, now time.Time) (impact.Link, error) {
	var rows []struct {
		InstitutionID, ParticipantID int64
		Purpose                      string
		ExpiresAt                    time.Time
	}
	err := conn(ctx, s.DB).Raw(`SELECT institution_id, participant_id, purpose, expires_at FROM impact_links
		WHERE purpose = ? AND expires_at > ? AND hash = ?`, purpose, now, hashToken(secret)).Scan(&rows).Error
	if err != nil {
		return impact.Link{}, fmt.Errorf("resolve link: %w", err)
	}
	if len(rows) == 0 {
		return impact.Link{}, impact.ErrLinkClosed
	}
	r := rows[0]
	return impact.Link{InstitutionID: r.InstitutionID, ParticipantID: r.ParticipantID, Purpose: r.Purpose, Expires: r.ExpiresAt}, nil
}

// answers reads the plans of some participants with their answers.
func (s ImpactStore) answers(ctx context.Context, participants []int64) (map[int64][]impact.PlanAnswer, error) {
	db := conn(ctx, s.DB)
	var rows []struct {
		ID, ParticipantID int64
		Position          int
		Change, Indicator string
		Baseline, Target  float64
		DueDate           time.Time
		Sessions          []int64 `gorm:"serializer:json"`
		Trainers          []int64 `gorm:"serializer:json"`
		Status            *string
		ProgressValue     *float64
		Evidence          *string
		Implemented       *bool
		Behaviour         *int
		ConfirmedValue    *float64
		Comment           *string
	}
	err := db.Raw(`SELECT a.id, a.participant_id, a.position, a.change, a.indicator, a.baseline::float8, a.target::float8, a.due_date,
			(SELECT coalesce(json_agg(ps.session_id ORDER BY ps.session_id), '[]') FROM plan_sessions ps WHERE ps.plan_id = a.id) AS sessions,
			(SELECT coalesce(json_agg(pt.person_id ORDER BY pt.person_id), '[]') FROM plan_trainers pt WHERE pt.plan_id = a.id) AS trainers,
			g.status, g.value::float8 AS progress_value, g.evidence,
			c.implemented, c.behaviour, c.value::float8 AS confirmed_value, c.comment
		FROM action_plans a LEFT JOIN plan_progress g ON g.plan_id = a.id LEFT JOIN plan_confirmations c ON c.plan_id = a.id
		WHERE a.participant_id IN ? ORDER BY a.participant_id, a.position`, participants).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load action plans: %w", err)
	}
	out := map[int64][]impact.PlanAnswer{}
	for _, r := range rows {
		a := impact.PlanAnswer{Plan: impact.Plan{ID: r.ID, ParticipantID: r.ParticipantID, Position: r.Position, Change: r.Change,
			Indicator: r.Indicator, Baseline: r.Baseline, Target: r.Target, Due: r.DueDate.UTC(), Sessions: r.Sessions, Trainers: r.Trainers}}
		if r.Status != nil {
			a.Progress = &impact.Progress{PlanID: r.ID, Status: *r.Status, Value: r.ProgressValue, Evidence: value(r.Evidence)}
		}
		if r.Implemented != nil {
			a.Confirmation = &impact.Confirmation{PlanID: r.ID, Implemented: *r.Implemented, Behaviour: *r.Behaviour,
				Value: r.ConfirmedValue, Comment: value(r.Comment)}
		}
		out[r.ParticipantID] = append(out[r.ParticipantID], a)
	}
	return out, nil
}

// Answers implements impact.Store.
func (s ImpactStore) Answers(ctx context.Context, participantID int64) ([]impact.PlanAnswer, error) {
	m, err := s.answers(ctx, []int64{participantID})
	return m[participantID], err
}

type followUpRow struct {
	ParticipantID       int64 `gorm:"primaryKey"`
	InstitutionID       int64
	CourseID            int64
	State               string
	DueAt               time.Time
	NextAt              *time.Time
	ExpiresAt           *time.Time
	Reminders           int
	SupervisorReminders int
	OpenedAt            *time.Time
	ReportedAt          *time.Time
	ConfirmedAt         *time.Time
	UpdatedAt           time.Time `gorm:"autoUpdateTime:false"`
}

func (followUpRow) TableName() string { return "follow_ups" }

func (r followUpRow) domain() impact.FollowUp {
	return impact.FollowUp{ParticipantID: r.ParticipantID, InstitutionID: r.InstitutionID, CourseID: r.CourseID, State: impact.State(r.State),
		Due: r.DueAt.UTC(), Next: utcPtr(r.NextAt), Expires: utcPtr(r.ExpiresAt), Reminders: r.Reminders, SupervisorReminders: r.SupervisorReminders,
		OpenedAt: utcPtr(r.OpenedAt), ReportedAt: utcPtr(r.ReportedAt), ConfirmedAt: utcPtr(r.ConfirmedAt)}
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func followUpToRow(f impact.FollowUp, now time.Time) followUpRow {
	return followUpRow{ParticipantID: f.ParticipantID, InstitutionID: f.InstitutionID, CourseID: f.CourseID, State: string(f.State),
		DueAt: f.Due, NextAt: f.Next, ExpiresAt: f.Expires, Reminders: f.Reminders, SupervisorReminders: f.SupervisorReminders,
		OpenedAt: f.OpenedAt, ReportedAt: f.ReportedAt, ConfirmedAt: f.ConfirmedAt, UpdatedAt: now}
}

// ReplacePlans implements impact.Store.
func (s ImpactStore) ReplacePlans(ctx context.Context, p impact.Participant, plans []impact.Plan, f impact.FollowUp, now time.Time) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`DELETE FROM action_plans WHERE participant_id = ?`, p.ID).Error; err != nil {
			return fmt.Errorf("drop earlier plans: %w", err)
		}
		for _, pl := range plans {
			var id int64
			if err := tx.Raw(`INSERT INTO action_plans (institution_id, participant_id, position, change, indicator, baseline, target, due_date, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, p.InstitutionID, p.ID, pl.Position, pl.Change, pl.Indicator, pl.Baseline, pl.Target,
				pl.Due.Format(time.DateOnly), now).Scan(&id).Error; err != nil {
				return fmt.Errorf("store action plan: %w", err)
			}
			if err := tx.Exec(`INSERT INTO plan_sessions (plan_id, session_id) SELECT ?, unnest(?::bigint[])`, id, pgArray(pl.Sessions)).Error; err != nil {
				return fmt.Errorf("store plan sessions: %w", err)
			}
			if len(pl.Trainers) > 0 {
				if err := tx.Exec(`INSERT INTO plan_trainers (plan_id, person_id) SELECT ?, unnest(?::bigint[])`, id, pgArray(pl.Trainers)).Error; err != nil {
					return fmt.Errorf("store plan trainers: %w", err)
				}
			}
		}
		row := followUpToRow(f, now)
		if err := tx.Save(&row).Error; err != nil {
			return fmt.Errorf("schedule follow-up: %w", err)
		}
		return writeAudit(ctx, tx, p.InstitutionID, "submit", "action_plans", p.ID, nil,
			map[string]any{"plans": len(plans), "follow_up_due": f.Due})
	})
}

// pgArray writes ids as a Postgres array literal.
func pgArray(ids []int64) string {
	b := []byte{'{'}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = fmt.Appendf(b, "%d", id)
	}
	return string(append(b, '}'))
}

// LockFollowUp implements impact.Store.
func (s ImpactStore) LockFollowUp(ctx context.Context, participantID int64) (impact.FollowUp, bool, error) {
	return s.followUp(ctx, participantID, " FOR UPDATE")
}

// FollowUp implements impact.Store.
func (s ImpactStore) FollowUp(ctx context.Context, participantID int64) (impact.FollowUp, bool, error) {
	return s.followUp(ctx, participantID, "")
}

func (s ImpactStore) followUp(ctx context.Context, participantID int64, lock string) (impact.FollowUp, bool, error) {
	var rows []followUpRow
	if err := conn(ctx, s.DB).Raw(`SELECT * FROM follow_ups WHERE participant_id = ?`+lock, participantID).Scan(&rows).Error; err != nil {
		return impact.FollowUp{}, false, fmt.Errorf("lock follow-up: %w", err)
	}
	if len(rows) == 0 {
		return impact.FollowUp{}, false, nil
	}
	return rows[0].domain(), true, nil
}

// SaveFollowUp implements impact.Store.
func (s ImpactStore) SaveFollowUp(ctx context.Context, f impact.FollowUp, now time.Time) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var before []followUpRow
		if err := tx.Raw(`SELECT state FROM follow_ups WHERE participant_id = ?`, f.ParticipantID).Scan(&before).Error; err != nil {
			return err
		}
		row := followUpToRow(f, now)
		if err := tx.Save(&row).Error; err != nil {
			return fmt.Errorf("save follow-up: %w", err)
		}
		if len(before) == 1 && before[0].State == row.State && row.State != string(impact.Open) && row.State != string(impact.Reported) {
			return nil
		}
		was := ""
		if len(before) == 1 {
			was = before[0].State
		}
		return writeAudit(ctx, tx, f.InstitutionID, "follow_up", "participant", f.ParticipantID, map[string]any{"state": was},
			map[string]any{"state": row.State, "reminders": row.Reminders, "supervisor_reminders": row.SupervisorReminders})
	})
}

// SaveProgress implements impact.Store.
func (s ImpactStore) SaveProgress(ctx context.Context, p impact.Participant, in []impact.Progress, now time.Time) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		for _, g := range in {
			if err := tx.Exec(`INSERT INTO plan_progress (plan_id, status, value, evidence, reported_at) VALUES (?, ?, ?, ?, ?)`,
				g.PlanID, g.Status, g.Value, g.Evidence, now).Error; err != nil {
				if isCode(err, uniqueViolation) {
					return impact.ErrAlreadyAnswered
				}
				return fmt.Errorf("store progress: %w", err)
			}
		}
		return writeAudit(ctx, tx, p.InstitutionID, "report", "participant", p.ID, nil, map[string]any{"plans": len(in)})
	})
}

// SaveConfirmations implements impact.Store.
func (s ImpactStore) SaveConfirmations(ctx context.Context, p impact.Participant, in []impact.Confirmation, now time.Time) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		implemented := 0
		for _, c := range in {
			if err := tx.Exec(`INSERT INTO plan_confirmations (plan_id, implemented, behaviour, value, comment, confirmed_at) VALUES (?, ?, ?, ?, ?, ?)`,
				c.PlanID, c.Implemented, c.Behaviour, c.Value, c.Comment, now).Error; err != nil {
				if isCode(err, uniqueViolation) {
					return impact.ErrAlreadyAnswered
				}
				return fmt.Errorf("store confirmation: %w", err)
			}
			if c.Implemented {
				implemented++
			}
		}
		return writeAudit(ctx, tx, p.InstitutionID, "confirm", "participant", p.ID, nil, map[string]any{"plans": len(in), "implemented": implemented})
	})
}

// ClaimDue implements impact.Store.
func (s ImpactStore) ClaimDue(ctx context.Context, now time.Time, limit int) ([]impact.FollowUp, error) {
	var rows []followUpRow
	err := conn(ctx, s.DB).Raw(`SELECT * FROM follow_ups WHERE next_at <= ? ORDER BY next_at, participant_id LIMIT ? FOR UPDATE SKIP LOCKED`,
		now, limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("claim follow-ups: %w", err)
	}
	out := make([]impact.FollowUp, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// Enqueue implements impact.Store: a second message of one follow-up kind
// for a participant is not queued.
func (s ImpactStore) Enqueue(ctx context.Context, inst, participantID int64, kind, recipient string, message []byte) (bool, error) {
	queued := false
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var ids []int64
		if err := tx.Raw(`INSERT INTO outbox (institution_id, participant_id, kind, recipient, message) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (participant_id, kind) WHERE participant_id IS NOT NULL AND kind <> 'impact_plan' DO NOTHING RETURNING id`,
			inst, participantID, kind, recipient, message).Scan(&ids).Error; err != nil {
			return fmt.Errorf("queue mail: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		queued = true
		return writeAudit(ctx, tx, inst, "queue", "outbox", ids[0], nil, map[string]any{"participant_id": participantID, "kind": kind})
	})
	return queued, err
}

// Settings implements impact.Store; an institution without settings gets
// the defaults.
func (s ImpactStore) Settings(ctx context.Context, inst int64) (impact.Settings, error) {
	var rows []struct {
		FollowUpDays, ReminderDays, Reminders, WindowDays, PlanDays int
	}
	if err := conn(ctx, s.DB).Raw(`SELECT follow_up_days, reminder_days, reminders, window_days, plan_days FROM impact_settings WHERE institution_id = ?`,
		inst).Scan(&rows).Error; err != nil {
		return impact.Settings{}, fmt.Errorf("load impact settings: %w", err)
	}
	if len(rows) == 0 {
		return impact.DefaultSettings(), nil
	}
	r := rows[0]
	return impact.Settings{FollowUpDays: r.FollowUpDays, ReminderDays: r.ReminderDays, Reminders: r.Reminders, WindowDays: r.WindowDays,
		PlanDays: r.PlanDays}, nil
}

// PutSettings implements impact.Store.
func (s ImpactStore) PutSettings(ctx context.Context, inst int64, set impact.Settings) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		before, err := ImpactStore{DB: tx}.Settings(ctx, inst)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO impact_settings (institution_id, follow_up_days, reminder_days, reminders, window_days, plan_days)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (institution_id) DO UPDATE SET follow_up_days = EXCLUDED.follow_up_days,
			reminder_days = EXCLUDED.reminder_days, reminders = EXCLUDED.reminders, window_days = EXCLUDED.window_days,
			plan_days = EXCLUDED.plan_days, updated_at = now()`,
			inst, set.FollowUpDays, set.ReminderDays, set.Reminders, set.WindowDays, set.PlanDays).Error; err != nil {
			return fmt.Errorf("save impact settings: %w", err)
		}
		return writeAudit(ctx, tx, inst, "put", "impact_settings", inst, before, set)
	})
}

// Statuses implements impact.Store.
func (s ImpactStore) Statuses(ctx context.Context, inst, courseID int64) ([]impact.Status, error) {
	ps, err := s.Participants(ctx, inst, courseID)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		ids[i] = p.ID
	}
	answers, err := s.answers(ctx, ids)
	if err != nil {
		return nil, err
	}
	var fus []followUpRow
	if err := conn(ctx, s.DB).Where("participant_id IN ?", ids).Find(&fus).Error; err != nil {
		return nil, fmt.Errorf("load follow-ups: %w", err)
	}
	byID := map[int64]*impact.FollowUp{}
	for _, r := range fus {
		f := r.domain()
		byID[r.ParticipantID] = &f
	}
	out := make([]impact.Status, len(ps))
	for i, p := range ps {
		out[i] = impact.Status{Participant: p, Plans: answers[p.ID], FollowUp: byID[p.ID]}
	}
	return out, nil
}

// ReportData implements impact.Store.
func (s ImpactStore) ReportData(ctx context.Context, inst, courseID int64) ([]impact.PlanRecord, []impact.Rating, []impact.Taught, error) {
	db := conn(ctx, s.DB)
	course, args := "", []any{inst}
	if courseID != 0 {
		course, args = " AND c.id = ?", []any{inst, courseID}
	}
	var plans []struct {
		PlanID, CourseID int64
		Baseline, Target float64
		Trainers         []int64 `gorm:"serializer:json"`
		Reported         bool
		Implemented      *bool
		Behaviour        *int
		Value            *float64
	}
	err := db.Raw(`SELECT a.id AS plan_id, c.id AS course_id, a.baseline::float8, a.target::float8,
			(SELECT coalesce(json_agg(pt.person_id ORDER BY pt.person_id), '[]') FROM plan_trainers pt WHERE pt.plan_id = a.id) AS trainers,
			g.plan_id IS NOT NULL AS reported, k.implemented, k.behaviour, k.value::float8 AS value
		FROM action_plans a JOIN participants p ON p.id = a.participant_id JOIN courses c ON c.id = p.course_id
		LEFT JOIN plan_progress g ON g.plan_id = a.id LEFT JOIN plan_confirmations k ON k.plan_id = a.id
		WHERE c.institution_id = ?`+course+` ORDER BY a.id`, args...).Scan(&plans).Error
	if err != nil {
		return nil, nil, nil, fmt.Errorf("load plans for the report: %w", err)
	}
	out := make([]impact.PlanRecord, len(plans))
	for i, p := range plans {
		out[i] = impact.PlanRecord{PlanID: p.PlanID, CourseID: p.CourseID, Baseline: p.Baseline, Target: p.Target, Trainers: p.Trainers,
			Reported: p.Reported, Confirmed: p.Implemented != nil, Implemented: p.Implemented != nil && *p.Implemented, Value: p.Value}
		if p.Behaviour != nil {
			out[i].Behaviour = *p.Behaviour
		}
	}
	var ratings []impact.Rating
	if err := db.Raw(`SELECT b.session_id, e.person_id, e.normalised FROM evaluations e JOIN bookings b ON b.id = e.booking_id
		JOIN sessions s ON s.id = b.session_id JOIN courses c ON c.id = s.course_id
		WHERE c.institution_id = ?`+course+` ORDER BY e.id`, args...).Scan(&ratings).Error; err != nil {
		return nil, nil, nil, fmt.Errorf("load ratings for the report: %w", err)
	}
	var taught []struct {
		SessionID, PersonID int64
		Name, Kind          string
	}
	if err := db.Raw(`SELECT b.session_id, b.person_id, p.name, p.kind FROM bookings b JOIN people p ON p.id = b.person_id
		JOIN sessions s ON s.id = b.session_id JOIN courses c ON c.id = s.course_id
		WHERE booking_active(b.status) AND c.institution_id = ?`+course+` ORDER BY b.id`, args...).Scan(&taught).Error; err != nil {
		return nil, nil, nil, fmt.Errorf("load teaching for the report: %w", err)
	}
	ts := make([]impact.Taught, len(taught))
	for i, t := range taught {
		ts[i] = impact.Taught{SessionID: t.SessionID, Person: impact.Person{ID: t.PersonID, Name: t.Name, Kind: t.Kind}}
	}
	return out, ratings, ts, nil
}

var _ impact.Store = ImpactStore{}

// addImpact fills in matching's impact tallies of people (ids nil means
// everyone, else the ids people were loaded for): per person, the
// supervisor-confirmed action plans that drew on them and how many were
// implemented; per partner credited by the same plans, the same.
func addImpact(db *gorm.DB, people []matching.Person, ids []int64) error {
	at := make(map[int64]int, len(people))
	for i, p := range people {
		at[p.ID] = i
	}
	where, args := "", []any{}
	if ids != nil {
		where, args = " WHERE t.person_id IN ?", []any{ids}
	}
	var rows []struct {
		PersonID, PartnerID    int64
		Confirmed, Implemented int
	}
	// partner_id 0 is the person's own tally.
	err := db.Raw(`SELECT t.person_id, 0::bigint AS partner_id, count(*) AS confirmed, count(*) FILTER (WHERE k.implemented) AS implemented
		FROM plan_trainers t JOIN plan_confirmations k ON k.plan_id = t.plan_id`+where+` GROUP BY t.person_id
		UNION ALL
		SELECT t.person_id, o.person_id, count(*), count(*) FILTER (WHERE k.implemented)
		FROM plan_trainers t JOIN plan_confirmations k ON k.plan_id = t.plan_id
		JOIN plan_trainers o ON o.plan_id = t.plan_id AND o.person_id <> t.person_id`+where+` GROUP BY t.person_id, o.person_id`,
		append(args, args...)...).Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("load impact tallies: %w", err)
	}
	for _, r := range rows {
		i, ok := at[r.PersonID]
		if !ok {
			continue
		}
		t := matching.ImpactTally{Confirmed: r.Confirmed, Implemented: r.Implemented}
		p := &people[i]
		if r.PartnerID == 0 {
			p.Impact = t
			continue
		}
		if p.PairImpact == nil {
			p.PairImpact = map[int64]matching.ImpactTally{}
		}
		p.PairImpact[r.PartnerID] = t
	}
	return nil
}
