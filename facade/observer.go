package facade

import "github.com/engagekit/hubspot-engagements/internal/pipeline"

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

// AttemptEvent is one HTTP attempt of an operation: its operation, method
// and path, its number (from 1), the status answered (0 when none) or the
// error, whether it will be retried, how long it took and how long the
// Client waited before it, and the answer's rate-limit headers.
type AttemptEvent = pipeline.Attempt

// RateLimitHeaders are the rate-limit headers of one answer; -1 marks a
// header the answer did not carry.
type RateLimitHeaders = pipeline.RateLimitHeaders

// WaitReason says why a Client waited: WaitRateLimit, WaitRetryAfter or
// WaitBackoff.
type WaitReason = pipeline.WaitReason

// The reasons a Client waits.
const (
	// WaitRateLimit is a wait for the Limiter (the rolling window or the
	// search limit).
	WaitRateLimit = pipeline.WaitRateLimit
	// WaitRetryAfter is a wait HubSpot asked for in a 429's Retry-After
	// header, or after a 429 of the search limit (one second).
	WaitRetryAfter = pipeline.WaitRetryAfter
	// WaitBackoff is the backoff before retrying a failed request.
	WaitBackoff = pipeline.WaitBackoff
)

// WaitEvent is one wait of an operation: why, and how long.
type WaitEvent = pipeline.Wait

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
