package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gorm.io/gorm"

	"sinergi/audit"
	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/incentive"
	"sinergi/internal/pgtest"
	"sinergi/matching"
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
	srv      *Server
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
	testTime time.Time
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := pgtest.NewDB(t)
	e := &env{t: t, db: db, testTime: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)}
	e.tenants = tenant.Service{Store: postgres.TenantStore{DB: db}}
	e.people = profile.Service{Store: postgres.PeopleStore{DB: db, KEK: bytes.Repeat([]byte{7}, 32)}, Now: func() time.Time { return e.testTime }}
	e.sched = scheduling.Service{Store: postgres.SchedulingStore{DB: db}, People: e.people.Store,
		Now: func() time.Time { return e.testTime }, Buffer: time.Hour}
	ms := postgres.MatchingStore{DB: db}
	e.outbox = postgres.OutboxStore{CalendarStore: postgres.CalendarStore{DB: db}}
	e.postman = calendar.Postman{Store: e.outbox, Organizer: "jadwal@sinergi.example.id", OrganizerName: "Sinergi",
		BaseURL: "https://sinergi.example.id", Now: func() time.Time { return e.testTime }}
	e.dkimKeys = map[string]string{}
	e.srv = New(Deps{Tenants: e.tenants, People: e.people, Scheduling: e.sched, Idempotency: postgres.IdempotencyStore{DB: db},
		Matching: matching.Service{Cache: &matching.Cache{Loader: ms}, Scheduling: e.sched.Store, Settings: ms, Proposals: ms, Buffer: time.Hour,
			Costs: incentive.MatchingCosts(postgres.IncentiveStore{DB: db})},
		Incentives: incentive.Service{Store: postgres.IncentiveStore{DB: db}, Scheduling: e.sched.Store, People: e.people.Store,
			Tx: postgres.Transactor{DB: db}, Now: func() time.Time { return e.testTime }},
		IncentiveSettings: postgres.IncentiveStore{DB: db},
		Certificates: certification.Service{Store: postgres.CertificateStore{DB: db},
			Keys: postgres.KeyStore{DB: db, KEK: bytes.Repeat([]byte{7}, 32)}, Now: func() time.Time { return e.testTime },
			BaseURL: "https://sinergi.example.id"},
		Calendar: postgres.CalendarStore{DB: db}, Organizer: "jadwal@sinergi.example.id", BaseURL: "https://sinergi.example.id",
		Outbox: e.outbox, Mailer: e.postman, Evaluations: postgres.EvaluationStore{DB: db},
		Replies: calendar.Processor{Store: e.outbox, Mailer: e.postman, LookupTXT: func(domain string) ([]string, error) {
			if txt, ok := e.dkimKeys[domain]; ok {
				return []string{txt}, nil
			}
			return nil, fmt.Errorf("no TXT record for %s", domain)
		}, Transition: func(ctx context.Context, person, booking int64, status string) error {
			_, err := e.sched.TransitionBooking(ctx, scheduling.Scope{PersonID: person}, booking, scheduling.Status(status), 0)
			return err
		}},
		Now: func() time.Time { return e.testTime }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Ready: func(ctx context.Context) error { return postgres.Ping(ctx, db) }})
	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	a, err := e.tenants.CreateInstitution(ctx, tenant.Institution{Code: "BPSDM-A", Name: "BPSDM Provinsi A", Kind: "bpsdm_provinsi", Zone: "Asia/Makassar"})
	must(t, err)
	b, err := e.tenants.CreateInstitution(ctx, tenant.Institution{Code: "PUSDIKLAT-B", Name: "Pusdiklat B", Kind: "pusdiklat_kementerian", Zone: "Asia/Jakarta"})
	must(t, err)
	e.instA, e.instB = a.ID, b.ID
	e.admin = e.key(tenant.Admin, 0, 0)
	e.staffA = e.key(tenant.Staff, a.ID, 0)
	e.staffB = e.key(tenant.Staff, b.ID, 0)
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
// as is) or a value (sent as JSON).
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
	rec := httptest.NewRecorder()
	e.srv.ServeHTTP(rec, req)
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
