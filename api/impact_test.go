package api_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"github.com/xuri/excelize/v2"

	"sinergi/app"
	"sinergi/impact"
)

var impactLinkRe = regexp.MustCompile(`https://sinergi\.example\.id(/v1/impact/[a-z]+/[A-Za-z0-9_-]{43})`)

// impactMails returns the plain-text parts of the impact mail queued for a
// participant, by kind.
func (e *env) impactMails(participant int64) map[string][]string {
	e.t.Helper()
	var rows []struct {
		Kind    string
		Message []byte
	}
	must(e.t, e.db.Raw("SELECT kind, message FROM outbox WHERE participant_id = ? ORDER BY id", participant).Scan(&rows).Error)
	out := map[string][]string{}
	for _, r := range rows {
		mr, err := mail.CreateReader(bytes.NewReader(r.Message))
		must(e.t, err)
		for {
			p, err := mr.NextPart()
			if err != nil {
				break
			}
			if h, ok := p.Header.(*mail.InlineHeader); ok {
				if ct, _, _ := h.ContentType(); ct == "text/plain" {
					b, _ := io.ReadAll(p.Body)
					out[r.Kind] = append(out[r.Kind], string(b))
				}
			}
		}
	}
	return out
}

// impactLink is the link path in the last mail of kind to a participant.
func (e *env) impactLink(participant int64, kind string) string {
	e.t.Helper()
	texts := e.impactMails(participant)[kind]
	if len(texts) == 0 {
		e.t.Fatalf("no %s mail for participant %d", kind, participant)
	}
	m := impactLinkRe.FindStringSubmatch(texts[len(texts)-1])
	if m == nil {
		e.t.Fatalf("no link in %s mail: %s", kind, texts[len(texts)-1])
	}
	return m[1]
}

// countImpactMail counts queued impact mail of a kind (all kinds when "").
func (e *env) countImpactMail(kind string) int {
	var n int64
	must(e.t, e.db.Raw("SELECT count(*) FROM outbox WHERE participant_id IS NOT NULL AND (? = '' OR kind = ?)", kind, kind).Scan(&n).Error)
	return int(n)
}

func (e *env) duplicateImpactMail() int {
	var n int64
	must(e.t, e.db.Raw(`SELECT count(*) FROM (SELECT participant_id, kind FROM outbox WHERE participant_id IS NOT NULL AND kind <> 'impact_plan'
		GROUP BY 1, 2 HAVING count(*) > 1) d`).Scan(&n).Error)
	return int(n)
}

// drain runs the follow-up scheduler as a worker would.
func (e *env) drain() {
	e.app.ImpactScheduler.Drain(context.Background())
}

func (e *env) rate(session int64, scores map[int64]int) {
	e.t.Helper()
	r := e.do("POST", fmt.Sprintf("/v1/sessions/%d/evaluation-forms", session), e.staffA, nil)
	e.expect(r, http.StatusCreated, "")
	path := strings.TrimPrefix(r.Body["url"].(string), "https://sinergi.example.id")
	var ratings []any
	for b, v := range scores {
		ratings = append(ratings, map[string]any{"booking_id": b, "scores": scores5(v)})
	}
	e.expect(e.do("POST", path, "", map[string]any{"ratings": ratings}), http.StatusCreated, "")
}

func scores5(v int) map[string]any { return scores(v) }

func figure(t *testing.T, m map[string]any, name string) float64 {
	t.Helper()
	v, ok := m[name].(float64)
	if !ok {
		t.Fatalf("%s missing from %v", name, m)
	}
	return v
}

// TestImpactEndToEnd follows one course from its roster to the impact
// reports and the ranking they change: participants imported, action
// plans written through links, the clock moved past the follow-up date,
// each follow-up and reminder mailed once, the participants' reports and
// the supervisors' confirmations recorded, the level-3 and level-4 figures
// checked against values computed by hand, and matching moved by them.
func TestImpactEndToEnd(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar")
	s2 := e.mustSession(c, "2026-12-08T09:00", "2026-12-08T10:30", "Asia/Makassar")
	w1 := e.createPerson(e.staffA, widyaiswaraJSON("wulan@bpsdm-a.go.id", "198503102010012003"))
	p1 := e.createPerson(e.staffA, practitionerJSON("p1@bpbd.example.id"))
	p2 := e.createPerson(e.staffA, practitionerJSON("p2@bpbd.example.id"))
	booking := map[[2]int64]int64{}
	for _, b := range []struct {
		s, p int64
		role string
	}{{s1, w1, "lead"}, {s1, p1, "co_trainer"}, {s2, w1, "lead"}, {s2, p2, "co_trainer"}} {
		id := e.book(b.s, b.p, b.role).id()
		for _, to := range []string{"invited", "accepted"} {
			e.expect(e.transition(e.staffA, id, to), http.StatusOK, "")
		}
		booking[[2]int64{b.s, b.p}] = id
	}
	// Level 1 by hand: W1 4/4 on both sessions (100), P1 3/4 (75), P2 4/4 (100).
	e.rate(s1, map[int64]int{booking[[2]int64{s1, w1}]: 4, booking[[2]int64{s1, p1}]: 3})
	e.rate(s2, map[int64]int{booking[[2]int64{s2, w1}]: 4, booking[[2]int64{s2, p2}]: 4})
	e.testTime = time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)

	// The roster: three from a spreadsheet (a dry run first), one by hand.
	roster := "nama,nip,unit,email,nama_atasan,email_atasan\n" +
		"Andi Pratama,199001012015031001,Subbagian Keuangan,andi@pemda.example.id,Sri Wahyuni,sri@pemda.example.id\n" +
		"Budi Santoso,,Bidang Aset,budi@pemda.example.id,Rahmat Hidayat,rahmat@pemda.example.id\n" +
		"Citra Lestari,,Bagian Umum,citra@pemda.example.id,Yohana Wenda,yohana@pemda.example.id\n"
	importPath := fmt.Sprintf("/v1/courses/%d/participants/import", c)
	dry := e.do("POST", importPath, e.staffA, roster, "Content-Type", "text/csv")
	e.expect(dry, http.StatusOK, "")
	if dry.Body["dry_run"] != true || dry.Body["created"] != float64(3) || len(e.do("GET", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffA, nil).items()) != 0 {
		t.Fatalf("dry run: %s", dry.Raw)
	}
	e.expect(e.do("POST", importPath+"?dry_run=false", e.staffA, roster, "Content-Type", "text/csv"), http.StatusOK, "")
	r := e.do("POST", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffA, map[string]any{"name": "Dewi Anggraini", "unit": "Bidang Pajak",
		"email": "dewi@pemda.example.id", "supervisor_name": "Made Wirawan", "supervisor_email": "made@pemda.example.id"})
	e.expect(r, http.StatusCreated, "")
	if r.Body["created_at"] != "2026-12-10T09:00:00Z" {
		t.Fatalf("created_at %v is not the service clock's", r.Body["created_at"])
	}
	list := e.do("GET", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffA, nil).items()
	if len(list) != 4 {
		t.Fatalf("%d participants", len(list))
	}
	pid := map[string]int64{}
	for _, it := range list {
		pid[strings.Fields(it["name"].(string))[0]] = int64(it["id"].(float64))
	}
	andi, budi, citra, dewi := pid["Andi"], pid["Budi"], pid["Citra"], pid["Dewi"]

	t.Run("participants are the institution's alone", func(t *testing.T) {
		e.expect(e.do("GET", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffB, nil), http.StatusNotFound, "not_found")
		e.expect(e.do("GET", fmt.Sprintf("/v1/participants/%d", andi), e.staffB, nil), http.StatusNotFound, "not_found")
		e.expect(e.do("PATCH", fmt.Sprintf("/v1/participants/%d", andi), e.staffB, map[string]any{"unit": "x"}), http.StatusNotFound, "not_found")
		e.expect(e.do("DELETE", fmt.Sprintf("/v1/participants/%d", andi), e.staffB, nil), http.StatusNotFound, "not_found")
		e.expect(e.do("GET", fmt.Sprintf("/v1/courses/%d/impact", c), e.staffB, nil), http.StatusNotFound, "not_found")
		e.expect(e.do("POST", fmt.Sprintf("/v1/courses/%d/action-plans/invitations", c), e.staffB, nil), http.StatusNotFound, "not_found")
	})
	t.Run("hostile participant input is refused", func(t *testing.T) {
		r := e.do("POST", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffA, map[string]any{"name": "Eko\u0007", "email": "eko@pemda.example.id",
			"supervisor_name": strings.Repeat("x", 201), "supervisor_email": "bukan-email"})
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		for _, f := range []string{"name", "supervisor_name"} {
			if r.field(f) == "" {
				t.Errorf("no problem with %s: %s", f, r.Raw)
			}
		}
		// Text that passes the input limits still meets the domain's rules.
		r = e.do("POST", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffA, map[string]any{"name": "Eko", "email": "eko@pemda.example.id",
			"supervisor_name": "Sri", "supervisor_email": "bukan-email"})
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("supervisor_email") == "" {
			t.Errorf("no problem with supervisor_email: %s", r.Raw)
		}
		r = e.do("POST", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffA, map[string]any{"name": "Andi Lain", "email": "andi@pemda.example.id",
			"supervisor_name": "Sri Wahyuni", "supervisor_email": "sri@pemda.example.id"})
		e.expect(r, http.StatusConflict, "participant_exists")
	})

	// Action plans through links.
	inv := e.do("POST", fmt.Sprintf("/v1/courses/%d/action-plans/invitations", c), e.staffA, nil)
	e.expect(inv, http.StatusAccepted, "")
	if inv.Body["queued"] != float64(4) {
		t.Fatalf("invitations: %s", inv.Raw)
	}
	plan := func(change string, base, target float64, sessions ...int64) map[string]any {
		return map[string]any{"change": change, "indicator": "nilai indikator", "baseline": base, "target": target, "due_date": "2027-01-31",
			"session_ids": sessions}
	}
	submit := func(who int64, plans ...map[string]any) response {
		return e.do("POST", e.impactLink(who, impact.MailPlan), "", map[string]any{"plans": plans})
	}
	form := e.do("GET", e.impactLink(andi, impact.MailPlan), "", nil)
	e.expect(form, http.StatusOK, "")
	if len(form.Body["sessions"].([]any)) != 2 || form.Body["participant"].(map[string]any)["name"] != "Andi Pratama" {
		t.Fatalf("plan form: %s", form.Raw)
	}
	if page := e.do("GET", e.impactLink(andi, impact.MailPlan), "", nil, "Accept", "text/html"); !strings.Contains(string(page.Raw), `name="change_1"`) {
		t.Fatalf("plan page: %s", page.Raw)
	}
	e.expect(submit(andi, plan("Menyusun laporan keuangan tepat waktu", 10, 20, s1), plan("Mengurangi hari proses SPJ", 5, 2, s2)), http.StatusCreated, "")
	e.expect(submit(budi, plan("Inventarisasi aset", 0, 5, s1)), http.StatusCreated, "")
	e.expect(submit(budi, plan("Inventarisasi aset seluruh bidang", 0, 10, s1)), http.StatusCreated, "") // replaces the first
	e.expect(submit(citra, plan("Mempercepat layanan surat", 100, 50, s2)), http.StatusCreated, "")
	// Dewi's plan goes through the HTML form a phone would send.
	hr := e.do("POST", e.impactLink(dewi, impact.MailPlan), "", fmt.Sprintf("change_1=Menerapkan+SOP+pajak&indicator_1=wajib+pajak+terlayani&baseline_1=1&target_1=3&due_1=2027-01-31&sessions_1=%d", s1),
		"Content-Type", "application/x-www-form-urlencoded")
	if hr.Status != http.StatusCreated || !strings.Contains(string(hr.Raw), "Terima kasih") {
		t.Fatalf("HTML plan: %d %s", hr.Status, hr.Raw)
	}
	t.Run("a plan link refuses bad plans and is good for plans only", func(t *testing.T) {
		r := submit(andi, plan("x", 1, 1, 999999))
		e.expect(r, http.StatusUnprocessableEntity, "validation_failed")
		if r.field("plans[0].target") == "" || r.field("plans[0].session_ids") == "" || r.field("plans[0].change") == "" {
			t.Fatalf("%s", r.Raw)
		}
		link := e.impactLink(andi, impact.MailPlan)
		e.expect(e.do("GET", strings.Replace(link, "/plans/", "/progress/", 1), "", nil), http.StatusNotFound, "impact_link_closed")
		e.expect(e.do("GET", "/v1/impact/plans/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", nil), http.StatusNotFound, "impact_link_closed")
	})
	var plans []map[string]any
	for _, it := range e.do("GET", fmt.Sprintf("/v1/courses/%d/action-plans", c), e.staffA, nil).items() {
		for _, p := range it["plans"].([]any) {
			plans = append(plans, p.(map[string]any))
		}
	}
	if len(plans) != 5 {
		t.Fatalf("%d plans", len(plans))
	}

	// Nothing is due before the follow-up date.
	e.testTime = e.testTime.Add(55 * 24 * time.Hour)
	e.drain()
	if n := e.countImpactMail(impact.MailFollowUp); n != 0 {
		t.Fatalf("%d follow-ups before the date", n)
	}
	// Past it: one follow-up each, however often the scheduler runs.
	e.testTime = e.testTime.Add(24*time.Hour + time.Minute)
	e.drain()
	e.drain()
	if n := e.countImpactMail(impact.MailFollowUp); n != 4 {
		t.Fatalf("%d follow-up mails, want 4", n)
	}
	planIDs := func(who int64) []int64 {
		var ids []int64
		must(t, e.db.Raw("SELECT id FROM action_plans WHERE participant_id = ? ORDER BY position", who).Scan(&ids).Error)
		return ids
	}
	progress := func(who int64, kind string) response {
		var items []any
		for _, id := range planIDs(who) {
			items = append(items, map[string]any{"plan_id": id, "status": "done", "value": 1, "evidence": "https://drive.example.id/bukti"})
		}
		return e.do("POST", e.impactLink(who, kind), "", map[string]any{"progress": items})
	}
	confirm := func(who int64, answers ...[3]float64) response {
		var items []any
		for i, id := range planIDs(who) {
			items = append(items, map[string]any{"plan_id": id, "implemented": answers[i][0] == 1, "behaviour": int(answers[i][1]), "value": answers[i][2]})
		}
		return e.do("POST", e.impactLink(who, impact.MailSupervisor), "", map[string]any{"confirmations": items})
	}
	e.expect(progress(andi, impact.MailFollowUp), http.StatusCreated, "")
	e.expect(progress(budi, impact.MailFollowUp), http.StatusCreated, "")
	e.expect(progress(andi, impact.MailFollowUp), http.StatusConflict, "impact_already_answered")
	if n := e.countImpactMail(impact.MailSupervisor); n != 2 {
		t.Fatalf("%d supervisor mails, want 2", n)
	}
	if txt := e.impactMails(andi)[impact.MailSupervisor][0]; !strings.Contains(txt, "Yth. Sri Wahyuni") || !strings.Contains(txt, "Andi Pratama") {
		t.Fatalf("supervisor mail: %s", txt)
	}
	// Andi's supervisor: plan 1 implemented (value 16), plan 2 not (value 4).
	e.expect(confirm(andi, [3]float64{1, 4, 16}, [3]float64{0, 2, 4}), http.StatusCreated, "")
	e.expect(confirm(andi, [3]float64{1, 4, 16}, [3]float64{0, 2, 4}), http.StatusConflict, "impact_already_answered")

	// A week on: reminders to the two who have not reported, and to Budi's
	// supervisor; once each.
	e.testTime = e.testTime.Add(7 * 24 * time.Hour)
	e.drain()
	e.drain()
	for kind, want := range map[string]int{"impact_reminder_1": 2, "impact_supervisor_reminder_1": 1} {
		if n := e.countImpactMail(kind); n != want {
			t.Fatalf("%d %s, want %d", n, kind, want)
		}
	}
	if len(e.impactMails(citra)["impact_reminder_1"]) != 1 || len(e.impactMails(andi)["impact_reminder_1"]) != 0 {
		t.Fatal("reminders went to the wrong people")
	}
	// Citra reports through the reminder's link.
	e.expect(progress(citra, "impact_reminder_1"), http.StatusCreated, "")
	e.expect(confirm(budi, [3]float64{1, 3, 10}), http.StatusCreated, "")
	e.expect(confirm(citra, [3]float64{1, 3, 60}), http.StatusCreated, "")
	// Dewi never reports: one more reminder, then the follow-up expires.
	for i := 0; i < 4; i++ {
		e.testTime = e.testTime.Add(7 * 24 * time.Hour)
		e.drain()
	}
	if n := e.countImpactMail("impact_reminder_2"); n != 1 {
		t.Fatalf("%d second reminders, want 1 (Dewi)", n)
	}
	if e.duplicateImpactMail() != 0 {
		t.Fatal("some impact mail was queued twice")
	}
	states := map[int64]string{}
	for _, it := range e.do("GET", fmt.Sprintf("/v1/courses/%d/action-plans", c), e.staffA, nil).items() {
		states[int64(it["participant"].(map[string]any)["id"].(float64))] = it["follow_up"].(map[string]any)["state"].(string)
	}
	if states[andi] != "confirmed" || states[budi] != "confirmed" || states[citra] != "confirmed" || states[dewi] != "expired" {
		t.Fatalf("states %v", states)
	}

	// The course report, by hand. Level 3: 4 plans confirmed (Andi 2, Budi,
	// Citra), 3 implemented: 0.75. Level 4: attainment (v-b)/(t-b) =
	// (16-10)/10 = 0.6, (4-5)/(2-5) = 0.3333, (10-0)/10 = 1, (60-100)/(50-100)
	// = 0.8; mean 2.7333/4 = 0.6833. Level 1: (100+75+100+100)/4 = 93.75.
	rep := e.do("GET", fmt.Sprintf("/v1/courses/%d/impact", c), e.staffA, nil)
	e.expect(rep, http.StatusOK, "")
	total := rep.Body["total"].(map[string]any)
	for name, want := range map[string]float64{"plans": 5, "reported": 4, "confirmed": 4, "implemented": 3, "implemented_share": 0.75,
		"measured": 4, "improved": 4, "attainment": 0.6833, "reaction_mean": 93.75, "ratings": 4, "behaviour_mean": 3} {
		if got := figure(t, total, name); math.Abs(got-want) > 1e-9 {
			t.Errorf("course %s = %v, want %v", name, got, want)
		}
	}
	if total["confidence"] != "sangat_rendah" || !strings.Contains(total["note"].(string), "terlalu sedikit") {
		t.Errorf("small numbers must say so: %v %v", total["confidence"], total["note"])
	}
	// Per trainer: W1 taught both sessions (all five plans); P1 session 1
	// (Andi 1: 0.6, Budi: 1; both implemented); P2 session 2 (Andi 2:
	// 0.3333, not implemented; Citra: 0.8).
	want := map[int64]map[string]float64{
		w1: {"confirmed": 4, "implemented": 3, "implemented_share": 0.75, "attainment": 0.6833, "reaction_mean": 100},
		p1: {"confirmed": 2, "implemented": 2, "implemented_share": 1, "attainment": 0.8, "reaction_mean": 75},
		p2: {"confirmed": 2, "implemented": 1, "implemented_share": 0.5, "attainment": 0.5667, "reaction_mean": 100},
	}
	for _, x := range rep.Body["trainers"].([]any) {
		tr := x.(map[string]any)
		id := int64(tr["person"].(map[string]any)["id"].(float64))
		for name, v := range want[id] {
			if got := figure(t, tr["figures"].(map[string]any), name); math.Abs(got-v) > 1e-9 {
				t.Errorf("trainer %d %s = %v, want %v", id, name, got, v)
			}
		}
		delete(want, id)
	}
	if len(want) != 0 {
		t.Errorf("trainers missing from the report: %v", want)
	}
	pairs := rep.Body["pairs"].([]any)
	if len(pairs) != 2 {
		t.Fatalf("pairs %v", pairs)
	}
	for _, x := range pairs {
		pr := x.(map[string]any)
		share := figure(t, pr["figures"].(map[string]any), "implemented_share")
		if p := int64(pr["practitioner"].(map[string]any)["id"].(float64)); (p == p1 && share != 1) || (p == p2 && share != 0.5) {
			t.Errorf("pair with %d: share %v", p, share)
		}
	}
	x := e.do("GET", fmt.Sprintf("/v1/courses/%d/impact.xlsx", c), e.staffA, nil)
	e.expect(x, http.StatusOK, "")
	book, err := excelize.OpenReader(bytes.NewReader(x.Raw))
	must(t, err)
	if v, _ := book.GetCellValue("Ringkasan", "H2"); v != "0.75" {
		t.Errorf("workbook level 3 = %q", v)
	}
	if rows, _ := book.GetRows("Pengajar"); len(rows) != 4 {
		t.Errorf("workbook trainers: %d rows", len(rows))
	}
	inst := e.do("GET", "/v1/impact/report", e.staffA, nil)
	e.expect(inst, http.StatusOK, "")
	if figure(t, inst.Body["total"].(map[string]any), "implemented") != 3 {
		t.Errorf("institution report: %s", inst.Raw)
	}

	// Matching: on a later session P2 (rated 4/4) outranks P1 (3/4) on
	// rating alone; with the impact criterion P1's 2 of 2 implemented plans
	// beat P2's 1 of 2, and the breakdown says why.
	s3 := e.mustSession(c, "2027-01-20T09:00", "2027-01-20T10:30", "Asia/Makassar")
	order := func(impactWeight float64) (int64, string) {
		e.expect(e.do("PUT", "/v1/matching/settings", e.staffA, map[string]any{"weights": map[string]any{"expertise": 40, "level": 15,
			"rating": 20, "load": 15, "cost": 5, "travel": 5, "impact": impactWeight}}), http.StatusOK, "")
		r := e.do("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer&limit=10", s3), e.staffA, nil)
		e.expect(r, http.StatusOK, "")
		for _, it := range r.items() {
			id := int64(it["person"].(map[string]any)["id"].(float64))
			if id != p1 && id != p2 {
				continue
			}
			why := ""
			for _, part := range it["breakdown"].([]any) {
				if pt := part.(map[string]any); pt["criterion"] == "impact" {
					why = pt["explanation"].(string)
				}
			}
			return id, why
		}
		t.Fatalf("neither practitioner ranked: %s", r.Raw)
		return 0, ""
	}
	if first, _ := order(0); first != p2 {
		t.Fatalf("without impact %d ranks first among the practitioners, want P2 %d", first, p2)
	}
	first, why := order(10)
	if first != p1 {
		t.Fatalf("with impact %d ranks first among the practitioners, want P1 %d", first, p1)
	}
	if !strings.Contains(why, "rencana aksi dari sesi yang diajar: 2 dari 2 terlaksana menurut atasan") {
		t.Fatalf("explanation %q", why)
	}
	pr := e.do("GET", fmt.Sprintf("/v1/sessions/%d/pairs?limit=5", s3), e.staffA, nil)
	e.expect(pr, http.StatusOK, "")
	top := pr.items()[0]
	if int64(top["lead"].(map[string]any)["person"].(map[string]any)["id"].(float64)) != w1 ||
		int64(top["co_trainer"].(map[string]any)["person"].(map[string]any)["id"].(float64)) != p1 {
		t.Fatalf("the pair that worked well together is not first: %s", pr.Raw)
	}
	found := false
	for _, part := range top["breakdown"].([]any) {
		if pt := part.(map[string]any); pt["criterion"] == "impact" &&
			strings.Contains(pt["explanation"].(string), "rencana aksi dari sesi yang diajar berdua: 2 dari 2 terlaksana menurut atasan") {
			found = true
		}
	}
	if !found {
		t.Fatalf("pair breakdown: %v", top["breakdown"])
	}

	t.Run("every change left an audit row", func(t *testing.T) {
		var actions []string
		must(t, e.db.Raw(`SELECT DISTINCT action || ' ' || entity FROM audit_log WHERE institution_id = ? AND entity IN
			('participant', 'action_plans', 'outbox') ORDER BY 1`, e.instA).Scan(&actions).Error)
		for _, want := range []string{"confirm participant", "create participant", "follow_up participant", "queue outbox", "report participant", "submit action_plans"} {
			if !strings.Contains(strings.Join(actions, ","), want) {
				t.Errorf("no %q audit row in %v", want, actions)
			}
		}
	})
	t.Run("a removed participant takes plans and links along", func(t *testing.T) {
		link := e.impactLink(dewi, impact.MailPlan)
		e.expect(e.do("DELETE", fmt.Sprintf("/v1/participants/%d", dewi), e.staffA, nil), http.StatusNoContent, "")
		e.expect(e.do("GET", link, "", nil), http.StatusNotFound, "impact_link_closed")
		var n int64
		must(t, e.db.Raw("SELECT count(*) FROM action_plans WHERE participant_id = ?", dewi).Scan(&n).Error)
		if n != 0 {
			t.Fatal("plans survived")
		}
	})
}

// TestFollowUpSchedulerRunsOnceAcrossWorkersAndRestarts runs the scheduler
// from two workers at once, over the same database, through every date of
// the follow-up, then from a freshly started one, and finds every message
// queued exactly once.
func TestFollowUpSchedulerRunsOnceAcrossWorkersAndRestarts(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	s1 := e.mustSession(c, "2026-12-07T09:00", "2026-12-07T10:30", "Asia/Makassar")
	w := e.createPerson(e.staffA, widyaiswaraJSON("w@bpsdm-a.go.id", "198503102010012003"))
	e.book(s1, w, "lead")
	e.testTime = time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)
	ctx := context.Background()
	const n = 40
	svc := e.app.Impact
	for i := 0; i < n; i++ {
		p, err := svc.AddParticipant(ctx, e.instA, c, impact.Participant{Name: fmt.Sprintf("Peserta %d", i), Email: fmt.Sprintf("p%d@pemda.example.id", i),
			SupervisorName: "Atasan", SupervisorEmail: fmt.Sprintf("atasan%d@pemda.example.id", i)})
		must(t, err)
		secret, err := svc.Store.NewLink(ctx, e.instA, p.ID, impact.PurposePlan, e.testTime, e.testTime.Add(time.Hour))
		must(t, err)
		must(t, svc.SubmitPlans(ctx, secret, []impact.Plan{{Change: "Perubahan di tempat kerja", Indicator: "indikator", Baseline: 1, Target: 2,
			Due: time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), Sessions: []int64{s1}}}))
	}
	clock := func() time.Time { return e.testTime }
	worker := func() *app.App {
		a, err := app.New(e.db, app.Config{BaseURL: "https://sinergi.example.id", MailFrom: "jadwal@sinergi.example.id", Now: clock,
			KEK: bytes.Repeat([]byte{7}, 32), Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
		must(t, err)
		a.ImpactScheduler.Batch = 7 // several claims per drain
		return a
	}
	a, b := worker(), worker()
	// Every date of the follow-up: the opening, two reminders, expiry.
	for _, d := range []int{56, 56, 63, 63, 70, 77, 84} {
		e.testTime = time.Date(2026, 12, 10, 9, 1, 0, 0, time.UTC).Add(time.Duration(d) * 24 * time.Hour)
		var wg sync.WaitGroup
		for _, x := range []*app.App{a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				x.ImpactScheduler.Drain(ctx)
			}()
		}
		wg.Wait()
		if d == 63 {
			// A restart: a new process picks up where the others stopped.
			a = worker()
		}
	}
	worker().ImpactScheduler.Drain(ctx)
	for kind, want := range map[string]int{impact.MailFollowUp: n, "impact_reminder_1": n, "impact_reminder_2": n} {
		if got := e.countImpactMail(kind); got != want {
			t.Errorf("%d %s, want %d", got, kind, want)
		}
	}
	if got := e.countImpactMail(""); got != 3*n {
		t.Errorf("%d impact mails in all, want %d", got, 3*n)
	}
	if d := e.duplicateImpactMail(); d != 0 {
		t.Fatalf("%d participant × kind pairs queued twice", d)
	}
	var expired int64
	must(t, e.db.Raw("SELECT count(*) FROM follow_ups WHERE state = 'expired' AND next_at IS NULL").Scan(&expired).Error)
	if expired != n {
		t.Fatalf("%d expired follow-ups, want %d", expired, n)
	}
}

func TestParticipantImportFromTheXLSXTemplate(t *testing.T) {
	e := newEnv(t)
	c := e.course(e.staffA)
	tpl := e.do("GET", "/v1/participants/import/template.xlsx", e.staffA, nil)
	e.expect(tpl, http.StatusOK, "")
	path := fmt.Sprintf("/v1/courses/%d/participants/import", c)
	xlsxType := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	dry := e.do("POST", path, e.staffA, tpl.Raw, "Content-Type", xlsxType)
	e.expect(dry, http.StatusOK, "")
	if dry.Body["created"] != float64(1) || dry.Body["applied"] != false {
		t.Fatalf("dry run of the template: %s", dry.Raw)
	}
	e.expect(e.do("POST", path+"?dry_run=false", e.staffB, tpl.Raw, "Content-Type", xlsxType), http.StatusNotFound, "not_found")
	applied := e.do("POST", path+"?dry_run=false", e.staffA, tpl.Raw, "Content-Type", xlsxType)
	e.expect(applied, http.StatusOK, "")
	again := e.do("POST", path, e.staffA, tpl.Raw, "Content-Type", xlsxType)
	if again.Body["unchanged"] != float64(1) {
		t.Fatalf("the same file again: %s", again.Raw)
	}
	bad := "nama,email,nama_atasan,email_atasan,warna\n" +
		"Eko Saputra,eko@pemda.example.id,Atasan Eko,bukan-email,merah\n"
	r := e.do("POST", path+"?dry_run=false", e.staffA, bad, "Content-Type", "text/csv")
	e.expect(r, http.StatusUnprocessableEntity, "import_rejected")
	report := r.Body["error"].(map[string]any)["details"].(map[string]any)["report"].(map[string]any)
	if len(report["problems"].([]any)) == 0 {
		t.Fatalf("no problems reported: %s", r.Raw)
	}
	bad = "nama,email,nama_atasan,email_atasan\nEko Saputra,eko@pemda.example.id,Atasan Eko,bukan-email\n"
	r = e.do("POST", path, e.staffA, bad, "Content-Type", "text/csv")
	problems := r.Body["problems"].([]any)
	if len(problems) != 1 || problems[0].(map[string]any)["field"] != "email_atasan" || problems[0].(map[string]any)["row"] != float64(2) {
		t.Fatalf("problems: %s", r.Raw)
	}
	if n := len(e.do("GET", fmt.Sprintf("/v1/courses/%d/participants", c), e.staffA, nil).items()); n != 1 {
		t.Fatalf("%d participants after a refused file", n)
	}
}
