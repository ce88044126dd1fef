package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"
)

// waitCounter is a slog handler that counts the client's HTTP attempts, the
// ones HubSpot answered with success (pages of a listing, batches of an
// import), the retries, and the time the client waited for the rate limit and
// between retries, for progress lines.
type waitCounter struct {
	attempts atomic.Int64
	ok       atomic.Int64
	retries  atomic.Int64
	waited   atomic.Int64 // nanoseconds
}

func (w *waitCounter) logger() *slog.Logger { return slog.New(w) }

func (w *waitCounter) Enabled(context.Context, slog.Level) bool { return true }

func (w *waitCounter) Handle(_ context.Context, r slog.Record) error {
	w.attempts.Add(1)
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "wait":
			w.waited.Add(int64(a.Value.Duration()))
		case "status":
			if s := a.Value.Int64(); s >= 200 && s < 300 {
				w.ok.Add(1)
			}
		case "attempt":
			if a.Value.Int64() > 1 {
				w.retries.Add(1)
			}
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
	verb    string // "exporting tasks:"
	unit    string // what a successful request is: "pages", "batches"
	printed bool
	now     func() time.Time
}

func newProgress(w io.Writer, on bool, verb, unit string, waits *waitCounter) *progress {
	return &progress{w: w, on: on, start: time.Now(), waits: waits, verb: verb, unit: unit, now: time.Now}
}

// update redraws the line, at most every 200 ms.
func (p *progress) update(records int) {
	if !p.on {
		return
	}
	now := p.now()
	if now.Sub(p.last) < 200*time.Millisecond {
		return
	}
	p.last = now
	elapsed := now.Sub(p.start).Seconds()
	fmt.Fprintf(p.w, "\r\033[K%s %d records, %d %s, %.0f records/s, %d retries, %s waited (rate limit, retries)",
		p.verb, records, p.waits.ok.Load(), p.unit, float64(records)/max(elapsed, 0.001),
		p.waits.retries.Load(), time.Duration(p.waits.waited.Load()).Round(100*time.Millisecond))
	p.printed = true
}

// done clears the status line.
func (p *progress) done() {
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
		p.printed = false
	}
}
