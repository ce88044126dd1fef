package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// hubspotWithout answers like srv, with HubSpot's refusals (400) made
// vaguer: "in" drops errors[].in (HubSpot's answer names the properties but
// not the inputs), "all" drops errors[] and the list in the message too (a
// refusal that names nothing).
func hubspotWithout(t *testing.T, srv *hubspottest.Server, what string) string {
	t.Helper()
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ModifyResponse = func(resp *http.Response) error {
		if resp.StatusCode != http.StatusBadRequest {
			return nil
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var body map[string]any
		if json.Unmarshal(b, &body) == nil {
			switch what {
			case "in":
				if errs, ok := body["errors"].([]any); ok {
					for _, e := range errs {
						delete(e.(map[string]any), "in")
					}
				}
			case "all":
				delete(body, "errors")
				body["message"] = "Property values were not valid"
			}
			b, _ = json.Marshal(body)
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", fmt.Sprint(len(b)))
		return nil
	}
	p := httptest.NewServer(proxy)
	t.Cleanup(p.Close)
	return p.URL
}

// vagueCLI is a fake and a CLI that speaks to it, through hubspotWithout
// when answer is not "".
func vagueCLI(t *testing.T, answer string) (*hubspottest.Server, *cli) {
	srv := hubspottest.New(t, testServerOptions()...)
	c := newCLI(t, srv)
	if answer != "" {
		c.env["HUBSPOT_BASE_URL"] = hubspotWithout(t, srv, answer)
	}
	return srv, c
}

// batchCreates counts the batch create requests srv answered.
func batchCreates(srv *hubspottest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/batch/create") {
			n++
		}
	}
	return n
}

// issue 20, point 2: each line stands alone. Seven task lines, line 5
// refused (before sending, or by HubSpot however it words it): the six
// others are created, line 5 is reported alone with its number and the
// reason, and nothing speaks of uncertain lines.
func TestImportLineStandsAlone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		line5    string
		answer   string // "": the fake's answer; else what hubspotWithout drops
		want     string // in line 5's error
		requests int    // batch creates sent
	}{
		{"refused before sending", `{"properties":{"hs_task_subject":"task 5","hs_task_status":"DONE"}}`, "",
			"hubspot: invalid properties.hs_task_status: not one of the property's values (got DONE)", 1},
		{"unknown property, errors name the input", `{"properties":{"hs_task_subject":"task 5","not_a_property":"x"}}`, "",
			`hubspot refused the line (400 VALIDATION_ERROR, PROPERTY_DOESNT_EXIST): Property "not_a_property" does not exist`, 2},
		{"unknown property, errors name only the property", `{"properties":{"hs_task_subject":"task 5","not_a_property":"x"}}`, "in",
			`hubspot refused the line (400 VALIDATION_ERROR, PROPERTY_DOESNT_EXIST): Property "not_a_property" does not exist`, 2},
		{"unknown property, nothing named", `{"properties":{"hs_task_subject":"task 5","not_a_property":"x"}}`, "all",
			"400 VALIDATION_ERROR: Property values were not valid", 7},
		{"invalid value, nothing named", `{"properties":{"hs_task_subject":"task 5","hs_timestamp":"soon"}}`, "all",
			"400 VALIDATION_ERROR: Property values were not valid", 7},
		{"invalid value, errors name the input", `{"properties":{"hs_task_subject":"task 5","hs_timestamp":"soon"}}`, "",
			"(400 VALIDATION_ERROR, INVALID_LONG): soon was not a valid long.", 2},
		// The lines that do not set hs_timestamp go first, alone.
		{"invalid value, errors name only the property", `{"properties":{"hs_task_subject":"task 5","hs_timestamp":"soon"}}`, "in",
			"400 VALIDATION_ERROR: Property values were not valid: [", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, c := vagueCLI(t, tt.answer)
			ls := taskLines(1, 7)
			ls[4] = tt.line5
			in := writeLines(t, ls...)
			code, _, errs := c.run("import", "--object", "tasks", "--in", in)
			if code != exitUsage {
				t.Fatalf("exit %d, want 2: %s", code, errs)
			}
			if n := srv.TaskCount(); n != 6 {
				t.Fatalf("%d tasks stored, want the 6 good lines: %s", n, errs)
			}
			res := readResultLines(t, in+".results.jsonl")
			for line := 1; line <= 7; line++ {
				r := res[line]
				switch {
				case line == 5 && (r.ID != "" || !r.Refused || r.Uncertain || !strings.Contains(r.Error, tt.want) || r.Digest == ""):
					t.Errorf("line 5: %+v, want refused with %q", r, tt.want)
				case line != 5 && r.ID == "":
					t.Errorf("line %d not created: %+v", line, r)
				}
			}
			for _, w := range []string{"line 5: ", tt.want, "created 6 tasks", "1 bad line,", "0 failed, 0 uncertain", "1 bad line refused and skipped: fix it in "} {
				if !strings.Contains(errs, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errs)
				}
			}
			for _, w := range []string{"line 1:", "line 4:", "line 6:", "may have been created", "check them in HubSpot", "inputs[", "1 bad lines"} {
				if strings.Contains(errs, w) {
					t.Errorf("stderr has %q:\n%s", w, errs)
				}
			}
			if n := batchCreates(srv); n != tt.requests {
				t.Errorf("%d batch creates, want %d", n, tt.requests)
			}
			// --resume sends nothing: six lines are done, line 5 is
			// unchanged.
			srv.ResetRequests()
			code, _, errs = c.run("import", "--object", "tasks", "--in", in, "--resume")
			if code != exitUsage || len(srv.Requests()) != 0 || !strings.Contains(errs, "line 5: refused in an earlier run and unchanged, not sent again: ") ||
				!strings.Contains(errs, "6 already done, 1 refused in an earlier run") {
				t.Errorf("resume: exit %d, %d requests: %s", code, len(srv.Requests()), errs)
			}
			// --retry-refused sends it as it is: refused again, alone.
			code, _, errs = c.run("import", "--object", "tasks", "--in", in, "--resume", "--retry-refused")
			if code != exitUsage || srv.TaskCount() != 6 || !strings.Contains(errs, "line 5: ") || !strings.Contains(errs, "1 bad line,") {
				t.Errorf("--retry-refused: exit %d, %d stored: %s", code, srv.TaskCount(), errs)
			}
			// Line 5 fixed: --resume creates it, and only it.
			ls[4] = `{"properties":{"hs_task_subject":"task 5","hs_task_status":"COMPLETED"}}`
			if err := os.WriteFile(in, []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			srv.ResetRequests()
			code, _, errs = c.run("import", "--object", "tasks", "--in", in, "--resume")
			if code != 0 || srv.TaskCount() != 7 || batchCreates(srv) != 1 || !strings.Contains(errs, "created 1 task in") {
				t.Errorf("resume after the fix: exit %d, %d stored, %d batch creates: %s", code, srv.TaskCount(), batchCreates(srv), errs)
			}
		})
	}
}

// Many refused lines among many good ones: every good line is created,
// every bad one reported alone, with a bounded number of requests.
func TestImportFindsEveryRefusedLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		answer      string
		maxRequests int
	}{
		{"", 6},     // 3 batches, each sent again without its named lines
		{"in", 6},   // the same, by the properties that do not exist
		{"all", 80}, // halves: at most 2k·log(100/k) or so per batch
	}
	for _, tt := range tests {
		t.Run("answer without "+tt.answer, func(t *testing.T) {
			t.Parallel()
			srv, c := vagueCLI(t, tt.answer)
			ls := taskLines(1, 250)
			bad := map[int]bool{}
			for _, line := range []int{1, 37, 100, 101, 199, 250} {
				ls[line-1] = fmt.Sprintf(`{"properties":{"hs_task_subject":"task %d","no_such_%d":"x"}}`, line, line)
				bad[line] = true
			}
			in := writeLines(t, ls...)
			code, _, errs := c.run("import", "--object", "tasks", "--in", in)
			if code != exitUsage || srv.TaskCount() != 244 {
				t.Fatalf("exit %d, %d stored, want 2 and 244: %s", code, srv.TaskCount(), errs)
			}
			res := readResultLines(t, in+".results.jsonl")
			for line := 1; line <= 250; line++ {
				if r := res[line]; bad[line] != r.Refused || bad[line] == (r.ID != "") {
					t.Errorf("line %d: %+v", line, r)
				}
			}
			if !strings.Contains(errs, "6 bad lines,") {
				t.Errorf("summary: %s", errs)
			}
			n := batchCreates(srv)
			if n > tt.maxRequests {
				t.Errorf("%d batch creates, want at most %d", n, tt.maxRequests)
			}
			t.Logf("250 lines, 6 refused: %d batch creates", n)
		})
	}
}

// A v1 line HubSpot refuses is refused alone too: not sent again by
// --resume while unchanged.
func TestImportEngagementRefusedAlone(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	target, _ := url.Parse(srv.URL)
	proxy := httputil.NewSingleHostReverseProxy(target)
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if bytes.Contains(b, []byte("refuse me")) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"status":"error","message":"Invalid input JSON on line 1, column 42","correlationId":"c0ffee","requestId":"r1"}`)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(b))
		proxy.ServeHTTP(w, r)
	}))
	defer refusing.Close()
	c := newCLI(t, srv)
	c.env["HUBSPOT_BASE_URL"] = refusing.URL
	in := writeLines(t,
		`{"engagement":{"type":"NOTE"},"associations":{"contactIds":[5001]},"metadata":{"body":"one"}}`,
		`{"engagement":{"type":"NOTE"},"metadata":{"body":"refuse me"}}`,
		`{"engagement":{"type":"NOTE"},"metadata":{"body":"three"}}`,
	)
	code, _, errs := c.run("import", "--object", "engagements", "--in", in)
	res := readResultLines(t, in+".results.jsonl")
	if code != exitUsage || res[1].ID == "" || res[3].ID == "" || !res[2].Refused || !strings.Contains(errs, "line 2: hubspot: engagements.create") || !strings.Contains(errs, "Invalid input JSON") {
		t.Fatalf("exit %d, results %+v: %s", code, res, errs)
	}
	srv.ResetRequests()
	if code, _, errs := c.run("import", "--object", "engagements", "--in", in, "--resume"); code != exitUsage || len(srv.Requests()) != 0 {
		t.Errorf("resume: exit %d, %d requests: %s", code, len(srv.Requests()), errs)
	}
}
