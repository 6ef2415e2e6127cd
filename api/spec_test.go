package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"sinergi/api"
)

// contract is the spec loaded and validated once, with a router that finds
// an operation for a request.
var contract = sync.OnceValues(func() (routers.Router, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPISpec)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("api/openapi.yaml is not valid OpenAPI: %w", err)
	}
	doc.Servers = nil // requests in tests go to example.com
	// Bodies that are files are checked for their media type only.
	for _, ct := range []string{"text/calendar", "application/pdf", "text/html", "application/yaml", "message/rfc822",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv", "application/ld+json"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	return gorillamux.NewRouter(doc)
})

// conform fails the test unless the exchange matches api/openapi.yaml:
// every response must be one the operation documents, with a body of its
// schema; a request the server accepted (2xx) must be one the spec allows.
// Requests to paths the spec does not have may only be refused (404, 405).
func (e *env) conform(req *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	e.t.Helper()
	if _, bench := e.t.(*testing.B); bench {
		return // benchmarks measure the service, not the check
	}
	router, err := contract()
	if err != nil {
		e.t.Fatal(err)
	}
	check := req.Clone(context.Background())
	check.Body = io.NopCloser(bytes.NewReader(body))
	route, params, err := router.FindRoute(check)
	if err != nil {
		if rec.Code == http.StatusNotFound || rec.Code == http.StatusMethodNotAllowed || strings.HasPrefix(req.URL.Path, "/v1/test-") {
			return
		}
		e.t.Fatalf("%s %s answered %d but is not in api/openapi.yaml: %v", req.Method, req.URL.Path, rec.Code, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if record(req, route, body, rec) {
		return // recording samples, not checking them
	}
	if rec.Code >= 200 && rec.Code < 300 {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			e.t.Fatalf("%s %s was accepted (%d) but the request does not match api/openapi.yaml:\n%v", req.Method, req.URL.Path,
				rec.Code, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body:    io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		e.t.Fatalf("%s %s answered %d, which does not match api/openapi.yaml:\n%v\nbody: %.600s", req.Method, req.URL.Path,
			rec.Code, err, rec.Body.Bytes())
	}
}

var recording sync.Mutex

// record appends the exchange to the file SINERGI_RECORD_API names, if
// any: the samples api/openapi.yaml's examples are taken from.
func record(req *http.Request, route *routers.Route, body []byte, rec *httptest.ResponseRecorder) bool {
	path := os.Getenv("SINERGI_RECORD_API")
	if path == "" {
		return false
	}
	recording.Lock()
	defer recording.Unlock()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return true
	}
	defer f.Close()
	entry := map[string]any{"method": strings.ToLower(req.Method), "path": route.Path, "status": rec.Code,
		"request_type": req.Header.Get("Content-Type"), "response_type": rec.Header().Get("Content-Type")}
	if json.Valid(body) {
		entry["request"] = json.RawMessage(body)
	}
	if json.Valid(rec.Body.Bytes()) {
		entry["response"] = json.RawMessage(rec.Body.Bytes())
	}
	_ = json.NewEncoder(f).Encode(entry)
	return true
}

// TestContractOfQuietRoutes exercises the read-only routes no other test
// calls, so that their answers are checked against the spec too.
func TestContractOfQuietRoutes(t *testing.T) {
	e := newEnv(t)
	p := e.createPerson(e.staffA, practitionerJSON("p@example.id"))
	for _, c := range []struct {
		path, key string
	}{
		{"/healthz", ""}, {"/readyz", ""}, {"/metrics", ""}, {"/openapi.yaml", ""}, {"/docs", ""},
		{"/v1/institutions", e.admin}, {"/v1/institutions", e.staffA}, {fmt.Sprintf("/v1/institutions/%d", e.instA), e.staffA},
		{fmt.Sprintf("/v1/people/%d/availability", p), e.staffA}, {"/v1/matching/settings", e.staffA},
		{"/v1/rate-tables", e.staffA}, {"/v1/incentive/settings", e.staffA}, {"/v1/certificate-settings", e.staffA},
	} {
		e.expect(e.do("GET", c.path, c.key, nil), http.StatusOK, "")
	}
}

// TestContractIsComplete checks that every operation of api/openapi.yaml
// can be generated from: an operationId, a summary, the request's schema
// and example, each success answer's schema (and example for JSON), and
// the errors it can give.
func TestContractIsComplete(t *testing.T) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPISpec)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			at := method + " " + path
			if op.OperationID == "" || op.Summary == "" {
				t.Errorf("%s: no operationId or summary", at)
			}
			if other, dup := ids[op.OperationID]; dup {
				t.Errorf("%s: operationId %s is also %s's", at, op.OperationID, other)
			}
			ids[op.OperationID] = at
			if rb := op.RequestBody; rb != nil {
				for ct, mt := range rb.Value.Content {
					if mt.Schema == nil {
						t.Errorf("%s: request %s has no schema", at, ct)
					}
					if ct == "application/json" && mt.Example == nil && len(mt.Examples) == 0 {
						t.Errorf("%s: request has no example", at)
					}
				}
			}
			ok, problems := false, 0
			for status, ref := range op.Responses.Map() {
				code, _ := strconv.Atoi(status)
				switch {
				case code >= 200 && code < 300:
					ok = true
					if code == http.StatusNoContent {
						continue
					}
					if len(ref.Value.Content) == 0 {
						t.Errorf("%s: %s has no content", at, status)
					}
					for ct, mt := range ref.Value.Content {
						if mt.Schema == nil {
							t.Errorf("%s: %s %s has no schema", at, status, ct)
						}
						if ct == "application/json" && mt.Example == nil && len(mt.Examples) == 0 {
							t.Errorf("%s: %s has no example", at, status)
						}
					}
				case code >= 400:
					problems++
				}
			}
			if !ok || problems == 0 {
				t.Errorf("%s: needs a success answer and the errors it can give", at)
			}
		}
	}
	if len(ids) < 75 {
		t.Fatalf("only %d operations", len(ids))
	}
}

func TestDocsShowSchemasAndExamples(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/docs", "", nil)
	e.expect(r, http.StatusOK, "")
	page := string(r.Raw)
	for _, want := range []string{`id="createBooking"`, `id="schema-Booking"`, `<a href="#schema-Error">Error</a>`,
		`&#34;session_id&#34;`, `validation_failed`, `one of <code>lead | co_trainer</code>`} {
		if !strings.Contains(page, want) {
			t.Errorf("/docs lacks %s", want)
		}
	}
	if strings.Contains(page, "<script") || strings.Contains(page, "<link") {
		t.Error("/docs loads something from elsewhere")
	}
}
