package certification

import "context"

// Certificate reads a certificate of inst (0: any, for public pages).
func (s Service) Certificate(ctx context.Context, inst, id int64) (Certificate, error) {
	return s.Store.Certificate(ctx, inst, id)
}

// CourseCertificates lists the certificates issued for a course.
func (s Service) CourseCertificates(ctx context.Context, inst, courseID int64) ([]Certificate, error) {
	return s.Store.CourseCertificates(ctx, inst, courseID)
}

// PersonCertificates lists the certificates a person holds from inst.
func (s Service) PersonCertificates(ctx context.Context, inst, personID int64) ([]Certificate, error) {
	return s.Store.PersonCertificates(ctx, inst, personID)
}

// ForAchievement returns a certificate issued for a course in a role.
func (s Service) ForAchievement(ctx context.Context, courseID int64, role string) (Certificate, error) {
	return s.Store.ForAchievement(ctx, courseID, role)
}

// Revoke revokes a certificate with a reason; it is audited and published
// in the status list.
func (s Service) Revoke(ctx context.Context, inst, id int64, reason string) (Certificate, error) {
	return s.Store.Revoke(ctx, inst, id, reason)
}

// RevokedIDs lists the revoked certificates' status-list indexes.
func (s Service) RevokedIDs(ctx context.Context) ([]int64, error) { return s.Store.RevokedIDs(ctx) }

// Settings reads an institution's certificate template and signer.
func (s Service) Settings(ctx context.Context, inst int64) (Settings, error) {
	return s.Store.Settings(ctx, inst)
}

// PutSettings checks and stores an institution's template and signer.
func (s Service) PutSettings(ctx context.Context, inst int64, set Settings) error {
	if err := set.Validate(s.Now()); err != nil {
		return err
	}
	return s.Store.PutSettings(ctx, inst, set)
}
