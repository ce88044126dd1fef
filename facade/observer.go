package facade

import (
	"time"

	"github.com/engagekit/hubspot-engagements/internal/pipeline"
)

// Observer receives typed events about what a Client does, as it happens,
// for progress displays and metrics (logs are WithLogger's job). Every
// field may be nil. The functions are called from the goroutines that run
// requests, possibly at the same time: they must be safe for concurrent use
// and return quickly.
type Observer struct {
	// Attempt is called after each HTTP attempt, answered or not.
	Attempt func(AttemptEvent)
	// Waiting is called when a wait begins, for a display that shows it
	// while it lasts: before a Retry-After or a backoff, with the Duration
	// it will last; for the rate limiter, which does not say how long it
	// will hold a request, once it has held it for 100 ms, with Duration 0.
	// Wait follows each Waiting, with the same Op, Reason and Start, even
	// when the context ends the wait.
	Waiting func(WaitEvent)
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

// AttemptEvent is one HTTP attempt of an operation, answered or not.
type AttemptEvent struct {
	// Op names the operation ("tasks.list", "engagements.create", …).
	Op string
	// Method and Path are the request's (never its query or body).
	Method, Path string
	// Attempt counts the attempts of this operation, from 1.
	Attempt int
	// Status is the HTTP status of the answer, 0 when there was none.
	Status int
	// Err is why there was no answer, or why its body could not be read
	// (tokens and secrets redacted); nil otherwise.
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
	// Max is X-HubSpot-RateLimit-Max: the requests the rolling window allows.
	Max int
	// Remaining is X-HubSpot-RateLimit-Remaining: what is left of the window.
	Remaining int
	// IntervalMillis is X-HubSpot-RateLimit-Interval-Milliseconds: the
	// window's length.
	IntervalMillis int
	// DailyRemaining is X-HubSpot-RateLimit-Daily-Remaining: what is left of
	// the day's quota.
	DailyRemaining int
}

// WaitReason says why a Client waited: WaitRateLimit, WaitRetryAfter or
// WaitBackoff.
type WaitReason int

// The reasons a Client waits.
const (
	// WaitRateLimit is a wait for the Limiter (the rolling window or the
	// search limit).
	WaitRateLimit = WaitReason(pipeline.WaitRateLimit)
	// WaitRetryAfter is a wait HubSpot asked for in a 429's Retry-After
	// header, or after a 429 of the search limit (one second).
	WaitRetryAfter = WaitReason(pipeline.WaitRetryAfter)
	// WaitBackoff is the backoff before retrying a failed request.
	WaitBackoff = WaitReason(pipeline.WaitBackoff)
)

// String names the reason: "rate limit", "retry-after" or "backoff".
func (r WaitReason) String() string { return pipeline.WaitReason(r).String() }

// WaitEvent is one wait of an operation.
type WaitEvent struct {
	// Op names the operation.
	Op string
	// Reason says why the Client waited.
	Reason WaitReason
	// Start is when the wait began: the same in a Waiting and its Wait.
	Start time.Time
	// Duration is how long it waited; in a Waiting, how long it will wait,
	// 0 when that is not known (the rate limiter's).
	Duration time.Duration
}

// hooks turns the pipeline's events into the Observer's (and the logger's).
func hooks(o Observer, log func(AttemptEvent)) pipeline.Hooks {
	var h pipeline.Hooks
	if attempt := both(log, o.Attempt); attempt != nil {
		h.Attempt = func(a pipeline.Attempt) {
			r := a.RateLimit
			attempt(AttemptEvent{Op: a.Op, Method: a.Method, Path: a.Path, Attempt: a.Attempt, Status: a.Status, Err: a.Err, Retry: a.Retry,
				Duration: a.Duration, Waited: a.Waited, RateLimit: RateLimitHeaders(r)})
		}
	}
	if o.Waiting != nil {
		h.Waiting = func(w pipeline.Wait) { o.Waiting(waitEvent(w)) }
	}
	if o.Wait != nil {
		h.Wait = func(w pipeline.Wait) { o.Wait(waitEvent(w)) }
	}
	return h
}

func waitEvent(w pipeline.Wait) WaitEvent {
	return WaitEvent{Op: w.Op, Reason: WaitReason(w.Reason), Start: w.Start, Duration: w.Duration}
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
