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

// Attempt is one HTTP attempt of an operation.
type Attempt struct {
	// Op names the operation ("tasks.list", "engagements.create", …).
	Op string
	// Method and Path are the request's (never its query or body).
	Method, Path string
	// Attempt counts the attempts of this operation, from 1.
	Attempt int
	// Status is the HTTP status of the answer, 0 when there was none.
	Status int
	// Err is why there was no answer (the token redacted), or nil.
	Err error
	// Retry says whether the request will be sent again.
	Retry bool
	// Duration is how long the attempt took, waits before it excluded.
	Duration time.Duration
	// Waited is how long the Client waited before this attempt: for the
	// rate limiter and, after a failed attempt, before retrying.
	Waited time.Duration
	// RateLimit is what the answer's X-HubSpot-RateLimit-* headers said;
	// -1 for a header that was absent.
	RateLimit RateLimitHeaders
}

// RateLimitHeaders are the rate-limit headers of one answer; -1 marks a
// header the answer did not carry.
type RateLimitHeaders struct {
	Max, Remaining, IntervalMillis, DailyRemaining int
}

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
