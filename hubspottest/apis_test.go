package hubspottest

import (
	"slices"
	"testing"
)

// TestAPIs: every wire the fake mounts is listed, each once.
func TestAPIs(t *testing.T) {
	got, err := APIs()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/calling/v1", "/crm/objects/2026-03", "/crm/objects/2026-09", "/crm/v3", "/engagements/v1"}
	if !slices.Equal(got, want) {
		t.Errorf("APIs() = %q, want %q", got, want)
	}
}
