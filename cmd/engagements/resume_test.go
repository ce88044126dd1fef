package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// crash is what the hook panics with to stop a command the way a kill would:
// no checkpoint, no outcome written, nothing cleaned up.
type crash struct{}

// runUntilCrash runs args, crashing it from the hook when after(n) is true.
func (c *cli) runUntilCrash(after func(n int) bool, args ...string) {
	c.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.hooks.progress = func(n int) {
		if after(n) {
			panic(crash{})
		}
	}
	defer func() {
		c.hooks.progress = nil
		if r := recover(); r != (crash{}) {
			c.t.Fatalf("the command did not crash: %v", r)
		}
	}()
	c.runCtx(ctx, "", args...)
}

func TestExportResumesAfterACrash(t *testing.T) {
	t.Parallel()
	tests := []struct {
		object string
		at     int // records written when the process dies
	}{
		{"tasks", 500},       // before the first checkpoint
		{"tasks", 1500},      // after one
		{"engagements", 700}, // v1 listing
		{"engagements", 2100},
	}
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(2345)
	srv.SeedEngagements("MEETING", 2345)
	c := newCLI(t, srv)
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s after %d", tt.object, tt.at), func(t *testing.T) {
			c.t = t
			_, full, _ := c.run("export", "--object", tt.object)
			want := ids(t, lines(full))
			out := filepath.Join(t.TempDir(), "out.jsonl")
			c.runUntilCrash(func(n int) bool { return n == tt.at }, "export", "--object", tt.object, "--out", out)
			code, _, errs := c.run("export", "--object", tt.object, "--out", out, "--resume")
			if code != 0 {
				t.Fatalf("resume: exit %d, %s", code, errs)
			}
			b, _ := os.ReadFile(out)
			got := ids(t, lines(string(b)))
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("after resume %d records, want %d, each once and in order", len(got), len(want))
			}
		})
	}
}

func TestExportResumeRefusesAnotherExport(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(50)
	c := newCLI(t, srv)
	out := filepath.Join(t.TempDir(), "out.jsonl")
	c.runUntilCrash(func(n int) bool { return n == 10 }, "export", "--object", "tasks", "--out", out)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--object", "emails"}, "same --object"},
		{[]string{"--object", "tasks", "--since", "2020-01-01"}, "same --object, --since"},
		{[]string{"--object", "tasks", "--properties", "hs_task_subject"}, "--properties"},
	}
	for _, tt := range tests {
		args := append([]string{"export", "--out", out, "--resume"}, tt.args...)
		code, _, errs := c.run(args...)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
}

func taskLines(from, to int) []string {
	var ls []string
	for i := from; i <= to; i++ {
		ls = append(ls, fmt.Sprintf(`{"properties":{"hs_task_subject":"task %d"}}`, i))
	}
	return ls
}

func noteLines(n int) []string {
	var ls []string
	for i := 1; i <= n; i++ {
		ls = append(ls, fmt.Sprintf(`{"engagement":{"type":"NOTE","ownerId":7001,"timestamp":1700000000000},"associations":{"contactIds":[5001]},"metadata":{"body":"note %d"}}`, i))
	}
	return ls
}

// storedNotes counts the stored v1 engagements by body.
func storedNotes(t *testing.T, srv *hubspottest.Server) map[string]int {
	out := map[string]int{}
	for _, e := range srv.Engagements() {
		out[e.Meta("body")]++
	}
	return out
}

func TestImportResumesEngagementsOneByOne(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	in := writeLines(t, noteLines(150)...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.hooks.progress = func(n int) {
		if n == 60 {
			cancel()
		}
	}
	code, _, errs := c.runCtx(ctx, "", "import", "--object", "engagements", "--in", in)
	c.hooks.progress = nil
	if code != exitInterrupted || !strings.Contains(errs, "--resume") {
		t.Fatalf("interrupted import: %d %s", code, errs)
	}
	if n := srv.EngagementCount(); n != 60 {
		t.Fatalf("%d created before the interruption, want 60", n)
	}
	code, _, errs = c.run("import", "--object", "engagements", "--in", in, "--resume")
	if code != 0 || !strings.Contains(errs, "created 90 engagements") || !strings.Contains(errs, "60 already done") {
		t.Fatalf("resume: %d %s", code, errs)
	}
	notes := storedNotes(t, srv)
	for i := 1; i <= 150; i++ {
		if n := notes[fmt.Sprintf("note %d", i)]; n != 1 {
			t.Fatalf("note %d stored %d times", i, n)
		}
	}
}

// A v1 run killed after sending a line and before writing its outcome
// leaves it uncertain: resume reports it and does not create it again. (v3
// imports are killed for real in TestImportKilledLeavesAtMostTheBatchesInFlightUncertain.)
func TestImportResumeAfterACrashDoesNotRetryUnrecordedLines(t *testing.T) {
	t.Parallel()
	const at = 25 // crash when this many lines are created
	lines := noteLines(40)
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	in := writeLines(t, lines...)
	results := in + ".results.jsonl"
	// Crash while the line after `at` is being created: stop in the hook
	// that follows its create, after writing `at` outcomes.
	var crashed bool
	c.hooks.progress = func(n int) {
		if n == at {
			crashed = true
		}
	}
	c.hooks.created = func() {
		if crashed {
			panic(crash{})
		}
	}
	func() {
		defer func() {
			c.hooks = hooks{}
			if r := recover(); r != (crash{}) {
				t.Fatalf("no crash: %v", r)
			}
		}()
		c.run("import", "--object", "engagements", "--in", in)
	}()
	// The crash may also cut the results file's last line short.
	f, _ := os.OpenFile(results, os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"line":9`)
	f.Close()
	if _, err := os.Stat(results + ".inflight"); err != nil {
		t.Fatalf("no record of the lines in flight: %v", err)
	}
	if before := srv.EngagementCount(); before != at+1 {
		t.Fatalf("%d stored at the crash, want %d", before, at+1)
	}

	code, _, errs := c.run("import", "--object", "engagements", "--in", in, "--resume")
	if code != 1 || !strings.Contains(errs, "uncertain") || !strings.Contains(errs, fmt.Sprintf("line %d: outcome uncertain", at+1)) {
		t.Fatalf("resume: exit %d, %s", code, errs)
	}
	if got, want := srv.EngagementCount(), len(lines); got != want {
		t.Fatalf("%d stored after resume, want %d (each line once)", got, want)
	}
	res := readResultLines(t, results)
	for line := 1; line <= len(lines); line++ {
		r := res[line]
		inFlight := line == at+1
		if inFlight != r.Uncertain || inFlight == (r.ID != "") {
			t.Fatalf("line %d: %+v", line, r)
		}
	}
	// Once more: nothing to create, and the uncertain line is named again
	// and left to the user.
	code, _, errs = c.run("import", "--object", "engagements", "--in", in, "--resume")
	if code != 1 || !strings.Contains(errs, "not retried") || !strings.Contains(errs, "created 0") {
		t.Fatalf("second resume: exit %d, %s", code, errs)
	}
	if got := srv.EngagementCount(); got != len(lines) {
		t.Fatalf("%d stored after the second resume", got)
	}
}

func TestParseTime(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2025-01-31T12:00:00Z", time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC), true},
		{"2025-01-31T13:00:00+01:00", time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC), true},
		{"2025-01-31", time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC), true},
		{"1738324800000", time.Date(2025, 1, 31, 12, 0, 0, 0, time.UTC), true},
		{"yesterday", time.Time{}, false},
		{"2025-13-01", time.Time{}, false},
		{"", time.Time{}, false},
		{"-1", time.Time{}, false},
		{"253402300800000", time.Time{}, false}, // past 9999
		{"2025-01-31T12:00:00Z" + strings.Repeat(" ", 100), time.Time{}, false},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in)
		if (err == nil) != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseTime(%q) = %v, %v", tt.in, got, err)
		}
		if a := (&app{ctx: context.Background()}); err != nil && a.exitCode(err) != exitUsage {
			t.Errorf("parseTime(%q): exit code %d", tt.in, a.exitCode(err))
		}
	}
}
