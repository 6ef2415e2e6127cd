package tenant

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"sinergi/errs"
)

func TestNewSecret(t *testing.T) {
	a, prefix, hash, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _, _ := NewSecret()
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(a, KeyPrefix))
	if err != nil || len(raw) != 32 {
		t.Fatalf("secret %q carries %d bytes, want 32 (256 bits)", a, len(raw))
	}
	if a == b || !strings.HasPrefix(a, prefix) || len(prefix) != len(KeyPrefix)+8 {
		t.Fatalf("secrets %q %q prefix %q", a, b, prefix)
	}
	if !bytes.Equal(hash, HashSecret(a)) || bytes.Contains(hash, []byte(a)) || len(hash) != 32 {
		t.Fatal("hash is not the SHA-256 of the secret")
	}
}

func TestInstitutionNormalize(t *testing.T) {
	in := Institution{Code: " bpsdm-ntt ", Name: "  BPSDM   Provinsi NTT ", Kind: "bpsdm_provinsi", Zone: "Asia/Makassar"}
	if err := in.Normalize(); err != nil || in.Code != "BPSDM-NTT" || in.Name != "BPSDM Provinsi NTT" {
		t.Fatalf("%+v %v", in, err)
	}
	bad := Institution{Code: "x", Name: "ab", Kind: "sekolah", Zone: "UTC"}
	e, _ := errs.As(bad.Normalize())
	for _, f := range []string{"code", "name", "kind", "zone"} {
		if e == nil || e.Fields[f] == "" {
			t.Errorf("field %s not refused: %v", f, e)
		}
	}
}
