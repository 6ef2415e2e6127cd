package tenant

import "context"

// Institutions lists every institution (admins).
func (s Service) Institutions(ctx context.Context) ([]Institution, error) {
	return s.Store.ListInstitutions(ctx)
}

// Institution reads one institution.
func (s Service) Institution(ctx context.Context, id int64) (Institution, error) {
	return s.Store.Institution(ctx, id)
}

// Keys lists an institution's API keys.
func (s Service) Keys(ctx context.Context, inst int64) ([]APIKey, error) {
	return s.Store.ListKeys(ctx, inst)
}

// RevokeKey revokes key id on behalf of p: an admin any key, staff their
// institution's keys, a trainer only the key it is using.
func (s Service) RevokeKey(ctx context.Context, p Principal, id int64) error {
	scope := p.InstitutionID
	if p.Role == Admin {
		scope = 0
	}
	k, err := s.Store.Key(ctx, scope, id)
	if err != nil {
		return err
	}
	if p.Role == Trainer && k.ID != p.KeyID {
		return ErrForbidden.WithMessage("a trainer key may revoke only itself")
	}
	return s.Store.RevokeKey(ctx, id)
}
