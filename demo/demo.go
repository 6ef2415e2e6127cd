// Package demo generates a realistic, deterministic demo roster: three
// institutions across WIB, WITA and WIT, sixty widyaiswara and three
// hundred practitioners with competencies. The same seed always yields the
// same data.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"sinergi/profile"
	"sinergi/scheduling"
	"sinergi/tenant"
)

// Institution is one demo tenant with its roster.
type Institution struct {
	Tenant tenant.Institution
	Region string
	// Teknis are the institution's own technical competencies.
	Teknis []profile.Competency
	People []Person
}

// Person is a demo trainer with competencies named by code.
type Person struct {
	Person profile.Person
	Levels []Level
}

// Level is a competency code with a level and evidence.
type Level struct {
	Code           string
	Level          int
	Years          int
	SessionsTaught int
}

// Sizes of the demo roster per institution.
const (
	WidyaiswaraPerInstitution  = 20
	PractitionerPerInstitution = 100
)

var (
	firstNames = []string{"Agus", "Budi", "Citra", "Dewi", "Eko", "Fitri", "Gita", "Hendra", "Indah", "Joko", "Kurniawati",
		"Lestari", "Made", "Nur", "Putu", "Rahmat", "Siti", "Teguh", "Wayan", "Yohanes", "Andi", "Marthen", "Ketut",
		"Ratna", "Yosina", "Irfan", "Hasanuddin", "Sri", "Bambang", "Maria"}
	lastNames = []string{"Santoso", "Wijaya", "Hidayat", "Saputra", "Kurniawan", "Lestari", "Pratama", "Siregar",
		"Nasution", "Simanjuntak", "Mandagi", "Pakpahan", "Rumbiak", "Wenda", "Mambor", "Daeng", "Sompa", "Paembonan",
		"Latuconsina", "Gunawan", "Permana", "Setiawan", "Haryanto", "Tanjung", "Yikwa"}
	organisations = []string{"Dinas Kesehatan", "Badan Penanggulangan Bencana Daerah", "Dinas Penanaman Modal dan PTSP",
		"Bappeda", "Badan Pengelola Keuangan Daerah", "Dinas Komunikasi dan Informatika", "RSUD", "Puskesmas",
		"Inspektorat", "Kantor Regional BKN", "PT PLN (Persero)", "Bank Pembangunan Daerah", "Universitas Negeri",
		"Lembaga Swadaya Masyarakat Desa Mandiri", "Kantor Pelayanan Pajak Pratama"}
	teknis = [][2]string{
		{"pengadaan_barang_jasa", "Pengadaan Barang/Jasa Pemerintah"},
		{"manajemen_bencana", "Manajemen Penanggulangan Bencana"},
		{"kesehatan_masyarakat", "Kesehatan Masyarakat"},
		{"keuangan_daerah", "Pengelolaan Keuangan Daerah"},
		{"transformasi_digital", "Transformasi Digital Pemerintahan"},
		{"pelayanan_perizinan", "Pelayanan Perizinan Terpadu"},
		{"perencanaan_pembangunan", "Perencanaan Pembangunan Daerah"},
		{"manajemen_asn", "Manajemen ASN"},
	}
	national = []string{"integritas", "kerjasama", "komunikasi", "orientasi_hasil", "pelayanan_publik",
		"pengembangan_diri", "mengelola_perubahan", "pengambilan_keputusan", "perekat_bangsa"}
	golonganOf = map[profile.Jenjang][]string{
		profile.AhliPertama: {"III/a", "III/b"}, profile.AhliMuda: {"III/c", "III/d"},
		profile.AhliMadya: {"IV/a", "IV/b", "IV/c"}, profile.AhliUtama: {"IV/d", "IV/e"},
	}
)

// topic is a session subject with the competencies it asks for and the
// kind of organisation its practitioners come from.
type topic struct{ topic, teknis, manajerial, field string }

// topics are the subjects of the demo courses. Each has practitioners
// from the field who know it well: the natural co-trainers next to a
// widyaiswara lead.
var topics = []topic{
	{"Manajemen Risiko Bencana di Daerah", "manajemen_bencana", "pengambilan_keputusan", "Badan Penanggulangan Bencana Daerah"},
	{"Pengadaan Barang/Jasa yang Akuntabel", "pengadaan_barang_jasa", "integritas", "Bagian Pengadaan Barang/Jasa Setda"},
	{"Pelayanan Perizinan Terpadu", "pelayanan_perizinan", "pelayanan_publik", "Dinas Penanaman Modal dan PTSP"},
	{"Transformasi Digital Layanan Publik", "transformasi_digital", "mengelola_perubahan", "Dinas Komunikasi dan Informatika"},
	{"Perencanaan Pembangunan Berbasis Data", "perencanaan_pembangunan", "orientasi_hasil", "Bappeda"},
}

// SpecialistsPerTopic is how many practitioners per institution know each
// topic well (the first practitioners of the roster, topic by topic).
const SpecialistsPerTopic = 4

// Generate returns the demo data for a seed.
func Generate(seed uint64) []Institution {
	r := rand.New(rand.NewPCG(seed, seed^0x5157a1))
	tenants := []tenant.Institution{
		{Code: "BPSDM-JABAR", Name: "BPSDM Provinsi Jawa Barat", Kind: "bpsdm_provinsi", Zone: "Asia/Jakarta"},
		{Code: "BPSDM-SULSEL", Name: "BPSDM Provinsi Sulawesi Selatan", Kind: "bpsdm_provinsi", Zone: "Asia/Makassar"},
		{Code: "BPSDM-PAPUA", Name: "BPSDM Provinsi Papua", Kind: "bpsdm_provinsi", Zone: "Asia/Jayapura"},
	}
	regions := []string{"Jawa Barat", "Sulawesi Selatan", "Papua"}
	out := make([]Institution, len(tenants))
	for i, t := range tenants {
		inst := Institution{Tenant: t, Region: regions[i]}
		for _, tk := range teknis {
			inst.Teknis = append(inst.Teknis, profile.Competency{Type: profile.Teknis, Code: tk[0], Name: tk[1]})
		}
		used := map[string]bool{}
		for n := 0; n < WidyaiswaraPerInstitution+PractitionerPerInstitution; n++ {
			inst.People = append(inst.People, person(r, t, regions[i], n < WidyaiswaraPerInstitution, n, used))
		}
		out[i] = inst
	}
	return out
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func person(r *rand.Rand, t tenant.Institution, region string, widyaiswara bool, n int, used map[string]bool) Person {
	name := pick(r, firstNames) + " " + pick(r, lastNames)
	slug := strings.ToLower(strings.ReplaceAll(name, " ", "."))
	p := profile.Person{
		Name:            name,
		Zone:            t.Zone,
		Phone:           fmt.Sprintf("+628%d%08d", 11+r.IntN(89), r.IntN(100000000)),
		ExperienceYears: 3 + r.IntN(25),
		TaxIDStatus:     pick(r, []profile.TaxIDStatus{profile.TaxNPWP, profile.TaxNPWP, profile.TaxNIK, profile.TaxNone}),
	}
	var levels []Level
	if widyaiswara {
		p.Kind = profile.Widyaiswara
		p.Employment = profile.PNS
		p.Jenjang = pick(r, profile.Jenjangs)
		p.Golongan = pick(r, golonganOf[p.Jenjang])
		p.Organisation = t.Name
		p.Unit = "Bidang Pengembangan Kompetensi"
		p.Email = fmt.Sprintf("%s.%d@%s.go.id", slug, n, strings.ToLower(t.Code))
		p.NIP = nip(r, used)
		levels = append(levels, Level{Code: pick(r, national[:8]), Level: 3 + r.IntN(3), Years: 2 + r.IntN(15), SessionsTaught: 10 + r.IntN(200)})
	} else {
		p.Kind = profile.Practitioner
		org := pick(r, organisations)
		p.Organisation = org + " " + region
		p.Unit = pick(r, []string{"Bidang Pelayanan", "Bidang Perencanaan", "Seksi Operasional", "Sekretariat"})
		p.Email = fmt.Sprintf("%s.%d@example.id", slug, n)
		p.ShareProfile = r.IntN(4) == 0
		if k := n - WidyaiswaraPerInstitution; k < SpecialistsPerTopic*len(topics) {
			// A specialist: works in the topic's field, knows its teknis
			// competency at 4-5 and its manajerial one at 3-4.
			t := topics[k%len(topics)]
			p.Organisation = t.field + " " + region
			p.Expertise = append(p.Expertise, t.teknis)
			levels = append(levels,
				Level{Code: t.teknis, Level: 4 + r.IntN(2), Years: 5 + r.IntN(15), SessionsTaught: 5 + r.IntN(40)},
				Level{Code: t.manajerial, Level: 3 + r.IntN(2), Years: 3 + r.IntN(10)})
		}
		if r.IntN(3) == 0 {
			p.Employment = profile.PNS
			p.NIP = nip(r, used)
			p.Golongan = pick(r, []string{"III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b"})
		} else {
			p.Employment = profile.NonASN
		}
	}
	seen := map[string]bool{}
	for _, l := range levels {
		seen[l.Code] = true
	}
	// Widyaiswara teach method and manajerial competencies; their teknis
	// levels stay at 1-3, below the field's specialists.
	top := 5
	if widyaiswara {
		top = 3
	}
	for k := 0; k < 2+r.IntN(4); k++ {
		tk := pick(r, teknis)[0]
		if seen[tk] {
			continue
		}
		seen[tk] = true
		p.Expertise = append(p.Expertise, tk)
		levels = append(levels, Level{Code: tk, Level: 1 + r.IntN(top), Years: r.IntN(20), SessionsTaught: r.IntN(80)})
	}
	levels = append(levels, Level{Code: "perekat_bangsa", Level: 1 + r.IntN(4)})
	return Person{Person: p, Levels: levels}
}

// nip makes a well-formed, unique NIP: birth date, TMT 22-30 years later,
// sex digit and sequence.
func nip(r *rand.Rand, used map[string]bool) string {
	for {
		y, m, d := 1965+r.IntN(30), 1+r.IntN(12), 1+r.IntN(28)
		ty, tm := y+22+r.IntN(9), 1+r.IntN(12)
		s := fmt.Sprintf("%04d%02d%02d%04d%02d%d%03d", y, m, d, ty, tm, 1+r.IntN(2), 1+r.IntN(999))
		if !used[s] {
			used[s] = true
			return s
		}
	}
}

// Course is a demo programme with its sessions.
type Course struct {
	Course   scheduling.Course
	Sessions []scheduling.Session
}

// Courses returns each demo institution's coming course: ten morning
// sessions of 4 JP on the first ten workdays from the Monday WeeksAhead
// weeks after today's week, in the institution's zone, each asking for a
// teknis and a manajerial competency.
func Courses(in Institution, cal Calendar) Course {
	monday := cal.monday(WeeksAhead)
	days := cal.workdays(monday, 10)
	c := scheduling.Course{Name: "Pelatihan Kepemimpinan Pengawas (PKP) Angkatan I", OrganisingUnit: "Bidang Pengembangan Kompetensi",
		Funding: scheduling.APBD, Region: in.Region, StartDate: monday,
		EndDate: days[len(days)-1], LeadMinJenjang: profile.AhliMuda, PractitionerOutsideUnit: true}
	loc, _ := time.LoadLocation(in.Tenant.Zone)
	out := Course{Course: c}
	for i, day := range days {
		start := time.Date(day.Year(), day.Month(), day.Day(), 8, 0, 0, 0, loc)
		t := topics[i%len(topics)]
		out.Sessions = append(out.Sessions, scheduling.Session{Topic: t.topic, Start: start, End: start.Add(3 * time.Hour), Zone: in.Tenant.Zone,
			Mode: scheduling.Offline, Venue: "Aula " + in.Tenant.Name,
			Requirements: []scheduling.Requirement{{Code: t.teknis, MinLevel: 3}, {Code: t.manajerial, MinLevel: 3}}})
	}
	return out
}
