package api_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"sinergi/audit"
	"sinergi/postgres"
)

// ledgerCourse makes an APBN course with n sessions of 8 JP (09:00-15:00
// WITA) on n working days of December 2026, books each person on each in
// the given role and confirms them; it returns the booking ids per person
// in session order.
func (e *env) ledgerCourse(n int, people map[int64]string) (int64, map[int64][]int64) {
	e.t.Helper()
	return e.ledgerCourseSlots(n, [][2]string{{"09:00", "15:00"}}, people)
}

// ledgerCourseSlots is ledgerCourse with sessions in the given daily slots.
func (e *env) ledgerCourseSlots(n int, slots [][2]string, people map[int64]string) (int64, map[int64][]int64) {
	e.t.Helper()
	r := e.do("POST", "/v1/courses", e.staffA, map[string]any{"name": "Pelatihan Manajemen Bencana", "organising_unit": "Bidang PKM",
		"funding": "APBN", "region": "Sulawesi Selatan", "start_date": "2026-12-01", "end_date": "2026-12-31"})
	e.expect(r, http.StatusCreated, "")
	course := r.id()
	var sessions []int64
	for day := 1; len(sessions) < n; day++ {
		d := time.Date(2026, 12, day, 0, 0, 0, 0, time.UTC)
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || day >= 24 && day <= 26 {
			continue
		}
		date := d.Format(time.DateOnly)
		for _, slot := range slots {
			if len(sessions) < n {
				sessions = append(sessions, e.mustSession(course, date+"T"+slot[0], date+"T"+slot[1], "Asia/Makassar"))
			}
		}
	}
	bookings := map[int64][]int64{}
	for person, role := range people {
		for _, s := range sessions {
			id := e.book(s, person, role).id()
			for _, to := range []string{"invited", "accepted", "confirmed"} {
				e.expect(e.transition(e.staffA, id, to), http.StatusOK, "")
			}
			bookings[person] = append(bookings[person], id)
		}
	}
	e.testTime = time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	return course, bookings
}

func (e *env) accrue(booking int64, class string) response {
	e.t.Helper()
	body := map[string]any{"booking_id": booking}
	if class != "" {
		body["class"] = class
	}
	return e.do("POST", "/v1/honoraria/accrue", e.staffA, body)
}

func (e *env) mustAccrue(booking int64, class string) map[string]any {
	e.t.Helper()
	r := e.accrue(booking, class)
	e.expect(r, http.StatusOK, "")
	return r.Body
}

// ledgerOf returns a person's rows, by id.
func (e *env) ledgerOf(person int64) []map[string]any {
	e.t.Helper()
	r := e.do("GET", fmt.Sprintf("/v1/honoraria?person_id=%d&limit=500", person), e.staffA, nil)
	e.expect(r, http.StatusOK, "")
	rows := r.items()
	sort.Slice(rows, func(a, b int) bool { return num(rows[a], "id") < num(rows[b], "id") })
	return rows
}

func num(m map[string]any, k string) int64 {
	v, _ := m[k].(float64)
	return int64(v)
}

// pasal17 is the Pasal 17(1)(a) scale (UU 7/2021), written out here by
// hand so the ledger is checked against something it did not compute.
func pasal17(base int64) int64 {
	bands := []struct{ upper, pct int64 }{{60_000_000, 5}, {250_000_000, 15}, {500_000_000, 25}, {5_000_000_000, 30}, {1 << 62, 35}}
	var tax, lower int64
	for _, b := range bands {
		if base <= lower {
			break
		}
		tax += (min(base, b.upper) - lower) * b.pct / 100
		lower = b.upper
	}
	return tax
}

func TestLedgerRecomputeUsesOnlyEarlierRows(t *testing.T) {
	e := newEnv(t)
	// widyaiswara_internal has no national line; the admin adds one.
	e.expect(e.do("POST", "/v1/rate-tables", e.admin, map[string]any{"regulation": "PMK 39/2024", "fiscal_year": 2026, "funding": "APBN",
		"class": "widyaiswara_internal", "unit": "per_jp", "amount": 250000, "source": "SBM TA 2026 (test figure)"}), http.StatusCreated, "")
	e.expect(e.do("PUT", "/v1/incentive/settings", e.staffA, map[string]any{"widyaiswara_minimum_jp": 10}), http.StatusOK, "")
	p := e.createPerson(e.staffA, practitionerJSON("tanpa-npwp@example.id")) // no NPWP: 20% more
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@a.go.id", "198503102010012003"))
	_, bookings := e.ledgerCourse(10, map[int64]string{p: "co_trainer", w: "lead"})
	for _, b := range bookings[p] {
		e.expect(e.transition(e.staffA, b, "completed"), http.StatusOK, "")
		// 8 JP x Rp1.700.000 (PMK 49/2023, narasumber menteri) = Rp13.600.000.
		e.mustAccrue(b, "narasumber_menteri")
	}
	for _, b := range bookings[w][:3] {
		e.expect(e.transition(e.staffA, b, "completed"), http.StatusOK, "")
	}

	// Base 6.8 jt a row; rows 1-8 in the 5% band (340,000 + 20% = 408,000),
	// row 9 crosses 60 jt (280,000 + 180,000 = 460,000, +20% = 552,000),
	// row 10 wholly at 15% (1,020,000, +20% = 1,224,000).
	want := []int64{408_000, 408_000, 408_000, 408_000, 408_000, 408_000, 408_000, 408_000, 552_000, 1_224_000}
	check := func(when string) {
		t.Helper()
		rows := e.ledgerOf(p)
		var total int64
		for i, h := range rows {
			if num(h, "tax") != want[i] {
				t.Fatalf("%s: row %d withholds %d, want %d: %s", when, i+1, num(h, "tax"), want[i], h["basis"])
			}
			total += num(h, "tax")
		}
		if total != 5_040_000 {
			t.Fatalf("%s: the year withholds %d, want 5,040,000 (4,200,000 on a base of 68 jt, +20%%)", when, total)
		}
	}
	check("first accrual")
	first := e.mustAccrue(bookings[p][0], "")
	if num(first, "tax") != 408_000 {
		t.Fatalf("recomputing the first row withholds %d, want 408,000", num(first, "tax"))
	}
	check("after recomputing the first row")
	e.mustAccrue(bookings[p][0], "")
	check("after recomputing it twice")

	// The widyaiswara teaches 8 + 8 + 8 JP with 10 JP a year unpaid: the
	// second session pays 6 JP (Rp1.500.000), whatever comes after it.
	second := e.mustAccrue(bookings[w][1], "")
	if num(second, "paid_jp") != 6 || num(second, "gross") != 1_500_000 || num(second, "tax") != 225_000 {
		t.Fatalf("second session after recompute: %v", second)
	}
}

func TestLedgerCorrectionAfterReversal(t *testing.T) {
	e := newEnv(t)
	body := practitionerJSON("npwp@example.id")
	body["tax_id_status"], body["tax_id"] = "nik", "7371014507850001"
	p := e.createPerson(e.staffA, body)
	_, bookings := e.ledgerCourse(10, map[int64]string{p: "co_trainer"})
	var ids []int64
	for _, b := range bookings[p] {
		e.expect(e.transition(e.staffA, b, "completed"), http.StatusOK, "")
		ids = append(ids, num(e.mustAccrue(b, "narasumber_menteri"), "id"))
	}
	for _, id := range ids[:9] {
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", id), e.staffA, nil), http.StatusOK, "")
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", id), e.staffA, nil), http.StatusOK, "")
	}
	tenth := func() map[string]any {
		rows := e.ledgerOf(p)
		for _, h := range rows {
			if num(h, "id") == ids[9] {
				return h
			}
		}
		t.Fatal("row 10 is gone")
		return nil
	}
	// Rows 1-9 paid: 8 x 340,000 + 460,000; row 10 at 15% on 6.8 jt.
	if got := num(tenth(), "tax"); got != 1_020_000 {
		t.Fatalf("row 10 withholds %d before the reversal, want 1,020,000", got)
	}
	t.Run("a paid row refuses a re-accrual in another class, naming its status", func(t *testing.T) {
		r := e.accrue(bookings[p][1], "narasumber_eselon_i")
		e.expect(r, http.StatusConflict, "honorarium_locked")
		if !strings.Contains(r.Body["error"].(map[string]any)["message"].(string), "berstatus dibayar") {
			t.Fatal(string(r.Raw))
		}
	})

	rev := e.do("POST", fmt.Sprintf("/v1/honoraria/%d/reverse", ids[0]), e.staffA, nil)
	e.expect(rev, http.StatusOK, "")
	if num(rev.Body, "tax") != -340_000 || num(rev.Body, "gross") != -13_600_000 {
		t.Fatalf("reversal %v", rev.Body)
	}
	// The reversal sits at the first session: row 10 now runs 54.4 -> 61.2
	// jt (280,000 + 180,000 = 460,000), but paid row 9 withheld 460,000 for
	// the crossing where 340,000 is now due: row 10 absorbs the 120,000.
	if ten := tenth(); num(ten, "tax") != 340_000 || !strings.Contains(ten["basis"].(string), "menampung Rp120.000 yang dipotong terlalu banyak") {
		t.Fatalf("row 10 after the reversal: %v, want 340,000 absorbing 120,000", ten)
	}
	// The correction: 8 JP x Rp1.400.000 (eselon I) = 11.2 jt, base 5.6 jt at 5%.
	corr := e.mustAccrue(bookings[p][0], "narasumber_eselon_i")
	if num(corr, "corrects_id") != ids[0] || num(corr, "gross") != 11_200_000 || num(corr, "tax") != 280_000 || corr["status"] != "draft" {
		t.Fatalf("correction %v", corr)
	}
	// Row 10 still absorbs the 120,000. The year: Pasal 17 on 5.6 + 8 x 6.8 + 6.8 = 66.8 jt is
	// 3,000,000 + 1,020,000 = 4,020,000; rows before 10 withheld 3,120,000.
	ten := tenth()
	if num(ten, "tax") != 900_000 || !strings.Contains(ten["basis"].(string), "menampung Rp120.000 yang dipotong terlalu banyak") {
		t.Fatalf("row 10 after the correction: %v", ten)
	}
	var gross, tax int64
	var ofBooking []map[string]any
	for _, h := range e.ledgerOf(p) {
		gross += num(h, "gross")
		tax += num(h, "tax")
		if num(h, "booking_id") == bookings[p][0] {
			ofBooking = append(ofBooking, h)
		}
	}
	if tax != 4_020_000 || tax != pasal17(gross/2) {
		t.Fatalf("the year withholds %d on gross %d, want 4,020,000", tax, gross)
	}
	if len(ofBooking) != 3 || num(ofBooking[0], "gross") != 13_600_000 || ofBooking[0]["status"] != "paid" ||
		num(ofBooking[1], "reverses_id") != ids[0] || num(ofBooking[2], "corrects_id") != ids[0] {
		t.Fatalf("the booking's ledger should read original + reversal + correction: %v", ofBooking)
	}
	t.Run("accruing again recomputes the correction, not a fourth row", func(t *testing.T) {
		again := e.mustAccrue(bookings[p][0], "")
		if num(again, "id") != num(corr, "id") || num(again, "tax") != 280_000 {
			t.Fatalf("%v", again)
		}
	})
	t.Run("an approved row refuses a change, naming its status", func(t *testing.T) {
		e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", num(corr, "id")), e.staffA, nil), http.StatusOK, "")
		r := e.accrue(bookings[p][0], "narasumber_menteri")
		e.expect(r, http.StatusConflict, "honorarium_locked")
		if r.Body["error"].(map[string]any)["details"].(map[string]any)["status"] != "approved" {
			t.Fatal(string(r.Raw))
		}
	})
}

// TestLedgerProperty runs random sequences of accrue, recompute, approve,
// pay, reverse and correct over one practitioner and one PNS widyaiswara
// and checks after every step that paid rows never change, that every
// draft brings the year's withholding to Pasal 17 on the year's base so
// far (bukan pegawai) and that PNS rows are taxed at the final rate.
func TestLedgerProperty(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	var seen ledgerOps
	for seed := uint64(1); seed <= 4; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) { ledgerProperty(t, seed, &seen) })
	}
	t.Logf("%+v", seen)
	if !t.Failed() && (seen.reversed == 0 || seen.corrected == 0 || seen.recomputed == 0 || seen.refused == 0 || seen.outOfOrder == 0) {
		t.Fatalf("the sequences never reached every operation: %+v", seen)
	}
}

// ledgerOps counts what the random sequences did.
type ledgerOps struct{ accrued, outOfOrder, recomputed, corrected, refused, approved, paid, reversed int }

func ledgerProperty(t *testing.T, seed uint64, seen *ledgerOps) {
	e := newEnv(t)
	rng := rand.New(rand.NewPCG(seed, 13))
	e.expect(e.do("POST", "/v1/rate-tables", e.admin, map[string]any{"regulation": "PMK 39/2024", "fiscal_year": 2026, "funding": "APBN",
		"class": "widyaiswara_internal", "unit": "per_jp", "amount": 250000, "source": "SBM TA 2026 (test figure)"}), http.StatusCreated, "")
	const minimum = 10
	e.expect(e.do("PUT", "/v1/incentive/settings", e.staffA, map[string]any{"widyaiswara_minimum_jp": minimum}), http.StatusOK, "")
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id")) // no NPWP
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@a.go.id", "198503102010012003"))
	_, bookings := e.ledgerCourse(12, map[int64]string{p: "co_trainer", w: "lead"})
	classOf := map[int64][]string{p: {"narasumber_menteri", "narasumber_eselon_i"}, w: {"widyaiswara_internal"}}
	completed := map[int64]bool{}
	paid := map[int64]map[string]any{}
	for step := 0; step < 60; step++ {
		person := p
		if rng.IntN(3) == 0 {
			person = w
		}
		rows := e.ledgerOf(person)
		// What can happen next, by kind; a kind is picked first so that the
		// rarer ones (pay, reverse, correct) come up too.
		type action struct {
			kind    string
			booking int64
			row     int64
		}
		var can []action
		reversed := map[int64]bool{}
		for _, h := range rows {
			reversed[num(h, "reverses_id")] = true
		}
		current := map[int64]bool{}
		for _, h := range rows {
			if num(h, "reverses_id") == 0 && !reversed[num(h, "id")] {
				current[num(h, "booking_id")] = true
			}
		}
		for _, b := range bookings[person] {
			switch {
			case !completed[b]:
				can = append(can, action{"accrue", b, 0})
			case current[b]:
				can = append(can, action{"recompute", b, 0})
			default:
				can = append(can, action{"correct", b, 0})
			}
		}
		for _, h := range rows {
			switch {
			case h["status"] == "draft":
				can = append(can, action{"approve", 0, num(h, "id")})
			case h["status"] == "approved":
				can = append(can, action{"pay", 0, num(h, "id")})
			case num(h, "reverses_id") == 0 && !reversed[num(h, "id")]:
				can = append(can, action{"reverse", 0, num(h, "id")})
			}
		}
		kinds := map[string][]action{}
		var names []string
		for _, a := range can {
			if kinds[a.kind] == nil {
				names = append(names, a.kind)
			}
			kinds[a.kind] = append(kinds[a.kind], a)
		}
		sort.Strings(names)
		pick := kinds[names[rng.IntN(len(names))]]
		act := pick[rng.IntN(len(pick))]
		class := classOf[person][rng.IntN(len(classOf[person]))]
		switch act.kind {
		case "accrue": // in whatever order sessions happen to be completed
			e.expect(e.transition(e.staffA, act.booking, "completed"), http.StatusOK, "")
			completed[act.booking] = true
			h := e.mustAccrue(act.booking, class)
			seen.accrued++
			for _, r := range rows {
				if num(r, "session_id") > num(h, "session_id") {
					seen.outOfOrder++ // a later session was accrued first
					break
				}
			}
		case "recompute", "correct": // perhaps in another class
			r := e.accrue(act.booking, class)
			switch {
			case r.Status == http.StatusOK && act.kind == "correct" && num(r.Body, "corrects_id") != 0:
				seen.corrected++
			case r.Status == http.StatusOK && act.kind == "recompute":
				seen.recomputed++
			case r.errorCode() == "honorarium_locked" && act.kind == "recompute":
				seen.refused++
			default:
				t.Fatalf("step %d: %s: %s", step, act.kind, r.Raw)
			}
		case "approve":
			e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/approve", act.row), e.staffA, nil), http.StatusOK, "")
			seen.approved++
		case "pay":
			e.expect(e.do("POST", fmt.Sprintf("/v1/honoraria/%d/pay", act.row), e.staffA, nil), http.StatusOK, "")
			seen.paid++
		case "reverse":
			r := e.do("POST", fmt.Sprintf("/v1/honoraria/%d/reverse", act.row), e.staffA, nil)
			e.expect(r, http.StatusOK, "")
			seen.reversed++
		}
		for _, person := range []int64{p, w} {
			rows := e.ledgerOf(person)
			for _, h := range rows {
				id := num(h, "id")
				if before, ok := paid[id]; ok && fmt.Sprint(before) != fmt.Sprint(h) {
					t.Fatalf("step %d: paid row %d changed:\n%v\n%v", step, id, before, h)
				}
				if h["status"] == "paid" {
					paid[id] = h
				}
			}
			e.checkYear(t, step, person == w, minimum, rows)
		}
	}
}

// checkYear checks a person's rows of 2026 in ledger order.
func (e *env) checkYear(t *testing.T, step int, pns bool, minimum int64, rows []map[string]any) {
	t.Helper()
	sessionEnd := map[int64]string{}
	for _, h := range rows {
		s := num(h, "session_id")
		if _, ok := sessionEnd[s]; !ok {
			r := e.do("GET", fmt.Sprintf("/v1/sessions/%d", s), e.staffA, nil)
			sessionEnd[s] = r.Body["end_utc"].(string)
		}
	}
	sort.SliceStable(rows, func(a, b int) bool {
		x, y := sessionEnd[num(rows[a], "session_id")], sessionEnd[num(rows[b], "session_id")]
		if x != y {
			return x < y
		}
		return num(rows[a], "id") < num(rows[b], "id")
	})
	var gross, withheld, jp, paidJP int64
	for _, h := range rows {
		gross += num(h, "gross")
		withheld += num(h, "tax")
		jp += num(h, "jp")
		paidJP += num(h, "paid_jp")
		draft := h["status"] == "draft" && num(h, "reverses_id") == 0
		switch {
		case pns && num(h, "reverses_id") == 0 && num(h, "tax") != num(h, "gross")*15/100:
			t.Fatalf("step %d: PNS IV row %v is not taxed at the final 15%%", step, h)
		case pns && draft && paidJP != max(jp-minimum, 0):
			t.Fatalf("step %d: through draft %d, %d JP paid of %d taught, want %d above the minimum", step, num(h, "id"), paidJP, jp,
				max(jp-minimum, 0))
		case !pns && draft && withheld != pasal17(gross/2)*12/10:
			t.Fatalf("step %d: through draft %d the year withholds %d on a base of %d, want %d (Pasal 17 + 20%%)", step, num(h, "id"),
				withheld, gross/2, pasal17(gross/2)*12/10)
		}
	}
	if n := len(rows); n > 0 && !pns && rows[n-1]["status"] == "draft" && num(rows[n-1], "reverses_id") == 0 &&
		withheld != pasal17(gross/2)*12/10 {
		t.Fatalf("step %d: the year withholds %d, want %d", step, withheld, pasal17(gross/2)*12/10)
	}
}

func TestTaxNumberSealedAndMasked(t *testing.T) {
	e := newEnv(t)
	body := practitionerJSON("pajak@example.id")
	body["tax_id_status"], body["tax_id"] = "npwp", "73.7101.4507.850001"
	r := e.do("POST", "/v1/people", e.staffA, body)
	e.expect(r, http.StatusCreated, "")
	if r.Body["tax_id"] != "7371********0001" {
		t.Fatalf("staff see %v", r.Body["tax_id"])
	}
	var stored struct {
		TaxID  string
		Sealed []byte
	}
	must(t, e.db.Raw("SELECT tax_id, tax_id_sealed AS sealed FROM people WHERE id = ?", r.id()).Scan(&stored).Error)
	if stored.TaxID != "" || len(stored.Sealed) < 16+12 || strings.Contains(string(stored.Sealed), "7371014507850001") {
		t.Fatalf("stored in the clear: %+v", stored)
	}
	var audit int64
	must(t, e.db.Raw("SELECT count(*) FROM audit_log WHERE after::text LIKE '%7371014507850001%' OR before::text LIKE '%7371014507850001%'").
		Scan(&audit).Error)
	if audit != 0 {
		t.Fatal("the audit log holds the tax number in the clear")
	}
	r = e.do("PATCH", fmt.Sprintf("/v1/people/%d", r.id()), e.staffA, map[string]any{"tax_id": "12.345"}, "If-Match", `W/"v1"`)
	e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
	if r.field("tax_id") == "" {
		t.Fatal(string(r.Raw))
	}
}

// TestConcurrentAccrualsKeepTheYearConsistent drafts ten honoraria of one
// person at once: the ledger lock serialises them, so however they
// interleave every row is priced against the rows before it.
func TestConcurrentAccrualsKeepTheYearConsistent(t *testing.T) {
	e := newEnv(t)
	p := e.createPerson(e.staffA, practitionerJSON("serentak@example.id"))
	_, bookings := e.ledgerCourse(10, map[int64]string{p: "co_trainer"})
	for _, b := range bookings[p] {
		// No APBN penceramah line: completion drafts nothing yet.
		e.expect(e.transition(e.staffA, b, "completed"), http.StatusOK, "")
	}
	var wg sync.WaitGroup
	codes := make([]int, len(bookings[p]))
	for i, b := range bookings[p] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = e.accrue(b, "narasumber_menteri").Status
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("accrual %d answered %d", i, c)
		}
	}
	rows := e.ledgerOf(p)
	var tax int64
	for _, h := range rows {
		tax += num(h, "tax")
	}
	if len(rows) != 10 || tax != 5_040_000 {
		t.Fatalf("%d rows withholding %d, want 10 rows and 5,040,000", len(rows), tax)
	}
	e.checkYear(t, 0, false, 0, rows)
}

// BenchmarkLedgerRecompute re-accrues the first and the last of a year's
// drafts: the first restates every later draft (none of which changes), the
// last only itself, so the ratio is the price of pricing by ledger order.
func BenchmarkLedgerRecompute(b *testing.B) {
	for _, n := range []int{20, 60} {
		e := newEnv(b)
		p := e.createPerson(e.staffA, practitionerJSON("bench@example.id"))
		_, bookings := e.ledgerCourseSlots(n, [][2]string{{"08:00", "09:30"}, {"10:00", "11:30"}, {"13:00", "14:30"}, {"15:00", "16:30"}},
			map[int64]string{p: "co_trainer"})
		for _, bk := range bookings[p] {
			e.expect(e.transition(e.staffA, bk, "completed"), http.StatusOK, "")
			e.mustAccrue(bk, "narasumber_menteri")
		}
		for _, at := range []struct {
			name    string
			booking int64
		}{{"first", bookings[p][0]}, {"last", bookings[p][n-1]}} {
			b.Run(fmt.Sprintf("rows=%d/%s", n, at.name), func(b *testing.B) {
				for b.Loop() {
					if r := e.accrue(at.booking, ""); r.Status != http.StatusOK {
						b.Fatal(string(r.Raw))
					}
				}
			})
		}
	}
}

// TestAccrueJoinsTheCallersTransaction drafts a honorarium inside a
// transaction the caller opened (as completing a booking does) and rolls it
// back: nothing of it remains.
func TestAccrueJoinsTheCallersTransaction(t *testing.T) {
	e := newEnv(t)
	p := e.createPerson(e.staffA, practitionerJSON("tx@example.id"))
	_, bookings := e.ledgerCourse(2, map[int64]string{p: "co_trainer"})
	for _, b := range bookings[p] {
		e.expect(e.transition(e.staffA, b, "completed"), http.StatusOK, "")
	}
	e.mustAccrue(bookings[p][1], "narasumber_menteri")
	rollback := errors.New("roll back")
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	err := postgres.Transactor{DB: e.db}.Do(ctx, func(ctx context.Context) error {
		h, err := e.srv.Incentives.Accrue(ctx, e.instA, bookings[p][0], "narasumber_menteri")
		if err != nil || h.ID == 0 {
			t.Fatalf("accrue in the transaction: %+v %v", h, err)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	rows := e.ledgerOf(p)
	if len(rows) != 1 || num(rows[0], "booking_id") != bookings[p][1] || num(rows[0], "tax") != 340_000*12/10 {
		t.Fatalf("after the rollback: %v", rows)
	}
}
