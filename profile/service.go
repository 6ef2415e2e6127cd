package profile

import (
	"context"
	"time"

	"sinergi/audit"
	"sinergi/errs"
)

// Store persists people and competencies. Every method is scoped by the
// caller's institution; a row of another institution is reported as not
// found, so existence never leaks.
type Store interface {
	CreatePerson(ctx context.Context, p Person) (Person, error)
	// Person returns a person of institution inst, or, when shared is true,
	// a practitioner of another institution who opted in to sharing.
	Person(ctx context.Context, inst, id int64, shared bool) (Person, error)
	// UpdatePerson saves p if its stored version is still p.Version.
	UpdatePerson(ctx context.Context, p Person) (Person, error)
	ArchivePerson(ctx context.Context, inst, id int64) error
	// UnarchivePerson undoes ArchivePerson; unarchiving a person on the
	// roster is harmless.
	UnarchivePerson(ctx context.Context, inst, id int64) error
	ListPeople(ctx context.Context, inst int64, f Filter) (Page, error)
	// ReplaceCompetencies replaces a person's competencies; a version
	// other than 0 must still be the person's, or ErrStaleVersion.
	ReplaceCompetencies(ctx context.Context, inst, personID int64, version int, cs []PersonCompetency) ([]PersonCompetency, error)
	Competencies(ctx context.Context, inst int64) ([]Competency, error)
	// PersonHistory returns, newest first, at most limit audit rows of a
	// person of inst older than the row before (0: from the newest).
	PersonHistory(ctx context.Context, inst, id, before int64, limit int) ([]audit.Entry, error)
	CreateCompetency(ctx context.Context, c Competency) (Competency, error)
}

// Errors the service reports.
var (
	// ErrDuplicateCompetency: the code exists nationally or in the institution.
	ErrDuplicateCompetency = errs.New(errs.Conflict, "duplicate_competency", "this institution already has a competency with that code")
	ErrDuplicate           = errs.New(errs.Conflict, "duplicate_person", "a person with that NIP or e-mail already exists in this institution")
	ErrStaleVersion        = errs.New(errs.Precondition, "stale_person", "the person was changed since you read it; reload and retry")
	ErrPersonArchive       = errs.New(errs.Conflict, "archived", "the person is archived")
)

// Service applies the profile rules on top of a Store.
type Service struct {
	Store Store
	Now   func() time.Time
}

// Create validates and stores a new person of institution inst.
func (s Service) Create(ctx context.Context, inst int64, p Person) (Person, error) {
	p.ID, p.InstitutionID, p.Version, p.ArchivedAt = 0, inst, 1, nil
	if err := p.Normalize(s.Now()); err != nil {
		return Person{}, err
	}
	return s.Store.CreatePerson(ctx, p)
}

// Update validates the changed person and saves it; p.Version must be the
// version the change was based on.
func (s Service) Update(ctx context.Context, p Person) (Person, error) {
	if p.Archived() {
		return Person{}, ErrPersonArchive
	}
	if err := p.Normalize(s.Now()); err != nil {
		return Person{}, err
	}
	return s.Store.UpdatePerson(ctx, p)
}

// ReplaceCompetencies validates and replaces a person's competencies.
func (s Service) ReplaceCompetencies(ctx context.Context, inst, personID int64, cs []PersonCompetency) ([]PersonCompetency, error) {
	if err := NormalizeCompetencies(cs); err != nil {
		return nil, err
	}
	return s.Store.ReplaceCompetencies(ctx, inst, personID, 0, cs)
}

// ReplaceCompetenciesAt replaces a person's competencies if the person is
// still at version (checked under the row's lock): a change made from a
// page shown before someone else's is refused with ErrStaleVersion.
func (s Service) ReplaceCompetenciesAt(ctx context.Context, inst, personID int64, version int, cs []PersonCompetency) ([]PersonCompetency, error) {
	if err := NormalizeCompetencies(cs); err != nil {
		return nil, err
	}
	if version <= 0 {
		return nil, ErrStaleVersion
	}
	return s.Store.ReplaceCompetencies(ctx, inst, personID, version, cs)
}

// CreateCompetency adds a teknis competency to institution inst.
func (s Service) CreateCompetency(ctx context.Context, inst int64, c Competency) (Competency, error) {
	c.ID, c.InstitutionID = 0, inst
	if err := c.Normalize(); err != nil {
		return Competency{}, err
	}
	return s.Store.CreateCompetency(ctx, c)
}
