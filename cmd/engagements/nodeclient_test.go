package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// nodeClientDir holds the Node program that drives the fake with HubSpot's
// official Node client (@hubspot/api-client, pinned in its package.json and
// package-lock.json); `npm ci` there installs it (.ci/run does).
const nodeClientDir = "testdata/nodeclient"

// TestNodeClient drives `engagements fake` with HubSpot's own Node client,
// so that the fake is held to what a real client of another language sends:
// array query parameters repeated (?properties=a&properties=b), sorts typed
// as strings, its headers. check.js creates, gets, lists, updates, searches,
// batch-creates/reads/updates/archives and archives tasks and notes on the
// v3 wire, and reads them on the 2026-03 wire in both forms of properties.
// It is skipped where node or the installed package is absent, except in
// CI (CI=true), where .ci/run installs both and a skip would hide it.
func TestNodeClient(t *testing.T) {
	node, err := exec.LookPath("node")
	if err == nil {
		_, err = os.Stat(filepath.Join(nodeClientDir, "node_modules", "@hubspot", "api-client", "package.json"))
	}
	if err != nil {
		msg := "HubSpot's Node client is not installed (" + err.Error() + "): install node and npm, then run `npm ci` in cmd/engagements/" + nodeClientDir
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	baseURL, token := startFakeCommand(t, nil)
	proxy := newRecordingProxy(t, baseURL)

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "check.js")
	cmd.Dir = nodeClientDir
	cmd.Env = append(os.Environ(), "HUBSPOT_BASE_URL="+proxy.URL, "HUBSPOT_TOKEN="+token)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node check.js: %v\n%s", err, out)
	}
	const want = 18 // the checks of check.js: 9 for tasks, 9 for notes
	got := 0
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "ok ") {
			got++
		}
	}
	if got != want || !strings.Contains(string(out), "all checks passed") {
		t.Errorf("node check.js passed %d checks, want %d:\n%s", got, want, out)
	}

	proxy.mu.Lock()
	queries := slices.Clone(proxy.queries)
	proxy.mu.Unlock()
	// The client's own forms reached the fake (and were answered: check.js
	// passed).
	for _, q := range []string{
		"properties=hs_task_subject&properties=hs_task_status&properties=hs_task_priority", // v3, as the client sends
		"propertiesWithHistory=hs_note_body",
	} {
		if !slices.ContainsFunc(queries, func(s string) bool { return strings.Contains(s, q) }) {
			t.Errorf("no request had %q in its query; the queries: %q", q, queries)
		}
	}
}
