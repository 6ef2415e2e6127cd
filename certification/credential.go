package certification

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"strings"
	"time"
)

const b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58 encodes in the Bitcoin alphabet (multibase base58btc without its
// "z" prefix).
func base58(b []byte) string {
	n := new(big.Int).SetBytes(b)
	var out []byte
	mod, radix := new(big.Int), big.NewInt(58)
	for n.Sign() > 0 {
		n.DivMod(n, radix, mod)
		out = append(out, b58[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

func unbase58(s string) ([]byte, error) {
	n := new(big.Int)
	for _, r := range s {
		i := strings.IndexRune(b58, r)
		if i < 0 {
			return nil, fmt.Errorf("not base58: %q", r)
		}
		n.Mul(n, big.NewInt(58)).Add(n, big.NewInt(int64(i)))
	}
	out := n.Bytes()
	for _, r := range s {
		if r != '1' {
			break
		}
		out = append([]byte{0}, out...)
	}
	return out, nil
}

// DIDKey is the did:key of an Ed25519 public key (multicodec 0xed01).
func DIDKey(pub ed25519.PublicKey) string {
	return "did:key:z" + base58(append([]byte{0xed, 0x01}, pub...))
}

// VerificationMethod is the did:key URL that names the key in proofs.
func VerificationMethod(pub ed25519.PublicKey) string {
	did := DIDKey(pub)
	return did + "#" + strings.TrimPrefix(did, "did:key:")
}

func publicFromDIDKey(vm string) (ed25519.PublicKey, error) {
	did, _, _ := strings.Cut(vm, "#")
	mb, ok := strings.CutPrefix(did, "did:key:z")
	if !ok {
		return nil, errors.New("verificationMethod is not an Ed25519 did:key")
	}
	raw, err := unbase58(mb)
	if err != nil || len(raw) != 2+ed25519.PublicKeySize || raw[0] != 0xed || raw[1] != 0x01 {
		return nil, errors.New("verificationMethod is not an Ed25519 did:key")
	}
	return ed25519.PublicKey(raw[2:]), nil
}

// hashData is what eddsa-jcs-2022 signs: SHA-256 of the canonical proof
// options followed by SHA-256 of the canonical document without proof.
func hashData(doc, proofConfig map[string]any) []byte {
	a := sha256.Sum256(canonicalJSON(proofConfig))
	b := sha256.Sum256(canonicalJSON(doc))
	return append(a[:], b[:]...)
}

// Prove adds a DataIntegrityProof (cryptosuite eddsa-jcs-2022) to doc.
func Prove(doc map[string]any, key Key, created time.Time) map[string]any {
	config := map[string]any{"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
		"created": created.UTC().Format(time.RFC3339), "verificationMethod": VerificationMethod(key.Public),
		"proofPurpose": "assertionMethod", "@context": doc["@context"]}
	sig := ed25519.Sign(key.Private, hashData(doc, config))
	proof := map[string]any{}
	for k, v := range config {
		if k != "@context" {
			proof[k] = v
		}
	}
	proof["proofValue"] = "z" + base58(sig)
	out := map[string]any{}
	for k, v := range doc {
		out[k] = v
	}
	out["proof"] = proof
	return out
}

// CheckProof verifies a document's eddsa-jcs-2022 proof and returns the
// public key that made it.
func CheckProof(raw []byte) (ed25519.PublicKey, map[string]any, error) {
	var doc map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("not a JSON object: %w", err)
	}
	proof, ok := doc["proof"].(map[string]any)
	if !ok {
		return nil, doc, errors.New("no proof")
	}
	if proof["type"] != "DataIntegrityProof" || proof["cryptosuite"] != "eddsa-jcs-2022" {
		return nil, doc, errors.New("the proof is not a DataIntegrityProof with cryptosuite eddsa-jcs-2022")
	}
	vm, _ := proof["verificationMethod"].(string)
	pub, err := publicFromDIDKey(vm)
	if err != nil {
		return nil, doc, err
	}
	pv, _ := proof["proofValue"].(string)
	sig, err := unbase58(strings.TrimPrefix(pv, "z"))
	if !strings.HasPrefix(pv, "z") || err != nil || len(sig) != ed25519.SignatureSize {
		return nil, doc, errors.New("proofValue is not a base58btc Ed25519 signature")
	}
	unsecured := map[string]any{}
	for k, v := range doc {
		if k != "proof" {
			unsecured[k] = v
		}
	}
	config := map[string]any{"@context": doc["@context"]}
	for k, v := range proof {
		if k != "proofValue" {
			config[k] = v
		}
	}
	if !ed25519.Verify(pub, hashData(unsecured, config), sig) {
		return pub, doc, errors.New("the signature does not match the document")
	}
	return pub, doc, nil
}

// StatusListBits is the minimum length of a status list (W3C Bitstring
// Status List §6.1: 131,072 bits, for herd privacy).
const StatusListBits = 131072

// statusListSize is the length in bits of the list holding revoked: the
// minimum, doubled until every index fits.
func statusListSize(revoked []int64) int64 {
	size := int64(StatusListBits)
	for _, i := range revoked {
		for i >= size {
			size *= 2
		}
	}
	return size
}

// EncodeStatusList returns the multibase (base64url, "u") GZIP bitstring
// with the given indices set; bit 0 is the leftmost.
func EncodeStatusList(revoked []int64) string {
	bits := make([]byte, statusListSize(revoked)/8)
	for _, i := range revoked {
		bits[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(bits)
	_ = zw.Close()
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes())
}

// StatusBit reads one index of an encoded status list.
func StatusBit(encoded string, index int64) (bool, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(encoded, "u"))
	if err != nil || !strings.HasPrefix(encoded, "u") {
		return false, errors.New("encodedList is not multibase base64url")
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return false, err
	}
	bits, err := io.ReadAll(io.LimitReader(zr, 1<<24))
	if err != nil {
		return false, err
	}
	if index < 0 || index/8 >= int64(len(bits)) {
		return false, errors.New("statusListIndex is outside the list")
	}
	return bits[index/8]&(0x80>>(index%8)) != 0, nil
}

// Contexts of the credentials.
const (
	contextVC = "https://www.w3.org/ns/credentials/v2"
	contextOB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// StatusListCredential is the signed revocation list.
func StatusListCredential(url string, revoked []int64, key Key, now time.Time) map[string]any {
	doc := map[string]any{
		"@context": []any{contextVC}, "id": url, "type": []any{"VerifiableCredential", "BitstringStatusListCredential"},
		"issuer": DIDKey(key.Public), "validFrom": now.UTC().Format(time.RFC3339),
		"credentialSubject": map[string]any{"id": url + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
			"encodedList": EncodeStatusList(revoked)},
	}
	return Prove(doc, key, now)
}

// AchievementID is the URL of the achievement a certificate attests:
// one per course and role; it serves the achievement's JSON.
func AchievementID(baseURL string, courseID int64, role string) string {
	return fmt.Sprintf("%s/achievements/course-%d-%s", baseURL, courseID, achievementRole(role))
}

func achievementRole(role string) string {
	if role == "lead" {
		return "lead"
	}
	return "co-trainer"
}

// ParseAchievementID reads the course and role out of the last segment
// of an achievement URL (course-12-lead, course-12-co-trainer).
func ParseAchievementID(segment string) (int64, string, bool) {
	rest, ok := strings.CutPrefix(segment, "course-")
	if !ok {
		return 0, "", false
	}
	id, role, ok := strings.Cut(rest, "-")
	n, err := strconv.ParseInt(id, 10, 64)
	if !ok || err != nil || n < 1 {
		return 0, "", false
	}
	switch role {
	case "lead":
		return n, "lead", true
	case "co-trainer":
		return n, "co_trainer", true
	}
	return 0, "", false
}

// Achievement is the Open Badges 3.0 Achievement a certificate attests,
// with the JP a session earns as its credits (1 JP = 45 minutes).
func Achievement(c Certificate, baseURL string) map[string]any {
	return map[string]any{
		"id":          AchievementID(baseURL, c.CourseID, c.Role),
		"type":        []any{"Achievement"},
		"name":        c.RoleLabel() + " " + c.CourseName,
		"description": fmt.Sprintf("%s pada %s, %s s.d. %s.", c.RoleLabel(), c.CourseName, Tanggal(c.StartDate), Tanggal(c.EndDate)),
		"criteria":    map[string]any{"narrative": "Menyelesaikan sesi pelatihan sebagai " + c.RoleLabel() + "; 1 JP = 45 menit."},
		"creator":     map[string]any{"type": []any{"Profile"}, "name": c.Issuer},
	}
}

// Badge is the certificate as an Open Badges 3.0 OpenBadgeCredential
// (VC data model 2.0) with an eddsa-jcs-2022 proof. The holder is named,
// an ASN holder also by NIP; the JP taught are the credits earned.
func Badge(c Certificate, baseURL string, key Key) map[string]any {
	statusURL := baseURL + "/status/revocation"
	identifiers := []any{map[string]any{"type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": c.HolderName}}
	if c.HolderNIP != "" {
		identifiers = append(identifiers, map[string]any{"type": "IdentityObject", "identityType": "ext:NIP", "hashed": false,
			"identityHash": c.HolderNIP})
	}
	issuer := map[string]any{"id": DIDKey(key.Public), "type": []any{"Profile"}, "name": c.Issuer}
	doc := map[string]any{
		"@context":  []any{contextVC, contextOB},
		"id":        baseURL + "/verify/" + c.Code,
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"issuer":    issuer,
		"validFrom": c.IssuedAt.UTC().Format(time.RFC3339),
		"name":      "Sertifikat " + c.RoleLabel() + ": " + c.CourseName,
		"credentialSubject": map[string]any{
			"type":          []any{"AchievementSubject"},
			"identifier":    identifiers,
			"creditsEarned": c.JP,
			"achievement":   Achievement(c, baseURL),
		},
		"credentialStatus": map[string]any{"id": fmt.Sprintf("%s#%d", statusURL, c.ID), "type": "BitstringStatusListEntry",
			"statusPurpose": "revocation", "statusListIndex": strconv.FormatInt(c.ID, 10), "statusListCredential": statusURL},
	}
	return Prove(doc, key, c.IssuedAt)
}

// KeySet reads the public keys of a key set in the shape of
// /.well-known/sinergi-keys.json: {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": …}]}.
func KeySet(raw []byte) ([]ed25519.PublicKey, error) {
	var set struct {
		Keys []struct {
			Kty, Crv, X string
		}
	}
	if err := json.Unmarshal(raw, &set); err != nil {
		return nil, fmt.Errorf("the key set is not JSON: %w", err)
	}
	var out []ed25519.PublicKey
	for _, k := range set.Keys {
		pub, err := base64.RawURLEncoding.DecodeString(k.X)
		if k.Kty != "OKP" || k.Crv != "Ed25519" || err != nil || len(pub) != ed25519.PublicKeySize {
			continue
		}
		out = append(out, pub)
	}
	if len(out) == 0 {
		return nil, errors.New("the key set holds no Ed25519 key")
	}
	return out, nil
}

// CheckOffline verifies a credential with nothing but a key set and,
// optionally, the published status list credential (nil skips the
// revocation check, and Status says "not_checked").
func CheckOffline(raw []byte, keys []ed25519.PublicKey, statusList []byte) CredentialCheck {
	var out CredentialCheck
	known := func(pub ed25519.PublicKey) bool {
		for _, k := range keys {
			if k.Equal(pub) {
				return true
			}
		}
		return false
	}
	pub, doc, err := CheckProof(raw)
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
	} else {
		out.ProofValid = true
	}
	if pub != nil {
		if out.IssuerKnown = known(pub); !out.IssuerKnown {
			out.Errors = append(out.Errors, "the key is not in the key set")
		}
	}
	out.Status = "not_checked"
	if statusList == nil {
		return out
	}
	out.Status = "unknown"
	listPub, list, err := CheckProof(statusList)
	if err != nil || !known(listPub) {
		out.Errors = append(out.Errors, "the status list does not verify under the key set")
		return out
	}
	entry, _ := doc["credentialStatus"].(map[string]any)
	subject, _ := list["credentialSubject"].(map[string]any)
	idx, _ := entry["statusListIndex"].(string)
	encoded, _ := subject["encodedList"].(string)
	n, err := parseIndex(idx)
	if err != nil {
		out.Errors = append(out.Errors, "the credential has no status list index")
		return out
	}
	revoked, err := StatusBit(encoded, n)
	if err != nil {
		out.Errors = append(out.Errors, err.Error())
		return out
	}
	out.Status = "valid"
	if revoked {
		out.Status = "revoked"
	}
	return out
}
