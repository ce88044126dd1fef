package redislimit

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// events collects a Limiter's events and lets a test wait for one.
type events struct {
	mu   sync.Mutex
	got  []EventKind
	next chan EventKind
}

func newEvents() *events { return &events{next: make(chan EventKind, 100)} }

func (e *events) option() Option {
	return WithObserver(func(ev Event) {
		e.mu.Lock()
		e.got = append(e.got, ev.Kind)
		e.mu.Unlock()
		e.next <- ev.Kind
	})
}

func (e *events) await(t *testing.T, want EventKind) {
	t.Helper()
	select {
	case k := <-e.next:
		if k != want {
			t.Fatalf("event %v, want %v", k, want)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no %v event within 10 s", want)
	}
}

// syncBuffer is a log destination safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestFallsBackAndRejoins: with Redis gone, requests go on at once, paced
// in process, and the loss is logged once however many requests meet it;
// when Redis is back the probe rejoins and counts in Redis the starts made
// meanwhile.
func TestFallsBackAndRejoins(t *testing.T) {
	w := newWorld(t)
	ev := newEvents()
	var logs syncBuffer
	l := w.limiter(t, 0, WithLimit(10, time.Second), WithProbeInterval(10*time.Millisecond), ev.option(),
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	for range 3 {
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
	}
	w.m.Close()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
				t.Error(err)
			}
			l.Observe(obs(200, 10, time.Second, 3))
		})
	}
	wg.Wait()
	ev.await(t, FellBack)
	if l.Shared() {
		t.Fatal("Shared after Redis went away")
	}
	if n := strings.Count(logs.String(), "Redis unavailable"); n != 1 {
		t.Errorf("the loss was logged %d times, want once:\n%s", n, logs.String())
	}
	if err := w.m.Restart(); err != nil {
		t.Fatal(err)
	}
	ev.await(t, Rejoined)
	if !l.Shared() {
		t.Fatal("not Shared after the rejoin")
	}
	// miniredis kept its data: the 3 starts before and the 4 during the
	// outage are all in the window now.
	if got := len(w.starts(t, l.keys[0])); got != 7 {
		t.Errorf("the window holds %d starts after the rejoin, want 7", got)
	}
	if !strings.Contains(logs.String(), "Redis answers again") {
		t.Errorf("the rejoin was not logged:\n%s", logs.String())
	}
}

// TestFallbackTakesItsShare: Limiters that lose Redis together each take
// their share of the budget, so that together they keep within it.
func TestFallbackTakesItsShare(t *testing.T) {
	w := newWorld(t)
	var ls []*Limiter
	for i := range 5 {
		opts := []Option{WithLimit(20, time.Second), WithProbeInterval(time.Minute)}
		if i == 4 {
			opts = append(opts, WithoutFallbackShare())
		}
		l := w.limiter(t, 0, opts...)
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	w.m.Close()
	// The fourth Limiter saw 4 peers: its share is 5, one of which it used.
	if got := freeNow(t, w, ls[3]); got != 4 {
		t.Errorf("after the loss the Limiter started %d at once, want 4 (a share of 5, one used)", got)
	}
	// WithoutFallbackShare: the whole budget (its start has left the
	// window while the other waited).
	if got := freeNow(t, w, ls[4]); got != 20 {
		t.Errorf("WithoutFallbackShare: the Limiter started %d at once, want all 20", got)
	}
	// HubSpot's headers announce the whole budget: the share follows it.
	ls[3].Observe(obs(200, 40, time.Second, 40))
	w.advance(2 * time.Second)
	if got := freeNow(t, w, ls[3]); got != 10 {
		t.Errorf("after 40 were announced the Limiter started %d at once, want its share of 10", got)
	}
}

func TestShare(t *testing.T) {
	cases := []struct {
		max, peers, wantMax int
		wantWindow          time.Duration
	}{
		{100, 1, 100, 10 * time.Second},
		{100, 20, 5, 10 * time.Second},
		{100, 30, 3, 10 * time.Second},
		{100, 150, 1, 20 * time.Second},
		{5, 12, 1, 30 * time.Second},
	}
	for _, tc := range cases {
		m, w := share(tc.max, 10*time.Second, tc.peers)
		if m != tc.wantMax || w != tc.wantWindow {
			t.Errorf("share(%d, 10s, %d) = %d per %v, want %d per %v", tc.max, tc.peers, m, w, tc.wantMax, tc.wantWindow)
		}
		// Together the peers never start more than max in a window.
		if tc.peers <= tc.max && m*tc.peers > tc.max {
			t.Errorf("%d peers of %d per window start up to %d", tc.peers, m, m*tc.peers)
		}
	}
}

// TestCloseStopsTheProbe: after Close no goroutine of the Limiter is left,
// and Wait still works, in process.
func TestCloseStopsTheProbe(t *testing.T) {
	w := newWorld(t)
	ev := newEvents()
	l := w.limiter(t, 0, WithProbeInterval(10*time.Millisecond), ev.option())
	w.m.Close()
	if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatal(err)
	}
	ev.await(t, FellBack)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatalf("Wait after Close: %v", err)
	}
}

// TestFallbackKnowsItsOwnStarts: the in-process limiter starts with this
// Limiter's starts of the last window, at the times they were made: the
// first of them frees its slot a window after it was made, not a window
// after the loss.
func TestFallbackKnowsItsOwnStarts(t *testing.T) {
	w := newWorld(t)
	l := w.limiter(t, 0, WithLimit(10, 10*time.Second), WithProbeInterval(time.Minute))
	first := w.now()
	for range 5 {
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		w.advance(time.Second)
	}
	w.m.Close()
	if got := freeNow(t, w, l); got != 5 {
		t.Fatalf("after the loss the Limiter started %d at once, want the 5 left", got)
	}
	// freeNow's last Wait waited for the first start to leave the window.
	if got, want := w.now().Sub(first), 10*time.Second+ratelimit.MarginFor(10*time.Second); got != want {
		t.Errorf("the 11th start came %v after the first, want %v", got, want)
	}
}

// TestPeersOutliveARestart: a Redis that lost its data reports only the
// peers back so far; the share stays that of the peers seen in the last
// window.
func TestPeersOutliveARestart(t *testing.T) {
	w := newWorld(t)
	var ls []*Limiter
	for range 4 {
		l := w.limiter(t, 0, WithLimit(20, time.Second), WithProbeInterval(time.Minute))
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	w.m.FlushAll()
	if _, err := ls[3].Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatal(err)
	}
	w.m.Close()
	if got := freeNow(t, w, ls[3]); got != 3 {
		t.Errorf("after the loss the Limiter started %d at once, want 3 (a share of 5 for 4 peers, 2 used)", got)
	}
}

// TestProbationAfterARejoin: for a window after it rejoins, a Limiter keeps
// to its share too, since peers that have not rejoined yet still take
// theirs, unseen by a Redis that lost its data.
func TestProbationAfterARejoin(t *testing.T) {
	w := newWorld(t)
	ev := newEvents()
	var ls []*Limiter
	for i := range 4 {
		opts := []Option{WithLimit(20, time.Second), WithProbeInterval(10 * time.Millisecond)}
		if i == 3 {
			opts = append(opts, ev.option())
		}
		l := w.limiter(t, 0, opts...)
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		ls = append(ls, l)
	}
	w.m.Close()
	if _, err := ls[3].Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatal(err)
	}
	ev.await(t, FellBack)
	if err := w.m.Restart(); err != nil {
		t.Fatal(err)
	}
	w.m.FlushAll()
	ev.await(t, Rejoined)
	if got := len(w.starts(t, ls[3].keys[0])); got != 2 {
		t.Errorf("after the rejoin Redis holds %d starts, want the Limiter's 2", got)
	}
	if got := freeNow(t, w, ls[3]); got != 3 {
		t.Errorf("on probation the Limiter started %d at once, want 3 (a share of 5, 2 used)", got)
	}
	// A window later the probation is over: Redis alone paces.
	w.advance(2 * time.Second)
	if got := freeNow(t, w, ls[3]); got != 20 {
		t.Errorf("after the probation the Limiter started %d at once, want 20", got)
	}
}

// TestAWaitAcrossARejoinIsCounted: a request that waited for the in-process
// share while the Limiter rejoined is counted in Redis too (the rejoin had
// counted only the starts made before it).
func TestAWaitAcrossARejoinIsCounted(t *testing.T) {
	w := newWorld(t)
	var l *Limiter
	rejoin := false
	sleep := Option(func(c *config) error {
		c.sleep = func(ctx context.Context, d time.Duration) error {
			if rejoin {
				rejoin = false
				if err := w.m.Restart(); err != nil {
					t.Error(err)
				}
				if err := l.rejoin(); err != nil {
					t.Error(err)
				}
			}
			return w.sleep(ctx, d)
		}
		return nil
	})
	l = w.limiter(t, 0, WithLimit(2, time.Second), WithProbeInterval(time.Minute), sleep)
	for range 2 {
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		w.advance(100 * time.Millisecond)
	}
	w.m.Close()
	rejoin = true
	if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatal(err)
	}
	if !l.Shared() {
		t.Fatal("not Shared after the rejoin")
	}
	// The first start has left the window; the second and this one remain.
	got := w.starts(t, l.keys[0])
	if len(got) != 2 || !got[1].Equal(w.now()) {
		t.Errorf("Redis holds starts at %v, want 2, the last now (%v)", got, w.now())
	}
}
