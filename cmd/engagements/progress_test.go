package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
)

func TestProgressLine(t *testing.T) {
	t.Parallel()
	st := newStats()
	st.answers.Store(3)
	st.retries.Store(1)
	st.waited.Store(int64(1500 * time.Millisecond))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &progress{width: 200, verb: "exporting tasks", unit: "records", req: "pages", st: st, start: start,
		now: func() time.Time { return start.Add(2 * time.Second) }}
	p.total.Store(-1)
	p.done.Store(300)
	if got, want := p.line(), "exporting tasks: 300 records, 0:02, 150 records/s, 3 pages, 1 retry, waited 1.5s"; got != want {
		t.Errorf("no total:\n got %q\nwant %q", got, want)
	}
	st.total.Store(1200) // HubSpot's total (search)
	if got, want := p.line(), "exporting tasks: 300 of 1,200 records (25%), 0:02, ETA 0:06, 150 records/s, 3 pages, 1 retry, waited 1.5s"; got != want {
		t.Errorf("HubSpot's total:\n got %q\nwant %q", got, want)
	}
	p.before.Store(600) // resumed after 600
	if got, want := p.line(), "exporting tasks: 900 of 1,200 records (75%), 0:02, ETA 0:02"; !strings.HasPrefix(got, want) {
		t.Errorf("resumed:\n got %q\nwant %q…", got, want)
	}
	p.before.Store(0)
	for _, width := range []int{80, 60, 40, 20} {
		p.width = width
		got := p.line()
		if len(got) > width-1 || !strings.HasPrefix(got, "exporting tasks: 300"[:min(20, width-1)]) {
			t.Errorf("width %d: %q (%d columns)", width, got, len(got))
		}
	}
	p.width = 60
	if got := p.line(); !strings.Contains(got, "ETA") || strings.Contains(got, "pages") {
		t.Errorf("width 60 keeps the least useful parts first: %q", got)
	}
	one := &progress{width: 80, verb: "importing tasks", unit: "lines", req: "batches", st: newStats(), start: start, now: func() time.Time { return start }}
	one.total.Store(-1)
	one.done.Store(1)
	if got := one.line(); !strings.Contains(got, "1 line,") || !strings.Contains(got, "0 batches") {
		t.Errorf("singular: %q", got)
	}
	one.st.answers.Store(1)
	if got := one.line(); !strings.Contains(got, "1 batch") || strings.Contains(got, "1 batches") {
		t.Errorf("singular: %q", got)
	}
}

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The line is redrawn on every tick, records or not (a wait for the rate
// limit included), cleared at the end, and holds no escape sequence.
func TestProgressRedrawsWhileWaiting(t *testing.T) {
	t.Parallel()
	var buf syncBuffer
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	tick := make(chan time.Time)
	a := &app{ctx: context.Background(), stderr: &buf, now: now, stats: newStats(), getenv: func(string) string { return "" }}
	p := a.startProgress(true, "exporting tasks", "records", "pages", tick)
	p.done.Store(100)
	tick <- clock
	tick <- clock // the first draw is done once the second tick is taken
	first := buf.String()
	mu.Lock()
	clock = clock.Add(3 * time.Second) // waiting: no record
	mu.Unlock()
	tick <- clock
	tick <- clock
	if !strings.Contains(first, "\rexporting tasks: 100 records, 0:00") || !strings.Contains(buf.String()[len(first):], "\rexporting tasks: 100 records, 0:03") {
		t.Fatalf("not redrawn while waiting: %q", buf.String())
	}
	a.say("line 7: something")
	if !strings.Contains(buf.String(), "\r"+strings.Repeat(" ", len(p.line()))+"\rline 7: something\n") {
		t.Errorf("a message is not written on a cleared line: %q", buf.String())
	}
	p.finish(a)
	if strings.ContainsRune(buf.String(), '\x1b') {
		t.Errorf("escape sequence written: %q", buf.String())
	}
	before := buf.String()
	p.finish(a) // twice: nothing more
	if buf.String() != before || a.prog != nil {
		t.Error("finish is not idempotent")
	}
}

func TestIsTerminal(t *testing.T) {
	t.Parallel()
	null, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer null.Close()
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	defer tty.Close()
	tests := []struct {
		name string
		w    io.Writer
		want bool
	}{
		{"/dev/null", null, false},
		{"pipe", w, false},
		{"buffer", &bytes.Buffer{}, false},
		{"pty", tty, true},
	}
	for _, tt := range tests {
		if got := isTerminal(tt.w); got != tt.want {
			t.Errorf("%s: isTerminal %v", tt.name, got)
		}
	}
}

// An export in a real (pseudo) terminal of 60 columns, driven the same way
// whatever the terminal: a tick every 500 records whenever the command has
// a progress line to redraw. xterm gets the line redrawn in place, never
// wider than the terminal; TERM=dumb gets no progress line, only the
// summary as a plain line (no carriage-return redraw); NO_COLOR changes
// nothing (there is no colour); no case holds an escape sequence.
func TestProgressInATerminal(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(2345)
	tests := []struct {
		term, noColor string
		drawn         bool // a progress line is drawn
	}{
		{"xterm-256color", "", true},
		{"xterm-256color", "1", true},
		{"dumb", "", false},
		{"dumb", "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.term+"/NO_COLOR="+tt.noColor, func(t *testing.T) {
			master, tty, err := pty.Open()
			if err != nil {
				t.Skipf("no pty: %v", err)
			}
			defer master.Close()
			if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: 60}); err != nil {
				t.Fatal(err)
			}
			var screen syncBuffer
			read := make(chan struct{})
			go func() {
				io.Copy(&screen, master)
				close(read)
			}()
			tick := make(chan time.Time)
			env := map[string]string{"HUBSPOT_TOKEN": srv.Token(), "HUBSPOT_BASE_URL": srv.URL, "TERM": tt.term, "NO_COLOR": tt.noColor}
			a := &app{ctx: context.Background(), stdin: strings.NewReader(""), stdout: io.Discard, stderr: tty, getenv: func(k string) string { return env[k] }, tick: tick}
			ticks := 0
			a.hooks.progress = func(n int) {
				a.errMu.Lock()
				drawing := a.prog != nil
				a.errMu.Unlock()
				if n%500 == 0 && drawing {
					ticks++
					tick <- time.Now() // taken by the redraw loop, which draws before it stops
				}
			}
			if code := a.main([]string{"export", "--object", "tasks"}); code != 0 {
				t.Fatalf("exit %d", code)
			}
			tty.Close()
			<-read
			// The terminal writes each newline as \r\n.
			out := strings.ReplaceAll(screen.String(), "\r\n", "\n")
			if strings.Contains(out, "\x1b") {
				t.Errorf("escape sequence: %q", out)
			}
			if !tt.drawn {
				if ticks != 0 || strings.Contains(out, "\r") || strings.Contains(out, "exporting tasks:") || len(lines(out)) != 1 || !strings.HasPrefix(out, "exported 2,345 tasks") {
					t.Errorf("%d ticks: want no progress line, only the summary as a plain line: %q", ticks, out)
				}
				return
			}
			draws := 0
			for _, seg := range strings.Split(out, "\r") {
				seg = strings.TrimRight(seg, " ")
				if strings.HasPrefix(seg, "exporting tasks:") {
					draws++
					if len(seg) > 59 {
						t.Errorf("%d columns in a 60-column terminal: %q", len(seg), seg)
					}
				}
			}
			if ticks != 4 || draws < 4 || !strings.Contains(out, "exported 2,345 tasks") {
				t.Errorf("%d ticks, %d draws: %q", ticks, draws, out)
			}
		})
	}
}

// On a terminal, the commands that print records print a table (note: the
// id alone); piped, JSON Lines (TestDispositions, TestNote).
func TestOutputFollowsTheTerminal(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	tests := []struct {
		args []string
		ok   func(out string) bool
	}{
		{[]string{"dispositions"}, func(out string) bool { return strings.HasPrefix(out, "ID ") && !strings.Contains(out, "{") }},
		{[]string{"note", "--contact", "5001", "--body", "on a terminal"}, func(out string) bool {
			id, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
			e, ok := srv.Engagement(id)
			return err == nil && ok && e.Meta("body") == "on a terminal"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.args[0], func(t *testing.T) {
			master, tty, err := pty.Open()
			if err != nil {
				t.Skipf("no pty: %v", err)
			}
			defer master.Close()
			var screen syncBuffer
			read := make(chan struct{})
			go func() {
				io.Copy(&screen, master)
				close(read)
			}()
			env := map[string]string{"HUBSPOT_TOKEN": srv.Token(), "HUBSPOT_BASE_URL": srv.URL}
			a := &app{ctx: context.Background(), stdin: strings.NewReader(""), stdout: tty, stderr: io.Discard, getenv: func(k string) string { return env[k] }}
			code := a.main(tt.args)
			tty.Close()
			<-read
			if out := screen.String(); code != 0 || !tt.ok(out) {
				t.Errorf("exit %d: not a table on a terminal: %q", code, out)
			}
		})
	}
}
