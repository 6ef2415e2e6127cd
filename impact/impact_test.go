package impact

import (
	"math"
	"strings"
	"testing"
	"time"

	"sinergi/errs"
)

var t0 = time.Date(2027, 2, 1, 2, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func TestStepWalksTheFollowUp(t *testing.T) {
	s := DefaultSettings()
	f := FollowUp{ParticipantID: 1, State: Waiting, Due: day(56)}
	f.Next = &f.Due
	steps := []struct {
		at    int
		state State
		mail  string
	}{
		{55, Waiting, ""},
		{56, Open, MailFollowUp},
		{56, Open, ""}, // a second run at the same time owes nothing
		{62, Open, ""},
		{63, Open, "impact_reminder_1"},
		{63, Open, ""},
		{70, Open, "impact_reminder_2"},
		{77, Open, ""}, // only two reminders
		{84, Expired, ""},
		{90, Expired, ""},
	}
	for _, st := range steps {
		var mail []string
		if f.Next != nil && !day(st.at).Before(*f.Next) {
			f, mail = Step(f, s, day(st.at))
		}
		got := strings.Join(mail, ",")
		if f.State != st.state || got != st.mail {
			t.Fatalf("day %d: %s %q, want %s %q", st.at, f.State, got, st.state, st.mail)
		}
	}
}

func TestReportAsksTheSupervisorWithItsOwnReminders(t *testing.T) {
	s := DefaultSettings()
	f := FollowUp{State: Waiting, Due: day(56)}
	f, _ = Step(f, s, day(56))
	if err := f.Confirm(day(57)); !errorsIs(err, ErrNotOpen) {
		t.Fatalf("confirm before the report: %v", err)
	}
	if err := f.Report(s, day(60)); err != nil {
		t.Fatal(err)
	}
	if err := f.Report(s, day(61)); !errorsIs(err, ErrAlreadyAnswered) {
		t.Fatalf("second report: %v", err)
	}
	if f.Expires == nil || !f.Expires.Equal(day(88)) || !f.Next.Equal(day(67)) {
		t.Fatalf("after the report: expires %v next %v", f.Expires, f.Next)
	}
	f, mail := Step(f, s, day(67))
	if len(mail) != 1 || mail[0] != "impact_supervisor_reminder_1" || f.Reminders != 0 {
		t.Fatalf("supervisor reminder: %v %+v", mail, f)
	}
	if err := f.Confirm(day(68)); err != nil || f.State != Confirmed || f.Next != nil {
		t.Fatalf("confirm: %v %+v", err, f)
	}
}

func TestAFollowUpFoundLateExpiresWithoutMail(t *testing.T) {
	f := FollowUp{State: Waiting, Due: day(56)}
	f, mail := Step(f, DefaultSettings(), day(200))
	if f.State != Expired || len(mail) != 0 {
		t.Fatalf("%s %v", f.State, mail)
	}
}

func errorsIs(err, target error) bool {
	e, ok := errs.As(err)
	t, _ := errs.As(target)
	return ok && e.Code == t.Code
}

func TestPlansRefuseHostileInput(t *testing.T) {
	sessions := []Session{{ID: 10, Trainers: []Trainer{{PersonID: 1}, {PersonID: 2}}}, {ID: 11, Trainers: []Trainer{{PersonID: 3}}}}
	today := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	good := func() Plan {
		return Plan{Change: "Menerapkan SOP baru", Indicator: "hari proses", Baseline: 10, Target: 5, Due: today.AddDate(0, 2, 0), Sessions: []int64{10}}
	}
	tests := []struct {
		name  string
		edit  func(p *Plan)
		field string
	}{
		{"control characters in the change", func(p *Plan) { p.Change = "Menerapkan\x00SOP" }, "plans[0].change"},
		{"a bidi override in the indicator", func(p *Plan) { p.Indicator = "hari\u202eproses" }, "plans[0].indicator"},
		{"an overlong change", func(p *Plan) { p.Change = strings.Repeat("a", 1001) }, "plans[0].change"},
		{"a target equal to the baseline", func(p *Plan) { p.Target = p.Baseline }, "plans[0].target"},
		{"an infinite baseline", func(p *Plan) { p.Baseline = math.Inf(1) }, "plans[0].baseline"},
		{"a date in the past", func(p *Plan) { p.Due = today.AddDate(0, 0, -1) }, "plans[0].due_date"},
		{"a session of another course", func(p *Plan) { p.Sessions = []int64{99} }, "plans[0].session_ids"},
		{"a trainer who did not teach it", func(p *Plan) { p.Trainers = []int64{3} }, "plans[0].trainer_ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := good()
			tt.edit(&p)
			err := ValidatePlans([]Plan{p}, sessions, today)
			e, ok := errs.As(err)
			if !ok || e.Fields[tt.field] == "" {
				t.Fatalf("got %v, want a problem with %s", err, tt.field)
			}
		})
	}
	t.Run("four plans are too many", func(t *testing.T) {
		if err := ValidatePlans([]Plan{good(), good(), good(), good()}, sessions, today); err == nil {
			t.Fatal("accepted four plans")
		}
	})
	t.Run("a plan credits every trainer of its sessions", func(t *testing.T) {
		ps := []Plan{good()}
		ps[0].Sessions = []int64{10, 11}
		if err := ValidatePlans(ps, sessions, today); err != nil {
			t.Fatal(err)
		}
		if len(ps[0].Trainers) != 3 || ps[0].Position != 1 {
			t.Fatalf("%+v", ps[0])
		}
	})
}

func TestParticipantRefusesControlCharactersAndBadAddresses(t *testing.T) {
	p := Participant{Name: "Andi\x1b[31m", Email: "andi@example.id", SupervisorName: "Sri", SupervisorEmail: "andi@example.id", NIP: "123"}
	e, _ := errs.As(p.Normalize(t0))
	for _, f := range []string{"name", "supervisor_email", "nip"} {
		if e == nil || e.Fields[f] == "" {
			t.Fatalf("no problem with %s: %v", f, e)
		}
	}
}

func TestFiguresByHand(t *testing.T) {
	v := func(x float64) *float64 { return &x }
	plans := []PlanRecord{
		{PlanID: 1, Baseline: 10, Target: 20, Trainers: []int64{1, 2}, Reported: true, Confirmed: true, Implemented: true, Behaviour: 4, Value: v(15)},
		{PlanID: 2, Baseline: 10, Target: 5, Trainers: []int64{1}, Reported: true, Confirmed: true, Implemented: false, Behaviour: 2, Value: v(12)},
		{PlanID: 3, Baseline: 0, Target: 1, Trainers: []int64{2}, Reported: true, Confirmed: true, Implemented: true, Behaviour: 3, Value: v(5)},
		{PlanID: 4, Baseline: 0, Target: 1, Trainers: []int64{2}},
	}
	ratings := []Rating{{SessionID: 1, PersonID: 1, Normalised: 80}, {SessionID: 1, PersonID: 2, Normalised: 100}, {SessionID: 2, PersonID: 2, Normalised: 60}}
	taught := []Taught{{1, Person{1, "Wulan", "widyaiswara"}}, {1, Person{2, "Praktisi", "practitioner"}}, {2, Person{2, "Praktisi", "practitioner"}}}
	r := Build(7, plans, ratings, taught)
	tot := r.Total
	// Level 3: 2 of 3 confirmed implemented. Level 4: attainments 0.5,
	// -0.4 and 5 bounded to 2: mean (0.5 - 0.4 + 2) / 3 = 0.7.
	if tot.Plans != 4 || tot.Confirmed != 3 || tot.Implemented != 2 || *tot.ImplementedShare != 0.6667 || *tot.Attainment != 0.7 ||
		tot.Improved != 2 || *tot.ReactionMean != 80 || *tot.BehaviourMean != 3 || tot.Confidence != "sangat_rendah" {
		t.Fatalf("total %+v", tot)
	}
	if len(r.Trainers) != 2 || len(r.Pairs) != 1 {
		t.Fatalf("%d trainers, %d pairs", len(r.Trainers), len(r.Pairs))
	}
	pair := r.Pairs[0]
	// The pair: plan 1 only; ratings on session 1 only (80 and 100).
	if pair.Confirmed != 1 || pair.Implemented != 1 || *pair.ReactionMean != 90 || *pair.Attainment != 0.5 {
		t.Fatalf("pair %+v", pair.Figures)
	}
	lo, hi := wilson(2, 3)
	if math.Abs(lo-0.2077) > 1e-3 || math.Abs(hi-0.9385) > 1e-3 {
		t.Fatalf("wilson %v %v", lo, hi)
	}
}
