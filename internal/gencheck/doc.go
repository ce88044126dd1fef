// Package gencheck holds the tests that prove the generated packages in gen/
// keep what HubSpot sends (int64 ids, nulls, unknown fields) and honour a base
// URL with a path prefix. It is hand-written and has no non-test code.
package gencheck
