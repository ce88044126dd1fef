package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/rivo/uniseg"

	"github.com/engagekit/hubspot-engagements/facade"
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
			tty, screen := openTerminal(t, 60)
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
			out := screen()
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

// openTerminal opens a pseudo terminal of cols columns. screen closes the
// terminal side and returns all that was written to it, each newline as
// written (the terminal writes \r\n).
func openTerminal(t *testing.T, cols uint16) (tty *os.File, screen func() string) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	t.Cleanup(func() { master.Close() })
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: cols}); err != nil {
		t.Fatal(err)
	}
	var buf syncBuffer
	read := make(chan struct{})
	go func() {
		io.Copy(&buf, master)
		close(read)
	}()
	return tty, func() string {
		tty.Close()
		<-read
		return strings.ReplaceAll(buf.String(), "\r\n", "\n")
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

// The line is cut by display columns, not bytes: a CJK character or an
// emoji takes two columns, a combining mark none, and no character (a
// letter with its marks, an emoji sequence) is split.
func TestProgressLineDisplayWidth(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, verb := range []string{
		"exporting 日本語のタスク",                // wide: 2 columns each
		"exporting cafe\u0301 ta\u0301sks", // combining acute: 0 columns
		"exporting 👩‍💻🇫🇷 tasks",            // a ZWJ sequence and a flag: 2 columns each
	} {
		p := &progress{verb: verb, unit: "records", req: "pages", st: newStats(), start: start,
			now: func() time.Time { return start.Add(90 * time.Second) }}
		p.total.Store(5000)
		p.done.Store(1234)
		full := p.verb + ": 1,234 of 5,000 records"
		for width := 80; width >= 11; width-- {
			p.width = width
			got := p.line()
			if cols := uniseg.StringWidth(got); cols > width-1 {
				t.Errorf("%q at width %d: %q takes %d columns", verb, width, got, cols)
			}
			if !strings.HasPrefix(full, got) && !strings.HasPrefix(got, full) {
				t.Errorf("%q at width %d: %q is not the line's start", verb, width, got)
			}
			if n := len(got); n < len(full) && !graphemeBoundary(full, n) {
				t.Errorf("%q at width %d: cut inside a character: %q", verb, width, got)
			}
		}
	}
	if got := cutWidth("ab日本", 3); got != "ab" {
		t.Errorf("cutWidth(ab日本, 3) = %q, want the wide character left out whole", got)
	}
	if got := cutWidth("e\u0301e\u0301", 1); got != "e\u0301" {
		t.Errorf("cutWidth(éé, 1) = %q, want é with its mark", got)
	}
}

// graphemeBoundary reports whether byte n of s is between two grapheme
// clusters.
func graphemeBoundary(s string, n int) bool {
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		if from, _ := g.Positions(); from == n {
			return true
		}
	}
	return n == len(s)
}

// A wait is shown while it lasts ("waiting for rate limit 3.2s…", counted
// from when it began), the longest first, and gone once it ends; the total
// waited stays.
func TestProgressShowsTheWait(t *testing.T) {
	t.Parallel()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now := start
	st := newStats()
	obs := st.observer()
	p := &progress{width: 120, verb: "exporting tasks", unit: "records", req: "pages", st: st, start: start,
		now: func() time.Time { return now }}
	p.total.Store(-1)
	p.done.Store(100)
	limit := facade.WaitEvent{Op: "tasks.list", Reason: facade.WaitRateLimit, Start: start.Add(time.Second)}
	obs.Waiting(limit)
	now = start.Add(4200 * time.Millisecond)
	if got, want := p.line(), "exporting tasks: 100 records, waiting for rate limit 3.2s…, 0:04, 24 records/s, 0 pages"; got != want {
		t.Errorf("waiting:\n got %q\nwant %q", got, want)
	}
	retry := facade.WaitEvent{Op: "tasks.list", Reason: facade.WaitRetryAfter, Start: start.Add(2 * time.Second), Duration: 10 * time.Second}
	obs.Waiting(retry)
	if got, want := p.line(), "waiting for rate limit 3.2s… (2 requests)"; !strings.Contains(got, want) {
		t.Errorf("two waits: %q, want the longer one %q", got, want)
	}
	limit.Duration = 3500 * time.Millisecond
	obs.Wait(limit)
	if got, want := p.line(), "waiting for rate limit 2.2s of 10.0s…, 0:04"; !strings.Contains(got, want) {
		t.Errorf("one wait ended: %q, want %q", got, want)
	}
	obs.Wait(facade.WaitEvent{Op: "tasks.list", Reason: facade.WaitRateLimit, Start: start, Duration: 40 * time.Millisecond}) // a short one: never shown
	obs.Wait(retry)
	if got := p.line(); strings.Contains(got, "waiting") || !strings.HasSuffix(got, "waited 13.5s") {
		t.Errorf("after the waits: %q, want no wait under way and 13.5s waited", got)
	}
	obs.Waiting(facade.WaitEvent{Op: "tasks.list", Reason: facade.WaitBackoff, Start: now, Duration: 2 * time.Second})
	if got, want := p.line(), "backing off to retry 0.0s of 2.0s…"; !strings.Contains(got, want) {
		t.Errorf("backoff: %q, want %q", got, want)
	}
}

// An export in a terminal narrowed from 60 to 30 columns halfway: every
// redraw after that fits the new width, padding included, so the line
// stays one line; before, the width was read once and every redraw
// wrapped.
func TestProgressNarrowedMidExport(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	srv.SeedTasks(2345)
	tty, screen := openTerminal(t, 60)
	tick := make(chan time.Time)
	env := map[string]string{"HUBSPOT_TOKEN": srv.Token(), "HUBSPOT_BASE_URL": srv.URL, "TERM": "xterm-256color"}
	a := &app{ctx: context.Background(), stdin: strings.NewReader(""), stdout: io.Discard, stderr: tty, getenv: func(k string) string { return env[k] }, tick: tick}
	a.hooks.progress = func(n int) {
		if n%250 != 0 {
			return
		}
		if n == 1250 {
			if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: 30}); err != nil {
				t.Error(err)
			}
		}
		tick <- time.Now()
	}
	if code := a.main([]string{"export", "--object", "tasks"}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	out := screen()
	progressPart, _, _ := strings.Cut(out, "exported 2,345 tasks")
	if strings.Contains(strings.TrimRight(progressPart, " \r"), "\n") {
		t.Errorf("the progress line broke onto another line: %q", progressPart)
	}
	wide, narrow := 0, 0
	for _, seg := range strings.Split(progressPart, "\r") {
		cols := uniseg.StringWidth(seg) // the padding counts: it is on screen too
		switch {
		case seg == "":
		case narrow == 0 && cols <= 59:
			if cols <= 29 {
				narrow++
			} else {
				wide++
			}
		case cols > 29:
			t.Errorf("%d columns drawn after the terminal was narrowed to 30: %q", cols, seg)
		default:
			narrow++
		}
	}
	if wide < 4 || narrow < 5 {
		t.Errorf("%d draws at 60 columns, %d at 30, want at least 4 and 5: %q", wide, narrow, progressPart)
	}
}

// SIGWINCH redraws the line at once, at the new width (not a parallel
// test: the signal goes to the whole test process).
func TestProgressRedrawsOnResize(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGWINCH: the width is asked at every redraw")
	}
	master, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pty: %v", err)
	}
	defer master.Close()
	defer tty.Close()
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: 80}); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	go func() {
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			if n > 0 {
				lines <- string(buf[:n])
			}
			if err != nil {
				close(lines)
				return
			}
		}
	}()
	never := make(chan time.Time) // no tick: only the signal redraws
	a := &app{ctx: context.Background(), stderr: tty, now: time.Now, stats: newStats(), getenv: func(string) string { return "" }}
	p := a.startProgress(true, "exporting tasks", "records", "pages", never)
	defer p.finish(a)
	p.done.Store(123456)
	if err := pty.Setsize(tty, &pty.Winsize{Rows: 24, Cols: 20}); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGWINCH); err != nil {
		t.Fatal(err)
	}
	got := <-lines // blocks until the redraw reaches the terminal
	seg := strings.TrimPrefix(got, "\r")
	if !strings.HasPrefix(got, "\rexporting tasks") || uniseg.StringWidth(seg) > 19 {
		t.Errorf("after SIGWINCH at 20 columns: %q", got)
	}
}
