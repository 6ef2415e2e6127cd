package evaluation

import (
	"context"
	"time"
)

// Service is the evaluation use cases.
type Service struct {
	Store Store
}

// NewForm makes a form link for a session of inst valid for ttl; the
// secret is shown once and only its hash is kept.
func (s Service) NewForm(ctx context.Context, inst, sessionID int64, ttl time.Duration) (string, time.Time, error) {
	return s.Store.NewForm(ctx, inst, sessionID, ttl)
}

// Form resolves an open form link.
func (s Service) Form(ctx context.Context, secret string) (Form, error) {
	return s.Store.Form(ctx, secret)
}

// Submit checks and stores one participant's ratings of the form's trainers.
func (s Service) Submit(ctx context.Context, f Form, ratings []Rating) error {
	allowed := map[int64]bool{}
	for _, t := range f.Trainers {
		allowed[t.BookingID] = true
	}
	if err := Validate(ratings, allowed); err != nil {
		return err
	}
	return s.Store.Submit(ctx, f, ratings)
}
