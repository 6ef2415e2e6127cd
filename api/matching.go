package api

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"sinergi/errs"
	"sinergi/i18n"
	"sinergi/matching"
	"sinergi/scheduling"
	"sinergi/tz"
)

type partOut struct {
	Criterion   string  `json:"criterion"`
	Weight      float64 `json:"weight"`
	Value       float64 `json:"value"`
	Points      float64 `json:"points"`
	Explanation string  `json:"explanation"`
}

type personRef struct {
	ID            int64  `json:"id"`
	InstitutionID int64  `json:"institution_id"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	Jenjang       string `json:"jenjang,omitempty"`
	Organisation  string `json:"organisation"`
	Zone          string `json:"zone"`
}

type candidateOut struct {
	Person    personRef `json:"person"`
	Score     float64   `json:"score"`
	Breakdown []partOut `json:"breakdown"`
}

func hundredths(n int) float64 { return float64(n) / 100 }

func refOf(p *matching.Person) personRef {
	return personRef{ID: p.ID, InstitutionID: p.InstitutionID, Name: p.Name, Kind: string(p.Kind), Jenjang: string(p.Jenjang),
		Organisation: p.Organisation, Zone: p.Zone}
}

func partsDTO(l i18n.Lang, parts []matching.Part) []partOut {
	out := make([]partOut, len(parts))
	for i, p := range parts {
		out[i] = partOut{Criterion: p.Criterion, Weight: p.Weight, Value: p.Value, Points: hundredths(p.Points),
			Explanation: p.Explanation.In(l)}
	}
	return out
}

func candidateDTO(l i18n.Lang, c matching.Candidate) candidateOut {
	return candidateOut{Person: refOf(c.Person), Score: hundredths(c.Score), Breakdown: partsDTO(l, c.Breakdown)}
}

func limitParam(c *gin.Context, def, most int) (int, error) {
	v := c.Query("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, errs.Invalidf("limit", "must be a whole number from 1 to %d", most)
	}
	return n, nil
}

// sessionAndLimit reads the session id in the path and ?limit (10, at most 100).
func sessionAndLimit(c *gin.Context) (int64, int, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	limit, err := limitParam(c, 10, 100)
	return id, limit, err
}

func (s *Server) candidates(c *gin.Context) {
	id, limit, err := sessionAndLimit(c)
	if err != nil {
		fail(c, err)
		return
	}
	res, err := s.Matching.Candidates(c.Request.Context(), principal(c).InstitutionID, id, scheduling.Role(c.Query("role")), limit)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]candidateOut, len(res.Candidates))
	for i, x := range res.Candidates {
		items[i] = candidateDTO(lang(c), x)
	}
	excluded := make([]exclusionOut, len(res.Excluded))
	for i, x := range res.Excluded {
		excluded[i] = exclusionOut{Person: refOf(x.Person), Score: hundredths(x.Score), Constraint: x.Constraint, Explanation: x.Explanation.In(lang(c))}
	}
	c.JSON(http.StatusOK, candidatesOut{SessionID: id, Role: c.Query("role"), Items: items, Excluded: excluded, Considered: res.Considered})
}

func pairDTO(l i18n.Lang, p matching.Pair) pairOut {
	return pairOut{Lead: candidateDTO(l, p.Lead), CoTrainer: candidateDTO(l, p.CoTrainer), Score: hundredths(p.Score),
		Complementarity: p.Complementarity, Breakdown: partsDTO(l, p.Breakdown)}
}

func (s *Server) pairs(c *gin.Context) {
	id, limit, err := sessionAndLimit(c)
	if err != nil {
		fail(c, err)
		return
	}
	ps, err := s.Matching.Pairs(c.Request.Context(), principal(c).InstitutionID, id, limit)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]pairOut, len(ps))
	for i, p := range ps {
		items[i] = pairDTO(lang(c), p)
	}
	c.JSON(http.StatusOK, sessionItemsOut[pairOut]{SessionID: id, Items: items})
}

func (s *Server) slots(c *gin.Context) {
	id, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	inst := principal(c).InstitutionID
	sess, err := s.Scheduling.Session(c.Request.Context(), inst, id)
	if err != nil {
		fail(c, err)
		return
	}
	loc := tz.MustLoad(sess.Zone)
	from, err1 := parseInstant("from", c.Query("from"), loc)
	to, err2 := parseInstant("to", c.Query("to"), loc)
	limit, err3 := limitParam(c, 10, 50)
	if err := firstErr(err1, err2, err3); err != nil {
		fail(c, err)
		return
	}
	if from.IsZero() || to.IsZero() {
		fail(c, errs.Invalidf("from", "from and to are required"))
		return
	}
	slots, err := s.Matching.Slots(c.Request.Context(), inst, id, from, to, limit)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]slotOut, len(slots))
	for i, sl := range slots {
		items[i] = slotOut{Start: sl.Start.In(loc).Format(time.RFC3339), End: sl.End.In(loc).Format(time.RFC3339), Pair: pairDTO(lang(c), sl.Pair)}
	}
	c.JSON(http.StatusOK, sessionItemsOut[slotOut]{SessionID: id, Items: items})
}

type assignIn struct {
	CoTrainersPerSession *int `json:"co_trainers_per_session" validate:"omitnil,gte=0,lte=10"`
	MaxSlotsPerPerson    int  `json:"max_slots_per_person" validate:"gte=0,lte=1000"`
}

func (s *Server) createAssignment(c *gin.Context) {
	courseID, err := pathID(c, "id")
	if err != nil {
		fail(c, err)
		return
	}
	var in assignIn
	if c.Request.ContentLength != 0 {
		if err := s.bind(c, &in); err != nil {
			fail(c, err)
			return
		}
	}
	co := 1
	if in.CoTrainersPerSession != nil {
		co = *in.CoTrainersPerSession
	}
	id, p, err := s.Matching.Assign(c.Request.Context(), principal(c).InstitutionID, courseID,
		matching.AssignOptions{CoTrainersPerSession: co, MaxSlotsPerPerson: in.MaxSlotsPerPerson})
	if err != nil {
		fail(c, err)
		return
	}
	slots := make([]assignedSlotOut, len(p.Slots))
	for i, f := range p.Slots {
		slots[i] = assignedSlotOut{SessionID: f.Slot.Session.ID, Role: string(f.Slot.Role)}
		if f.Candidate != nil {
			cand := candidateDTO(lang(c), *f.Candidate)
			slots[i].Candidate = &cand
		} else {
			slots[i].UnfilledReason = i18n.Sprintf(lang(c), f.Reason)
		}
	}
	c.Header("Location", fmt.Sprintf("/v1/courses/%d/assignments/%d", courseID, id))
	c.JSON(http.StatusCreated, proposalOut{ID: id, CourseID: courseID, Slots: slots, Filled: p.Filled, TotalScore: hundredths(p.Total),
		Optimal: p.Optimal, OptimalityGap: hundredths(p.Gap), Nodes: p.Nodes})
}

func (s *Server) applyAssignment(c *gin.Context) {
	courseID, err1 := pathID(c, "id")
	aid, err2 := pathID(c, "aid")
	if err := firstErr(err1, err2); err != nil {
		fail(c, err)
		return
	}
	bookings, err := s.Matching.Apply(c.Request.Context(), principal(c).InstitutionID, courseID, aid)
	if err != nil {
		fail(c, err)
		return
	}
	items := make([]bookingOut, len(bookings))
	for i, b := range bookings {
		items[i] = bookingDTO(b)
	}
	c.JSON(http.StatusOK, appliedOut{ID: aid, CourseID: courseID, Bookings: items})
}

type settingsIO struct {
	Weights struct {
		Expertise float64 `json:"expertise" validate:"gte=0,lte=100"`
		Level     float64 `json:"level" validate:"gte=0,lte=100"`
		Rating    float64 `json:"rating" validate:"gte=0,lte=100"`
		Load      float64 `json:"load" validate:"gte=0,lte=100"`
		Cost      float64 `json:"cost" validate:"gte=0,lte=100"`
		Travel    float64 `json:"travel" validate:"gte=0,lte=100"`
		Impact    float64 `json:"impact" validate:"gte=0,lte=100"`
	} `json:"weights"`
	MonthlyCapJP int   `json:"monthly_cap_jp" validate:"gte=0,lte=10000"`
	BudgetPerJP  int64 `json:"budget_per_jp" validate:"gte=0,lte=1000000000000"`
}

func settingsDTO(set matching.Settings) settingsIO {
	var out settingsIO
	out.Weights.Expertise, out.Weights.Level, out.Weights.Rating = set.Weights.Expertise, set.Weights.Level, set.Weights.Rating
	out.Weights.Load, out.Weights.Cost, out.Weights.Travel = set.Weights.Load, set.Weights.Cost, set.Weights.Travel
	out.Weights.Impact = set.Weights.Impact
	out.MonthlyCapJP, out.BudgetPerJP = set.MonthlyCapJP, set.BudgetPerJP
	return out
}

func (s *Server) getMatchingSettings(c *gin.Context) {
	set, err := s.Matching.Settings.Settings(c.Request.Context(), principal(c).InstitutionID)
	if err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, settingsDTO(set))
}

func (s *Server) putMatchingSettings(c *gin.Context) {
	var in settingsIO
	if err := s.bind(c, &in); err != nil {
		fail(c, err)
		return
	}
	set := matching.Settings{Weights: matching.Weights(in.Weights), MonthlyCapJP: in.MonthlyCapJP, BudgetPerJP: in.BudgetPerJP}
	if err := s.Matching.SaveSettings(c.Request.Context(), principal(c).InstitutionID, set); err != nil {
		fail(c, err)
		return
	}
	c.JSON(http.StatusOK, settingsDTO(set))
}

type exclusionOut struct {
	Person      personRef `json:"person"`
	Score       float64   `json:"score"`
	Constraint  string    `json:"constraint"`
	Explanation string    `json:"explanation"`
}

// candidatesOut ranks a session's candidates, with the best people a
// constraint kept out.
type candidatesOut struct {
	SessionID  int64          `json:"session_id"`
	Role       string         `json:"role"`
	Items      []candidateOut `json:"items"`
	Excluded   []exclusionOut `json:"excluded"`
	Considered int            `json:"considered"`
}

type pairOut struct {
	Lead            candidateOut `json:"lead"`
	CoTrainer       candidateOut `json:"co_trainer"`
	Score           float64      `json:"score"`
	Complementarity float64      `json:"complementarity"`
	Breakdown       []partOut    `json:"breakdown"`
}

type slotOut struct {
	Start string  `json:"start"`
	End   string  `json:"end"`
	Pair  pairOut `json:"pair"`
}

// sessionItemsOut lists what a session's pairs or free times are.
type sessionItemsOut[T any] struct {
	SessionID int64 `json:"session_id"`
	Items     []T   `json:"items"`
}

type assignedSlotOut struct {
	SessionID      int64         `json:"session_id"`
	Role           string        `json:"role"`
	Candidate      *candidateOut `json:"candidate,omitempty"`
	UnfilledReason string        `json:"unfilled_reason,omitempty"`
}

// proposalOut is a whole-course assignment proposal.
type proposalOut struct {
	ID            int64             `json:"id"`
	CourseID      int64             `json:"course_id"`
	Slots         []assignedSlotOut `json:"slots"`
	Filled        int               `json:"filled"`
	TotalScore    float64           `json:"total_score"`
	Optimal       bool              `json:"optimal"`
	OptimalityGap float64           `json:"optimality_gap"`
	Nodes         int               `json:"nodes"`
}

type appliedOut struct {
	ID       int64        `json:"id"`
	CourseID int64        `json:"course_id"`
	Bookings []bookingOut `json:"bookings"`
}
