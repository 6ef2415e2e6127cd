package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// docsTemplate shows the spec as one page: every operation with its
// parameters, request and answers, their schemas and examples, then every
// schema. It is rendered once from the embedded spec; nothing is fetched
// from elsewhere.
var docsTemplate = template.Must(template.New("docs").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;max-width:76rem;margin:2rem auto;padding:0 1rem;color:#1b2733;line-height:1.45}
code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#f6f8fa;padding:.75rem;border-radius:6px;overflow:auto;max-height:28rem}
.desc{white-space:pre-wrap;background:#f6f8fa;padding:1rem;border-radius:6px}
nav ul{columns:2;font-size:.92em}section.op{border-top:1px solid #d8dee4;padding:.75rem 0}
.m{display:inline-block;min-width:4.2rem;font-weight:700;font-family:monospace}.get{color:#1d6a2e}.post{color:#14467a}.put,.patch{color:#8a5a00}.delete{color:#a31b1b}
table{border-collapse:collapse;width:100%;margin:.4rem 0}td,th{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #eef1f4;font-size:.93em}
ul.schema{list-style:none;padding-left:1.1rem;margin:.2rem 0;border-left:2px solid #eef1f4}.t{color:#6a737d}.req{color:#a31b1b;font-size:.8em}
h4{margin:.6rem 0 .2rem}.st{font-weight:700}</style></head><body>
<h1>{{.Title}} <small>{{.Version}}</small></h1>
<div class="desc">{{.Description}}</div>
<p>The OpenAPI 3.1 document itself: <a href="/openapi.yaml">/openapi.yaml</a>. Generate a client from it.</p>
<nav><h2>Operations</h2><ul>{{range .Ops}}<li><a href="#{{.ID}}"><span class="m {{.Method}}">{{.Upper}}</span> <code>{{.Path}}</code></a></li>{{end}}</ul></nav>
{{range .Ops}}<section class="op" id="{{.ID}}">
<h3><span class="m {{.Method}}">{{.Upper}}</span> <code>{{.Path}}</code> <small><code>{{.ID}}</code></small></h3>
<p>{{.Summary}}</p>{{if .Description}}<div class="desc">{{.Description}}</div>{{end}}
{{if .Params}}<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>schema</th><th></th></tr>
{{range .Params}}<tr><td><code>{{.Name}}</code>{{if .Required}} <span class="req">required</span>{{end}}</td><td>{{.In}}</td><td>{{.Schema}}</td><td>{{.Description}}</td></tr>{{end}}</table>{{end}}
{{range .Request}}<h4>Request <code>{{.Type}}</code></h4>{{.Schema}}{{if .Example}}<pre>{{.Example}}</pre>{{end}}{{end}}
<h4>Answers</h4>{{range .Responses}}<p><span class="st">{{.Status}}</span> {{.Description}}</p>
{{range .Content}}<div><code>{{.Type}}</code> {{.Schema}}{{if .Example}}<pre>{{.Example}}</pre>{{end}}</div>{{end}}{{end}}
</section>{{end}}
<h2>Schemas</h2>
{{range .Schemas}}<section class="op" id="schema-{{.Name}}"><h3>{{.Name}}</h3>{{.Body}}</section>{{end}}
</body></html>`))

type docMedia struct {
	Type    string
	Schema  template.HTML
	Example string
}

type docResponse struct {
	Status, Description string
	Content             []docMedia
}

type docParam struct {
	Name, In, Description string
	Required              bool
	Schema                template.HTML
}

type docOp struct {
	ID, Method, Upper, Path, Summary, Description string
	Params                                        []docParam
	Request                                       []docMedia
	Responses                                     []docResponse
}

type docSchema struct {
	Name string
	Body template.HTML
}

// renderDocs turns the embedded spec into the /docs page, once, at start.
func renderDocs() []byte {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapiSpec)
	if err != nil {
		return []byte("<!doctype html><p>See <a href=\"/openapi.yaml\">/openapi.yaml</a>.</p>")
	}
	var ops []docOp
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			m := strings.ToLower(method)
			d := docOp{ID: op.OperationID, Method: m, Upper: method, Path: path, Summary: op.Summary, Description: op.Description}
			for _, p := range append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...) {
				if p.Value == nil {
					continue
				}
				d.Params = append(d.Params, docParam{Name: p.Value.Name, In: p.Value.In, Description: p.Value.Description,
					Required: p.Value.Required, Schema: schemaHTML(p.Value.Schema, 0)})
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				d.Request = mediaDocs(op.RequestBody.Value.Content)
			}
			statuses := make([]string, 0)
			for st := range op.Responses.Map() {
				statuses = append(statuses, st)
			}
			sort.Strings(statuses)
			for _, st := range statuses {
				r := op.Responses.Value(st).Value
				if r == nil {
					continue
				}
				desc := ""
				if r.Description != nil {
					desc = *r.Description
				}
				d.Responses = append(d.Responses, docResponse{Status: st, Description: desc, Content: mediaDocs(r.Content)})
			}
			ops = append(ops, d)
		}
	}
	order := map[string]int{"get": 0, "post": 1, "put": 2, "patch": 3, "delete": 4}
	sort.Slice(ops, func(a, b int) bool {
		if ops[a].Path != ops[b].Path {
			return ops[a].Path < ops[b].Path
		}
		return order[ops[a].Method] < order[ops[b].Method]
	})
	var schemas []docSchema
	names := make([]string, 0, len(doc.Components.Schemas))
	for name := range doc.Components.Schemas {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		s := doc.Components.Schemas[name]
		schemas = append(schemas, docSchema{Name: name, Body: schemaHTML(&openapi3.SchemaRef{Value: s.Value}, 0)})
	}
	var buf bytes.Buffer
	info := doc.Info
	_ = docsTemplate.Execute(&buf, map[string]any{"Title": info.Title, "Version": info.Version,
		"Description": info.Description, "Ops": ops, "Schemas": schemas})
	return buf.Bytes()
}

func mediaDocs(content openapi3.Content) []docMedia {
	types := make([]string, 0, len(content))
	for t := range content {
		types = append(types, t)
	}
	sort.Strings(types)
	out := make([]docMedia, 0, len(types))
	for _, t := range types {
		mt := content[t]
		m := docMedia{Type: t, Schema: schemaHTML(mt.Schema, 0)}
		if mt.Example != nil {
			if b, err := json.MarshalIndent(mt.Example, "", "  "); err == nil {
				m.Example = string(b)
			}
		}
		out = append(out, m)
	}
	return out
}

// schemaHTML shows a schema as a nested list: named schemas link to their
// section below; inline objects and arrays open up to a few levels.
func schemaHTML(ref *openapi3.SchemaRef, depth int) template.HTML {
	if ref == nil || ref.Value == nil {
		return ""
	}
	if name, ok := strings.CutPrefix(ref.Ref, "#/components/schemas/"); ok {
		return template.HTML(fmt.Sprintf(`<a href="#schema-%s">%s</a>`, template.HTMLEscapeString(name), template.HTMLEscapeString(name)))
	}
	s := ref.Value
	var b strings.Builder
	b.WriteString(`<span class="t">` + template.HTMLEscapeString(typeOf(s)) + `</span>`)
	if len(s.Enum) > 0 {
		vals := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			vals[i] = fmt.Sprint(v)
		}
		b.WriteString(" one of <code>" + template.HTMLEscapeString(strings.Join(vals, " | ")) + "</code>")
	}
	if s.Description != "" {
		b.WriteString(" — " + template.HTMLEscapeString(s.Description))
	}
	if depth > 6 {
		return template.HTML(b.String())
	}
	if s.Items != nil {
		b.WriteString(" of " + string(schemaHTML(s.Items, depth+1)))
	}
	if len(s.Properties) > 0 {
		required := map[string]bool{}
		for _, r := range s.Required {
			required[r] = true
		}
		names := make([]string, 0, len(s.Properties))
		for n := range s.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		b.WriteString(`<ul class="schema">`)
		for _, n := range names {
			b.WriteString("<li><code>" + template.HTMLEscapeString(n) + "</code>")
			if required[n] {
				b.WriteString(` <span class="req">required</span>`)
			}
			b.WriteString(" " + string(schemaHTML(s.Properties[n], depth+1)) + "</li>")
		}
		b.WriteString("</ul>")
	}
	for _, sub := range s.AllOf {
		b.WriteString(" and " + string(schemaHTML(sub, depth+1)))
	}
	return template.HTML(b.String())
}

func typeOf(s *openapi3.Schema) string {
	t := "any"
	if s.Type != nil && len(s.Type.Slice()) > 0 {
		t = strings.Join(s.Type.Slice(), " or ")
	}
	if s.Format != "" {
		t += " (" + s.Format + ")"
	}
	return t
}
