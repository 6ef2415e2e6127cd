// Command sinergi runs the Sinergi service.
//
//	sinergi serve              serve the HTTP API
//	sinergi migrate up|down|status
//	sinergi seed [--demo] [--seed N] [--admin-key]
//
// Configuration comes from the environment (DATABASE_URL, LISTEN_ADDR,
// BASE_URL, …); flags of the same name override it.
package main

import (
	"context"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"sinergi/api"
	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/incentive"
	"sinergi/matching"
	"sinergi/postgres"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		// One line, even when a driver error spans several.
		fmt.Fprintln(os.Stderr, "sinergi:", strings.Join(strings.Fields(err.Error()), " "))
		os.Exit(1)
	}
}

const usage = `usage: sinergi <command> [flags]

commands:
  serve            serve the HTTP API
  migrate up       apply pending migrations
  migrate down     roll back the last migration
  migrate status   list migrations and whether they are applied
  seed             create a first admin key (--admin-key) and/or the demo roster (--demo)
  worker           send queued mail (serve runs one too unless --worker=false)
  keys list|rotate list the certificate signing keys, or retire the active one and make a new one
  verify-credential FILE
                   check an Open Badges credential file: proof, issuer key and revocation status

run "sinergi <command> -h" for the flags of a command`

func run(args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	cmd, rest := args[0], args[1:]
	var cfg config
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	cfg.register(fs)
	switch cmd {
	case "serve":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error { return serve(ctx, cfg, db, log) })
	case "migrate":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return migrate(ctx, db, log, fs.Args())
		})
	case "seed":
		demoFlag := fs.Bool("demo", false, "load the demo roster (3 institutions, 60 widyaiswara, 300 practitioners)")
		seed := fs.Uint64("seed", 42, "seed of the demo generator")
		adminKey := fs.Bool("admin-key", false, "create and print a new admin key")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return seedCmd(ctx, cfg, db, log, *demoFlag, *seed, *adminKey)
		})
	case "worker":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			w, err := mailWorker(cfg, postgres.OutboxStore{CalendarStore: postgres.CalendarStore{DB: db}}, log)
			if err != nil {
				return err
			}
			log.Info("mail worker running")
			w.Run(ctx)
			return nil
		})
	case "keys":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return keysCmd(ctx, cfg, db, fs.Args())
		})
	case "verify-credential":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return verifyCredentialCmd(ctx, cfg, db, fs.Args())
		})
	case "help", "-h", "--help":
		fmt.Println(usage)
		return nil
	default:
		return fmt.Errorf("unknown command %q\n%s", cmd, usage)
	}
}

// withDB validates the configuration, connects and runs f. A bad value or
// an unreachable database is one line and exit status 1.
func withDB(cfg config, f func(ctx context.Context, db *gorm.DB, log *slog.Logger) error) error {
	if err := cfg.validate(); err != nil {
		return err
	}
	level, _ := parseLevel(cfg.LogLevel)
	log := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	slog.SetDefault(log)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	openCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	db, err := postgres.Open(openCtx, cfg.DatabaseURL, cfg.DBMaxConns)
	if err != nil {
		return fmt.Errorf("database at %s: %w", redactURL(cfg.DatabaseURL), err)
	}
	defer postgres.Close(db)
	return f(ctx, db, log)
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}

func services(db *gorm.DB) (tenant.Service, profile.Service) {
	return tenant.Service{Store: postgres.TenantStore{DB: db}},
		profile.Service{Store: postgres.PeopleStore{DB: db}, Now: time.Now}
}

func serve(ctx context.Context, cfg config, db *gorm.DB, log *slog.Logger) error {
	if cfg.MigrateOnStart {
		if err := postgres.MigrateUp(ctx, db, log); err != nil {
			return err
		}
	}
	kek, err := cfg.kek()
	if err != nil {
		return err
	}
	keys := postgres.KeyStore{DB: db, KEK: kek}
	if cfg.SigningKey != "" {
		seed, _ := base64.StdEncoding.DecodeString(cfg.SigningKey)
		if err := keys.Add(ctx, certification.KeyFromSeed(seed, time.Now())); err != nil {
			return fmt.Errorf("install the configured signing key: %w", err)
		}
	}
	if _, err := keys.Active(ctx); err != nil {
		return fmt.Errorf("signing key: %w", err)
	}
	tenants, people := services(db)
	sched := postgres.SchedulingStore{DB: db}
	schedSvc := scheduling.Service{Store: sched, People: people.Store, Now: time.Now, Buffer: cfg.BookingBuffer}
	ms := postgres.MatchingStore{DB: db}
	// Ranking reads through a pool of its own: a burst of bookings that
	// holds every connection of the main pool cannot make it queue.
	matchDB := db
	if cfg.DBMatchingConns > 0 {
		openCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if matchDB, err = postgres.Open(openCtx, postgres.MatchingDSN(cfg.DatabaseURL), cfg.DBMatchingConns); err != nil {
			return fmt.Errorf("matching pool: %w", err)
		}
		defer postgres.Close(matchDB)
	}
	matchReads := postgres.MatchingStore{DB: matchDB}
	outbox := postgres.OutboxStore{CalendarStore: postgres.CalendarStore{DB: db}}
	postman := calendar.Postman{Store: outbox, Organizer: cfg.MailFrom, OrganizerName: "Sinergi", BaseURL: cfg.BaseURL, Now: time.Now}
	if cfg.SMTPURL != "" && cfg.RunWorker {
		w, err := mailWorker(cfg, outbox, log)
		if err != nil {
			return err
		}
		go w.Run(ctx)
	} else if cfg.SMTPURL == "" {
		log.Warn("SMTP_URL is not set: invitations wait in the outbox until it is")
	}
	go purge(ctx, postgres.IdempotencyStore{DB: db}, ms, log)
	handler := api.New(api.Deps{
		Tenants:    tenants,
		People:     people,
		Scheduling: schedSvc,
		Matching: matching.Service{Cache: &matching.Cache{Loader: matchReads}, Scheduling: postgres.SchedulingStore{DB: matchDB},
			Settings: matchReads, Proposals: ms, Buffer: cfg.BookingBuffer, Costs: incentive.MatchingCosts(postgres.IncentiveStore{DB: matchDB})},
		Incentives:        incentive.Service{Store: postgres.IncentiveStore{DB: db}, Scheduling: sched, People: people.Store, Now: time.Now},
		IncentiveSettings: postgres.IncentiveStore{DB: db},
		Certificates: certification.Service{Store: postgres.CertificateStore{DB: db}, Keys: keys, Now: time.Now,
			BaseURL: cfg.BaseURL},
		Calendar:  postgres.CalendarStore{DB: db},
		Organizer: cfg.MailFrom,
		BaseURL:   cfg.BaseURL,
		Outbox:    outbox,
		Mailer:    postman,
		Replies: calendar.Processor{Store: outbox, Mailer: postman, RequireDKIM: cfg.RequireDKIM,
			Transition: func(ctx context.Context, person, booking int64, status string) error {
				_, err := schedSvc.TransitionBooking(ctx, scheduling.Scope{PersonID: person}, booking, scheduling.Status(status), 0)
				return err
			}},
		Idempotency: postgres.IdempotencyStore{DB: db},
		Ready:       func(ctx context.Context) error { return postgres.Ping(ctx, db) },
		Log:         log,
		KeyRate:     cfg.KeyRate,
		ClientRate:  cfg.ClientRate,
	})
	srv := &http.Server{
		Addr:              cfg.ListenAddr,
		Handler:           handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("serving", "addr", cfg.ListenAddr, "base_url", cfg.BaseURL)
	select {
	case err := <-errc:
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.ShutdownTimeout)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

func migrate(ctx context.Context, db *gorm.DB, log *slog.Logger, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: sinergi migrate up|down|status")
	}
	p, err := postgres.Migrator(db)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		return postgres.MigrateUp(ctx, db, log)
	case "down":
		r, err := p.Down(ctx)
		if err != nil {
			return fmt.Errorf("migrate down: %w", err)
		}
		fmt.Printf("rolled back %d %s\n", r.Source.Version, r.Source.Path)
		return nil
	case "status":
		list, err := p.Status(ctx)
		if err != nil {
			return fmt.Errorf("migration status: %w", err)
		}
		for _, s := range list {
			applied := "pending"
			if !s.AppliedAt.IsZero() {
				applied = "applied " + s.AppliedAt.UTC().Format(time.RFC3339)
			}
			fmt.Printf("%05d  %-40s %s\n", s.Source.Version, s.Source.Path, applied)
		}
		return nil
	default:
		return fmt.Errorf("unknown migrate command %q: use up, down or status", args[0])
	}
}

// mailWorker sends the outbox through SMTP_URL.
func mailWorker(cfg config, outbox postgres.OutboxStore, log *slog.Logger) (calendar.Worker, error) {
	smtp, err := calendar.ParseSMTP(cfg.SMTPURL, cfg.MailFrom)
	if err != nil {
		return calendar.Worker{}, err
	}
	return calendar.Worker{Store: outbox, Send: smtp.Send, Interval: 5 * time.Second, Batch: 20, MaxAttempts: 10, Log: log}, nil
}

// purge drops, hourly, remembered responses older than a day and matching
// change records too old for any replica to patch from.
func purge(ctx context.Context, store postgres.IdempotencyStore, ms postgres.MatchingStore, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := store.Purge(ctx, 24*time.Hour); err != nil && ctx.Err() == nil {
			log.Warn("purge idempotency keys", "err", err)
		} else if n > 0 {
			log.Info("purged idempotency keys", "count", n)
		}
		if err := ms.PurgeChanges(ctx, 200000); err != nil && ctx.Err() == nil {
			log.Warn("purge matching changes", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
