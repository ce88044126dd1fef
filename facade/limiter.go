package facade

import (
	"context"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// Rate-limit tiers HubSpot sells, for WithRateLimit.
const (
	// LimitStarter is the Free and Starter tier: 100 requests per 10 s.
	LimitStarter = 100
	// LimitProfessional is the Professional and Enterprise tier: 190 per 10 s.
	LimitProfessional = 190
	// LimitAPIAddOn is any tier with the API limit increase: 250 per 10 s.
	LimitAPIAddOn = 250
)

// Limiter decides when a request may start, under HubSpot's rolling limit
// and its search limit. Every Client has one: by default its own in-process
// sliding window (see NewLimiter); WithLimiter gives several Clients, or
// several processes (package facade/redislimit), one shared budget.
// Implementations are safe for concurrent use.
type Limiter = ratelimit.Limiter

// LimitClass is which of HubSpot's limits a request counts against:
// ClassGeneral (the rolling window) or ClassSearch (5 per second).
type LimitClass = ratelimit.Class

// The classes of requests a Limiter paces.
const (
	ClassGeneral = ratelimit.General
	ClassSearch  = ratelimit.Search
)

// LimitObservation is what one HubSpot answer said about the limits; a
// Client passes one to its Limiter after every answer.
type LimitObservation = ratelimit.Observation

// LimiterConfig configures the in-process Limiter of NewLimiter. Zero
// fields take HubSpot's defaults.
type LimiterConfig struct {
	// Max requests per Window (default 100 per 10 s, HubSpot's Free and
	// Starter tier; see LimitProfessional and LimitAPIAddOn).
	Max    int
	Window time.Duration
	// SearchMax searches per SearchWindow (default 5 per second).
	SearchMax    int
	SearchWindow time.Duration
	// Fixed keeps to Max and Window and ignores the limit HubSpot
	// announces in its X-HubSpot-RateLimit-* headers.
	Fixed bool
}

// NewLimiter returns the in-process Limiter every Client uses by default: a
// sliding-window log that admits at most Max request starts in any rolling
// Window (exactly HubSpot's rule), and one search every SearchWindow/SearchMax.
// Unless Fixed, it follows the limit HubSpot announces, up and down, and
// counts as used the part of the window that other users of the token took.
// Give the same Limiter to several Clients (WithLimiter) to share one budget
// in one process.
func NewLimiter(c LimiterConfig) Limiter {
	return ratelimit.NewLocal(ratelimit.Config{Max: c.Max, Window: c.Window, SearchMax: c.SearchMax, SearchWindow: c.SearchWindow, Fixed: c.Fixed})
}

type limitSettings struct {
	max, searchMax       int
	window, searchWindow time.Duration
	adaptive             bool
	limiter              Limiter // set by WithLimiter: the others are then unused
	now                  func() time.Time
	sleep                func(context.Context, time.Duration) error
}

func defaultLimits() limitSettings {
	return limitSettings{
		max: LimitStarter, window: 10 * time.Second,
		searchMax: 5, searchWindow: time.Second,
		adaptive: true,
		now:      time.Now,
		sleep:    ratelimit.Sleep,
	}
}

func (ls limitSettings) build() Limiter {
	if ls.limiter != nil {
		return ls.limiter
	}
	return ratelimit.NewLocal(ratelimit.Config{Max: ls.max, Window: ls.window, SearchMax: ls.searchMax, SearchWindow: ls.searchWindow,
		Fixed: !ls.adaptive, Now: ls.now, Sleep: ls.sleep})
}

// WithRateLimit sets the rolling limit the Client keeps to: max requests per
// window (default 100 per 10 s, HubSpot's Free and Starter tier; see
// LimitProfessional and LimitAPIAddOn). The Client still follows the limit
// HubSpot announces in its X-HubSpot-RateLimit-* headers, up or down.
func WithRateLimit(max int, window time.Duration) Option {
	return limitOption("rateLimit", max, window, func(l *limitSettings) (*int, *time.Duration) { return &l.max, &l.window })
}

// WithSearchRateLimit sets the separate limit of search requests (default 5
// per second, HubSpot's search limit).
func WithSearchRateLimit(max int, window time.Duration) Option {
	return limitOption("searchRateLimit", max, window, func(l *limitSettings) (*int, *time.Duration) { return &l.searchMax, &l.searchWindow })
}

// limitOption checks and sets one of the limits, chosen by field.
func limitOption(name string, max int, window time.Duration, field func(*limitSettings) (*int, *time.Duration)) Option {
	return func(s *settings) error {
		if max < 1 || window <= 0 {
			return &ValidationError{Field: name, Problem: "max must be at least 1 and window positive", Limit: 1, Actual: max}
		}
		m, w := field(&s.limit)
		*m, *w = max, window
		return nil
	}
}

// WithoutAdaptiveRateLimit makes the Client keep to the configured limit and
// ignore the limit HubSpot announces in its headers.
func WithoutAdaptiveRateLimit() Option {
	return func(s *settings) error {
		s.limit.adaptive = false
		return nil
	}
}

// WithLimiter paces the Client's requests with l instead of a limiter of its
// own: give one Limiter to several Clients, in one process (NewLimiter) or
// across processes (facade/redislimit), and they share one budget.
// WithRateLimit, WithSearchRateLimit and WithoutAdaptiveRateLimit then do
// nothing: configure l instead.
func WithLimiter(l Limiter) Option {
	return func(s *settings) error {
		if l == nil {
			return &ValidationError{Field: "limiter", Problem: "nil"}
		}
		s.limit.limiter = l
		return nil
	}
}
