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
		// headers are the columns' labels, each as the attribute to add.
		headers          [][]byte
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
			a, hasAttr := tagOf(raw), false
			if (a == atom.Td || a == atom.Th) && (bytes.Contains(raw, []byte("colspan")) || bytes.Contains(raw, []byte("data-label"))) {
				raw = bytes.Clone(raw) // TagName and TagAttr unescape and lower in place
				_, hasAttr = z.TagName()
			}
			span, labelled := 1, false
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				switch string(k) {
				case "colspan":
					if n, err := strconv.Atoi(string(v)); err == nil && n > 1 && n < 100 {
						span = n
					}
				case "data-label":
					labelled = true
				}
			}
			switch {
			case a == atom.Table:
				tables = append(tables, &table{capturing: -1})
			case t == nil:
			case a == atom.Thead:
				t.inHead = true
			case a == atom.Tr:
				t.col = 0
			case a == atom.Th || a == atom.Td:
				switch {
				case t.inHead && !t.headDone:
					t.capturing, t.span = t.col, span
					t.text.Reset()
				case !t.inHead && a == atom.Td && t.col < len(t.headers) && !labelled && bytes.HasSuffix(raw, []byte(">")):
					raw = append(append(raw[:len(raw)-1:len(raw)-1], t.headers[t.col]...), '>')
				}
				t.col += span
			}
		case nethtml.TextToken:
			if t != nil && t.capturing >= 0 {
				// Not z.Text: it unescapes in place, over the raw bytes.
				t.text.WriteString(html.UnescapeString(string(raw)))
			}
		case nethtml.EndTagToken:
			switch a := tagOf(raw); {
			case t == nil:
			case a == atom.Table:
				tables = tables[:len(tables)-1]
			case a == atom.Thead:
				t.inHead = false
			case a == atom.Tr && t.inHead && len(t.headers) > 0:
				t.headDone = true
			case (a == atom.Th || a == atom.Td) && t.capturing >= 0:
				label := []byte(` data-label="` + html.EscapeString(strings.Join(strings.Fields(t.text.String()), " ")) + `"`)
				for len(t.headers) < t.capturing+t.span {
					t.headers = append(t.headers, []byte(` data-label=""`))
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

// tagOf is the element a tag's raw text names (<td class="num">, </TD>),
// read without the tokenizer's TagName, which copies every name.
func tagOf(raw []byte) atom.Atom {
	name := bytes.TrimPrefix(raw, []byte("<"))
	name = bytes.TrimPrefix(name, []byte("/"))
	var lower [10]byte
	n := 0
	for ; n < len(name) && n < len(lower); n++ {
		c := name[n]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9') {
			break
		}
		lower[n] = c
	}
	return atom.Lookup(lower[:n])
}
