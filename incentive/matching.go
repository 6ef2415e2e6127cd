package incentive

import (
	"context"

	"sinergi/matching"
	"sinergi/profile"
	"sinergi/scheduling"
)

// MatchingCosts prices people for matching: the per-JP rate in force for
// their default class on the session's year, funding and region.
func MatchingCosts(store Store) func(ctx context.Context, inst int64, c scheduling.Course, s scheduling.Session) (func(p *matching.Person) int64, error) {
	return func(ctx context.Context, inst int64, c scheduling.Course, s scheduling.Session) (func(p *matching.Person) int64, error) {
		rates, err := store.Rates(ctx, inst)
		if err != nil {
			return nil, err
		}
		year := s.Start.In(s.Location()).Year()
		byClass := map[Class]int64{}
		for _, class := range Classes() {
			if r, ok := InForce(rates, inst, class, year, c.Funding, c.Region); ok && r.Unit == PerJP {
				byClass[class] = r.Amount
			}
		}
		return func(p *matching.Person) int64 {
			return byClass[DefaultClass(profile.Person{Kind: p.Kind, InstitutionID: p.InstitutionID}, inst)]
		}, nil
	}
}
