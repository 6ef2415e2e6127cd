// Package console is the web console in the browser: server-rendered pages
// for staff (the whole journey from course to certificate) and a portal for
// trainers, over the same domain services as the API. Templates and assets
// are embedded; htmx (vendored) swaps the few interactive parts and every
// form still submits without JavaScript.
package console

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"sinergi/audit"
	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/impact"
	"sinergi/incentive"
	"sinergi/matching"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// Feeds makes personal calendar feed URLs. Only their hashes are kept, so
// an address is shown once, when it is made.
type Feeds interface {
	// NewFeedToken makes a new address, ending the old one.
	NewFeedToken(ctx context.Context, inst, person int64) (string, error)
	// FeedActive reports whether a working address exists.
	FeedActive(ctx context.Context, inst, person int64) (bool, error)
}

// Deps are the use cases the console calls: the same ones the API calls.
type Deps struct {
	Accounts tenant.Accounts
	Tenants  tenant.Service
	People   profile.Service
	// Roster imports people from spreadsheets, as the API does.
	Roster       profile.Importer
	Scheduling   scheduling.Service
	Matching     matching.Service
	Incentives   incentive.Service
	Certificates certification.Service
	// Impact reports what courses changed at work.
	Impact impact.Service
	Feeds  Feeds
	// Replies are the calendar replies received (the API's reply
	// processor): the board shows them and staff close their attention.
	Replies calendar.Processor
	// Export renders the treasurer's honorarium export (csv or xlsx): the
	// API's document, handed over by app.
	Export func(ctx context.Context, inst int64, format string, f incentive.Filter) (file, contentType string, body []byte, err error)
	// BaseURL is the public URL of the service; an https one makes the
	// session cookie Secure.
	BaseURL string
	Log     *slog.Logger
	Now     func() time.Time
}

// Server serves the console under /console/.
type Server struct {
	Deps
	handler http.Handler
	pages   map[string]*template.Template
	// assets maps a content-hashed name to its bytes; hashed maps the
	// plain name to the hashed one.
	assets map[string][]byte
	hashed map[string]string
	secure bool
}

// Prefix is where the console is mounted.
const Prefix = "/console/"

// New builds the console.
func New(d Deps) (*Server, error) {
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = func() time.Time { return time.Now().UTC() }
	}
	s := &Server{Deps: d, assets: map[string][]byte{}, hashed: map[string]string{},
		secure: strings.HasPrefix(d.BaseURL, "https://")}
	if err := s.loadAssets(); err != nil {
		return nil, err
	}
	if err := s.loadTemplates(); err != nil {
		return nil, err
	}
	s.routes()
	return s, nil
}

func (s *Server) loadAssets() error {
	return fs.WalkDir(assetFS, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".css")) {
			return err
		}
		b, err := assetFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		name := path.Base(p)
		ext := path.Ext(name)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		s.assets[h], s.hashed[name] = b, h
		return nil
	})
}

func (s *Server) loadTemplates() error {
	funcs := template.FuncMap{
		"asset":  func(name string) string { return Prefix + "assets/" + s.hashed[name] },
		"rupiah": rupiah,
		"pct":    func(points int) string { return strconv.FormatFloat(float64(points)/100, 'f', 1, 64) },
		// value and percent show a figure that may be missing (nil).
		"value":   func(v *float64) float64 { return *v },
		"percent": func(v *float64) string { return strconv.FormatFloat(*v*100, 'f', 0, 64) + "%" },
	}
	s.pages = map[string]*template.Template{}
	entries, err := fs.ReadDir(templateFS, "templates")
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := e.Name()
		// Files named _*.html hold partials every page may use.
		if name == "layout.html" || strings.HasPrefix(name, "_") {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/_*.html", "templates/"+name)
		if err != nil {
			return fmt.Errorf("console template %s: %w", name, err)
		}
		s.pages[strings.TrimSuffix(name, ".html")] = t
	}
	return nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /console/assets/{name}", s.asset)
	mux.HandleFunc("GET /console/{$}", func(w http.ResponseWriter, r *http.Request) {
		to := Prefix + "dashboard"
		if sess, err := s.Accounts.Resume(r.Context(), s.secret(r)); err == nil {
			to = home(sess.User.Role)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	})
	mux.HandleFunc("GET /console/login", s.loginPage)
	mux.HandleFunc("POST /console/login", s.login)
	mux.HandleFunc("POST /console/logout", s.logout)
	mux.HandleFunc("POST /console/logout-everywhere", s.signedIn(s.logoutEverywhere, tenant.Staff, tenant.Admin, tenant.Trainer))
	mux.HandleFunc("POST /console/lang", s.signedIn(s.setLang, tenant.Staff, tenant.Admin, tenant.Trainer))

	staff := func(h func(http.ResponseWriter, *http.Request, tenant.User)) http.HandlerFunc {
		return s.signedIn(h, tenant.Staff)
	}
	mux.HandleFunc("GET /console/dashboard", staff(s.dashboard))
	mux.HandleFunc("GET /console/week", staff(s.week))
	mux.HandleFunc("GET /console/courses", staff(s.courses))
	mux.HandleFunc("POST /console/courses", staff(s.createCourse))
	mux.HandleFunc("GET /console/courses/{id}", staff(s.course))
	mux.HandleFunc("POST /console/courses/{id}/sessions", staff(s.createSession))
	mux.HandleFunc("POST /console/courses/{id}/certificates", staff(s.issueCertificates))
	mux.HandleFunc("GET /console/courses/{id}/impact", staff(s.courseImpact))
	mux.HandleFunc("GET /console/courses/{id}/impact.xlsx", staff(s.courseImpactXLSX))
	mux.HandleFunc("POST /console/courses/{id}/assignments", staff(s.propose))
	mux.HandleFunc("POST /console/courses/{id}/assignments/{aid}/apply", staff(s.applyProposal))
	mux.HandleFunc("GET /console/sessions/{id}", staff(s.session))
	mux.HandleFunc("POST /console/sessions/{id}/bookings", staff(s.book))
	mux.HandleFunc("POST /console/bookings/{id}/status", staff(s.transition))
	mux.HandleFunc("GET /console/bookings/{id}", staff(s.trail))
	mux.HandleFunc("GET /console/honoraria", staff(s.honoraria))
	mux.HandleFunc("POST /console/honoraria/{id}/{step}", staff(s.ledgerStep))
	mux.HandleFunc("GET /console/honoraria/export/{format}", staff(s.export))
	mux.HandleFunc("GET /console/certificates/{id}/pdf", staff(s.certificatePDF))
	mux.HandleFunc("POST /console/certificates/{id}/revoke", staff(s.revokeCertificate))
	mux.HandleFunc("GET /console/settings", staff(s.settings))
	mux.HandleFunc("POST /console/settings/certificates", staff(s.saveCertSettings))
	mux.HandleFunc("POST /console/settings/honoraria", staff(s.saveIncentiveSettings))
	mux.HandleFunc("GET /console/users", staff(s.users))
	mux.HandleFunc("POST /console/users", staff(s.createUser))
	s.routesSettings(mux, staff)

	s.routesBoard(mux, staff)

	mux.HandleFunc("GET /console/admin", s.signedIn(s.admin, tenant.Admin))
	mux.HandleFunc("POST /console/admin/users", s.signedIn(s.adminCreateUser, tenant.Admin))

	mux.HandleFunc("GET /console/trainer/login", s.trainerLoginPage)
	mux.HandleFunc("POST /console/trainer/login", s.trainerLogin)
	mux.HandleFunc("GET /console/trainer/link/{token}", s.linkPage)
	mux.HandleFunc("POST /console/trainer/link/{token}", s.redeemLink)
	trainer := func(h func(http.ResponseWriter, *http.Request, tenant.User)) http.HandlerFunc {
		return s.signedIn(h, tenant.Trainer)
	}
	mux.HandleFunc("GET /console/trainer", trainer(s.trainerHome))
	mux.HandleFunc("POST /console/trainer/bookings/{id}/answer", trainer(s.answer))
	mux.HandleFunc("POST /console/trainer/availability", trainer(s.saveAvailability))
	mux.HandleFunc("POST /console/trainer/feed", trainer(s.newFeed))
	mux.HandleFunc("GET /console/trainer/certificates/{id}/pdf", trainer(s.trainerCertificate))
	s.routesRoster(mux, staff, trainer)
	mux.HandleFunc("/console/", func(w http.ResponseWriter, r *http.Request) {
		var u *tenant.User
		if sess, err := s.Accounts.Resume(r.Context(), s.secret(r)); err == nil {
			u = &sess.User
		}
		s.errorPage(w, r, u, errs.NotFoundf("page not found"))
	})

	// Cross-site requests that change anything are refused: browsers say
	// where a request comes from (Sec-Fetch-Site, Origin), and only the
	// console's own pages may post to it.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintln(w, msg("id", "cross_site"))
	}))
	s.handler = s.headers(s.recover(cop.Handler(mux)))
}

// home is the first page of a role.
func home(r tenant.Role) string {
	switch r {
	case tenant.Admin:
		return Prefix + "admin"
	case tenant.Trainer:
		return Prefix + "trainer"
	}
	return Prefix + "dashboard"
}

// headers sets the security headers of every console response.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				s.Log.Error("console panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
				http.Error(w, msg("id", "internal"), http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) asset(w http.ResponseWriter, r *http.Request) {
	b, ok := s.assets[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := "text/css; charset=utf-8"
	if strings.HasSuffix(r.PathValue("name"), ".js") {
		ct = "text/javascript; charset=utf-8"
	}
	w.Header().Set("Content-Type", ct)
	// The name carries the content hash: a new version is a new name.
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
}

// cookieName is the session cookie's name: the __Host- prefix, which pins
// it to this host and path / over HTTPS, when the service is served over
// HTTPS.
func (s *Server) cookieName() string {
	if s.secure {
		return "__Host-sinergi"
	}
	return "sinergi_console"
}

func (s *Server) setSession(w http.ResponseWriter, secret string) {
	p := Prefix
	if s.secure {
		p = "/"
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: secret, Path: p, HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: int(tenant.DefaultMaxAge / time.Second)})
}

func (s *Server) clearSession(w http.ResponseWriter) {
	p := Prefix
	if s.secure {
		p = "/"
	}
	http.SetCookie(w, &http.Cookie{Name: s.cookieName(), Value: "", Path: p, HttpOnly: true, Secure: s.secure,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func (s *Server) secret(r *http.Request) string {
	c, err := r.Cookie(s.cookieName())
	if err != nil {
		return ""
	}
	return c.Value
}

// signedIn admits a signed-in user of one of the roles; anyone else is
// sent to the sign-in page of their kind.
func (s *Server) signedIn(h func(http.ResponseWriter, *http.Request, tenant.User), roles ...tenant.Role) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.Accounts.Resume(r.Context(), s.secret(r))
		if err == nil {
			for _, role := range roles {
				if sess.User.Role == role {
					ctx := audit.WithActor(r.Context(), audit.Actor{Role: string(role), InstitutionID: sess.User.InstitutionID,
						PersonID: sess.User.PersonID, UserID: sess.User.ID})
					h(w, r.WithContext(ctx), sess.User)
					return
				}
			}
			s.errorPage(w, r, &sess.User, tenant.ErrForbidden.WithMessage("%s", msg(sess.User.Lang, "forbidden")))
			return
		}
		if errs.KindOf(err) != errs.Unauthenticated {
			s.errorPage(w, r, nil, err)
			return
		}
		to := Prefix + "login"
		if len(roles) == 1 && roles[0] == tenant.Trainer {
			to = Prefix + "trainer/login"
		}
		if r.Method == http.MethodGet {
			to += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		if r.Header.Get("HX-Request") == "true" {
			w.Header().Set("HX-Redirect", to)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	}
}

// page is what every page shows: the language, the user and messages.
type page struct {
	Lang  string
	User  *tenant.User
	Title string
	// Flash is a notice after a redirect; Error a problem to show on top.
	Flash, Error string
	// Form holds submitted values to show again; Fields the problems of
	// each field, from the domain's validation.
	Form   url.Values
	Fields map[string]string
	Nav    string
	// top holds the field problems no input of the form showed, found
	// when the page is rendered; they are listed under Error.
	top *[]string
	// Here is the page to come back to after switching language; Switch
	// the same page in the other language for someone not signed in.
	Here, Switch string
}

// T returns the text of a key in the page's language.
func (p page) T(key string) string { return msg(p.Lang, key) }

// field is one form input with its label, value and problem.
type field struct {
	ID, Name, Type, Label, Value, Err, Hint string
	Required                                bool
	Options                                 [][2]string
}

// F describes an input of the page's form; kind is text, date,
// datetime-local, number, email, password or select:opt1,opt2.
func (p page) F(name, kind, labelKey string, required bool) field {
	f := field{ID: "f-" + name, Name: name, Type: kind, Label: p.T(labelKey), Value: p.Form.Get(name), Err: p.Fields[name],
		Required: required}
	if opts, ok := strings.CutPrefix(kind, "select:"); ok {
		f.Type = "select"
		for _, o := range strings.Split(opts, ",") {
			v, key, _ := strings.Cut(o, "=")
			label := v
			if key != "" {
				label = p.T(key)
			}
			f.Options = append(f.Options, [2]string{v, label})
		}
	}
	return f
}

func newPage(r *http.Request, u *tenant.User, nav string) page {
	p := page{Lang: guestLang(r), User: u, Nav: nav, Form: url.Values{}, Fields: map[string]string{}, top: new([]string)}
	if u != nil && u.Lang != "" {
		p.Lang = u.Lang
	}
	p.Here, p.Switch = here(r, u), switchURL(r, p.Lang)
	if f := r.URL.Query().Get("ok"); f != "" {
		p.Flash = p.T("ok_" + f)
	}
	return p
}

// withError fills a page with a domain error: its field problems go next
// to the fields; anything else goes on top. inputs maps the API's field
// names to the form's input names where they differ (one table per form);
// a problem no input shows is listed on top when the page is rendered.
func (p *page) withError(err error, inputs ...map[string]string) {
	if e, ok := errs.As(err); ok && e.Kind != errs.Internal {
		l := i18n.Indonesian
		if p.Lang == "en" {
			l = i18n.English
		}
		if len(e.Fields) > 0 {
			for k := range e.Fields {
				t := e.FieldText(k)
				p.Fields[inputOf(k, inputs)] = i18n.Sprintf(l, i18n.ForPeople(t.Format), t.Args...)
			}
			p.Error = p.T("fix_fields")
			return
		}
		t := e.Text()
		p.Error = i18n.Sprintf(l, i18n.ForPeople(t.Format), t.Args...)
		return
	}
	p.Error = p.T("internal")
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, view any) {
	t, ok := s.pages[name]
	if !ok {
		panic("no console template " + name)
	}
	var buf bytes.Buffer
	tmpl := "layout"
	if r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-Target") != "" && t.Lookup(r.Header.Get("HX-Target")) != nil {
		tmpl = r.Header.Get("HX-Target")
	}
	err := t.ExecuteTemplate(&buf, tmpl, view)
	if err == nil && unshown(view, buf.String()) {
		buf.Reset()
		err = t.ExecuteTemplate(&buf, tmpl, view)
	}
	if err != nil {
		s.Log.Error("render console page", "page", name, "err", err)
		http.Error(w, msg("id", "internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(labelCells(buf.Bytes()))
}

// status maps an error kind to the HTTP status of the page that shows it.
func status(err error) int {
	switch errs.KindOf(err) {
	case errs.Invalid, errs.Malformed:
		return http.StatusUnprocessableEntity
	case errs.NotFound:
		return http.StatusNotFound
	case errs.Conflict, errs.Precondition:
		return http.StatusConflict
	case errs.Forbidden:
		return http.StatusForbidden
	case errs.Unauthenticated:
		return http.StatusUnauthorized
	case errs.RateLimited:
		return http.StatusTooManyRequests
	case errs.TooLarge:
		return http.StatusRequestEntityTooLarge
	default:
		return http.StatusInternalServerError
	}
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, u *tenant.User, err error) {
	p := newPage(r, u, "")
	st := status(err)
	if st == http.StatusInternalServerError {
		s.Log.Error("console", "path", r.URL.Path, "err", err)
	}
	p.withError(err)
	if st == http.StatusNotFound {
		p.Error = p.T("not_found")
	}
	p.Title = p.T("error_title")
	s.render(w, r, st, "error", p)
}

// pathID reads a numeric path value; anything else is a missing page.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, errs.NotFoundf("not found")
	}
	return id, nil
}

// back redirects after a successful post (post/redirect/get), with a
// notice key.
func back(w http.ResponseWriter, r *http.Request, to, ok string) {
	if ok != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "ok=" + ok
	}
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// safeNext keeps a redirect (after sign-in, after switching language)
// inside the console: a path of this host whose cleaned form is still
// under /console/.
func safeNext(next, def string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") ||
		!strings.HasPrefix(next, Prefix) || !strings.HasPrefix(path.Clean(u.Path)+"/", Prefix) {
		return def
	}
	return next
}

func rupiah(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-Rp" + b.String()
	}
	return "Rp" + b.String()
}

var errNoSuchStep = errors.New("no such ledger step")
