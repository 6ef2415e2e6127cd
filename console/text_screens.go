package console

// The texts of the week's bounds, the trainer's calendar feed and the
// small screen layout, Indonesian first.
func init() {
	addMessages(map[string][2]string{
		"screens_week_range": {"Minggu hanya dapat dibuka untuk tahun %d sampai %d; yang ditampilkan minggu ini.",
			"A week can only be opened for the years %d to %d; this week is shown instead."},
	})
}
