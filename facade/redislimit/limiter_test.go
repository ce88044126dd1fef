package redislimit

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

var bg = context.Background()

// TestAdmitsMaxPerWindowOnRedisClock: two Limiters whose local clocks are
// an hour apart share 3 starts per 10 s; the starts, on Redis's clock, keep
// exactly to the rule, and a refused Limiter sleeps once, exactly as long
// as needed (it does not spin).
func TestAdmitsMaxPerWindowOnRedisClock(t *testing.T) {
	w := newWorld(t)
	sleeps := 0
	count := Option(func(c *config) error {
		next := c.sleep
		c.sleep = func(ctx context.Context, d time.Duration) error { sleeps++; return next(ctx, d) }
		return nil
	})
	ls := []*Limiter{
		w.limiter(t, time.Hour, WithLimit(3, 10*time.Second), count),
		w.limiter(t, -time.Hour, WithLimit(3, 10*time.Second), count),
	}
	var starts []time.Time
	for k := range 9 {
		before := sleeps
		if _, err := ls[k%2].Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		if k >= 3 && k%3 == 0 && sleeps != before+1 {
			t.Errorf("start %d: %d sleeps, want 1", k, sleeps-before)
		}
		starts = append(starts, w.now())
		w.advance(30 * time.Millisecond) // the request's latency
	}
	span := 10*time.Second + ratelimit.MarginFor(10*time.Second)
	for k := 3; k < len(starts); k++ {
		if gap := starts[k].Sub(starts[k-3]); gap < span || gap > span+30*time.Millisecond {
			t.Errorf("start %d is %v after start %d; want %v (at most 30 ms more)", k, gap, k-3, span)
		}
	}
	if got := len(w.starts(t, ls[0].keys[0])); got != 3 {
		t.Errorf("the window holds %d starts, want 3", got)
	}
}

// TestWaitPastTheDeadlineReturnsAtOnce: a wait that would end after the
// context's deadline returns at once, as context.DeadlineExceeded, having
// slept and counted nothing.
func TestWaitPastTheDeadlineReturnsAtOnce(t *testing.T) {
	w := newWorld(t)
	l := w.limiter(t, 0, WithLimit(1, 10*time.Second))
	if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatal(err)
	}
	slept := false
	l.cfg.sleep = func(context.Context, time.Duration) error { slept = true; return nil }
	ctx, cancel := context.WithTimeout(bg, time.Second)
	defer cancel()
	if _, err := l.Wait(ctx, facade.ClassGeneral); !errors.Is(err, context.DeadlineExceeded) || slept || ctx.Err() != nil {
		t.Fatalf("Wait = %v (slept %v, context %v), want the deadline at once", err, slept, ctx.Err())
	}
	if got := len(w.starts(t, l.keys[0])); got != 1 {
		t.Errorf("the window holds %d starts, want 1", got)
	}
}

// TestWaitCountsOnlyAdmittedStarts: a Wait whose context ends, before or
// while it waits, counts nothing.
func TestWaitCountsOnlyAdmittedStarts(t *testing.T) {
	w := newWorld(t)
	l := w.limiter(t, 0, WithLimit(1, time.Second))
	if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatal(err)
	}
	done, cancel := context.WithCancel(bg)
	cancel()
	if _, err := l.Wait(done, facade.ClassGeneral); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with a done context: %v", err)
	}
	// The window is full: the next Wait sleeps, and its context ends then.
	ctx, cancel := context.WithCancel(bg)
	l.cfg.sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	if _, err := l.Wait(ctx, facade.ClassGeneral); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait cancelled while waiting: %v", err)
	}
	if got := len(w.starts(t, l.keys[0])); got != 1 {
		t.Errorf("the window holds %d starts, want 1", got)
	}
}

// TestObserveIsShared: what one Limiter learns from HubSpot's answers, the
// others of the budget follow.
func TestObserveIsShared(t *testing.T) {
	cases := []struct {
		name  string
		obs   facade.LimitObservation
		fixed bool
		// want is how many starts the window holds after the observation
		// and how many a second Limiter may then start at once.
		wantHeld, wantFree int
	}{
		{name: "announced limit up", obs: obs(http.StatusOK, 190, 10*time.Second, 185), wantHeld: 5, wantFree: 185},
		{name: "announced limit down", obs: obs(http.StatusOK, 10, 10*time.Second, 5), wantHeld: 5, wantFree: 5},
		{name: "others used the token", obs: obs(http.StatusOK, 100, 10*time.Second, 40), wantHeld: 60, wantFree: 40},
		{name: "429 fills the window", obs: facade.LimitObservation{Class: facade.ClassGeneral, Status: 429, Remaining: -1, Policy: "TEN_SECONDLY_ROLLING"}, wantHeld: 100, wantFree: 0},
		{name: "DAILY 429 is not the window", obs: facade.LimitObservation{Class: facade.ClassGeneral, Status: 429, Remaining: -1, Policy: "DAILY"}, wantHeld: 5, wantFree: 95},
		{name: "fixed ignores the headers", fixed: true, obs: obs(http.StatusOK, 190, 10*time.Second, 0), wantHeld: 5, wantFree: 95},
		{name: "fixed still fills on 429", fixed: true, obs: facade.LimitObservation{Class: facade.ClassGeneral, Status: 429, Remaining: -1}, wantHeld: 100, wantFree: 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			var opts []Option
			if tc.fixed {
				opts = append(opts, WithoutAdaptive())
			}
			a, b := w.limiter(t, 0, opts...), w.limiter(t, 0, opts...)
			for range 5 {
				if _, err := a.Wait(bg, facade.ClassGeneral); err != nil {
					t.Fatal(err)
				}
			}
			a.Observe(tc.obs)
			if !a.Shared() {
				t.Fatal("the Limiter fell back")
			}
			if got := len(w.starts(t, a.keys[0])); got != tc.wantHeld {
				t.Errorf("the window holds %d starts, want %d", got, tc.wantHeld)
			}
			if got := freeNow(t, w, b); got != tc.wantFree {
				t.Errorf("another Limiter may start %d at once, want %d", got, tc.wantFree)
			}
		})
	}
}

func obs(status, max int, interval time.Duration, remaining int) facade.LimitObservation {
	return facade.LimitObservation{Class: facade.ClassGeneral, Status: status, Max: max, Interval: interval, Remaining: remaining}
}

// freeNow counts the starts l is admitted without waiting.
func freeNow(t *testing.T, w *world, l *Limiter) int {
	t.Helper()
	start := w.now()
	n := 0
	for ; n <= maxLimit; n++ {
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		if !w.now().Equal(start) {
			return n
		}
	}
	return n
}

// TestSearchWindowIsShared: searches of two Limiters share 5 per second.
func TestSearchWindowIsShared(t *testing.T) {
	w := newWorld(t)
	a, b := w.limiter(t, 0), w.limiter(t, 0)
	start := w.now()
	var at []time.Duration
	for k := range 12 {
		if _, err := []*Limiter{a, b}[k%2].Wait(bg, facade.ClassSearch); err != nil {
			t.Fatal(err)
		}
		at = append(at, w.now().Sub(start))
	}
	span := time.Second + ratelimit.MarginFor(time.Second)
	for k := 5; k < len(at); k++ {
		if at[k]-at[k-5] < span {
			t.Errorf("search %d at %v, search %d at %v: 6 in less than %v", k, at[k], k-5, at[k-5], span)
		}
	}
	// A search 429 fills the search window, not the rolling one.
	a.Observe(facade.LimitObservation{Class: facade.ClassSearch, Status: 429, Remaining: -1})
	if got := len(w.starts(t, a.keys[1])); got != 5 {
		t.Errorf("after a search 429 the search window holds %d, want 5", got)
	}
	if got := len(w.starts(t, a.keys[0])); got != 0 {
		t.Errorf("searches reached the rolling window: %d", got)
	}
}

// TestHostileValuesInRedis: what is read back from Redis is checked; a
// learnt limit out of range is ignored, a start far in the future dropped.
func TestHostileValuesInRedis(t *testing.T) {
	for _, v := range [][2]string{{"abc", "10000000"}, {"-1", "10000000"}, {"1e9", "10000000"}, {"nan", "10000000"},
		{"inf", "10000000"}, {"0.5", "10000000"}, {"100", "0"}, {"100", "1e99"}, {"7", "-inf"}, {"0x10", "10000000.5"}} {
		t.Run(v[0]+"/"+v[1], func(t *testing.T) {
			w := newWorld(t)
			l := w.limiter(t, 0, WithLimit(4, time.Second))
			w.m.HSet(l.limit, "max", v[0], "window", v[1])
			if _, err := w.m.ZAdd(l.keys[0], 1e300, "from the future"); err != nil {
				t.Fatal(err)
			}
			if got := freeNow(t, w, l); got != 4 {
				t.Errorf("admitted %d at once, want the configured 4", got)
			}
			if !l.Shared() {
				t.Error("the Limiter fell back")
			}
		})
	}
}

// TestRepliesAreChecked: a reply that makes no sense is a Redis failure.
func TestRepliesAreChecked(t *testing.T) {
	good := []int64{1, 0, 100, 10_000_000, 3}
	if _, err := parseAcquire(good); err != nil {
		t.Fatalf("a good reply refused: %v", err)
	}
	for i, bad := range [][]int64{nil, {1, 0, 100, 10_000_000}, {2, 0, 100, 10_000_000, 3}, {0, 0, 100, 10_000_000, 3},
		{0, -5, 100, 10_000_000, 3}, {0, 1 << 60, 100, 10_000_000, 3}, {1, 0, 0, 10_000_000, 3}, {1, 0, 100, 0, 3},
		{1, 0, maxLimit + 1, 10_000_000, 3}, {1, 0, 100, 10_000_000, 0}} {
		if _, err := parseAcquire(bad); !errors.Is(err, errReply) {
			t.Errorf("reply %d %v: %v, want errReply", i, bad, err)
		}
	}
	if _, _, _, err := parseFill([]int64{-1, 100, 10_000_000}); !errors.Is(err, errReply) {
		t.Errorf("negative count: %v", err)
	}
}

// TestKeysNeverHoldTheToken: the budget of a token is a hash of it.
func TestKeysNeverHoldTheToken(t *testing.T) {
	const token = "pat-na1-11111111-2222-4333-8444-555555555555"
	b := TokenBudget(token)
	if b != TokenBudget(token) || b == TokenBudget(token+"x") || len(b) != 33 {
		t.Fatalf("TokenBudget is not a stable 33-character name: %q", b)
	}
	w := newWorld(t)
	l := w.limiter(t, 0, WithBudget(b))
	if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
		t.Fatal(err)
	}
	l.Observe(obs(200, 100, 10*time.Second, 50))
	for _, k := range w.m.Keys() {
		if strings.Contains(k, token) || strings.Contains(k, token[8:20]) || !strings.Contains(k, b) {
			t.Errorf("key %q", k)
		}
	}
}

// TestRedisCallsAreBounded: every command is sent with a deadline no later
// than the timeout.
func TestRedisCallsAreBounded(t *testing.T) {
	w := newWorld(t)
	rdb := w.client(t)
	var worst time.Duration
	rdb.AddHook(deadlineHook{func(d time.Duration) { worst = max(worst, d) }})
	clock := Option(func(c *config) error { c.now, c.sleep = w.now, w.sleep; return nil })
	l, err := New(rdb, WithBudget("bounded"), WithTimeout(40*time.Millisecond), WithLimit(2, time.Second), clock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	for range 3 {
		if _, err := l.Wait(bg, facade.ClassGeneral); err != nil {
			t.Fatal(err)
		}
		l.Observe(obs(200, 2, time.Second, 0))
	}
	if worst <= 0 || worst > 40*time.Millisecond {
		t.Errorf("a command had %v to run, want at most 40 ms", worst)
	}
}

// deadlineHook reports, for each command, how long its context gave it
// (an hour when it had no deadline).
type deadlineHook struct{ report func(time.Duration) }

func (h deadlineHook) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h deadlineHook) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h deadlineHook) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		d := time.Hour
		if dl, ok := ctx.Deadline(); ok {
			d = time.Until(dl)
		}
		h.report(d)
		return next(ctx, cmd)
	}
}

// TestOptionsAreValidated: New refuses what it cannot use, before any
// request.
func TestOptionsAreValidated(t *testing.T) {
	ok := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", ContextTimeoutEnabled: true})
	defer ok.Close()
	noDeadlines := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"})
	defer noDeadlines.Close()
	cases := []struct {
		name  string
		rdb   redis.UniversalClient
		opts  []Option
		field string
	}{
		{"nil client", nil, []Option{WithBudget("b")}, "redisClient"},
		{"client ignores deadlines", noDeadlines, []Option{WithBudget("b")}, "redisClient"},
		{"no budget", ok, nil, "budget"},
		{"budget with a brace", ok, []Option{WithBudget("a}b")}, "budget"},
		{"budget too long", ok, []Option{WithBudget(strings.Repeat("a", 65))}, "budget"},
		{"prefix with a colon", ok, []Option{WithBudget("b"), WithKeyPrefix("a:b")}, "keyPrefix"},
		{"limit zero", ok, []Option{WithBudget("b"), WithLimit(0, time.Second)}, "limit"},
		{"limit too high", ok, []Option{WithBudget("b"), WithLimit(maxLimit+1, time.Second)}, "limit"},
		{"window too short", ok, []Option{WithBudget("b"), WithLimit(10, time.Microsecond)}, "limit"},
		{"search window too long", ok, []Option{WithBudget("b"), WithSearchLimit(5, 2*time.Hour)}, "searchLimit"},
		{"negative margin", ok, []Option{WithBudget("b"), WithMargin(-1)}, "margin"},
		{"timeout zero", ok, []Option{WithBudget("b"), WithTimeout(0)}, "timeout"},
		{"probe too often", ok, []Option{WithBudget("b"), WithProbeInterval(time.Millisecond)}, "probeInterval"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.rdb, tc.opts...)
			var ve *facade.ValidationError
			if !errors.As(err, &ve) || ve.Field != tc.field {
				t.Fatalf("New: %v, want a ValidationError of %s", err, tc.field)
			}
		})
	}
}
