package console

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"sinergi/errs"
	"sinergi/incentive"
	"sinergi/tenant"
	"sinergi/tz"
)

// honorariumLine is a ledger row as the honoraria list shows it: with its
// course, its session's topic and date, and how it was paid.
func (s *Server) honorariumLine(r *http.Request, u tenant.User, p page, h incentive.Honorarium, name string) (honorariumLine, error) {
	ctx := r.Context()
	l := honorariumLine{Honorarium: h, Name: name}
	c, err := s.Scheduling.Course(ctx, u.InstitutionID, h.CourseID)
	if err != nil {
		return l, err
	}
	sess, err := s.Scheduling.Session(ctx, u.InstitutionID, h.SessionID)
	if err != nil {
		return l, err
	}
	l.Course = c.Name
	l.Session = sess.Topic + " · " + day(p.Lang, sess.Start.In(sess.Location()))
	if !h.Payment.On.IsZero() {
		l.Paid = h.Payment.On.Format("02-01-2006")
		if h.Payment.Reference != "" {
			l.Paid += " · " + h.Payment.Reference
		}
	}
	return l, nil
}

// ledgerRow reads the institution's ledger row id in the status a step
// starts from; a row in another status is not found for that step.
func (s *Server) ledgerRow(ctx context.Context, inst, id int64, st incentive.Status) (incentive.Honorarium, error) {
	h, err := s.Incentives.Honorarium(ctx, inst, id)
	if err == nil && h.Status != st {
		err = errs.NotFoundf("honorarium %d not found", id)
	}
	return h, err
}

// confirmPay asks before a payment is recorded, for the date the money
// went out (today unless told) and the treasurer's reference; problems
// with either come back from incentive.Pay next to its field.
func (s *Server) confirmPay(w http.ResponseWriter, r *http.Request, u tenant.User, id int64, problem error) {
	ctx, inst := r.Context(), u.InstitutionID
	h, err := s.ledgerRow(ctx, inst, id, incentive.Approved)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	p, err := s.People.Person(ctx, inst, h.PersonID, true)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	_ = r.ParseForm()
	v := confirmView{page: newPage(r, &u, "honoraria"), Action: r.URL.Path, Cancel: Prefix + "honoraria?" + honorariaQuery(r.Form),
		Button: msg(u.Lang, "flow_pay_confirm")}
	v.Title = v.T("flow_pay_title")
	line, err := s.honorariumLine(r, u, v.page, h, p.Name)
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	v.Lines = append(v.Lines, fmt.Sprintf(v.T("flow_pay_what"), p.Name, line.Course, line.Session, rupiah(h.Net)))
	today := s.Now()
	if in, err := s.Tenants.Institution(ctx, inst); err == nil {
		if loc, err := tz.Load(in.Zone); err == nil {
			today = today.In(loc) // the institution's calendar day
		}
	}
	v.Form.Set("paid_on", today.Format(time.DateOnly))
	if r.PostForm.Get("paid_on") != "" || r.PostForm.Get("reference") != "" {
		v.Form.Set("paid_on", r.PostForm.Get("paid_on"))
		v.Form.Set("reference", r.PostForm.Get("reference"))
	}
	st := http.StatusOK
	if problem != nil {
		v.withError(problem)
		st = status(problem)
	}
	v.Inputs = []field{v.F("paid_on", "date", "flow_paid_on", true), v.F("reference", "text", "flow_payment_ref", false)}
	for _, k := range []string{"status", "year", "person_id", "page", "size"} {
		if val := r.Form.Get(k); val != "" {
			v.Hidden = append(v.Hidden, [2]string{k, val})
		}
	}
	s.askConfirm(w, r, v, st)
}
