package console_test

import (
	"context"
	"net/http"
	"testing"

	"sinergi/audit"
	"sinergi/incentive"
	"sinergi/scheduling"
)

// benchRates fills ten years of ceilings and institution rates (every
// class, APBD in the env's region): 200 lines, each rate held to a ceiling.
func benchRates(b *testing.B) *env {
	e := newEnv(b)
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	for year := 2016; year <= 2025; year++ {
		for _, c := range incentive.Classes() {
			r := incentive.Rate{Regulation: "Pergub Uji", FiscalYear: year, Funding: scheduling.APBD, Region: "Sulawesi Selatan",
				Class: c, Unit: incentive.PerJP, Amount: 200000 + int64(year), Source: "uji"}
			_, err := e.app.Incentives.CreateRate(ctx, 0, r)
			must(b, err)
			r.Amount, r.Source = 150000, ""
			_, err = e.app.Incentives.CreateRate(ctx, e.instA, r)
			must(b, err)
		}
	}
	return e
}

// BenchmarkRatesPage prices the staff rates page (the rates, each line's
// ceiling, paging, render) against BenchmarkRates, the domain's read
// alone, in the same run.
func BenchmarkRatesPage(b *testing.B) {
	e := benchRates(b)
	c := e.client()
	c.login(e.staffA, password)
	b.ResetTimer()
	for b.Loop() {
		if r := c.get("/console/settings/rates?page=3"); r.Status != http.StatusOK {
			b.Fatalf("rates page: %d", r.Status)
		}
	}
}

// BenchmarkRates is the read the rates page makes.
func BenchmarkRates(b *testing.B) {
	e := benchRates(b)
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.app.Incentives.Rates(context.Background(), e.instA); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHolidaysPage prices the admin's holiday list of a year loaded
// from the national calendar.
func BenchmarkHolidaysPage(b *testing.B) {
	e := newEnv(b)
	c := e.adminClient()
	b.ResetTimer()
	for b.Loop() {
		if r := c.get("/console/admin/holidays?year=2026"); r.Status != http.StatusOK {
			b.Fatalf("holidays page: %d", r.Status)
		}
	}
}
