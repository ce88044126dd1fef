package facade

import (
	"context"
	"strings"
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
//
// A Client calls Wait before every attempt of a request and Observe after
// every answer. The context it gives Wait carries a deadline: the sooner of
// the caller's and the end of the RetryPolicy's MaxElapsed. A Limiter should
// return at once, having counted nothing, when the wait it needs would end
// after that deadline (as golang.org/x/time/rate's Limiter.Wait does); the
// Client then fails the request with a *RateLimitError. A Limiter that
// waits until the deadline instead gets the same error, later.
type Limiter interface {
	// Wait blocks until a request of class c may start, counts its start,
	// and returns how long it waited. It returns an error, having counted
	// nothing, when ctx ends first or when the wait would end after ctx's
	// deadline.
	Wait(ctx context.Context, c LimitClass) (time.Duration, error)
	// Observe is told, after every answer, what it said about the limits:
	// the limit HubSpot announces (which the Limiter may follow, up and
	// down), how much of the window other users of the token took, and
	// 429s (see LimitObservation.WindowFull). It must not block.
	Observe(o LimitObservation)
}

// LimitClass is which of HubSpot's limits a request counts against:
// ClassGeneral (the rolling window) or ClassSearch (5 per second).
type LimitClass int

// The classes of requests a Limiter paces.
const (
	// ClassGeneral requests count against the rolling per-app window.
	ClassGeneral LimitClass = LimitClass(ratelimit.General)
	// ClassSearch requests count against the search limit (5 per second),
	// and not against the rolling window.
	ClassSearch LimitClass = LimitClass(ratelimit.Search)
)

// String names the class, for logs: "general" or "search".
func (c LimitClass) String() string { return ratelimit.Class(c).String() }

// LimitObservation is what one HubSpot answer said about the limits; a
// Client passes one to its Limiter after every answer.
type LimitObservation struct {
	// Class is the class of the request answered.
	Class LimitClass
	// Status is the HTTP status of the answer.
	Status int
	// Max and Interval are the rolling limit HubSpot announced
	// (X-HubSpot-RateLimit-Max and -Interval-Milliseconds); 0 when absent
	// or not positive. An absurd announcement is bounded: a Max above
	// 10,000 reads as 10,000, an Interval above a day as a day.
	Max      int
	Interval time.Duration
	// Remaining is X-HubSpot-RateLimit-Remaining, -1 when absent.
	Remaining int
	// Policy is the policyName of a 429 answer (TEN_SECONDLY_ROLLING,
	// SECONDLY, DAILY), "" when it names none.
	Policy string
	// RetryAfter is the wait a 429's Retry-After header asked for, 0 when
	// it asked for none (or for 0 s, or a negative or unreadable wait).
	RetryAfter time.Duration
}

// WindowFull reports whether the answer says the rolling window is full
// and HubSpot did not say how long to wait: a 429 of a general request
// that is not a SECONDLY or DAILY refusal and has no Retry-After.
func (o LimitObservation) WindowFull() bool { return o.internal().WindowFull() }

func (o LimitObservation) internal() ratelimit.Observation {
	return ratelimit.Observation{Class: ratelimit.Class(o.Class), Status: o.Status, Max: o.Max, Interval: o.Interval, Remaining: o.Remaining, Policy: o.Policy, RetryAfter: o.RetryAfter}
}

func observation(o ratelimit.Observation) LimitObservation {
	return LimitObservation{Class: LimitClass(o.Class), Status: o.Status, Max: o.Max, Interval: o.Interval, Remaining: o.Remaining, Policy: o.Policy, RetryAfter: o.RetryAfter}
}

// localLimiter is NewLimiter's Limiter: the in-process ratelimit.Local.
type localLimiter struct{ l *ratelimit.Local }

func (l localLimiter) Wait(ctx context.Context, c LimitClass) (time.Duration, error) {
	return l.l.Wait(ctx, ratelimit.Class(c))
}

func (l localLimiter) Observe(o LimitObservation) { l.l.Observe(o.internal()) }

// callerLimiter runs a Limiter given to WithLimiter under the pipeline.
type callerLimiter struct{ l Limiter }

func (l callerLimiter) Wait(ctx context.Context, c ratelimit.Class) (time.Duration, error) {
	return l.l.Wait(ctx, LimitClass(c))
}

func (l callerLimiter) Observe(o ratelimit.Observation) { l.l.Observe(observation(o)) }

// pipelineLimiter is l as the pipeline takes it.
func pipelineLimiter(l Limiter) ratelimit.Limiter {
	if ll, ok := l.(localLimiter); ok {
		return ll.l
	}
	return callerLimiter{l}
}

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
	return localLimiter{ratelimit.NewLocal(ratelimit.Config{Max: c.Max, Window: c.Window, SearchMax: c.SearchMax, SearchWindow: c.SearchWindow, Fixed: c.Fixed})}
}

type limitSettings struct {
	max, searchMax       int
	window, searchWindow time.Duration
	adaptive             bool
	limiter              Limiter  // set by WithLimiter
	configured           []string // the options that configure the Client's own limiter, for the conflict with WithLimiter
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

// check refuses options that cannot work together.
func (ls limitSettings) check() error {
	if ls.limiter != nil && len(ls.configured) > 0 {
		return &ValidationError{Field: "limiter", Problem: "WithLimiter cannot be combined with " + strings.Join(ls.configured, ", ") +
			", which configure the Client's own limiter: configure the Limiter given instead"}
	}
	return nil
}

func (ls limitSettings) build() ratelimit.Limiter {
	if ls.limiter != nil {
		return pipelineLimiter(ls.limiter)
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
		s.limit.configured = append(s.limit.configured, "With"+strings.ToUpper(name[:1])+name[1:])
		return nil
	}
}

// WithoutAdaptiveRateLimit makes the Client keep to the configured limit and
// ignore the limit HubSpot announces in its headers.
func WithoutAdaptiveRateLimit() Option {
	return func(s *settings) error {
		s.limit.adaptive = false
		s.limit.configured = append(s.limit.configured, "WithoutAdaptiveRateLimit")
		return nil
	}
}

// WithLimiter paces the Client's requests with l instead of a limiter of its
// own: give one Limiter to several Clients, in one process (NewLimiter) or
// across processes (facade/redislimit), and they share one budget.
// Configure l itself: New refuses WithLimiter together with WithRateLimit,
// WithSearchRateLimit or WithoutAdaptiveRateLimit (a *ValidationError),
// which configure the Client's own limiter.
func WithLimiter(l Limiter) Option {
	return func(s *settings) error {
		if l == nil {
			return &ValidationError{Field: "limiter", Problem: "nil"}
		}
		s.limit.limiter = l
		return nil
	}
}
