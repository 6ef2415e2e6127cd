// Package migrations embeds the numbered SQL migrations applied by
// `sinergi migrate`. Files are never edited once they have landed.
package migrations

import "embed"

// FS holds the migration files.
//
//go:embed *.sql
var FS embed.FS
