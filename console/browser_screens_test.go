package console_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sinergi/scheduling"
)

// at360 evaluates js with the page laid out 360 px wide, as on a phone.
func at360(t *testing.T, ctx context.Context, what, js string, res any) {
	t.Helper()
	run(t, ctx, what+" at 360 px",
		emulation.SetDeviceMetricsOverride(360, 740, 2, true),
		chromedp.Sleep(50*time.Millisecond),
		chromedp.Evaluate(js, res),
		emulation.ClearDeviceMetricsOverride())
}

// cardsJS reads a table at 360 px: for every data cell of its first row,
// its label as shown, and whether it lies wholly on the screen with room
// for its text; and whether that row is laid out as a card.
const cardsJS = `((sel) => {
  const row = document.querySelector(sel + ' tbody tr');
  const cells = [...row.querySelectorAll('td')].filter(c => c.textContent.trim() !== '');
  return {
    card: getComputedStyle(row).display === 'block',
    cells: cells.map(c => {
      const r = c.getBoundingClientRect();
      return {label: getComputedStyle(c, '::before').content.replace(/^"|"$/g, ''),
        header: c.dataset.label || '', shown: r.left >= 0 && r.right <= document.documentElement.clientWidth && r.width > 250};
    })
  };
})`

type cardCell struct {
	Label, Header string
	Shown         bool
}

// TestTablesOnAPhone opens every page with a data table at 360 px: the
// staff ledger, the roster, the trainer's honoraria and
// statement and the weekly availability grid. Each table row is a card
// with every value beside its column's name, nothing squeezed or cut off
// (check), and the whole grid, Saturday afternoon included, can be read
// and ticked on a phone.
func TestTablesOnAPhone(t *testing.T) {
	e := newEnv(t)
	f := newBoard(t, e)
	_, _, err := e.app.Scheduling.TransitionBooking(f.ctx, scheduling.Scope{InstitutionID: e.instA}, f.todayB.ID, scheduling.Completed, 0)
	must(t, err)
	base := e.srv.URL

	staff := browser(t)
	signIn(t, staff, base, e.staffA, password, "#week-h")
	for _, p := range []struct{ path, table string }{
		{"/console/honoraria", "#ledger"},
		{"/console/people", "main table"},
	} {
		run(t, staff, "open "+p.path, chromedp.Navigate(base+p.path), chromedp.WaitVisible(p.table, chromedp.ByQuery))
		check(t, staff, p.path)
		var got struct {
			Card  bool
			Cells []cardCell
		}
		at360(t, staff, "read "+p.table+" on "+p.path, cardsJS+"('"+p.table+"')", &got)
		if !got.Card || len(got.Cells) < 3 {
			t.Fatalf("%s: at 360 px the table's first row is not a card of labelled values: %+v", p.path, got)
		}
		shown := map[string]bool{}
		for _, c := range got.Cells {
			if c.Header == "" || c.Label != c.Header || !c.Shown {
				t.Errorf("%s: at 360 px a value is not beside its column's name on the screen: %+v", p.path, c)
			}
			shown[c.Label] = c.Shown
		}
		if p.table == "#ledger" {
			// The columns the first report found cut off.
			for _, want := range []string{"Nama", "Netto", "Status", "Tindakan"} {
				if !shown[want] {
					t.Errorf("the ledger at 360 px does not show %q on the screen: %+v", want, got.Cells)
				}
			}
		}
	}
	for _, p := range []string{"/console/users", "/console/courses"} {
		run(t, staff, "open "+p, chromedp.Navigate(base+p), chromedp.WaitVisible("main h1", chromedp.ByQuery))
		check(t, staff, p)
	}

	trainer := browser(t)
	run(t, trainer, "ask for a link", chromedp.Navigate(base+"/console/trainer/login"), chromedp.WaitVisible("#f-email", chromedp.ByQuery),
		chromedp.SendKeys("#f-email", "marthen@example.id", chromedp.ByQuery),
		chromedp.Click("form button.primary", chromedp.ByQuery), chromedp.WaitVisible("p.flash", chromedp.ByQuery))
	run(t, trainer, "use the link", chromedp.Navigate(e.signInLink("marthen@example.id")),
		chromedp.Click("form button.primary", chromedp.ByQuery), chromedp.WaitVisible("#av-h", chromedp.ByQuery))
	check(t, trainer, "trainer portal")

	// The grid: every day and half-day label readable on the screen, every
	// box on the screen with its own label.
	var grid struct {
		Labels  []string
		Boxes   int
		Problem []string
	}
	at360(t, trainer, "read the grid", `(() => {
	  const right = document.documentElement.clientWidth, em = parseFloat(getComputedStyle(document.documentElement).fontSize);
	  const out = {Labels: [], Boxes: 0, Problem: []};
	  for (const h of document.querySelectorAll('table.grid th')) {
	    const r = h.getBoundingClientRect();
	    out.Labels.push(h.innerText.replace(/\s+/g, ' ').trim());
	    if (r.left < 0 || r.right > right || r.width < 2.5 * em) out.Problem.push('label ' + h.innerText + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
	  }
	  for (const b of document.querySelectorAll('table.grid input[type=checkbox]')) {
	    const r = b.getBoundingClientRect();
	    out.Boxes++;
	    if (r.left < 0 || r.right > right) out.Problem.push('box ' + b.id + ' off the screen');
	    if (!(b.getAttribute('aria-label') || (b.labels && b.labels.length))) out.Problem.push('box ' + b.id + ' has no label');
	  }
	  return out;
	})()`, &grid)
	if grid.Boxes != 12 || len(grid.Problem) > 0 {
		t.Fatalf("the weekly grid at 360 px: %d boxes, problems %q", grid.Boxes, grid.Problem)
	}
	for _, want := range []string{"Sen", "Sab", "Pagi 08.00–12.00", "Siang 13.00–17.00"} {
		if !strings.Contains(strings.Join(grid.Labels, "|"), want) {
			t.Errorf("the grid's labels %q lack %q", grid.Labels, want)
		}
	}
	run(t, trainer, "tick Saturday afternoon on a phone", emulation.SetDeviceMetricsOverride(360, 740, 2, true),
		chromedp.Click("#g-SA-1", chromedp.ByQuery), chromedp.Click(`form[action$="/availability"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("p.flash", chromedp.ByQuery), emulation.ClearDeviceMetricsOverride())
	var windows []string
	must(t, e.db.Raw(`SELECT windows::text FROM availability WHERE person_id = ?`, e.practitioner).Scan(&windows).Error)
	if len(windows) != 1 || !strings.Contains(windows[0], "FREQ=WEEKLY;BYDAY=SA") {
		t.Fatalf("ticking Saturday afternoon stored %q", windows)
	}

	// The calendar address: shown once with a copy button (JavaScript
	// shows it), replaced only after the confirmation page.
	var copyShown bool
	run(t, trainer, "make a calendar address", chromedp.Click(`form[action$="/feed"] button`, chromedp.ByQuery),
		chromedp.WaitVisible("#feed-url", chromedp.ByQuery),
		chromedp.Evaluate(`!document.querySelector('button[data-copy="feed-url"]').hidden`, &copyShown))
	if !copyShown {
		t.Fatal("the copy button is hidden with JavaScript on")
	}
	check(t, trainer, "trainer portal with a new calendar address")
	run(t, trainer, "ask to replace it", chromedp.Navigate(base+"/console/trainer"), chromedp.WaitVisible("#feed-have", chromedp.ByQuery),
		chromedp.Click(`form[action$="/feed"] button`, chromedp.ByQuery), chromedp.WaitVisible("#confirm-yes", chromedp.ByQuery))
	check(t, trainer, "confirm a new calendar address")
	run(t, trainer, "replace it", chromedp.Click("#confirm-yes", chromedp.ByQuery), chromedp.WaitVisible("#feed-url", chromedp.ByQuery))
	if n := e.count("SELECT count(*) FROM feed_tokens WHERE person_id = ? AND revoked_at IS NULL", e.practitioner); n != 1 {
		t.Fatalf("%d working calendar addresses, want 1", n)
	}

	var honoraria struct {
		Card  bool
		Cells []cardCell
	}
	at360(t, trainer, "the trainer's honoraria", cardsJS+"('#myhon-h ~ div table')", &honoraria)
	if !honoraria.Card || len(honoraria.Cells) < 5 {
		t.Fatalf("the trainer's honoraria at 360 px: %+v", honoraria)
	}
	run(t, trainer, "the statement", chromedp.Click("#statements", chromedp.ByQuery), chromedp.WaitVisible("#statement", chromedp.ByQuery))
	check(t, trainer, "trainer's statement")
	var statement struct {
		Card  bool
		Cells []cardCell
	}
	at360(t, trainer, "the statement", cardsJS+"('#statement')", &statement)
	for _, c := range statement.Cells {
		if c.Label != c.Header || c.Header == "" || !c.Shown {
			t.Errorf("the statement at 360 px: %+v", c)
		}
	}
}
