// Package api holds the OpenAPI document, the contract of /api/v1.
package api

import _ "embed"

// Spec is api/openapi.yaml as built into the binary.
//
//go:embed openapi.yaml
var Spec []byte
