package incentive

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"sinergi/profile"
)

// Line is one person's total in an export: one line per person, fiscal
// year and status, so a treasurer never sums a draft with a paid row or one
// year with another.
type Line struct {
	PersonID    int64
	Name        string
	NIP         string
	TaxID       string
	TaxIDStatus string
	Golongan    string
	FiscalYear  int
	Status      Status
	// Classes are the rate classes of the line's rows, in order.
	Classes []Class
	JP      int
	PaidJP  int
	// Rate is the rate of every row of the line, 0 when they differ.
	Rate  int64
	Gross int64
	Tax   int64
	Net   int64
	// Rows counts the ledger rows summed.
	Rows int
	// Payments are the paid rows' payments, each as its date (DD-MM-YYYY)
	// and reference, in ledger order without repeats.
	Payments []string
}

// Export is the treasurer's list: the lines, their total and who signs.
type Export struct {
	Statuses []Status
	Lines    []Line
	Total    Line
	Signers  Settings
}

// DefaultExportStatuses are what a treasurer pays from: approved and paid
// rows, never drafts.
var DefaultExportStatuses = []Status{Approved, Paid}

// Totals sums lines into the JUMLAH line (which has no rate).
func Totals(lines []Line) Line {
	t := Line{Name: "JUMLAH"}
	for _, l := range lines {
		t.JP += l.JP
		t.PaidJP += l.PaidJP
		t.Gross += l.Gross
		t.Tax += l.Tax
		t.Net += l.Net
		t.Rows += l.Rows
	}
	return t
}

// Summarise groups ledger rows into one line per person, fiscal year and
// status, in name order; identity gives each person's name and numbers.
func Summarise(rows []Honorarium, identity func(personID int64) Line) []Line {
	type key struct {
		person int64
		year   int
		status Status
	}
	at := map[key]int{}
	var lines []Line
	for _, h := range rows {
		k := key{h.PersonID, h.FiscalYear, h.Status}
		i, ok := at[k]
		if !ok {
			l := identity(h.PersonID)
			l.PersonID, l.FiscalYear, l.Status, l.Rate = h.PersonID, h.FiscalYear, h.Status, h.Rate
			lines = append(lines, l)
			i = len(lines) - 1
			at[k] = i
		}
		l := &lines[i]
		if l.Rate != h.Rate {
			l.Rate = 0
		}
		if !containsClass(l.Classes, h.Class) {
			l.Classes = append(l.Classes, h.Class)
		}
		l.JP += h.JP
		l.PaidJP += h.PaidJP
		l.Gross += h.Gross
		l.Tax += h.Tax
		l.Net += h.Net
		l.Rows++
		if !h.Payment.On.IsZero() {
			p := strings.TrimSpace(h.Payment.On.Format("02-01-2006") + " " + h.Payment.Reference)
			if !slices.Contains(l.Payments, p) {
				l.Payments = append(l.Payments, p)
			}
		}
	}
	sort.SliceStable(lines, func(a, b int) bool {
		x, y := lines[a], lines[b]
		switch {
		case x.Name != y.Name:
			return x.Name < y.Name
		case x.PersonID != y.PersonID:
			return x.PersonID < y.PersonID
		case x.FiscalYear != y.FiscalYear:
			return x.FiscalYear < y.FiscalYear
		}
		return x.Status < y.Status
	})
	return lines
}

func containsClass(list []Class, c Class) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// ClassNames joins a line's classes.
func (l Line) ClassNames() string {
	names := make([]string, len(l.Classes))
	for i, c := range l.Classes {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

// Export builds the treasurer's list of the rows f selects (approved and
// paid unless f names statuses), with the tax identity in full: it is the
// one place the NPWP/NIK is shown unmasked.
func (s Service) Export(ctx context.Context, inst int64, f Filter) (Export, error) {
	if len(f.Statuses) == 0 {
		f.Statuses = DefaultExportStatuses
	}
	rows, err := s.Store.List(ctx, inst, f)
	if err != nil {
		return Export{}, err
	}
	people := map[int64]Line{}
	for _, h := range rows {
		if _, ok := people[h.PersonID]; ok {
			continue
		}
		p, err := s.People.Person(ctx, inst, h.PersonID, true)
		if err != nil {
			return Export{}, fmt.Errorf("load person %d for the export: %w", h.PersonID, err)
		}
		status := string(p.TaxIDStatus)
		if !p.HasTaxID() {
			status = string(profile.TaxNone)
		}
		people[h.PersonID] = Line{Name: p.Name, NIP: p.NIP, TaxID: p.TaxID, TaxIDStatus: status, Golongan: p.Golongan}
	}
	lines := Summarise(rows, func(id int64) Line { return people[id] })
	set, err := s.Store.Settings(ctx, inst)
	if err != nil {
		return Export{}, err
	}
	return Export{Statuses: f.Statuses, Lines: lines, Total: Totals(lines), Signers: set}, nil
}
