package console

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"sinergi/errs"
	"sinergi/tenant"
)

// A field problem that no input of the form shows is listed on top with
// the field's name in the page's language; one shown in place is not
// repeated.
func TestUnshownProblemListedOnTop(t *testing.T) {
	s := &Server{assets: map[string][]byte{}, hashed: map[string]string{}}
	if err := s.loadTemplates(); err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[string]string{"id": "<li>Jenjang minimal pengajar utama: harus ahli_pertama", "en": "<li>Lowest jenjang of the lead: must be ahli_pertama"} {
		r := httptest.NewRequest("POST", "/console/courses", nil)
		p := newPage(r, &tenant.User{Role: tenant.Staff, Lang: lang}, "courses")
		f := errs.Fields{}
		f.Add("lead_min_jenjang", "must be ahli_pertama, ahli_muda, ahli_madya or ahli_utama")
		f.Add("name", "is required")
		p.withError(f.Err())
		w := httptest.NewRecorder()
		s.render(w, r, http.StatusUnprocessableEntity, "courses", coursesView{page: p})
		body := w.Body.String()
		if !strings.Contains(body, want) {
			t.Errorf("%s: the problem of a field the form lacks is not on top:\n%s", lang, body[strings.Index(body, "<main"):][:400])
		}
		if strings.Contains(body, "<li>"+p.fieldName("name")) || !strings.Contains(body, `id="f-name-err"`) {
			t.Errorf("%s: a problem shown in place is listed on top too, or not shown in place", lang)
		}
	}
}

// The console's texts use the service's one word per idea.
func TestConsoleOneWordPerIdea(t *testing.T) {
	other := regexp.MustCompile(`(?i)\b(mungkin|tentatif|luring|hibrida|pengajar pendamping)\b`)
	for key, m := range messages {
		if w := other.FindString(m[0]); w != "" {
			t.Errorf("%s is told with %q", key, w)
		}
	}
}
