package facade

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestWindowAdmitsMaxPerSpan(t *testing.T) {
	clk := newFakeClock()
	ls := defaultLimits()
	ls.now, ls.sleep = clk.now, clk.sleep
	w := newWindow(3, 10*time.Second, ls)
	start := clk.now()
	var starts []time.Duration
	for range 7 {
		if _, err := w.wait(context.Background()); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, clk.now().Sub(start))
		clk.sleep(context.Background(), 30*time.Millisecond) // the request's latency
	}
	span := 10*time.Second + marginFor(10*time.Second)
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
	w := newWindow(1, time.Hour, defaultLimits())
	if _, err := w.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.wait(ctx); err != context.Canceled {
		t.Fatalf("err = %v", err)
	}
}

func TestWindowFollowsHubSpotsHeaders(t *testing.T) {
	clk := newFakeClock()
	ls := defaultLimits()
	ls.now, ls.sleep = clk.now, clk.sleep
	w := newWindow(100, 10*time.Second, ls)
	h := http.Header{}
	h.Set("X-HubSpot-RateLimit-Max", "190")
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
	w.observe(h)
	if w.max != 190 || w.remaining() != 190 {
		t.Fatalf("max %d remaining %d after a Professional answer", w.max, w.remaining())
	}
	h.Set("X-HubSpot-RateLimit-Remaining", "40") // others used 150 of the window
	w.observe(h)
	if got := w.remaining(); got != 40 {
		t.Fatalf("remaining %d, want 40", got)
	}
	h.Set("X-HubSpot-RateLimit-Max", "10")
	h.Set("X-HubSpot-RateLimit-Interval-Milliseconds", "1000")
	h.Del("X-HubSpot-RateLimit-Remaining")
	w.observe(h)
	if w.max != 10 || w.span != time.Second || w.remaining() != 0 {
		t.Fatalf("after shrinking: max %d span %v remaining %d", w.max, w.span, w.remaining())
	}
}

func TestSearchSpacerKeepsToFivePerSecond(t *testing.T) {
	clk := newFakeClock()
	ls := defaultLimits()
	ls.now, ls.sleep = clk.now, clk.sleep
	s := newSpacer(5, time.Second, ls)
	start := clk.now()
	var starts []time.Time
	for range 16 {
		if _, err := s.wait(context.Background()); err != nil {
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
