package console_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"sinergi/internal/sheet"
	"sinergi/profile"
)

// benchRosterCSV is a roster of n practitioners, each with integritas at
// a level from 1 to 5.
func benchRosterCSV(n int) []byte {
	var b strings.Builder
	b.WriteString(strings.Join(profile.ImportColumns, ",") + "\n")
	for i := range n {
		fmt.Fprintf(&b, "Praktisi Uji %04d,praktisi,,,,p%04d@uji.example.id,,Instansi Uji %d,Unit,non_asn,WITA,integritas:%d; komunikasi:%d\n",
			i, i, i%7, i%5+1, (i+2)%5+1)
	}
	return []byte(b.String())
}

// benchRoster fills A's roster with 500 practitioners through the
// importer and signs staff in.
func benchRoster(b *testing.B) (*env, *client) {
	e := newEnv(b)
	table, err := sheet.Read(benchRosterCSV(500))
	must(b, err)
	if _, err := e.app.Roster.Import(context.Background(), e.instA, table, true); err != nil {
		b.Fatal(err)
	}
	c := e.client()
	c.login(e.staffA, password)
	return e, c
}

const benchFilter = "/console/people?competency=integritas&min_level=3&limit=25"

// BenchmarkRosterPage prices the roster page filtered by competency and
// level (25 of 500 people: list, taxonomy, render) against
// BenchmarkRosterList, the listing alone, in the same run.
func BenchmarkRosterPage(b *testing.B) {
	e, c := benchRoster(b)
	b.ResetTimer()
	for b.Loop() {
		if r := c.get(benchFilter); r.Status != http.StatusOK {
			e.t.Fatalf("roster page: %d", r.Status)
		}
	}
}

// BenchmarkRosterList is the listing the roster page shows, called
// directly.
func BenchmarkRosterList(b *testing.B) {
	e, _ := benchRoster(b)
	f := profile.Filter{Competency: "integritas", MinLevel: 3, Limit: 25, Sort: "name"}
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.app.People.ListPeople(context.Background(), e.instA, f); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportPreview prices the console's dry run of a 500-row file
// (upload, read, check, render every row) against BenchmarkImportDryRun,
// the importer alone on the same table.
func BenchmarkImportPreview(b *testing.B) {
	e := newEnv(b)
	c := e.client()
	c.login(e.staffA, password)
	file := benchRosterCSV(500)
	b.ResetTimer()
	for b.Loop() {
		if r := c.postFile("/console/people/import", "file", "roster.csv", file, nil); r.Status != http.StatusOK {
			e.t.Fatalf("preview: %d", r.Status)
		}
	}
}

// BenchmarkImportDryRun is the importer's dry run alone.
func BenchmarkImportDryRun(b *testing.B) {
	e := newEnv(b)
	file := benchRosterCSV(500)
	b.ResetTimer()
	for b.Loop() {
		table, err := sheet.Read(file)
		must(b, err)
		if _, err := e.app.Roster.Import(context.Background(), e.instA, table, false); err != nil {
			b.Fatal(err)
		}
	}
}
