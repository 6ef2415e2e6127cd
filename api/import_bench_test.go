package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rosterFile writes n roster rows as CSV: every fifth a widyaiswara with a
// NIP, the others practitioners matched by e-mail; each with two
// competencies. Rows numbered from first, so files can overlap on purpose.
func rosterFile(first, n int, unit string) string {
	var b strings.Builder
	b.WriteString(rosterHeader)
	birth := time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)
	for k := first; k < first+n; k++ {
		if k%5 == 0 {
			// 9,000 birth dates (1960-1984) times 999 sequence numbers.
			d := birth.AddDate(0, 0, (k/5)%9000)
			nip := fmt.Sprintf("%s%s%d%03d", d.Format("20060102"), d.AddDate(25, 0, 0).Format("200601"), 1+k%2, 1+(k/5/9000)%999)
			fmt.Fprintf(&b, "Widyaiswara Nomor %d,widyaiswara,%s,ahli_muda,III/c,wi%d@bpsdm-a.go.id,0812%08d,BPSDM Provinsi A,%s,pns,Asia/Makassar,integritas:4; komunikasi:3\n",
				k, nip, k, k, unit)
			continue
		}
		fmt.Fprintf(&b, "Praktisi Nomor %d,praktisi,,,,pr%d@example.id,+62813%08d,Dinas Kesehatan,%s,non_asn,WITA,pelayanan_publik:4; kerjasama:3\n",
			k, k, k, unit)
	}
	return b.String()
}

// BenchmarkRosterImport measures a 10,000-row file through the router and
// the real database: half the rows update people imported before, half
// are new. dry_run reads, matches and checks; apply also writes, in one
// transaction, people, competencies and audit rows.
func BenchmarkRosterImport(b *testing.B) {
	const rows = 10000
	e := newEnv(b)
	seed := e.importCSV("/v1/people/import?dry_run=false", rosterFile(0, rows/2, "Seksi Awal"))
	if seed.Status != http.StatusOK || seed.Body["created"] != float64(rows/2) {
		b.Fatalf("seeding the roster: %d %.300s", seed.Status, seed.Raw)
	}
	files := 0 // across runs: every file differs from those applied before
	run := func(b *testing.B, dryRun bool) {
		for range b.N {
			b.StopTimer()
			files++
			i := files
			next := rows/2 + i*rows // new people never seen before
			file := rosterFile(0, rows/2, fmt.Sprintf("Seksi %d", i)) + strings.TrimPrefix(rosterFile(next, rows/2, "Seksi Baru"), rosterHeader)
			b.StartTimer()
			r := e.importCSV(fmt.Sprintf("/v1/people/import?dry_run=%t", dryRun), file)
			b.StopTimer()
			if r.Status != http.StatusOK || r.Body["created"] != float64(rows/2) || r.Body["updated"] != float64(rows/2) {
				b.Fatalf("import: %d %.500s", r.Status, r.Raw)
			}
			b.StartTimer()
		}
		b.ReportMetric(float64(rows), "rows/op")
	}
	b.Run("dry_run", func(b *testing.B) { run(b, true) })
	b.Run("apply", func(b *testing.B) { run(b, false) })
}
