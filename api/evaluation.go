package api

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
	"sinergi/evaluation"
	"sinergi/i18n"
	"sinergi/tz"
)

type formIn struct {
	ValidDays int `json:"valid_days" validate:"omitempty,gte=1,lte=90"`
}

// createEvaluationForm makes the link participants rate a session's
// trainers with.
func (s *Server) createEvaluationForm(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in formIn
	if c.Request.ContentLength != 0 {
		if err := s.bind(c, &in); err != nil {
			fail(c, err)
			return
		}
	}
	if in.ValidDays == 0 {
		in.ValidDays = 14
	}
	secret, expires, err := s.Evaluations.NewForm(c.Request.Context(), principal(c).InstitutionID, id, time.Duration(in.ValidDays)*24*time.Hour)
	if err != nil {
		fail(c, err)
		return
	}
	c.Header("Cache-Control", "no-store")
	c.JSON(http.StatusCreated, formLinkOut{URL: s.BaseURL + "/v1/evaluations/forms/" + secret, ExpiresAt: expires})
}

func (s *Server) evaluationForm(c *gin.Context) (evaluation.Form, bool) {
	token := c.Param("token")
	if len(token) < 22 || len(token) > 64 {
		fail(c, errNoRoute)
		return evaluation.Form{}, false
	}
	f, err := s.Evaluations.Form(c.Request.Context(), token)
	if err != nil {
		fail(c, err)
		return evaluation.Form{}, false
	}
	return f, true
}

// wantsHTML reports whether a browser asked for the page.
func wantsHTML(c *gin.Context) bool {
	return strings.Contains(c.GetHeader("Accept"), "text/html")
}

var evaluationPage = template.Must(template.New("evaluation").Funcs(pageFuncs).Parse(`<!doctype html>
<html lang="{{.Lang.Tag}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t .Lang "Rate the trainers: %s" .F.Topic}}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f6f8;color:#1b2733}main{max-width:34rem;margin:0 auto;padding:1.25rem}
fieldset{background:#fff;border:0;border-radius:10px;margin:1rem 0;padding:1rem 1.25rem}legend{font-weight:700;padding:0}
.item{margin:.7rem 0}.scale{display:flex;gap:.4rem;flex-wrap:wrap}.scale label{border:1px solid #c7ced6;border-radius:6px;padding:.35rem .6rem}
textarea{width:100%;min-height:4rem}button{font-size:1.05rem;padding:.8rem 1.2rem;border:0;border-radius:8px;background:#14467a;color:#fff}
.msg{padding:.8rem 1rem;border-radius:8px;background:#e3f6e8}.err{background:#fdeaea}</style></head>
<body><main><h1>{{t .Lang "Rate the trainers"}}</h1><p>{{.F.Topic}}<br><small>{{.F.CourseName}}</small></p>
{{if .Done}}<p class="msg" id="result">{{.Done}}</p>{{else}}
{{if .Error}}<p class="msg err">{{.Error}}</p>{{end}}
<form method="post">{{range .F.Trainers}}{{$b := .BookingID}}
<fieldset><legend>{{.Name}}</legend>{{range $.Items}}
<div class="item">{{t $.Lang .Label}}<div class="scale">{{$code := .Code}}{{range $.Scale}}
<label><input type="radio" required name="r_{{$b}}_{{$code}}" value="{{.Value}}"> {{.Value}} {{t $.Lang .Label}}</label>{{end}}</div></div>{{end}}
<div class="item">{{t $.Lang "Comment (optional)"}}<textarea name="c_{{$b}}" maxlength="2000"></textarea></div></fieldset>{{end}}
<button type="submit">{{t .Lang "Send the rating"}}</button></form>{{end}}
</main></body></html>`))

type scalePoint struct {
	Value int
	Label string
}

func (s *Server) renderEvaluation(c *gin.Context, f evaluation.Form, status int, done, problem string) {
	c.Header("Cache-Control", "no-store")
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Status(status)
	_ = evaluationPage.Execute(c.Writer, map[string]any{"Lang": lang(c), "F": f, "Items": evaluation.Items(), "Done": done,
		"Error": problem, "Scale": []scalePoint{{1, "poor"}, {2, "fair"}, {3, "good"}, {4, "very good"}}})
}

// getEvaluationForm shows participants what to rate: an HTML form for a
// browser, JSON otherwise.
func (s *Server) getEvaluationForm(c *gin.Context) {
	f, ok := s.evaluationForm(c)
	if !ok {
		return
	}
	if wantsHTML(c) {
		s.renderEvaluation(c, f, http.StatusOK, "", "")
		return
	}
	trainers := make([]formTrainerOut, len(f.Trainers))
	for i, t := range f.Trainers {
		trainers[i] = formTrainerOut{BookingID: t.BookingID, Name: t.Name, Role: t.Role}
	}
	items := make([]formItemOut, 0, len(evaluation.Items()))
	for _, it := range evaluation.Items() {
		items = append(items, formItemOut{Code: it.Code, Label: i18n.Sprintf(lang(c), it.Label)})
	}
	loc := tz.MustLoad(f.Zone)
	c.JSON(http.StatusOK, formOut{Session: formSessionOut{Topic: f.Topic, Course: f.CourseName, Start: f.Start.In(loc).Format(time.RFC3339)},
		Trainers: trainers, Items: items, Scale: scaleOut{Min: 1, Max: 4, Labels: []string{
			i18n.Sprintf(lang(c), "poor"), i18n.Sprintf(lang(c), "fair"), i18n.Sprintf(lang(c), "good"), i18n.Sprintf(lang(c), "very good")}},
		ExpiresAt: f.ExpiresAt})
}

type ratingIn struct {
	BookingID int64          `json:"booking_id"`
	Scores    map[string]int `json:"scores"`
	Comment   string         `json:"comment" validate:"max=2000,multiline"`
}

type submissionIn struct {
	Ratings []ratingIn `json:"ratings" validate:"max=50,dive"`
}

// submitEvaluation stores one participant's ratings.
func (s *Server) submitEvaluation(c *gin.Context) {
	f, ok := s.evaluationForm(c)
	if !ok {
		return
	}
	form := strings.HasPrefix(c.ContentType(), "application/x-www-form-urlencoded")
	var ratings []evaluation.Rating
	if form {
		ratings = formRatings(c, f)
	} else {
		var in submissionIn
		if err := s.bind(c, &in); err != nil {
			fail(c, err)
			return
		}
		for _, r := range in.Ratings {
			ratings = append(ratings, evaluation.Rating{BookingID: r.BookingID, Scores: r.Scores, Comment: r.Comment})
		}
	}
	err := s.Evaluations.Submit(c.Request.Context(), f, ratings)
	thanks := i18n.Sprintf(lang(c), "Thank you for your rating.")
	switch {
	case form && err != nil && errs.KindOf(err) == errs.Invalid:
		s.renderEvaluation(c, f, http.StatusUnprocessableEntity, "", i18n.Sprintf(lang(c), "Rate every item (1 to 4) and send again."))
	case err != nil:
		fail(c, err)
	case form:
		s.renderEvaluation(c, f, http.StatusCreated, thanks, "")
	default:
		c.JSON(http.StatusCreated, receivedOut{Received: len(ratings), Message: thanks})
	}
}

// formRatings reads the HTML form: r_{booking}_{item} = 1..4 and
// c_{booking} comments, for every trainer on the form.
func formRatings(c *gin.Context, f evaluation.Form) []evaluation.Rating {
	var out []evaluation.Rating
	for _, t := range f.Trainers {
		r := evaluation.Rating{BookingID: t.BookingID, Scores: map[string]int{}, Comment: c.PostForm(fmt.Sprintf("c_%d", t.BookingID))}
		for _, it := range evaluation.Items() {
			if v, err := strconv.Atoi(c.PostForm(fmt.Sprintf("r_%d_%s", t.BookingID, it.Code))); err == nil {
				r.Scores[it.Code] = v
			}
		}
		out = append(out, r)
	}
	return out
}

type formLinkOut struct {
	URL       string    `json:"url"`
	ExpiresAt time.Time `json:"expires_at"`
}

type formTrainerOut struct {
	BookingID int64  `json:"booking_id"`
	Name      string `json:"name"`
	Role      string `json:"role"`
}

type formItemOut struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

type formSessionOut struct {
	Topic  string `json:"topic"`
	Course string `json:"course"`
	Start  string `json:"start"`
}

type scaleOut struct {
	Min    int      `json:"min"`
	Max    int      `json:"max"`
	Labels []string `json:"labels"`
}

// formOut is an evaluation form as JSON: the session, its trainers and the
// items to rate on the scale.
type formOut struct {
	Session   formSessionOut   `json:"session"`
	Trainers  []formTrainerOut `json:"trainers"`
	Items     []formItemOut    `json:"items"`
	Scale     scaleOut         `json:"scale"`
	ExpiresAt time.Time        `json:"expires_at"`
}

type receivedOut struct {
	Received int    `json:"received"`
	Message  string `json:"message"`
}
