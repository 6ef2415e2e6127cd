package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"gorm.io/gorm"

	"sinergi/audit"
	"sinergi/demo"
	"sinergi/errs"
	"sinergi/postgres"
	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// seedCmd loads the demo roster (once: institutions already present are
// left alone) and prints fresh keys, which are shown only now.
func seedCmd(ctx context.Context, cfg config, db *gorm.DB, log *slog.Logger, withDemo bool, seed uint64, adminKey bool) error {
	ctx = audit.WithActor(ctx, audit.Actor{Role: "seed"})
	tenants, people := services(db)
	if !withDemo && !adminKey {
		return fmt.Errorf("nothing to do: give --admin-key, --demo or both")
	}
	var firstInst int64
	if withDemo {
		ids, err := loadDemo(ctx, tenants, people, db, log, seed)
		if err != nil {
			return err
		}
		firstInst = ids[0]
	}
	if adminKey {
		_, secret, err := tenants.IssueKey(ctx, tenant.APIKey{Role: tenant.Admin, Name: "seed admin"})
		if err != nil {
			return err
		}
		fmt.Printf("admin key (shown once): %s\n", secret)
	}
	if withDemo {
		_, secret, err := tenants.IssueKey(ctx, tenant.APIKey{Role: tenant.Staff, InstitutionID: firstInst, Name: "demo staff"})
		if err != nil {
			return err
		}
		fmt.Printf("staff key of BPSDM-JABAR (shown once): %s\n", secret)
		fmt.Printf("try: curl -s -H 'Authorization: Bearer %s' '%s/v1/people?kind=practitioner&limit=5'\n", secret, cfg.BaseURL)
		var session int64
		db.Raw("SELECT min(s.id) FROM sessions s WHERE s.institution_id = ?", firstInst).Scan(&session)
		fmt.Printf("and:  curl -s -H 'Authorization: Bearer %s' '%s/v1/sessions/%d/candidates?role=co_trainer&limit=3'\n", secret, cfg.BaseURL, session)
	}
	return nil
}

// loadDemo creates the demo institutions that do not exist yet and returns
// the ids of all three.
func loadDemo(ctx context.Context, tenants tenant.Service, people profile.Service, db *gorm.DB, log *slog.Logger, seed uint64) ([]int64, error) {
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
		inst, err := loadInstitution(ctx, people, db, d)
		if err != nil {
			return nil, fmt.Errorf("demo %s: %w", d.Tenant.Code, err)
		}
		log.Info("demo institution loaded", "code", d.Tenant.Code, "people", len(d.People))
		ids = append(ids, inst)
	}
	return ids, nil
}

func loadInstitution(ctx context.Context, people profile.Service, db *gorm.DB, d demo.Institution) (int64, error) {
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
		for _, dp := range d.People {
			p, err := ps.Create(ctx, inst.ID, dp.Person)
			if err != nil {
				return fmt.Errorf("person %s: %w", dp.Person.Email, err)
			}
			cs := make([]profile.PersonCompetency, len(dp.Levels))
			for i, l := range dp.Levels {
				cs[i] = profile.PersonCompetency{CompetencyID: idOf[l.Code], Level: l.Level, Years: l.Years, SessionsTaught: l.SessionsTaught}
			}
			if _, err := ps.ReplaceCompetencies(ctx, inst.ID, p.ID, cs); err != nil {
				return fmt.Errorf("competencies of %s: %w", dp.Person.Email, err)
			}
		}
		return loadCourse(ctx, tx, people, inst.ID, demo.Courses(d))
	})
	return instID, err
}

// loadCourse adds the demo course; a session that falls on a national
// holiday is left out rather than forced.
func loadCourse(ctx context.Context, tx *gorm.DB, people profile.Service, inst int64, d demo.Course) error {
	svc := scheduling.Service{Store: postgres.SchedulingStore{DB: tx}, People: postgres.PeopleStore{DB: tx}, Now: people.Now}
	course, err := svc.CreateCourse(ctx, inst, d.Course)
	if err != nil {
		return fmt.Errorf("demo course: %w", err)
	}
	for _, s := range d.Sessions {
		if _, _, err := svc.CreateSession(ctx, inst, course.ID, s, false); err != nil && !errors.Is(err, scheduling.ErrHoliday) {
			return fmt.Errorf("demo session %s: %w", s.Topic, err)
		}
	}
	return nil
}
