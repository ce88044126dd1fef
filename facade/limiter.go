package facade

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate-limit tiers HubSpot sells, for WithRateLimit.
const (
	// LimitStarter is the Free and Starter tier: 100 requests per 10 s.
	LimitStarter = 100
	// LimitProfessional is the Professional and Enterprise tier: 190 per 10 s.
	LimitProfessional = 190
	// LimitAPIAddOn is any tier with the API limit increase: 250 per 10 s.
	LimitAPIAddOn = 250
)

type limitSettings struct {
	max, searchMax       int
	window, searchWindow time.Duration
	adaptive             bool
	now                  func() time.Time
	sleep                func(context.Context, time.Duration) error
}

func defaultLimits() limitSettings {
	return limitSettings{
		max: LimitStarter, window: 10 * time.Second,
		searchMax: 5, searchWindow: time.Second,
		adaptive: true,
		now:      time.Now,
		sleep:    sleepCtx,
	}
}

// WithRateLimit sets the rolling limit the Client keeps to: max requests per
// window (default 100 per 10 s, HubSpot's Free and Starter tier; see
// LimitProfessional and LimitAPIAddOn). The Client still follows the limit
// HubSpot announces in its X-HubSpot-RateLimit-* headers, up or down.
func WithRateLimit(max int, window time.Duration) Option {
	return limitOption("rateLimit", max, window, func(l *limitSettings) (*int, *time.Duration) { return &l.max, &l.window })
}

// WithSearchRateLimit sets the separate limit of search requests (default 5
// per second, HubSpot's search limit).
func WithSearchRateLimit(max int, window time.Duration) Option {
	return limitOption("searchRateLimit", max, window, func(l *limitSettings) (*int, *time.Duration) { return &l.searchMax, &l.searchWindow })
}

// limitOption checks and sets one of the limits, chosen by field.
func limitOption(name string, max int, window time.Duration, field func(*limitSettings) (*int, *time.Duration)) Option {
	return func(s *settings) error {
		if max < 1 || window <= 0 {
			return &ValidationError{Field: name, Problem: "max must be at least 1 and window positive", Limit: 1, Actual: max}
		}
		m, w := field(&s.limit)
		*m, *w = max, window
		return nil
	}
}

// WithoutAdaptiveRateLimit makes the Client keep to the configured limit and
// ignore the limit HubSpot announces in its headers.
func WithoutAdaptiveRateLimit() Option {
	return func(s *settings) error {
		s.limit.adaptive = false
		return nil
	}
}

// spacer keeps search requests under HubSpot's per-second search limit with
// golang.org/x/time/rate: one request every (span+margin)/max, no burst, so
// no second ever holds more than max of them.
type spacer struct {
	lim   *rate.Limiter
	now   func() time.Time
	sleep func(context.Context, time.Duration) error
}

func newSpacer(max int, span time.Duration, ls limitSettings) *spacer {
	every := (span + marginFor(span)) / time.Duration(max)
	return &spacer{lim: rate.NewLimiter(rate.Every(every), 1), now: ls.now, sleep: ls.sleep}
}

// wait blocks until a search may start and returns how long it waited.
func (s *spacer) wait(ctx context.Context) (time.Duration, error) {
	r := s.lim.ReserveN(s.now(), 1)
	d := r.DelayFrom(s.now())
	if err := s.sleep(ctx, d); err != nil {
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

func newWindow(max int, span time.Duration, ls limitSettings) *window {
	w := &window{now: ls.now, sleep: ls.sleep}
	w.resize(max, span)
	return w
}

func marginFor(span time.Duration) time.Duration {
	m := span / 100
	if m < 50*time.Millisecond {
		m = 50 * time.Millisecond
	}
	return m
}

// resize changes the limit, keeping the most recent starts.
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
	w.max, w.span, w.margin = max, span, marginFor(span)
	w.starts = make([]time.Time, max)
	copy(w.starts, recent)
	w.next = len(recent) % max
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

// observe follows the limit HubSpot announced in an answer's headers: a
// different maximum or interval resizes the window, and fewer remaining
// requests than the window expects (other consumers of the same token) are
// recorded as used.
func (w *window) observe(h http.Header) {
	max, err1 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Max"))
	ms, err2 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	if err1 == nil && err2 == nil && max > 0 && ms > 0 {
		span := time.Duration(ms) * time.Millisecond
		w.mu.Lock()
		changed := max != w.max || span != w.span
		if changed {
			w.resize(max, span)
		}
		w.mu.Unlock()
	}
	if rem, err := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Remaining")); err == nil && rem >= 0 {
		if extra := w.remaining() - rem; extra > 0 {
			w.fill(extra)
		}
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
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
