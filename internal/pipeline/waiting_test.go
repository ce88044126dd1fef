package pipeline

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// holdLimiter holds every request for d, or until the context ends.
type holdLimiter struct{ d time.Duration }

func (l holdLimiter) Wait(ctx context.Context, _ ratelimit.Class) (time.Duration, error) {
	if err := ratelimit.Sleep(ctx, l.d); err != nil {
		return 0, err
	}
	return l.d, nil
}

func (holdLimiter) Observe(ratelimit.Observation) {}

// answers serves the statuses in turn (the last one from then on), with a
// Retry-After of one second on a 429.
type answers struct {
	mu       sync.Mutex
	statuses []int
}

func (a *answers) RoundTrip(*http.Request) (*http.Response, error) {
	a.mu.Lock()
	code := a.statuses[0]
	if len(a.statuses) > 1 {
		a.statuses = a.statuses[1:]
	}
	a.mu.Unlock()
	h := http.Header{}
	if code == http.StatusTooManyRequests {
		h.Set("Retry-After", "1")
	}
	return &http.Response{StatusCode: code, Header: h, Body: io.NopCloser(strings.NewReader("{}"))}, nil
}

// TestWaitingComesBeforeTheWait: a display is told when a wait begins
// (the rate limiter's once it has held a request for WaitingAfter, a
// Retry-After's at once with its length), and each Waiting is followed by
// its Wait, even when the context ends the wait; a limiter that lets a
// request go at once says nothing.
func TestWaitingComesBeforeTheWait(t *testing.T) {
	tests := []struct {
		name     string
		hold     time.Duration
		statuses []int
		cancel   time.Duration // ends the request's context after this long; 0 never
		want     []string
	}{
		{name: "no wait", hold: 0, statuses: []int{200}, want: nil},
		{name: "a hold shorter than WaitingAfter is only a Wait", hold: WaitingAfter / 2, statuses: []int{200},
			want: []string{"wait rate limit 50ms from 0s"}},
		{name: "a rate-limit hold is shown while it lasts", hold: 3 * time.Second, statuses: []int{200},
			want: []string{"waiting rate limit 0s from 0s at 100ms", "wait rate limit 3s from 0s"}},
		{name: "a Retry-After is shown with its length", hold: 0, statuses: []int{429, 200},
			want: []string{"waiting retry-after 1s from 0s at 0s", "wait retry-after 1s from 0s"}},
		{name: "a hold the context ends still gets its Wait", hold: time.Minute, statuses: []int{200}, cancel: 2 * time.Second,
			want: []string{"waiting rate limit 0s from 0s at 100ms", "wait rate limit 2s from 0s"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				var mu sync.Mutex
				var got []string
				hooks := Hooks{
					Waiting: func(w Wait) {
						mu.Lock()
						defer mu.Unlock()
						got = append(got, fmt.Sprintf("waiting %v %v from %v at %v", w.Reason, w.Duration, w.Start.Sub(start), time.Since(start)))
					},
					Wait: func(w Wait) {
						mu.Lock()
						defer mu.Unlock()
						got = append(got, fmt.Sprintf("wait %v %v from %v", w.Reason, w.Duration, w.Start.Sub(start)))
					},
				}
				rt := New(Config{Base: &answers{statuses: tt.statuses}, Limiter: holdLimiter{tt.hold}, Policy: DefaultRetryPolicy(), Hooks: hooks})
				ctx := WithOp(context.Background(), Op{Name: "test", Kind: Safe})
				if tt.cancel > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.cancel)
					defer cancel()
				}
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1/x", nil)
				resp, err := rt.RoundTrip(req)
				if err == nil {
					resp.Body.Close()
				} else if tt.cancel == 0 {
					t.Fatal(err)
				}
				mu.Lock()
				defer mu.Unlock()
				if strings.Join(got, "; ") != strings.Join(tt.want, "; ") {
					t.Errorf("events:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
				}
			})
		})
	}
}
