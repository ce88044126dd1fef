package facade

import "time"

// Observer receives typed events about what a Client does, as it happens,
// for progress displays and metrics (logs are WithLogger's job). Every
// field may be nil. The functions are called from the goroutines that run
// requests, possibly at the same time: they must be safe for concurrent use
// and return quickly.
type Observer struct {
	// Attempt is called after each HTTP attempt, answered or not.
	Attempt func(AttemptEvent)
	// Wait is called after each wait: for the rate limiter, for a
	// Retry-After, or a backoff before a retry.
	Wait func(WaitEvent)
	// Records is called when a successful answer's records have been
	// decoded: a page of a listing, or one batch request's results.
	Records func(RecordsEvent)
}

// WithObserver sends the Client's events to o.
func WithObserver(o Observer) Option {
	return func(s *settings) error {
		s.observer = o
		return nil
	}
}

// AttemptEvent is one HTTP attempt of an operation.
type AttemptEvent struct {
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

// WaitEvent is one wait of an operation.
type WaitEvent struct {
	Op       string
	Reason   WaitReason
	Duration time.Duration
}

// RecordsEvent is the records of one successful answer.
type RecordsEvent struct {
	// Op names the operation.
	Op string
	// Records is how many records the answer carried.
	Records int
	// Total is how many records the whole listing has, when HubSpot says
	// (search, v1 recent/modified); -1 when it does not.
	Total int64
}

// records tells the Observer about the records of one successful answer
// that is not a page of a listing (pagers tell it themselves).
func (c *Client) records(op string, n int) {
	if c.observer.Records != nil {
		c.observer.Records(RecordsEvent{Op: op, Records: n, Total: -1})
	}
}
