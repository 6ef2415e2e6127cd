package console

import "testing"

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
