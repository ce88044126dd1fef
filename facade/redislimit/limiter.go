package redislimit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
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

	mu      sync.Mutex
	closed  bool
	local   *ratelimit.Local // non-nil while Redis is unavailable
	share   int              // the peers local's share was computed for
	max     int              // the rolling limit Redis last reported
	window  time.Duration
	nPeers  int       // the most Limiters of the budget Redis reported in the last window
	peersAt time.Time // when it reported nPeers, on the local clock
	starts  [2][]start // this Limiter's recent starts, by class
	nStarts uint64
	lastRem int       // the last X-HubSpot-RateLimit-Remaining seen, -1 for none
	lastAt  time.Time // when it was seen, on the local clock
}

// start is one request start this Limiter admitted.
type start struct {
	at    time.Time // on the local clock
	local bool      // admitted in process: Redis has not counted it
	n     uint64
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
// context's error when the context ends first, having counted nothing.
// When Redis fails or takes longer than the timeout, the request is paced
// in process instead, at once.
func (l *Limiter) Wait(ctx context.Context, c ratelimit.Class) (time.Duration, error) {
	var waited time.Duration
	for {
		if err := ctx.Err(); err != nil {
			return waited, err
		}
		if loc, _ := l.fallback(); loc != nil {
			d, err := loc.Wait(ctx, c)
			if err == nil {
				l.record(c, true)
			}
			return waited + d, err
		}
		a, err := l.acquire(ctx, c)
		if err != nil {
			if ctx.Err() != nil {
				return waited, ctx.Err()
			}
			l.fallBack(err)
			continue
		}
		if a.admitted {
			l.record(c, false)
			return waited, nil
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
func (l *Limiter) Observe(o ratelimit.Observation) {
	full := o.WindowFull() || (o.Class == ratelimit.Search && o.Status == 429 && o.Policy != "DAILY")
	if !full && (o.Class != ratelimit.General || !l.cfg.adaptive || (o.Max <= 0 && o.Remaining < 0)) {
		return
	}
	if o.Class == ratelimit.General && o.Remaining >= 0 {
		l.mu.Lock()
		l.lastRem, l.lastAt = o.Remaining, l.cfg.now()
		l.mu.Unlock()
	}
	if loc, p := l.fallback(); loc != nil {
		loc.Observe(l.scaled(o, p))
		return
	}
	ctx, cancel := context.WithTimeout(l.ctx, l.cfg.timeout)
	defer cancel()
	if err := l.fill(ctx, o.Class, o, full, nil); err != nil {
		l.fallBack(err)
		if loc, p := l.fallback(); loc != nil {
			loc.Observe(l.scaled(o, p))
		}
	}
}

// Shared reports whether the Limiter paces requests through Redis now,
// rather than in process.
func (l *Limiter) Shared() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.local == nil
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
func (l *Limiter) acquire(ctx context.Context, c ratelimit.Class) (acquired, error) {
	ctx, cancel := context.WithTimeout(ctx, l.cfg.timeout)
	defer cancel()
	key, args := l.args(c)
	l.mu.Lock()
	alive := l.window + ratelimit.MarginFor(l.window)
	l.mu.Unlock()
	args = append(args, l.id, l.member(), micros(alive))
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

// fill runs fillScript: it shares what o says and counts the starts of
// ages (made while Redis was unavailable).
func (l *Limiter) fill(ctx context.Context, c ratelimit.Class, o ratelimit.Observation, full bool, ages []any) error {
	key, args := l.args(c)
	f := "0"
	if full {
		f = "1"
	}
	args = append(args, o.Max, micros(o.Interval), o.Remaining, f, l.member(), limitTTL.Milliseconds())
	v, err := fillScript.Run(ctx, l.rdb, []string{key, l.limit}, append(args, ages...)...).Int64Slice()
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

// record remembers a start this Limiter admitted, for the fallback's first
// window and for counting in Redis what was admitted without it.
func (l *Limiter) record(c ratelimit.Class, local bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
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
	l.starts[i] = append(s[drop:], start{at: now, local: local, n: l.nStarts})
}

// fallback returns the in-process limiter while Redis is unavailable (or
// the Limiter is closed), and the number of peers it has a share for.
func (l *Limiter) fallback() (*ratelimit.Local, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.local == nil && l.closed {
		l.local = l.newLocal()
	}
	return l.local, l.share
}

// fallBack switches to pacing in process after err, once, and starts the
// probe that rejoins Redis.
func (l *Limiter) fallBack(err error) {
	l.mu.Lock()
	if l.local != nil {
		l.mu.Unlock()
		return
	}
	l.local = l.newLocal()
	closed, share := l.closed, l.share
	if !closed {
		l.wg.Add(1)
		go l.probe()
	}
	l.mu.Unlock()
	if closed {
		return
	}
	if l.cfg.logger != nil {
		l.cfg.logger.LogAttrs(l.ctx, slog.LevelWarn, "hubspot rate limit: Redis unavailable, pacing requests in this process until it answers",
			slog.String("budget", l.cfg.budget), slog.Int("share_of_peers", share), slog.String("error", err.Error()))
	}
	if l.cfg.observer != nil {
		l.cfg.observer(Event{Kind: FellBack, Err: err})
	}
}

// newLocal builds the in-process limiter for an outage. Every Limiter of
// the budget seen in the last window (peers) is assumed to fall back too,
// so each takes its share of the limit: together they stay within it. The
// share's window starts with this Limiter's own recent starts, at the times
// they were made. l.mu is held.
func (l *Limiter) newLocal() *ratelimit.Local {
	l.share = max(l.nPeers, 1)
	if l.cfg.whole {
		l.share = 1
	}
	gm, gw := l.shareOf(l.max, l.window, l.share)
	sm, sw := l.shareOf(l.cfg.searchMax, l.cfg.searchWindow, l.share)
	now, span := l.cfg.now(), gw+ratelimit.MarginFor(gw)
	var seed []time.Time
	for _, s := range l.starts[0] {
		if now.Sub(s.at) < span {
			seed = append(seed, s.at)
		}
	}
	seed = seed[max(0, len(seed)-gm):]
	// While it is seeded, the limiter's clock reads the starts' times.
	seeding := true
	clock := func() time.Time {
		if seeding && len(seed) > 0 {
			return seed[0]
		}
		return l.cfg.now()
	}
	loc := ratelimit.NewLocal(ratelimit.Config{Max: gm, Window: gw, SearchMax: sm, SearchWindow: sw,
		Fixed: !l.cfg.adaptive, Now: clock, Sleep: l.cfg.sleep})
	for len(seed) > 0 {
		_, _ = loc.Wait(context.Background(), ratelimit.General) // gm starts or fewer: never waits
		seed = seed[1:]
	}
	seeding = false // before loc is shared: l.mu orders this write before any other use
	return loc
}

// share is 1/peers of a limit of max per window: max/peers per window, or
// when that is below one, one per as many windows as it takes.
func share(max int, window time.Duration, peers int) (int, time.Duration) {
	if m := max / peers; m >= 1 {
		return m, window
	}
	return 1, window * time.Duration((peers+max-1)/max)
}

// shareOf is share, its window made longer by what WithMargin asks above
// the in-process limiter's own margin.
func (l *Limiter) shareOf(limit int, window time.Duration, peers int) (int, time.Duration) {
	m, w := share(limit, window, peers)
	return m, w + max(0, l.cfg.margin-ratelimit.MarginFor(w))
}

// scaled is o as the in-process share sees it. The limit HubSpot announced
// is the whole budget's: the share is 1/peers of it. X-HubSpot-RateLimit-
// Remaining counts the peers' requests too, which their shares already
// leave room for: with peers, it is not followed (it would fill the share
// as if it were used now, for a whole window), while 429s still are.
func (l *Limiter) scaled(o ratelimit.Observation, peers int) ratelimit.Observation {
	if o.Max > 0 && o.Interval > 0 {
		o.Max, o.Interval = l.shareOf(o.Max, o.Interval, peers)
	}
	if peers > 1 {
		o.Remaining = -1
	}
	return o
}

// probe tries to rejoin Redis every probe interval until it does or the
// Limiter is closed. Requests never wait for it.
func (l *Limiter) probe() {
	defer l.wg.Done()
	t := time.NewTimer(l.cfg.probe)
	defer t.Stop()
	for {
		select {
		case <-l.ctx.Done():
			return
		case <-t.C:
		}
		if err := l.rejoin(); err == nil {
			return
		}
		t.Reset(l.cfg.probe)
	}
}

// rejoin counts in Redis the starts made in process during the outage,
// then paces through Redis again.
func (l *Limiter) rejoin() error {
	ctx, cancel := context.WithTimeout(l.ctx, l.cfg.timeout)
	defer cancel()
	// A connection by the client's own dialer first, outside its pool:
	// while the server is down, the pool would log every failed dial of
	// every probe, and after PoolSize of them start a goroutine of its own.
	if c, ok := l.rdb.(*redis.Client); ok && c.Options().Dialer != nil {
		o := c.Options()
		conn, err := o.Dialer(ctx, o.Network, o.Addr)
		if err != nil {
			return err
		}
		conn.Close()
	}
	if err := acquireScript.Load(ctx, l.rdb).Err(); err != nil {
		return err
	}
	upTo, err := l.countLocalStarts(ctx, 0, true)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.local = nil
	l.mu.Unlock()
	// Starts admitted in process while the first count ran.
	if _, err := l.countLocalStarts(ctx, upTo, false); err != nil {
		l.fallBack(err)
		return err
	}
	if l.cfg.logger != nil {
		l.cfg.logger.LogAttrs(l.ctx, slog.LevelInfo, "hubspot rate limit: Redis answers again, sharing its budget", slog.String("budget", l.cfg.budget))
	}
	if l.cfg.observer != nil {
		l.cfg.observer(Event{Kind: Rejoined})
	}
	return nil
}

// countLocalStarts adds to Redis the starts admitted in process after start
// number after, and returns the number of the last start it looked at.
// With always, it calls Redis even when there is nothing to add, and passes
// on the last X-HubSpot-RateLimit-Remaining seen in the last window: a
// Redis that lost its data learns at once what HubSpot counts.
func (l *Limiter) countLocalStarts(ctx context.Context, after uint64, always bool) (uint64, error) {
	var ages [2][]any
	l.mu.Lock()
	now, upTo := l.cfg.now(), l.nStarts
	seen := ratelimit.Observation{Remaining: -1}
	if always && l.lastRem >= 0 && now.Sub(l.lastAt) < l.window {
		seen.Remaining = l.lastRem
	}
	for c := range l.starts {
		for _, s := range l.starts[c] {
			if s.local && s.n > after {
				ages[c] = append(ages[c], micros(now.Sub(s.at)))
			}
		}
	}
	l.mu.Unlock()
	for c, cl := range []ratelimit.Class{ratelimit.General, ratelimit.Search} {
		if len(ages[c]) == 0 && (c != 0 || !always) {
			continue
		}
		o := ratelimit.Observation{Remaining: -1}
		if cl == ratelimit.General {
			o = seen
		}
		if err := l.fill(ctx, cl, o, false, ages[c]); err != nil {
			return after, err
		}
	}
	l.mu.Lock()
	for c := range l.starts {
		for i := range l.starts[c] {
			if l.starts[c][i].n <= upTo {
				l.starts[c][i].local = false
			}
		}
	}
	l.mu.Unlock()
	return upTo, nil
}

var _ facade.Limiter = (*Limiter)(nil)
