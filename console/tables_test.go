package console

import (
	"bytes"
	"strings"
	"testing"
)

func TestLabelCells(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"each data cell gets its column's header",
			`<table><thead><tr><th scope="col">Nama</th><th>JP &amp; jam</th></tr></thead><tbody><tr><td>Marthen</td><td class="num">4</td></tr></tbody></table>`,
			`<table><thead><tr><th scope="col">Nama</th><th>JP &amp; jam</th></tr></thead><tbody><tr><td data-label="Nama">Marthen</td><td class="num" data-label="JP &amp; jam">4</td></tr></tbody></table>`},
		{"a row header takes its column and gets no label; spans are counted",
			`<table><thead><tr><td></td><th><span>Pagi</span> 08–12</th><th>Siang</th></tr></thead><tbody><tr><th scope="row">Sen</th><td>x</td><td>y</td></tr></tbody>` +
				`<tfoot><tr><th colspan="2">Jumlah</th><td>z</td></tr></tfoot></table>`,
			`<table><thead><tr><td></td><th><span>Pagi</span> 08–12</th><th>Siang</th></tr></thead><tbody><tr><th scope="row">Sen</th><td data-label="Pagi 08–12">x</td><td data-label="Siang">y</td></tr></tbody>` +
				`<tfoot><tr><th colspan="2">Jumlah</th><td data-label="Siang">z</td></tr></tfoot></table>`},
		{"a label written in the template stays; a table without a header is left alone; the rest is copied as is",
			`<p class=x>a<br/>b</p><table><thead><tr><th>A</th></tr></thead><tr><td data-label="B">1</td></tr></table><table><tr><TD Class=x><a href="?a=1&amp;b=2">2</a></td></tr></table><script>if (a<b) {}</script>`,
			`<p class=x>a<br/>b</p><table><thead><tr><th>A</th></tr></thead><tr><td data-label="B">1</td></tr></table><table><tr><TD Class=x><a href="?a=1&amp;b=2">2</a></td></tr></table><script>if (a<b) {}</script>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(labelCells([]byte(c.in))); got != c.want {
				t.Fatalf("got\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

// benchPage is a ledger page of 100 rows, the largest page size.
func benchPage() []byte {
	var b strings.Builder
	b.WriteString(`<!doctype html><html><body><main><table id="ledger"><thead><tr><th scope="col">Nama</th><th scope="col">JP</th><th scope="col">Bruto</th><th scope="col">PPh 21</th><th scope="col">Netto</th><th scope="col">Status</th><th scope="col">Tindakan</th></tr></thead><tbody>`)
	for i := 0; i < 100; i++ {
		b.WriteString(`<tr id="h-1"><td>Marthen Rumbiak</td><td>2/2</td><td class="num">Rp600.000</td><td class="num">Rp18.000</td><td class="num">Rp582.000</td><td><span class="badge">draf</span></td><td class="actions"><form method="post" action="/console/honoraria/1/approve" class="inline"><input type="hidden" name="status" value="draft"><button>Setujui</button></form></td></tr>`)
	}
	b.WriteString(`</tbody></table></main></body></html>`)
	return []byte(b.String())
}

// BenchmarkLabelCells is the cost labelling adds to rendering a page;
// BenchmarkCopyPage, copying the same page, is the yardstick.
func BenchmarkLabelCells(b *testing.B) {
	page := benchPage()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		labelCells(page)
	}
}

func BenchmarkCopyPage(b *testing.B) {
	page := benchPage()
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		_ = bytes.Clone(page)
	}
}
