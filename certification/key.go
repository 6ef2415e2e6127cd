package certification

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"time"
)

// Key is a signing key. Retired keys keep only their public half in use:
// old certificates still verify after a rotation.
type Key struct {
	ID        string
	Public    ed25519.PublicKey
	Private   ed25519.PrivateKey
	Active    bool
	CreatedAt time.Time
	// RetiredAt is when a newer key took over; nil for the active key.
	RetiredAt *time.Time
}

// NewKey makes a key whose id is derived from its public key.
func NewKey(now time.Time) (Key, error) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return Key{}, err
	}
	return Key{ID: KeyID(pub), Public: pub, Private: priv, Active: true, CreatedAt: now}, nil
}

// KeyFromSeed makes the key of a 32-byte seed (from configuration).
func KeyFromSeed(seed []byte, now time.Time) Key {
	priv := ed25519.NewKeyFromSeed(seed)
	pub := priv.Public().(ed25519.PublicKey)
	return Key{ID: KeyID(pub), Public: pub, Private: priv, Active: true, CreatedAt: now}
}

// KeyID is the RFC 7638-style thumbprint of an Ed25519 public key.
func KeyID(pub ed25519.PublicKey) string {
	x := base64.RawURLEncoding.EncodeToString(pub)
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	return base64.RawURLEncoding.EncodeToString(sum[:])[:16]
}

// JWK is a public key as JSON Web Key.
func (k Key) JWK() map[string]any {
	return map[string]any{"kty": "OKP", "crv": "Ed25519", "x": base64.RawURLEncoding.EncodeToString(k.Public), "kid": k.ID,
		"use": "sig", "alg": "EdDSA"}
}
