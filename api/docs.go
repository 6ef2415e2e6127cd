package api

import (
	"bytes"
	"html/template"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sinergi API</title>
<style>body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b2733}
table{border-collapse:collapse;width:100%}td,th{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #e3e7eb}
code{font-size:.95em}.m{font-weight:700;font-family:monospace}.get{color:#1d6a2e}.post{color:#14467a}.put,.patch{color:#8a5a00}.delete{color:#a31b1b}
.desc{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:6px}</style></head><body>
<h1>{{.Title}} <small>{{.Version}}</small></h1>
<div class="desc">{{.Description}}</div>
<p>The full OpenAPI 3.1 description: <a href="/openapi.yaml">/openapi.yaml</a>.</p>
<table><thead><tr><th>Method</th><th>Path</th><th>What it does</th></tr></thead><tbody>
{{range .Ops}}<tr><td class="m {{.Method}}">{{.Upper}}</td><td><code>{{.Path}}</code></td><td>{{.Summary}}</td></tr>
{{end}}</tbody></table></body></html>`))

type docOp struct {
	Method, Upper, Path, Summary string
}

// renderDocs turns the embedded spec into a readable page, once, at start.
func renderDocs() []byte {
	var spec struct {
		Info struct {
			Title, Version, Description string
		} `yaml:"info"`
		Paths map[string]map[string]struct {
			Summary string `yaml:"summary"`
		} `yaml:"paths"`
	}
	if err := yaml.Unmarshal(openapiSpec, &spec); err != nil {
		return []byte("<!doctype html><p>See <a href=\"/openapi.yaml\">/openapi.yaml</a>.</p>")
	}
	var ops []docOp
	for path, methods := range spec.Paths {
		for m, op := range methods {
			ops = append(ops, docOp{Method: m, Upper: strings.ToUpper(m), Path: path, Summary: op.Summary})
		}
	}
	order := map[string]int{"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
	sort.Slice(ops, func(a, b int) bool {
		if ops[a].Path != ops[b].Path {
			return ops[a].Path < ops[b].Path
		}
		return order[ops[a].Method] < order[ops[b].Method]
	})
	var buf bytes.Buffer
	_ = docsTemplate.Execute(&buf, map[string]any{"Title": spec.Info.Title, "Version": spec.Info.Version,
		"Description": spec.Info.Description, "Ops": ops})
	return buf.Bytes()
}
