package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"sinergi/api"
	"sinergi/evaluation"
	"sinergi/tenant"
)

// world is one institution's worth of everything a route can name: the
// ids and tokens that fill path templates, and the keys of each role.
type world struct {
	inst                                       int64
	staff, trainer, gateway                    string
	person, practitioner, course, session      int64
	booking, completed, honorarium             int64
	certificate, assignment, outbox, apiKey    int64
	competency, message, participant           int64
	feedToken, linkToken, formToken, verifyURL string
}

// newWorld fills institution inst, whose staff key is staff, with one of
// everything. tag keeps e-mails and codes distinct between institutions.
func (e *env) newWorld(inst int64, staff, tag string, nip string) world {
	e.t.Helper()
	w := world{inst: inst, staff: staff}
	ok := func(r response, status int) response {
		e.t.Helper()
		e.expect(r, status, "")
		return r
	}
	for _, class := range []string{"widyaiswara_internal", "penceramah"} {
		r := e.do("POST", "/v1/rate-tables", e.admin, map[string]any{"regulation": "Pergub Sulsel 2025", "fiscal_year": 2026,
			"funding": "APBD", "region": "Sulawesi Selatan", "class": class, "unit": "per_jp", "amount": 900000, "source": "SSH 2026"})
		if r.Status != http.StatusCreated && r.Status != http.StatusConflict {
			e.t.Fatalf("rate: %s", r.Raw)
		}
	}
	w.person = e.createPerson(staff, widyaiswaraJSON("w-"+tag+"@bpsdm.go.id", nip))
	w.practitioner = e.createPerson(staff, practitionerJSON("p-"+tag+"@example.id"))
	r := ok(e.do("POST", fmt.Sprintf("/v1/institutions/%d/api-keys", inst), staff, map[string]any{"role": "trainer", "person_id": w.person}), 201)
	w.apiKey, w.trainer = r.id(), r.Body["secret"].(string)
	w.gateway = e.key(tenant.MailGateway, inst, 0)
	w.competency = ok(e.do("POST", "/v1/competencies", staff, map[string]any{"type": "teknis", "code": "irigasi-" + tag, "name": "Irigasi"}), 201).id()
	w.course = ok(e.do("POST", "/v1/courses", staff, map[string]any{"name": "PKP " + tag, "organising_unit": "Bidang PKM",
		"funding": "APBD", "region": "Sulawesi Selatan", "start_date": "2026-12-01", "end_date": "2027-01-31"}), 201).id()
	session := func(day string) int64 {
		return ok(e.do("POST", fmt.Sprintf("/v1/courses/%d/sessions", w.course), staff, map[string]any{"topic": "Manajemen Risiko",
			"start": day + "T09:00", "end": day + "T12:00", "zone": "Asia/Makassar", "mode": "offline", "venue": "Aula"}), 201).id()
	}
	w.session = session("2026-12-07")
	w.participant = ok(e.do("POST", fmt.Sprintf("/v1/courses/%d/participants", w.course), staff, map[string]any{"name": "Peserta " + tag,
		"email": "peserta-" + tag + "@pemda.example.id", "supervisor_name": "Atasan", "supervisor_email": "atasan-" + tag + "@pemda.example.id"}), 201).id()
	later := session("2026-12-14")
	book := func(s, p int64, role string, to ...string) int64 {
		id := ok(e.do("POST", "/v1/bookings", staff, map[string]any{"session_id": s, "person_id": p, "role": role}), 201).id()
		for _, st := range to {
			ok(e.do("POST", fmt.Sprintf("/v1/bookings/%d/transitions", id), staff, map[string]any{"to": st}), 200)
		}
		return id
	}
	w.completed = book(w.session, w.person, "lead", "invited", "accepted", "confirmed")
	w.booking = book(later, w.practitioner, "co_trainer", "invited")
	saved := e.testTime
	e.testTime = time.Date(2026, 12, 9, 3, 0, 0, 0, time.UTC)
	r = ok(e.do("POST", fmt.Sprintf("/v1/bookings/%d/transitions", w.completed), staff, map[string]any{"to": "completed"}), 200)
	e.testTime = saved
	if h, ok := r.Body["honorarium_id"].(float64); ok {
		w.honorarium = int64(h)
	} else {
		e.t.Fatalf("no honorarium drafted: %s", r.Raw)
	}
	ok(e.do("PUT", "/v1/certificate-settings", staff, map[string]any{"number_template": "{seq:04}/{code}/CT/{year}",
		"signer_name": "Dr. Andi Makkasau", "signer_title": "Kepala", "signer_nip": "197001012000031005"}), 200)
	r = ok(e.do("POST", "/v1/certificates", staff, map[string]any{"course_id": w.course, "person_id": w.person}), 201)
	w.certificate, w.verifyURL = r.id(), r.Body["verification_code"].(string)
	w.assignment = ok(e.do("POST", fmt.Sprintf("/v1/courses/%d/assignments", w.course), staff, map[string]any{}), 201).id()
	r = ok(e.do("GET", "/v1/outbox", staff, nil), 200)
	if items := r.items(); len(items) > 0 {
		w.outbox = int64(items[0]["id"].(float64))
	}
	r = ok(e.do("POST", "/v1/feed-tokens", w.trainer, nil), 201)
	w.feedToken = strings.TrimSuffix(r.Body["url"].(string)[strings.LastIndex(r.Body["url"].(string), "/")+1:], ".ics")
	r = ok(e.do("POST", fmt.Sprintf("/v1/sessions/%d/evaluation-forms", w.session), staff, map[string]any{}), 201)
	u := r.Body["url"].(string)
	w.formToken = u[strings.LastIndex(u, "/")+1:]
	// A calendar reply from a stranger: stored, rejected, needing attention.
	reply := []byte("From: x@example.id\r\nContent-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\n" +
		"BEGIN:VEVENT\r\nUID:nope-" + tag + "@sinergi\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:x@example.id\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	ok(e.do("POST", "/v1/itip/inbound", w.gateway, reply, "Content-Type", "message/rfc822"), 200)
	if items := ok(e.do("GET", "/v1/itip/messages", staff, nil), 200).items(); len(items) > 0 {
		w.message = int64(items[0]["id"].(float64))
	} else {
		e.t.Fatal("no calendar message recorded")
	}
	tok, err := e.outbox.NewLinkToken(context.Background(), w.booking, e.testTime.Add(30*24*time.Hour))
	must(e.t, err)
	w.linkToken = tok
	return w
}

// path fills a route template with w's ids.
func (w world) path(tmpl string) string {
	id := func(n int64) string { return fmt.Sprint(n) }
	var first string
	switch {
	case strings.HasPrefix(tmpl, "/v1/institutions/"):
		first = id(w.inst)
	case strings.HasPrefix(tmpl, "/v1/api-keys/"):
		first = id(w.apiKey)
	case strings.HasPrefix(tmpl, "/v1/people/"):
		first = id(w.person)
	case strings.HasPrefix(tmpl, "/v1/courses/"):
		first = id(w.course)
	case strings.HasPrefix(tmpl, "/v1/sessions/"):
		first = id(w.session)
	case strings.HasPrefix(tmpl, "/v1/bookings/"):
		first = id(w.booking)
	case strings.HasPrefix(tmpl, "/v1/honoraria/"):
		first = id(w.honorarium)
	case strings.HasPrefix(tmpl, "/v1/certificates/"):
		first = id(w.certificate)
	case strings.HasPrefix(tmpl, "/v1/outbox/"):
		first = id(w.outbox)
	case strings.HasPrefix(tmpl, "/v1/itip/messages/"):
		first = id(w.message)
	case strings.HasPrefix(tmpl, "/feeds/"):
		first = w.feedToken + ".ics"
	case strings.HasPrefix(tmpl, "/r/"):
		first = w.linkToken
	case strings.HasPrefix(tmpl, "/v1/evaluations/forms/"):
		first = w.formToken
	case strings.HasPrefix(tmpl, "/verify/"):
		first = w.verifyURL
	case strings.HasPrefix(tmpl, "/achievements/"):
		first = id(w.certificate)
	case strings.HasPrefix(tmpl, "/v1/holidays/"):
		first = "2026-12-25"
	case strings.HasPrefix(tmpl, "/v1/participants/"):
		first = id(w.participant)
	case strings.HasPrefix(tmpl, "/v1/impact/plans/"), strings.HasPrefix(tmpl, "/v1/impact/progress/"),
		strings.HasPrefix(tmpl, "/v1/impact/confirmations/"):
		first = strings.Repeat("A", 43) // a well-formed link nobody was given
	}
	out, n := paramRe.ReplaceAllStringFunc(tmpl, func(p string) string {
		if p == "{aid}" {
			return id(w.assignment)
		}
		return first
	}), 0
	_ = n
	return out
}

var paramRe = regexp.MustCompile(`\{[a-z_]+\}`)

// body is a valid request body for a write route, naming w's ids.
func (w world) body(method, tmpl string) any {
	switch method + " " + tmpl {
	case "POST /v1/institutions":
		return map[string]any{"code": "BPSDM-X", "name": "BPSDM X", "kind": "bpsdm_provinsi", "zone": "Asia/Jakarta"}
	case "POST /v1/institutions/{id}/api-keys":
		return map[string]any{"role": "trainer", "person_id": w.practitioner, "name": "laptop"}
	case "POST /v1/competencies":
		return map[string]any{"type": "teknis", "code": "k-baru", "name": "Kompetensi Baru", "description": "baris satu\nbaris dua"}
	case "POST /v1/people":
		return practitionerJSON("baru@example.id")
	case "PATCH /v1/people/{id}":
		return map[string]any{"name": "Dewi L.", "organisation": "BPSDM", "unit": "PKM", "phone": "081234567891"}
	case "PUT /v1/people/{id}/competencies":
		return map[string]any{"competencies": []any{map[string]any{"competency_id": w.competency, "level": 3, "years": 2,
			"sessions_taught": 4, "evidence": "SK 2024"}}}
	case "PUT /v1/people/{id}/availability":
		return map[string]any{"windows": []any{map[string]any{"rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "start": "08:00", "end": "16:00"}},
			"unavailable": []any{map[string]any{"start": "2026-12-24T00:00", "end": "2026-12-27T00:00", "reason": "cuti"}}}
	case "POST /v1/holidays":
		return map[string]any{"date": "2026-08-17", "kind": "libur_nasional", "name_id": "Hari Kemerdekaan", "name_en": "Independence Day",
			"source": "SKB 3 Menteri"}
	case "POST /v1/courses":
		return map[string]any{"name": "PKA", "organising_unit": "Bidang PKM", "funding": "APBN", "region": "Sulawesi Selatan",
			"start_date": "2026-12-01", "end_date": "2026-12-31", "lead_min_jenjang": "ahli_muda", "practitioner_outside_unit": true}
	case "POST /v1/courses/{id}/sessions":
		return map[string]any{"topic": "Logistik", "start": "2026-12-21T09:00", "end": "2026-12-21T10:30", "zone": "Asia/Makassar",
			"mode": "hybrid", "venue": "Aula", "required_competencies": []any{map[string]any{"code": "komunikasi", "min_level": 2}}}
	case "PATCH /v1/sessions/{id}":
		return map[string]any{"topic": "Manajemen Risiko Bencana", "venue": "Aula Lt. 2"}
	case "POST /v1/sessions/{id}/evaluation-forms":
		return map[string]any{"valid_days": 7}
	case "POST /v1/courses/{id}/assignments":
		return map[string]any{"co_trainers_per_session": 1, "max_slots_per_person": 3}
	case "PUT /v1/matching/settings":
		return map[string]any{"weights": map[string]any{"expertise": 0.4, "level": 0.2, "rating": 0.1, "load": 0.1, "cost": 0.1, "travel": 0.1},
			"monthly_cap_jp": 60, "budget_per_jp": 900000}
	case "POST /v1/rate-tables":
		return map[string]any{"regulation": "SK Kepala", "fiscal_year": 2026, "funding": "APBD", "region": "Sulawesi Selatan",
			"class": "penceramah", "unit": "per_jp", "amount": 500000, "source": "SK"}
	case "POST /v1/honoraria/accrue":
		return map[string]any{"booking_id": w.completed}
	case "PUT /v1/incentive/settings":
		return map[string]any{"widyaiswara_minimum_jp": 10, "ppk_name": "Andi", "ppk_nip": "197001012000031005",
			"treasurer_name": "Budi", "treasurer_nip": "197001012000031006"}
	case "POST /v1/certificates":
		return map[string]any{"course_id": w.course, "person_id": w.person}
	case "POST /v1/certificates/{id}/revoke", "POST /v1/certificates/{id}/reissue":
		return map[string]any{"reason": "salah nama"}
	case "PUT /v1/certificate-settings":
		return map[string]any{"number_template": "{seq:04}/{code}/CT/{year}", "signer_name": "Dr. Andi", "signer_title": "Kepala",
			"signer_nip": "197001012000031005"}
	case "POST /v1/feed-tokens", "POST /v1/feed-tokens/revoke":
		return map[string]any{"person_id": w.person}
	case "POST /v1/bookings":
		return map[string]any{"session_id": w.session, "person_id": w.practitioner, "role": "co_trainer"}
	case "POST /v1/bookings/{id}/transitions":
		return map[string]any{"to": "accepted"}
	case "POST /v1/evaluations/forms/{token}":
		return map[string]any{"ratings": []any{map[string]any{"booking_id": w.completed,
			"scores": map[string]any{"penguasaan_materi": 4, "sistematika": 3, "metode": 4, "interaksi": 3}, "comment": "bagus\nsekali"}}}
	case "POST /verify/credential":
		return map[string]any{"@context": []any{"https://www.w3.org/ns/credentials/v2"}, "type": []any{"VerifiableCredential"}}
	}
	return nil
}

// keyFor picks the key a route is meant for.
func (w world) keyFor(e *env, method, tmpl string) string {
	switch method + " " + tmpl {
	case "POST /v1/institutions", "POST /v1/holidays", "DELETE /v1/holidays/{date}", "POST /v1/signing-keys/rotate":
		return e.admin
	case "POST /v1/itip/inbound":
		return w.gateway
	}
	return w.staff
}

// specRoute is one operation of api/openapi.yaml.
type specRoute struct {
	method, path string
	query        []string
	jsonBody     bool
}

func specRoutes(t testing.TB) []specRoute {
	t.Helper()
	var spec struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Ref  string `yaml:"$ref"`
				Name string `yaml:"name"`
				In   string `yaml:"in"`
			} `yaml:"parameters"`
			RequestBody struct {
				Content map[string]any `yaml:"content"`
			} `yaml:"requestBody"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(api.OpenAPISpec, &spec); err != nil {
		t.Fatal(err)
	}
	var out []specRoute
	for path, ops := range spec.Paths {
		for method, op := range ops {
			m := strings.ToUpper(method)
			switch m {
			case "GET", "POST", "PUT", "PATCH", "DELETE":
			default:
				continue
			}
			r := specRoute{method: m, path: path}
			for _, p := range op.Parameters {
				switch {
				case p.In == "query":
					r.query = append(r.query, p.Name)
				case strings.HasSuffix(p.Ref, "/limit"):
					r.query = append(r.query, "limit")
				case strings.HasSuffix(p.Ref, "/cursor"):
					r.query = append(r.query, "cursor")
				}
			}
			_, r.jsonBody = op.RequestBody.Content["application/json"]
			out = append(out, r)
		}
	}
	// Destructive routes last, so that they do not hide the others.
	rank := func(r specRoute) int {
		if r.method == "DELETE" || strings.HasSuffix(r.path, "/revoke") || strings.HasSuffix(r.path, "/rotate") {
			return 1
		}
		return 0
	}
	sort.Slice(out, func(i, j int) bool {
		if rank(out[i]) != rank(out[j]) {
			return rank(out[i]) < rank(out[j])
		}
		return out[i].path+out[i].method < out[j].path+out[j].method
	})
	return out
}

// call sends one request and checks the invariants every answer keeps:
// never a 5xx, and every error in the envelope with a code.
func call(t testing.TB, srv http.Handler, method, path, key string, body []byte, contentType string) (int, []byte) {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	} else {
		rd = bytes.NewReader(nil)
	}
	req := httptest.NewRequest(method, "http://sinergi.test/", rd)
	u, err := url.ParseRequestURI(path)
	if err != nil {
		// The template's value is not a valid URI; send it raw.
		req.URL.Path, req.URL.RawQuery = path, ""
	} else {
		req.URL = u
	}
	req.RequestURI = ""
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code >= 500 {
		t.Errorf("%s %s → %d %s\nbody: %.300q", method, path, rec.Code, rec.Body.Bytes(), body)
	}
	if rec.Code >= 400 && rec.Code != http.StatusMethodNotAllowed && strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		var env struct {
			Error struct {
				Status int    `json:"status"`
				Code   string `json:"code"`
			} `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil || env.Error.Code == "" || env.Error.Status != rec.Code {
			t.Errorf("%s %s → %d without the error envelope: %.300s", method, path, rec.Code, rec.Body.Bytes())
		}
	}
	return rec.Code, rec.Body.Bytes()
}

// hostileStrings are what careless and hostile clients put in text.
var hostileStrings = []string{"\x00", "nul\x00inside", "venue\r\nX-Injected: 1", "tab\there", "\x1b[31m", "\xff\xfe\xfd",
	strings.Repeat("x", 300<<10), "", " ", "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+07:00",
	"-1", "99999999999999999999", "FREQ=DAILY;BYHOUR=0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23;BYMINUTE=" + minutes() + ";BYSECOND=" + seconds(),
	"{seq:99999999999}", "<script>alert(1)</script>", "😀", "\u202e"}

// hostileNumbers are numbers past every sane range.
var hostileNumbers = []any{-1, 0, 1.5, 1e308, -1e308, 9223372036854775807, 99999999999999999999.0, 2147483648, "7", nil, true}

func minutes() string {
	var m []string
	for i := 0; i < 60; i++ {
		m = append(m, fmt.Sprint(i))
	}
	return strings.Join(m, ",")
}

func seconds() string { return minutes() }

// variants returns body with one leaf at a time replaced by each hostile
// value, plus an unknown field and a wrong-typed whole.
func variants(body any) []any {
	var out []any
	var walk func(v any, set func(any) any)
	walk = func(v any, set func(any) any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				k := k
				walk(x[k], func(nv any) any {
					c := make(map[string]any, len(x))
					for kk, vv := range x {
						c[kk] = vv
					}
					c[k] = nv
					return set(c)
				})
			}
		case []any:
			for i := range x {
				i := i
				walk(x[i], func(nv any) any {
					c := append([]any(nil), x...)
					c[i] = nv
					return set(c)
				})
			}
			many := make([]any, 0, 600)
			for len(many) < 600 && len(x) > 0 {
				many = append(many, x[0])
			}
			out = append(out, set(many))
		case string:
			for _, h := range hostileStrings {
				out = append(out, set(h))
			}
		case []string:
			for _, h := range hostileStrings {
				out = append(out, set([]string{h}))
			}
		default:
			for _, h := range hostileNumbers {
				out = append(out, set(h))
			}
		}
	}
	walk(body, func(v any) any { return v })
	if m, ok := body.(map[string]any); ok {
		c := map[string]any{"unknown_field": 1}
		for k, v := range m {
			c[k] = v
		}
		out = append(out, c)
	}
	out = append(out, []any{1}, "x", nil)
	return out
}

var hostileQuery = []string{"\x00", "a\x00b", "\r\n", "0001-01-01", "9999-12-31", "0001-01-01T00:00:00Z", "-1", "0",
	"99999999999999999999", "\xff", strings.Repeat("q", 5000), "%", "'; DROP TABLE people; --", "2026-12-01", "2026-12-31"}

// TestHostileInputNeverFails sends every route in api/openapi.yaml valid
// requests, then each body field and query parameter replaced by hostile
// values; no answer may be a 5xx or lack the error envelope.
func TestHostileInputNeverFails(t *testing.T) {
	e := newEnv(t)
	a := e.newWorld(e.instA, e.staffA, "a", "198503102010012003")
	routes := specRoutes(t)
	calls := 0
	for _, r := range routes {
		path := a.path(r.path)
		if strings.Contains(path, "//") || strings.HasSuffix(path, "/") {
			t.Errorf("%s %s: the sweep has no value for its path parameter", r.method, r.path)
		}
		key := a.keyFor(e, r.method, r.path)
		send := func(p string, body any) {
			calls++
			if body == nil && !r.jsonBody {
				call(t, e.srv, r.method, p, key, nil, "")
				return
			}
			raw, err := json.Marshal(body)
			must(t, err)
			call(t, e.srv, r.method, p, key, raw, "application/json")
		}
		if r.path == "/v1/itip/inbound" {
			for _, raw := range hostileMail() {
				calls++
				call(t, e.srv, r.method, path, key, raw, "message/rfc822")
			}
			continue
		}
		if r.path == "/v1/people/import" {
			header := "nama,jenis,email,organisasi,unit,kepegawaian,zona_waktu\n"
			for _, raw := range []string{"nama,email\nA\x00,a@b.id\n", "\xff\xfe", "", strings.Repeat("a,", 10000),
				header + "Nul\x00Name,praktisi,nul@example.id,Org,Unit,non_asn,Asia/Jakarta\n",
				header + "\"Line\r\nBreak\",praktisi,crlf@example.id,Org\x1b,Unit,non_asn,Asia/Jakarta\n",
				header + strings.Repeat("x", 300<<10) + ",praktisi,long@example.id,Org,Unit,non_asn,Asia/Jakarta\n"} {
				for _, dry := range []string{"true", "false"} {
					calls++
					call(t, e.srv, r.method, path+"?dry_run="+dry, key, []byte(raw), "text/csv")
				}
			}
			continue
		}
		if r.method == "POST" && (r.path == "/r/{token}" || r.path == "/v1/evaluations/forms/{token}") {
			// The pages post forms, too.
			for _, h := range hostileStrings {
				form := url.Values{"answer": {h}, fmt.Sprintf("c_%d", a.completed): {h}}
				for _, it := range evaluation.Items() {
					form.Set(fmt.Sprintf("r_%d_%s", a.completed, it.Code), "4")
				}
				calls++
				call(t, e.srv, r.method, path, "", []byte(form.Encode()), "application/x-www-form-urlencoded")
			}
		}
		body := a.body(r.method, r.path)
		send(path, body)
		if r.jsonBody || body != nil {
			for _, v := range variants(body) {
				send(path, v)
			}
		}
		for _, q := range r.query {
			for _, v := range hostileQuery {
				send(path+"?"+url.Values{q: {v}}.Encode(), body)
			}
		}
		// A hostile value in the path itself.
		if strings.Contains(r.path, "{") {
			for _, v := range []string{"%00", "0", "-1", "99999999999999999999", "%FF", strings.Repeat("9", 300)} {
				send(paramRe.ReplaceAllString(r.path, v), body)
			}
		}
	}
	t.Logf("%d routes, %d calls", len(routes), calls)
}

// hostileMail are message bodies the mail gateway might forward.
func hostileMail() [][]byte {
	ics := func(extra string) []byte {
		return []byte("From: a@b.id\r\nContent-Type: text/calendar; method=REPLY\r\n\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n" +
			"UID:x@y\r\n" + extra + "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@b.id\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
	}
	return [][]byte{
		[]byte("\xff\xfe\xfd"), []byte("From: \x00@x\r\n\r\nbody\x00"), []byte("\x00\x00\x00"),
		ics("SEQUENCE:99999999999999999999\r\n"), ics("SEQUENCE:-5\r\n"), ics("SEQUENCE:2147483648\r\n"),
		ics("SUMMARY:\xff\xfe\r\n"), ics("COMMENT:nul\x00\r\n"), []byte("From: a@b.id\r\nMessage-ID: <\xff\x00>\r\n\r\n"),
		[]byte(strings.Repeat("A", 200<<10)), []byte("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n--x--"),
	}
}

// TestCrossTenantSweep calls every route of api/openapi.yaml that names an
// id or token with institution A's values and B's keys (staff, trainer
// and mail gateway): each answer must be 404 or 403, never a 2xx.
func TestCrossTenantSweep(t *testing.T) {
	e := newEnv(t)
	a := e.newWorld(e.instA, e.staffA, "a", "198503102010012003")
	b := e.newWorld(e.instB, e.staffB, "b", "198703152012012004")
	// Routes whose value is a public code or a bearer token, and the
	// platform's holidays, belong to no institution.
	public := map[string]bool{"/verify/{code}": true, "/achievements/{id}": true, "/feeds/{token}": true, "/r/{token}": true,
		"/v1/evaluations/forms/{token}": true, "/v1/holidays/{date}": true}
	required := map[string]string{"/v1/sessions/{id}/candidates": "?role=lead", "/v1/people/{id}/freebusy": "?from=2026-12-01&to=2026-12-31",
		"/v1/sessions/{id}/slots": "?from=2026-12-01&to=2026-12-31"}
	calls, routes := 0, 0
	for _, r := range specRoutes(t) {
		body := a.body(r.method, r.path)
		if public[r.path] || !strings.Contains(r.path, "{") && !bodyNamesIDs(body) {
			continue
		}
		routes++
		for _, key := range []string{b.staff, b.trainer, b.gateway} {
			calls++
			var raw []byte
			if body != nil {
				raw, _ = json.Marshal(body)
			}
			status, resp := call(t, e.srv, r.method, a.path(r.path)+required[r.path], key, raw, "application/json")
			if status != http.StatusNotFound && status != http.StatusForbidden {
				t.Errorf("%s %s with B's key → %d %.300s", r.method, r.path, status, resp)
			}
		}
	}
	// Ids in bodies that the routes above do not send.
	for _, x := range []struct {
		path string
		body map[string]any
	}{
		{"/v1/honoraria/accrue", map[string]any{"course_id": a.course}},
		{"/v1/certificates", map[string]any{"course_id": a.course, "all": true}},
		{"/v1/feed-tokens", map[string]any{"person_id": a.person}},
		{fmt.Sprintf("/v1/institutions/%d/api-keys", b.inst), map[string]any{"role": "trainer", "person_id": a.person}},
		{"/v1/bookings", map[string]any{"session_id": b.session, "person_id": a.practitioner, "role": "co_trainer"}},
	} {
		calls++
		raw, _ := json.Marshal(x.body)
		status, resp := call(t, e.srv, "POST", x.path, b.staff, raw, "application/json")
		if status != http.StatusNotFound && status != http.StatusForbidden {
			t.Errorf("POST %s %s with B's staff key → %d %.300s", x.path, raw, status, resp)
		}
	}
	t.Logf("%d routes naming another institution's ids, %d calls", routes, calls)
	if routes < 30 {
		t.Fatalf("only %d routes swept", routes)
	}
}

// bodyNamesIDs reports whether a request body names a resource by id.
func bodyNamesIDs(body any) bool {
	m, ok := body.(map[string]any)
	if !ok {
		return false
	}
	for k := range m {
		if strings.HasSuffix(k, "_id") {
			return true
		}
	}
	if list, ok := m["competencies"].([]any); ok && len(list) > 0 {
		return true
	}
	if list, ok := m["ratings"].([]any); ok && len(list) > 0 {
		return true
	}
	return false
}
