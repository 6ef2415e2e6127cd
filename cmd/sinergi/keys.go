package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
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
	return certification.Service{Store: postgres.CertificateStore{DB: db}, Keys: postgres.KeyStore{DB: db, KEK: kek}, Tx: postgres.Transactor{DB: db},
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

// credentialCheck is what verify-credential prints.
type credentialCheck struct {
	Verified    bool     `json:"verified"`
	ProofValid  bool     `json:"proof_valid"`
	IssuerKnown bool     `json:"issuer_known"`
	Status      string   `json:"status"`
	Errors      []string `json:"errors"`
}

// verifyCredentialCmd checks an Open Badges credential offline, against a
// key set (a file, or the URL of /.well-known/sinergi-keys.json) and
// optionally the status list (-status FILE|URL); it needs no database.
func verifyCredentialCmd(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify-credential", flag.ContinueOnError)
	keysFrom := fs.String("keys", "", "key set: a file or the URL of /.well-known/sinergi-keys.json (required)")
	statusFrom := fs.String("status", "", "status list credential: a file or the URL of /status/revocation (optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *keysFrom == "" {
		return errors.New("usage: sinergi verify-credential -keys FILE|URL [-status FILE|URL] CREDENTIAL.json")
	}
	raw, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return err
	}
	keySet, err := readFileOrURL(ctx, *keysFrom)
	if err != nil {
		return err
	}
	keys, err := certification.KeySet(keySet)
	if err != nil {
		return err
	}
	var list []byte
	if *statusFrom != "" {
		if list, err = readFileOrURL(ctx, *statusFrom); err != nil {
			return err
		}
	}
	res := certification.CheckOffline(raw, keys, list)
	out := credentialCheck{ProofValid: res.ProofValid, IssuerKnown: res.IssuerKnown, Status: res.Status, Errors: res.Errors}
	out.Verified = res.ProofValid && res.IssuerKnown && res.Status != "revoked" && res.Status != "unknown"
	if out.Errors == nil {
		out.Errors = []string{}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	if !out.Verified {
		return errors.New("the credential does not verify")
	}
	return nil
}

// readFileOrURL reads a local file, or fetches an http(s) URL.
func readFileOrURL(ctx context.Context, from string) ([]byte, error) {
	if !strings.HasPrefix(from, "https://") && !strings.HasPrefix(from, "http://") {
		return os.ReadFile(from)
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, from, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", from, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: %s", from, resp.Status)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}
