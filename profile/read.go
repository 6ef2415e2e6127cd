package profile

import "context"

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
