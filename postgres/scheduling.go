package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"sinergi/errs"
	"sinergi/profile"
	"sinergi/scheduling"
)

// SchedulingStore implements scheduling.Store.
type SchedulingStore struct {
	DB *gorm.DB
	// Now stamps updated_at; nil reads the system clock.
	Now func() time.Time
}

func (s SchedulingStore) now() time.Time { return clock(s.Now) }

type courseRow struct {
	ID                      int64
	InstitutionID           int64
	Name                    string
	OrganisingUnit          string
	Funding                 string
	Region                  string
	StartDate               time.Time `gorm:"type:date"`
	EndDate                 time.Time `gorm:"type:date"`
	LeadMinJenjang          *string
	PractitionerOutsideUnit bool
	CoTrainers              string
	Version                 int
	CreatedAt               time.Time
	UpdatedAt               time.Time
}

func (courseRow) TableName() string { return "courses" }

func (r courseRow) toDomain() scheduling.Course {
	return scheduling.Course{ID: r.ID, InstitutionID: r.InstitutionID, Name: r.Name, OrganisingUnit: r.OrganisingUnit,
		Funding: scheduling.Funding(r.Funding), Region: r.Region, StartDate: dateOnly(r.StartDate), EndDate: dateOnly(r.EndDate),
		LeadMinJenjang: profile.Jenjang(value(r.LeadMinJenjang)), PractitionerOutsideUnit: r.PractitionerOutsideUnit,
		CoTrainers: scheduling.CoTrainers(r.CoTrainers), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// dateOnly keeps the calendar date of a DATE column as UTC midnight.
func dateOnly(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

type requirementJSON struct {
	Code     string `json:"code"`
	MinLevel int    `json:"min_level"`
}

type sessionRow struct {
	ID            int64
	InstitutionID int64
	CourseID      int64
	Topic         string
	Requirements  []requirementJSON `gorm:"serializer:json"`
	StartsAt      time.Time
	EndsAt        time.Time
	Zone          string
	JP            int `gorm:"column:jp"`
	Mode          string
	Venue         string
	Status        string
	Version       int
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

func (sessionRow) TableName() string { return "sessions" }

func sessionToRow(s scheduling.Session) sessionRow {
	reqs := make([]requirementJSON, len(s.Requirements))
	for i, r := range s.Requirements {
		reqs[i] = requirementJSON{Code: r.Code, MinLevel: r.MinLevel}
	}
	return sessionRow{ID: s.ID, InstitutionID: s.InstitutionID, CourseID: s.CourseID, Topic: s.Topic, Requirements: reqs,
		StartsAt: s.Start.UTC(), EndsAt: s.End.UTC(), Zone: s.Zone, JP: s.JP, Mode: string(s.Mode), Venue: s.Venue,
		Status: string(s.Status), Version: s.Version, CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt}
}

func (r sessionRow) toDomain() scheduling.Session {
	reqs := make([]scheduling.Requirement, len(r.Requirements))
	for i, q := range r.Requirements {
		reqs[i] = scheduling.Requirement{Code: q.Code, MinLevel: q.MinLevel}
	}
	return scheduling.Session{ID: r.ID, InstitutionID: r.InstitutionID, CourseID: r.CourseID, Topic: r.Topic,
		Requirements: reqs, Start: r.StartsAt.UTC(), End: r.EndsAt.UTC(), Zone: r.Zone, JP: r.JP, Mode: scheduling.Mode(r.Mode),
		Venue: r.Venue, Status: scheduling.SessionStatus(r.Status), Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

// CreateCourse implements scheduling.Store.
func (s SchedulingStore) CreateCourse(ctx context.Context, c scheduling.Course) (scheduling.Course, error) {
	row := courseRow{InstitutionID: c.InstitutionID, Name: c.Name, OrganisingUnit: c.OrganisingUnit, Funding: string(c.Funding),
		Region: c.Region, StartDate: c.StartDate, EndDate: c.EndDate, LeadMinJenjang: optional(string(c.LeadMinJenjang)),
		PractitionerOutsideUnit: c.PractitionerOutsideUnit, CoTrainers: string(c.CoTrainers), Version: 1}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert course: %w", err)
		}
		return writeAudit(ctx, tx, c.InstitutionID, "create", "course", row.ID, nil, row)
	})
	return row.toDomain(), err
}

// Course implements scheduling.Store.
func (s SchedulingStore) Course(ctx context.Context, inst, id int64) (scheduling.Course, error) {
	var row courseRow
	err := conn(ctx, s.DB).Where("id = ? AND institution_id = ?", id, inst).Take(&row).Error
	return row.toDomain(), notFound(err, "course", id)
}

// CourseSessions lists a course's sessions in time order.
func (s SchedulingStore) CourseSessions(ctx context.Context, inst, courseID int64) ([]scheduling.Session, error) {
	var rows []sessionRow
	if err := conn(ctx, s.DB).Where("course_id = ? AND institution_id = ?", courseID, inst).
		Order("starts_at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	out := make([]scheduling.Session, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// CreateSession implements scheduling.Store.
func (s SchedulingStore) CreateSession(ctx context.Context, sess scheduling.Session) (scheduling.Session, error) {
	row := sessionToRow(sess)
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return writeAudit(ctx, tx, sess.InstitutionID, "create", "session", row.ID, nil, row)
	})
	return row.toDomain(), err
}

// Session implements scheduling.Store.
func (s SchedulingStore) Session(ctx context.Context, inst, id int64) (scheduling.Session, error) {
	var row sessionRow
	err := conn(ctx, s.DB).Where("id = ? AND institution_id = ?", id, inst).Take(&row).Error
	return row.toDomain(), notFound(err, "session", id)
}

// LockSession implements scheduling.Store.
func (s SchedulingStore) LockSession(ctx context.Context, inst, id int64) (scheduling.Session, error) {
	var row sessionRow
	err := conn(ctx, s.DB).Clauses(forUpdate()).Where("id = ? AND institution_id = ?", id, inst).Take(&row).Error
	return row.toDomain(), notFound(err, "session", id)
}

// SaveSession implements scheduling.Store.
func (s SchedulingStore) SaveSession(ctx context.Context, before, after scheduling.Session) (scheduling.Session, error) {
	row := sessionToRow(after)
	row.Version = before.Version + 1
	row.CreatedAt = before.CreatedAt
	row.UpdatedAt = s.now()
	var out scheduling.Session
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		res := tx.Select("*").Omit("id", "institution_id", "course_id", "created_at").
			Where("version = ?", before.Version).Updates(&row)
		if res.Error != nil {
			return fmt.Errorf("update session %d: %w", after.ID, res.Error)
		}
		if res.RowsAffected == 0 {
			return scheduling.ErrStaleSession
		}
		out = row.toDomain()
		return writeAudit(ctx, tx, after.InstitutionID, "update", "session", after.ID, sessionToRow(before), row)
	})
	return out, err
}

// LockActiveBookings implements scheduling.Store.
func (s SchedulingStore) LockActiveBookings(ctx context.Context, sessionID int64) ([]scheduling.Booking, error) {
	var rows []bookingRow
	if err := conn(ctx, s.DB).Raw(bookingSelect+` WHERE session_id = ? AND booking_active(status) ORDER BY id FOR UPDATE`,
		sessionID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("lock bookings of session %d: %w", sessionID, err)
	}
	out := make([]scheduling.Booking, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// LockPerson implements scheduling.Store.
func (s SchedulingStore) LockPerson(ctx context.Context, personID int64) error {
	if err := conn(ctx, s.DB).Exec("SELECT 1 FROM people WHERE id = ? FOR UPDATE", personID).Error; err != nil {
		return fmt.Errorf("lock person %d: %w", personID, err)
	}
	return nil
}

// NearOtherVenue implements scheduling.Store.
func (s SchedulingStore) NearOtherVenue(ctx context.Context, person, except int64, venue string, during scheduling.Interval, buffer time.Duration) (scheduling.Booked, bool, error) {
	b, found, err := nearOtherVenue(conn(ctx, s.DB), person, except, venue, during, buffer)
	if err != nil {
		return b, false, fmt.Errorf("check travel buffer: %w", err)
	}
	return b, found, nil
}

// nearOtherVenue finds an active offline booking of person at another venue
// within buffer of during, other than booking except.
func nearOtherVenue(tx *gorm.DB, person, except int64, venue string, during scheduling.Interval, buffer time.Duration) (scheduling.Booked, bool, error) {
	var rows []struct {
		BookingID, SessionID, InstitutionID int64
		Topic, Zone, Venue                  string
		Start, End                          time.Time
	}
	err := tx.Raw(`SELECT b.id AS booking_id, s.id AS session_id, b.institution_id, s.topic, s.zone, s.venue,
		lower(b.during) AS start, upper(b.during) AS "end" FROM bookings b JOIN sessions s ON s.id = b.session_id
		WHERE b.person_id = ? AND b.id <> ? AND booking_active(b.status) AND s.mode <> 'online'
		AND lower(s.venue) <> lower(?) AND b.during && tstzrange(?, ?, '[)') LIMIT 1`,
		person, except, venue, during.Start.Add(-buffer), during.End.Add(buffer)).Scan(&rows).Error
	if err != nil || len(rows) == 0 {
		return scheduling.Booked{}, false, err
	}
	r := rows[0]
	return scheduling.Booked{Interval: scheduling.Interval{Start: r.Start.UTC(), End: r.End.UTC()}, BookingID: r.BookingID,
		SessionID: r.SessionID, InstitutionID: r.InstitutionID, Topic: r.Topic, Zone: r.Zone, Venue: r.Venue}, true, nil
}

// SessionBookings implements scheduling.Store.
func (s SchedulingStore) SessionBookings(ctx context.Context, inst, sessionID int64) ([]scheduling.Booking, error) {
	var rows []bookingRow
	err := conn(ctx, s.DB).Raw(bookingSelect+` WHERE session_id = ? AND institution_id = ? ORDER BY id`, sessionID, inst).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list bookings: %w", err)
	}
	out := make([]scheduling.Booking, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

type holidayRow struct {
	Date   time.Time `gorm:"type:date;primaryKey"`
	Kind   string
	NameID string `gorm:"column:name_id"`
	NameEN string `gorm:"column:name_en"`
	Status string
	Source string
}

func (holidayRow) TableName() string { return "holidays" }

func (r holidayRow) toDomain() scheduling.Holiday {
	return scheduling.Holiday{Date: dateOnly(r.Date), Kind: scheduling.HolidayKind(r.Kind), NameID: r.NameID, NameEN: r.NameEN,
		Status: r.Status, Source: r.Source}
}

// Holidays implements scheduling.Store: the dates from from to to inclusive.
func (s SchedulingStore) Holidays(ctx context.Context, from, to time.Time) ([]scheduling.Holiday, error) {
	var rows []holidayRow
	err := conn(ctx, s.DB).Where("date BETWEEN ?::date AND ?::date", from.Format(time.DateOnly), to.Format(time.DateOnly)).
		Order("date").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list holidays: %w", err)
	}
	out := make([]scheduling.Holiday, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// PutHoliday implements scheduling.Store: it adds or replaces the date.
func (s SchedulingStore) PutHoliday(ctx context.Context, h scheduling.Holiday) (scheduling.Holiday, error) {
	row := holidayRow{Date: h.Date, Kind: string(h.Kind), NameID: h.NameID, NameEN: h.NameEN, Status: h.Status, Source: h.Source}
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var before *holidayRow
		var old holidayRow
		if err := tx.Where("date = ?", h.Date.Format(time.DateOnly)).Take(&old).Error; err == nil {
			before = &old
		}
		if err := tx.Exec(`INSERT INTO holidays (date, kind, name_id, name_en, status, source) VALUES (?::date, ?, ?, ?, ?, ?)
			ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, name_id = EXCLUDED.name_id, name_en = EXCLUDED.name_en,
			status = EXCLUDED.status, source = EXCLUDED.source`,
			h.Date.Format(time.DateOnly), row.Kind, row.NameID, row.NameEN, row.Status, row.Source).Error; err != nil {
			return fmt.Errorf("put holiday: %w", err)
		}
		return writeAudit(ctx, tx, 0, "put", "holiday", 0, before, row)
	})
	return row.toDomain(), err
}

// DeleteHoliday implements scheduling.Store.
func (s SchedulingStore) DeleteHoliday(ctx context.Context, date time.Time) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		var old holidayRow
		if err := tx.Where("date = ?", date.Format(time.DateOnly)).Take(&old).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return errs.NotFoundf("no holiday on %s", date.Format(time.DateOnly))
			}
			return err
		}
		if err := tx.Exec("DELETE FROM holidays WHERE date = ?::date", date.Format(time.DateOnly)).Error; err != nil {
			return fmt.Errorf("delete holiday: %w", err)
		}
		return writeAudit(ctx, tx, 0, "delete", "holiday", 0, old, nil)
	})
}

type windowJSON struct {
	RRule string `json:"rrule"`
	Start int    `json:"start_minute"`
	End   int    `json:"end_minute"`
}

type periodRow struct {
	Start  time.Time
	End    time.Time
	Reason string
}

// Availability implements scheduling.Store. Zone is left for the caller,
// who knows the person.
func (s SchedulingStore) Availability(ctx context.Context, personID int64) (scheduling.Availability, error) {
	var a scheduling.Availability
	var raw struct {
		Windows []windowJSON `gorm:"serializer:json"`
	}
	err := conn(ctx, s.DB).Raw("SELECT windows FROM availability WHERE person_id = ?", personID).Scan(&raw).Error
	if err != nil {
		return a, fmt.Errorf("load availability: %w", err)
	}
	for _, w := range raw.Windows {
		a.Windows = append(a.Windows, scheduling.Window{RRule: w.RRule, Start: w.Start, End: w.End})
	}
	var periods []periodRow
	if err := conn(ctx, s.DB).Raw(`SELECT lower(during) AS start, upper(during) AS "end", reason FROM unavailable_periods
		WHERE person_id = ? ORDER BY lower(during)`, personID).Scan(&periods).Error; err != nil {
		return a, fmt.Errorf("load unavailable periods: %w", err)
	}
	for _, p := range periods {
		a.Unavailable = append(a.Unavailable, scheduling.Period{Interval: scheduling.Interval{Start: p.Start.UTC(), End: p.End.UTC()}, Reason: p.Reason})
	}
	return a, nil
}

// SetAvailability implements scheduling.Store.
func (s SchedulingStore) SetAvailability(ctx context.Context, inst, personID int64, a scheduling.Availability) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		before, err := SchedulingStore{DB: tx}.Availability(ctx, personID)
		if err != nil {
			return err
		}
		ws := make([]windowJSON, len(a.Windows))
		for i, w := range a.Windows {
			ws[i] = windowJSON{RRule: w.RRule, Start: w.Start, End: w.End}
		}
		if err := tx.Exec(`INSERT INTO availability (person_id, windows, updated_at) VALUES (?, ?, now())
			ON CONFLICT (person_id) DO UPDATE SET windows = EXCLUDED.windows, updated_at = now()`, personID, jsonOrNil(ws)).Error; err != nil {
			return fmt.Errorf("save availability: %w", err)
		}
		if err := tx.Exec("DELETE FROM unavailable_periods WHERE person_id = ?", personID).Error; err != nil {
			return fmt.Errorf("clear unavailable periods: %w", err)
		}
		for _, p := range a.Unavailable {
			if err := tx.Exec(`INSERT INTO unavailable_periods (person_id, during, reason) VALUES (?, tstzrange(?, ?, '[)'), ?)`,
				personID, p.Start, p.End, p.Reason).Error; err != nil {
				return fmt.Errorf("save unavailable period: %w", err)
			}
		}
		return writeAudit(ctx, tx, inst, "set_availability", "person", personID, before, a)
	})
}

// Booked implements scheduling.Store.
func (s SchedulingStore) Booked(ctx context.Context, personID int64, from, to time.Time) ([]scheduling.Booked, error) {
	var rows []struct {
		BookingID, SessionID, InstitutionID int64
		Topic, Zone                         string
		Start, End                          time.Time
	}
	err := conn(ctx, s.DB).Raw(`SELECT b.id AS booking_id, b.session_id, b.institution_id, s.topic, s.zone,
		lower(b.during) AS start, upper(b.during) AS "end"
		FROM bookings b JOIN sessions s ON s.id = b.session_id
		WHERE b.person_id = ? AND booking_active(b.status) AND b.during && tstzrange(?, ?, '[)')
		ORDER BY lower(b.during)`, personID, from, to).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load bookings: %w", err)
	}
	out := make([]scheduling.Booked, len(rows))
	for i, r := range rows {
		out[i] = scheduling.Booked{Interval: scheduling.Interval{Start: r.Start.UTC(), End: r.End.UTC()}, BookingID: r.BookingID,
			SessionID: r.SessionID, InstitutionID: r.InstitutionID, Topic: r.Topic, Zone: r.Zone}
	}
	return out, nil
}

// ListCourses implements scheduling.Store.
func (s SchedulingStore) ListCourses(ctx context.Context, inst, after int64, limit int) ([]scheduling.CourseSummary, error) {
	var rows []struct {
		Course       courseRow `gorm:"embedded"`
		SessionCount int
	}
	err := conn(ctx, s.DB).Raw(`SELECT c.*, (SELECT count(*) FROM sessions s WHERE s.course_id = c.id) AS session_count
		FROM courses c WHERE c.institution_id = ? AND c.id > ? ORDER BY c.id LIMIT ?`, inst, after, limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list courses: %w", err)
	}
	out := make([]scheduling.CourseSummary, len(rows))
	for i, r := range rows {
		out[i] = scheduling.CourseSummary{Course: r.Course.toDomain(), Sessions: r.SessionCount}
	}
	return out, nil
}

// ListSessions implements scheduling.Store: keyset paging on (starts_at,
// id), which the index sessions_institution_start_idx serves.
func (s SchedulingStore) ListSessions(ctx context.Context, inst int64, f scheduling.SessionFilter) ([]scheduling.Session, error) {
	q := conn(ctx, s.DB).Where("institution_id = ?", inst)
	if !f.From.IsZero() {
		q = q.Where("starts_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("starts_at < ?", f.To)
	}
	if f.CourseID != 0 {
		q = q.Where("course_id = ?", f.CourseID)
	}
	if f.Zone != "" {
		q = q.Where("zone = ?", f.Zone)
	}
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Unstaffed != "" {
		q = q.Where(`NOT EXISTS (SELECT 1 FROM bookings b WHERE b.session_id = sessions.id AND b.role = ?
			AND booking_active(b.status))`, string(f.Unstaffed))
	}
	if f.After != nil {
		q = q.Where("(starts_at, id) > (?, ?)", f.After.Start, f.After.ID)
	}
	var rows []sessionRow
	if err := q.Order("starts_at, id").Limit(f.Limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	out := make([]scheduling.Session, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// ListBookings implements scheduling.Store.
func (s SchedulingStore) ListBookings(ctx context.Context, scope scheduling.Scope, f scheduling.BookingFilter) ([]scheduling.Booking, error) {
	where, args := scopeWhere(" WHERE id > ?", scope)
	args = append([]any{f.After}, args...)
	if f.SessionID != 0 {
		where += " AND session_id = ?"
		args = append(args, f.SessionID)
	}
	if f.PersonID != 0 {
		where += " AND person_id = ?"
		args = append(args, f.PersonID)
	}
	if f.Status != "" {
		where += " AND status = ?"
		args = append(args, f.Status)
	}
	var rows []bookingRow
	if err := conn(ctx, s.DB).Raw(bookingSelect+where+" ORDER BY id LIMIT ?", append(args, f.Limit)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list bookings: %w", err)
	}
	out := make([]scheduling.Booking, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}
