package redislimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// Defaults of the options.
const (
	// DefaultTimeout bounds every Redis call: a call that has not answered
	// by then counts as a failure and the request is paced in process.
	DefaultTimeout = 50 * time.Millisecond
	// DefaultProbeInterval is how often, while Redis is unavailable, a
	// background probe tries to rejoin the shared budget.
	DefaultProbeInterval = time.Second
	// DefaultKeyPrefix starts the name of every key the Limiter writes.
	DefaultKeyPrefix = "hubspot-ratelimit"
)

// Bounds on what the Limiter accepts, from options, HubSpot's headers and
// Redis alike: they keep the sorted sets small and the waits finite.
const (
	maxLimit    = 10_000
	minWindow   = time.Millisecond
	maxWindow   = time.Hour
	maxBudget   = 64
	maxPrefix   = 64
	maxTimeout  = 10 * time.Second
	minProbe    = 10 * time.Millisecond
	maxProbe    = 10 * time.Minute
	limitTTL    = 24 * time.Hour // how long a learnt limit outlives the last answer that announced it
	budgetLabel = "redislimit budget v1\x00"
)

// Option configures a Limiter made by New or FromURL. An option given an
// invalid value makes New or FromURL fail with a *facade.ValidationError.
type Option func(*config) error

type config struct {
	budget       string
	prefix       string
	max          int
	window       time.Duration
	searchMax    int
	searchWindow time.Duration
	adaptive     bool
	whole        bool // the fallback takes the whole budget, not a share
	margin       time.Duration
	timeout      time.Duration
	probe        time.Duration
	logger       *slog.Logger
	observer     func(Event)
	now          func() time.Time
	sleep        func(context.Context, time.Duration) error
}

func defaultConfig() config {
	return config{
		prefix: DefaultKeyPrefix,
		max:    facade.LimitStarter, window: 10 * time.Second,
		searchMax: 5, searchWindow: time.Second,
		adaptive: true,
		margin:   ratelimit.MarginFor(0),
		timeout:  DefaultTimeout,
		probe:    DefaultProbeInterval,
		now:      time.Now,
		sleep:    ratelimit.Sleep,
	}
}

func invalid(field, problem string, actual any) error {
	return &facade.ValidationError{Field: field, Problem: problem, Actual: actual}
}

// TokenBudget names the budget of a HubSpot token without revealing it: a
// "t" and the first 128 bits of a SHA-256 of the token, in hex. Every
// process that uses the same token gets the same name. Pass it to
// WithBudget.
func TokenBudget(token string) string {
	sum := sha256.Sum256([]byte(budgetLabel + token))
	return "t" + hex.EncodeToString(sum[:16])
}

// WithBudget names the shared budget (required): every Limiter given the
// same name, in any process, shares one rolling window. Use
// TokenBudget(token) to share the budget of a token, or a name of your own
// (1 to 64 letters, digits, '.', '_' or '-'). Never pass the token itself:
// names are stored in Redis key names in clear.
func WithBudget(name string) Option {
	return nameOption("budget", name, maxBudget, func(c *config) { c.budget = name })
}

// WithKeyPrefix changes the start of every key name (default
// "hubspot-ratelimit"), for example to keep test and production budgets
// apart in one Redis database. Same characters as WithBudget.
func WithKeyPrefix(prefix string) Option {
	return nameOption("keyPrefix", prefix, maxPrefix, func(c *config) { c.prefix = prefix })
}

// always is an Option that cannot fail: it applies set.
func always(set func(*config)) Option {
	return func(c *config) error {
		set(c)
		return nil
	}
}

// nameOption is an Option that checks the name s with checkName and then
// sets it.
func nameOption(field, s string, limit int, set func(*config)) Option {
	return func(c *config) error {
		if err := checkName(field, s, limit); err != nil {
			return err
		}
		set(c)
		return nil
	}
}

func checkName(field, s string, limit int) error {
	if s == "" || len(s) > limit {
		return &facade.ValidationError{Field: field, Problem: "must be 1 to 64 characters", Limit: limit, Actual: len(s)}
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-') {
			return invalid(field, "only letters, digits, '.', '_' and '-' are allowed", string(r))
		}
	}
	return nil
}

// WithLimit sets the rolling limit: at most max request starts in any
// window (default 100 per 10 s, HubSpot's Free and Starter tier). Unless
// WithoutAdaptive, the limit HubSpot announces in its headers replaces it
// for every Limiter of the budget.
func WithLimit(max int, window time.Duration) Option {
	return limitOption("limit", max, window, func(c *config) (*int, *time.Duration) { return &c.max, &c.window })
}

// WithSearchLimit sets the limit of search requests (default 5 per second,
// HubSpot's limit per token). It is shared through Redis like the rolling
// limit.
func WithSearchLimit(max int, window time.Duration) Option {
	return limitOption("searchLimit", max, window, func(c *config) (*int, *time.Duration) { return &c.searchMax, &c.searchWindow })
}

// limitOption checks and sets one of the limits, chosen by field.
func limitOption(name string, max int, window time.Duration, field func(*config) (*int, *time.Duration)) Option {
	return func(c *config) error {
		if max < 1 || max > maxLimit {
			return &facade.ValidationError{Field: name, Problem: "max out of range", Limit: maxLimit, Actual: max}
		}
		if window < minWindow || window > maxWindow {
			return invalid(name, "window must be between 1 ms and 1 h", window)
		}
		m, w := field(c)
		*m, *w = max, window
		return nil
	}
}

// WithoutAdaptive keeps to the configured limits and ignores what HubSpot's
// X-HubSpot-RateLimit-* headers say (the announced limit, and requests
// other users of the token made).
func WithoutAdaptive() Option {
	return always(func(c *config) { c.adaptive = false })
}

// WithoutFallbackShare makes the in-process limiter of an outage take the
// whole budget, adapting to HubSpot's headers, as a Limiter without Redis
// does, instead of 1/P of it (P: the Limiters of the budget seen in the
// last window). Requests then go faster while Redis is away but meet 429s,
// which are waited out and retried (measured, Redis killed half way: 3 % of
// requests for 10 processes and 8 % for 20, against 0 and 1 % with the
// share, which took 1.5 and 1.2 times as long as the bound; see the
// README).
func WithoutFallbackShare() Option {
	return always(func(c *config) { c.whole = true })
}

// WithMargin sets the least safety margin added to every window, for the
// time between a start being counted and the request reaching HubSpot
// (default 50 ms; the margin is 1 % of the window when that is more, as for
// the in-process limiter). Raise it when the way to HubSpot is slow or
// uneven.
func WithMargin(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 || d > maxWindow {
			return invalid("margin", "must be between 0 and 1 h", d)
		}
		c.margin = d
		return nil
	}
}

// WithTimeout bounds every Redis call (default 50 ms). A call that fails or
// takes longer makes the Limiter pace requests in process at once; no
// request waits on Redis longer than this.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 || d > maxTimeout {
			return invalid("timeout", "must be positive and at most 10 s", d)
		}
		c.timeout = d
		return nil
	}
}

// WithProbeInterval sets how often, while Redis is unavailable, the Limiter
// tries to rejoin the shared budget (default 1 s). Probes run in the
// background: requests never wait for one.
func WithProbeInterval(d time.Duration) Option {
	return func(c *config) error {
		if d < minProbe || d > maxProbe {
			return invalid("probeInterval", "must be between 10 ms and 10 min", d)
		}
		c.probe = d
		return nil
	}
}

// WithLogger logs to l when the Limiter loses Redis (once, at warning
// level, with the error) and when it rejoins (info). It never logs per
// request, nor a token.
func WithLogger(l *slog.Logger) Option {
	return always(func(c *config) { c.logger = l })
}

// WithObserver calls f when the Limiter falls back to pacing in process and
// when it rejoins the shared budget. f is called from the goroutine that
// noticed, and must return quickly.
func WithObserver(f func(Event)) Option {
	return always(func(c *config) { c.observer = f })
}
