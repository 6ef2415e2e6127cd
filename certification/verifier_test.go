package certification

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// independentVerifier returns a command running testdata/verifier, an
// eddsa-jcs-2022 verifier that shares no code with this package; it skips
// when Node or its packages are missing, except under CI=true.
func independentVerifier(t *testing.T) func(doc []byte) (bool, string) {
	t.Helper()
	node, err := exec.LookPath("node")
	_, missing := os.Stat(filepath.Join("testdata", "verifier", "node_modules", "canonicalize"))
	if err != nil || missing != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node and testdata/verifier/node_modules are required under CI (.ci/run runs npm ci there)")
		}
		t.Skip("node or the verifier's packages are not installed (npm ci in certification/testdata/verifier)")
	}
	return func(doc []byte) (bool, string) {
		cmd := exec.Command(node, filepath.Join("testdata", "verifier", "verify.mjs"))
		cmd.Stdin = bytes.NewReader(doc)
		out, err := cmd.CombinedOutput()
		return err == nil && strings.TrimSpace(string(out)) == "verified", string(out)
	}
}

// leaves lists the paths of every string, number and boolean in v.
func leaves(v any, path []any, out *[][]any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			leaves(e, append(append([]any{}, path...), k), out)
		}
	case []any:
		for i, e := range x {
			leaves(e, append(append([]any{}, path...), i), out)
		}
	default:
		*out = append(*out, path)
	}
}

// changed returns a copy of doc with the leaf at path altered.
func changed(t *testing.T, raw []byte, path []any) []byte {
	var doc any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	parent, last := doc, path[len(path)-1]
	for _, p := range path[:len(path)-1] {
		switch k := p.(type) {
		case string:
			parent = parent.(map[string]any)[k]
		case int:
			parent = parent.([]any)[k]
		}
	}
	alter := func(v any) any {
		switch x := v.(type) {
		case string:
			if strings.HasPrefix(x, "z") && len(x) > 40 { // keep base58 decodable
				return x[:len(x)-1] + string("23456789"[len(x)%8])
			}
			return x + "x"
		case float64:
			return x + 1
		case bool:
			return !x
		}
		return "x"
	}
	switch k := last.(type) {
	case string:
		m := parent.(map[string]any)
		m[k] = alter(m[k])
	case int:
		a := parent.([]any)
		a[k] = alter(a[k])
	}
	out, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestIndependentVerifierAcceptsAndRejects(t *testing.T) {
	verify := independentVerifier(t)
	key, err := NewKey(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	c := sample()
	c.HolderNIP, c.SignerNIP = "198503102010012003", "197001012000031005"
	c.CourseName = "Manajemen Bencana <Lanjutan> & \u2028 \"Kuota\" é" // escapes where encoding/json and JCS differ
	Sign(&c, key)
	raw, err := json.Marshal(Badge(c, "https://sinergi.example.id", key))
	if err != nil {
		t.Fatal(err)
	}
	if ok, out := verify(raw); !ok {
		t.Fatalf("an untouched credential fails the independent verifier: %s", out)
	}
	var doc any
	_ = json.Unmarshal(raw, &doc)
	var paths [][]any
	leaves(doc, nil, &paths)
	if len(paths) < 30 {
		t.Fatalf("only %d fields", len(paths))
	}
	for _, path := range paths {
		t.Run(fmt.Sprint(path), func(t *testing.T) {
			if ok, _ := verify(changed(t, raw, path)); ok {
				t.Fatalf("still verifies after %v changed", path)
			}
		})
	}
	t.Run("the project's own check agrees", func(t *testing.T) {
		if _, _, err := CheckProof(raw); err != nil {
			t.Fatal(err)
		}
	})
}
