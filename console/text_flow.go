package console

// The texts the staff flow adds to the board, sessions, holidays,
// certificates, honoraria and trails, Indonesian first.
func init() {
	addMessages(map[string][2]string{
		"flow_session_held": {"Sesi ini sudah dimulai atau sudah ada pemesanan yang selesai: waktu, tempat dan modanya tidak dapat diubah lagi.",
			"This session has begun or has completed bookings: its time, venue and mode can no longer change."},
		"flow_jp_reversed": {"%d JP dibatalkan", "%d JP taken back"},
		"flow_h_reversal":  {"pembatalan pembayaran", "payment reversal"},
		"flow_h_reversed":  {"dibatalkan", "reversed"},
		"flow_revoke_stays": {"Menerbitkan sertifikat pelatihan ini lagi tidak akan memberi orang ini sertifikat baru; sertifikat pengganti hanya diberikan lewat “Terbitkan ulang”.",
			"Issuing this course's certificates again will not give this person a new one; a replacement is given only by “Reissue”."},
		"flow_replace_holiday": {"Ganti hari libur yang sudah ada pada tanggal ini", "Replace the holiday this date already has"},
		"flow_force_holiday":   {"Tetap jadwalkan pada libur nasional", "Schedule it on the national holiday anyway"},
		"flow_holiday_note":    {"Perhatian: sesi ini jatuh pada %s.", "Note: this session falls on %s."},
		"flow_status_from_to":  {"dari %s menjadi %s", "from %s to %s"},
		"flow_fields_changed":  {"(%s)", "(%s)"},
		"flow_pay_title":       {"Catat pembayaran", "Record the payment"},
		"flow_pay_what":        {"%s — %s, %s: netto %s.", "%s — %s, %s: net %s."},
		"flow_pay_confirm":     {"Ya, catat dibayar", "Yes, record it as paid"},
		"flow_paid_on":         {"Tanggal dibayar", "Paid on"},
		"flow_payment_ref":     {"Nomor bukti (SP2D, transfer atau kuitansi)", "Reference (SP2D, transfer or receipt number)"},
		"flow_h_course":        {"Pelatihan dan sesi", "Course and session"},
		"flow_h_paid":          {"Dibayar", "Paid"},
	})
}
