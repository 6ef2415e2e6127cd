package postgres

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"sinergi/certification"
	"sinergi/errs"
)

// CertificateStore implements certification.Store.
type CertificateStore struct {
	DB *gorm.DB
	// Now stamps revocations and expiries; nil reads the system clock.
	Now func() time.Time
}

type certificateRow struct {
	ID                 int64
	InstitutionID      int64
	Number             string
	Year               int
	Seq                int
	PersonID           int64
	HolderName         string
	HolderNIP          string `gorm:"column:holder_nip"`
	HolderOrganisation string
	Role               string
	CourseID           int64
	CourseName         string
	StartDate          time.Time `gorm:"type:date"`
	EndDate            time.Time `gorm:"type:date"`
	Place              string
	JP                 int `gorm:"column:jp"`
	Issuer             string
	IssuerCode         string
	SignerName         string
	SignerTitle        string
	SignerNIP          string `gorm:"column:signer_nip"`
	IssuedAt           time.Time
	KID                string `gorm:"column:kid"`
	Signature          []byte
	Code               string
	Status             string
	RevokedAt          *time.Time
	RevokedReason      string
	ReplacesID         *int64
}

func (certificateRow) TableName() string { return "certificates" }

func certificateToRow(c certification.Certificate) certificateRow {
	return certificateRow{ID: c.ID, InstitutionID: c.InstitutionID, Number: c.Number, Year: c.Year, Seq: c.Seq, PersonID: c.PersonID,
		HolderName: c.HolderName, HolderNIP: c.HolderNIP, HolderOrganisation: c.HolderOrganisation, Role: c.Role, CourseID: c.CourseID,
		CourseName: c.CourseName, StartDate: c.StartDate, EndDate: c.EndDate, Place: c.Place, JP: c.JP, Issuer: c.Issuer,
		IssuerCode: c.IssuerCode, SignerName: c.SignerName, SignerTitle: c.SignerTitle, SignerNIP: c.SignerNIP, IssuedAt: c.IssuedAt.UTC(), KID: c.KeyID,
		Signature: c.Signature, Code: c.Code, Status: string(c.Status), RevokedAt: c.RevokedAt, RevokedReason: c.RevokedReason,
		ReplacesID: nullable(c.ReplacesID)}
}

func (r certificateRow) toDomain() certification.Certificate {
	return certification.Certificate{ID: r.ID, InstitutionID: r.InstitutionID, Number: r.Number, Year: r.Year, Seq: r.Seq,
		PersonID: r.PersonID, HolderName: r.HolderName, HolderNIP: r.HolderNIP, HolderOrganisation: r.HolderOrganisation,
		Role: r.Role, CourseID: r.CourseID, CourseName: r.CourseName, StartDate: dateOnly(r.StartDate), EndDate: dateOnly(r.EndDate),
		Place: r.Place, JP: r.JP, Issuer: r.Issuer, IssuerCode: r.IssuerCode, SignerName: r.SignerName, SignerTitle: r.SignerTitle,
		SignerNIP: r.SignerNIP, IssuedAt: r.IssuedAt.UTC(), KeyID: r.KID, Signature: r.Signature, Code: r.Code, Status: certification.Status(r.Status),
		RevokedAt: r.RevokedAt, RevokedReason: r.RevokedReason, ReplacesID: deref(r.ReplacesID)}
}

// Draft implements certification.Store.
func (s CertificateStore) Draft(ctx context.Context, inst, courseID, personID int64) (certification.Certificate, error) {
	db := conn(ctx, s.DB)
	// Columns are named: gorm would read a field NIP from "n_ip", which is
	// how certificates lost the holder's NIP.
	var head struct {
		CourseName   string `gorm:"column:course_name"`
		Region       string `gorm:"column:region"`
		Issuer       string `gorm:"column:issuer"`
		IssuerCode   string `gorm:"column:issuer_code"`
		Name         string `gorm:"column:name"`
		NIP          string `gorm:"column:nip"`
		Organisation string `gorm:"column:organisation"`
		Found        bool   `gorm:"column:found"`
	}
	err := db.Raw(`SELECT c.name AS course_name, c.region, i.name AS issuer, i.code AS issuer_code,
			p.name, coalesce(p.nip, '') AS nip, p.organisation, true AS found
		FROM courses c JOIN institutions i ON i.id = c.institution_id, people p
		WHERE c.id = ? AND c.institution_id = ? AND p.id = ?`, courseID, inst, personID).Scan(&head).Error
	if err != nil {
		return certification.Certificate{}, fmt.Errorf("load course and person: %w", err)
	}
	if !head.Found {
		return certification.Certificate{}, errs.NotFoundf("course %d or person %d not found", courseID, personID)
	}
	var done []struct {
		Start, End  time.Time
		Zone, Venue string
		Mode, Role  string
		JP          int
	}
	err = db.Raw(`SELECT lower(b.during) AS start, upper(b.during) AS "end", s.zone, s.venue, s.mode, b.role,
			coalesce(b.actual_jp, s.jp) AS jp
		FROM bookings b JOIN sessions s ON s.id = b.session_id
		WHERE b.institution_id = ? AND s.course_id = ? AND b.person_id = ? AND b.status = 'completed'
		ORDER BY lower(b.during)`, inst, courseID, personID).Scan(&done).Error
	if err != nil {
		return certification.Certificate{}, fmt.Errorf("load completed bookings: %w", err)
	}
	if len(done) == 0 {
		return certification.Certificate{}, certification.ErrNothingCompleted
	}
	c := certification.Certificate{InstitutionID: inst, PersonID: personID, HolderName: head.Name, HolderNIP: head.NIP,
		HolderOrganisation: head.Organisation, Role: "co_trainer", CourseID: courseID, CourseName: head.CourseName,
		Issuer: head.Issuer, IssuerCode: head.IssuerCode}
	places := map[string]bool{}
	for i, d := range done {
		loc := loadZone(d.Zone)
		if i == 0 {
			c.StartDate = dateOnly(d.Start.In(loc))
		}
		c.EndDate = dateOnly(d.End.Add(-time.Second).In(loc))
		c.JP += d.JP
		if d.Role == "lead" {
			c.Role = "lead"
		}
		place := d.Venue
		if d.Mode == "online" || place == "" {
			place = "Daring"
		}
		places[place] = true
	}
	var list []string
	for p := range places {
		list = append(list, p)
	}
	sort.Strings(list)
	c.Place = strings.Join(list, "; ")
	if head.Region != "" && !places[head.Region] {
		c.Place += ", " + head.Region
	}
	return c, nil
}

// Issue implements certification.Store.
func (s CertificateStore) Issue(ctx context.Context, c certification.Certificate, template string, sign func(*certification.Certificate)) (certification.Certificate, error) {
	var out certificateRow
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		c.Year = c.IssuedAt.Year()
		if err := tx.Raw(`INSERT INTO certificate_sequences (institution_id, year, last) VALUES (?, ?, 1)
			ON CONFLICT (institution_id, year) DO UPDATE SET last = certificate_sequences.last + 1 RETURNING last`,
			c.InstitutionID, c.Year).Scan(&c.Seq).Error; err != nil {
			return fmt.Errorf("next certificate number: %w", err)
		}
		c.Number = certification.FormatNumber(template, c.Seq, c.IssuerCode, c.Role, c.IssuedAt)
		sign(&c)
		out = certificateToRow(c)
		if err := tx.Create(&out).Error; err != nil {
			if isCode(err, uniqueViolation) && constraintOf(err) == "certificates_one_valid" {
				return certification.ErrAlreadyIssued
			}
			return fmt.Errorf("insert certificate: %w", err)
		}
		return writeAudit(ctx, tx, c.InstitutionID, "issue", "certificate", out.ID, nil, map[string]any{"number": out.Number,
			"person_id": out.PersonID, "course_id": out.CourseID, "jp": out.JP, "replaces": out.ReplacesID})
	})
	return out.toDomain(), err
}

// Certificate implements certification.Store; inst 0 means any.
func (s CertificateStore) Certificate(ctx context.Context, inst, id int64) (certification.Certificate, error) {
	q := conn(ctx, s.DB).Where("id = ?", id)
	if inst != 0 {
		q = q.Where("institution_id = ?", inst)
	}
	var row certificateRow
	err := q.Take(&row).Error
	return row.toDomain(), notFound(err, "certificate", id)
}

// CourseCertificates implements certification.Store.
func (s CertificateStore) CourseCertificates(ctx context.Context, inst, courseID int64) ([]certification.Certificate, error) {
	var rows []certificateRow
	if err := conn(ctx, s.DB).Where("institution_id = ? AND course_id = ?", inst, courseID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]certification.Certificate, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// PersonCertificates implements certification.Store.
func (s CertificateStore) PersonCertificates(ctx context.Context, inst, personID int64) ([]certification.Certificate, error) {
	var rows []certificateRow
	if err := conn(ctx, s.DB).Where("institution_id = ? AND person_id = ?", inst, personID).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]certification.Certificate, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// ByCode implements certification.Store.
func (s CertificateStore) ByCode(ctx context.Context, code string) (certification.Certificate, error) {
	var row certificateRow
	err := conn(ctx, s.DB).Where("code = ?", code).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return certification.Certificate{}, errs.NotFoundf("no certificate with that code")
	}
	return row.toDomain(), err
}

// Revoke implements certification.Store.
func (s CertificateStore) Revoke(ctx context.Context, inst, id int64, reason string) (certification.Certificate, error) {
	var out certificateRow
	err := conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		if err := tx.Clauses(forUpdate()).Where("id = ? AND institution_id = ?", id, inst).Take(&out).Error; err != nil {
			return notFound(err, "certificate", id)
		}
		if out.Status == string(certification.Revoked) {
			return certification.ErrAlreadyRevoked
		}
		now := clock(s.Now)
		out.Status, out.RevokedAt, out.RevokedReason = string(certification.Revoked), &now, reason
		if err := tx.Model(&certificateRow{}).Where("id = ?", id).Updates(map[string]any{"status": out.Status,
			"revoked_at": now, "revoked_reason": reason}).Error; err != nil {
			return fmt.Errorf("revoke certificate: %w", err)
		}
		return writeAudit(ctx, tx, inst, "revoke", "certificate", id, map[string]any{"status": "valid"},
			map[string]any{"status": "revoked", "reason": reason})
	})
	return out.toDomain(), err
}

// RevokedIDs implements certification.Store.
func (s CertificateStore) RevokedIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := conn(ctx, s.DB).Raw("SELECT id FROM certificates WHERE status = 'revoked' ORDER BY id").Scan(&ids).Error
	return ids, err
}

// Holders implements certification.Store: people with completed bookings
// in the course and no valid certificate for it.
func (s CertificateStore) Holders(ctx context.Context, inst, courseID int64) ([]int64, error) {
	if err := courseExists(ctx, s.DB, inst, courseID); err != nil {
		return nil, err
	}
	var ids []int64
	err := conn(ctx, s.DB).Raw(`SELECT DISTINCT b.person_id FROM bookings b JOIN sessions s ON s.id = b.session_id
		WHERE b.institution_id = ? AND s.course_id = ? AND b.status = 'completed'
		AND NOT EXISTS (SELECT 1 FROM certificates c WHERE c.course_id = s.course_id AND c.person_id = b.person_id AND c.status = 'valid')
		ORDER BY b.person_id`, inst, courseID).Scan(&ids).Error
	return ids, err
}

// Settings implements certification.Store; without settings the template
// is the default and no signer is named (nothing is issued until one is).
func (s CertificateStore) Settings(ctx context.Context, inst int64) (certification.Settings, error) {
	var row struct {
		NumberTemplate string `gorm:"column:number_template"`
		SignerName     string `gorm:"column:signer_name"`
		SignerTitle    string `gorm:"column:signer_title"`
		SignerNIP      string `gorm:"column:signer_nip"`
	}
	err := conn(ctx, s.DB).Raw(`SELECT number_template, signer_name, signer_title, signer_nip FROM certificate_settings WHERE institution_id = ?`, inst).
		Scan(&row).Error
	if err != nil {
		return certification.Settings{}, err
	}
	if row.NumberTemplate == "" {
		return certification.Settings{Template: certification.DefaultTemplate}, nil
	}
	return certification.Settings{Template: row.NumberTemplate, SignerName: row.SignerName, SignerTitle: row.SignerTitle,
		SignerNIP: row.SignerNIP}, nil
}

// PutSettings implements certification.Store.
func (s CertificateStore) PutSettings(ctx context.Context, inst int64, set certification.Settings) error {
	return conn(ctx, s.DB).Transaction(func(tx *gorm.DB) error {
		before, err := CertificateStore{DB: tx}.Settings(ctx, inst)
		if err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO certificate_settings (institution_id, number_template, signer_name, signer_title, signer_nip)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (institution_id) DO UPDATE SET number_template = EXCLUDED.number_template, signer_name = EXCLUDED.signer_name,
			signer_title = EXCLUDED.signer_title, signer_nip = EXCLUDED.signer_nip, updated_at = now()`,
			inst, set.Template, set.SignerName, set.SignerTitle, set.SignerNIP).Error; err != nil {
			return fmt.Errorf("save certificate settings: %w", err)
		}
		return writeAudit(ctx, tx, inst, "put", "certificate_settings", inst, before, set)
	})
}

// ForAchievement implements certification.Store: the latest certificate
// of a course in a role, which describes its achievement.
func (s CertificateStore) ForAchievement(ctx context.Context, courseID int64, role string) (certification.Certificate, error) {
	var rows []certificateRow
	if err := conn(ctx, s.DB).Where("course_id = ? AND role = ?", courseID, role).Order("id DESC").Limit(1).Find(&rows).Error; err != nil {
		return certification.Certificate{}, fmt.Errorf("load achievement: %w", err)
	}
	if len(rows) == 0 {
		return certification.Certificate{}, errs.NotFoundf("no achievement for course %d", courseID)
	}
	return rows[0].toDomain(), nil
}

// KeyStore implements certification.Keyring. Private keys are sealed with
// AES-256-GCM under KEK, so a database dump alone cannot sign.
type KeyStore struct {
	DB  *gorm.DB
	KEK []byte
	// Now dates new keys and retirements; nil reads the system clock.
	Now func() time.Time
}

// sealer seals secrets at rest with AES-256-GCM under a key encryption key
// (SIGNING_KEK): the signing keys and people's tax numbers. The nonce leads
// the sealed bytes; aad binds a sealed value to what it belongs to.
type sealer []byte

func (k sealer) aead() (cipher.AEAD, error) {
	if len(k) != 32 {
		return nil, errors.New("the key encryption key (SIGNING_KEK) must be 32 bytes")
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func (k sealer) seal(plain, aad []byte) ([]byte, error) {
	a, err := k.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return a.Seal(nonce, nonce, plain, aad), nil
}

func (k sealer) open(sealed, aad []byte) ([]byte, error) {
	a, err := k.aead()
	if err != nil {
		return nil, err
	}
	if len(sealed) < a.NonceSize() {
		return nil, errors.New("sealed value too short")
	}
	return a.Open(nil, sealed[:a.NonceSize()], sealed[a.NonceSize():], aad)
}

func (k KeyStore) seal(key certification.Key) ([]byte, error) {
	return sealer(k.KEK).seal(key.Private.Seed(), []byte(key.ID))
}

func (k KeyStore) open(kid string, sealed []byte) (ed25519.PrivateKey, error) {
	seed, err := sealer(k.KEK).open(sealed, []byte(kid))
	if err != nil {
		return nil, fmt.Errorf("open signing key %s (wrong key encryption key?): %w", kid, err)
	}
	return ed25519.NewKeyFromSeed(seed), nil
}

type keyRow struct {
	KID       string `gorm:"column:kid"`
	PublicKey []byte
	SealedKey []byte
	Active    bool
	CreatedAt time.Time
	RetiredAt *time.Time
}

// Add stores a key (from configuration or freshly made) as the active one
// unless a key with its id exists.
func (k KeyStore) Add(ctx context.Context, key certification.Key) error {
	sealed, err := k.seal(key)
	if err != nil {
		return err
	}
	return conn(ctx, k.DB).Transaction(func(tx *gorm.DB) error {
		var n int64
		tx.Raw("SELECT count(*) FROM signing_keys WHERE kid = ?", key.ID).Scan(&n)
		if n > 0 {
			return nil
		}
		if err := tx.Exec("UPDATE signing_keys SET active = false, retired_at = ?, sealed_key = NULL WHERE active", clock(k.Now)).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO signing_keys (kid, public_key, sealed_key, active) VALUES (?, ?, ?, true)`,
			key.ID, []byte(key.Public), sealed).Error; err != nil {
			return fmt.Errorf("store signing key: %w", err)
		}
		return writeAudit(ctx, tx, 0, "add", "signing_key", 0, nil, map[string]any{"kid": key.ID})
	})
}

// Active implements certification.Keyring.
func (k KeyStore) Active(ctx context.Context) (certification.Key, error) {
	var rows []keyRow
	if err := conn(ctx, k.DB).Raw("SELECT * FROM signing_keys WHERE active").Scan(&rows).Error; err != nil {
		return certification.Key{}, err
	}
	if len(rows) == 0 {
		key, err := certification.NewKey(clock(k.Now))
		if err != nil {
			return certification.Key{}, err
		}
		if err := k.Add(ctx, key); err != nil {
			if isCode(err, uniqueViolation) { // another replica made one first
				return k.Active(ctx)
			}
			return certification.Key{}, err
		}
		return k.Active(ctx)
	}
	priv, err := k.open(rows[0].KID, rows[0].SealedKey)
	if err != nil {
		return certification.Key{}, err
	}
	return certification.Key{ID: rows[0].KID, Public: rows[0].PublicKey, Private: priv, Active: true, CreatedAt: rows[0].CreatedAt}, nil
}

// Keys implements certification.Keyring: public halves only.
func (k KeyStore) Keys(ctx context.Context) ([]certification.Key, error) {
	var rows []keyRow
	if err := conn(ctx, k.DB).Raw("SELECT kid, public_key, active, created_at, retired_at FROM signing_keys ORDER BY created_at").
		Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]certification.Key, len(rows))
	for i, r := range rows {
		out[i] = certification.Key{ID: r.KID, Public: r.PublicKey, Active: r.Active, CreatedAt: r.CreatedAt, RetiredAt: r.RetiredAt}
	}
	return out, nil
}

// Rotate implements certification.Keyring.
func (k KeyStore) Rotate(ctx context.Context) (certification.Key, error) {
	key, err := certification.NewKey(clock(k.Now))
	if err != nil {
		return certification.Key{}, err
	}
	if err := k.Add(ctx, key); err != nil {
		return certification.Key{}, err
	}
	return key, nil
}
