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
}
