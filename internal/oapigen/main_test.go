package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDatedPaths(t *testing.T) {
	root := t.TempDir()
	for _, dir := range []string{"gen/v202603/notes", "gen/v202603/tasks"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "gen", "v202603", "notes"))
	tests := []struct {
		dated                   string
		specOnly                bool
		spec, overlay, pkg, out string
		wantErr                 string
	}{
		{"2026-03/notes", false, "../../../api/2026-03/notes.json", "../../../api/2026-03/notes.overlay.yaml", "notes", "notes.gen.go", ""},
		{"2026-03/notes", true, "../../../api/2026-03/notes.json", "../../../api/2026-03/notes.overlay.yaml", "notesspec", "notesspec/spec.gen.go", ""},
		{"2026-03/tasks", false, "", "", "", "", "runs in"},
		{"2026-09/notes", false, "", "", "", "", "runs in"},
		{"2026-3/notes", false, "", "", "", "", "want VERSION/API"},
		{"2026-03/Notes", false, "", "", "", "", "want VERSION/API"},
		{"2026-03", false, "", "", "", "", "want VERSION/API"},
		{"2026-03/../notes", false, "", "", "", "", "want VERSION/API"},
	}
	for _, tt := range tests {
		spec, overlay, pkg, out, err := datedPaths(tt.dated, tt.specOnly)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("datedPaths(%q): err %v, want one saying %q", tt.dated, err, tt.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("datedPaths(%q): %v", tt.dated, err)
			continue
		}
		got := []string{filepath.ToSlash(spec), filepath.ToSlash(overlay), pkg, filepath.ToSlash(out)}
		want := []string{tt.spec, tt.overlay, tt.pkg, tt.out}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("datedPaths(%q, %v) = %v, want %v", tt.dated, tt.specOnly, got, want)
		}
	}
}

func TestVersionPaths(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "gen", "v202603"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(filepath.Join(root, "gen", "v202603"))
	for _, tt := range []struct {
		version  string
		specOnly bool
		want     string // api dir, overlay, package, output
		wantErr  string
	}{
		{"2026-03", false, "../../api/2026-03 ../../api/2026-03/objects.overlay.yaml v202603 v202603.gen.go", ""},
		{"2026-03", true, "../../api/2026-03 ../../api/2026-03/objects.overlay.yaml v202603spec v202603spec/spec.gen.go", ""},
		{"2026-09", false, "", "runs in"},
		{"2026-03/notes", false, "", "want VERSION"},
	} {
		dir, overlay, pkg, out, err := versionPaths(tt.version, tt.specOnly)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("versionPaths(%q): err %v, want one saying %q", tt.version, err, tt.wantErr)
			}
			continue
		}
		got := strings.Join([]string{filepath.ToSlash(dir), filepath.ToSlash(overlay), pkg, filepath.ToSlash(out)}, " ")
		if err != nil || got != tt.want {
			t.Errorf("versionPaths(%q, %v) = %q, %v; want %q", tt.version, tt.specOnly, got, err, tt.want)
		}
	}
}
