package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"strings"
	"time"

	"gorm.io/gorm"

	"sinergi/app"
	"sinergi/audit"
	"sinergi/demo"
	"sinergi/errs"
	"sinergi/evaluation"
	"sinergi/incentive"
	"sinergi/postgres"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// seedCmd loads the demo roster (once: institutions already present are
// left alone) and prints keys. With keysFile, the keys are written there
// (mode 600) the first time and read back on later runs while they still
// work, so seeding again adds no keys; without it, fresh keys are made and
// shown only now. The demo's dates are drawn from now: its coming course
// lies ahead of it and its past course behind.
func seedCmd(ctx context.Context, cfg config, db *gorm.DB, log *slog.Logger, now func() time.Time, withDemo bool, seed uint64, adminKey bool,
	keysFile string) error {
	ctx = audit.WithActor(ctx, audit.Actor{Role: "seed"})
	tenants, people := services(db)
	people.Now = now
	if !withDemo && !adminKey {
		return fmt.Errorf("nothing to do: give --admin-key, --demo or both")
	}
	var firstInst int64
	if withDemo {
		ids, err := loadDemo(ctx, cfg, tenants, people, db, log, seed)
		if err != nil {
			return err
		}
		firstInst = ids[0]
	}
	want := []demoKey{}
	if adminKey {
		want = append(want, demoKey{Name: "admin", Key: tenant.APIKey{Role: tenant.Admin, Name: "seed admin"}})
	}
	if withDemo {
		want = append(want, demoKey{Name: "staff BPSDM-JABAR", Key: tenant.APIKey{Role: tenant.Staff, InstitutionID: firstInst, Name: "demo staff"}})
	}
	keys, reused, err := demoKeys(ctx, tenants, keysFile, want)
	if err != nil {
		return err
	}
	switch {
	case reused:
		fmt.Printf("demo keys (kept in %s; seeding again reuses them):\n", keysFile)
	case keysFile != "":
		fmt.Printf("demo keys (new; kept in %s, mode 600):\n", keysFile)
	default:
		fmt.Println("keys (shown once):")
	}
	for _, k := range keys {
		fmt.Printf("  %s: %s\n", k.Name, k.Secret)
	}
	if withDemo {
		staff := keys[len(keys)-1].Secret
		fmt.Printf("try: curl -s -H 'Authorization: Bearer %s' '%s/v1/people?kind=practitioner&limit=5'\n", staff, cfg.BaseURL)
		var session int64
		db.Raw(`SELECT min(s.id) FROM sessions s JOIN courses c ON c.id = s.course_id
			WHERE s.institution_id = ? AND c.name = ?`, firstInst, demo.Courses(demo.Generate(seed)[0], demo.Calendar{Today: now()}).Course.Name).Scan(&session)
		fmt.Printf("and:  curl -s -H 'Authorization: Bearer %s' '%s/v1/sessions/%d/candidates?role=co_trainer&limit=3'\n", staff, cfg.BaseURL, session)
		kept := map[string]string{}
		if keysFile != "" {
			if kept, err = readKeys(keysFile); err != nil {
				return err
			}
		}
		email, password, err := demoConsoleUser(ctx, db, firstInst, kept)
		if err != nil {
			return fmt.Errorf("demo console user: %w", err)
		}
		if password != "" && kept["console"] != password && keysFile != "" {
			f, err := os.OpenFile(keysFile, os.O_APPEND|os.O_WRONLY, 0o600)
			if err != nil {
				return err
			}
			_, err = fmt.Fprintf(f, "console=%s\n", password)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("keep the console password: %w", err)
			}
		}
		if password == "" {
			password = "(shown when it was made; `sinergi user create` adds another)"
		}
		fmt.Printf("console (web): %s/console/  sign in as %s with password %s\n", cfg.BaseURL, email, password)
		var trainer string
		db.Raw(`SELECT email FROM people WHERE institution_id = ? AND kind = 'practitioner' AND archived_at IS NULL ORDER BY id LIMIT 1`,
			firstInst).Scan(&trainer)
		fmt.Printf("trainer portal: %s/console/trainer/login (try %s; the sign-in link is e-mailed, see the mail catcher)\n",
			cfg.BaseURL, trainer)
	}
	return nil
}

// demoKey is a key the seed hands out, with the name it is printed under.
type demoKey struct {
	Name   string
	Key    tenant.APIKey
	Secret string
}

// demoKeys returns the keys of want: those in keysFile when every one of
// them still authenticates with the right role, else new ones, which it
// writes to keysFile (mode 600) when one is given.
func demoKeys(ctx context.Context, tenants tenant.Service, keysFile string, want []demoKey) ([]demoKey, bool, error) {
	if keysFile != "" {
		kept, err := readKeys(keysFile)
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, false, err
		}
		ok := err == nil
		for i := range want {
			secret := kept[want[i].Name]
			p, aerr := tenants.Authenticate(ctx, secret)
			if secret == "" || aerr != nil || p.Role != want[i].Key.Role || p.InstitutionID != want[i].Key.InstitutionID {
				ok = false
				break
			}
			want[i].Secret = secret
		}
		if ok {
			return want, true, nil
		}
	}
	for i := range want {
		_, secret, err := tenants.IssueKey(ctx, want[i].Key)
		if err != nil {
			return nil, false, err
		}
		want[i].Secret = secret
	}
	if keysFile == "" {
		return want, false, nil
	}
	var b strings.Builder
	b.WriteString("# Sinergi demo keys, written by sinergi seed; seeding again reuses them while they work.\n")
	for _, k := range want {
		fmt.Fprintf(&b, "%s=%s\n", k.Name, k.Secret)
	}
	if err := os.WriteFile(keysFile, []byte(b.String()), 0o600); err != nil {
		return nil, false, fmt.Errorf("keep the demo keys: %w", err)
	}
	// WriteFile keeps the mode of a file that already exists.
	if err := os.Chmod(keysFile, 0o600); err != nil {
		return nil, false, err
	}
	return want, false, nil
}

func readKeys(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if name, secret, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			out[name] = secret
		}
	}
	return out, sc.Err()
}

// loadDemo creates the demo institutions that do not exist yet and returns
// the ids of all three.
func loadDemo(ctx context.Context, cfg config, tenants tenant.Service, people profile.Service, db *gorm.DB, log *slog.Logger, seed uint64) ([]int64, error) {
	var ids []int64
	for _, d := range demo.Generate(seed) {
		existing, err := tenants.Store.InstitutionByCode(ctx, d.Tenant.Code)
		if err == nil {
			log.Info("demo institution already present", "code", d.Tenant.Code)
			ids = append(ids, existing.ID)
			continue
		}
		if errs.KindOf(err) != errs.NotFound {
			return nil, err
		}
		inst, err := loadInstitution(ctx, cfg, people, db, log, d)
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", d.Tenant.Code, err)
		}
		log.Info("demo institution loaded", "code", d.Tenant.Code, "people", len(d.People))
		ids = append(ids, inst)
	}
	return ids, nil
}

func loadInstitution(ctx context.Context, cfg config, people profile.Service, db *gorm.DB, log *slog.Logger, d demo.Institution) (int64, error) {
	var instID int64
	err := db.Transaction(func(tx *gorm.DB) error {
		ts := tenant.Service{Store: postgres.TenantStore{DB: tx}}
		ps := profile.Service{Store: postgres.PeopleStore{DB: tx}, Now: people.Now}
		inst, err := ts.CreateInstitution(ctx, d.Tenant)
		if err != nil {
			return err
		}
		instID = inst.ID
		for _, c := range d.Teknis {
			if _, err := ps.CreateCompetency(ctx, inst.ID, c); err != nil {
				return err
			}
		}
		taxonomy, err := ps.Store.Competencies(ctx, inst.ID)
		if err != nil {
			return err
		}
		idOf := map[string]int64{}
		for _, c := range taxonomy {
			idOf[c.Code] = c.ID
		}
		personOf := map[string]int64{}
		for _, dp := range d.People {
			p, err := ps.Create(ctx, inst.ID, dp.Person)
			if err != nil {
				return fmt.Errorf("person %s: %w", dp.Person.Email, err)
			}
			personOf[p.Email] = p.ID
			cs := make([]profile.PersonCompetency, len(dp.Levels))
			for i, l := range dp.Levels {
				cs[i] = profile.PersonCompetency{CompetencyID: idOf[l.Code], Level: l.Level, Years: l.Years, SessionsTaught: l.SessionsTaught}
			}
			if _, err := ps.ReplaceCompetencies(ctx, inst.ID, p.ID, cs); err != nil {
				return fmt.Errorf("competencies of %s: %w", dp.Person.Email, err)
			}
		}
		cal, err := demoCalendar(ctx, tx, people.Now())
		if err != nil {
			return err
		}
		if err := loadCourse(ctx, tx, people, inst.ID, demo.Courses(d, cal)); err != nil {
			return err
		}
		return loadJourney(ctx, tx, cfg, people.Now, log, inst.ID, d, cal, personOf)
	})
	return instID, err
}

// demoCalendar is today with the holidays the database holds around it,
// which the demo's sessions step past.
func demoCalendar(ctx context.Context, tx *gorm.DB, now time.Time) (demo.Calendar, error) {
	from, to := demo.Window(now)
	hs, err := postgres.SchedulingStore{DB: tx}.Holidays(ctx, from, to)
	if err != nil {
		return demo.Calendar{}, fmt.Errorf("holidays for the demo: %w", err)
	}
	return demo.Calendar{Today: now, Holidays: hs}, nil
}

// loadCourse adds the demo's coming course; its sessions are on workdays
// (demo.Calendar), so a holiday refusal is a fault, not something to skip.
func loadCourse(ctx context.Context, tx *gorm.DB, people profile.Service, inst int64, d demo.Course) error {
	svc := scheduling.Service{Store: postgres.SchedulingStore{DB: tx}, People: postgres.PeopleStore{DB: tx}, Now: people.Now}
	course, err := svc.CreateCourse(ctx, inst, d.Course)
	if err != nil {
		return fmt.Errorf("demo course: %w", err)
	}
	for _, s := range d.Sessions {
		if _, _, err := svc.CreateSession(ctx, inst, course.ID, s, false); err != nil {
			return fmt.Errorf("demo session %s: %w", s.Topic, err)
		}
	}
	return nil
}

// loadJourney gives the institution what a newcomer needs to walk the
// whole journey: example rate lines for the diklat classes, a certificate
// signer, and a past course whose bookings were taught and completed,
// rated by participants, drafted as honoraria and, for the first
// co-trainer, certified. It goes through the same use cases as the API.
func loadJourney(ctx context.Context, tx *gorm.DB, cfg config, now func() time.Time, log *slog.Logger, inst int64, d demo.Institution,
	cal demo.Calendar, personOf map[string]int64) error {
	kek, _ := cfg.kek() // without one, the demo has no certificate (below)
	appCfg := cfg.app(kek, log)
	appCfg.Now = now
	a, err := app.New(tx, appCfg)
	if err != nil {
		return err
	}
	svc, inc := a.Scheduling, a.Incentives
	if err := loadRates(ctx, inc, inst, demo.Rates(d, cal)); err != nil {
		return err
	}
	certs := postgres.CertificateStore{DB: tx}
	signer := demo.Signer(d)
	if err := signer.Validate(now()); err != nil {
		return fmt.Errorf("demo signer: %w", err)
	}
	if err := certs.PutSettings(ctx, inst, signer); err != nil {
		return err
	}

	past := demo.Past(d, cal)
	course, err := svc.CreateCourse(ctx, inst, past.Course)
	if err != nil {
		return fmt.Errorf("past course: %w", err)
	}
	forms := postgres.EvaluationStore{DB: tx}
	for _, ps := range past.Sessions {
		sess, _, err := svc.CreateSession(ctx, inst, course.ID, ps.Session, false)
		if err != nil {
			return fmt.Errorf("past session %s: %w", ps.Session.Topic, err)
		}
		for _, t := range []struct {
			email string
			role  scheduling.Role
		}{{ps.Lead, scheduling.Lead}, {ps.CoTrainer, scheduling.CoTrainer}} {
			b, err := svc.Book(ctx, inst, scheduling.BookRequest{SessionID: sess.ID, PersonID: personOf[t.email], Role: t.role})
			if err != nil {
				return fmt.Errorf("book %s on %s: %w", t.email, ps.Session.Topic, err)
			}
			// The history is walked at its own time: invited and answered
			// the week before the session, completed after it.
			before := svc
			before.Now = func() time.Time { return sess.Start.AddDate(0, 0, -7) }
			for _, to := range []scheduling.Status{scheduling.Invited, scheduling.Accepted, scheduling.Confirmed, scheduling.Completed} {
				var fx scheduling.Effects
				walk := before
				if to == scheduling.Completed {
					walk = svc
				}
				if b, fx, err = walk.TransitionBooking(ctx, scheduling.Scope{InstitutionID: inst}, b.ID, to, 0); err != nil {
					return fmt.Errorf("booking %d to %s: %w", b.ID, to, err)
				}
				if fx.HonorariumError != nil {
					return fmt.Errorf("honorarium of booking %d: %w", b.ID, fx.HonorariumError)
				}
			}
		}
		if err := rateSession(ctx, forms, inst, sess.ID); err != nil {
			return err
		}
	}
	if kek == nil {
		log.Warn("no certificate in the demo: SIGNING_KEK is not set (make run sets it)")
		return nil
	}
	if _, err := a.Certificates.Issue(ctx, inst, course.ID, personOf[past.Sessions[0].CoTrainer], 0); err != nil {
		return fmt.Errorf("demo certificate: %w", err)
	}
	return nil
}

// loadRates adds the example ceilings the table does not have yet.
func loadRates(ctx context.Context, inc incentive.Service, inst int64, rates []incentive.Rate) error {
	have, err := inc.Store.Rates(ctx, inst)
	if err != nil {
		return err
	}
	type key struct {
		year   int
		region string
		class  incentive.Class
		fund   scheduling.Funding
	}
	seen := map[key]bool{}
	for _, r := range have {
		if r.InstitutionID == 0 {
			seen[key{r.FiscalYear, r.Region, r.Class, r.Funding}] = true
		}
	}
	for _, r := range rates {
		if seen[key{r.FiscalYear, r.Region, r.Class, r.Funding}] {
			continue
		}
		if _, err := inc.CreateRate(ctx, 0, r); err != nil {
			return fmt.Errorf("demo rate %s %d: %w", r.Class, r.FiscalYear, err)
		}
	}
	return nil
}

// rateSession has the demo's participants rate the session's trainers
// through an evaluation form, as they would from the link.
func rateSession(ctx context.Context, forms postgres.EvaluationStore, inst, sessionID int64) error {
	secret, _, err := forms.NewForm(ctx, inst, sessionID, 14*24*time.Hour)
	if err != nil {
		return err
	}
	f, err := forms.Form(ctx, secret)
	if err != nil {
		return err
	}
	allowed := map[int64]bool{}
	for _, t := range f.Trainers {
		allowed[t.BookingID] = true
	}
	for n := range demo.Participants {
		var ratings []evaluation.Rating
		for _, t := range f.Trainers {
			ratings = append(ratings, evaluation.Rating{BookingID: t.BookingID, Scores: demo.Scores(n, t.Role == string(scheduling.Lead))})
		}
		if err := evaluation.Validate(ratings, allowed); err != nil {
			return err
		}
		if err := forms.Submit(ctx, f, ratings); err != nil {
			return fmt.Errorf("evaluation of session %d: %w", sessionID, err)
		}
	}
	return nil
}
