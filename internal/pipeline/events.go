package pipeline

import "time"

// Hooks receive the pipeline's typed events. Either may be nil; they are
// called from the goroutines that run requests and must be quick and safe
// for concurrent use.
type Hooks struct {
	// Attempt is called after each HTTP attempt, answered or not.
	Attempt func(Attempt)
	// Wait is called after each wait: for the rate limiter, a Retry-After,
	// or a backoff.
	Wait func(Wait)
}

// Attempt is one HTTP attempt of an operation (facade.AttemptEvent
// documents the fields). Err has the token redacted; RateLimit has -1 for
// a header that was absent.
type Attempt struct {
	Op, Method, Path string
	Attempt, Status  int
	Err              error
	Retry            bool
	Duration, Waited time.Duration
	RateLimit        RateLimitHeaders
}

// RateLimitHeaders are the X-HubSpot-RateLimit-* headers of one answer
// (facade.RateLimitHeaders).
type RateLimitHeaders struct{ Max, Remaining, IntervalMillis, DailyRemaining int }

// WaitReason says why a Client waited.
type WaitReason int

const (
	// WaitRateLimit is a wait for the Limiter (the rolling window or the
	// search limit).
	WaitRateLimit WaitReason = iota + 1
	// WaitRetryAfter is a wait HubSpot asked for in a 429's Retry-After
	// header, or a 429 of the search limit (one second).
	WaitRetryAfter
	// WaitBackoff is the backoff before retrying a failed request.
	WaitBackoff
)

// String names the reason.
func (r WaitReason) String() string {
	switch r {
	case WaitRateLimit:
		return "rate limit"
	case WaitRetryAfter:
		return "retry-after"
	case WaitBackoff:
		return "backoff"
	}
	return "unknown"
}

// Wait is one wait of an operation.
type Wait struct {
	Op       string
	Reason   WaitReason
	Duration time.Duration
}
