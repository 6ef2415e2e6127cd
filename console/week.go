package console

import (
	"fmt"
	"net/http"
	"time"

	"sinergi/scheduling"
	"sinergi/tenant"
)

type weekDay struct {
	Date     time.Time
	Label    string
	Sessions []sessionLine
}

type weekView struct {
	page
	Days       []weekDay
	Prev, Next string
}

// week shows the institution's sessions for seven days from ?from
// (YYYY-MM-DD; default today), each on the day it falls on in its venue's
// zone, with the clock in that zone.
func (s *Server) week(w http.ResponseWriter, r *http.Request, u tenant.User) {
	ctx, inst := r.Context(), u.InstitutionID
	v := weekView{page: newPage(r, &u, "week")}
	st := http.StatusOK
	from, err := time.Parse(time.DateOnly, r.URL.Query().Get("from"))
	if err == nil && scheduling.CheckYear("from", from.Year()) != nil {
		// A week outside the years Sinergi plans would print years such
		// as 10000; say so and show this week.
		v.Error, st = fmt.Sprintf(v.T("screens_week_range"), scheduling.FirstYear, scheduling.LastYear), http.StatusUnprocessableEntity
		// Switching language comes back to this week, not to the refused one.
		v.Here = Prefix + "week"
	}
	if err != nil || st != http.StatusOK {
		n := s.Now()
		from = time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	}
	for i := 0; i < 7; i++ {
		d := from.AddDate(0, 0, i)
		v.Days = append(v.Days, weekDay{Date: d, Label: day(v.Lang, d)})
	}
	v.Prev, v.Next = from.AddDate(0, 0, -7).Format(time.DateOnly), from.AddDate(0, 0, 7).Format(time.DateOnly)
	// A venue's day (UTC+7 to UTC+9) starts before the same date in UTC:
	// read from half a day earlier and keep what falls on the week's days.
	sessions, err := s.sessionsBetween(ctx, inst, from.Add(-12*time.Hour), from.AddDate(0, 0, 8))
	if err != nil {
		s.errorPage(w, r, &u, err)
		return
	}
	courseName := s.courseNames(ctx, inst)
	for _, sess := range sessions {
		local := sess.Start.In(sess.Location())
		day := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
		if i := int(day.Sub(from).Hours() / 24); !day.Before(from) && i < 7 {
			cn, err := courseName(sess.CourseID)
			if err != nil {
				s.errorPage(w, r, &u, err)
				return
			}
			v.Days[i].Sessions = append(v.Days[i].Sessions, line(v.Lang, sess, cn))
		}
	}
	v.Title = v.T("week_title")
	s.render(w, r, st, "week", v)
}
