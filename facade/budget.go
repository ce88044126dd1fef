package facade

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/pipeline"
)

// RateLimitError is returned when waiting as HubSpot's rate limit asks
// would make a request wait past what it may spend: its RetryPolicy's
// MaxElapsed, or the caller's context deadline. The Client fails at once
// instead of waiting, whatever HubSpot announced (one request per day, a
// Retry-After of hours, 429s with no Retry-After or one of 0 or less). It
// matches ErrRateLimited, and context.DeadlineExceeded when the context's
// deadline was the bound; Err is the last 429 answer (*APIError), if any.
type RateLimitError struct {
	// Operation names the facade operation.
	Operation string
	// Reason is the wait refused: WaitRateLimit (the Limiter's, for the
	// rolling window) or WaitRetryAfter (a 429's Retry-After, or search's
	// one second).
	Reason WaitReason
	// Wait is how long the request would have had to wait; 0 when the
	// Limiter waited until the bound without saying.
	Wait time.Duration
	// Left is what the request had left when the wait was refused.
	Left time.Duration
	// Bound names the budget: "RetryPolicy.MaxElapsed" or "the context's
	// deadline".
	Bound string
	// Max and Interval are the rolling limit HubSpot last announced in
	// X-HubSpot-RateLimit-Max and -Interval-Milliseconds; 0 when none.
	Max      int
	Interval time.Duration
	// RetryAfter is the last 429's Retry-After header as HubSpot sent it,
	// "" when absent or when there was no 429.
	RetryAfter string
	// Policy is the last 429's policyName (TEN_SECONDLY_ROLLING, SECONDLY),
	// "" when none.
	Policy string
	// Err is the last 429 answer of the request (an *APIError), nil when
	// the wait was the Limiter's alone.
	Err error
}

// Error says which wait was refused, against which budget, and what
// HubSpot announced.
func (e *RateLimitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "hubspot: %s: rate limit: ", e.Operation)
	if e.Wait > 0 {
		fmt.Fprintf(&b, "a wait of %v", e.Wait.Round(time.Millisecond))
	} else {
		b.WriteString("the wait")
	}
	fmt.Fprintf(&b, " (%s) does not fit in %s (%v left); HubSpot announced ", e.Reason, e.Bound, e.Left.Round(time.Millisecond))
	var said []string
	if e.Max > 0 {
		said = append(said, fmt.Sprintf("a limit of %d per %v", e.Max, e.Interval))
	}
	if e.Err != nil {
		ra := "no Retry-After"
		if e.RetryAfter != "" {
			ra = fmt.Sprintf("Retry-After %q", e.RetryAfter)
		}
		said = append(said, strings.Join(strings.Fields("a 429 "+e.Policy), " ")+" with "+ra)
	}
	if len(said) == 0 {
		said = append(said, "nothing (the Limiter's own limit)")
	}
	b.WriteString(strings.Join(said, " and "))
	return b.String()
}

// Unwrap gives the last 429 answer, if any.
func (e *RateLimitError) Unwrap() error { return e.Err }

// Is matches ErrRateLimited, and context.DeadlineExceeded when the bound
// was the context's deadline.
func (e *RateLimitError) Is(target error) bool {
	return target == ErrRateLimited || target == context.DeadlineExceeded && e.Bound == pipeline.BoundDeadline
}

// rateLimitError is the pipeline's refused wait as the caller sees it.
func (c *Client) rateLimitError(o op, we *pipeline.WaitError) *RateLimitError {
	e := &RateLimitError{Operation: o.Name, Reason: WaitReason(we.Reason), Wait: we.Wait, Left: we.Left, Bound: we.Bound,
		Max: we.Max, Interval: we.Interval, RetryAfter: we.RetryAfter, Policy: we.Policy}
	if we.Response != nil {
		e.Err = newAPIError(we.Response, o.Name, c.token)
	}
	return e
}
