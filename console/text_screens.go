package console

// The texts of the week's bounds, the trainer's calendar feed and the
// small screen layout, Indonesian first.
func init() {
	addMessages(map[string][2]string{
		"screens_week_range": {"Minggu hanya dapat dibuka untuk tahun %d sampai %d; yang ditampilkan minggu ini.",
			"A week can only be opened for the years %d to %d; this week is shown instead."},
		"screens_feed_once": {"Alamat kalender hanya ditampilkan sekali, saat dibuat: Sinergi menyimpannya tersandi dan tidak dapat menampilkannya lagi. Simpan sekarang.",
			"The calendar address is shown only once, when it is made: Sinergi keeps it hashed and cannot show it again. Save it now."},
		"screens_feed_url":    {"Alamat kalender Anda (rahasiakan)", "Your calendar address (keep it private)"},
		"screens_feed_copy":   {"Salin alamat", "Copy the address"},
		"screens_feed_copied": {"Alamat disalin.", "Address copied."},
		"screens_feed_have": {"Anda sudah punya alamat kalender. Alamat itu tidak dapat ditampilkan lagi; jika hilang, buat alamat baru di bawah (alamat lama berhenti berfungsi).",
			"You already have a calendar address. It cannot be shown again; if you lost it, make a new one below (the old one stops working)."},
		"screens_feed_none": {"Anda belum punya alamat kalender. Buat satu untuk melihat jadwal mengajar di kalender Anda.",
			"You have no calendar address yet. Make one to see your teaching schedule in your calendar."},
		"screens_feed_google": {"Google Calendar (di komputer): Setelan › Tambahkan kalender › Dari URL, tempel alamat kalender Anda, lalu Tambahkan kalender.",
			"Google Calendar (on a computer): Settings › Add calendar › From URL, paste your calendar address, then Add calendar."},
		"screens_feed_outlook": {"Outlook: Tambahkan kalender › Berlangganan dari web, tempel alamat kalender Anda, beri nama, lalu Impor.",
			"Outlook: Add calendar › Subscribe from web, paste your calendar address, give it a name, then Import."},
		"screens_feed_make":          {"Buat alamat kalender", "Make a calendar address"},
		"screens_feed_replace":       {"Ganti dengan alamat kalender baru", "Replace with a new calendar address"},
		"screens_feed_made":          {"Alamat kalender dibuat. Simpan sekarang: alamat ini hanya ditampilkan sekali.", "The calendar address was made. Save it now: it is shown only once."},
		"screens_feed_replaced":      {"Alamat kalender baru dibuat; alamat lama berhenti berfungsi. Simpan sekarang: alamat ini hanya ditampilkan sekali.", "A new calendar address was made; the old one stopped working. Save it now: it is shown only once."},
		"screens_feed_confirm_title": {"Ganti alamat kalender", "Replace the calendar address"},
		"screens_feed_confirm":       {"Buat alamat kalender baru?", "Make a new calendar address?"},
		"screens_feed_confirm_old": {"Alamat lama langsung berhenti berfungsi: kalender yang berlangganan alamat itu tidak lagi menerima jadwal sampai Anda memasang alamat baru.",
			"The old address stops working at once: calendars subscribed to it get no more sessions until you add the new address."},
		"screens_feed_yes": {"Ya, buat alamat baru", "Yes, make a new address"},
	})
}
