package console

import (
	"bytes"
	"html"
	"io"
	"strconv"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// labelCells gives every data cell of a page's tables its column's header
// as data-label, so that on a narrow screen the style sheet can lay each
// row out as a card with every value under its column's name. The
// labels come from each table's first header row (colspan counted), in
// one place for every table the console draws, whichever template drew
// it; a cell that already names its label keeps it. Everything else is
// copied byte for byte.
func labelCells(page []byte) []byte {
	if !bytes.Contains(page, []byte("<table")) {
		return page
	}
	type table struct {
		headers          []string
		inHead, headDone bool
		col              int
		// capturing is the header being read (-1 when none) and its span.
		capturing, span int
		text            strings.Builder
	}
	var (
		out    bytes.Buffer
		tables []*table
		z      = nethtml.NewTokenizer(bytes.NewReader(page))
	)
	out.Grow(len(page) + len(page)/8)
	for {
		tt := z.Next()
		if tt == nethtml.ErrorToken {
			if z.Err() != io.EOF {
				return page // not read to the end: leave the page as drawn
			}
			break
		}
		raw := z.Raw()
		var t *table
		if len(tables) > 0 {
			t = tables[len(tables)-1]
		}
		switch tt {
		case nethtml.StartTagToken:
			raw = bytes.Clone(raw) // TagName and TagAttr unescape and lower in place
			name, hasAttr := z.TagName()
			var attrs map[string]string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if attrs == nil {
					attrs = map[string]string{}
				}
				attrs[string(k)] = string(v)
			}
			switch a := atom.Lookup(name); {
			case a == atom.Table:
				tables = append(tables, &table{capturing: -1})
			case t == nil:
			case a == atom.Thead:
				t.inHead = true
			case a == atom.Tr:
				t.col = 0
			case a == atom.Th || a == atom.Td:
				span := 1
				if n, err := strconv.Atoi(attrs["colspan"]); err == nil && n > 1 && n < 100 {
					span = n
				}
				switch {
				case t.inHead && !t.headDone:
					t.capturing, t.span = t.col, span
					t.text.Reset()
				case !t.inHead && a == atom.Td && t.col < len(t.headers):
					if _, has := attrs["data-label"]; !has && bytes.HasSuffix(raw, []byte(">")) {
						label := ` data-label="` + html.EscapeString(t.headers[t.col]) + `">`
						raw = append(raw[:len(raw)-1:len(raw)-1], label...)
					}
				}
				t.col += span
			}
		case nethtml.TextToken:
			if t != nil && t.capturing >= 0 {
				// Not z.Text: it unescapes in place, over the raw bytes.
				t.text.WriteString(html.UnescapeString(string(raw)))
			}
		case nethtml.EndTagToken:
			name, _ := z.TagName()
			switch a := atom.Lookup(name); {
			case t == nil:
			case a == atom.Table:
				tables = tables[:len(tables)-1]
			case a == atom.Thead:
				t.inHead = false
			case a == atom.Tr && t.inHead && len(t.headers) > 0:
				t.headDone = true
			case (a == atom.Th || a == atom.Td) && t.capturing >= 0:
				label := strings.Join(strings.Fields(t.text.String()), " ")
				for len(t.headers) < t.capturing+t.span {
					t.headers = append(t.headers, "")
				}
				for i := t.capturing; i < t.capturing+t.span; i++ {
					t.headers[i] = label
				}
				t.capturing = -1
			}
		}
		out.Write(raw)
	}
	return out.Bytes()
}
