package console

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"sinergi/errs"

	"sinergi/matching"
	"sinergi/scheduling"
	"sinergi/tenant"
)

type assignLine struct {
	matching.Filled
	Session sessionLine
}

type assignView struct {
	page
	Course   scheduling.Course
	ID       int64
	Proposal matching.Proposal
	Lines    []assignLine
}

// propose asks matching for people for every open slot of the course and
// shows the saved proposal for review before it is applied.
func (s *Server) propose(w http.ResponseWriter, r *http.Request, u tenant.User) {
	courseID, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	co, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("co_trainers_per_session")))
	if err != nil {
		err = errs.Invalidf("co_trainers_per_session", "must be a whole number")
	}
	var id int64
	var prop matching.Proposal
	if err == nil {
		id, prop, err = s.Matching.Assign(r.Context(), u.InstitutionID, courseID, matching.AssignOptions{CoTrainersPerSession: co})
	}
	if err != nil {
		p := newPage(r, &u, "courses")
		p.Form = r.PostForm
		p.withError(err)
		s.renderCourse(w, r, u, p, status(err))
		return
	}
	c, err := s.Scheduling.Course(r.Context(), u.InstitutionID, courseID)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v := assignView{page: newPage(r, &u, "courses"), Course: c, ID: id, Proposal: prop}
	for _, f := range prop.Slots {
		v.Lines = append(v.Lines, assignLine{Filled: f, Session: line(v.Lang, f.Slot.Session, c.Name)})
	}
	v.Title = v.T("assignment_title")
	s.render(w, r, http.StatusOK, "assignment", v)
}

// applyProposal books every filled slot of a reviewed proposal in one
// transaction (matching.Service.Apply books each through scheduling).
func (s *Server) applyProposal(w http.ResponseWriter, r *http.Request, u tenant.User) {
	courseID, err := pathID(r, "id")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	if r.FormValue("confirm") != "yes" {
		s.confirmApply(w, r, u, courseID)
		return
	}
	if _, err := s.Matching.Apply(r.Context(), u.InstitutionID, courseID, aid); err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	back(w, r, fmt.Sprintf("%scourses/%d", Prefix, courseID), "assignment_applied")
}
