package profile

import (
	"context"

	"sinergi/audit"
	"sinergi/errs"
	"sinergi/tz"
)

// Person reads a person of inst; shared admits practitioners of other
// institutions who share their profile.
func (s Service) Person(ctx context.Context, inst, id int64, shared bool) (Person, error) {
	return s.Store.Person(ctx, inst, id, shared)
}

// ListPeople pages an institution's roster.
func (s Service) ListPeople(ctx context.Context, inst int64, f Filter) (Page, error) {
	return s.Store.ListPeople(ctx, inst, f)
}

// Competencies lists the taxonomy an institution sees.
func (s Service) Competencies(ctx context.Context, inst int64) ([]Competency, error) {
	return s.Store.Competencies(ctx, inst)
}

// Archive archives a person; the store revokes their keys in the same
// transaction.
func (s Service) Archive(ctx context.Context, inst, id int64) error {
	return s.Store.ArchivePerson(ctx, inst, id)
}

// Unarchive puts an archived person back on the roster; their revoked keys
// stay revoked.
func (s Service) Unarchive(ctx context.Context, inst, id int64) error {
	return s.Store.UnarchivePerson(ctx, inst, id)
}

// Check validates a roster listing's filter: the rule the API's query
// and the console's search form share. MinLevel -1 stands for a level
// that is not a number.
func (f Filter) Check() error {
	bad := errs.Fields{}
	if f.Kind != "" && f.Kind != Widyaiswara && f.Kind != Practitioner {
		bad.Add("kind", "must be widyaiswara or practitioner")
	}
	if f.Zone != "" && !tz.Valid(f.Zone) {
		bad.Add("zone", "must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura")
	}
	switch {
	case f.MinLevel == 0:
	case f.MinLevel < 1 || f.MinLevel > 5:
		bad.Add("min_level", "must be 1 to 5")
	case f.Competency == "":
		bad.Add("min_level", "needs competency")
	}
	if len(f.Q) > 100 {
		bad.Add("q", "at most 100 characters")
	}
	return bad.Err()
}

// History pages a person's audit trail, newest first: creation, edits,
// competency changes, imports, archiving. It returns the rows and the
// cursor of the next (older) page, 0 when there is none.
func (s Service) History(ctx context.Context, inst, id, before int64, limit int) ([]audit.Entry, int64, error) {
	if _, err := s.Store.Person(ctx, inst, id, false); err != nil {
		return nil, 0, err
	}
	rows, err := s.Store.PersonHistory(ctx, inst, id, before, limit+1)
	if err != nil || len(rows) <= limit {
		return rows, 0, err
	}
	return rows[:limit], rows[limit-1].ID, nil
}
