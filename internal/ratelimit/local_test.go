package ratelimit

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock that sleeping moves forward: tests run instantly and
// deterministically.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.t = c.t.Add(d)
	}
	return nil
}

func TestWindowAdmitsMaxPerSpan(t *testing.T) {
	clk := newFakeClock()
	w := newWindow(3, 10*time.Second, clk.now, clk.sleep)
	start := clk.now()
	var starts []time.Duration
	for range 7 {
		if _, err := w.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clk.now().Sub(start))
		_ = clk.sleep(context.Background(), 30*time.Millisecond) // the request's latency
	}
	span := 10*time.Second + MarginFor(10*time.Second)
	// Request k starts no earlier than request k-3's start + the span.
	for k := 3; k < len(starts); k++ {
		if starts[k] < starts[k-3]+span {
			t.Errorf("request %d at %v, request %d at %v: closer than %v", k, starts[k], k-3, starts[k-3], span)
		}
		if starts[k] > starts[k-3]+span+30*time.Millisecond {
			t.Errorf("request %d at %v waited longer than needed (%v)", k, starts[k], starts[k-3]+span)
		}
	}
}

func TestWindowWaitHonoursTheContext(t *testing.T) {
	l := NewLocal(Config{Max: 1, Window: time.Hour})
	if _, err := l.Wait(context.Background(), General); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := l.Wait(ctx, General); err != context.Canceled {
		t.Fatalf("err = %v", err)
	}
}

func TestLocalFollowsHubSpotsHeaders(t *testing.T) {
	clk := newFakeClock()
	l := NewLocal(Config{Now: clk.now, Sleep: clk.sleep})
	h := http.Header{}
	h.Set("X-HubSpot-RateLimit-Max", "190")
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
	l.Observe(Observe(General, 200, h, "", 0))
	if max, _ := l.Limit(); max != 190 || l.Remaining() != 190 {
		t.Fatalf("max %d remaining %d after a Professional answer", max, l.Remaining())
	}
	h.Set("X-HubSpot-RateLimit-Remaining", "40") // others used 150 of the window
	l.Observe(Observe(General, 200, h, "", 0))
	if got := l.Remaining(); got != 40 {
		t.Fatalf("remaining %d, want 40", got)
	}
	h.Set("X-HubSpot-RateLimit-Max", "10")
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "1000")
	h.Del("X-HubSpot-RateLimit-Remaining")
	l.Observe(Observe(General, 200, h, "", 0))
	if max, span := l.Limit(); max != 10 || span != time.Second || l.Remaining() != 0 {
		t.Fatalf("after shrinking: max %d span %v remaining %d", max, span, l.Remaining())
	}
}

func TestLocalObserve(t *testing.T) {
	tests := []struct {
		name  string
		fixed bool
		obs   Observation
		want  int // remaining afterwards, of 100
	}{
		{"a 429 of the rolling window fills it", false, Observation{Class: General, Status: 429, Remaining: -1}, 0},
		{"also when fixed", true, Observation{Class: General, Status: 429, Remaining: -1, Policy: "TEN_SECONDLY_ROLLING"}, 0},
		{"a 429 with Retry-After is waited out by the caller", false, Observation{Class: General, Status: 429, Remaining: -1, RetryAfter: time.Second}, 100},
		{"a DAILY 429 leaves the window", false, Observation{Class: General, Status: 429, Remaining: -1, Policy: "DAILY"}, 100},
		{"search answers leave the window", false, Observation{Class: Search, Status: 429, Remaining: 3}, 100},
		{"remaining below the window's count is taken as used", false, Observation{Class: General, Status: 200, Remaining: 60}, 60},
		{"unless fixed", true, Observation{Class: General, Status: 200, Remaining: 60}, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := newFakeClock()
			l := NewLocal(Config{Fixed: tt.fixed, Now: clk.now, Sleep: clk.sleep})
			l.Observe(tt.obs)
			if got := l.Remaining(); got != tt.want {
				t.Errorf("remaining %d, want %d", got, tt.want)
			}
		})
	}
}

func TestSearchSpacerKeepsToFivePerSecond(t *testing.T) {
	clk := newFakeClock()
	l := NewLocal(Config{Now: clk.now, Sleep: clk.sleep})
	start := clk.now()
	var starts []time.Time
	for range 16 {
		if _, err := l.Wait(context.Background(), Search); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clk.now())
	}
	// No second holds more than 5 starts.
	for i := 5; i < len(starts); i++ {
		if starts[i].Sub(starts[i-5]) < time.Second {
			t.Fatalf("starts %d and %d are %v apart", i-5, i, starts[i].Sub(starts[i-5]))
		}
	}
	if took := clk.now().Sub(start); took > 3300*time.Millisecond {
		t.Errorf("16 searches took %v: slower than 5 per second needs", took)
	}
}

// TestWaitPastTheDeadlineReturnsAtOnce: a wait, general or search, that
// would end after the context's deadline returns at once, a
// *PastDeadlineError matching context.DeadlineExceeded, without sleeping or
// counting the start; within the deadline it waits.
func TestWaitPastTheDeadlineReturnsAtOnce(t *testing.T) {
	for _, class := range []Class{General, Search} {
		t.Run(class.String(), func(t *testing.T) {
			clk := newFakeClock()
			l := NewLocal(Config{Max: 1, Window: 10 * time.Second, SearchMax: 1, SearchWindow: 10 * time.Second, Now: clk.now, Sleep: clk.sleep})
			if _, err := l.Wait(context.Background(), class); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			before := clk.now()
			_, err := l.Wait(ctx, class)
			var pd *PastDeadlineError
			if !errors.As(err, &pd) || !errors.Is(err, context.DeadlineExceeded) || pd.Wait < 10*time.Second || clk.now() != before {
				t.Fatalf("Wait = %v, clock moved %v; want a *PastDeadlineError of about 10 s at once", err, clk.now().Sub(before))
			}
			long, cancel2 := context.WithTimeout(context.Background(), time.Minute)
			defer cancel2()
			if d, err := l.Wait(long, class); err != nil || d != pd.Wait {
				t.Fatalf("Wait within the deadline = %v, %v; want it to wait %v (the refused Wait counted nothing)", d, err, pd.Wait)
			}
		})
	}
}

// TestAbsurdAnnouncementsAreBounded: a Max that would make the limiter
// allocate a start per request of a billion, or an Interval that overflows
// a Duration, is read as the largest the limiter follows.
func TestAbsurdAnnouncementsAreBounded(t *testing.T) {
	tests := []struct {
		max, ms      string
		wantMax      int
		wantInterval time.Duration
	}{
		{"190", "10000", 190, 10 * time.Second},
		{"1000000000", "10000", MaxAnnounced, 10 * time.Second},
		{"1", "9223372036854775807", 1, MaxInterval},
		{"1", "86400000", 1, 24 * time.Hour},
		{"-1", "10000", 0, 0},
		{"9223372036854775807", "1", MaxAnnounced, time.Millisecond},
	}
	for _, tt := range tests {
		h := http.Header{"X-Hubspot-Ratelimit-Max": {tt.max}, "X-Hubspot-Ratelimit-Interval-Milliseconds": {tt.ms}}
		o := Observe(General, 200, h, "", 0)
		if o.Max != tt.wantMax || o.Interval != tt.wantInterval {
			t.Errorf("Max %s per %s ms read as %d per %v, want %d per %v", tt.max, tt.ms, o.Max, o.Interval, tt.wantMax, tt.wantInterval)
		}
		l := NewLocal(Config{})
		l.Observe(o)
		if max, _ := l.Limit(); max > MaxAnnounced {
			t.Errorf("the limiter follows %d", max)
		}
	}
}
