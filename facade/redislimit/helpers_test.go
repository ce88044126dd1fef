package redislimit

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"
)

// world is a miniredis whose clock (the one TIME reads) moves only when a
// Limiter sleeps: unit tests run instantly and deterministically.
type world struct {
	m  *miniredis.Miniredis
	mu sync.Mutex
	t  time.Time
}

func newWorld(t *testing.T) *world {
	t.Helper()
	m := miniredis.RunT(t)
	w := &world{m: m, t: time.Unix(1_760_000_000, 123_456_000)}
	m.SetTime(w.t)
	return w
}

// now is Redis's clock.
func (w *world) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.t
}

func (w *world) advance(d time.Duration) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if d > 0 {
		w.t = w.t.Add(d)
		w.m.SetTime(w.t)
	}
}

func (w *world) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.advance(d)
	return nil
}

// client is a go-redis client of the world's server, closed with the test.
func (w *world) client(t *testing.T) *redis.Client {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: w.m.Addr(), ContextTimeoutEnabled: true, MaxRetries: -1, DialerRetries: 1,
		DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// limiter returns a Limiter on the world with the world's clock shifted by
// skew as its local clock. It is closed with the test.
func (w *world) limiter(t *testing.T, skew time.Duration, opts ...Option) *Limiter {
	t.Helper()
	clock := Option(func(c *config) error {
		c.now = func() time.Time { return w.now().Add(skew) }
		c.sleep = w.sleep
		c.timeout = time.Second // miniredis under -race is slow; the bound is tested against redis-server
		return nil
	})
	l, err := New(w.client(t), append([]Option{WithBudget("unit"), clock}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// starts returns the scores (Redis times) of a window's starts, oldest first.
func (w *world) starts(t *testing.T, key string) []time.Time {
	t.Helper()
	if !w.m.Exists(key) {
		return nil
	}
	members, err := w.m.ZMembers(key)
	if err != nil {
		t.Fatal(err)
	}
	var ts []time.Time
	for _, m := range members {
		s, err := w.m.ZScore(key, m)
		if err != nil {
			t.Fatal(err)
		}
		ts = append(ts, time.UnixMicro(int64(s)))
	}
	return ts
}
