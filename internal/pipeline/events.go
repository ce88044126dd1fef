package pipeline

import "time"

// Hooks receive the pipeline's typed events. Any may be nil; they are
// called from the goroutines that run requests and must be quick and safe
// for concurrent use.
type Hooks struct {
	// Attempt is called after each HTTP attempt, answered or not.
	Attempt func(Attempt)
	// Waiting is called when a wait begins, so that a display can show it
	// while it lasts: before a Retry-After or a backoff, with the Duration
	// it will last; for the rate limiter, which does not say how long it
	// will hold a request, once it has held it for WaitingAfter, with
	// Duration 0. Wait follows each Waiting, with the same Op, Reason and
	// Start, even when the context ends the wait.
	Waiting func(Wait)
	// Wait is called after each wait: for the rate limiter, a Retry-After,
	// or a backoff.
	Wait func(Wait)
}

// WaitingAfter is how long the rate limiter holds a request before
// Hooks.Waiting is told: shorter holds are the limiter spacing requests,
// not a wait worth showing.
const WaitingAfter = 100 * time.Millisecond

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
	Op     string
	Reason WaitReason
	// Start is when the wait began: the same in a Waiting and its Wait.
	Start time.Time
	// Duration is how long it lasted; in a Waiting, how long it will last,
	// 0 when that is not known (the rate limiter's).
	Duration time.Duration
}
