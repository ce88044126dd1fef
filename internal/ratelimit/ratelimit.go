// Package ratelimit paces requests under HubSpot's rate limits: the rolling
// per-app window (100 or 190 requests per 10 s, learnt from HubSpot's
// headers) and the search limit (5 per second). It holds the Limiter
// interface the pipeline paces with (facade.Limiter, the public contract,
// converts to it), and Local, the in-process implementation every Client
// uses unless it is given another.
package ratelimit

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Class is which of HubSpot's limits a request counts against.
type Class int

const (
	// General requests count against the rolling per-app window.
	General Class = iota
	// Search requests count against the search limit (5 per second), and
	// not against the rolling window.
	Search
)

// String names the class, for logs.
func (c Class) String() string {
	if c == Search {
		return "search"
	}
	return "general"
}

// Observation is what one HubSpot answer said about the limits
// (facade.LimitObservation documents the fields): Max and Interval are 0,
// Remaining -1, when the answer did not say.
type Observation struct {
	Class       Class
	Status, Max int
	Interval    time.Duration
	Remaining   int
	Policy      string
	RetryAfter  time.Duration
}

// WindowFull reports whether the answer says the rolling window is full
// and HubSpot did not say how long to wait: a 429 of a general request
// that is not a SECONDLY or DAILY refusal and has no Retry-After.
func (o Observation) WindowFull() bool {
	return o.Status == http.StatusTooManyRequests && o.Class == General &&
		o.Policy != "SECONDLY" && o.Policy != "DAILY" && o.RetryAfter <= 0
}

// The largest limit an answer's headers are taken to announce: a larger Max
// (a limiter keeps one start per request of its window) or a longer
// Interval (which overflows a Duration past 292 years) is taken as these.
// HubSpot's largest limit is 250 per 10 s.
const (
	MaxAnnounced = 10_000
	MaxInterval  = 24 * time.Hour
)

// Observe reads an answer's rate-limit headers into an Observation.
func Observe(class Class, status int, h http.Header, policy string, retryAfter time.Duration) Observation {
	o := Observation{Class: class, Status: status, Remaining: -1, Policy: policy, RetryAfter: retryAfter}
	max, err1 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Max"))
	ms, err2 := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Interval-Milliseconds"))
	if err1 == nil && err2 == nil && max > 0 && ms > 0 {
		o.Max, o.Interval = min(max, MaxAnnounced), time.Duration(min(ms, int(MaxInterval/time.Millisecond)))*time.Millisecond
	}
	if rem, err := strconv.Atoi(h.Get("X-HubSpot-RateLimit-Remaining")); err == nil && rem >= 0 {
		o.Remaining = rem
	}
	return o
}

// Limiter decides when a request may start. One Limiter may serve many
// Clients (and, for a shared implementation, many processes): they then
// share one budget. Implementations are safe for concurrent use.
type Limiter interface {
	// Wait blocks until a request of class c may start, counts its start,
	// and returns how long it waited. It returns the context's error when
	// the context ends first, having counted nothing.
	Wait(ctx context.Context, c Class) (time.Duration, error)
	// Observe is told, after every answer, what it said about the limits:
	// the limit HubSpot announces (which the limiter may follow, up and
	// down), how much of the window other users of the token took, and
	// 429s (WindowFull).
	Observe(o Observation)
}

// PastDeadlineError is returned by a Wait that would end after its
// context's deadline: it returns at once, having counted nothing, as
// golang.org/x/time/rate's Limiter.Wait does. It matches
// context.DeadlineExceeded.
type PastDeadlineError struct {
	// Wait is how much longer the request would have had to wait.
	Wait time.Duration
}

func (e *PastDeadlineError) Error() string {
	return fmt.Sprintf("rate limit: the wait (%v) would end after the context's deadline", e.Wait)
}

// Is matches context.DeadlineExceeded.
func (e *PastDeadlineError) Is(target error) bool { return target == context.DeadlineExceeded }

// PastDeadline returns a *PastDeadlineError when a wait of d would end after
// ctx's deadline, for a Limiter that must not wait past it.
func PastDeadline(ctx context.Context, d time.Duration) error {
	if dl, ok := ctx.Deadline(); ok && d > 0 && d > time.Until(dl) {
		return &PastDeadlineError{Wait: d}
	}
	return nil
}
