package redislimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// Limiter is a facade.Limiter whose budget lives in Redis, shared by every
// Limiter of the same budget in any process. It is safe for concurrent use.
// While Redis is unavailable it paces requests in process (see the package
// documentation); Close it when done.
type Limiter struct {
	rdb    redis.UniversalClient
	owned  bool // the client was made by FromURL: Close closes it
	cfg    config
	id     string
	seq    atomic.Uint64
	keys   [2]string // the windows, by class
	limit  string    // the learnt limit
	peers  string    // the Limiters seen lately
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	closed    bool
	local     *ratelimit.Local // the share paced in process, non-nil while Redis is unavailable
	probation *ratelimit.Local // after a rejoin, the share still paces until probeEnd
	probeEnd  time.Time
	share     int // the peers the share was computed for
	max       int // the rolling limit Redis last reported
	window    time.Duration
	nPeers    int        // the most Limiters of the budget Redis reported in the last window
	peersAt   time.Time  // when it reported nPeers, on the local clock
	starts    [2][]start // this Limiter's recent starts, by class
	nStarts   uint64
	lastRem   int       // the last X-HubSpot-RateLimit-Remaining seen, -1 for none
	lastAt    time.Time // when it was seen, on the local clock
}

// start is one request start this Limiter admitted.
type start struct {
	at     time.Time // on the local clock
	member string    // its member in Redis's window
	n      uint64
}

// EventKind says what changed.
type EventKind int

const (
	// FellBack: Redis failed or was too slow; requests are paced in
	// process until it answers again.
	FellBack EventKind = iota + 1
	// Rejoined: Redis answered again; requests share its budget again.
	Rejoined
)

// String names the kind, for logs.
func (k EventKind) String() string {
	if k == Rejoined {
		return "rejoined"
	}
	return "fell back"
}

// Event is a change between the shared budget and pacing in process.
type Event struct {
	Kind EventKind
	// Err is the Redis failure that made the Limiter fall back.
	Err error
}

// New returns a Limiter that keeps its budget in rdb. rdb must honour
// context deadlines (redis.Options.ContextTimeoutEnabled), so that no
// request waits on Redis longer than WithTimeout; New fails otherwise. New
// sends nothing: the first request does. Closing the Limiter leaves rdb
// open.
func New(rdb redis.UniversalClient, opts ...Option) (*Limiter, error) {
	if rdb == nil {
		return nil, invalid("redisClient", "nil", nil)
	}
	if !honoursDeadlines(rdb) {
		return nil, invalid("redisClient", "ContextTimeoutEnabled must be set, or a slow Redis could hold requests past the timeout", nil)
	}
	cfg, err := configure(opts)
	if err != nil {
		return nil, err
	}
	return newLimiter(rdb, false, cfg), nil
}

func honoursDeadlines(rdb redis.UniversalClient) bool {
	switch c := rdb.(type) {
	case *redis.Client:
		return c.Options().ContextTimeoutEnabled
	case *redis.ClusterClient:
		return c.Options().ContextTimeoutEnabled
	}
	return true
}

func configure(opts []Option) (config, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return config{}, err
		}
	}
	if cfg.budget == "" {
		return config{}, invalid("budget", "required: use WithBudget(TokenBudget(token)) or a name of your own", nil)
	}
	return cfg, nil
}

func newLimiter(rdb redis.UniversalClient, owned bool, cfg config) *Limiter {
	var b [8]byte
	_, _ = rand.Read(b[:])
	base := cfg.prefix + ":{" + cfg.budget + "}:" // one hash slot in a cluster
	l := &Limiter{
		rdb: rdb, owned: owned, cfg: cfg, id: hex.EncodeToString(b[:]),
		keys:  [2]string{base + "general", base + "search"},
		limit: base + "limit", peers: base + "peers",
		max: cfg.max, window: cfg.window, nPeers: 1, lastRem: -1,
	}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	return l
}

func class(c ratelimit.Class) int {
	if c == ratelimit.Search {
		return 1
	}
	return 0
}

// Wait blocks until a request of class c may start, counts its start in
// the shared budget, and returns how long it waited. It returns the
// context's error when the context ends first, having counted nothing in
// Redis, and returns at once when the wait would end after the context's
// deadline. When Redis fails or takes longer than the timeout, the request is
// paced in process instead, at once.
func (l *Limiter) Wait(ctx context.Context, fc facade.LimitClass) (time.Duration, error) {
	c := ratelimit.Class(fc)
	var waited time.Duration
	paced := false // the in-process share admitted this start
	for {
		if err := ctx.Err(); err != nil {
			return waited, err
		}
		loc, shared := l.pacing()
		if loc != nil && !paced {
			d, err := loc.Wait(ctx, c)
			waited += d
			if err != nil {
				return waited, err
			}
			paced = true
		}
		if !shared {
			if l.recordLocal(c) {
				return waited, nil
			}
			continue // it rejoined while this waited: Redis counts the start too
		}
		member := l.member()
		a, err := l.acquire(ctx, c, member)
		if err != nil {
			if ctx.Err() != nil {
				return waited, ctx.Err()
			}
			l.fallBack(err)
			continue
		}
		if a.admitted {
			l.record(c, member)
			return waited, nil
		}
		if err := ratelimit.PastDeadline(ctx, a.wait); err != nil {
			return waited, err
		}
		if err := l.cfg.sleep(ctx, a.wait); err != nil {
			return waited, err
		}
		waited += a.wait
	}
}

// Observe shares what HubSpot's answer said: the limit it announced, how
// much of the window is used (X-HubSpot-RateLimit-Remaining, which counts
// requests made without this budget too) and 429s, which fill the window.
func (l *Limiter) Observe(fo facade.LimitObservation) {
	o := ratelimit.Observation{Class: ratelimit.Class(fo.Class), Status: fo.Status, Max: fo.Max, Interval: fo.Interval, Remaining: fo.Remaining, Policy: fo.Policy, RetryAfter: fo.RetryAfter}
	full := o.WindowFull() || (o.Class == ratelimit.Search && o.Status == 429 && o.Policy != "DAILY")
	if !full && (o.Class != ratelimit.General || !l.cfg.adaptive || (o.Max <= 0 && o.Remaining < 0)) {
		return
	}
	if o.Class == ratelimit.General && o.Remaining >= 0 {
		l.mu.Lock()
		l.lastRem, l.lastAt = o.Remaining, l.cfg.now()
		l.mu.Unlock()
	}
	loc, shared := l.pacing()
	if loc != nil {
		loc.Observe(l.scaled(o))
	}
	if !shared {
		return
	}
	ctx, cancel := context.WithTimeout(l.ctx, l.cfg.timeout)
	defer cancel()
	if err := l.fill(ctx, o.Class, o, full, nil); err != nil {
		l.fallBack(err)
		if fb, _ := l.pacing(); fb != nil && loc == nil {
			fb.Observe(l.scaled(o))
		}
	}
}

// Shared reports whether the Limiter paces requests through Redis now,
// rather than in process.
func (l *Limiter) Shared() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.local == nil && !l.closed
}

// Close stops the background probe and, for a Limiter made by FromURL,
// closes its Redis client. Requests still waiting are paced in process.
func (l *Limiter) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	l.mu.Unlock()
	l.cancel()
	l.wg.Wait()
	if l.owned {
		return l.rdb.Close()
	}
	return nil
}

// args are the arguments every script starts with: the window's key and
// the caller's limit for class c.
func (l *Limiter) args(c ratelimit.Class) (key string, args []any) {
	max, window, learn := l.cfg.max, l.cfg.window, "0"
	if c == ratelimit.Search {
		max, window = l.cfg.searchMax, l.cfg.searchWindow
	} else if l.cfg.adaptive {
		learn = "1"
	}
	return l.keys[class(c)], []any{max, micros(window), micros(l.cfg.margin), learn}
}

func (l *Limiter) member() string {
	return l.id + ":" + strconv.FormatUint(l.seq.Add(1), 36)
}

// acquire runs acquireScript, bounded by the timeout.
func (l *Limiter) acquire(ctx context.Context, c ratelimit.Class, member string) (acquired, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.timeout)
	defer cancel()
	key, args := l.args(c)
	l.mu.Lock()
	alive := l.window + ratelimit.MarginFor(l.window)
	l.mu.Unlock()
	args = append(args, l.id, member, micros(alive))
	v, err := acquireScript.Run(ctx, l.rdb, []string{key, l.limit, l.peers}, args...).Int64Slice()
	if err != nil {
		return acquired{}, err
	}
	a, err := parseAcquire(v)
	if err != nil {
		return acquired{}, err
	}
	if c == ratelimit.General {
		l.mu.Lock()
		l.max, l.window = a.max, a.window
		// A Redis that restarted reports only the peers back so far: the
		// count goes down only when no higher one came for a window.
		if now := l.cfg.now(); a.peers >= l.nPeers || now.Sub(l.peersAt) > l.window+ratelimit.MarginFor(l.window) {
			l.nPeers, l.peersAt = a.peers, now
		}
		l.mu.Unlock()
	}
	return a, nil
}

// fill runs fillScript: it shares what o says and counts this Limiter's
// starts given as (age in µs, member) pairs.
func (l *Limiter) fill(ctx context.Context, c ratelimit.Class, o ratelimit.Observation, full bool, starts []any) error {
	key, args := l.args(c)
	f := "0"
	if full {
		f = "1"
	}
	args = append(args, o.Max, micros(o.Interval), o.Remaining, f, l.member(), limitTTL.Milliseconds())
	v, err := fillScript.Run(ctx, l.rdb, []string{key, l.limit}, append(args, starts...)...).Int64Slice()
	if err != nil {
		return err
	}
	_, max, window, err := parseFill(v)
	if err == nil && c == ratelimit.General {
		l.mu.Lock()
		l.max, l.window = max, window
		l.mu.Unlock()
	}
	return err
}

// record remembers a start this Limiter admitted, for the first window of
// an outage and to count in Redis, when it rejoins, what Redis did not see
// or lost.
func (l *Limiter) record(c ratelimit.Class, member string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recordLocked(c, member)
}

// recordLocal records a start the in-process share admitted, unless the
// Limiter has rejoined Redis meanwhile: then it reports false and records
// nothing. The check and the record are one step, so that a rejoin counts
// every start made before it in Redis.
func (l *Limiter) recordLocal(c ratelimit.Class) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.local == nil {
		return false
	}
	l.recordLocked(c, l.member())
	return true
}

func (l *Limiter) recordLocked(c ratelimit.Class, member string) {
	now := l.cfg.now()
	span := l.window
	if c == ratelimit.Search {
		span = l.cfg.searchWindow
	}
	span += ratelimit.MarginFor(span)
	i := class(c)
	s := l.starts[i]
	drop := 0
	for drop < len(s) && (now.Sub(s[drop].at) >= span || len(s)-drop >= maxLimit) {
		drop++
	}
	l.nStarts++
	l.starts[i] = append(s[drop:], start{at: now, member: member, n: l.nStarts})
}

var _ facade.Limiter = (*Limiter)(nil)
