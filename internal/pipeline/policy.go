package pipeline

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how failed requests are sent again: facade.RetryPolicy,
// which documents the fields, converts to it. A zero field takes its
// default.
type RetryPolicy struct {
	MaxAttempts                     int
	MaxElapsed, BaseDelay, MaxDelay time.Duration
	MaxRateLimitWaits               int
}

// DefaultRetryPolicy returns the policy a Client uses unless told otherwise.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 5, MaxElapsed: 2 * time.Minute, BaseDelay: 200 * time.Millisecond, MaxDelay: 10 * time.Second, MaxRateLimitWaits: 20}
}

// PolicyError says which field of a RetryPolicy is invalid and why.
type PolicyError struct {
	Field   string
	Problem string
	Actual  any
}

func (e *PolicyError) Error() string {
	return fmt.Sprintf("retry policy: %s %s (got %v)", e.Field, e.Problem, e.Actual)
}

// Resolve fills the zero fields of p with the defaults and checks the
// result, naming the first field that is wrong.
func (p RetryPolicy) Resolve() (RetryPolicy, error) {
	d := DefaultRetryPolicy()
	if p.MaxAttempts == 0 {
		p.MaxAttempts = d.MaxAttempts
	}
	if p.MaxElapsed == 0 {
		p.MaxElapsed = d.MaxElapsed
	}
	if p.BaseDelay == 0 {
		p.BaseDelay = d.BaseDelay
	}
	if p.MaxDelay == 0 {
		p.MaxDelay = max(d.MaxDelay, p.BaseDelay)
	}
	switch {
	case p.MaxRateLimitWaits == 0:
		p.MaxRateLimitWaits = d.MaxRateLimitWaits
	case p.MaxRateLimitWaits < 0:
		p.MaxRateLimitWaits = -1
	}
	switch {
	case p.MaxAttempts < 1:
		return p, &PolicyError{"MaxAttempts", "must be at least 1", p.MaxAttempts}
	case p.MaxElapsed < 0:
		return p, &PolicyError{"MaxElapsed", "must be positive", p.MaxElapsed}
	case p.BaseDelay < 0:
		return p, &PolicyError{"BaseDelay", "must be positive", p.BaseDelay}
	case p.MaxDelay < p.BaseDelay:
		return p, &PolicyError{"MaxDelay", "must be at least BaseDelay", p.MaxDelay}
	}
	return p, nil
}

// backoff is exponential with full jitter: a random wait in [0, base·2^(n-1)].
func (p RetryPolicy) backoff(attempt int, jitter func(time.Duration) time.Duration) time.Duration {
	d := p.BaseDelay << (attempt - 1)
	if d > p.MaxDelay || d <= 0 || attempt > 62 {
		d = p.MaxDelay
	}
	return jitter(d)
}

func fullJitter(d time.Duration) time.Duration { return rand.N(d + 1) }
