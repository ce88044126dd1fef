// Package redislimit is a facade.Limiter that shares one HubSpot rate-limit
// budget between processes through Redis: several pods syncing one portal,
// a CLI export running beside the production service. HubSpot's limits
// belong to the app and the account (100 or 190 requests per rolling 10 s,
// 5 searches per second per token), not to a process; limiters that each
// count only their own requests overrun them together and meet 429s.
//
//	lim, err := redislimit.FromURL(ctx, "redis://127.0.0.1:6379/0",
//		redislimit.WithBudget(redislimit.TokenBudget(token)))
//	if err != nil { … }
//	defer lim.Close()
//	c, err := facade.New(facade.WithToken(token), facade.WithLimiter(lim))
//
// Programs that do not import this package do not link a Redis client.
//
// # The rule
//
// At most N request starts in any rolling window W per budget, exactly
// HubSpot's rule, decided atomically on the Redis server by a Lua script
// over a sorted set of start times read from Redis's own clock (TIME): the
// hosts' clocks never count, so skew between them cannot break the limit. A
// start is counted only when admitted; a refused caller is told how long
// until the oldest start leaves the window and sleeps that long. Windows
// carry the in-process limiter's safety margin (1 % of W, at least 50 ms;
// WithMargin). Searches have a window of their own (5 per second by
// default), shared too: HubSpot counts them per token, whatever the
// process.
//
// A budget is named by WithBudget: TokenBudget(token) for a token (a hash;
// the token never reaches Redis) or a name of your own. Keys are
// PREFIX:{BUDGET}:general, :search, :limit and :peers, in one cluster hash
// slot, and expire when unused.
//
// Like the in-process limiter, unless WithoutAdaptive, the Limiter follows
// what HubSpot's X-HubSpot-RateLimit-* headers say, for every Limiter of
// the budget at once: the limit announced (a Professional account's 190
// reaches all of them from the first answer), requests the budget did not
// see (Remaining below what the window holds: they are counted), and 429s
// that say the window is full (it is filled).
//
// # Failure
//
// Every Redis call is bounded by WithTimeout (default 50 ms). When one
// fails or times out, the Limiter paces requests in process at once, with
// the in-process adaptive limiter, logs it once (WithLogger) and tells
// WithObserver; the request that met the failure is admitted by the
// in-process limiter alone, never twice and never dropped. Each Limiter
// takes, in process, 1/P of the budget, P being the Limiters of the budget
// seen in the last window, so that limiters falling back together stay
// within the limit; its window starts with its own starts of the last
// window, at their times. (A Limiter that never reached Redis takes the
// budget whole, as does one given WithoutFallbackShare.) A background
// probe (WithProbeInterval, default 1 s) tries Redis meanwhile; requests
// never wait for it. When Redis answers, the Limiter counts there its own
// starts of the last window under their own names (what it made in
// process, and what a restarted Redis lost; nothing twice), passes on the
// last X-HubSpot-RateLimit-Remaining it saw, and paces through Redis again,
// keeping to its share too for one more window while its peers rejoin.
// Close stops the probe.
package redislimit
