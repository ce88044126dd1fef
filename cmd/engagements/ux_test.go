package main

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
)

// issue 13, point 9.
func TestVersion(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	for _, args := range [][]string{{"--version"}, {"version"}} {
		code, out, errs := c.run(args...)
		if code != 0 || !strings.HasPrefix(out, "engagements "+facade.Version()+" (go") || len(lines(out)) != 1 {
			t.Errorf("%v: exit %d, %q %q", args, code, out, errs)
		}
	}
}

// The command line: help (issue 13, points 14 and 15) and completion.
func TestHelp(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	tests := []struct {
		args          []string
		want, notWant []string
	}{
		{[]string{"--help"}, []string{"HUBSPOT_TOKEN", "--demo", "export", "import", "note", "dispositions", "fake", "completion", "Exit codes:", "  4    HubSpot refused", "130", "--verbose", "--version",
			"--api-version string    HubSpot's API version: v3, 2026-03 or 2026-09 (default $HUBSPOT_API_VERSION or v3)", "HUBSPOT_API_VERSION", "/crm/objects/2026-03",
			"--shared-limit string   share HubSpot's rate limit with other processes through Redis: redis://HOST:PORT[/DB] (default $HUBSPOT_SHARED_LIMIT)", "HUBSPOT_SHARED_LIMIT",
			"paced in this process (one warning on stderr)"}, nil},
		{[]string{"export", "--help"}, []string{"--since", "--properties", "--out", "--resume"}, nil},
		{[]string{"import", "--help"}, []string{"--results", "--resume", "uncertain", "--unique-property"}, nil},
		{[]string{"note", "--help"}, []string{"--body-file", "65536", "--format string      table (the id), json or jsonl (the created engagement) (default: table on a terminal, jsonl when piped)"}, []string{"--output", "-o,"}},
		{[]string{"dispositions", "--help"}, []string{"--format string   table, json or jsonl (default: table on a terminal, jsonl when piped)"}, []string{"--output", "-o,"}},
		{[]string{"export", "--help"}, []string{"--format string       jsonl or csv", "RFC 4180", "ids as text"}, []string{"--output"}},
		{[]string{"import", "--help"}, []string{"--format string", "the format of --in: jsonl or csv", "--retry-refused", "Each line stands alone"}, []string{"--output"}},
		{[]string{"__complete", "export", "--format", ""}, []string{"jsonl\ncsv\n"}, nil},
		{[]string{"__complete", "import", "--format", ""}, []string{"jsonl\ncsv\n"}, nil},
		{[]string{"fake", "--help"}, []string{"--seed", "--rate-limit", "--latency", "--faults", "/engagements/v1", "/calling/v1", "/crm/v3/objects/{type}", "notes, calls, meetings,\ncommunications and postal_mail", "/crm/objects/2026-03", "one store"}, []string{"v3 emails and tasks APIs"}},
		{[]string{"completion", "bash"}, []string{"bash completion"}, nil},
		{[]string{"__complete", "export", "--object", ""}, []string{"engagements\nemails\ntasks\nnotes\ncalls\nmeetings\n"}, nil},
		{[]string{"__complete", "import", "--object", ""}, []string{"engagements\nemails\ntasks\nnotes\ncalls\nmeetings\n"}, nil},
		{[]string{"__complete", "dispositions", "--format", ""}, []string{"table\njson\njsonl\n"}, nil},
		{[]string{"__complete", "export", "--api-version", ""}, []string{"v3\n2026-03\n2026-09\n"}, nil},
		{[]string{"__complete", "--api-version", ""}, []string{"v3\n2026-03\n2026-09\n"}, nil},
		{[]string{"export", "--help"}, []string{"--object string       what to export: engagements, emails, tasks, notes, calls, meetings, communications or postal_mail (required)", "--demo", "--base-url", "--verbose", "--api-version", "--shared-limit", "2026-03"}, nil},
		{[]string{"import", "--help"}, []string{"--object string", "what to create: engagements, emails, tasks, notes, calls, meetings, communications or postal_mail (required)", "--in string", "standard input (required)", "--api-version", "--shared-limit", "2026-03"}, nil},
		{[]string{"note", "--help"}, []string{"engagements note --contact ID (--body TEXT | --body-file F) [--owner ID]", "--contact int        the contact's id (required)",
			"--body string        the note's text (one of --body or --body-file is required)",
			"--body-file string   read the note's text from this file (- for standard input) (one of --body or --body-file is required)", "--format", "--api-version", "--shared-limit", "/crm/objects/2026-03/notes"}, nil},
		{[]string{"dispositions", "--help"}, []string{"--api-version", "--shared-limit", "/calling/v1/dispositions"}, nil},
		{[]string{"fake", "--help"}, []string{"--addr"}, []string{"--demo", "--base-url", "--verbose", "--api-version", "--shared-limit"}},
		{[]string{"completion", "--help"}, []string{"bash"}, []string{"--demo", "--base-url", "--api-version", "--shared-limit"}},
		{[]string{"completion", "bash", "--help"}, []string{"bash"}, []string{"--demo", "--base-url", "--api-version", "--shared-limit"}},
		{[]string{"version", "--help"}, []string{"version"}, []string{"--demo", "--base-url", "--api-version", "--shared-limit"}},
	}
	for _, tt := range tests {
		code, out, errs := c.run(tt.args...)
		if code != 0 {
			t.Errorf("%v: exit %d, %s", tt.args, code, errs)
		}
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v: help lacks %q:\n%s", tt.args, w, out)
			}
		}
		for _, w := range tt.notWant {
			if strings.Contains(out, w) {
				t.Errorf("%v: help shows %q:\n%s", tt.args, w, out)
			}
		}
	}
	// Hiding them under fake leaves them shown elsewhere.
	if _, out, _ := c.run("dispositions", "--help"); !strings.Contains(out, "--demo") {
		t.Error("--demo hidden under dispositions after fake --help")
	}
}

// issue 13, point 13: --verbose and HUBSPOT_DEBUG log every attempt to
// stderr, never the token, a query or a body.
func TestVerbose(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(150)
	tests := []struct {
		args []string
		env  string
	}{
		{[]string{"-v", "export", "--object", "tasks", "--properties", "hs_task_body"}, ""},
		{[]string{"export", "--verbose", "--object", "tasks", "--properties", "hs_task_body"}, ""},
		{[]string{"export", "--object", "tasks", "--properties", "hs_task_body"}, "1"},
	}
	for _, tt := range tests {
		c := newCLI(t, srv)
		c.env["HUBSPOT_DEBUG"] = tt.env
		code, out, errs := c.run(tt.args...)
		if code != 0 || len(lines(out)) != 150 {
			t.Fatalf("%v: exit %d: %s", tt.args, code, errs)
		}
		logs := 0
		for _, l := range lines(errs) {
			if strings.Contains(l, `msg="hubspot request"`) {
				logs++
				for _, w := range []string{"op=tasks.list", "status=200", "attempt=1", "ratelimit_remaining="} {
					if !strings.Contains(l, w) {
						t.Errorf("%v: log line lacks %q: %s", tt.args, w, l)
					}
				}
			}
		}
		if logs != 2 {
			t.Errorf("%v: %d log lines, want 2 (two pages):\n%s", tt.args, logs, errs)
		}
		for _, secret := range []string{srv.Token(), "hs_task_body", "limit=", "after=", "Task "} {
			if strings.Contains(errs, secret) {
				t.Errorf("%v: stderr shows %q", tt.args, secret)
			}
		}
	}
	c := newCLI(t, srv)
	if _, _, errs := c.run("export", "--object", "tasks"); strings.Contains(errs, "hubspot request") {
		t.Errorf("logs without --verbose: %s", errs)
	}
}

// issue 13, point 12: - reads standard input wherever a file is read.
func TestStandardInput(t *testing.T) {
	// Not parallel: the default results file of --in - is in the current
	// directory.
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	dir := t.TempDir()
	t.Chdir(dir)
	code, _, errs := c.runCtx(context.Background(), strings.Join(taskLines(1, 120), "\n")+"\n", "import", "--object", "tasks", "--in", "-")
	if code != 0 || srv.TaskCount() != 120 || !strings.Contains(errs, "results in import-") {
		t.Fatalf("--in -: exit %d, %d stored: %s", code, srv.TaskCount(), errs)
	}
	code, _, errs = c.runCtx(context.Background(), "{}", "import", "--object", "tasks", "--in", "-", "--resume", "--results", "r.jsonl")
	if code != exitUsage || !strings.Contains(errs, "--resume needs --in FILE") {
		t.Errorf("--in - --resume: exit %d, %s", code, errs)
	}
	code, out, errs := c.run("export", "--object", "tasks", "--out", "-")
	if code != 0 || len(lines(out)) != 120 {
		t.Errorf("--out -: exit %d, %d lines: %s", code, len(lines(out)), errs)
	}
	if code, _, errs := c.run("export", "--object", "tasks", "--out", "-", "--resume"); code != exitUsage || !strings.Contains(errs, "--out FILE") {
		t.Errorf("--out - --resume: exit %d, %s", code, errs)
	}
	code, out, errs = c.runCtx(context.Background(), "from stdin", "note", "--contact", "5001", "--body-file", "-", "--format", "json")
	var rec struct {
		Engagement struct{ ID int64 }
		Metadata   struct{ Body string }
	}
	if err := json.Unmarshal([]byte(out), &rec); code != 0 || err != nil || rec.Metadata.Body != "from stdin" || rec.Engagement.ID == 0 {
		t.Errorf("note --body-file - --format json: exit %d, %v, %q %s", code, err, out, errs)
	}
}

// issue 13, point 14: 401 and 403 exit 4 naming the token variable; an
// import stops sending at the first refusal.
func TestAuthenticationFailuresExit4(t *testing.T) {
	t.Parallel()
	var calls atomic.Int64
	forbidden := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusForbidden)
		io.WriteString(w, `{"status":"error","message":"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.","correlationId":"beef","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.write"]}}],"category":"MISSING_SCOPES"}`)
	}))
	defer forbidden.Close()
	srv := testServer()
	defer srv.Close()
	in := writeLines(t, taskLines(1, 3000)...)
	tests := []struct {
		name string
		base string
		args []string
		want []string
	}{
		{"403 dispositions", forbidden.URL, []string{"dispositions"}, []string{"403", "scope", "HUBSPOT_TOKEN", "MISSING_SCOPES"}},
		{"401 import", srv.URL, []string{"import", "--object", "tasks", "--in", in}, []string{"401", "HUBSPOT_TOKEN"}},
		{"403 import", forbidden.URL, []string{"import", "--object", "tasks", "--in", in, "--results", in + ".2"}, []string{"403", "HUBSPOT_TOKEN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t, srv)
			c.env = map[string]string{"HUBSPOT_TOKEN": "not-the-token", "HUBSPOT_BASE_URL": tt.base}
			srv.ResetRequests()
			calls.Store(0)
			code, _, errs := c.run(tt.args...)
			last := lines(errs)[len(lines(errs))-1]
			if code != exitAuth {
				t.Fatalf("exit %d: %s", code, errs)
			}
			for _, w := range tt.want {
				if !strings.Contains(last, w) {
					t.Errorf("last line lacks %q: %s", w, last)
				}
			}
			if strings.Contains(errs, "not-the-token") {
				t.Error("the token is printed")
			}
			if n := len(srv.Requests()) + int(calls.Load()); n > importConcurrency {
				t.Errorf("%d requests: the import went on after HubSpot refused the token", n)
			}
		})
	}
}

// issue 13, point 14: Ctrl-C exits 130, SIGTERM 143.
func TestInterruptExitCodes(t *testing.T) {
	t.Parallel()
	err := errors.New("boom")
	tests := []struct {
		cause error
		want  int
	}{
		{nil, exitInterrupted},
		{signalError{os.Interrupt}, exitInterrupted},
		{signalError{syscall.SIGTERM}, exitTerminated},
	}
	for _, tt := range tests {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(tt.cause)
		if got := (&app{ctx: ctx}).exitCode(runError{err}); got != tt.want {
			t.Errorf("cause %v: exit %d, want %d", tt.cause, got, tt.want)
		}
	}
	if got := (&app{ctx: context.Background()}).exitCode(runError{err}); got != exitAPI {
		t.Errorf("not interrupted: exit %d", got)
	}
}

// A run refused before it starts (no token) leaves no file behind that
// would block the next one.
func TestRefusedRunLeavesNoFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeLines(t, taskLines(1, 2)...)
	c := newCLI(t, nil)
	for _, args := range [][]string{
		{"export", "--object", "tasks", "--out", dir + "/out.jsonl"},
		{"import", "--object", "tasks", "--in", in, "--results", dir + "/r.jsonl"},
	} {
		if code, _, errs := c.run(args...); code != exitUsage || !strings.Contains(errs, "HUBSPOT_TOKEN") {
			t.Errorf("%v: exit %d, %s", args, code, errs)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

// issue 22, point 3: a flag the command does not take, or cannot read, is
// followed by the command's usage line (--output is gone: --format names
// the format of records on every command, --out a file).
func TestFlagErrorsShowTheUsage(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	tests := []struct {
		args []string
		want string // in the first line
		use  string // the usage line's command
	}{
		{[]string{"export", "--output", "x"}, "unknown flag: --output", "engagements export --object "},
		{[]string{"export", "--colour"}, "unknown flag: --colour", "engagements export --object "},
		{[]string{"note", "-o", "json"}, "unknown shorthand flag: 'o'", "engagements note --contact ID"},
		{[]string{"dispositions", "--output", "json"}, "unknown flag: --output", "engagements dispositions [--format table|json|jsonl]"},
		{[]string{"note", "--contact", "abc", "--body", "x"}, `invalid argument "abc" for "--contact"`, "engagements note --contact ID"},
		{[]string{"import", "--object", "tasks", "--resume=maybe"}, "invalid argument", "engagements import --object "},
	}
	for _, tt := range tests {
		code, out, errs := c.run(tt.args...)
		ls := lines(errs)
		if code != exitUsage || out != "" || len(ls) != 3 {
			t.Fatalf("%v: exit %d, stdout %q, stderr %q; want 2 and three lines", tt.args, code, out, errs)
		}
		if !strings.HasPrefix(ls[0], "engagements: ") || !strings.Contains(ls[0], tt.want) {
			t.Errorf("%v: first line %q lacks %q", tt.args, ls[0], tt.want)
		}
		if !strings.HasPrefix(ls[1], "usage: "+tt.use) {
			t.Errorf("%v: second line %q is not the usage of %q", tt.args, ls[1], tt.use)
		}
		if !strings.Contains(ls[2], "--help") {
			t.Errorf("%v: third line %q does not point to --help", tt.args, ls[2])
		}
	}
	// Mistakes found after the flags are read stay one line.
	if code, _, errs := c.run("export", "--object", "deals"); code != exitUsage || len(lines(errs)) != 1 {
		t.Errorf("unknown object: exit %d, %q", code, errs)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests for refused command lines", n)
	}
}
