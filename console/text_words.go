package console

// Texts of the wording fixes: course co-trainer rule, the revocation's
// reason, and the names of API fields a form has no input for (shown with
// their problem on top of the form).
func init() {
	addMessages(map[string][2]string{
		"words_co_trainers":      {"Co-trainer dari", "Co-trainers from"},
		"words_co_practitioners": {"Praktisi saja", "Practitioners only"},
		"words_co_both":          {"Praktisi dan widyaiswara", "Practitioners and widyaiswara"},
		"words_role_staff":       {"staf", "staff"},
		"words_role_admin":       {"admin", "admin"},
		"words_role_trainer":     {"pengajar", "trainer"},
		"words_revoke_reason":    {"Alasan pencabutan", "Reason for revoking"},

		"words_field_number_template":                 {"Templat nomor sertifikat", "Certificate number template"},
		"words_field_co_trainers":                     {"Co-trainer dari", "Co-trainers from"},
		"words_field_co_trainers_per_session":         {"Co-trainer per sesi", "Co-trainers per session"},
		"words_field_required_competencies":           {"Kompetensi", "Competency"},
		"words_field_required_competencies.code":      {"Kompetensi", "Competency"},
		"words_field_required_competencies.min_level": {"Tingkat minimal", "Minimum level"},
		"words_field_start_date":                      {"Tanggal mulai", "Start date"},
		"words_field_end_date":                        {"Tanggal selesai", "End date"},
		"words_field_lead_min_jenjang":                {"Jenjang minimal pengajar utama", "Lowest jenjang of the lead"},
		"words_field_region":                          {"Daerah", "Region"},
		"words_field_class":                           {"Kelas", "Class"},
		"words_field_reason":                          {"Alasan", "Reason"},
		"words_field_email":                           {"E-mail", "E-mail"},
		"words_field_code":                            {"Kode", "Code"},
		"words_field_name":                            {"Nama", "Name"},
		"words_field_start":                           {"Mulai", "Start"},
		"words_field_end":                             {"Selesai", "End"},
		"words_field_jp":                              {"JP", "JP"},
	})
}
