package gencheck

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestSpecDriftFailsTheBuildOrTheTests is the promise of the design: every
// JSON shape is written once, in the specs in api/, and the facade and the
// fake use it through the generated types. So renaming a field they read
// or write, in the hand-written v1 spec, in an overlay action or in a
// vendor document, must make `make generate` followed by the build or the
// tests fail, naming the field. Each case copies the module, renames one
// field, regenerates the package it feeds, and runs `go vet ./...` (which
// compiles every package and test) and, when that compiles, the tests that
// compare shapes (the facade's answers decode through the generated types,
// by Go name, and TestShadowsMatchTheGeneratedTypes holds the members it
// keeps raw).
//
// It is the slowest check (minutes of CPU), and its verdict depends only on
// the module's files and the Go version: once it has passed on a tree, it is
// not run again on the same tree (same content hash) on this machine; set
// SPEC_DRIFT_RERUN=1 to run it anyway. With CI set (.ci/run) it always runs.
func TestSpecDriftFailsTheBuildOrTheTests(t *testing.T) {
	if testing.Short() {
		t.Skip("regenerates and rebuilds copies of the module; not in -short mode")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	passed := passedRecord(t, root)
	if os.Getenv("SPEC_DRIFT_RERUN") == "" && os.Getenv("CI") == "" {
		if when, err := os.ReadFile(passed); err == nil {
			t.Skipf("not run again: passed on this same tree (record %s, %s); SPEC_DRIFT_RERUN=1 runs it", passed, strings.TrimSpace(string(when)))
		}
	}
	tests := []struct {
		name string
		file string // under api/
		// anchor is text the replacement is searched after, old and new
		// the text replaced.
		anchor, old, new string
		pkg              string // the generated package to regenerate
		want             string // what the failure names
		// generateFails: generation itself refuses the change (a dated
		// document that no longer matches the version's others).
		generateFails bool
	}{
		{
			name: "v1 spec: EmailMetadata.subject renamed subjectLine",
			file: "engagements-v1.yaml", anchor: "    EmailMetadata:\n", old: "        subject:\n", new: "        subjectLine:\n",
			pkg: "gen/engagementsv1", want: "Subject",
		},
		{
			name: "v1 spec: Engagement details timestamp retyped string",
			file: "engagements-v1.yaml", anchor: "    EngagementDetails:\n", old: "        timestamp:\n          type: integer\n          format: int64\n", new: "        timestamp:\n          type: string\n",
			pkg: "gen/engagementsv1", want: "timestamp",
		},
		{
			name: "overlay action: Filter.values renamed valueList",
			file: "tasks.overlay.yaml", anchor: "  - target: $.components.schemas.Filter.properties\n", old: "      values:\n", new: "      valueList:\n",
			pkg: "gen/tasks", want: "Values",
		},
		{
			name: "vendor schema: SimplePublicObjectInput.properties renamed props",
			file: "tasks.yaml", anchor: "    SimplePublicObjectInput:\n", old: "        properties:\n", new: "        props:\n",
			pkg: "gen/tasks", want: "Properties",
		},
		{
			name: "overlay action, a field only the fake writes: paging.next.link renamed url",
			file: "tasks.overlay.yaml", anchor: "    description: next.link is sent by HubSpot beside next.after.\n", old: "      link:\n", new: "      url:\n",
			pkg: "gen/tasks", want: "Link",
		},
		{
			name: "dated vendor document, one object's: a batch answer's requestedAt retyped integer in tasks.json alone",
			file: "2026-03/tasks.json", anchor: "\"requestedAt\" : {\n", old: "\"type\" : \"string\",\n", new: "\"type\" : \"integer\",\n",
			pkg: "gen/v202603", want: "of tasks.json differs from emails.json's at properties.requestedAt.type", generateFails: true,
		},
		{
			name: "vendor schema, a field the facade reads: paging.next.after renamed cursor",
			file: "tasks.yaml", anchor: "    Paging:\n", old: "            after:\n", new: "            cursor:\n",
			pkg: "gen/tasks", want: "After",
		},
		{
			name: "vendor schema, a member the facade keeps raw: a page's results renamed items",
			file: "tasks.yaml", anchor: "    CollectionResponseTask:\n", old: "        results:\n", new: "        items:\n",
			pkg: "gen/tasks", want: "Results",
		},
		{
			name: "dated vendor document, a field the facade reads: results[].updatedAt renamed modifiedAt in tasks.json alone",
			file: "2026-03/tasks.json", anchor: "\"SimplePublicObjectWithAssociations\" : {\n", old: "\"updatedAt\" : {\n", new: "\"modifiedAt\" : {\n",
			pkg: "gen/v202603", want: "updatedAt", generateFails: true,
		},
		{
			name: "v1 spec, a field the facade reads: engagement.lastUpdated renamed lastModified",
			file: "engagements-v1.yaml", anchor: "    EngagementDetails:\n", old: "        lastUpdated:\n", new: "        lastModified:\n",
			pkg: "gen/engagementsv1", want: "LastUpdated",
		},
		{
			name: "vendor schema of the other object type: the email record's createdAt renamed created",
			file: "emails.yaml", anchor: "          example: *id001\n", old: "        createdAt:\n", new: "        created:\n",
			pkg: "gen/emails", want: "createdAt",
		},
	}
	var ran atomic.Int32 // cases run: a -run filter that leaves some out records nothing
	t.Cleanup(func() {
		if !t.Failed() && !t.Skipped() && int(ran.Load()) == len(tests) {
			_ = os.MkdirAll(filepath.Dir(passed), 0o755)
			_ = os.WriteFile(passed, []byte(time.Now().UTC().Format(time.RFC3339)+"\n"), 0o644)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ran.Add(1)
			dir := t.TempDir()
			copyModule(t, root, dir)
			mutate(t, filepath.Join(dir, "api", tt.file), tt.anchor, tt.old, tt.new)
			ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
			defer cancel()
			out, err := goCmd(ctx, dir, "generate", "./"+tt.pkg)
			switch {
			case err != nil && tt.generateFails:
				if !strings.Contains(out, tt.want) {
					t.Errorf("generation failed without naming %q:\n%s", tt.want, out)
				}
				return
			case err != nil:
				t.Fatalf("make generate failed on a valid spec change: %v\n%s", err, out)
			case tt.generateFails:
				t.Fatalf("generation took api/%s changed alone", tt.file)
			}
			vet, vetErr := goCmd(ctx, dir, "vet", "./facade/...", "./hubspottest/...", "./internal/...", "./cmd/...")
			out = vet
			// A build that fails naming the field has caught it: the
			// tests (three more binaries to build) can add nothing.
			if vetErr == nil || !strings.Contains(strings.ToLower(vet), strings.ToLower(tt.want)) {
				// go vet has just run: not again inside go test.
				tests, testErr := goCmd(ctx, dir, "test", "-vet=off", "-count=1", "-run", "TestShadows|TestGeneratedShapes|TestContract|TestSpecCheck|TestRecorded", "./facade", "./hubspottest", "./internal/gencheck")
				if vetErr == nil && testErr == nil {
					t.Fatalf("renaming in api/%s went unnoticed: go vet and the tests pass", tt.file)
				}
				out += tests
			}
			if !strings.Contains(strings.ToLower(out), strings.ToLower(tt.want)) {
				t.Errorf("the failure does not name %q:\n%s", tt.want, out)
			}
			t.Logf("caught:\n%s", firstLines(out, 12))
		})
	}
}

// passedRecord is the file that records a pass of the drift test on the
// module at root as it is now: named by the sha256 of the Go version and of
// every file copyModule copies (path and content).
func passedRecord(t *testing.T, root string) string {
	t.Helper()
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", runtime.Version())
	err := walkModule(root, func(rel string, b []byte) {
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(b))
		h.Write(b)
	})
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "hubspot-engagements", "spec-drift", hex.EncodeToString(h.Sum(nil)))
}

// goCmd runs the go command in dir. -trimpath keeps the build cache valid
// across copies of the module.
func goCmd(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-trimpath -buildvcs=false", "CGO_ENABLED=0")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// copyModule copies the module's source (not .git, not testdata outputs,
// not the node_modules `npm ci` installs for cmd/engagements's Node test).
func copyModule(t *testing.T, from, to string) {
	t.Helper()
	var werr error
	err := walkModule(from, func(rel string, b []byte) {
		if werr == nil {
			if werr = os.MkdirAll(filepath.Join(to, filepath.Dir(rel)), 0o755); werr == nil {
				werr = os.WriteFile(filepath.Join(to, rel), b, 0o644)
			}
		}
	})
	if err == nil {
		err = werr
	}
	if err != nil {
		t.Fatal(err)
	}
}

// walkModule gives each regular file under root (.git and node_modules
// left out), in lexical order, with its path relative to root.
func walkModule(root string, file func(rel string, b []byte)) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		file(rel, b)
		return nil
	})
}

// mutate replaces the first old after anchor in file, and fails when there
// is none (the case would prove nothing).
func mutate(t *testing.T, file, anchor, old, new string) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	a := strings.Index(s, anchor)
	if a < 0 {
		t.Fatalf("%s: anchor %q not found", file, anchor)
	}
	i := strings.Index(s[a:], old)
	if i < 0 {
		t.Fatalf("%s: %q not found after %q", file, old, anchor)
	}
	s = s[:a+i] + new + s[a+i+len(old):]
	if err := os.WriteFile(file, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
