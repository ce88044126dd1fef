package pipeline

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// RetryPolicy says how failed requests are sent again. Requests that are
// safe to repeat (GET, PUT, PATCH, DELETE, search, batch read) are retried
// after 5xx answers, timeouts and dropped connections, with exponential
// backoff and full jitter. Creates, batch updates and batch archives are
// retried only when they provably never reached HubSpot (the connection
// was refused, or HubSpot answered 429); any other failure of theirs leaves
// their outcome unknown. A 429 is waited out and retried, except under the
// DAILY policy. A zero field takes its default.
type RetryPolicy struct {
	// MaxAttempts bounds the attempts of one request after transient
	// failures (default 5; 1 turns retries off). 429 answers do not count
	// against it.
	MaxAttempts int
	// MaxElapsed bounds the total time spent on one request, waits
	// included (default 2 minutes). A wait that would go past it (a long
	// Retry-After) fails the request at once instead.
	MaxElapsed time.Duration
	// BaseDelay is the first backoff (default 200 ms); each retry doubles it.
	BaseDelay time.Duration
	// MaxDelay caps one backoff (default 10 s).
	MaxDelay time.Duration
	// MaxRateLimitWaits bounds how many 429 answers one request waits out
	// (default 20; a negative value: none, a 429 fails at once).
	MaxRateLimitWaits int
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
