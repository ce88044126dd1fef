package prefetch

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

type ctxKey struct{}

// TestTakeHandsOutTheValueOfItsKeyOnce: the value and error of the fetch
// started for a key reach the owner that takes that key, once; any other
// key gets nothing and fetches for itself.
func TestTakeHandsOutTheValueOfItsKeyOnce(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name    string
		start   bool
		take    string
		val     string
		err     error
		wantOK  bool
		wantVal string
		wantErr error
	}{
		{"the key started", true, "a", "page a", nil, true, "page a", nil},
		{"the key started, failed", true, "a", "", boom, true, "", boom},
		{"another key", true, "b", "page a", nil, false, "", nil},
		{"nothing started", false, "a", "", nil, false, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Ahead[string, string]
			var calls atomic.Int64
			ctx := context.WithValue(context.Background(), ctxKey{}, "owner's")
			if tt.start {
				a.Start(ctx, "a", func(ctx context.Context) (string, error) {
					calls.Add(1)
					if ctx.Value(ctxKey{}) != "owner's" {
						t.Error("the fetch did not get the context Start was given")
					}
					return tt.val, tt.err
				})
			}
			v, ok, err := a.Take(tt.take)
			if v != tt.wantVal || ok != tt.wantOK || !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil) {
				t.Fatalf("Take(%q) = %q, %v, %v; want %q, %v, %v", tt.take, v, ok, err, tt.wantVal, tt.wantOK, tt.wantErr)
			}
			if tt.start && calls.Load() != 1 {
				t.Errorf("the fetch ran %d times, want once", calls.Load())
			}
			// Taken or dropped: the value is not handed out again.
			if _, ok, _ := a.Take("a"); ok {
				t.Error("a second Take handed out the value again")
			}
		})
	}
}

// blocked starts a fetch of key that runs until release is closed, and
// records in running how many fetches run at once at most.
func blocked(a *Ahead[int, int], key int, release <-chan struct{}, running, most *atomic.Int64, finished *atomic.Bool) {
	a.Start(context.Background(), key, func(context.Context) (int, error) {
		n := running.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
		running.Add(-1)
		finished.Store(true)
		return key * 10, nil
	})
}

// TestNothingReturnsBeforeTheFetchFinishes: Take (of its key or another),
// Wait and a second Start return only once the fetch in flight has
// finished, so at most one runs and none outlives its owner. synctest
// tells when every goroutine is blocked: the fetch on release, the owner
// on the fetch.
func TestNothingReturnsBeforeTheFetchFinishes(t *testing.T) {
	tests := []struct {
		name string
		call func(a *Ahead[int, int], release <-chan struct{}, running, most *atomic.Int64) (got int, ok bool)
		want int
		ok   bool
	}{
		{"Take of its key", func(a *Ahead[int, int], _ <-chan struct{}, _, _ *atomic.Int64) (int, bool) {
			v, ok, _ := a.Take(1)
			return v, ok
		}, 10, true},
		{"Take of another key", func(a *Ahead[int, int], _ <-chan struct{}, _, _ *atomic.Int64) (int, bool) {
			v, ok, _ := a.Take(2)
			return v, ok
		}, 0, false},
		{"Wait", func(a *Ahead[int, int], _ <-chan struct{}, _, _ *atomic.Int64) (int, bool) {
			a.Wait()
			return 0, false
		}, 0, false},
		{"Start of the next", func(a *Ahead[int, int], release <-chan struct{}, running, most *atomic.Int64) (int, bool) {
			var done atomic.Bool
			blocked(a, 2, release, running, most, &done)
			v, ok, _ := a.Take(2)
			return v, ok
		}, 20, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var a Ahead[int, int]
				var running, most atomic.Int64
				var finished atomic.Bool
				release := make(chan struct{})
				blocked(&a, 1, release, &running, &most, &finished)
				returned := make(chan struct{})
				var got int
				var ok, finishedFirst bool
				go func() {
					defer close(returned)
					got, ok = tt.call(&a, release, &running, &most)
					finishedFirst = finished.Load()
				}()
				synctest.Wait()
				select {
				case <-returned:
					t.Fatal("returned while the fetch was still running")
				default:
				}
				close(release)
				<-returned
				if !finishedFirst || got != tt.want || ok != tt.ok {
					t.Errorf("got %d, %v (fetch finished first: %v); want %d, %v, after the fetch", got, ok, finishedFirst, tt.want, tt.ok)
				}
				if m := most.Load(); m != 1 {
					t.Errorf("%d fetches ran at once, want at most 1", m)
				}
			})
		})
	}
}
