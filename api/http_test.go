package api_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/goccy/go-yaml"

	"sinergi/api"
)

func TestHTTPBasics(t *testing.T) {
	e := newEnv(t)
	e.srv.Engine().GET("/v1/test-panic", func(*gin.Context) { panic("boom: secret detail") })
	tests := []struct {
		name, method, path, key string
		body                    any
		status                  int
		code                    string
	}{
		{"unknown route is a JSON 404", "GET", "/v1/nope", e.staffA, nil, 404, "not_found"},
		{"wrong method is a JSON 405", "PUT", "/healthz", "", nil, 405, "method_not_allowed"},
		{"malformed JSON is 400", "POST", "/v1/people", e.staffA, `{"kind":`, 400, "malformed_json"},
		{"empty body is 400", "POST", "/v1/people", e.staffA, ``, 400, "malformed_json"},
		{"two JSON values are 400", "POST", "/v1/people", e.staffA, `{} {}`, 400, "malformed_json"},
		{"oversized body is 413", "POST", "/v1/people", e.staffA, `{"name":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large"},
		{"non-numeric id is 404", "GET", "/v1/people/abc", e.staffA, nil, 404, "not_found"},
		{"a panic is a 500 without its text", "GET", "/v1/test-panic", e.staffA, nil, 500, "internal_error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := e.do(tt.method, tt.path, tt.key, tt.body)
			e.expect(r, tt.status, tt.code)
			errBody := r.Body["error"].(map[string]any)
			if errBody["request_id"] == "" || errBody["request_id"] != r.Header.Get("X-Request-ID") {
				t.Fatalf("request id missing: %s", r.Raw)
			}
			if bytes.Contains(r.Raw, []byte("secret detail")) || bytes.Contains(r.Raw, []byte("goroutine")) {
				t.Fatalf("internal text leaked: %s", r.Raw)
			}
		})
	}
	t.Run("a caller's request id is kept", func(t *testing.T) {
		r := e.do("GET", "/healthz", "", nil, "X-Request-ID", "abc-123-def-456")
		if r.Header.Get("X-Request-ID") != "abc-123-def-456" {
			t.Fatal(r.Header)
		}
	})
	t.Run("docs list every operation", func(t *testing.T) {
		r := e.do("GET", "/docs", "", nil)
		if r.Status != 200 || !strings.Contains(string(r.Raw), "/v1/sessions/{id}/candidates") || !strings.Contains(string(r.Raw), "Ranked candidates") {
			t.Fatalf("docs %d", r.Status)
		}
	})
	t.Run("readyz pings the database", func(t *testing.T) {
		e.expect(e.do("GET", "/readyz", "", nil), 200, "")
	})
	t.Run("metrics count requests by route", func(t *testing.T) {
		r := e.do("GET", "/metrics", "", nil)
		if r.Status != 200 || !bytes.Contains(r.Raw, []byte(`sinergi_http_requests_total{method="GET",route="/readyz",status="200"} 1`)) {
			t.Fatalf("metrics: %s", r.Raw[:min(len(r.Raw), 2000)])
		}
	})
}

// TestOpenAPIListsEveryRoute parses api/openapi.yaml and fails when a
// route is missing from it or a $ref points nowhere.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	e := newEnv(t)
	var spec struct {
		OpenAPI    string                            `yaml:"openapi"`
		Paths      map[string]map[string]any         `yaml:"paths"`
		Components map[string]map[string]interface{} `yaml:"components"`
	}
	if err := yaml.Unmarshal(api.OpenAPISpec, &spec); err != nil {
		t.Fatalf("openapi.yaml does not parse: %v", err)
	}
	if spec.OpenAPI != "3.1.0" {
		t.Fatalf("openapi %q", spec.OpenAPI)
	}
	documented := map[string]bool{}
	for path, ops := range spec.Paths {
		for method := range ops {
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}
	param := regexp.MustCompile(`:([a-z_]+)`)
	for _, r := range e.srv.Routes() {
		p := param.ReplaceAllString(r[1], "{$1}")
		if !documented[r[0]+" "+p] {
			t.Errorf("route %s %s is not in api/openapi.yaml", r[0], p)
		}
	}
	for _, m := range regexp.MustCompile(`\$ref: '#/components/([a-zA-Z]+)/([a-zA-Z]+)'`).FindAllStringSubmatch(string(api.OpenAPISpec), -1) {
		if _, ok := spec.Components[m[1]][m[2]]; !ok {
			t.Errorf("$ref to missing #/components/%s/%s", m[1], m[2])
		}
	}
	if len(documented) < 50 {
		t.Fatalf("parsed only %d operations", len(documented))
	}
}
