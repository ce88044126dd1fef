package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// cli runs the command in-process against srv (or --demo when srv is nil).
type cli struct {
	t     *testing.T
	srv   *hubspottest.Server
	env   map[string]string
	hooks hooks
}

func newCLI(t *testing.T, srv *hubspottest.Server) *cli {
	env := map[string]string{}
	if srv != nil {
		env["HUBSPOT_TOKEN"], env["HUBSPOT_BASE_URL"] = srv.Token(), srv.URL
	}
	return &cli{t: t, srv: srv, env: env}
}

func (c *cli) runCtx(ctx context.Context, stdin string, args ...string) (code int, stdout, stderr string) {
	return c.runIn(ctx, strings.NewReader(stdin), args...)
}

// runIn runs args with stdin as standard input and c's hooks.
func (c *cli) runIn(ctx context.Context, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	a := &app{ctx: ctx, stdin: stdin, stdout: &out, stderr: &errb, getenv: func(k string) string { return c.env[k] }, hooks: c.hooks}
	code = a.main(args)
	return code, out.String(), errb.String()
}

func (c *cli) run(args ...string) (int, string, string) {
	return c.runCtx(context.Background(), "", args...)
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

func ids(t *testing.T, jsonl []string) []string {
	t.Helper()
	var out []string
	for _, l := range jsonl {
		var v struct {
			ID         json.RawMessage `json:"id"`
			Engagement struct {
				ID json.RawMessage `json:"id"`
			} `json:"engagement"`
		}
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		id := v.ID
		if id == nil {
			id = v.Engagement.ID
		}
		out = append(out, strings.Trim(string(id), `"`))
	}
	return out
}

func TestExport(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(250)
	srv.SeedEmails(30)
	srv.SeedEngagements("NOTE", 300)
	c := newCLI(t, srv)
	tests := []struct {
		args []string
		want int
	}{
		{[]string{"export", "--object", "tasks"}, 250},
		{[]string{"export", "--object", "emails", "--properties", "hs_email_subject,hs_email_text"}, 30},
		// The v1 listing has the tasks and emails too (one store, as in
		// HubSpot): 250 + 30 + 300.
		{[]string{"export", "--object", "engagements"}, 580},
		{[]string{"export", "--object", "engagements", "--since", "2000-01-01"}, 580},
		{[]string{"export", "--object", "tasks", "--since", "946684800000"}, 250},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errs := c.run(tt.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			got := lines(out)
			if len(got) != tt.want {
				t.Fatalf("%d lines, want %d", len(got), tt.want)
			}
			if !strings.Contains(errs, fmt.Sprintf("exported %d", tt.want)) {
				t.Errorf("no summary: %q", errs)
			}
			seen := map[string]bool{}
			for _, id := range ids(t, got) {
				if seen[id] {
					t.Fatalf("%s twice", id)
				}
				seen[id] = true
			}
		})
	}
	// Lines are HubSpot's JSON, unchanged.
	_, out, _ := c.run("export", "--object", "engagements")
	first := lines(out)[0]
	stored, _ := srv.Engagement(mustInt(t, ids(t, []string{first})[0]))
	if !jsonEqual(t, []byte(first), stored.JSON) {
		t.Errorf("exported %s\nstored   %s", first, stored.JSON)
	}
}

func mustInt(t *testing.T, s string) int64 {
	var n int64
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	var x, y any
	dx, dy := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	dx.UseNumber()
	dy.UseNumber()
	if dx.Decode(&x) != nil || dy.Decode(&y) != nil {
		return false
	}
	return fmt.Sprint(x) == fmt.Sprint(y)
}

func TestExportResumesExactly(t *testing.T) {
	t.Parallel()
	for _, object := range []string{"tasks", "engagements"} {
		t.Run(object, func(t *testing.T) {
			srv := testServer()
			defer srv.Close()
			srv.SeedTasks(2345)
			srv.SeedEngagements("CALL", 2345)
			c := newCLI(t, srv)
			_, full, _ := c.run("export", "--object", object)
			want := ids(t, lines(full))

			out := filepath.Join(t.TempDir(), "out.jsonl")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			const k = 1234 // interrupt after this many records
			c.hooks.progress = func(n int) {
				if n == k {
					cancel()
				}
			}
			code, _, errs := c.runCtx(ctx, "", "export", "--object", object, "--out", out)
			c.hooks.progress = nil
			if code != exitInterrupted || !strings.Contains(errs, "--resume") {
				t.Fatalf("interrupted export: exit %d, %s", code, errs)
			}
			// A half-written line, as a crash could leave, is dropped on resume.
			f, _ := os.OpenFile(out, os.O_APPEND|os.O_WRONLY, 0)
			f.WriteString(`{"id":"half`)
			f.Close()

			code, _, errs = c.run("export", "--object", object, "--out", out, "--resume")
			if code != 0 {
				t.Fatalf("resume: exit %d, %s", code, errs)
			}
			b, _ := os.ReadFile(out)
			got := ids(t, lines(string(b)))
			if strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("after resume %d records, want %d in the same order", len(got), len(want))
			}
			if _, err := os.Stat(out + ".cursor"); !os.IsNotExist(err) {
				t.Error("the cursor file is left after a complete export")
			}
			code, _, errs = c.run("export", "--object", object, "--out", out, "--resume")
			if code != 2 || !strings.Contains(errs, "nothing to resume") {
				t.Errorf("resume of a finished export: %d %s", code, errs)
			}
		})
	}
}

func writeLines(t *testing.T, ls ...string) string {
	p := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readResultLines(t *testing.T, path string) map[int]result {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]result{}
	for _, l := range lines(string(b)) {
		var r result
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		out[r.Line] = r
	}
	return out
}

func TestImportReportsBadLinesAndGoesOn(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 65537)
	tests := []struct {
		object string
		lines  []string
		bad    map[int]string // line → part of its error
		stored func(*hubspottest.Server) int
	}{
		{"tasks", []string{
			`{"properties":{"hs_task_subject":"one","hs_object_id":"123"}}`,
			`{"properties":`,
			`{"properties":{}}`,
			`{"id":"9","properties":{"hs_task_subject":"two","hubspot_owner_id":null}}`,
		}, map[int]string{2: "invalid JSON", 3: "no properties"}, (*hubspottest.Server).TaskCount},
		{"emails", []string{`{"properties":{"hs_email_subject":"hi"}}`, `not json`}, map[int]string{2: "invalid JSON"}, (*hubspottest.Server).EmailCount},
		{"engagements", []string{
			`{"engagement":{"type":"NOTE","ownerId":7001,"timestamp":1700000000000},"associations":{"contactIds":[5001]},"metadata":{"body":"ok"}}`,
			`{"engagement":{"type":"FAX"},"metadata":{}}`,
			`{"engagement":{"type":"NOTE"},"metadata":{"body":"` + long + `"}}`,
			`{"engagement":{"type":"CALL"},"metadata":{"body":"call","durationMilliseconds":1000}}`,
		}, map[int]string{2: "must be EMAIL, CALL", 3: "65536"}, (*hubspottest.Server).EngagementCount},
	}
	for _, tt := range tests {
		t.Run(tt.object, func(t *testing.T) {
			srv := testServer()
			defer srv.Close()
			c := newCLI(t, srv)
			in := writeLines(t, tt.lines...)
			code, _, errs := c.run("import", "--object", tt.object, "--in", in)
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, errs)
			}
			res := readResultLines(t, in+".results.jsonl")
			for line := 1; line <= len(tt.lines); line++ {
				r := res[line]
				if want, bad := tt.bad[line]; bad {
					if !strings.Contains(r.Error, want) || !strings.Contains(errs, fmt.Sprintf("line %d:", line)) {
						t.Errorf("line %d: result %+v, stderr %s", line, r, errs)
					}
				} else if r.ID == "" {
					t.Errorf("line %d not created: %+v", line, r)
				}
			}
			if got, want := tt.stored(srv), len(tt.lines)-len(tt.bad); got != want {
				t.Errorf("%d stored, want %d", got, want)
			}
		})
	}
}

// Ctrl-C after the first batch: the batches in flight end uncertain or
// unsent; --resume with --unique-property settles the uncertain ones and
// creates the rest, each line exactly once.
func TestImportResumesWithoutDuplicates(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	ls := keyedTaskLines(1, 2500)
	in := writeLines(t, ls...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.hooks.progress = func(n int) { cancel() } // stop after the first batch
	code, _, errs := c.runCtx(ctx, "", "import", "--object", "tasks", "--in", in)
	c.hooks.progress = nil
	if code != exitInterrupted || !strings.Contains(errs, "--resume") {
		t.Fatalf("interrupted import: %d %s", code, errs)
	}
	if n := srv.TaskCount(); n == 0 || n == 2500 {
		t.Fatalf("%d created before the interruption", n)
	}
	code, _, errs = c.run("import", "--object", "tasks", "--in", in, "--resume", "--unique-property", "import_key")
	if code != 0 {
		t.Fatalf("resume: %d %s", code, errs)
	}
	assertKeysOnce(t, srv, 2500)
	res := readResultLines(t, in+".results.jsonl")
	for line := 1; line <= 2500; line++ {
		if res[line].ID == "" {
			t.Fatalf("line %d has no id in the results: %+v", line, res[line])
		}
	}
	code, _, errs = c.run("import", "--object", "tasks", "--in", in)
	if code != 2 || !strings.Contains(errs, "--resume") {
		t.Errorf("a second import over existing results: %d %s", code, errs)
	}
}

// keyedTaskLines are task lines from..to, each with a distinct import_key.
func keyedTaskLines(from, to int) []string {
	var ls []string
	for i := from; i <= to; i++ {
		ls = append(ls, fmt.Sprintf(`{"properties":{"hs_task_subject":"task %d","import_key":"k%d"}}`, i, i))
	}
	return ls
}

// assertKeysOnce checks that srv stores n tasks, one for each import_key.
func assertKeysOnce(t *testing.T, srv *hubspottest.Server, n int) {
	t.Helper()
	keys, keyed := map[string]int{}, 0
	for _, task := range srv.Tasks() {
		if task.Has("import_key") {
			keys[task.Prop("import_key")]++
			keyed++
		}
	}
	if len(keys) != n || keyed != n {
		t.Fatalf("%d distinct keys among %d stored tasks with a key, want %d once each", len(keys), keyed, n)
	}
}

func TestNote(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	// Piped (standard output is not a terminal here), as dispositions:
	// the created engagement as one JSON line.
	code, out, errs := c.run("note", "--contact", "5001", "--body", "Called back", "--owner", "7001", "--time", "2025-03-15T14:30:00Z")
	if code != 0 || len(lines(out)) != 1 || !strings.HasPrefix(out, "{") || strings.Count(out, "\n") != 1 {
		t.Fatalf("piped: exit %d, %q: %s", code, out, errs)
	}
	id := mustInt(t, ids(t, lines(out))[0])
	e, ok := srv.Engagement(id)
	if !ok || e.Meta("body") != "Called back" || !slices.Contains(e.Associations["contactIds"], 5001) || e.Timestamp.UnixMilli() != 1742049000000 || e.OwnerID != 7001 {
		t.Fatalf("stored %+v", e)
	}
	if !strings.Contains(out, `"body":"Called back"`) {
		t.Errorf("piped: not the created engagement: %s", out)
	}
	// --format table: the id alone, as before.
	code, out, errs = c.run("note", "--contact", "5001", "--body", "Again", "--format", "table")
	if code != 0 || len(lines(out)) != 1 {
		t.Fatalf("-o table: exit %d, %q: %s", code, out, errs)
	}
	if e, ok := srv.Engagement(mustInt(t, strings.TrimSpace(out))); !ok || e.Meta("body") != "Again" {
		t.Fatalf("-o table: %q is not the note's id (%+v)", out, e)
	}
	file := filepath.Join(t.TempDir(), "body.txt")
	os.WriteFile(file, []byte("from a file"), 0o644)
	if code, _, errs := c.run("note", "--contact", "5001", "--body-file", file); code != 0 {
		t.Fatalf("--body-file: %d %s", code, errs)
	}
	if code, _, errs := c.runCtx(context.Background(), "from stdin", "note", "--contact", "5001", "--body-file", "-"); code != 0 {
		t.Fatalf("--body-file -: %d %s", code, errs)
	}
	srv.ResetRequests()
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"note", "--contact", "5001", "--body", strings.Repeat("😀", 32769)}, "limit 65536, got 65538"},
		{[]string{"note", "--body", "x"}, "--contact"},
		{[]string{"note", "--contact", "5001"}, "--body"},
		{[]string{"note", "--contact", "5001", "--body", "x", "--time", "yesterday"}, "cannot read time"},
	}
	for _, tt := range tests {
		code, _, errs := c.run(tt.args...)
		if code != 2 || !strings.Contains(errs, tt.want) || len(lines(errs)) != 1 {
			t.Errorf("%v: exit %d, stderr %q, want 2 and %q on one line", tt.args, code, errs, tt.want)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent for refused input", n)
	}
}

func TestDispositions(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	c := newCLI(t, srv)
	code, out, errs := c.run("dispositions", "--format", "table")
	if code != 0 || !strings.Contains(out, "f240bbac-87c9-4f6e-bf70-924b57d47db7  Connected") || !strings.HasPrefix(out, "ID ") || !strings.Contains(lines(out)[0], "DELETED") || len(lines(out)) != 7 {
		t.Fatalf("table: exit %d\n%s%s", code, out, errs)
	}
	// Piped (standard output is not a terminal here): JSON Lines.
	for _, args := range [][]string{{"dispositions"}, {"dispositions", "--format", "jsonl"}} {
		code, out, errs = c.run(args...)
		if code != 0 || len(lines(out)) != 6 {
			t.Fatalf("%v: exit %d\n%s%s", args, code, out, errs)
		}
		for _, l := range lines(out) {
			var d struct{ ID, Label string }
			if err := json.Unmarshal([]byte(l), &d); err != nil || d.ID == "" || d.Label == "" {
				t.Fatalf("%v: line %q: %v", args, l, err)
			}
		}
	}
	code, out, errs = c.run("dispositions", "--format", "json")
	var all []struct{ ID, Label string }
	if err := json.Unmarshal([]byte(out), &all); code != 0 || err != nil || len(all) != 6 {
		t.Fatalf("json: exit %d, %v\n%s%s", code, err, out, errs)
	}
	if code, _, errs := c.run("dispositions", "--format", "yaml"); code != 2 || !strings.Contains(errs, "table, json or jsonl") {
		t.Errorf("--format yaml: exit %d %s", code, errs)
	}
}

func TestFailures(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		want []string
	}{
		{"no token", map[string]string{}, []string{"export", "--object", "tasks"}, 2, []string{"HUBSPOT_TOKEN", "--demo"}},
		{"rejected token", map[string]string{"HUBSPOT_TOKEN": "wrong", "HUBSPOT_BASE_URL": srv.URL}, []string{"dispositions"}, 4, []string{"401", "correlation id", "HUBSPOT_TOKEN"}},
		{"rejected token: export", map[string]string{"HUBSPOT_TOKEN": "wrong", "HUBSPOT_BASE_URL": srv.URL}, []string{"export", "--object", "engagements"}, 4, []string{"401", "correlation id", "HUBSPOT_TOKEN"}},
		{"rejected token: note", map[string]string{"HUBSPOT_TOKEN": "wrong", "HUBSPOT_BASE_URL": srv.URL}, []string{"note", "--contact", "1", "--body", "x"}, 4, []string{"401", "correlation id", "HUBSPOT_TOKEN"}},
		{"unreachable", map[string]string{"HUBSPOT_TOKEN": "t"}, []string{"--base-url", "http://127.0.0.1:1", "dispositions"}, 1, []string{"calling.dispositions"}},
		{"bad base URL", map[string]string{"HUBSPOT_TOKEN": "t"}, []string{"--base-url", "ftp://x", "dispositions"}, 2, []string{"ftp://x", "--base-url"}},
		{"unknown object", nil, []string{"export", "--object", "deals"}, 2, []string{"deals", "use engagements, emails, tasks, notes, calls, meetings, communications or postal_mail"}},
		{"missing object", nil, []string{"import", "--in", "x"}, 2, []string{"--object", "engagements, emails, tasks, notes, calls, meetings, communications or postal_mail"}},
		{"unique property on engagements", nil, []string{"import", "--object", "engagements", "--in", "x", "--unique-property", "k"}, 2, []string{"--unique-property", "emails, tasks, notes, calls, meetings"}},
		{"properties on engagements, dated", nil, []string{"--api-version", "2026-03", "export", "--object", "engagements", "--properties", "a"}, 2, []string{"--properties"}},
		{"missing file", nil, []string{"import", "--object", "tasks", "--in", "/nonexistent"}, 2, []string{"--in"}},
		{"resume needs out", nil, []string{"export", "--object", "tasks", "--resume"}, 2, []string{"--out"}},
		{"bad since", nil, []string{"export", "--object", "tasks", "--since", "soon"}, 2, []string{"soon"}},
		{"properties on v1", nil, []string{"export", "--object", "engagements", "--properties", "a"}, 2, []string{"--properties"}},
		{"unknown command", nil, []string{"frobnicate"}, 2, []string{"frobnicate"}},
		{"bad rate", nil, []string{"fake", "--rate-limit", "fast"}, 2, []string{"N/DURATION"}},
		{"bad faults", nil, []string{"fake", "--faults", "gateway=2"}, 2, []string{"--faults"}},
		{"bad property", nil, []string{"fake", "--property", "tasks:Bad-Name"}, 2, []string{"--property", "Bad-Name"}},
		{"bad property type", nil, []string{"fake", "--property", "deals:k:string"}, 2, []string{"--property", "deals"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCLI(t, srv)
			if tt.env != nil {
				c.env = tt.env
			}
			code, _, errs := c.run(tt.args...)
			if code != tt.code || len(lines(errs)) != 1 {
				t.Fatalf("exit %d, stderr %q; want exit %d and one line", code, errs, tt.code)
			}
			for _, w := range tt.want {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr %q lacks %q", errs, w)
				}
			}
			if strings.Contains(errs, srv.Token()) {
				t.Error("token in the error")
			}
		})
	}
}

func TestDemo(t *testing.T) {
	t.Parallel()
	c := newCLI(t, nil)
	code, out, errs := c.run("--demo", "export", "--object", "tasks")
	// 300 seeded tasks and the 200 seeded TASK engagements, which are tasks.
	if code != 0 || len(lines(out)) != 500 || !strings.Contains(errs, "demo mode") || !strings.Contains(errs, "no HubSpot account") {
		t.Fatalf("exit %d, %d lines, stderr %q", code, len(lines(out)), errs)
	}
}

// The fake serves until interrupted, with its own limits: the client's
// HUBSPOT_API_VERSION and HUBSPOT_SHARED_LIMIT do not apply to it.
func TestFakeServesUntilInterrupted(t *testing.T) {
	t.Parallel()
	env := map[string]string{apiVersionVar: "bogus", sharedLimitVar: "not a URL"}
	url, token := startFakeCommand(t, env, "--tasks", "5", "--rate-limit", "100/10s", "--property", "tasks:my_import_key:string:unique")
	req, _ := http.NewRequest(http.MethodGet, url+"/crm/v3/objects/tasks", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Count(string(body), `"hs_object_id"`) != 5 || resp.Header.Get("X-HubSpot-RateLimit-Max") != "100" {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	// --property declared a unique property: a repeated value is HubSpot's
	// conflict.
	for _, want := range []int{201, 409} {
		req, _ := http.NewRequest(http.MethodPost, url+"/crm/v3/objects/tasks", strings.NewReader(`{"properties":{"my_import_key":"k1"}}`))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("create with my_import_key: %d %s, want %d", resp.StatusCode, body, want)
		}
	}
}

func TestImportWithUniquePropertySettlesLostAnswers(t *testing.T) {
	t.Parallel()
	// --unique-property needs a property with unique values: the test
	// declares one, as the account would.
	srv := hubspottest.New(t, hubspottest.WithFaults(hubspottest.Faults{Seed: 3, GatewayErrorRate: 0.1, DropRate: 0.1, FaultAfterCommitRate: 0.1}),
		hubspottest.WithProperty("tasks", hubspottest.Property{Name: "import_key", Unique: true}))
	c := newCLI(t, srv)
	var ls []string
	for i := range 1500 {
		ls = append(ls, fmt.Sprintf(`{"properties":{"hs_task_subject":"task %d","import_key":"k%d"}}`, i, i))
	}
	in := writeLines(t, ls...)
	code, _, errs := c.run("import", "--object", "tasks", "--in", in, "--unique-property", "import_key")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	keys := map[string]int{}
	for _, task := range srv.Tasks() {
		keys[task.Prop("import_key")]++
	}
	if len(keys) != 1500 || srv.TaskCount() != 1500 {
		t.Fatalf("%d distinct of %d stored, want 1500 once each", len(keys), srv.TaskCount())
	}
	if st := srv.FaultStats(); st.AfterCommit+st.Dropped+st.Gateway == 0 {
		t.Fatalf("no faults injected: %+v", st)
	}
	if code, _, _ := c.run("import", "--object", "engagements", "--in", in, "--results", in+".2", "--unique-property", "x"); code != 2 {
		t.Errorf("--unique-property on engagements: exit %d", code)
	}
}

// testServer is the fake these tests use: import_key is a unique property
// of every object type, as an account that imports with --unique-property
// has one.
func testServer(opts ...hubspottest.Option) *hubspottest.Server {
	return hubspottest.NewServer(append(testServerOptions(), opts...)...)
}

// testServerOptions are testServer's options.
func testServerOptions() []hubspottest.Option {
	var all []hubspottest.Option
	for _, object := range objectNames[1:] {
		all = append(all, hubspottest.WithProperty(object, hubspottest.Property{Name: "import_key", Unique: true}))
	}
	return all
}
