package console

import (
	"context"
	"time"

	"sinergi/scheduling"
)

// sessionsBetween reads the institution's scheduled sessions that start
// from from until to (zero: open), in time order, a page of the store's at
// a time: however many courses the institution has run, none is left out.
func (s *Server) sessionsBetween(ctx context.Context, inst int64, from, to time.Time) ([]scheduling.Session, error) {
	const batch = 200
	var all []scheduling.Session
	f := scheduling.SessionFilter{From: from, To: to, Status: scheduling.SessionScheduled, Limit: batch}
	for {
		page, err := s.Scheduling.ListSessions(ctx, inst, f)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < batch {
			return all, nil
		}
		last := page[len(page)-1]
		f.After = &scheduling.SessionCursor{Start: last.Start, ID: last.ID}
	}
}

// courseNames returns a reader of course names that asks the store once
// per course.
func (s *Server) courseNames(ctx context.Context, inst int64) func(id int64) (string, error) {
	names := map[int64]string{}
	return func(id int64) (string, error) {
		if n, ok := names[id]; ok {
			return n, nil
		}
		c, err := s.Scheduling.Course(ctx, inst, id)
		if err != nil {
			return "", err
		}
		names[id] = c.Name
		return c.Name, nil
	}
}
