package ratelimit

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Config configures a Local limiter. Zero fields take HubSpot's defaults.
type Config struct {
	// Max requests per Window in the rolling window (default 100 per 10 s,
	// HubSpot's Free and Starter tier).
	Max    int
	Window time.Duration
	// SearchMax searches per SearchWindow (default 5 per second).
	SearchMax    int
	SearchWindow time.Duration
	// Fixed makes the limiter keep to Max and Window and ignore the limit
	// HubSpot announces in its headers.
	Fixed bool
	// Now and Sleep replace the clock, for tests.
	Now   func() time.Time
	Sleep func(context.Context, time.Duration) error
}

func (c Config) withDefaults() Config {
	if c.Max <= 0 || c.Window <= 0 {
		c.Max, c.Window = 100, 10*time.Second
	}
	if c.SearchMax <= 0 || c.SearchWindow <= 0 {
		c.SearchMax, c.SearchWindow = 5, time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = Sleep
	}
	return c
}

// Local is the in-process Limiter: a sliding-window log for the rolling
// limit and a spacer for searches. Unless Fixed, it follows the limit
// HubSpot announces in its headers, up (a Professional account gets its
// 190 unconfigured) and down, and counts as used the part of the window
// that other users of the same token took.
type Local struct {
	general  *window
	search   *spacer
	adaptive bool
}

// NewLocal returns a Local limiter configured by c.
func NewLocal(c Config) *Local {
	c = c.withDefaults()
	return &Local{
		general:  newWindow(c.Max, c.Window, c.Now, c.Sleep),
		search:   newSpacer(c.SearchMax, c.SearchWindow, c.Now, c.Sleep),
		adaptive: !c.Fixed,
	}
}

// Wait blocks until a request of class c may start. It returns at once, a
// *PastDeadlineError, when the wait would end after ctx's deadline.
func (l *Local) Wait(ctx context.Context, c Class) (time.Duration, error) {
	if c == Search {
		return l.search.wait(ctx)
	}
	return l.general.wait(ctx)
}

// Observe follows what HubSpot's answer said about the rolling window.
func (l *Local) Observe(o Observation) {
	if o.Class != General {
		return
	}
	if o.WindowFull() {
		l.general.fill(l.general.size())
		return
	}
	if !l.adaptive {
		return
	}
	if o.Max > 0 && o.Interval > 0 {
		l.general.setLimit(o.Max, o.Interval)
	}
	if o.Remaining >= 0 {
		if extra := l.general.remaining() - o.Remaining; extra > 0 {
			l.general.fill(extra)
		}
	}
}

// Limit returns the rolling limit the limiter keeps to now.
func (l *Local) Limit() (max int, window time.Duration) {
	l.general.mu.Lock()
	defer l.general.mu.Unlock()
	return l.general.max, l.general.span
}

// Remaining returns how many general requests the window would admit now.
func (l *Local) Remaining() int { return l.general.remaining() }

// spacer keeps search requests under HubSpot's per-second search limit with
// golang.org/x/time/rate: one request every (span+margin)/max, no burst, so
// no second ever holds more than max of them.
type spacer struct {
	lim   *rate.Limiter
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newSpacer(max int, span time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *spacer {
	every := (span + MarginFor(span)) / time.Duration(max)
	return &spacer{lim: rate.NewLimiter(rate.Every(every), 1), now: now, sleep: sleep}
}

// wait blocks until a search may start and returns how long it waited.
func (s *spacer) wait(ctx context.Context) (time.Duration, error) {
	r := s.lim.ReserveN(s.now(), 1)
	d := r.DelayFrom(s.now())
	err := PastDeadline(ctx, d)
	if err == nil {
		err = s.sleep(ctx, d)
	}
	if err != nil {
		r.CancelAt(s.now())
		return 0, err
	}
	return d, nil
}

// window is a sliding-window log for HubSpot's rolling limit (N requests per
// W per app): it admits a request when fewer than max requests started in
// the last span (plus a small margin for network jitter). A token bucket
// (golang.org/x/time/rate, used for search above) cannot express this rule:
// with a burst of 1 it spaces requests W/N apart, so sequential paging that
// the rolling window would let through in a burst runs about 30 % slower
// (30.3 s instead of 23 s for 300 pages at 100/10 s); with a burst of N it
// lets up to 2N through in one window and meets 429s.
type window struct {
	mu     sync.Mutex
	max    int
	span   time.Duration
	margin time.Duration
	starts []time.Time // ring of the last max starts (or reservations)
	next   int
	now    func() time.Time
	sleep  func(context.Context, time.Duration) error
}

func newWindow(max int, span time.Duration, now func() time.Time, sleep func(context.Context, time.Duration) error) *window {
	w := &window{now: now, sleep: sleep}
	w.resize(max, span)
	return w
}

// MarginFor is the safety margin added to a window of length span, for
// network jitter between the client's clock and HubSpot's: 1 % of the
// span, at least 50 ms.
func MarginFor(span time.Duration) time.Duration {
	m := span / 100
	if m < 50*time.Millisecond {
		m = 50 * time.Millisecond
	}
	return m
}

// resize changes the limit, keeping the most recent starts. The window must
// be locked.
func (w *window) resize(max int, span time.Duration) {
	if max < 1 {
		max = 1
	}
	var recent []time.Time
	for i := 0; i < len(w.starts); i++ {
		t := w.starts[(w.next+i)%len(w.starts)]
		if !t.IsZero() {
			recent = append(recent, t)
		}
	}
	if len(recent) > max {
		recent = recent[len(recent)-max:]
	}
	w.max, w.span, w.margin = max, span, MarginFor(span)
	w.starts = make([]time.Time, max)
	copy(w.starts, recent)
	w.next = len(recent) % max
}

// setLimit resizes the window when the limit differs.
func (w *window) setLimit(max int, span time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if max != w.max || span != w.span {
		w.resize(max, span)
	}
}

func (w *window) size() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.max
}

// wait blocks until a request may start, then records its start. It returns
// how long it waited, or the context's error.
func (w *window) wait(ctx context.Context) (time.Duration, error) {
	var waited time.Duration
	for {
		w.mu.Lock()
		now := w.now()
		oldest := w.starts[w.next]
		free := oldest.IsZero() || !now.Before(oldest.Add(w.span+w.margin))
		if free {
			w.starts[w.next] = now
			w.next = (w.next + 1) % w.max
			w.mu.Unlock()
			return waited, nil
		}
		d := oldest.Add(w.span + w.margin).Sub(now)
		w.mu.Unlock()
		if err := PastDeadline(ctx, d); err != nil {
			return waited, err
		}
		if err := w.sleep(ctx, d); err != nil {
			return waited, err
		}
		waited += d
	}
}

// fill records n starts at the current time: requests someone else sent
// with the same token, or a 429 that says the window is full.
func (w *window) fill(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	for i := 0; i < n && i < w.max; i++ {
		w.starts[w.next] = now
		w.next = (w.next + 1) % w.max
	}
}

// remaining is how many requests the window would admit now.
func (w *window) remaining() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	now := w.now()
	n := 0
	for _, t := range w.starts {
		if t.IsZero() || !now.Before(t.Add(w.span+w.margin)) {
			n++
		}
	}
	return n
}

// Sleep waits d or until ctx is done, whichever comes first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
