// Package api is the HTTP face of Sinergi: the gin router, handlers and
// their DTOs, authentication by API key, and the one table that maps error
// kinds to statuses. It is the only package that knows HTTP.
package api

import (
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-playground/validator/v10"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/evaluation"
	"sinergi/idempotency"
	"sinergi/impact"
	"sinergi/incentive"
	"sinergi/internal/sheet"
	"sinergi/matching"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// Deps are what the handlers need; cmd/sinergi wires them.
type Deps struct {
	Tenants tenant.Service
	People  profile.Service
	// Roster imports people from spreadsheets.
	Roster       profile.Importer
	Scheduling   scheduling.Service
	Matching     matching.Service
	Incentives   incentive.Service
	Certificates certification.Service
	Calendar     BookingViews
	// Desk serves feeds and the outbox.
	Desk calendar.Desk
	// Mailer queues invites, updates and cancellations; nil sends none.
	Mailer  calendar.Mailer
	Replies calendar.Processor
	// Evaluations keeps participants' ratings of trainers.
	Evaluations evaluation.Service
	// Impact keeps course participants, action plans and their follow-up.
	Impact impact.Service
	// Organizer is the service mailbox that sends invites and reads replies.
	Organizer string
	// BaseURL is the public URL of the service, for links and feeds.
	BaseURL string
	// IncentiveSettings stores the yearly unpaid JP of internal widyaiswara.
	IncentiveSettings interface {
		SetMinimumJP(ctx context.Context, inst int64, jp int) error
	}
	Idempotency idempotency.Store
	// Ready reports whether the service can take traffic (the DB answers).
	Ready   func(ctx context.Context) error
	Log     *slog.Logger
	Now     func() time.Time
	MaxBody int64
	// Registry collects metrics; nil makes a fresh one.
	Registry *prometheus.Registry
	// KeyRate and ClientRate are requests per second allowed per API key
	// and per client address (bursts of twice that); 0 turns a limit off.
	KeyRate, ClientRate float64
	// RequestTimeout is every request's deadline (0: 20 s), shorter than
	// the idempotency lease so that a request never outlives its claim;
	// a roster import gets six times as long.
	RequestTimeout time.Duration
	// TrustedProxies are the addresses or CIDRs whose X-Forwarded-For is
	// believed; none by default, so that a client cannot choose its own
	// address (and its own rate limit) by sending the header.
	TrustedProxies []string
}

// Server holds the router and its dependencies.
type Server struct {
	Deps
	validate      *validator.Validate
	engine        *gin.Engine
	metrics       *metrics
	keyLimiter    *limiter
	clientLimiter *limiter
	keys          *keyCache
}

//go:embed openapi.yaml
var openapiSpec []byte

// optionalDeps may be left unset: they have defaults or are optional.
var optionalDeps = map[string]bool{"Log": true, "Now": true, "MaxBody": true, "Registry": true, "NewUID": true,
	"Costs": true, "LookupTXT": true}

// missingDeps lists the unset dependencies in v (a struct), by path, looking
// into the services it holds.
func missingDeps(v reflect.Value, path string, depth int) []string {
	var out []string
	for i := 0; i < v.NumField(); i++ {
		f, ft := v.Field(i), v.Type().Field(i)
		if !ft.IsExported() || optionalDeps[ft.Name] {
			continue
		}
		name := path + ft.Name
		switch f.Kind() {
		case reflect.Interface, reflect.Func, reflect.Map, reflect.Slice:
			if f.IsNil() && f.Kind() != reflect.Slice {
				out = append(out, name)
			}
		case reflect.Pointer:
			if f.IsNil() {
				out = append(out, name)
			} else if f.Elem().Kind() == reflect.Struct && depth > 0 {
				out = append(out, missingDeps(f.Elem(), name+".", depth-1)...)
			}
		case reflect.Struct:
			if depth > 0 && ft.Type.PkgPath() != "time" {
				out = append(out, missingDeps(f, name+".", depth-1)...)
			}
		}
	}
	return out
}

// New builds the router. It refuses dependencies left unset, so that a
// wiring mistake stops the start instead of failing the first request.
func New(d Deps) (*Server, error) {
	if missing := missingDeps(reflect.ValueOf(d), "", 2); len(missing) > 0 {
		return nil, fmt.Errorf("api: dependencies not set: %s", strings.Join(missing, ", "))
	}
	gin.SetMode(gin.ReleaseMode)
	if d.Log == nil {
		d.Log = slog.Default()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.MaxBody == 0 {
		d.MaxBody = 1 << 20
	}
	if d.RequestTimeout == 0 {
		d.RequestTimeout = 20 * time.Second
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	v := validator.New(validator.WithRequiredStructEnabled())
	// multiline marks a text field that may hold newlines; checkText
	// enforces it, the validator has nothing to do.
	_ = v.RegisterValidation("multiline", func(validator.FieldLevel) bool { return true })
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	s := &Server{Deps: d, validate: v, metrics: newMetrics(d.Registry),
		keyLimiter: newLimiter(d.KeyRate, int(2*d.KeyRate)), clientLimiter: newLimiter(d.ClientRate, int(2*d.ClientRate)),
		keys: newKeyCache(d.Now)}
	e := gin.New()
	if err := e.SetTrustedProxies(d.TrustedProxies); err != nil {
		return nil, fmt.Errorf("api: trusted proxies: %w", err)
	}
	e.HandleMethodNotAllowed = true
	e.ContextWithFallback = true
	e.Use(s.requestIDs, s.negotiateLanguage, s.accessLog, s.recoverPanics, s.metrics.observe, s.deadline, s.limitClient(), s.limitBody, checkQuery)
	e.NoRoute(func(c *gin.Context) { fail(c, errNoRoute) })
	e.NoMethod(func(c *gin.Context) {
		c.Status(http.StatusMethodNotAllowed)
		c.Abort()
		c.JSON(http.StatusMethodNotAllowed, errorBody{Error: errorDetail{Status: http.StatusMethodNotAllowed, Code: errNoMethod.Code,
			Message: tell(c, errNoMethod.Text()), RequestID: requestID(c)}})
	})

	e.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, healthOut{Status: "ok"}) })
	e.GET("/readyz", s.ready)
	e.GET("/metrics", gin.WrapH(promhttp.HandlerFor(d.Registry, promhttp.HandlerOpts{})))
	e.GET("/openapi.yaml", func(c *gin.Context) { c.Data(http.StatusOK, "application/yaml", openapiSpec) })
	docs := renderDocs()
	e.GET("/docs", func(c *gin.Context) { c.Data(http.StatusOK, "text/html; charset=utf-8", docs) })

	e.GET("/verify/:code", s.verify)
	e.POST("/verify/credential", s.verifyCredential)
	e.GET("/status/revocation", s.statusList)
	e.GET("/achievements/:id", s.achievement)
	e.GET("/feeds/:token", s.feed)
	e.HEAD("/feeds/:token", s.feed)
	e.GET("/v1/evaluations/forms/:token", s.getEvaluationForm)
	e.POST("/v1/evaluations/forms/:token", s.submitEvaluation)
	for purpose, path := range map[string]string{impact.PurposePlan: "/v1/impact/plans/:token",
		impact.PurposeProgress: "/v1/impact/progress/:token", impact.PurposeConfirm: "/v1/impact/confirmations/:token"} {
		e.GET(path, s.getImpactLink(purpose))
		e.POST(path, s.answerImpactLink(purpose))
	}
	e.GET("/r/:token", s.answer)
	e.POST("/r/:token", s.answer)
	e.GET("/.well-known/sinergi-keys.json", s.publicKeys)

	v1 := e.Group("/v1", s.authenticate, s.limitKey(), s.idempotent)
	v1.POST("/institutions", s.only(tenant.Admin), s.createInstitution)
	v1.GET("/institutions", s.only(tenant.Admin, tenant.Staff), s.listInstitutions)
	v1.GET("/institutions/:id", s.only(tenant.Admin, tenant.Staff), s.getInstitution)
	v1.POST("/institutions/:id/api-keys", s.only(tenant.Admin, tenant.Staff), s.createKey)
	v1.GET("/institutions/:id/api-keys", s.only(tenant.Admin, tenant.Staff), s.listKeys)
	v1.DELETE("/api-keys/:id", s.only(tenant.Admin, tenant.Staff, tenant.Trainer), s.revokeKey)

	v1.GET("/competencies", s.only(tenant.Admin, tenant.Staff, tenant.Trainer), s.listCompetencies)
	v1.POST("/competencies", s.only(tenant.Staff), s.createCompetency)

	v1.GET("/people", s.only(tenant.Staff), s.listPeople)
	v1.POST("/people", s.only(tenant.Staff), s.createPerson)
	v1.POST("/people/import", s.only(tenant.Staff), s.importPeople)
	v1.GET("/people/import/template.xlsx", s.only(tenant.Staff), importTemplate(sheet.XLSX))
	v1.GET("/people/import/template.csv", s.only(tenant.Staff), importTemplate(sheet.CSV))
	v1.GET("/people/:id", s.only(tenant.Staff, tenant.Trainer), s.getPerson)
	v1.PATCH("/people/:id", s.only(tenant.Staff, tenant.Trainer), s.patchPerson)
	v1.DELETE("/people/:id", s.only(tenant.Staff), s.archivePerson)
	v1.PUT("/people/:id/competencies", s.only(tenant.Staff, tenant.Trainer), s.putCompetencies)
	v1.GET("/people/:id/availability", s.only(tenant.Staff, tenant.Trainer), s.getAvailability)
	v1.PUT("/people/:id/availability", s.only(tenant.Staff, tenant.Trainer), s.putAvailability)
	v1.GET("/people/:id/freebusy", s.only(tenant.Staff, tenant.Trainer), s.freeBusy)

	v1.GET("/holidays", s.only(tenant.Admin, tenant.Staff, tenant.Trainer), s.listHolidays)
	v1.POST("/holidays", s.only(tenant.Admin), s.putHoliday)
	v1.DELETE("/holidays/:date", s.only(tenant.Admin), s.deleteHoliday)

	v1.POST("/courses", s.only(tenant.Staff), s.createCourse)
	v1.GET("/courses", s.only(tenant.Staff), s.listCourses)
	v1.GET("/courses/:id", s.only(tenant.Staff), s.getCourse)
	v1.POST("/courses/:id/sessions", s.only(tenant.Staff), s.createSession)
	v1.GET("/sessions", s.only(tenant.Staff), s.listSessions)
	v1.GET("/sessions/:id", s.only(tenant.Staff), s.getSession)
	v1.PATCH("/sessions/:id", s.only(tenant.Staff), s.patchSession)

	v1.POST("/sessions/:id/evaluation-forms", s.only(tenant.Staff), s.createEvaluationForm)
	v1.GET("/sessions/:id/candidates", s.only(tenant.Staff), s.candidates)
	v1.GET("/sessions/:id/pairs", s.only(tenant.Staff), s.pairs)
	v1.GET("/sessions/:id/slots", s.only(tenant.Staff), s.slots)
	v1.POST("/courses/:id/assignments", s.only(tenant.Staff), s.createAssignment)
	v1.POST("/courses/:id/assignments/:aid/apply", s.only(tenant.Staff), s.applyAssignment)
	v1.GET("/matching/settings", s.only(tenant.Staff), s.getMatchingSettings)
	v1.PUT("/matching/settings", s.only(tenant.Staff), s.putMatchingSettings)

	v1.GET("/courses/:id/participants", s.only(tenant.Staff), s.listParticipants)
	v1.POST("/courses/:id/participants", s.only(tenant.Staff), s.createParticipant)
	v1.POST("/courses/:id/participants/import", s.only(tenant.Staff), s.importParticipants)
	v1.GET("/participants/import/template.xlsx", s.only(tenant.Staff), participantTemplate(sheet.XLSX))
	v1.GET("/participants/import/template.csv", s.only(tenant.Staff), participantTemplate(sheet.CSV))
	v1.GET("/participants/:id", s.only(tenant.Staff), s.getParticipant)
	v1.PATCH("/participants/:id", s.only(tenant.Staff), s.patchParticipant)
	v1.DELETE("/participants/:id", s.only(tenant.Staff), s.deleteParticipant)
	v1.GET("/courses/:id/action-plans", s.only(tenant.Staff), s.actionPlans)
	v1.POST("/courses/:id/action-plans/invitations", s.only(tenant.Staff), s.invitePlans)
	v1.GET("/courses/:id/impact", s.only(tenant.Staff), s.courseImpact(false))
	v1.GET("/courses/:id/impact.xlsx", s.only(tenant.Staff), s.courseImpact(true))
	v1.GET("/impact/report", s.only(tenant.Staff), s.institutionImpact(false))
	v1.GET("/impact/report.xlsx", s.only(tenant.Staff), s.institutionImpact(true))
	v1.GET("/impact/settings", s.only(tenant.Staff), s.getImpactSettings)
	v1.PUT("/impact/settings", s.only(tenant.Staff), s.putImpactSettings)

	v1.GET("/rate-tables", s.only(tenant.Admin, tenant.Staff, tenant.Trainer), s.listRates)
	v1.POST("/rate-tables", s.only(tenant.Admin, tenant.Staff), s.createRate)
	v1.GET("/honoraria", s.only(tenant.Staff), s.listHonoraria)
	v1.POST("/honoraria/accrue", s.only(tenant.Staff), s.accrue)
	v1.POST("/honoraria/:id/approve", s.only(tenant.Staff), s.ledgerStep(s.approveHonorarium))
	v1.POST("/honoraria/:id/pay", s.only(tenant.Staff), s.ledgerStep(s.payHonorarium))
	v1.POST("/honoraria/:id/reverse", s.only(tenant.Staff), s.ledgerStep(s.reverseHonorarium))
	v1.GET("/honoraria/export.csv", s.only(tenant.Staff), s.exportCSV)
	v1.GET("/honoraria/export.xlsx", s.only(tenant.Staff), s.exportXLSX)
	v1.GET("/incentive/settings", s.only(tenant.Staff), s.getIncentiveSettings)
	v1.PUT("/incentive/settings", s.only(tenant.Staff), s.putIncentiveSettings)

	v1.POST("/certificates", s.only(tenant.Staff), s.issueCertificates)
	v1.GET("/certificates/:id", s.only(tenant.Staff, tenant.Trainer), s.getCertificate)
	v1.GET("/certificates/:id/credential.json", s.only(tenant.Staff, tenant.Trainer), s.credential)
	v1.POST("/certificates/:id/revoke", s.only(tenant.Staff), s.revokeCertificate)
	v1.POST("/certificates/:id/reissue", s.only(tenant.Staff), s.reissueCertificate)
	v1.GET("/certificate-settings", s.only(tenant.Staff), s.getCertSettings)
	v1.PUT("/certificate-settings", s.only(tenant.Staff), s.putCertSettings)
	v1.POST("/signing-keys/rotate", s.only(tenant.Admin), s.rotateKey)

	v1.GET("/bookings/:id/invite.ics", s.only(tenant.Staff, tenant.Trainer), s.invite)
	v1.HEAD("/bookings/:id/invite.ics", s.only(tenant.Staff, tenant.Trainer), s.invite)
	v1.POST("/itip/inbound", s.only(tenant.MailGateway), s.inbound)
	v1.GET("/itip/messages", s.only(tenant.Staff), s.listMessages)
	v1.POST("/itip/messages/:id/resolve", s.only(tenant.Staff), s.resolveMessage)
	v1.GET("/outbox", s.only(tenant.Staff), s.listOutbox)
	v1.POST("/outbox/:id/retry", s.only(tenant.Staff), s.retryOutbox)
	v1.GET("/outbox/:id/preview", s.only(tenant.Staff), s.previewOutbox)
	v1.POST("/feed-tokens", s.only(tenant.Staff, tenant.Trainer), s.createFeedToken)
	v1.POST("/feed-tokens/revoke", s.only(tenant.Staff, tenant.Trainer), s.revokeFeedToken)

	v1.POST("/bookings", s.only(tenant.Staff), s.createBooking)
	v1.GET("/bookings", s.only(tenant.Staff, tenant.Trainer), s.listBookings)
	v1.GET("/bookings/:id", s.only(tenant.Staff, tenant.Trainer), s.getBooking)
	v1.POST("/bookings/:id/transitions", s.only(tenant.Staff, tenant.Trainer), s.transitionBooking)

	s.engine = e
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// Routes lists the method and path template of every route, for the
// OpenAPI completeness test.
func (s *Server) Routes() [][2]string {
	var out [][2]string
	for _, r := range s.engine.Routes() {
		out = append(out, [2]string{r.Method, r.Path})
	}
	return out
}

func (s *Server) ready(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
	defer cancel()
	if s.Ready != nil {
		if err := s.Ready(ctx); err != nil {
			s.Log.Warn("not ready", "err", err)
			c.JSON(http.StatusServiceUnavailable, healthOut{Status: "unavailable", Database: "unreachable"})
			return
		}
	}
	c.JSON(http.StatusOK, healthOut{Status: "ready", Database: "ok"})
}

// healthOut answers the probes.
type healthOut struct {
	Status   string `json:"status"`
	Database string `json:"database,omitempty"`
}
