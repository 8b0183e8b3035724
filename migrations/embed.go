// Package migrations holds the SQL migrations, embedded so the binary carries
// the schema it was built for.
package migrations

import "embed"

// FS holds every migration file, applied in version order by goose.
//
//go:embed *.sql
var FS embed.FS
