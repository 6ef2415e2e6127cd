package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"sinergi/internal/pgtest"
)

// binary builds cmd/sinergi once per test run.
func binary(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "sinergi")
	cmd := exec.Command("go", "build", "-o", out, ".")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, b)
	}
	return out
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// client talks JSON to the served binary.
type client struct {
	t    *testing.T
	base string
}

type answer struct {
	status int
	raw    []byte
	body   map[string]any
}

func (a answer) num(path ...string) int64 {
	var v any = a.body
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	f, _ := v.(float64)
	return int64(f)
}

func (a answer) str(key string) string { s, _ := a.body[key].(string); return s }

func (c client) call(method, path, key string, body any, want int, headers ...string) answer {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, _ := json.Marshal(b)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	a := answer{status: res.StatusCode, raw: raw}
	_ = json.Unmarshal(raw, &a.body)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s: got %d %s, want %d", method, path, res.StatusCode, raw, want)
	}
	return a
}

// TestServedBinaryJourney builds and runs the real binary — migrate, seed,
// serve — and walks the main journey over HTTP: people, a course and a
// session, candidates, booking, invitation, a calendar reply through the
// mail gateway, a move that asks again, completion with its honorarium,
// a certificate, and an evaluation form with a rating. A dependency left
// unwired makes serve refuse to start, and this test fail.
func TestServedBinaryJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dbURL := pgtest.URL(t)
	bin := binary(t)
	addr := freeAddr(t)
	kek := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	env := append(os.Environ(), "DATABASE_URL="+dbURL, "LISTEN_ADDR="+addr, "BASE_URL=http://"+addr, "SIGNING_KEK="+kek,
		"MAIL_FROM=jadwal@sinergi.example.id", "RATE_PER_KEY=0", "RATE_PER_CLIENT=0", "LOG_LEVEL=warn")
	run := func(args ...string) string {
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("sinergi %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("migrate", "up")
	admin := regexp.MustCompile(`snrg_[A-Za-z0-9_-]+`).FindString(run("seed", "--admin-key"))
	if admin == "" {
		t.Fatal("seed printed no admin key")
	}

	srv := startServer(t, bin, env, addr)
	t.Cleanup(func() {
		srv.kill()
		if t.Failed() {
			t.Logf("server log:\n%s", srv.logs.String())
		}
	})
	c := client{t: t, base: "http://" + addr}

	// An institution with a staff key and a mail gateway key.
	inst := c.call("POST", "/v1/institutions", admin, map[string]any{"code": "BPSDM-SULSEL", "name": "BPSDM Provinsi Sulawesi Selatan",
		"kind": "bpsdm_provinsi", "zone": "Asia/Makassar"}, 201).num("id")
	staff := c.call("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", inst), admin, map[string]any{"role": "staff", "name": "staff"}, 201).str("secret")
	gateway := c.call("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", inst), admin, map[string]any{"role": "mail_gateway", "name": "mx"}, 201).str("secret")

	// The session's days follow the real clock: first planned two weeks or
	// more ahead, then moved to a day two weeks or more back; both
	// workdays that are no holiday the server holds.
	today := time.Now().In(time.FixedZone("WITA", 8*3600))
	off := map[string]bool{}
	for y := today.Year() - 1; y <= today.Year()+1; y++ {
		for cursor := ""; ; {
			page := c.call("GET", fmt.Sprintf("/v1/holidays?year=%d&cursor=%s", y, url.QueryEscape(cursor)), admin, nil, 200)
			for _, h := range page.body["items"].([]any) {
				off[h.(map[string]any)["date"].(string)] = true
			}
			if cursor = page.str("next_cursor"); cursor == "" {
				break
			}
		}
	}
	workday := func(d time.Time, step int) time.Time {
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || off[d.Format(time.DateOnly)] {
			d = d.AddDate(0, 0, step)
		}
		return d
	}
	ahead, back := workday(today.AddDate(0, 0, 14), 1), workday(today.AddDate(0, 0, -14), -1)
	day := func(d time.Time) string { return d.Format(time.DateOnly) }
	c.call("POST", "/v1/rate-tables", admin, map[string]any{"regulation": fmt.Sprintf("Pergub Sulsel %d (contoh)", back.Year()),
		"fiscal_year": back.Year(), "funding": "APBD", "region": "Sulawesi Selatan", "class": "penceramah", "unit": "per_jp",
		"amount": 900000, "source": "contoh"}, 201)

	// The institution's first console user, from the command line; it signs
	// in to the served console.
	out := run("user", "create", "--institution", "bpsdm-sulsel", "--email", "staf@bpsdm-sulsel.example.id", "--role", "staff")
	pw := regexp.MustCompile(`one-time password \(shown only now\): (\S+)`).FindStringSubmatch(out)
	if pw == nil {
		t.Fatalf("user create printed no password:\n%s", out)
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.PostForm(c.base+"/console/login", url.Values{"email": {"staf@bpsdm-sulsel.example.id"}, "password": {pw[1]}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/console/dashboard" || len(res.Cookies()) == 0 {
		t.Fatalf("console sign-in answered %d %q", res.StatusCode, res.Header.Get("Location"))
	}

	// People.
	lead := c.call("POST", "/v1/people", staff, map[string]any{"kind": "widyaiswara", "name": "Dewi Lestari", "email": "dewi@bpsdm.example.id",
		"nip": "198503102010012003", "jenjang": "ahli_madya", "golongan": "IV/b", "employment": "pns", "tax_id_status": "npwp",
		"zone": "Asia/Makassar", "organisation": "BPSDM Provinsi Sulawesi Selatan", "unit": "Bidang PKM"}, 201).num("id")
	prac := c.call("POST", "/v1/people", staff, map[string]any{"kind": "practitioner", "name": "Marthen Rumbiak", "email": "marthen@bpbd.example.id",
		"organisation": "BPBD Kabupaten Gowa", "unit": "Logistik", "employment": "non_asn", "tax_id_status": "npwp",
		"zone": "Asia/Makassar", "expertise": []string{"manajemen_bencana"}, "experience_years": 12}, 201).num("id")
	var comm int64
	for _, x := range c.call("GET", "/v1/competencies", staff, nil, 200).body["items"].([]any) {
		if m := x.(map[string]any); m["code"] == "komunikasi" {
			comm = int64(m["id"].(float64))
		}
	}
	for _, p := range []int64{lead, prac} {
		c.call("PUT", fmt.Sprintf("/v1/people/%d/competencies", p), staff, map[string]any{"competencies": []any{
			map[string]any{"competency_id": comm, "level": 4}}}, 200)
	}

	// A course and a session, first planned for later: an invitation is
	// sent only before a session begins.
	course := c.call("POST", "/v1/courses", staff, map[string]any{"name": "Pelatihan Kepemimpinan Pengawas", "organising_unit": "Bidang PKM",
		"funding": "APBD", "region": "Sulawesi Selatan", "start_date": day(back.AddDate(0, 0, -7)), "end_date": day(ahead.AddDate(0, 0, 7))}, 201).num("id")
	sess := c.call("POST", fmt.Sprintf("/v1/courses/%d/sessions", course), staff, map[string]any{"topic": "Manajemen Risiko Bencana",
		"start": day(ahead) + "T09:00", "end": day(ahead) + "T12:00", "zone": "Asia/Makassar", "mode": "offline", "venue": "Aula BPSDM",
		"required_competencies": []any{map[string]any{"code": "komunikasi", "min_level": 3}}}, 201).num("id")
	cands := c.call("GET", fmt.Sprintf("/v1/sessions/%d/candidates?role=co_trainer&limit=5", sess), staff, nil, 200)
	if !bytes.Contains(cands.raw, []byte(`"breakdown"`)) {
		t.Fatalf("candidates without explanations: %s", cands.raw)
	}

	// Book, invite, and the practitioner accepts from a calendar.
	c.call("POST", "/v1/bookings", staff, map[string]any{"session_id": sess, "person_id": lead, "role": "lead"}, 201)
	bk := c.call("POST", "/v1/bookings", staff, map[string]any{"session_id": sess, "person_id": prac, "role": "co_trainer"}, 201)
	b, uid := bk.num("id"), bk.str("uid")
	c.call("POST", fmt.Sprintf("/v1/bookings/%d/transitions", b), staff, map[string]any{"to": "invited"}, 200)
	reply := func(seq int, on time.Time) []byte {
		utc := func(d time.Time, hour int) string { return d.Format("20060102") + fmt.Sprintf("T%02d0000Z", hour) }
		ics := strings.Join([]string{"BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0", "METHOD:REPLY",
			"BEGIN:VEVENT", "DTSTART:" + utc(on, 1), "DTEND:" + utc(on, 4), "DTSTAMP:" + time.Now().UTC().Format("20060102T150405Z"),
			"ORGANIZER:mailto:jadwal@sinergi.example.id", "UID:" + uid, fmt.Sprintf("SEQUENCE:%d", seq),
			"ATTENDEE;PARTSTAT=ACCEPTED;CN=Marthen Rumbiak:mailto:marthen@bpbd.example.id", "END:VEVENT", "END:VCALENDAR"}, "\r\n")
		return []byte("From: Marthen Rumbiak <marthen@bpbd.example.id>\r\nTo: jadwal@sinergi.example.id\r\nSubject: Accepted\r\n" +
			fmt.Sprintf("Message-ID: <r%d@bpbd.example.id>\r\n", seq) +
			"MIME-Version: 1.0\r\nContent-Type: text/calendar; charset=UTF-8; method=REPLY\r\n\r\n" + ics + "\r\n")
	}
	if out := c.call("POST", "/v1/itip/inbound", gateway, reply(0, ahead), 200, "Content-Type", "message/rfc822"); out.str("outcome") != "applied" {
		t.Fatalf("reply not applied: %s", out.raw)
	}
	if st := c.call("GET", fmt.Sprintf("/v1/bookings/%d", b), staff, nil, 200).str("status"); st != "accepted" {
		t.Fatalf("after the reply the booking is %s", st)
	}

	// Moving the session (to a day that has passed, as if it had been held
	// then) asks again; the next reply carries the new SEQUENCE.
	c.call("PATCH", fmt.Sprintf("/v1/sessions/%d", sess), staff, map[string]any{"start": day(back) + "T09:00", "end": day(back) + "T12:00"}, 200)
	moved := c.call("GET", fmt.Sprintf("/v1/bookings/%d", b), staff, nil, 200)
	if moved.str("status") != "invited" || moved.num("sequence") != 1 {
		t.Fatalf("after the move: %s", moved.raw)
	}
	if out := c.call("POST", "/v1/itip/inbound", gateway, reply(1, back), 200, "Content-Type", "message/rfc822"); out.str("outcome") != "applied" {
		t.Fatalf("second reply not applied: %s", out.raw)
	}

	// Confirm and complete: the honorarium is drafted with the completion.
	c.call("POST", fmt.Sprintf("/v1/bookings/%d/transitions", b), staff, map[string]any{"to": "confirmed"}, 200)
	done := c.call("POST", fmt.Sprintf("/v1/bookings/%d/transitions", b), staff, map[string]any{"to": "completed"}, 200)
	hid := done.num("honorarium_id")
	if hid == 0 {
		t.Fatalf("no honorarium drafted on completion: %s", done.raw)
	}
	c.call("POST", fmt.Sprintf("/v1/honoraria/%d/approve", hid), staff, nil, 200)

	// A certificate anyone can verify.
	c.call("PUT", "/v1/certificate-settings", staff, certificateSettings(), 200)
	cert := c.call("POST", "/v1/certificates", staff, map[string]any{"course_id": course, "person_id": prac}, 201)
	var code string
	if items, ok := cert.body["items"].([]any); ok && len(items) > 0 {
		code, _ = items[0].(map[string]any)["verification_code"].(string)
	} else {
		code = cert.str("verification_code")
	}
	if v := c.call("GET", "/verify/"+code, "", nil, 200); !bytes.Contains(v.raw, []byte(`"valid"`)) {
		t.Fatalf("verification: %s", v.raw)
	}

	// An evaluation form, rated by a participant without an account.
	form := c.call("POST", fmt.Sprintf("/v1/sessions/%d/evaluation-forms", sess), staff, map[string]any{}, 201)
	link := form.str("url")
	token := link[strings.LastIndex(link, "/")+1:]
	f := c.call("GET", "/v1/evaluations/forms/"+token, "", nil, 200)
	scores := map[string]int{}
	for _, x := range f.body["items"].([]any) {
		scores[x.(map[string]any)["code"].(string)] = 4
	}
	c.call("POST", "/v1/evaluations/forms/"+token, "", map[string]any{"ratings": []any{map[string]any{"booking_id": b, "scores": scores}}}, 201)

	// The invitation, the update and nothing else went to the outbox.
	outbox := c.call("GET", "/v1/outbox", staff, nil, 200)
	if n := strings.Count(string(outbox.raw), fmt.Sprintf(`"booking_id":%d`, b)); n < 2 {
		t.Fatalf("%d messages for the booking in the outbox, want the invitation and the update: %s", n, outbox.raw)
	}
	// Shut down cleanly on SIGTERM.
	_ = srv.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-srv.done:
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop on SIGTERM")
	}
	sc := bufio.NewScanner(srv.logs)
	for sc.Scan() {
		if strings.Contains(sc.Text(), `"level":"ERROR"`) {
			t.Errorf("server logged an error: %s", sc.Text())
		}
	}
}

// certificateSettings are the institution's certificate template and signer.
func certificateSettings() map[string]any {
	return map[string]any{"number_template": "{seq:04}/{code}/CT/{year}", "signer_name": "Dr. Andi Makkasau, M.Si.",
		"signer_title": "Kepala BPSDM Provinsi Sulawesi Selatan", "signer_nip": "196805121994031007"}
}
