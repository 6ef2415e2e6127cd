package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/evaluation"
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
	c.JSON(http.StatusCreated, gin.H{"url": s.BaseURL + "/v1/evaluations/forms/" + secret, "expires_at": expires})
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

// getEvaluationForm shows participants what to rate.
func (s *Server) getEvaluationForm(c *gin.Context) {
	f, ok := s.evaluationForm(c)
	if !ok {
		return
	}
	trainers := make([]gin.H, len(f.Trainers))
	for i, t := range f.Trainers {
		trainers[i] = gin.H{"booking_id": t.BookingID, "name": t.Name, "role": t.Role}
	}
	items := make([]gin.H, 0, len(evaluation.Items()))
	for _, it := range evaluation.Items() {
		items = append(items, gin.H{"code": it.Code, "label": it.Label})
	}
	loc := tz.MustLoad(f.Zone)
	c.JSON(http.StatusOK, gin.H{"session": gin.H{"topic": f.Topic, "course": f.CourseName, "start": f.Start.In(loc).Format(time.RFC3339)},
		"trainers": trainers, "items": items, "scale": gin.H{"min": 1, "max": 4, "labels": []string{"kurang", "cukup", "baik", "sangat baik"}},
		"expires_at": f.ExpiresAt})
}

type ratingIn struct {
	BookingID int64          `json:"booking_id"`
	Scores    map[string]int `json:"scores"`
	Comment   string         `json:"comment"`
}

type submissionIn struct {
	Ratings []ratingIn `json:"ratings"`
}

// submitEvaluation stores one participant's ratings.
func (s *Server) submitEvaluation(c *gin.Context) {
	f, ok := s.evaluationForm(c)
	if !ok {
		return
	}
	var in submissionIn
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	allowed := map[int64]bool{}
	for _, t := range f.Trainers {
		allowed[t.BookingID] = true
	}
	ratings := make([]evaluation.Rating, len(in.Ratings))
	for i, r := range in.Ratings {
		ratings[i] = evaluation.Rating{BookingID: r.BookingID, Scores: r.Scores, Comment: r.Comment}
	}
	if err := evaluation.Validate(ratings, allowed); err != nil {
		fail(c, err)
		return
	}
	if err := s.Evaluations.Submit(c.Request.Context(), f, ratings); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"received": len(ratings), "message": "Terima kasih atas penilaian Anda."})
}
