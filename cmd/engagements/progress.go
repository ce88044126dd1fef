package main

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rivo/uniseg"
	"golang.org/x/term"

	"github.com/engagekit/hubspot-engagements/facade"
)

// stats counts what the client reports through its Observer: successful
// answers (pages of a listing, batch requests), retries, time waited, the
// listing's total when HubSpot gives one, and the waits under way.
type stats struct {
	answers atomic.Int64
	retries atomic.Int64
	waited  atomic.Int64 // nanoseconds
	total   atomic.Int64 // HubSpot's total; -1 while unknown

	mu    sync.Mutex
	waits []facade.WaitEvent // begun (Waiting) and not ended (Wait)
}

func newStats() *stats {
	s := &stats{}
	s.total.Store(-1)
	return s
}

// endWait forgets the wait e ends, if it was under way.
func (s *stats) endWait(e facade.WaitEvent) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := slices.IndexFunc(s.waits, func(w facade.WaitEvent) bool {
		return w.Op == e.Op && w.Reason == e.Reason && w.Start.Equal(e.Start)
	}); i >= 0 {
		s.waits = slices.Delete(s.waits, i, i+1)
	}
}

// waiting describes the longest wait under way at now ("waiting for rate
// limit 3.2s…"), "" when nothing waits.
func (s *stats) waiting(now time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.waits) == 0 {
		return ""
	}
	w := slices.MinFunc(s.waits, func(a, b facade.WaitEvent) int { return a.Start.Compare(b.Start) })
	so := max(now.Sub(w.Start), 0).Round(100 * time.Millisecond)
	text := "waiting for rate limit " + seconds(so)
	if w.Reason == facade.WaitBackoff {
		text = "backing off to retry " + seconds(so)
	}
	if w.Duration > 0 {
		text += " of " + seconds(w.Duration.Round(100*time.Millisecond))
	}
	text += "…"
	if n := len(s.waits); n > 1 {
		text += fmt.Sprintf(" (%d requests)", n)
	}
	return text
}

// seconds writes d as "3.2s" (one decimal, also for whole seconds).
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1fs", d.Seconds())
}

func (s *stats) observer() facade.Observer {
	return facade.Observer{
		Attempt: func(e facade.AttemptEvent) {
			if e.Retry {
				s.retries.Add(1)
			}
		},
		Waiting: func(e facade.WaitEvent) {
			s.mu.Lock()
			s.waits = append(s.waits, e)
			s.mu.Unlock()
		},
		Wait: func(e facade.WaitEvent) {
			s.waited.Add(int64(e.Duration))
			s.endWait(e)
		},
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
	if cols, ok := askWidth(w); ok {
		return cols
	}
	return 80
}

// askWidth asks the terminal w for its width in columns (one ioctl on
// unix, cheap enough for every redraw).
func askWidth(w io.Writer) (int, bool) {
	if f, ok := w.(*os.File); ok {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 0 {
			return cols, true
		}
	}
	return 0, false
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
// terminal's width, measured in display columns (a CJK character or an
// emoji takes two, a combining mark none) and asked again at every redraw
// and when the terminal says it was resized, so that it never wraps.
type progress struct {
	mu    *sync.Mutex // the app's stderr lock
	w     io.Writer
	width int    // columns; guarded by mu
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
	resized, stopResized := notifyResize()
	p.stoppedWg.Add(1)
	go func() {
		defer p.stoppedWg.Done()
		defer stopResized()
		if t != nil {
			defer t.Stop()
		}
		for {
			select {
			case <-tick:
			case <-resized:
			case <-p.stop:
				return
			case <-a.ctx.Done():
				return
			}
			p.mu.Lock()
			p.draw()
			p.mu.Unlock()
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
		p.askWidth()
		fmt.Fprint(p.w, "\r"+strings.Repeat(" ", p.onScreen())+"\r")
		p.drawn = 0
	}
}

// draw redraws the line; p.mu held.
func (p *progress) draw() {
	p.askWidth()
	line := p.line()
	cols := uniseg.StringWidth(line)
	pad := max(p.onScreen()-cols, 0)
	fmt.Fprint(p.w, "\r"+line+strings.Repeat(" ", pad))
	if pad > 0 {
		fmt.Fprint(p.w, "\r"+line)
	}
	p.drawn = cols
}

// askWidth updates the width from the terminal, which may have been
// resized since the last redraw; p.mu held.
func (p *progress) askWidth() {
	if cols, ok := askWidth(p.w); ok {
		p.width = cols
	}
}

// onScreen is how many columns of the last line are still on the row: a
// narrowed terminal dropped those past its width (blanking them would
// wrap); p.mu held.
func (p *progress) onScreen() int {
	return min(p.drawn, p.limit())
}

// limit is the widest line drawn: the terminal's width less one column (the
// last column would wrap on some terminals), and never less than 10.
func (p *progress) limit() int {
	return max(p.width-1, 10)
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
	parts := []part{{head, 10}}
	if w := p.st.waiting(p.now()); w != "" {
		parts = append(parts, part{w, 9})
	}
	parts = append(parts, part{clock(elapsed), 8})
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
	limit := p.limit()
	for keep := 0; ; keep++ {
		var kept []string
		for _, pt := range parts {
			if pt.keep > keep {
				kept = append(kept, pt.text)
			}
		}
		s := strings.Join(kept, ", ")
		if uniseg.StringWidth(s) <= limit || len(kept) <= 1 {
			return cutWidth(s, limit)
		}
	}
}

// cutWidth cuts s to at most cols display columns, between grapheme
// clusters (a letter and its combining marks, an emoji sequence, a flag),
// so that no character is split or left half on screen.
func cutWidth(s string, cols int) string {
	if uniseg.StringWidth(s) <= cols {
		return s
	}
	g := uniseg.NewGraphemes(s)
	width, end := 0, 0
	for g.Next() {
		if width+g.Width() > cols {
			break
		}
		width += g.Width()
		_, end = g.Positions()
	}
	return s[:end]
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
