// Package app wires Sinergi's object graph: the one constructor that
// `sinergi serve`, the worker, the seeder and the tests all use, so that
// what the tests exercise is what the binary serves.
package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/semaphore"
	"gorm.io/gorm"

	"sinergi/api"
	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/console"
	"sinergi/evaluation"
	"sinergi/impact"
	"sinergi/incentive"
	"sinergi/matching"
	"sinergi/postgres"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// Config is what the graph is built from; cmd/sinergi reads it from the
// environment and flags, tests set it directly.
type Config struct {
	BaseURL  string
	MailFrom string
	// Buffer is the travel buffer between offline sessions at different venues.
	Buffer      time.Duration
	RequireDKIM bool
	// KEK seals the certificate signing keys (32 bytes).
	KEK                 []byte
	KeyRate, ClientRate float64
	// RequestTimeout is each request's deadline (0: the API's default).
	RequestTimeout time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For is believed.
	TrustedProxies []string
	Log            *slog.Logger
	// Now is the clock of every service and store; nil is the system clock.
	Now func() time.Time
	// LookupTXT resolves DKIM keys; nil uses DNS.
	LookupTXT func(domain string) ([]string, error)
	// NewUID makes calendar UIDs; nil makes random ones.
	NewUID func() string
	// Registry collects metrics; nil makes a fresh one.
	Registry *prometheus.Registry
	// MatchDB is a pool of its own for matching's reads, so that a burst of
	// bookings holding every connection of the main pool cannot make
	// ranking queue; nil shares the main pool. Watch holds one of its
	// connections to listen for the database's notifications.
	MatchDB *gorm.DB
	// MaxBookingTx bounds the booking transactions that run at once (the
	// others wait their turn): 0 is 1, below 0 no bound.
	MaxBookingTx int
	// MatchingPoll is how often Watch refreshes the matching index when no
	// notification came (0: every second).
	MatchingPoll time.Duration
}

// App is the wired service.
type App struct {
	DB      *gorm.DB
	Tx      postgres.Transactor
	Tenants tenant.Service
	People  profile.Service
	// Roster imports people from spreadsheets (the API's and the console's).
	Roster       profile.Importer
	Scheduling   scheduling.Service
	Matching     matching.Service
	Incentives   incentive.Service
	Certificates certification.Service
	Keys         postgres.KeyStore
	Outbox       postgres.OutboxStore
	Postman      calendar.Postman
	Replies      calendar.Processor
	Idempotency  postgres.IdempotencyStore
	// Impact is the follow-up of courses; ImpactScheduler moves it on.
	Impact          impact.Service
	ImpactScheduler impact.Scheduler
	// Accounts signs people in to the console.
	Accounts tenant.Accounts
	// API is the HTTP API; Console the web console under /console/.
	API     *api.Server
	Console *console.Server
	// Handler serves both: what `sinergi serve` listens with.
	Handler http.Handler

	matchDB *gorm.DB
	poll    time.Duration
	log     *slog.Logger
}

// New builds the object graph over db.
func New(db *gorm.DB, cfg Config) (*App, error) {
	now := cfg.Now
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	a := &App{DB: db, Tx: postgres.Transactor{DB: db}}
	a.Tenants = tenant.Service{Store: postgres.TenantStore{DB: db, Now: now}}
	a.People = profile.Service{Store: postgres.PeopleStore{DB: db, KEK: cfg.KEK, Now: now}, Now: now}
	sched := postgres.SchedulingStore{DB: db, Now: now}
	ms := postgres.MatchingStore{DB: db, Now: now}
	is := postgres.IncentiveStore{DB: db}
	a.Outbox = postgres.OutboxStore{CalendarStore: postgres.CalendarStore{DB: db, Now: now}, KEK: cfg.KEK}
	a.Postman = calendar.Postman{Store: a.Outbox, Organizer: cfg.MailFrom, BaseURL: cfg.BaseURL, Now: now}
	a.Incentives = incentive.Service{Store: is, Scheduling: sched, People: a.People.Store, Tx: a.Tx, Now: now}
	// Booking transactions take turns (admitted); the use cases that book
	// inside a transaction of their own (applying a proposal, a calendar
	// reply) take their turn for it, so that what they book inside joins
	// it instead of waiting for a second turn while holding the first.
	var bookingTx scheduling.Tx = a.Tx
	switch {
	case cfg.MaxBookingTx == 0:
		bookingTx = admitted{tx: a.Tx, sem: semaphore.NewWeighted(defaultBookingTx)}
	case cfg.MaxBookingTx > 0:
		bookingTx = admitted{tx: a.Tx, sem: semaphore.NewWeighted(int64(cfg.MaxBookingTx))}
	}
	a.Scheduling = scheduling.Service{Store: sched, People: a.People.Store, Tx: bookingTx, Now: now, Buffer: cfg.Buffer,
		NewUID: cfg.NewUID, Notify: notifier{a.Postman}, Accrue: accruer{a.Incentives}, Trail: sched}
	matchDB := cfg.MatchDB
	if matchDB == nil {
		matchDB = db
	}
	a.matchDB, a.poll, a.log = matchDB, cfg.MatchingPoll, cfg.Log
	if a.poll <= 0 {
		a.poll = defaultMatchingPoll
	}
	reads := postgres.MatchingStore{DB: matchDB, Now: now}
	a.Matching = matching.Service{Cache: &matching.Cache{Loader: reads}, Scheduling: postgres.SchedulingStore{DB: matchDB, Now: now},
		Settings: reads, Inputs: reads, Proposals: ms, Tx: bookingTx, Booker: a.Scheduling, Buffer: cfg.Buffer, NewUID: cfg.NewUID,
		Costs: incentive.MatchingCosts(postgres.IncentiveStore{DB: matchDB})}
	a.Keys = postgres.KeyStore{DB: db, KEK: cfg.KEK, Now: now}
	a.Certificates = certification.Service{Store: postgres.CertificateStore{DB: db, Now: now}, Keys: a.Keys, Tx: a.Tx, Now: now, BaseURL: cfg.BaseURL}
	a.Replies = calendar.Processor{Store: a.Outbox, Tx: bookingTx, Mailer: a.Postman, RequireDKIM: cfg.RequireDKIM,
		LookupTXT: cfg.LookupTXT, Transition: answer(a.Scheduling), Now: now}
	a.Idempotency = postgres.IdempotencyStore{DB: db}
	a.Impact = impact.Service{Store: postgres.ImpactStore{DB: db}, Tx: a.Tx, Now: now, BaseURL: cfg.BaseURL, From: cfg.MailFrom}
	a.ImpactScheduler = impact.Scheduler{Service: a.Impact, Interval: time.Minute, Batch: 50, Log: cfg.Log}
	a.Accounts = tenant.Accounts{Store: postgres.AccountStore{DB: db, Now: now}, Tx: a.Tx, Mail: a.Postman, Now: now}
	a.Roster = profile.Importer{Store: postgres.PeopleStore{DB: db, KEK: cfg.KEK, Now: now}, Tx: a.Tx, Now: now}
	srv, err := api.New(api.Deps{
		Tenants:           a.Tenants,
		People:            a.People,
		Roster:            a.Roster,
		Scheduling:        a.Scheduling,
		Matching:          a.Matching,
		Incentives:        a.Incentives,
		IncentiveSettings: is,
		Certificates:      a.Certificates,
		Calendar:          a.Outbox.CalendarStore,
		Desk:              calendar.Desk{Store: a.Outbox},
		Mailer:            a.Postman,
		Replies:           a.Replies,
		Evaluations:       evaluation.Service{Store: postgres.EvaluationStore{DB: db, Now: now}},
		Impact:            a.Impact,
		Organizer:         cfg.MailFrom,
		BaseURL:           cfg.BaseURL,
		Idempotency:       a.Idempotency,
		Ready:             func(ctx context.Context) error { return postgres.Ping(ctx, db) },
		Log:               cfg.Log,
		Now:               now,
		Registry:          cfg.Registry,
		KeyRate:           cfg.KeyRate,
		ClientRate:        cfg.ClientRate,
		RequestTimeout:    cfg.RequestTimeout,
		TrustedProxies:    cfg.TrustedProxies,
	})
	if err != nil {
		return nil, err
	}
	a.API = srv
	a.Console, err = console.New(console.Deps{Accounts: a.Accounts, Tenants: a.Tenants, People: a.People, Roster: a.Roster,
		Scheduling: a.Scheduling, Matching: a.Matching, Incentives: a.Incentives, Certificates: a.Certificates,
		Impact: a.Impact, Feeds: a.Outbox.CalendarStore, Replies: a.Replies, Export: a.API.Export, BaseURL: cfg.BaseURL, Log: cfg.Log, Now: now})
	if err != nil {
		return nil, err
	}
	a.Handler = mount(a.API, a.Console)
	return a, nil
}

// mount serves the console under /console/ and everything else from the
// API; neither knows of the other.
func mount(apiHandler, consoleHandler http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/console" {
			http.Redirect(w, r, console.Prefix, http.StatusMovedPermanently)
			return
		}
		if strings.HasPrefix(r.URL.Path, console.Prefix) {
			consoleHandler.ServeHTTP(w, r)
			return
		}
		apiHandler.ServeHTTP(w, r)
	})
}

// notifier queues a booking's calendar message through the postman.
type notifier struct{ p calendar.Postman }

func (n notifier) Notify(ctx context.Context, b scheduling.Booking, note scheduling.Notice) error {
	method := "REQUEST"
	if note.Kind == scheduling.NoticeCancel {
		method = "CANCEL"
	}
	var was *calendar.Change
	if note.Was != nil {
		was = &calendar.Change{Start: note.Was.Start, End: note.Was.End, Venue: note.Was.Venue, Mode: string(note.Was.Mode)}
	}
	return n.p.Queue(ctx, b.InstitutionID, b.ID, method, was)
}

// accruer drafts the honorarium of a completed booking in its class by
// default.
type accruer struct{ s incentive.Service }

func (a accruer) Accrue(ctx context.Context, inst, bookingID int64) (int64, error) {
	h, err := a.s.Accrue(ctx, inst, bookingID, "")
	return h.ID, err
}

// answer applies a trainer's answer (from a calendar reply) through the
// scheduling use case.
func answer(s scheduling.Service) func(ctx context.Context, person, booking int64, status string) error {
	return func(ctx context.Context, person, booking int64, status string) error {
		_, _, err := s.TransitionBooking(ctx, scheduling.Scope{PersonID: person}, booking, scheduling.Status(status), 0)
		if err != nil {
			return fmt.Errorf("answer booking %d: %w", booking, err)
		}
		return nil
	}
}
