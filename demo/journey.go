package demo

import (
	"strings"
	"time"

	"sinergi/certification"
	"sinergi/evaluation"
	"sinergi/incentive"
	"sinergi/profile"
	"sinergi/scheduling"
)

// ExampleRegulation marks the demo's rate lines: they show how rates work
// and are not official figures.
const ExampleRegulation = "CONTOH — bukan angka resmi"

// Rates returns example ceilings for the diklat classes in the
// institution's region, for the fiscal years of the demo courses (last,
// this and next year: a session is priced by its own year), so that
// completing a demo booking drafts its honorarium.
func Rates(in Institution, cal Calendar) []incentive.Rate {
	amounts := []struct {
		class  incentive.Class
		amount int64
	}{
		{incentive.WidyaiswaraInternal, 200000},
		{incentive.PengajarLuarSatker, 300000},
		{incentive.Penceramah, 400000},
	}
	var out []incentive.Rate
	for _, year := range cal.FiscalYears() {
		for _, a := range amounts {
			out = append(out, incentive.Rate{Regulation: ExampleRegulation, FiscalYear: year, Funding: scheduling.APBD,
				Region: in.Region, Class: a.class, Unit: incentive.PerJP, Amount: a.amount,
				Source: "Data demo Sinergi: ganti dengan angka dari Pergub/PMK yang berlaku sebelum dipakai"})
		}
	}
	return out
}

// Signer is the certificate settings of a demo institution.
func Signer(in Institution) certification.Settings {
	names := map[string]string{"Asia/Jakarta": "Dr. H. Ahmad Fauzi, M.Si.", "Asia/Makassar": "Dr. Andi Makkasau, M.Pd.",
		"Asia/Jayapura": "Dr. Yohanes Wenda, M.A.P."}
	return certification.Settings{Template: "{seq:04}/{code}/CT/{year}", SignerName: names[in.Tenant.Zone],
		SignerTitle: "Kepala " + in.Tenant.Name, SignerNIP: "196805121994031007"}
}

// PastSession is a finished session of the past course with the people
// who taught it, named by e-mail.
type PastSession struct {
	Session   scheduling.Session
	Lead      string
	CoTrainer string
}

// PastCourse is a course that already took place, so the demo can show
// the whole journey: completed bookings, evaluations, honoraria and a
// certificate.
type PastCourse struct {
	Course   scheduling.Course
	Sessions []PastSession
}

// Past returns the institution's course that already took place: four
// morning sessions of 4 JP on the first four workdays from the Monday
// WeeksBack weeks before today's week, each led by a widyaiswara of at
// least ahli muda with a practitioner who specialises in the topic as
// co-trainer.
func Past(in Institution, cal Calendar) PastCourse {
	monday := cal.monday(-WeeksBack)
	days := cal.workdays(monday, 4)
	c := scheduling.Course{Name: "Pelatihan Teknis Tata Kelola Pemerintahan Daerah Angkatan I",
		OrganisingUnit: "Bidang Pengembangan Kompetensi", Funding: scheduling.APBD, Region: in.Region,
		StartDate: monday, EndDate: days[len(days)-1],
		LeadMinJenjang: profile.AhliMuda, PractitionerOutsideUnit: true}
	var leads []string
	for _, p := range in.People {
		if p.Person.Kind == profile.Widyaiswara && p.Person.Jenjang.Rank() >= profile.AhliMuda.Rank() {
			leads = append(leads, p.Person.Email)
		}
	}
	loc, _ := time.LoadLocation(in.Tenant.Zone)
	out := PastCourse{Course: c}
	for i, day := range days {
		start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, loc)
		t := topics[i]
		out.Sessions = append(out.Sessions, PastSession{
			Session: scheduling.Session{Topic: t.topic, Start: start, End: start.Add(3 * time.Hour), Zone: in.Tenant.Zone,
				Mode: scheduling.Offline, Venue: "Aula " + in.Tenant.Name,
				Requirements: []scheduling.Requirement{{Code: t.teknis, MinLevel: 3}, {Code: t.manajerial, MinLevel: 3}}},
			Lead:      leads[i%len(leads)],
			CoTrainer: specialist(in, i),
		})
	}
	return out
}

// specialist returns the e-mail of the first practitioner who knows topic
// i well.
func specialist(in Institution, i int) string {
	t := topics[i]
	for _, p := range in.People {
		if p.Person.Kind == profile.Practitioner && strings.HasPrefix(p.Person.Organisation, t.field) {
			return p.Person.Email
		}
	}
	return ""
}

// Scores returns participant n's Likert scores (1-4) of a trainer: mostly
// 3 and 4, the same every time.
func Scores(n int, lead bool) map[string]int {
	out := map[string]int{}
	for i, item := range evaluation.Items() {
		v := 3
		if (n+i)%3 != 0 || (!lead && i == 4) {
			v = 4
		}
		out[item.Code] = v
	}
	return out
}

// Participants is how many participants rate each past session.
const Participants = 12
