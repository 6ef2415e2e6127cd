// Command sinergi runs the Sinergi service.
//
//	sinergi serve              serve the HTTP API
//	sinergi migrate up|down|status
//	sinergi seed [--demo] [--seed N] [--admin-key] [--keys-file PATH]
//	sinergi import FILE --institution CODE [--apply]
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

	"sinergi/app"
	"sinergi/calendar"
	"sinergi/certification"
	"sinergi/postgres"
	"sinergi/profile"
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
  import FILE --institution CODE [--apply]
                   check a roster spreadsheet (XLSX or CSV) and, with --apply, upsert it
  worker           send queued mail and move impact follow-ups on (serve runs both unless --worker=false)
  user create --email ADDRESS --role staff|admin [--institution CODE] [--name NAME] [--password-stdin]
                   add a console user; prints a one-time password unless one is read from stdin
  keys list|rotate list the certificate signing keys, or retire the active one and make a new one
  verify-credential -keys FILE|URL [-status FILE|URL] FILE
                   check an Open Badges credential offline: proof, issuer key (against the key set)
                   and, given the status list, revocation; prints snake_case JSON

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
		keysFile := fs.String("keys-file", "", "keep the keys in this file (mode 600) and reuse them on later runs")
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return seedCmd(ctx, cfg, db, log, time.Now, *demoFlag, *seed, *adminKey, *keysFile)
		})
	case "import":
		inst := fs.String("institution", "", "code of the institution whose roster the file is (required)")
		apply := fs.Bool("apply", false, "write the file (default: dry run, report only)")
		files, err := parseInterleaved(fs, rest)
		if err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return importCmd(ctx, db, os.Stdout, *inst, files, *apply)
		})
	case "worker":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			// The worker seals and signs nothing: without SIGNING_KEK it
			// still sends mail, settles deferred calendar replies and moves
			// impact follow-ups on.
			kek, err := cfg.kek()
			if err != nil && cfg.SigningKEK != "" {
				return err
			}
			a, err := app.New(db, cfg.app(kek, log))
			if err != nil {
				return err
			}
			w, err := mailWorker(cfg, a.Outbox, log)
			if err != nil {
				return err
			}
			w.Replies = a.Replies
			go a.ImpactScheduler.Run(ctx)
			log.Info("mail worker and impact follow-up scheduler running")
			w.Run(ctx)
			return nil
		})
	case "user":
		inst := fs.String("institution", "", "code of the user's institution (staff)")
		email := fs.String("email", "", "the user's e-mail, used to sign in")
		name := fs.String("name", "", "the user's name")
		role := fs.String("role", "staff", "staff or admin")
		stdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
		pos, err := parseInterleaved(fs, rest)
		if err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return userCmd(ctx, db, os.Stdout, os.Stdin, pos, *inst, *email, *name, *role, *stdin)
		})
	case "keys":
		if err := fs.Parse(rest); err != nil {
			return err
		}
		return withDB(cfg, func(ctx context.Context, db *gorm.DB, log *slog.Logger) error {
			return keysCmd(ctx, cfg, db, fs.Args())
		})
	case "verify-credential": // offline: no database, no configuration
		return verifyCredentialCmd(context.Background(), rest, os.Stdout)
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
	// Tax numbers are sealed under the same key as the signing keys.
	if n, err := (postgres.PeopleStore{DB: db, KEK: kek}).SealTaxIDs(ctx); err != nil {
		return fmt.Errorf("seal stored tax numbers: %w", err)
	} else if n > 0 {
		log.Info("sealed stored tax numbers", "count", n)
	}
	// Mail queued before messages were sealed is sealed now.
	if n, err := (postgres.OutboxStore{CalendarStore: postgres.CalendarStore{DB: db}, KEK: kek}).SealMessages(ctx); err != nil {
		return fmt.Errorf("seal queued mail: %w", err)
	} else if n > 0 {
		log.Info("sealed queued mail", "count", n)
	}
	// Requests get a pool of their own whose statements and stalls are
	// time-limited, so a frozen database answers 503 instead of hanging;
	// migrations and start-up work above ran without those limits.
	opts := postgres.Options{MaxConns: cfg.DBMaxConns, StatementTimeout: cfg.StatementTimeout}
	if cfg.StatementTimeout > 0 {
		opts.StallTimeout = cfg.StatementTimeout + 500*time.Millisecond
	}
	served, err := postgres.OpenWith(ctx, cfg.DatabaseURL, opts)
	if err != nil {
		return fmt.Errorf("database at %s: %w", redactURL(cfg.DatabaseURL), err)
	}
	defer postgres.Close(served)
	db = served
	appCfg := cfg.app(kek, log)
	if cfg.DBMatchingConns > 0 {
		// Ranking reads through a pool of its own (see app.Config.MatchDB).
		openCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		// Building the ranking index reads the whole roster: its pool
		// allows four times as long, still inside a request's deadline.
		mopts := postgres.Options{MaxConns: cfg.DBMatchingConns, StatementTimeout: 4 * cfg.StatementTimeout}
		if mopts.StatementTimeout > 0 {
			mopts.StallTimeout = mopts.StatementTimeout + 500*time.Millisecond
		}
		if appCfg.MatchDB, err = postgres.OpenWith(openCtx, postgres.MatchingDSN(cfg.DatabaseURL), mopts); err != nil {
			return fmt.Errorf("matching pool: %w", err)
		}
		defer postgres.Close(appCfg.MatchDB)
	}
	a, err := app.New(db, appCfg)
	if err != nil {
		return err
	}
	if cfg.SMTPURL != "" && cfg.RunWorker {
		w, err := mailWorker(cfg, a.Outbox, log)
		if err != nil {
			return err
		}
		w.Replies = a.Replies
		go w.Run(ctx)
	} else if cfg.SMTPURL == "" {
		log.Warn("SMTP_URL is not set: invitations wait in the outbox until it is")
	}
	if cfg.RunWorker {
		// Follow-ups open, remind and expire on their dates; the mail waits
		// in the outbox until a mail worker sends it.
		go a.ImpactScheduler.Run(ctx)
	}
	go a.Watch(ctx) // matching index and API key cache woken by the database's notifications
	go purge(ctx, a.Idempotency, postgres.MatchingStore{DB: db}, a.Accounts, log)
	handler := a.Handler
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

// purge drops, hourly, remembered responses older than a day, matching
// change records too old for any replica to patch from, and ended console
// sessions, spent sign-in links and old sign-in failures.
func purge(ctx context.Context, store postgres.IdempotencyStore, ms postgres.MatchingStore, accounts tenant.Accounts, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := store.Purge(ctx, time.Now(), 24*time.Hour); err != nil && ctx.Err() == nil {
			log.Warn("purge idempotency keys", "err", err)
		} else if n > 0 {
			log.Info("purged idempotency keys", "count", n)
		}
		if err := ms.PurgeChanges(ctx, 200000); err != nil && ctx.Err() == nil {
			log.Warn("purge matching changes", "err", err)
		}
		if n, err := accounts.Purge(ctx); err != nil && ctx.Err() == nil {
			log.Warn("purge console sessions", "err", err)
		} else if n > 0 {
			log.Info("purged ended console sessions, links and failures", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
