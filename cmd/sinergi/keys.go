package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"gorm.io/gorm"

	"sinergi/audit"
	"sinergi/certification"
	"sinergi/postgres"
)

func certService(cfg config, db *gorm.DB) (certification.Service, error) {
	kek, err := cfg.kek()
	if err != nil {
		return certification.Service{}, err
	}
	return certification.Service{Store: postgres.CertificateStore{DB: db}, Keys: postgres.KeyStore{DB: db, KEK: kek},
		Now: time.Now, BaseURL: cfg.BaseURL}, nil
}

func keysCmd(ctx context.Context, cfg config, db *gorm.DB, args []string) error {
	ctx = audit.WithActor(ctx, audit.Actor{Role: "cli"})
	svc, err := certService(cfg, db)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return errors.New("usage: sinergi keys list|rotate")
	}
	switch args[0] {
	case "rotate":
		k, err := svc.Keys.Rotate(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("new signing key %s (%s); older keys stay published for verification\n", k.ID, certification.DIDKey(k.Public))
		return nil
	case "list":
		keys, err := svc.Keys.Keys(ctx)
		if err != nil {
			return err
		}
		for _, k := range keys {
			state := "retired"
			if k.Active {
				state = "active"
			}
			fmt.Printf("%s  %-7s  %s  %s\n", k.ID, state, k.CreatedAt.UTC().Format(time.RFC3339), certification.DIDKey(k.Public))
		}
		return nil
	default:
		return fmt.Errorf("unknown keys command %q: use list or rotate", args[0])
	}
}

func verifyCredentialCmd(ctx context.Context, cfg config, db *gorm.DB, args []string) error {
	if len(args) != 1 {
		return errors.New("usage: sinergi verify-credential FILE")
	}
	raw, err := os.ReadFile(args[0])
	if err != nil {
		return err
	}
	svc, err := certService(cfg, db)
	if err != nil {
		return err
	}
	res, err := svc.VerifyCredential(ctx, raw)
	if err != nil {
		return err
	}
	out, _ := json.MarshalIndent(res, "", "  ")
	fmt.Println(string(out))
	if !res.ProofValid || !res.IssuerKnown || res.Status != "valid" {
		return errors.New("the credential does not verify")
	}
	return nil
}
