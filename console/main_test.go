package console_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message/mail"
	"gorm.io/gorm"

	"sinergi/app"
	"sinergi/audit"
	"sinergi/incentive"
	"sinergi/internal/pgtest"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// env is the served binary's handler over a fresh database, with two
// institutions (A in WITA, B in WIB), a staff user in each, a practitioner
// on A's roster, rates and a certificate signer for A, and a session of B.
type env struct {
	t              testing.TB
	db             *gorm.DB
	app            *app.App
	srv            *httptest.Server
	mu             sync.Mutex
	now            time.Time
	instA, instB   int64
	staffA, staffB string // e-mails; the password is password
	practitioner   int64
	sessionB       int64
}

const password = "kata-sandi-uji-yang-panjang"

func (e *env) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.now
}

func (e *env) advance(d time.Duration) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.now = e.now.Add(d)
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newEnv(t testing.TB) *env {
	t.Helper()
	db := pgtest.NewDB(t)
	// 08:30 WITA on a Monday.
	e := &env{t: t, db: db, now: time.Date(2026, 11, 23, 0, 30, 0, 0, time.UTC)}
	e.srv = httptest.NewUnstartedServer(nil)
	a, err := app.New(db, app.Config{BaseURL: "http://" + e.srv.Listener.Addr().String(), MailFrom: "jadwal@sinergi.example.id",
		Buffer: time.Hour, KEK: bytes.Repeat([]byte{7}, 32), Now: e.clock,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil))})
	must(t, err)
	e.app = a
	e.srv.Config.Handler = a.Handler
	e.srv.Start()
	t.Cleanup(e.srv.Close)

	ctx := audit.WithActor(context.Background(), audit.Actor{Role: "test"})
	instA, err := a.Tenants.CreateInstitution(ctx, tenant.Institution{Code: "BPSDM-A", Name: "BPSDM Provinsi A", Kind: "bpsdm_provinsi", Zone: "Asia/Makassar"})
	must(t, err)
	instB, err := a.Tenants.CreateInstitution(ctx, tenant.Institution{Code: "PUSDIKLAT-B", Name: "Pusdiklat B", Kind: "pusdiklat_kementerian", Zone: "Asia/Jakarta"})
	must(t, err)
	e.instA, e.instB = instA.ID, instB.ID
	e.staffA, e.staffB = "staf@bpsdm-a.go.id", "staf@pusdiklat-b.go.id"
	for _, u := range []tenant.User{{InstitutionID: e.instA, Email: e.staffA, Role: tenant.Staff}, {InstitutionID: e.instB, Email: e.staffB, Role: tenant.Staff}} {
		_, _, err := a.Accounts.CreateUser(ctx, u, password)
		must(t, err)
	}
	p, err := a.People.Create(ctx, e.instA, profile.Person{Kind: profile.Practitioner, Name: "Marthen Rumbiak", Email: "marthen@example.id",
		Organisation: "BPBD Provinsi Papua", Unit: "Logistik", Employment: profile.NonASN, TaxIDStatus: profile.TaxNone, Zone: "Asia/Jayapura",
		Expertise: []string{"manajemen_bencana"}, ExperienceYears: 12})
	must(t, err)
	e.practitioner = p.ID
	for _, c := range []incentive.Class{incentive.WidyaiswaraInternal, incentive.PengajarLuarSatker, incentive.Penceramah} {
		_, err := a.Incentives.CreateRate(ctx, 0, incentive.Rate{Regulation: "Pergub Uji 1/2026", FiscalYear: 2026, Funding: scheduling.APBD,
			Region: "Sulawesi Selatan", Class: c, Unit: incentive.PerJP, Amount: 300000, Source: "uji"})
		must(t, err)
	}
	cb, err := a.Scheduling.CreateCourse(ctx, e.instB, scheduling.Course{Name: "Pelatihan Pusdiklat B", OrganisingUnit: "Bidang Diklat",
		Funding: scheduling.APBN, Region: "DKI Jakarta", StartDate: day(2026, 12, 1), EndDate: day(2026, 12, 5)})
	must(t, err)
	sb, _, err := a.Scheduling.CreateSession(ctx, e.instB, cb.ID, scheduling.Session{Topic: "Sesi rahasia B", Zone: "Asia/Jakarta",
		Start: time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 1, 2, 30, 0, 0, time.UTC), Mode: scheduling.Online}, false)
	must(t, err)
	e.sessionB = sb.ID
	return e
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// client is a browser without JavaScript: a cookie jar that does not
// follow redirects, so each answer can be looked at.
type client struct {
	e    *env
	http *http.Client
}

func (e *env) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{e: e, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type answer struct {
	Status   int
	Location string
	Body     string
}

func (c *client) do(method, path string, form url.Values, header ...string) answer {
	c.e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.e.srv.URL+path, body)
	must(c.e.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.http.Do(req)
	must(c.e.t, err)
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return answer{Status: res.StatusCode, Location: res.Header.Get("Location"), Body: string(b)}
}

func (c *client) get(path string) answer { return c.do("GET", path, nil) }

func (c *client) post(path string, form url.Values) answer { return c.do("POST", path, form) }

// cookie is the session cookie the client holds, or "".
func (c *client) cookie() string {
	u, _ := url.Parse(c.e.srv.URL + "/console/")
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "sinergi_console" {
			return ck.Value
		}
	}
	return ""
}

func (c *client) setCookie(v string) {
	u, _ := url.Parse(c.e.srv.URL + "/console/")
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "sinergi_console", Value: v, Path: "/console/"}})
}

func (c *client) login(email, pw string) answer {
	return c.post("/console/login", url.Values{"email": {email}, "password": {pw}})
}

// signInLink is the last sign-in link queued for an address.
func (e *env) signInLink(to string) string {
	e.t.Helper()
	var rows []struct{ ID, InstitutionID int64 }
	must(e.t, e.db.Raw(`SELECT id, institution_id FROM outbox WHERE kind = 'SIGNIN' AND recipient = ? ORDER BY id DESC LIMIT 1`, to).Scan(&rows).Error)
	if len(rows) == 0 {
		e.t.Fatalf("no sign-in mail queued for %s", to)
	}
	_, raw, err := e.app.Outbox.OutboxMessage(context.Background(), rows[0].InstitutionID, rows[0].ID) // stored sealed
	must(e.t, err)
	r, err := mail.CreateReader(bytes.NewReader(raw))
	must(e.t, err)
	part, err := r.NextPart()
	must(e.t, err)
	text, err := io.ReadAll(part.Body)
	must(e.t, err)
	m := regexp.MustCompile(`https?://\S+/console/trainer/link/[A-Za-z0-9_-]+`).Find(text)
	if m == nil {
		e.t.Fatalf("no sign-in link queued for %s", to)
	}
	return string(m)
}
