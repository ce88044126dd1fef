package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"
)

// waitCounter is a slog handler that counts the client's HTTP attempts and
// the time they waited for the rate limit and retries, for progress lines.
type waitCounter struct {
	attempts atomic.Int64
	waited   atomic.Int64 // nanoseconds
}

func (w *waitCounter) logger() *slog.Logger { return slog.New(w) }

func (w *waitCounter) Enabled(context.Context, slog.Level) bool { return true }

func (w *waitCounter) Handle(_ context.Context, r slog.Record) error {
	w.attempts.Add(1)
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "wait" {
			w.waited.Add(int64(a.Value.Duration()))
		}
		return true
	})
	return nil
}

func (w *waitCounter) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *waitCounter) WithGroup(string) slog.Handler      { return w }

// progress prints a status line on a terminal while a command runs.
type progress struct {
	w       io.Writer
	on      bool
	start   time.Time
	last    time.Time
	waits   *waitCounter
	verb    string
	printed bool
}

func newProgress(w io.Writer, on bool, verb string, waits *waitCounter) *progress {
	now := time.Now()
	return &progress{w: w, on: on, start: now, waits: waits, verb: verb}
}

// update redraws the line at most every 200 ms.
func (p *progress) update(records int) {
	if !p.on || time.Since(p.last) < 200*time.Millisecond {
		return
	}
	p.last = time.Now()
	elapsed := time.Since(p.start).Seconds()
	fmt.Fprintf(p.w, "\r%s %d records, %d requests, %.0f records/s, %s waited for the rate limit ",
		p.verb, records, p.waits.attempts.Load(), float64(records)/max(elapsed, 0.001), time.Duration(p.waits.waited.Load()).Round(100*time.Millisecond))
	p.printed = true
}

// done clears the status line.
func (p *progress) done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
