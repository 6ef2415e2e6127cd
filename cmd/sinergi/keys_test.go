package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sinergi/certification"
)

func TestVerifyCredentialOffline(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, v any) string {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, raw, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	now := time.Date(2026, 12, 9, 2, 0, 0, 0, time.UTC)
	key, _ := certification.NewKey(now)
	other, _ := certification.NewKey(now)
	c := certification.Certificate{ID: 42, Number: "0001/X/CT/2026", HolderName: "Dewi", HolderNIP: "198503102010012003", Role: "lead",
		CourseID: 3, CourseName: "PKP", JP: 8, Issuer: "BPSDM", IssuedAt: now, Code: certification.NewCode(), Status: certification.Valid}
	certification.Sign(&c, key)
	cred := write("credential.json", certification.Badge(c, "https://sinergi.example.id", key))
	keys := write("keys.json", map[string]any{"keys": []any{key.JWK()}})
	strangers := write("other-keys.json", map[string]any{"keys": []any{other.JWK()}})
	valid := write("status.json", certification.StatusListCredential("https://sinergi.example.id/status/revocation", []int64{7}, key, now))
	revoked := write("revoked.json", certification.StatusListCredential("https://sinergi.example.id/status/revocation", []int64{42}, key, now))

	run := func(args ...string) (map[string]any, error) {
		var out bytes.Buffer
		err := verifyCredentialCmd(context.Background(), args, &out)
		var res map[string]any
		if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil {
			t.Fatalf("%v: not JSON: %q", args, out.String())
		}
		return res, err
	}
	res, err := run("-keys", keys, "-status", valid, cred)
	if err != nil || res["verified"] != true || res["proof_valid"] != true || res["issuer_known"] != true || res["status"] != "valid" {
		t.Fatalf("%v %v", res, err)
	}
	if _, ok := res["ProofValid"]; ok {
		t.Fatal("Go field names in the output")
	}
	if res, err := run("-keys", keys, cred); err != nil || res["status"] != "not_checked" {
		t.Fatalf("without a status list: %v %v", res, err)
	}
	if res, err := run("-keys", keys, "-status", revoked, cred); err == nil || res["status"] != "revoked" {
		t.Fatalf("revoked: %v %v", res, err)
	}
	if res, err := run("-keys", strangers, cred); err == nil || res["issuer_known"] != false {
		t.Fatalf("unknown key: %v %v", res, err)
	}
	raw, _ := os.ReadFile(cred)
	forged := filepath.Join(dir, "forged.json")
	_ = os.WriteFile(forged, []byte(strings.Replace(string(raw), "Dewi", "Dewa", 1)), 0o600)
	if res, err := run("-keys", keys, forged); err == nil || res["proof_valid"] != false {
		t.Fatalf("forged: %v %v", res, err)
	}
	t.Run("runs with no database configured", func(t *testing.T) {
		t.Setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
		var out bytes.Buffer
		if err := verifyCredentialCmd(context.Background(), []string{"-keys", keys, cred}, &out); err != nil {
			t.Fatal(err, out.String())
		}
	})
}
