package i18n

// matchingID holds the Indonesian text of the matching explanations: the
// score breakdown, the exclusions and the assignment's reasons.
var matchingID = map[string]string{
	"archived":                    "sudah diarsipkan",
	"only a widyaiswara can lead": "hanya widyaiswara yang dapat menjadi pengajar utama",
	"the course takes only practitioners as co-trainers; %s is a widyaiswara":          "pelatihan ini hanya menerima praktisi sebagai pengajar pendamping; %s adalah widyaiswara",
	"the course asks for a lead of at least %s; %s is %s":                              "pelatihan meminta pengajar utama paling rendah %s; %s berjenjang %s",
	"a practitioner from the organising unit %s; the course asks for one from outside": "praktisi dari unit penyelenggara %s; pelatihan meminta praktisi dari luar",
	"%d JP already booked this month; %d more passes the cap of %d":                    "%d JP sudah dipesan bulan ini; tambahan %d JP melewati batas %d",
	"already booked on this session":                                                   "sudah dipesan pada sesi ini",
	"booked on session %d from %s":                                                     "dipesan pada sesi %d mulai %s",
	"an offline session at %s is within %s":                                            "ada sesi luring di %s dalam jarak %s",
	"outside the declared availability":                                                "di luar ketersediaan yang dinyatakan",
	"levels above the minimum score %.0f%% (2 levels above counts full)":               "tingkat di atas minimum bernilai %.0f%% (2 tingkat di atasnya dihitung penuh)",
	"%d JP booked in %d against a peer mean of %.0f; %d JP this month":                 "%d JP dipesan pada %d dibanding rata-rata rekan %.0f; %d JP bulan ini",
	"the session names no required competency":                                         "sesi ini tidak menyebut kompetensi yang diperlukan",
	"meets %d of %d required competencies":                                             "memenuhi %d dari %d kompetensi yang diperlukan",
	"meets %d of %d required competencies; %s":                                         "memenuhi %d dari %d kompetensi yang diperlukan; %s",
	"meets %d of %d required competencies; %s; %s":                                     "memenuhi %d dari %d kompetensi yang diperlukan; %s; %s",
	"meets %d of %d required competencies; %s; %s; %s":                                 "memenuhi %d dari %d kompetensi yang diperlukan; %s; %s; %s",
	"meets %s":              "memenuhi %s",
	"below the level in %s": "di bawah tingkat yang diminta pada %s",
	"lacks %s":              "tidak memiliki %s",
	"no evaluations yet; the prior of %.1f/4 applies":                  "belum ada evaluasi; nilai awal %.1f/4 berlaku",
	"%.2f/4 over %d evaluations, %.2f/4 after smoothing toward %.1f":   "%.2f/4 dari %d evaluasi, %.2f/4 setelah dihaluskan ke arah %.1f",
	"no budget per JP is set, or no rate applies; cost is neutral":     "belum ada anggaran per JP, atau tidak ada tarif yang berlaku; biaya netral",
	"%s per JP against a budget of %s":                                 "%s per JP dibanding anggaran %s",
	"online session: no travel":                                        "sesi daring: tanpa perjalanan",
	"lives in the venue's time zone":                                   "tinggal di zona waktu tempat sesi",
	"lives in %s, the venue is in %s":                                  "tinggal di %s, tempat sesi di %s",
	"%s scores %.2f as lead":                                           "%s bernilai %.2f sebagai pengajar utama",
	"%s scores %.2f as co-trainer":                                     "%s bernilai %.2f sebagai pengajar pendamping",
	"the co-trainer meets %d of the %d requirements the lead does not": "pengajar pendamping memenuhi %d dari %d kompetensi yang tidak dipenuhi pengajar utama",
	"no eligible person is free":                                       "tidak ada orang memenuhi syarat yang sedang luang",
	"every eligible person is needed in another slot":                  "setiap orang yang memenuhi syarat diperlukan di slot lain",
}

// textsID holds the Indonesian text of the rest: honorarium basis, pages
// and mail.
var textsID = map[string]string{}
