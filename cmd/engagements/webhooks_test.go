package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade/webhook"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

const testClientSecret = "test-app-client-secret"

// listener is a running `webhooks listen`.
type listener struct {
	url    string // where HubSpot would deliver
	stderr *syncBuffer
	stop   context.CancelFunc
	code   chan int
}

// listen starts `webhooks listen` on a free port with args added, and
// returns once it listens.
func listen(t *testing.T, out string, args ...string) *listener {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	l := &listener{stderr: &syncBuffer{}, stop: cancel, code: make(chan int, 1)}
	a := &app{ctx: ctx, stdin: strings.NewReader(""), stdout: pw, stderr: l.stderr,
		getenv: func(k string) string { return map[string]string{secretVar: testClientSecret}[k] }}
	go func() {
		code := a.main(append([]string{"webhooks", "listen", "--addr", "127.0.0.1:0", "--out", out}, args...))
		pw.Close()
		l.code <- code
	}()
	sc := bufio.NewScanner(pr)
	if !sc.Scan() {
		cancel()
		t.Fatalf("the listener stopped (exit %d): %s", <-l.code, l.stderr)
	}
	go io.Copy(io.Discard, pr)
	_, rest, ok := strings.Cut(sc.Text(), "at http://")
	if !ok {
		t.Fatalf("no address in %q", sc.Text())
	}
	addr, _, _ := strings.Cut(rest, " ")
	l.url = "http://" + addr + "/hubspot/webhooks?portal=a%2Ab"
	t.Cleanup(func() { l.close(t) })
	return l
}

// close stops the listener as Ctrl-C does and checks it exits 0.
func (l *listener) close(t *testing.T) {
	if l.stop == nil {
		return
	}
	l.stop()
	l.stop = nil
	if code := <-l.code; code != exitOK {
		t.Errorf("listener exit %d: %s", code, l.stderr)
	}
}

func fileLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return lines(string(b))
}

func taskEvents(ids ...int64) []webhook.Event {
	var out []webhook.Event
	for _, id := range ids {
		out = append(out, webhook.Event{EventID: id, SubscriptionID: 5, PortalID: 62515, AppID: 1, OccurredAt: time.UnixMilli(1_700_000_000_000 + id),
			SubscriptionType: "object.creation", ObjectTypeID: "0-27", ObjectID: 100 + id, ChangeSource: "API"})
	}
	return out
}

// TestWebhooksListenWritesOnce: a signed delivery is written once, also
// when HubSpot redelivers it, also after the listener restarts.
func TestWebhooksListenWritesOnce(t *testing.T) {
	out := filepath.Join(t.TempDir(), "events.jsonl")
	l := listen(t, out)
	hubspot := &hubspottest.WebhookSender{URL: l.url, Secret: testClientSecret}
	events := taskEvents(1, 2)
	if err := hubspot.Send(t.Context(), events...); err != nil {
		t.Fatal(err)
	}
	got := fileLines(t, out)
	if len(got) != 2 {
		t.Fatalf("%d lines after the delivery, want 2: %q", len(got), got)
	}
	for i, line := range got {
		want, _ := events[i].MarshalJSON()
		if line != string(want) {
			t.Errorf("line %d = %s, want %s", i+1, line, want)
		}
	}
	redelivery := taskEvents(1, 2)
	for i := range redelivery {
		redelivery[i].AttemptNumber = 1
	}
	if err := hubspot.Send(t.Context(), redelivery...); err != nil {
		t.Fatal(err)
	}
	if n := len(fileLines(t, out)); n != 2 {
		t.Errorf("%d lines after the redelivery, want 2", n)
	}
	l.close(t)
	if !strings.Contains(l.stderr.String(), "2 events written") {
		t.Errorf("no summary: %s", l.stderr)
	}

	// Restarted: what the file holds is not written again; new events are.
	l = listen(t, out)
	hubspot.URL = l.url
	if err := hubspot.Send(t.Context(), append(redelivery, taskEvents(3)...)...); err != nil {
		t.Fatal(err)
	}
	got = fileLines(t, out)
	if len(got) != 3 || !strings.Contains(got[2], `"eventId":3,`) {
		t.Errorf("after the restart: %q, want events 1, 2 and 3 once each", got)
	}
}

// TestWebhooksListenRefuses: a bad signature, a stale timestamp, an
// oversized body and an unsigned request are refused and write nothing.
func TestWebhooksListenRefuses(t *testing.T) {
	out := filepath.Join(t.TempDir(), "events.jsonl")
	l := listen(t, out, "--max-body", "4096")
	big := taskEvents(1)
	big[0].PropertyName, big[0].PropertyValue = "hs_task_body", strings.Repeat("x", 5000)
	tests := []struct {
		name   string
		sender hubspottest.WebhookSender
		events []webhook.Event
		status int
	}{
		{"bad signature", hubspottest.WebhookSender{URL: l.url, Secret: "not-the-secret"}, taskEvents(1), http.StatusUnauthorized},
		{"stale timestamp", hubspottest.WebhookSender{URL: l.url, Secret: testClientSecret,
			Now: func() time.Time { return time.Now().Add(-5*time.Minute - 5*time.Second) }}, taskEvents(1), http.StatusUnauthorized},
		{"oversized body", hubspottest.WebhookSender{URL: l.url, Secret: testClientSecret}, big, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		err := tt.sender.Send(t.Context(), tt.events...)
		if we, ok := errors.AsType[*hubspottest.WebhookError](err); !ok || we.StatusCode != tt.status {
			t.Errorf("%s: %v, want status %d", tt.name, err, tt.status)
		}
	}
	resp, err := http.Post(l.url, "application/json", strings.NewReader(`[{"eventId":1}]`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("unsigned: status %d", resp.StatusCode)
	}
	if st, err := os.Stat(out); err != nil || st.Size() != 0 {
		t.Errorf("the file was written: %v, %v", st, err)
	}
	l.close(t)
	if s := l.stderr.String(); strings.Contains(s, testClientSecret) || !strings.Contains(s, "status=413") || !strings.Contains(s, "stale timestamp") {
		t.Errorf("stderr should say why each was refused, never the secret: %s", s)
	}
}

// TestWebhooksListenStart: the secret comes from the environment only; a
// line a crash cut short is dropped; a file of something else is refused.
func TestWebhooksListenStart(t *testing.T) {
	c := newCLI(t, nil)
	out := filepath.Join(t.TempDir(), "events.jsonl")
	code, _, stderr := c.run("webhooks", "listen", "--addr", "127.0.0.1:0", "--out", out)
	if code != exitUsage || !strings.Contains(stderr, secretVar) {
		t.Errorf("no secret: exit %d, %s", code, stderr)
	}
	if code, _, _ := c.run("webhooks", "listen", "--secret", "x", "--out", out); code != exitUsage {
		t.Errorf("a --secret flag was accepted: exit %d", code)
	}

	first, _ := taskEvents(1)[0].MarshalJSON()
	if err := os.WriteFile(out, append(append(first, '\n'), `{"eventId":2,"subscri`...), 0o644); err != nil {
		t.Fatal(err)
	}
	l := listen(t, out)
	if err := (&hubspottest.WebhookSender{URL: l.url, Secret: testClientSecret}).Send(t.Context(), taskEvents(1, 2)...); err != nil {
		t.Fatal(err)
	}
	if got := fileLines(t, out); len(got) != 2 || got[0] != string(first) || !strings.Contains(got[1], `"eventId":2,`) {
		t.Errorf("file %q, want event 1 kept and event 2 written whole", got)
	}
	l.close(t)

	c.env[secretVar] = testClientSecret
	other := filepath.Join(t.TempDir(), "other.jsonl")
	if err := os.WriteFile(other, []byte("{\"id\":\"1\"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := c.run("webhooks", "listen", "--addr", "127.0.0.1:0", "--out", other); code != exitUsage || !strings.Contains(stderr, "line 1") {
		t.Errorf("foreign file: exit %d, %s", code, stderr)
	}
}

// TestWebhooksListenKilled: a listener killed with SIGKILL while HubSpot
// delivers, then restarted, ends with every event in the file exactly
// once once HubSpot has redelivered what it did not see answered 2xx.
func TestWebhooksListenKilled(t *testing.T) {
	out := filepath.Join(t.TempDir(), "events.jsonl")
	args, _ := json.Marshal([]string{"webhooks", "listen", "--addr", "127.0.0.1:0", "--out", out})
	child := exec.Command(os.Args[0], "-test.run=^$")
	child.Env = append(os.Environ(), childEnv+"="+string(args), secretVar+"="+testClientSecret)
	stderr, err := child.StderrPipe() // childMain writes stdout there too
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	url := ""
	for url == "" && sc.Scan() {
		if _, rest, ok := strings.Cut(sc.Text(), "at http://"); ok {
			addr, _, _ := strings.Cut(rest, " ")
			url = "http://" + addr + "/hubspot"
		}
	}
	if url == "" {
		child.Process.Kill()
		t.Fatalf("the listener did not start: %v", child.Wait())
	}
	go io.Copy(io.Discard, stderr)

	const total = 200
	all := make([]int64, total)
	for i := range all {
		all[i] = int64(i + 1)
	}
	hubspot := &hubspottest.WebhookSender{URL: url, Secret: testClientSecret, BatchSize: 5}
	first := make(chan struct{})
	sent := make(chan int, 1)
	go func() {
		n := 0
		for batch := range slices.Chunk(all, 5) {
			if hubspot.Send(context.Background(), taskEvents(batch...)...) != nil {
				break
			}
			if n += len(batch); n == 50 {
				close(first)
			}
		}
		sent <- n
	}()
	<-first // kill while deliveries go on
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	child.Wait()
	n := <-sent
	if n == total {
		t.Log("every delivery was answered before the kill")
	}
	answered := len(fileLines(t, out))
	if answered < n {
		t.Fatalf("%d events answered 2xx but only %d in the file", n, answered)
	}

	// HubSpot redelivers everything it did not see answered (here: all).
	l := listen(t, out)
	hubspot.URL = l.url
	if err := hubspot.Send(t.Context(), taskEvents(all...)...); err != nil {
		t.Fatal(err)
	}
	seen := map[int64]int{}
	for _, line := range fileLines(t, out) {
		var e webhook.Event
		if err := e.UnmarshalJSON([]byte(line)); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		seen[e.EventID]++
	}
	for _, id := range all {
		if seen[id] != 1 {
			t.Errorf("event %d written %d times", id, seen[id])
		}
	}
	t.Logf("%d events answered before the kill, %d in the file then, %d after the restart", n, answered, len(seen))
}
