// Package profile holds trainers: widyaiswara (functional government
// trainers) and field practitioners, with their competencies. It validates
// what staff commonly get wrong (NIP, jenjang against golongan, phone and
// e-mail formats, time zones) and declares the Store it needs.
package profile

import (
	"time"
)

// Kind is the kind of trainer.
type Kind string

// The kinds of trainer.
const (
	Widyaiswara  Kind = "widyaiswara"
	Practitioner Kind = "practitioner"
)

// Jenjang is a widyaiswara's functional level (PermenPANRB 42/2021).
type Jenjang string

// The four keahlian levels, lowest first.
const (
	AhliPertama Jenjang = "ahli_pertama"
	AhliMuda    Jenjang = "ahli_muda"
	AhliMadya   Jenjang = "ahli_madya"
	AhliUtama   Jenjang = "ahli_utama"
)

// Jenjangs lists the levels lowest first; the index is the rank.
var Jenjangs = []Jenjang{AhliPertama, AhliMuda, AhliMadya, AhliUtama}

// Rank returns 1 for Ahli Pertama up to 4 for Ahli Utama, 0 if unknown.
func (j Jenjang) Rank() int {
	for i, x := range Jenjangs {
		if x == j {
			return i + 1
		}
	}
	return 0
}

// Employment is the person's employment status.
type Employment string

// Employment statuses: civil servant, contract civil servant, not ASN.
const (
	PNS    Employment = "pns"
	PPPK   Employment = "pppk"
	NonASN Employment = "non_asn"
)

// TaxIDStatus says which tax identity the person has given; it drives the
// PPh 21 surcharge for payees without NPWP/NIK.
type TaxIDStatus string

// Tax identity statuses.
const (
	TaxNPWP TaxIDStatus = "npwp"
	TaxNIK  TaxIDStatus = "nik"
	TaxNone TaxIDStatus = "none"
)

// Person is a widyaiswara or a practitioner on an institution's roster.
type Person struct {
	ID            int64
	InstitutionID int64
	Kind          Kind
	Name          string
	Email         string
	Phone         string
	NIP           string
	Jenjang       Jenjang
	Golongan      string
	Organisation  string
	Unit          string
	Employment    Employment
	TaxIDStatus   TaxIDStatus
	// TaxID is the NPWP (15 or 16 digits) or the NIK used as NPWP.
	TaxID           string
	Expertise       []string
	ExperienceYears int
	Zone            string
	// ShareProfile lets other institutions read this profile (practitioners).
	ShareProfile bool
	Version      int
	ArchivedAt   *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Competencies []PersonCompetency
}

// Archived reports whether the person has been archived.
func (p Person) Archived() bool { return p.ArchivedAt != nil }

// Filter narrows and orders a roster listing.
type Filter struct {
	Kind Kind
	// Competency is a competency code; MinLevel applies to it.
	Competency string
	MinLevel   int
	// Q matches name, organisation or NIP, case-insensitively.
	Q    string
	Zone string
	// Sort is name, -name, created_at or -created_at.
	Sort            string
	Limit           int
	Cursor          string
	IncludeArchived bool
	// OnlyArchived lists archived people alone.
	OnlyArchived bool
	// IncludeShared adds practitioners of other institutions who opted in.
	IncludeShared bool
}

// Page is one page of a listing.
type Page struct {
	Items      []Person
	NextCursor string
}
