package redislimit

import (
	"context"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// pacing says how requests are paced now: through Redis alone (nil,
// true); in process alone, while Redis is unavailable or after Close (the
// share, false); or both, on probation after a rejoin (the share, true).
func (l *Limiter) pacing() (*ratelimit.Local, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.local == nil && l.closed {
		l.local = l.newLocal()
	}
	if l.local != nil {
		return l.local, false
	}
	if l.probation != nil && l.cfg.now().Before(l.probeEnd) {
		return l.probation, true
	}
	l.probation = nil
	return nil, true
}

// fallBack switches to pacing in process after err, once, and starts the
// probe that rejoins Redis.
func (l *Limiter) fallBack(err error) {
	l.mu.Lock()
	if l.local != nil {
		l.mu.Unlock()
		return
	}
	if l.probation != nil && l.cfg.now().Before(l.probeEnd) {
		l.local = l.probation // it holds the starts of the probation
	} else {
		l.local = l.newLocal()
	}
	l.probation = nil
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
func (l *Limiter) scaled(o ratelimit.Observation) ratelimit.Observation {
	l.mu.Lock()
	peers := l.share
	l.mu.Unlock()
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

// rejoin counts in Redis this Limiter's starts of the last window (those
// made in process, and those a restarted Redis lost), then paces through
// Redis again. For a window more its share keeps pacing it too: peers
// that have not rejoined yet still take theirs, unseen by Redis.
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
	upTo, err := l.countStarts(ctx, 0, true)
	if err != nil {
		return err
	}
	l.mu.Lock()
	if l.share > 1 {
		l.probation, l.probeEnd = l.local, l.cfg.now().Add(l.window+ratelimit.MarginFor(l.window))
	}
	l.local = nil
	l.mu.Unlock()
	// Starts admitted in process while the first count ran.
	if _, err := l.countStarts(ctx, upTo, false); err != nil {
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

// countStarts adds to Redis this Limiter's starts after start number after
// that are still in their window, under their own members (a start Redis
// still holds is not counted twice), and returns the number of the last
// start it looked at. With always, it calls Redis even when there is
// nothing to add, and passes on the last X-HubSpot-RateLimit-Remaining seen
// in the last window: a Redis that lost its data learns at once what
// HubSpot counts.
func (l *Limiter) countStarts(ctx context.Context, after uint64, always bool) (uint64, error) {
	var pairs [2][]any
	l.mu.Lock()
	now, upTo := l.cfg.now(), l.nStarts
	seen := ratelimit.Observation{Remaining: -1}
	if always && l.lastRem >= 0 && now.Sub(l.lastAt) < l.window {
		seen.Remaining = l.lastRem
	}
	for c := range l.starts {
		for _, s := range l.starts[c] {
			if s.n > after {
				pairs[c] = append(pairs[c], micros(now.Sub(s.at)), s.member)
			}
		}
	}
	l.mu.Unlock()
	for c, cl := range []ratelimit.Class{ratelimit.General, ratelimit.Search} {
		if len(pairs[c]) == 0 && (c != 0 || !always) {
			continue
		}
		o := ratelimit.Observation{Remaining: -1}
		if cl == ratelimit.General {
			o = seen
		}
		if err := l.fill(ctx, cl, o, false, pairs[c]); err != nil {
			return after, err
		}
	}
	return upTo, nil
}
