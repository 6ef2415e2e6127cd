package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gorm.io/gorm"

	"sinergi/api"
	"sinergi/app"
	"sinergi/audit"
	"sinergi/calendar"
	"sinergi/internal/pgtest"
	"sinergi/postgres"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is a server over a fresh database with two institutions, A and B,
// each with a staff key, and an admin key.
type env struct {
	t        testing.TB
	app      *app.App
	srv      *api.Server
	db       *gorm.DB
	instA    int64
	instB    int64
	admin    string
	staffA   string
	staffB   string
	tenants  tenant.Service
	people   profile.Service
	sched    scheduling.Service
	outbox   postgres.OutboxStore
	postman  calendar.Postman
	dkimKeys map[string]string
	// dnsDown makes key lookups of these names fail temporarily.
	dnsDown  map[string]bool
	testTime time.Time
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := pgtest.NewDB(t)
	e := &env{t: t, db: db, testTime: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC), dkimKeys: map[string]string{}, dnsDown: map[string]bool{}}
	a, err := app.New(db, app.Config{BaseURL: "https://sinergi.example.id", MailFrom: "jadwal@sinergi.example.id",
		Buffer: time.Hour, KEK: bytes.Repeat([]byte{7}, 32), Now: func() time.Time { return e.testTime },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		LookupTXT: func(domain string) ([]string, error) {
			if e.dnsDown[domain] {
				return nil, &net.DNSError{Err: "server misbehaving", Name: domain, IsTemporary: true}
			}
			if txt, ok := e.dkimKeys[domain]; ok {
				return []string{txt}, nil
			}
			return nil, fmt.Errorf("no TXT record for %s", domain)
		}})
	must(t, err)
	e.app, e.srv = a, a.API
	e.tenants, e.people, e.sched, e.outbox, e.postman = a.Tenants, a.People, a.Scheduling, a.Outbox, a.Postman
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	instA, err := e.tenants.CreateInstitution(ctx, tenant.Institution{Code: "BPSDM-A", Name: "BPSDM Provinsi A", Kind: "bpsdm_provinsi", Zone: "Asia/Makassar"})
	must(t, err)
	instB, err := e.tenants.CreateInstitution(ctx, tenant.Institution{Code: "PUSDIKLAT-B", Name: "Pusdiklat B", Kind: "pusdiklat_kementerian", Zone: "Asia/Jakarta"})
	must(t, err)
	e.instA, e.instB = instA.ID, instB.ID
	e.admin = e.key(tenant.Admin, 0, 0)
	e.staffA = e.key(tenant.Staff, instA.ID, 0)
	e.staffB = e.key(tenant.Staff, instB.ID, 0)
	return e
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (e *env) key(role tenant.Role, inst, person int64) string {
	e.t.Helper()
	_, secret, err := e.tenants.IssueKey(context.Background(), tenant.APIKey{Role: role, InstitutionID: inst, PersonID: person})
	must(e.t, err)
	return secret
}

// response is a decoded answer.
type response struct {
	Status int
	Header http.Header
	Raw    []byte
	Body   map[string]any
}

func (r response) errorCode() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r response) field(name string) string {
	e, _ := r.Body["error"].(map[string]any)
	f, _ := e["fields"].(map[string]any)
	s, _ := f[name].(string)
	return s
}

func (r response) id() int64 {
	f, _ := r.Body["id"].(float64)
	return int64(f)
}

func (r response) items() []map[string]any {
	list, _ := r.Body["items"].([]any)
	out := make([]map[string]any, len(list))
	for i, x := range list {
		out[i], _ = x.(map[string]any)
	}
	return out
}

// do sends a request through the real router. body may be a string (sent
// as is) or a value (sent as JSON); headers are name, value pairs.
func (e *env) do(method, path, key string, body any, headers ...string) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		must(e.t, err)
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	var sent []byte
	if rd != nil {
		sent, _ = io.ReadAll(rd)
		req.Body = io.NopCloser(bytes.NewReader(sent))
	}
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
	e.conform(req, sent, rec)
	out := response{Status: rec.Code, Header: rec.Header(), Raw: rec.Body.Bytes()}
	if len(out.Raw) > 0 && rec.Header().Get("Content-Type") == "application/json; charset=utf-8" {
		if err := json.Unmarshal(out.Raw, &out.Body); err != nil {
			e.t.Fatalf("%s %s: response is not JSON: %s", method, path, out.Raw)
		}
	}
	return out
}

// expect fails the test unless the response has the status (and, for
// errors, the code).
func (e *env) expect(r response, status int, code string) {
	e.t.Helper()
	if r.Status != status || (code != "" && r.errorCode() != code) {
		e.t.Fatalf("got %d %s, want %d %s", r.Status, r.Raw, status, code)
	}
}

func widyaiswaraJSON(email, nip string) map[string]any {
	return map[string]any{"kind": "widyaiswara", "name": "Dewi Lestari", "email": email, "phone": "081234567890",
		"nip": nip, "jenjang": "ahli_madya", "golongan": "IV/b", "employment": "pns", "tax_id_status": "npwp",
		"zone": "Asia/Makassar", "organisation": "BPSDM Provinsi A", "unit": "Bidang PKM"}
}

func practitionerJSON(email string) map[string]any {
	return map[string]any{"kind": "practitioner", "name": "Marthen Rumbiak", "email": email,
		"organisation": "BPBD Provinsi Papua", "unit": "Logistik", "employment": "non_asn", "zone": "Asia/Jayapura",
		"expertise": []string{"manajemen_bencana"}, "experience_years": 12}
}

// createPerson adds a person through the API and returns its id.
func (e *env) createPerson(key string, body map[string]any) int64 {
	e.t.Helper()
	r := e.do("POST", "/v1/people", key, body)
	e.expect(r, http.StatusCreated, "")
	return r.id()
}
