package i18n

// wordsID holds the Indonesian text of tax number problems, field names
// and statuses as people read them, and the console's versions of API
// wording, keyed by their English format.
var wordsID = map[string]string{
	"digits 1-2 of a NIK must be a province code such as 73 (Sulawesi Selatan)":  "digit 1–2 NIK harus kode provinsi, misalnya 73 (Sulawesi Selatan)",
	"digits 3-6 of a NIK are the regency and district codes, never 00":           "digit 3–6 NIK adalah kode kabupaten/kota dan kecamatan, tidak pernah 00",
	"digits 7-12 of a NIK must be the birth date as DDMMYY (day + 40 for women)": "digit 7–12 NIK harus tanggal lahir HHBBTT (tanggal + 40 untuk perempuan)",
	"digits 13-16 of a NIK must be a sequence number from 0001":                  "digit 13–16 NIK harus nomor urut mulai 0001",
	"an NPWP has 16 digits (a 15-digit NPWP from before 2024 gets 0 in front)":   "NPWP terdiri atas 16 digit (NPWP 15 digit dari sebelum 2024 diberi 0 di depan)",
	"a 16-digit NPWP not starting with 0 is a NIK: %s":                           "NPWP 16 digit yang tidak diawali 0 adalah NIK: %s",

	"has no ceiling; regions with one: %s":                                                      "tidak memiliki batas tertinggi; daerah yang memilikinya: %s",
	"the file is neither XLSX nor CSV: save it from Excel as an .xlsx workbook or as CSV UTF-8": "berkas ini bukan XLSX maupun CSV: simpan dari Excel sebagai buku kerja .xlsx atau sebagai CSV UTF-8",
	// Statuses told inside messages (a string argument is looked up).
	"invited":                 "diundang",
	"tentative":               "belum pasti",
	"draft":                   "draf",
	"approved":                "disetujui",
	"paid":                    "dibayar",
	"it can no longer change": "baris ini tidak dapat diubah lagi",
	"reverse it, then accrue the booking again for a corrected draft": "balik dulu, lalu hitung ulang pemesanannya untuk draf yang benar",
	// People's versions of API wording (see ForPeople).
	"must not be before the start date":        "tidak boleh sebelum tanggal mulai",
	"must be after the start":                  "harus sesudah waktu mulai",
	"must be after the start, on the same day": "harus sesudah waktu mulai, pada hari yang sama",
	"needs a competency chosen":                "memerlukan kompetensi yang dipilih",
	"competency code %q is not in this institution's dictionary; the roster's competency filter lists the codes it knows":                                                 "kode kompetensi %q tidak ada di kamus instansi ini; pilihan kompetensi pada daftar pengajar memuat kode yang dikenal",
	"the course takes only practitioners as co-trainers (its co-trainer rule is chosen when the course is created); book a practitioner, or book the widyaiswara as lead": "pelatihan ini hanya menerima praktisi sebagai co-trainer (aturan co-trainer dipilih saat pelatihan dibuat); pesan seorang praktisi, atau pesan widyaiswara itu sebagai pengajar utama",
}

// forPeople maps a text written for API clients (naming JSON fields,
// endpoints or request options) to the version the console shows people;
// both are catalogued.
var forPeople = map[string]string{
	"is required (RFC 3339 with offset)":       "is required",
	"is required (YYYY-MM-DD)":                 "is required",
	"must not be before start_date":            "must not be before the start date",
	"must be after start":                      "must be after the start",
	"must be after start, within the same day": "must be after the start, on the same day",
	"needs competency":                         "needs a competency chosen",
	"kode kompetensi %q tidak ada di kamus instansi ini (lihat GET /v1/competencies)":                                           "competency code %q is not in this institution's dictionary; the roster's competency filter lists the codes it knows",
	"the course takes only practitioners as co-trainers; set co_trainers to practitioners_and_widyaiswara to allow widyaiswara": "the course takes only practitioners as co-trainers (its co-trainer rule is chosen when the course is created); book a practitioner, or book the widyaiswara as lead",
}

// ForPeople is the format a person reads in place of format, which was
// written for API clients: the same sense without JSON field names,
// endpoints or request options. A format without such wording is returned
// as it is. Every page for people (the console) tells its texts through
// it; the API keeps its own wording.
func ForPeople(format string) string {
	if f, ok := forPeople[format]; ok {
		return f
	}
	return format
}
