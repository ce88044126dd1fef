package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"github.com/engagekit/hubspot-engagements/facade"
)

// stats counts what the client reports through its Observer: successful
// answers (pages of a listing, batch requests), retries, time waited, and
// the listing's total when HubSpot gives one.
type stats struct {
	answers atomic.Int64
	retries atomic.Int64
	waited  atomic.Int64 // nanoseconds
	total   atomic.Int64 // HubSpot's total; -1 while unknown
}

func newStats() *stats {
	s := &stats{}
	s.total.Store(-1)
	return s
}

func (s *stats) observer() facade.Observer {
	return facade.Observer{
		Attempt: func(e facade.AttemptEvent) {
			if e.Retry {
				s.retries.Add(1)
			}
		},
		Wait: func(e facade.WaitEvent) { s.waited.Add(int64(e.Duration)) },
		Records: func(e facade.RecordsEvent) {
			s.answers.Add(1)
			if e.Total >= 0 {
				s.total.Store(e.Total)
			}
		},
	}
}

// isTerminal reports whether w is a terminal (not a pipe, a file or
// /dev/null).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// termWidth is w's width in columns, 80 when it cannot be told.
func termWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols
		}
	}
	return 80
}

// progressOn says whether to draw a progress line on w: a terminal that is
// not dumb, and no --verbose (whose log lines would break it up). A dumb
// terminal (TERM=dumb: an editor's shell buffer, a serial console, a CI
// log) gets no progress line at all, as a pipe does: the redraws rely on a
// carriage return going back to the start of the line, which such a
// terminal may print as a new line or not at all. It gets the messages and
// the summary line, plain.
func (a *app) progressOn(w io.Writer) bool {
	return !a.debug() && a.getenv("TERM") != "dumb" && isTerminal(w)
}

// progressEvery is how often the progress line is redrawn, whatever
// happens: records, waits for the rate limit, retries.
const progressEvery = 500 * time.Millisecond

// progress draws a one-line status on a terminal while a command runs. The
// line never holds an escape sequence (it is redrawn with a carriage return
// and cleared with spaces), so NO_COLOR is honoured, and it is cut to the
// terminal's width so that it never wraps.
type progress struct {
	mu    *sync.Mutex // the app's stderr lock
	w     io.Writer
	width int
	verb  string // "exporting tasks"
	unit  string // "records", "lines"
	req   string // what a successful answer is: "pages", "batches"
	st    *stats
	now   func() time.Time
	start time.Time

	done      atomic.Int64 // units done in this run
	before    atomic.Int64 // units done by earlier runs (resume)
	total     atomic.Int64 // units in all; -1 unknown (then st.total)
	drawn     int          // columns on screen; guarded by mu
	stop      chan struct{}
	stoppedWg sync.WaitGroup
}

// startProgress starts redrawing (when on), every progressEvery or when
// tick delivers, until finish or ctx is done.
func (a *app) startProgress(on bool, verb, unit, req string, tick <-chan time.Time) *progress {
	p := &progress{mu: &a.errMu, w: a.stderr, width: termWidth(a.stderr), verb: verb, unit: unit, req: req, st: a.stats, now: a.now, start: a.now(), stop: make(chan struct{})}
	p.total.Store(-1)
	if !on {
		return p
	}
	a.errMu.Lock()
	a.prog = p
	a.errMu.Unlock()
	var t *time.Ticker
	if tick == nil {
		tick = a.tick
	}
	if tick == nil {
		t = time.NewTicker(progressEvery)
		tick = t.C
	}
	p.stoppedWg.Add(1)
	go func() {
		defer p.stoppedWg.Done()
		if t != nil {
			defer t.Stop()
		}
		for {
			select {
			case <-tick:
				p.mu.Lock()
				p.draw()
				p.mu.Unlock()
			case <-p.stop:
				return
			case <-a.ctx.Done():
				return
			}
		}
	}()
	return p
}

// finish stops the redraws and clears the line.
func (p *progress) finish(a *app) {
	select {
	case <-p.stop:
		return
	default:
	}
	close(p.stop)
	p.stoppedWg.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	if a.prog == p {
		a.prog = nil
	}
}

// clear blanks the line; p.mu held.
func (p *progress) clear() {
	if p.drawn > 0 {
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.drawn)+"\r")
		p.drawn = 0
	}
}

// draw redraws the line; p.mu held.
func (p *progress) draw() {
	line := p.line()
	pad := max(p.drawn-len(line), 0)
	fmt.Fprint(p.w, "\r"+line+strings.Repeat(" ", pad))
	if pad > 0 {
		fmt.Fprint(p.w, "\r"+line)
	}
	p.drawn = len(line)
}

// line composes the status, leaving out the least useful parts until it
// fits in the terminal's width less one column (the last column would wrap
// on some terminals).
func (p *progress) line() string {
	done, before := p.done.Load(), p.before.Load()
	total := p.total.Load()
	if total < 0 {
		total = p.st.total.Load()
	}
	elapsed := p.now().Sub(p.start)
	head := fmt.Sprintf("%s: %s", p.verb, count(before+done, p.unit))
	if total >= 0 {
		head = fmt.Sprintf("%s: %s of %s", p.verb, thousands(before+done), count(total, p.unit))
		if total > 0 {
			head += fmt.Sprintf(" (%d%%)", min((before+done)*100/total, 100))
		}
	}
	type part struct {
		text string
		keep int // lower goes first when space runs out
	}
	parts := []part{{head, 9}, {clock(elapsed), 8}}
	if total >= 0 && done > 0 && elapsed > 0 {
		left := max(total-before-done, 0)
		eta := time.Duration(float64(elapsed) * float64(left) / float64(done))
		parts = append(parts, part{"ETA " + clock(eta), 7})
	}
	if s := elapsed.Seconds(); s >= 1 {
		parts = append(parts, part{fmt.Sprintf("%.0f %s/s", float64(done)/s, p.unit), 4})
	}
	parts = append(parts, part{count(p.st.answers.Load(), p.req), 3})
	if r := p.st.retries.Load(); r > 0 {
		parts = append(parts, part{count(r, "retries"), 5})
	}
	if w := time.Duration(p.st.waited.Load()); w > 0 {
		parts = append(parts, part{"waited " + w.Round(100*time.Millisecond).String(), 6})
	}
	limit := max(p.width-1, 10)
	for keep := 0; ; keep++ {
		var kept []string
		for _, pt := range parts {
			if pt.keep > keep {
				kept = append(kept, pt.text)
			}
		}
		s := strings.Join(kept, ", ")
		if len(s) <= limit || len(kept) <= 1 {
			if len(s) > limit {
				s = s[:limit]
			}
			return s
		}
	}
}

// count writes n with its unit, singular for 1 ("1 record", "2 records").
func count(n int64, unit string) string {
	if n == 1 {
		switch {
		case strings.HasSuffix(unit, "ies"):
			unit = strings.TrimSuffix(unit, "ies") + "y"
		case strings.HasSuffix(unit, "ches"):
			unit = strings.TrimSuffix(unit, "es")
		default:
			unit = strings.TrimSuffix(unit, "s")
		}
	}
	return thousands(n) + " " + unit
}

// thousands writes n with comma separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// clock writes d as m:ss or h:mm:ss.
func clock(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}
