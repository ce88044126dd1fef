package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// startFakeCommand runs `engagements fake --addr 127.0.0.1:0 args…` in
// this process with env as its environment, and returns the URL and token
// it prints. The fake stops when the test ends, and must then exit 0.
func startFakeCommand(t *testing.T, env map[string]string, args ...string) (baseURL, token string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, append([]string{"fake", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), pw, io.Discard, func(k string) string { return env[k] })
		pw.Close()
		done <- code
	}()
	t.Cleanup(func() {
		cancel()
		if code := <-done; code != 0 {
			t.Errorf("engagements fake exited %d", code)
		}
	})
	sc := bufio.NewScanner(pr)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "export HUBSPOT_BASE_URL="); ok {
			baseURL, token, _ = strings.Cut(v, " HUBSPOT_TOKEN=")
			break
		}
	}
	go io.Copy(io.Discard, pr)
	if baseURL == "" || token == "" {
		t.Fatal("engagements fake printed no URL and token")
	}
	return baseURL, token
}

// recordingProxy forwards every request to a fake HubSpot and records its
// method and path, and its query as sent.
type recordingProxy struct {
	*httptest.Server
	mu      sync.Mutex
	paths   []string
	queries []string
}

func newRecordingProxy(t *testing.T, target string) *recordingProxy {
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &recordingProxy{}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.SetURL(u) }}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		p.paths = append(p.paths, r.Method+" "+r.URL.Path)
		p.queries = append(p.queries, r.URL.RawQuery)
		p.mu.Unlock()
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *recordingProxy) recorded() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.paths)
}

// checkWire checks that requests (METHOD PATH) went to the numbered APIs
// only (v3: /engagements/v1, /crm/v3, /calling/v1) or to none of them and
// to no other dated version (2026-03, 2026-09), and that there was at least
// one.
func checkWire(t *testing.T, wire facade.APIVersion, requests []string) {
	t.Helper()
	if len(requests) == 0 {
		t.Fatal("no request recorded")
	}
	for _, r := range requests {
		_, path, _ := strings.Cut(r, " ")
		numbered := strings.HasPrefix(path, "/engagements/v1/") || strings.HasPrefix(path, "/crm/v3/")
		dated, otherDated := strings.HasPrefix(path, "/crm/objects/"), !strings.HasPrefix(path, datedRoot(wire))
		if wire != facade.APIv3 && (numbered || dated && otherDated) || wire == facade.APIv3 && dated {
			t.Errorf("%s: request to %s", wire, r)
		}
	}
}

// probePaths are the listings a test of object on wire needs the fake to
// serve ("note" is the note command).
func probePaths(wire facade.APIVersion, object string) []string {
	if wire == facade.APIv3 {
		if object == engagementsObject || object == "note" {
			return []string{"/engagements/v1/engagements/paged"}
		}
		return []string{"/crm/v3/objects/" + object}
	}
	if object == engagementsObject || object == "note" {
		var ps []string
		for _, o := range objectNames[1:] {
			ps = append(ps, datedRoot(wire)+o)
		}
		return ps
	}
	return []string{datedRoot(wire) + object}
}

// datedRoot is where a dated wire's object APIs are: /crm/objects/<version>/.
func datedRoot(wire facade.APIVersion) string { return "/crm/objects/" + string(wire) + "/" }

// requireServed fails the test when the fake at base answers 404 to a
// listing the test needs.
func requireServed(t *testing.T, base, token string, wire facade.APIVersion, object string) {
	t.Helper()
	for _, p := range probePaths(wire, object) {
		status := 0
		// A fake with faults may drop the probe or answer a gateway error.
		for try := 0; try < 20 && (status == 0 || status >= 500); try++ {
			req, _ := http.NewRequest(http.MethodGet, base+p+"?limit=1", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				status = resp.StatusCode
			}
		}
		if status == 0 {
			t.Fatalf("GET %s: no answer", p)
		}
		if status == http.StatusNotFound {
			t.Fatalf("hubspottest does not serve GET %s, which %s on %s needs", p, object, wire)
		}
	}
}

// markerProperty is, for each object type, the property the test lines
// set to a marker the export must give back.
var markerProperty = map[string]string{
	"emails": facade.EmailSubjectProperty, "tasks": facade.TaskSubjectProperty, "notes": facade.NoteBodyProperty,
	"calls": facade.CallTitleProperty, "meetings": facade.MeetingTitleProperty,
	"communications": facade.CommunicationBodyProperty, "postal_mail": facade.PostalMailBodyProperty,
}

// objectLines are n import lines of object, each setting a marker (run-i)
// and, for the object types, a distinct import_key.
func objectLines(object, run string, n int) (lines, markers []string) {
	types := []string{"NOTE", "CALL", "MEETING", "TASK", "EMAIL"}
	for i := range n {
		m := fmt.Sprintf("%s-%d", run, i)
		markers = append(markers, m)
		if object != engagementsObject {
			props := map[string]string{markerProperty[object]: m, facade.TimestampProperty: "2025-03-15T14:30:00.000Z", "import_key": m}
			b, _ := json.Marshal(map[string]any{"properties": props})
			lines = append(lines, string(b))
			continue
		}
		var meta string
		switch typ := types[i%len(types)]; typ {
		case "NOTE":
			meta = `{"body":"` + m + `"}`
		case "CALL":
			meta = `{"body":"` + m + `","durationMilliseconds":1000,"status":"COMPLETED"}`
		case "MEETING":
			meta = `{"title":"` + m + `","body":"` + m + `","startTime":1742049000000,"endTime":1742052600000}`
		case "TASK":
			meta = `{"subject":"` + m + `","status":"NOT_STARTED"}`
		case "EMAIL":
			meta = `{"subject":"` + m + `","text":"` + m + `"}`
		}
		lines = append(lines, fmt.Sprintf(`{"engagement":{"type":%q,"ownerId":7001,"timestamp":1742049000000},"associations":{"contactIds":[5001]},"metadata":%s}`, types[i%len(types)], meta))
	}
	return lines, markers
}

// uniqueKeyArgs declares import_key as a unique property of every object
// type, when the fake command knows custom properties (--property, added
// with the fake's property registry); the fake in main takes any property.
func uniqueKeyArgs() []string {
	var args []string
	if (&app{}).fakeCmd().Flags().Lookup("property") != nil {
		for _, o := range objectNames[1:] {
			args = append(args, "--property", o+":import_key:string:unique")
		}
	}
	return args
}

// exportedByID reads an export's lines by record id (an engagement's
// engagement.id), failing on a repeated id.
func exportedByID(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	ls := lines(out)
	for i, id := range ids(t, ls) {
		if _, dup := got[id]; dup {
			t.Fatalf("record %s exported twice", id)
		}
		got[id] = ls[i]
	}
	return got
}

// The check: a proxy in front of `engagements fake` records every
// path. export, import and note with --api-version 2026-03, for every
// object, succeed and never touch /engagements/v1 or /crm/v3; the same
// commands on v3 pass the same checks and never touch a dated path.
func TestEveryObjectOnBothWiresThroughAProxy(t *testing.T) {
	t.Parallel()
	fakeURL, token := startFakeCommand(t, nil, uniqueKeyArgs()...)
	for _, wire := range facade.APIVersions {
		for _, object := range append(slices.Clone(objectNames), "note") {
			t.Run(string(wire)+"/"+object, func(t *testing.T) {
				t.Parallel()
				requireServed(t, fakeURL, token, wire, object)
				proxy := newRecordingProxy(t, fakeURL)
				c := newCLI(t, nil)
				c.env = map[string]string{"HUBSPOT_TOKEN": token, "HUBSPOT_BASE_URL": proxy.URL}
				wireArgs := []string{"--api-version", string(wire)}
				if object == "note" {
					checkNote(t, c, fakeURL, token, wire, wireArgs)
				} else {
					checkImportExport(t, c, proxy, wire, object, wireArgs)
				}
				checkWire(t, wire, proxy.recorded())
			})
		}
	}
}

// sinceRequest is the request an export of object with --since must send
// on wire: a search on hs_lastmodifieddate (v1: modified/after).
func sinceRequest(wire facade.APIVersion, object string) string {
	switch {
	case wire == facade.APIv3 && object == engagementsObject:
		return "GET /engagements/v1/engagements/modified/after"
	case object == engagementsObject:
		object = "notes" // the first type searched
	}
	if wire == facade.APIv3 {
		return "POST /crm/v3/objects/" + object + "/search"
	}
	return "POST " + datedRoot(wire) + object + "/search"
}

// checkImportExport imports lines of object, resumes the finished import
// (creating nothing), then exports everything and with --since (which must
// search), and finds every imported record in both exports with its marker.
func checkImportExport(t *testing.T, c *cli, proxy *recordingProxy, wire facade.APIVersion, object string, wireArgs []string) {
	ls, markers := objectLines(object, string(wire)+"-"+object, 12)
	in := writeLines(t, ls...)
	importArgs := append(slices.Clone(wireArgs), "import", "--object", object, "--in", in)
	if object != engagementsObject {
		importArgs = append(importArgs, "--unique-property", "import_key")
	}
	if code, _, errs := c.run(importArgs...); code != 0 || !strings.Contains(errs, fmt.Sprintf("created %d", len(ls))) {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	res := readResultLines(t, in+".results.jsonl")
	if code, _, errs := c.run(append(importArgs, "--resume")...); code != 0 || !strings.Contains(errs, fmt.Sprintf("%d already done", len(ls))) {
		t.Fatalf("import --resume of a finished import: exit %d: %s", code, errs)
	}
	exportArgs := append(slices.Clone(wireArgs), "export", "--object", object)
	if object != engagementsObject {
		exportArgs = append(exportArgs, "--properties", markerProperty[object])
	}
	for _, extra := range [][]string{nil, {"--since", "2000-01-01"}} {
		before := len(proxy.recorded())
		code, out, errs := c.run(append(slices.Clone(exportArgs), extra...)...)
		if code != 0 {
			t.Fatalf("export %v: exit %d: %s", extra, code, errs)
		}
		if sent := proxy.recorded()[before:]; extra != nil && !slices.Contains(sent, sinceRequest(wire, object)) {
			t.Errorf("export %v sent %v, not %s", extra, sent, sinceRequest(wire, object))
		}
		got := exportedByID(t, out)
		for i, m := range markers {
			id := res[i+1].ID
			line, ok := got[id]
			if id == "" || !ok {
				t.Fatalf("export %v: line %d (id %q) not exported among %d records", extra, i+1, id, len(got))
			}
			if object == engagementsObject {
				if !strings.Contains(line, `"`+m+`"`) {
					t.Errorf("export %v: record %s lacks its marker %q: %s", extra, id, m, line)
				}
				continue
			}
			var rec struct{ Properties map[string]*string }
			if err := json.Unmarshal([]byte(line), &rec); err != nil {
				t.Fatal(err)
			}
			if v := rec.Properties[markerProperty[object]]; v == nil || *v != m {
				t.Errorf("export %v: record %s has %s %v, want %q", extra, id, markerProperty[object], v, m)
			}
		}
	}
}

// runNote logs a note with body on contact 5001 (owner 7001, at
// 2025-03-15T14:30:00Z) with args before the command, with --format table
// then --format json, and checks both outputs: the id alone, and the v1
// shape with the same fields. It returns the second note's id.
func runNote(t *testing.T, c *cli, body string, args ...string) int64 {
	t.Helper()
	args = append(slices.Clone(args), "note", "--contact", "5001", "--body", body, "--owner", "7001", "--time", "2025-03-15T14:30:00Z")
	code, out, errs := c.run(append(args, "--format", "table")...)
	if code != 0 || len(lines(out)) != 1 || mustInt(t, strings.TrimSpace(out)) <= 0 {
		t.Fatalf("note: exit %d, %q: %s", code, out, errs)
	}
	code, out, errs = c.run(append(args, "--format", "json")...)
	var rec struct {
		Engagement struct {
			ID        int64
			Type      string
			OwnerID   int64
			Timestamp int64
		}
		Associations struct{ ContactIDs []int64 }
		Metadata     struct{ Body string }
	}
	if err := json.Unmarshal([]byte(out), &rec); code != 0 || err != nil {
		t.Fatalf("note --format json: exit %d, %v: %q %s", code, err, out, errs)
	}
	e := rec.Engagement
	if e.ID <= 0 || e.Type != "NOTE" || e.OwnerID != 7001 || e.Timestamp != 1742049000000 || rec.Metadata.Body != body || !slices.Equal(rec.Associations.ContactIDs, []int64{5001}) {
		t.Errorf("note --format json %v: %+v", args, rec)
	}
	return e.ID
}

// checkNote logs a note on wire through runNote and reads it back from the
// fake directly (not through the proxy).
func checkNote(t *testing.T, c *cli, fakeURL, token string, wire facade.APIVersion, wireArgs []string) {
	body := "Called back on " + string(wire)
	id := runNote(t, c, body, wireArgs...)
	// Stored where the wire says, with the mapped property.
	path, want := fmt.Sprintf("/engagements/v1/engagements/%d", id), `"body":"`+body+`"`
	if wire != facade.APIv3 {
		path, want = fmt.Sprintf("%snotes/%d?properties=hs_note_body", datedRoot(wire), id), `"hs_note_body":"`+body+`"`
	}
	req, _ := http.NewRequest(http.MethodGet, fakeURL+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(stored), want) {
		t.Errorf("GET %s: %d %s, want %s", path, resp.StatusCode, stored, want)
	}
}

// hubSpotCommands are the commands that talk to HubSpot.
var hubSpotCommands = []string{"dispositions", "export", "import", "note"}

// runHubSpotCommands runs check in a parallel subtest (named name/command)
// for each of hubSpotCommands, with arguments that make it send requests,
// global flags before them; srv is a fresh fake with 150 tasks.
func runHubSpotCommands(t *testing.T, name string, global []string, check func(t *testing.T, srv *hubspottest.Server, command string, args []string)) {
	for _, command := range hubSpotCommands {
		t.Run(name+"/"+command, func(t *testing.T) {
			t.Parallel()
			srv := testServer()
			defer srv.Close()
			srv.SeedTasks(150)
			args := map[string][]string{
				"dispositions": {"dispositions"},
				"export":       {"export", "--object", "tasks"},
				"import":       {"import", "--object", "tasks", "--in", writeLines(t, taskLines(1, 3)...)},
				"note":         {"note", "--contact", "5001", "--body", "x"},
			}[command]
			check(t, srv, command, append(slices.Clone(global), args...))
		})
	}
}

// note on 2026-03 against a stub of HubSpot's notes API that checks the
// request field by field and answers a create with what it was sent: one
// POST /crm/objects/2026-03/notes per note, with the body, owner, time and
// the contact association (HubSpot's note-to-contact type, 202) in it; the
// outputs are those of v1. hubspottest serves 2026-03 too (checkNote, in
// TestEveryObjectOnBothWiresThroughAProxy, logs a note there and reads it
// back); the stub pins the exact request, which the fake accepts without
// showing it.
func TestNoteOnTheDatedWire(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var sent []string
	stub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Properties   map[string]string `json:"properties"`
			Associations []struct {
				To    struct{ ID string }
				Types []struct {
					AssociationCategory string
					AssociationTypeID   int
				}
			} `json:"associations"`
		}
		err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in)
		mu.Lock()
		sent = append(sent, r.Method+" "+r.URL.Path)
		mu.Unlock()
		p := in.Properties
		ok := err == nil && len(in.Associations) == 1 && in.Associations[0].To.ID == "5001" && len(in.Associations[0].Types) == 1 &&
			in.Associations[0].Types[0].AssociationCategory == "HUBSPOT_DEFINED" && in.Associations[0].Types[0].AssociationTypeID == 202 &&
			p[facade.NoteBodyProperty] == "Called back" && p[facade.OwnerIDProperty] == "7001" && strings.HasPrefix(p[facade.TimestampProperty], "2025-03-15T14:30:00")
		if r.Method != http.MethodPost || r.URL.Path != "/crm/objects/2026-03/notes" || !ok {
			t.Errorf("%s %s: %+v, %v", r.Method, r.URL.Path, in, err)
			http.Error(w, `{"status":"error","message":"unexpected","category":"VALIDATION_ERROR"}`, http.StatusBadRequest)
			return
		}
		p[facade.ObjectIDProperty] = "90000000001"
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"id": "90000000001", "properties": p, "createdAt": "2025-03-15T14:31:00.000Z", "updatedAt": "2025-03-15T14:31:00.000Z", "archived": false})
	}))
	defer stub.Close()
	c := newCLI(t, nil)
	c.env = map[string]string{"HUBSPOT_TOKEN": "pat-test", "HUBSPOT_BASE_URL": stub.URL, apiVersionVar: "2026-03"}
	if id := runNote(t, c, "Called back"); id != 90000000001 {
		t.Errorf("id %d", id)
	}
	if !slices.Equal(sent, []string{"POST /crm/objects/2026-03/notes", "POST /crm/objects/2026-03/notes"}) {
		t.Errorf("sent %v", sent)
	}
}

// --unique-property on every object type and both wires: with answers lost
// after HubSpot committed (and gateway errors, dropped connections), every
// line is created exactly once, as an export by import_key shows.
// testServer declares import_key unique on each object type
// (hubspottest.WithProperty): the fake, like HubSpot, refuses a property it
// does not know, and a lookup by a property without unique values.
func TestUniquePropertySettlesLostAnswersForEveryObject(t *testing.T) {
	t.Parallel()
	const n = 1500
	for _, wire := range facade.APIVersions {
		for _, object := range objectNames[1:] {
			t.Run(string(wire)+"/"+object, func(t *testing.T) {
				t.Parallel()
				srv := testServer(hubspottest.WithFaults(hubspottest.Faults{Seed: 5, GatewayErrorRate: 0.05, DropRate: 0.05, FaultAfterCommitRate: 0.5}))
				defer srv.Close()
				requireServed(t, srv.URL, srv.Token(), wire, object)
				c := newCLI(t, srv)
				c.env[apiVersionVar] = string(wire)
				ls, markers := objectLines(object, "lost", n)
				in := writeLines(t, ls...)
				if code, _, errs := c.run("import", "--object", object, "--in", in, "--unique-property", "import_key"); code != 0 {
					t.Fatalf("import: exit %d: %s", code, errs)
				}
				if st := srv.FaultStats(); st.AfterCommit == 0 {
					t.Fatalf("no answer lost after commit: %+v", st)
				}
				code, out, errs := c.run("export", "--object", object, "--properties", "import_key")
				if code != 0 {
					t.Fatalf("export: exit %d: %s", code, errs)
				}
				keys := map[string]int{}
				for _, l := range lines(out) {
					var rec struct{ Properties map[string]*string }
					if err := json.Unmarshal([]byte(l), &rec); err != nil || rec.Properties["import_key"] == nil {
						t.Fatalf("exported %s: %v", l, err)
					}
					keys[*rec.Properties["import_key"]]++
				}
				for _, m := range markers {
					if keys[m] != 1 {
						t.Errorf("import_key %s stored %d times", m, keys[m])
					}
				}
				if len(lines(out)) != n {
					t.Errorf("%d stored, want %d", len(lines(out)), n)
				}
			})
		}
	}
}

// --api-version (or HUBSPOT_API_VERSION; the flag wins) selects the wire of
// every command that talks to HubSpot; an unknown value exits 2 naming the
// allowed ones, before any request. The wire is read from the paths the
// fake was asked for, so this holds whether or not the fake serves them.
func TestAPIVersionSelectsTheWire(t *testing.T) {
	t.Parallel()
	const (
		v3    = "/crm/v3/"
		dated = "/crm/objects/2026-03/"
	)
	datedPath := map[string]string{"export": dated + "tasks", "import": dated + "tasks", "note": dated + "notes", "dispositions": "/calling/v1/dispositions"}
	v3Path := map[string]string{"export": v3 + "objects/tasks", "import": v3 + "objects/tasks", "note": "/engagements/v1/engagements", "dispositions": "/calling/v1/dispositions"}
	tests := []struct {
		name string
		env  string   // HUBSPOT_API_VERSION
		args []string // before the command
		want string   // "v3", "2026-03", or "" for exit 2
		errs []string // with exit 2: in the message
	}{
		{"default", "", nil, "v3", nil},
		{"flag v3", "", []string{"--api-version", "v3"}, "v3", nil},
		{"flag 2026-03", "", []string{"--api-version", "2026-03"}, "2026-03", nil},
		{"variable", "2026-03", nil, "2026-03", nil},
		{"variable with spaces", " 2026-03\n", nil, "2026-03", nil},
		{"flag wins over the variable", "2026-03", []string{"--api-version", "v3"}, "v3", nil},
		{"flag wins over a bad variable", "v1", []string{"--api-version", "2026-03"}, "2026-03", nil},
		{"flag 2026-09", "", []string{"--api-version", "2026-09"}, "2026-09", nil},
		{"variable 2026-09", "2026-09", nil, "2026-09", nil},
		{"unknown flag value", "", []string{"--api-version", "2027-03"}, "", []string{`"2027-03"`, "--api-version", "use v3, 2026-03 or 2026-09"}},
		{"unknown variable value", "V3", nil, "", []string{`"V3"`, "HUBSPOT_API_VERSION", "use v3, 2026-03 or 2026-09"}},
		{"empty flag", "2026-03", []string{"--api-version="}, "", []string{"--api-version", "use v3, 2026-03 or 2026-09"}},
		{"long value", "", []string{"--api-version", strings.Repeat("v", 5000)}, "", []string{"…", "use v3, 2026-03 or 2026-09"}},
	}
	for _, tt := range tests {
		runHubSpotCommands(t, tt.name, tt.args, func(t *testing.T, srv *hubspottest.Server, name string, args []string) {
			c := newCLI(t, srv)
			c.env[apiVersionVar] = tt.env
			code, _, errs := c.run(args...)
			reqs := srv.Requests()
			if tt.want == "" {
				if code != exitUsage || len(lines(errs)) != 1 || len(reqs) != 0 {
					t.Fatalf("exit %d after %d requests, stderr %q; want 2 before any request", code, len(reqs), errs)
				}
				for _, w := range tt.errs {
					if !strings.Contains(errs, w) {
						t.Errorf("stderr %q lacks %q", errs, w)
					}
				}
				if len(errs) > 200 {
					t.Errorf("stderr is %d bytes: the value is not cut", len(errs))
				}
				return
			}
			want := v3Path[name]
			if tt.want != "v3" {
				want = strings.ReplaceAll(datedPath[name], "2026-03", tt.want)
			} else if code != 0 {
				t.Fatalf("v3: exit %d: %s", code, errs)
			}
			if len(reqs) == 0 {
				t.Fatalf("no request (exit %d: %s)", code, errs)
			}
			for _, r := range reqs {
				if !strings.HasPrefix(r.Path, want) {
					t.Errorf("request to %s %s, want %s…", r.Method, r.Path, want)
				}
			}
		})
	}
}

// An export's saved position belongs to its API version: resuming it on
// the other one is refused before any request (the cursors differ); a
// position saved before there was a choice resumes on v3.
func TestExportResumeKeepsItsAPIVersion(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(2500)
	c := newCLI(t, srv)
	out := filepath.Join(t.TempDir(), "tasks.jsonl")
	c.runUntilCrash(func(n int) bool { return n == 1500 }, "export", "--object", "tasks", "--out", out)
	state, err := os.ReadFile(out + ".cursor")
	if err != nil || !strings.Contains(string(state), `"apiVersion":"v3"`) {
		t.Fatalf("cursor file %s, %v: no apiVersion", state, err)
	}
	srv.ResetRequests()
	// The global flag after the command counts as given too.
	code, _, errs := c.run("export", "--object", "tasks", "--out", out, "--resume", "--api-version", "2026-03")
	// The crashed run's page fetched ahead may reach the fake after the
	// reset (its client gave up on it, the server may still read it): it
	// is a v3 request. Anything the refused resume sent is on 2026-03.
	var sent []string
	for _, r := range srv.Requests() {
		if !strings.HasPrefix(r.Path, "/crm/v3/") {
			sent = append(sent, r.Method+" "+r.Path)
		}
	}
	if code != exitUsage || !strings.Contains(errs, "--api-version") || !strings.Contains(errs, "API version v3") || len(sent) != 0 {
		t.Fatalf("resume on 2026-03 of a v3 export: exit %d after requests %v: %s", code, sent, errs)
	}
	// A cursor file from before --api-version existed: v3.
	old := strings.Replace(string(state), `"apiVersion":"v3",`, "", 1)
	if err := os.WriteFile(out+".cursor", []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = c.run("export", "--object", "tasks", "--out", out, "--resume")
	b, _ := os.ReadFile(out)
	if code != 0 || len(lines(string(b))) != 2500 {
		t.Fatalf("resume of an old cursor file on v3: exit %d, %d lines: %s", code, len(lines(string(b))), errs)
	}
}

// engagements fake says on stderr which APIs it serves: every wire, the
// dated versions each by name.
func TestFakeSaysWhichAPIsItServes(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	outR, outW := io.Pipe()
	errR, errW := io.Pipe()
	done := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"fake", "--addr", "127.0.0.1:0"}, strings.NewReader(""), outW, errW, func(string) string { return "" })
		outW.Close()
		errW.Close()
		done <- code
	}()
	go io.Copy(io.Discard, outR)
	sc := bufio.NewScanner(errR)
	if !sc.Scan() {
		t.Fatal("engagements fake wrote nothing on stderr")
	}
	line := sc.Text()
	go io.Copy(io.Discard, errR)
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("engagements fake exited %d", code)
	}
	for _, api := range []string{"/engagements/v1", "/calling/v1", "/crm/v3", "/crm/objects/2026-03", "/crm/objects/2026-09"} {
		if !strings.Contains(line, api) {
			t.Errorf("stderr %q does not name %s", line, api)
		}
	}
}
