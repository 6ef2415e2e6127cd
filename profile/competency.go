package profile

import (
	"regexp"
	"strconv"
	"strings"

	"sinergi/errs"
)

// CompetencyType is one of the three groups of PermenPANRB 38/2017.
type CompetencyType string

// The competency types.
const (
	Manajerial     CompetencyType = "manajerial"
	SosialKultural CompetencyType = "sosial_kultural"
	Teknis         CompetencyType = "teknis"
)

// Competency is an entry of the taxonomy. Manajerial and sosial kultural
// entries are national (InstitutionID 0); teknis entries belong to one
// institution's own dictionary.
type Competency struct {
	ID            int64
	InstitutionID int64
	Type          CompetencyType
	Code          string
	Name          string
	Description   string
}

// PersonCompetency is a person's level (1-5) in a competency with evidence.
type PersonCompetency struct {
	CompetencyID   int64
	Code           string
	Name           string
	Type           CompetencyType
	Level          int
	Years          int
	SessionsTaught int
	Evidence       string
}

var codeRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{1,63}$`)

// Normalize checks an institution's teknis competency.
func (c *Competency) Normalize() error {
	f := errs.Fields{}
	c.Code = strings.ToLower(strings.TrimSpace(c.Code))
	c.Name = strings.Join(strings.Fields(c.Name), " ")
	if !codeRe.MatchString(c.Code) {
		f.Add("code", "must be 2-64 lowercase letters, digits, '_', '.' or '-'")
	}
	if n := len([]rune(c.Name)); n < 2 || n > 200 {
		f.Add("name", "must be 2 to 200 characters")
	}
	if c.Type != Teknis {
		f.Add("type", "institutions define teknis competencies only; manajerial and sosial_kultural are national")
	}
	return f.Err()
}

// NormalizeCompetencies checks a replacement set of person competencies:
// each competency once, level 1-5, evidence within bounds. Field names are
// indexed ("competencies[2].level") so a form can point at the row.
func NormalizeCompetencies(cs []PersonCompetency) error {
	f := errs.Fields{}
	if len(cs) > 100 {
		f.Add("competencies", "at most 100 entries")
	}
	seen := map[int64]bool{}
	for i, c := range cs {
		at := "competencies[" + strconv.Itoa(i) + "]"
		if c.CompetencyID <= 0 {
			f.Add(at+".competency_id", "is required")
		} else if seen[c.CompetencyID] {
			f.Add(at+".competency_id", "appears more than once")
		}
		seen[c.CompetencyID] = true
		if c.Level < 1 || c.Level > 5 {
			f.Add(at+".level", "must be 1 to 5")
		}
		if c.Years < 0 || c.Years > 70 {
			f.Add(at+".years", "must be 0 to 70")
		}
		if c.SessionsTaught < 0 || c.SessionsTaught > 100000 {
			f.Add(at+".sessions_taught", "must be 0 to 100000")
		}
		if len(c.Evidence) > 2000 {
			f.Add(at+".evidence", "at most 2000 characters")
		}
	}
	return f.Err()
}
