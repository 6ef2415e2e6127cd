package incentive

import "context"

// Rates lists the rate lines an institution sees: ceilings and its own.
func (s Service) Rates(ctx context.Context, inst int64) ([]Rate, error) {
	return s.Store.Rates(ctx, inst)
}

// List lists ledger rows of inst.
func (s Service) List(ctx context.Context, inst int64, f Filter) ([]Honorarium, error) {
	return s.Store.List(ctx, inst, f)
}

// Honorarium reads one ledger row of an institution.
func (s Service) Honorarium(ctx context.Context, inst, id int64) (Honorarium, error) {
	return s.Store.Honorarium(ctx, inst, id)
}
