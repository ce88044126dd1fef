package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
)

// TestNoteBodyLimitCLI: a note body of 65,537 UTF-16 code units is refused
// by import --object notes (batch and --unique-property) and by note, on
// both wires: the command exits non-zero naming the limit, and the fake
// sees no request. 65,536 units (emoji count 2) are created.
func TestNoteBodyLimitCLI(t *testing.T) {
	t.Parallel()
	atLimit := strings.Repeat("😀", facade.MaxNoteBody/2)
	overLimit := atLimit + "x"
	importLine := func(body string) []string {
		return []string{"import", "--object", "notes", "--in", writeLines(t, `{"properties":{"hs_note_body":"`+body+`","import_key":"k1"}}`)}
	}
	bodyFile := func(body string) string {
		p := filepath.Join(t.TempDir(), "note.txt")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	commands := []struct {
		name string
		args func(body string) []string
	}{
		{"import", importLine},
		{"import --unique-property", func(body string) []string { return append(importLine(body), "--unique-property", "import_key") }},
		{"note --body", func(body string) []string { return []string{"note", "--contact", "5001", "--body", body} }},
		{"note --body-file", func(body string) []string {
			return []string{"note", "--contact", "5001", "--body-file", bodyFile(body)}
		}},
	}
	for _, v := range facade.APIVersions {
		for _, cmd := range commands {
			t.Run(string(v)+"/"+cmd.name, func(t *testing.T) {
				srv := testServer()
				defer srv.Close()
				c := newCLI(t, srv)
				code, _, errs := c.run(append(cmd.args(overLimit), "--api-version", string(v))...)
				if code == 0 || !strings.Contains(errs, "hs_note_body") && !strings.Contains(errs, "metadata.body") || !strings.Contains(errs, "limit 65536, got 65537") {
					t.Errorf("65,537 units: exit %d, stderr %s", code, errs)
				}
				if n := len(srv.Requests()); n != 0 {
					t.Errorf("65,537 units: %d requests, want 0", n)
				}
				if code, _, errs := c.run(append(cmd.args(atLimit), "--api-version", string(v))...); code != 0 {
					t.Errorf("65,536 units: exit %d, stderr %s", code, errs)
				}
				if n := len(srv.Objects("notes")); n != 1 {
					t.Errorf("65,536 units: %d notes stored, want 1", n)
				}
			})
		}
	}
}
