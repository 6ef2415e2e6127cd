package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/schema"

	"sinergi/errs"
	"sinergi/matching"
	"sinergi/profile"
	"sinergi/scheduling"
)

// MatchingStore implements matching.Loader, SettingsStore and ProposalStore.
type MatchingStore struct {
	DB *gorm.DB
	// Now stamps applied proposals; nil reads the system clock.
	Now func() time.Time
}

// MatchingDSN returns dsn for matching's own pool: just-in-time compilation
// off. Matching's queries are short, but the change log changes so fast
// that its statistics are always stale, and the planner's
// estimates can pass the JIT threshold: compiling then takes far longer
// than running the query.
func MatchingDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return dsn
	}
	q := u.Query()
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// Mark implements matching.Loader: the oldest transaction running now.
// Every change of a transaction before it is committed or gone, so people
// loaded afterwards hold them all; ChangesSince reads the rest.
func (s MatchingStore) Mark(ctx context.Context) (matching.Mark, error) {
	var x string
	if err := conn(ctx, s.DB).Raw("SELECT pg_snapshot_xmin(pg_current_snapshot())::text").Scan(&x).Error; err != nil {
		return matching.Mark{}, fmt.Errorf("read the change log's mark: %w", err)
	}
	at, err := strconv.ParseUint(x, 10, 64)
	if err != nil {
		return matching.Mark{}, fmt.Errorf("read the change log's mark: %w", err)
	}
	return matching.Mark{At: at}, nil
}

// LoadPeople implements matching.Loader: every person with competencies,
// active bookings, booked JP per year and month, and availability, in a few
// set-wise queries.
func (s MatchingStore) LoadPeople(ctx context.Context) ([]matching.Person, error) {
	return s.loadPeople(ctx, nil)
}

// LoadPeopleByID loads the same data for some people, in a few set-wise
// queries (ChangesSince reads the same in one).
func (s MatchingStore) LoadPeopleByID(ctx context.Context, ids []int64) ([]matching.Person, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return s.loadPeople(ctx, ids)
}

// ChangesSince implements matching.Loader in one round trip: the people
// changed after mark from, everything the index holds of each (the same
// as LoadPeopleByID, impact tallies included), and the mark to read from
// next. Ids that no longer
// load come back without a person. When more than limit people changed it
// stops at limit+1 ids and loads nobody: the caller rebuilds instead.
//
// The change log is read by transaction, not in commit order, and without
// a lock: the rows of transactions from from.At on that the reader has not
// seen (from.Seen). Every transaction that commits after this statement's
// snapshot is at or after the snapshot's oldest running transaction, which
// is the next mark; the rows of the transactions from there on that this
// statement already sees become its Seen, so none is patched twice.
func (s MatchingStore) ChangesSince(ctx context.Context, from matching.Mark, limit int) (matching.Mark, []int64, []matching.Person, error) {
	var rows []changeRow
	err := conn(ctx, s.DB).Raw(`WITH `+changesCTE+` SELECT `+changesColumns+`
		FROM (VALUES (1)) AS one (x) LEFT JOIN got ON true ORDER BY got.person_id`, changeArgs(from, limit, nil)).Scan(&rows).Error
	if err != nil {
		return matching.Mark{}, nil, nil, fmt.Errorf("load matching changes: %w", err)
	}
	if len(rows) == 0 {
		return matching.Mark{}, nil, nil, errors.New("load matching changes: no row")
	}
	return changesOf(rows, limit)
}

// changeRow is a row of the change query: the next mark (in every row)
// and a changed person, if any.
type changeRow struct {
	XMin          string      `gorm:"column:x_min"`
	Window        [][2]string `gorm:"serializer:json"`
	PersonID      *int64
	Found         bool
	InstitutionID int64
	Name, Kind    string
	Jenjang       *string
	Organisation  string
	Unit, Zone    string
	Archived      bool
	ShareProfile  bool
	Levels        []levelJSON  `gorm:"serializer:json"`
	Booked        []bookedJSON `gorm:"serializer:json"`
	Windows       []windowJSON `gorm:"serializer:json"`
	Periods       []periodJSON `gorm:"serializer:json"`
	RatingMean    float64
	RatingCount   int
	Impact        [2]int     `gorm:"serializer:json"`
	PairImpact    [][3]int64 `gorm:"serializer:json"`
}

// changesCTE reads the change log past a mark (changeArgs) and the people
// it names; changesColumns select the next mark and each person's data
// from it, one row per person.
const changesCTE = `snap AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
		log AS (SELECT l.seq, l.xid, l.person_id FROM matching_change_log l WHERE @read AND l.xid >= CAST(@since AS xid8)),
		ch AS (SELECT DISTINCT person_id FROM log WHERE seq <> ALL (CAST(@seen AS bigint[])) LIMIT @limit),
		got AS (SELECT ch.person_id, p.* FROM ch LEFT JOIN people p ON p.id = ch.person_id AND (SELECT count(*) FROM ch) <= @max)`

const changesColumns = `(SELECT xmin FROM snap)::text AS x_min,
			(SELECT json_agg(json_build_array(log.seq::text, log.xid::text)) FROM log WHERE log.xid >= (SELECT xmin FROM snap)) AS window,
			got.person_id, got.id IS NOT NULL AS found, got.institution_id,
			got.name, got.kind, got.jenjang, got.organisation, got.unit, got.zone, got.archived_at IS NOT NULL AS archived,
			got.share_profile,
			(SELECT json_agg(json_build_object('code', c.code, 'level', pc.level)) FROM person_competencies pc
				JOIN competencies c ON c.id = pc.competency_id WHERE pc.person_id = got.id) AS levels,
			(SELECT json_agg(json_build_object('institution_id', b.institution_id, 'session_id', b.session_id, 'start', lower(b.during), 'end', upper(b.during),
				'mode', ss.mode, 'venue', ss.venue, 'zone', ss.zone, 'jp', coalesce(b.actual_jp, ss.jp)) ORDER BY lower(b.during))
				FROM bookings b JOIN sessions ss ON ss.id = b.session_id
				WHERE b.person_id = got.id AND booking_active(b.status)) AS booked,
			(SELECT a.windows FROM availability a WHERE a.person_id = got.id AND jsonb_array_length(a.windows) > 0) AS windows,
			(SELECT json_agg(json_build_object('start', lower(u.during), 'end', upper(u.during))) FROM unavailable_periods u
				WHERE u.person_id = got.id AND upper(u.during) > now() - interval '1 day') AS periods,
			(SELECT coalesce(avg(v.mean), 0)::float8 FROM evaluations v WHERE v.person_id = got.id) AS rating_mean,
			(SELECT count(*) FROM evaluations v WHERE v.person_id = got.id) AS rating_count,
			(SELECT json_build_array(count(*), count(*) FILTER (WHERE k.implemented))
				FROM plan_trainers t JOIN plan_confirmations k ON k.plan_id = t.plan_id WHERE t.person_id = got.id) AS impact,
			(SELECT json_agg(json_build_array(x.partner, x.confirmed, x.implemented)) FROM (
				SELECT o.person_id AS partner, count(*) AS confirmed, count(*) FILTER (WHERE k.implemented) AS implemented
				FROM plan_trainers t JOIN plan_confirmations k ON k.plan_id = t.plan_id
				JOIN plan_trainers o ON o.plan_id = t.plan_id AND o.person_id <> t.person_id
				WHERE t.person_id = got.id GROUP BY o.person_id) x) AS pair_impact`

// changeArgs are the change query's arguments, with more.
func changeArgs(from matching.Mark, limit int, more map[string]any) map[string]any {
	seen := make([]string, 0, len(from.Seen))
	for seq := range from.Seen {
		seen = append(seen, strconv.FormatInt(seq, 10))
	}
	args := map[string]any{"since": strconv.FormatUint(from.At, 10), "seen": "{" + strings.Join(seen, ",") + "}",
		"limit": limit + 1, "max": limit, "read": true}
	for k, v := range more {
		args[k] = v
	}
	return args
}

// changesOf reads the next mark, the changed ids and people from the rows
// of the change query.
func changesOf(rows []changeRow, limit int) (matching.Mark, []int64, []matching.Person, error) {
	at, err := strconv.ParseUint(rows[0].XMin, 10, 64)
	if err != nil {
		return matching.Mark{}, nil, nil, fmt.Errorf("load matching changes: mark %q: %w", rows[0].XMin, err)
	}
	mark := matching.Mark{At: at, Seen: make(map[int64]uint64, len(rows[0].Window))}
	for _, w := range rows[0].Window {
		seq, err1 := strconv.ParseInt(w[0], 10, 64)
		xid, err2 := strconv.ParseUint(w[1], 10, 64)
		if err := errors.Join(err1, err2); err != nil {
			return matching.Mark{}, nil, nil, fmt.Errorf("load matching changes: %w", err)
		}
		mark.Seen[seq] = xid
	}
	var ids []int64
	var people []matching.Person
	for _, r := range rows {
		if r.PersonID == nil {
			continue
		}
		ids = append(ids, *r.PersonID)
		if !r.Found {
			continue
		}
		p := matching.Person{ID: *r.PersonID, InstitutionID: r.InstitutionID, Name: r.Name, Kind: profile.Kind(r.Kind),
			Jenjang: profile.Jenjang(value(r.Jenjang)), Organisation: r.Organisation, Unit: r.Unit, Zone: r.Zone,
			Archived: r.Archived, Shared: r.ShareProfile, Levels: map[string]int{}, JPYear: map[int]int{}, JPMonth: map[int]int{},
			RatingMean: r.RatingMean, RatingCount: r.RatingCount,
			Impact: matching.ImpactTally{Confirmed: r.Impact[0], Implemented: r.Impact[1]}}
		for _, pi := range r.PairImpact {
			if p.PairImpact == nil {
				p.PairImpact = map[int64]matching.ImpactTally{}
			}
			p.PairImpact[pi[0]] = matching.ImpactTally{Confirmed: int(pi[1]), Implemented: int(pi[2])}
		}
		for _, l := range r.Levels {
			p.Levels[l.Code] = l.Level
		}
		for _, b := range r.Booked {
			addBooking(&p, b.InstitutionID, b.SessionID, b.Start, b.End, b.Mode, b.Venue, b.Zone, b.JP)
		}
		if len(r.Windows) > 0 || len(r.Periods) > 0 {
			av := &scheduling.Availability{Zone: p.Zone}
			for _, w := range r.Windows {
				av.Windows = append(av.Windows, scheduling.Window{RRule: w.RRule, Start: w.Start, End: w.End})
			}
			for _, u := range r.Periods {
				av.Unavailable = append(av.Unavailable, scheduling.Period{Interval: scheduling.Interval{Start: u.Start.UTC(), End: u.End.UTC()}})
			}
			p.Free = av.Checker()
		}
		people = append(people, p)
	}
	if len(ids) > limit {
		return mark, ids, nil, nil
	}
	return mark, ids, people, nil
}

type levelJSON struct {
	Code  string `json:"code"`
	Level int    `json:"level"`
}

type bookedJSON struct {
	InstitutionID int64     `json:"institution_id"`
	SessionID     int64     `json:"session_id"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	Mode          string    `json:"mode"`
	Venue         string    `json:"venue"`
	Zone          string    `json:"zone"`
	JP            int       `json:"jp"`
}

type periodJSON struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// addBooking puts an active booking in a person's calendar and workload.
func addBooking(p *matching.Person, inst, session int64, start, end time.Time, mode, venue, zone string, jp int) {
	p.Busy = append(p.Busy, matching.Booked{Interval: scheduling.Interval{Start: start.UTC(), End: end.UTC()},
		InstitutionID: inst, SessionID: session, Offline: mode != string(scheduling.Online), Venue: venue})
	local := start.In(loadZone(zone))
	p.JPYear[local.Year()] += jp
	p.JPMonth[local.Year()*100+int(local.Month())] += jp
}

// PurgeChanges drops the change records of transactions that ended more
// than keep ago (by the records' order, not their time: keep is a number of
// records), leaving the ones a reader may still need.
func (s MatchingStore) PurgeChanges(ctx context.Context, keep int64) error {
	return conn(ctx, s.DB).Exec(`DELETE FROM matching_change_log WHERE seq < (SELECT max(seq) FROM matching_change_log) - ?
		AND xid < pg_snapshot_xmin(pg_current_snapshot())`, keep).Error
}

// loadPeople loads everyone (ids nil) or the given people.
func (s MatchingStore) loadPeople(ctx context.Context, ids []int64) ([]matching.Person, error) {
	db := conn(ctx, s.DB)
	// only narrows a query to the people asked for.
	only := func(col string) (string, []any) {
		if ids == nil {
			return "", nil
		}
		return " AND " + col + " IN ?", []any{ids}
	}
	var rows []personRow
	q := db.Order("id")
	if ids != nil {
		q = q.Where("id IN ?", ids)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load people: %w", err)
	}
	people := make([]matching.Person, len(rows))
	at := make(map[int64]int, len(rows))
	for i, r := range rows {
		people[i] = matching.Person{ID: r.ID, InstitutionID: r.InstitutionID, Name: r.Name, Kind: profile.Kind(r.Kind),
			Jenjang: profile.Jenjang(value(r.Jenjang)), Organisation: r.Organisation, Unit: r.Unit, Zone: r.Zone,
			Archived: r.ArchivedAt != nil, Shared: r.ShareProfile, Levels: map[string]int{}, JPYear: map[int]int{}, JPMonth: map[int]int{}}
		at[r.ID] = i
	}
	var levels []struct {
		PersonID int64
		Code     string
		Level    int
	}
	w, args := only("pc.person_id")
	if err := db.Raw(`SELECT pc.person_id, c.code, pc.level FROM person_competencies pc JOIN competencies c ON c.id = pc.competency_id WHERE true`+w, args...).
		Scan(&levels).Error; err != nil {
		return nil, fmt.Errorf("load levels: %w", err)
	}
	for _, l := range levels {
		if i, ok := at[l.PersonID]; ok {
			people[i].Levels[l.Code] = l.Level
		}
	}
	bw, bargs := only("b.person_id")
	var booked []struct {
		PersonID, SessionID, InstitutionID int64
		Start, End                         time.Time
		Mode, Venue, Zone                  string
		JP                                 int
	}
	if err := db.Raw(`SELECT b.person_id, b.session_id, b.institution_id, lower(b.during) AS start, upper(b.during) AS "end", s.mode, s.venue, s.zone,
			coalesce(b.actual_jp, s.jp) AS jp
		FROM bookings b JOIN sessions s ON s.id = b.session_id
		WHERE booking_active(b.status)`+bw+` ORDER BY b.person_id, lower(b.during)`, bargs...).Scan(&booked).Error; err != nil {
		return nil, fmt.Errorf("load bookings: %w", err)
	}
	for _, b := range booked {
		i, ok := at[b.PersonID]
		if !ok {
			continue
		}
		addBooking(&people[i], b.InstitutionID, b.SessionID, b.Start, b.End, b.Mode, b.Venue, b.Zone, b.JP)
	}
	var avail []struct {
		PersonID int64
		Windows  []windowJSON `gorm:"serializer:json"`
	}
	w, args = only("person_id")
	if err := db.Raw(`SELECT person_id, windows FROM availability WHERE jsonb_array_length(windows) > 0`+w, args...).Scan(&avail).Error; err != nil {
		return nil, fmt.Errorf("load availability: %w", err)
	}
	declared := map[int64]*scheduling.Availability{}
	for _, a := range avail {
		if i, ok := at[a.PersonID]; ok {
			av := &scheduling.Availability{Zone: people[i].Zone}
			for _, w := range a.Windows {
				av.Windows = append(av.Windows, scheduling.Window{RRule: w.RRule, Start: w.Start, End: w.End})
			}
			declared[a.PersonID] = av
		}
	}
	var periods []struct {
		PersonID   int64
		Start, End time.Time
	}
	if err := db.Raw(`SELECT person_id, lower(during) AS start, upper(during) AS "end" FROM unavailable_periods
		WHERE upper(during) > now() - interval '1 day'`+w, args...).Scan(&periods).Error; err != nil {
		return nil, fmt.Errorf("load unavailable periods: %w", err)
	}
	for _, p := range periods {
		i, ok := at[p.PersonID]
		if !ok {
			continue
		}
		av := declared[p.PersonID]
		if av == nil {
			av = &scheduling.Availability{Zone: people[i].Zone}
			declared[p.PersonID] = av
		}
		av.Unavailable = append(av.Unavailable, scheduling.Period{Interval: scheduling.Interval{Start: p.Start.UTC(), End: p.End.UTC()}})
	}
	for id, av := range declared {
		people[at[id]].Free = av.Checker()
	}
	var ratings []struct {
		PersonID int64
		Mean     float64
		N        int
	}
	if err := db.Raw(`SELECT person_id, avg(mean)::float8 AS mean, count(*) AS n FROM evaluations WHERE true`+w+` GROUP BY person_id`, args...).Scan(&ratings).Error; err != nil {
		return nil, fmt.Errorf("load ratings: %w", err)
	}
	for _, r := range ratings {
		if i, ok := at[r.PersonID]; ok {
			people[i].RatingMean, people[i].RatingCount = r.Mean, r.N
		}
	}
	if err := addImpact(db, people, ids); err != nil {
		return nil, err
	}
	return people, nil
}

func loadZone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

type weightsJSON struct {
	Expertise float64 `json:"expertise"`
	Level     float64 `json:"level"`
	Rating    float64 `json:"rating"`
	Load      float64 `json:"load"`
	Cost      float64 `json:"cost"`
	Travel    float64 `json:"travel"`
	// Impact is absent from settings saved before the criterion existed:
	// those get its default weight.
	Impact *float64 `json:"impact,omitempty"`
}

func (w weightsJSON) weights() matching.Weights {
	out := matching.Weights{Expertise: w.Expertise, Level: w.Level, Rating: w.Rating, Load: w.Load, Cost: w.Cost, Travel: w.Travel,
		Impact: matching.DefaultWeights().Impact}
	if w.Impact != nil {
		out.Impact = *w.Impact
	}
	return out
}

func weightsOf(w matching.Weights) weightsJSON {
	return weightsJSON{Expertise: w.Expertise, Level: w.Level, Rating: w.Rating, Load: w.Load, Cost: w.Cost, Travel: w.Travel, Impact: &w.Impact}
}

// settingsRow is an institution's row of matching_settings; Weights nil
// when it has none.
type settingsRow struct {
	Weights      []byte
	MonthlyCapJP int `gorm:"column:monthly_cap_jp"`
	BudgetPerJP  int64
}

func (row settingsRow) settings() (matching.Settings, error) {
	if row.Weights == nil {
		return matching.Settings{Weights: matching.DefaultWeights()}, nil
	}
	var w weightsJSON
	if err := json.Unmarshal(row.Weights, &w); err != nil {
		return matching.Settings{}, fmt.Errorf("decode weights: %w", err)
	}
	return matching.Settings{Weights: w.weights(), MonthlyCapJP: row.MonthlyCapJP, BudgetPerJP: row.BudgetPerJP}, nil
}

// Settings implements matching.SettingsStore; an institution without
// settings gets the defaults.
func (s MatchingStore) Settings(ctx context.Context, inst int64) (matching.Settings, error) {
	var row settingsRow
	err := conn(ctx, s.DB).Raw(`SELECT weights, monthly_cap_jp, budget_per_jp FROM matching_settings WHERE institution_id = ?`, inst).
		Scan(&row).Error
	if err != nil {
		return matching.Settings{}, fmt.Errorf("load matching settings: %w", err)
	}
	return row.settings()
}

// columns selects the columns of row's table from alias as
// <prefix><column>.
func columns(row any, alias, prefix string) string {
	sch, err := schema.Parse(row, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		panic(err)
	}
	cols := make([]string, 0, len(sch.DBNames))
	for _, name := range sch.DBNames {
		cols = append(cols, alias+"."+name+" AS "+prefix+name)
	}
	return strings.Join(cols, ", ")
}

// inputColumns select a session (s__), its course (c__) and the settings.
var inputColumns = columns(&sessionRow{}, "s", "s__") + ", " + columns(&courseRow{}, "c", "c__") +
	", m.weights, coalesce(m.monthly_cap_jp, 0) AS monthly_cap_jp, coalesce(m.budget_per_jp, 0) AS budget_per_jp"

// RankingInputs implements matching.InputStore: a session, its course,
// the institution's settings and the change log past since with the
// people it names (as ChangesSince reads them), in one query. The zero
// Mark reads no changes.
func (s MatchingStore) RankingInputs(ctx context.Context, inst, sessionID int64, since matching.Mark, limit int) (matching.Inputs, error) {
	var rows []struct {
		Session  sessionRow  `gorm:"embedded;embeddedPrefix:s__"`
		Course   courseRow   `gorm:"embedded;embeddedPrefix:c__"`
		Settings settingsRow `gorm:"embedded"`
		Change   changeRow   `gorm:"embedded"`
	}
	read := since.At > 0
	if !read {
		limit = 0
	}
	err := conn(ctx, s.DB).Raw(`WITH `+changesCTE+`,
		input AS (SELECT `+inputColumns+`
			FROM sessions s JOIN courses c ON c.id = s.course_id AND c.institution_id = s.institution_id
			LEFT JOIN matching_settings m ON m.institution_id = s.institution_id
			WHERE s.id = @session AND s.institution_id = @inst)
		SELECT input.*, `+changesColumns+`
		FROM input LEFT JOIN got ON @read ORDER BY got.person_id`,
		changeArgs(since, limit, map[string]any{"session": sessionID, "inst": inst, "read": read})).Scan(&rows).Error
	if err != nil {
		return matching.Inputs{}, fmt.Errorf("load session, course and settings: %w", err)
	}
	if len(rows) == 0 {
		return matching.Inputs{}, notFound(gorm.ErrRecordNotFound, "session", sessionID)
	}
	r := rows[0]
	set, err := r.Settings.settings()
	if err != nil {
		return matching.Inputs{}, err
	}
	in := matching.Inputs{Session: r.Session.toDomain(), Course: r.Course.toDomain(), Settings: set}
	if !read {
		return in, nil
	}
	changes := make([]changeRow, len(rows))
	for i := range rows {
		changes[i] = rows[i].Change
	}
	if in.Mark, in.Changed, in.People, err = changesOf(changes, limit); err != nil {
		return matching.Inputs{}, err
	}
	return in, nil
}

// PutSettings implements matching.SettingsStore.
func (s MatchingStore) PutSettings(ctx context.Context, inst int64, set matching.Settings) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		before, err := MatchingStore{DB: tx}.Settings(ctx, inst)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO matching_settings (institution_id, weights, monthly_cap_jp, budget_per_jp) VALUES (?, ?, ?, ?)
			ON CONFLICT (institution_id) DO UPDATE SET weights = EXCLUDED.weights, monthly_cap_jp = EXCLUDED.monthly_cap_jp,
			budget_per_jp = EXCLUDED.budget_per_jp, updated_at = now()`,
			inst, jsonOrNil(weightsOf(set.Weights)), set.MonthlyCapJP, set.BudgetPerJP).Error; err != nil {
			return fmt.Errorf("save matching settings: %w", err)
		}
		return writeAudit(ctx, tx, inst, "put", "matching_settings", inst, before, set)
	})
}

type proposalSlotJSON struct {
	SessionID int64  `json:"session_id"`
	Role      string `json:"role"`
	PersonID  int64  `json:"person_id"`
	Score     int    `json:"score"`
}

type proposalJSON struct {
	Slots   []proposalSlotJSON `json:"slots"`
	Total   int                `json:"total"`
	Filled  int                `json:"filled"`
	Optimal bool               `json:"optimal"`
	Gap     int                `json:"gap"`
}

// SaveProposal implements matching.ProposalStore.
func (s MatchingStore) SaveProposal(ctx context.Context, inst, courseID int64, p matching.Proposal) (int64, error) {
	doc := proposalJSON{Total: p.Total, Filled: p.Filled, Optimal: p.Optimal, Gap: p.Gap}
	for _, f := range p.Slots {
		if f.Candidate != nil {
			doc.Slots = append(doc.Slots, proposalSlotJSON{SessionID: f.Slot.Session.ID, Role: string(f.Slot.Role),
				PersonID: f.Candidate.Person.ID, Score: f.Candidate.Score})
		}
	}
	var id int64
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Raw(`INSERT INTO assignment_proposals (institution_id, course_id, proposal) VALUES (?, ?, ?) RETURNING id`,
			inst, courseID, jsonOrNil(doc)).Scan(&id).Error; err != nil {
			return fmt.Errorf("save proposal: %w", err)
		}
		return writeAudit(ctx, tx, inst, "create", "assignment_proposal", id, nil, doc)
	})
	return id, err
}

func loadProposal(db *gorm.DB, inst, courseID, id int64, lock bool) (proposalJSON, bool, error) {
	var row struct {
		Proposal  []byte
		AppliedAt *time.Time
	}
	q := `SELECT proposal, applied_at FROM assignment_proposals WHERE id = ? AND institution_id = ? AND course_id = ?`
	if lock {
		q += " FOR UPDATE"
	}
	if err := db.Raw(q, id, inst, courseID).Scan(&row).Error; err != nil {
		return proposalJSON{}, false, fmt.Errorf("load proposal: %w", err)
	}
	if row.Proposal == nil {
		return proposalJSON{}, false, errs.NotFoundf("proposal %d not found", id)
	}
	var doc proposalJSON
	if err := json.Unmarshal(row.Proposal, &doc); err != nil {
		return proposalJSON{}, false, fmt.Errorf("decode proposal: %w", err)
	}
	return doc, row.AppliedAt != nil, nil
}

// ProposalSlots implements matching.ProposalStore.
func (s MatchingStore) ProposalSlots(ctx context.Context, inst, courseID, id int64) ([]matching.ProposalSlot, error) {
	doc, applied, err := loadProposal(conn(ctx, s.DB), inst, courseID, id, false)
	if err != nil {
		return nil, err
	}
	if applied {
		return nil, matching.ErrProposalApplied
	}
	out := make([]matching.ProposalSlot, len(doc.Slots))
	for i, sl := range doc.Slots {
		out[i] = matching.ProposalSlot{SessionID: sl.SessionID, Role: scheduling.Role(sl.Role), PersonID: sl.PersonID, Score: sl.Score}
	}
	return out, nil
}

// MarkApplied implements matching.ProposalStore.
func (s MatchingStore) MarkApplied(ctx context.Context, inst, courseID, id int64) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if _, applied, err := loadProposal(tx, inst, courseID, id, true); err != nil {
			return err
		} else if applied {
			return matching.ErrProposalApplied
		}
		if err := tx.Exec(`UPDATE assignment_proposals SET applied_at = ? WHERE id = ?`, clock(s.Now), id).Error; err != nil {
			return fmt.Errorf("mark proposal applied: %w", err)
		}
		return writeAudit(ctx, tx, inst, "apply", "assignment_proposal", id, nil, map[string]any{"applied": true})
	})
}
