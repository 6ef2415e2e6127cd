package tenant

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("kata sandi yang panjang")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with the OWASP parameters", h)
	}
	if !CheckPassword(h, "kata sandi yang panjang") || CheckPassword(h, "kata sandi yang panjanG") || CheckPassword(h, "") {
		t.Fatal("the check does not tell the password from others")
	}
	h2, _ := HashPassword("kata sandi yang panjang")
	if h2 == h {
		t.Fatal("two hashes of one password share a salt")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", "$argon2id$v=18$m=19456,t=2,p=1$c2FsdA$a2V5", h[:len(h)-10] + "!!!"} {
		if CheckPassword(bad, "x") {
			t.Errorf("malformed hash %q accepted", bad)
		}
	}
}

// The hash checked when nobody has the address must be well formed, so
// that the check costs what a real one does.
func TestDummyHashIsReal(t *testing.T) {
	parts := strings.Split(dummyHash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[3] != "m=19456,t=2,p=1" {
		t.Fatalf("dummy hash %q", dummyHash)
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	key, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(key) != argonKeyLen {
		t.Fatalf("dummy hash does not decode: %v %v (%d, %d bytes)", err1, err2, len(salt), len(key))
	}
}

func TestNormalizeEmail(t *testing.T) {
	for in, want := range map[string]string{" Staf@BPSDM.go.id ": "staf@bpsdm.go.id", "a@b": "a@b"} {
		if got, ok := NormalizeEmail(in); !ok || got != want {
			t.Errorf("NormalizeEmail(%q) = %q, %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "staf", "Staf <staf@x.id>", "a@b, c@d"} {
		if _, ok := NormalizeEmail(bad); ok {
			t.Errorf("NormalizeEmail(%q) accepted", bad)
		}
	}
}
