package profile

import "regexp"

// indonesian holds the Indonesian text of the problems Normalize and
// NormalizeCompetencies report, keyed by their English text, for reports
// staff read (the roster import). A problem without an entry is shown as
// it is; TestIndonesianCoversValidation keeps the table complete.
var indonesian = map[string]string{
	"must be widyaiswara or practitioner":                                                    "harus widyaiswara atau praktisi",
	"must be 2 to 200 characters":                                                            "harus 2 sampai 200 karakter",
	"must be UTF-8 text":                                                                     "harus teks UTF-8",
	"must not contain control characters":                                                    "tidak boleh memuat karakter kontrol",
	"must be at most 200 characters":                                                         "paling banyak 200 karakter",
	"must be a plain e-mail address such as nama@instansi.go.id":                             "harus alamat e-mail biasa, misalnya nama@instansi.go.id",
	"must be an Indonesian number such as +6281234567890 or 081234567890":                    "harus nomor Indonesia, misalnya +6281234567890 atau 081234567890",
	"must be one of Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura":              "harus salah satu dari Asia/Jakarta, Asia/Pontianak, Asia/Makassar, Asia/Jayapura (atau WIB, WITA, WIT)",
	"must be pns, pppk or non_asn":                                                           "harus pns, pppk atau non_asn",
	"must be npwp, nik or none":                                                              "harus npwp, nik atau none",
	"must be an NPWP of 15 or 16 digits, or a 16-digit NIK":                                  "harus NPWP 15 atau 16 digit, atau NIK 16 digit",
	"must be npwp or nik when tax_id is given":                                               "harus npwp atau nik bila nomor pajak diisi",
	"a NIK has 16 digits":                                                                    "NIK terdiri atas 16 digit",
	"must be between 0 and 70":                                                               "harus antara 0 dan 70",
	"at most 30 entries":                                                                     "paling banyak 30 isian",
	"digits 9-12 must be the year of appointment as PPPK (2019 or later, not in the future)": "digit 9–12 harus tahun pengangkatan PPPK (2019 atau sesudahnya, tidak di masa depan)",
	"the appointment year in digits 9-12 must be at least 15 years after the birth date":     "tahun pengangkatan pada digit 9–12 harus paling sedikit 15 tahun setelah tanggal lahir",
	"digits 13-14 of a PPPK NIP are the PPPK code 21 (or 24 for paruh waktu)":                "digit 13–14 NIP PPPK adalah kode PPPK 21 (atau 24 untuk paruh waktu)",
	"must be 18 digits":                                                                      "harus 18 digit angka",
	"digits 1-8 must be a real birth date (YYYYMMDD)":                                        "digit 1–8 harus tanggal lahir yang benar (TTTTBBHH)",
	"digits 9-14 must be the TMT year and month (YYYYMM), not in the future":                 "digit 9–14 harus tahun dan bulan TMT (TTTTBB), tidak di masa depan",
	"TMT in digits 9-14 must be at least 15 years after the birth date":                      "TMT pada digit 9–14 harus paling sedikit 15 tahun setelah tanggal lahir",
	"digit 15 must be 1 (male) or 2 (female)":                                                "digit 15 harus 1 (laki-laki) atau 2 (perempuan)",
	"digits 16-18 must be a sequence number from 001":                                        "digit 16–18 harus nomor urut mulai 001",
	"is required for ASN and widyaiswara":                                                    "wajib diisi untuk ASN dan widyaiswara",
	"must be a golongan/ruang from I/a to IV/e, such as III/c":                               "harus golongan/ruang I/a sampai IV/e, misalnya III/c",
	"only widyaiswara have a jenjang":                                                        "hanya widyaiswara yang memiliki jenjang",
	"is required for practitioners":                                                          "wajib diisi untuk praktisi",
	"non-ASN people have no golongan":                                                        "non-ASN tidak memiliki golongan",
	"a widyaiswara is ASN (pns or pppk)":                                                     "widyaiswara adalah ASN (pns atau pppk)",
	"must be ahli_pertama, ahli_muda, ahli_madya or ahli_utama":                              "harus ahli_pertama, ahli_muda, ahli_madya atau ahli_utama",
	"is required for widyaiswara":                                                            "wajib diisi untuk widyaiswara",
	"at most 100 entries":                                                                    "paling banyak 100 kompetensi",
	"is required":                                                                            "wajib diisi",
	"appears more than once":                                                                 "muncul lebih dari sekali",
	"must be 1 to 5":                                                                         "harus 1 sampai 5",
	"must be 0 to 70":                                                                        "harus 0 sampai 70",
	"must be 0 to 100000":                                                                    "harus 0 sampai 100000",
	"must be 2-64 lowercase letters, digits, '_', '.' or '-'":                                "harus 2–64 huruf kecil, angka, '_', '.' atau '-'",
	"institutions define teknis competencies only; manajerial and sosial_kultural are national": "instansi hanya menambah kompetensi teknis; manajerial dan sosial_kultural berlaku nasional",
	"at most 2000 characters": "paling banyak 2000 karakter",
}

var jenjangFitRe = regexp.MustCompile(`^does not fit jenjang (\S+) \(allowed: (.*)\)$`)

// Indonesian returns the Indonesian text of a validation problem of this
// package, or the problem itself when it has none.
func Indonesian(problem string) string {
	if s, ok := indonesian[problem]; ok {
		return s
	}
	if m := jenjangFitRe.FindStringSubmatch(problem); m != nil {
		return "tidak sesuai dengan jenjang " + m[1] + " (yang sesuai: " + m[2] + ")"
	}
	return problem
}
