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
	})
}
