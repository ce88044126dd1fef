// Package pipeline is the request pipeline under the facade: an
// http.RoundTripper chain, in the spirit of azcore's policies, that every
// request of a Client goes through. From the outside in:
//
//   - retry: waits for the rate limiter before each attempt, tells it what
//     each answer said, reads the body of a successful answer to a request
//     it may repeat (so that a failure while reading it is retried like one
//     before the headers), and sends the request again as its RetryPolicy
//     and the operation's Kind allow (a create only when it provably never
//     reached HubSpot). Every wait fits in what the request has left of
//     MaxElapsed and of its context; one that would not fails at once (a
//     *WaitError for a rate-limit wait);
//   - headers: the bearer token (for a static token), User-Agent, Accept;
//   - timeout: bounds each attempt, its wait for an OAuth 2.0 token and its
//     answer's body included;
//   - the OAuth 2.0 transport, when there is one, over the caller's.
//
// The facade names the operation of each request with WithOp and reads the
// typed events through Hooks. Nothing here knows HubSpot's API beyond its
// rate-limit and error headers.
package pipeline

import (
	"context"
	"io"
	"net/http"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// Kind says when a request may be sent again after a failure.
type Kind int

const (
	// Safe requests (GET, PUT, PATCH, DELETE, batch read) are retried
	// after any transient failure.
	Safe Kind = iota
	// Search requests are Safe, under the search rate limit.
	Search
	// Create requests are retried only when they provably never reached
	// HubSpot (connection refused, 429): any other failure may have
	// created the record.
	Create
	// Unsafe requests (batch update, batch archive) are POSTs that are
	// retried like creates.
	Unsafe
)

// MaybeSent reports whether a failure of a request of this kind after it
// was sent leaves its outcome unknown.
func (k Kind) MaybeSent() bool { return k >= Create }

// Class is the rate-limit class of requests of this kind.
func (k Kind) Class() ratelimit.Class {
	if k == Search {
		return ratelimit.Search
	}
	return ratelimit.General
}

// Op names one API operation of the facade ("tasks.list") and its Kind.
type Op struct {
	Name string
	Kind Kind
}

type opKey struct{}

// WithOp returns ctx carrying op: the pipeline reads it from each request.
func WithOp(ctx context.Context, op Op) context.Context {
	return context.WithValue(ctx, opKey{}, op)
}

// OpOf returns the operation ctx carries (a Safe operation named "request"
// when none).
func OpOf(ctx context.Context) Op {
	if op, ok := ctx.Value(opKey{}).(Op); ok {
		return op
	}
	return Op{Name: "request", Kind: Safe}
}

// Config assembles a pipeline.
type Config struct {
	// Base sends one attempt (http.DefaultTransport when nil).
	Base http.RoundTripper
	// Wrap, when set, wraps Base: the OAuth 2.0 transport, which must
	// authenticate each attempt. The attempt's timeout bounds its wait for
	// a token too.
	Wrap func(http.RoundTripper) http.RoundTripper
	// Limiter paces the attempts.
	Limiter ratelimit.Limiter
	// Policy says how failures are retried.
	Policy RetryPolicy
	// Timeout bounds each attempt, answer body included (0: none).
	Timeout time.Duration
	// MaxBody bounds how much of a successful answer the retry stage reads
	// (0: no bound); the caller refuses a larger answer.
	MaxBody int64
	// Token is a static bearer token ("" when Wrap authenticates).
	Token string
	// UserAgent is sent with every attempt.
	UserAgent string
	// Hooks receive the typed events.
	Hooks Hooks
	// Now, Sleep and Jitter replace the clock and the randomness, for
	// tests.
	Now    func() time.Time
	Sleep  func(context.Context, time.Duration) error
	Jitter func(time.Duration) time.Duration
}

// New returns the pipeline as a RoundTripper, for an http.Client's
// Transport.
func New(c Config) http.RoundTripper {
	if c.Base == nil {
		c.Base = http.DefaultTransport
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Sleep == nil {
		c.Sleep = ratelimit.Sleep
	}
	if c.Jitter == nil {
		c.Jitter = fullJitter
	}
	if c.Limiter == nil {
		c.Limiter = ratelimit.NewLocal(ratelimit.Config{})
	}
	inner := c.Base
	if c.Wrap != nil {
		inner = c.Wrap(inner)
	}
	return &retry{cfg: c, next: &headers{next: &timeout{next: inner, d: c.Timeout}, token: c.Token, userAgent: c.UserAgent}}
}

// headers sets the headers every attempt carries.
type headers struct {
	next             http.RoundTripper
	token, userAgent string
}

func (h *headers) RoundTrip(req *http.Request) (*http.Response, error) {
	if h.userAgent != "" {
		req.Header.Set("User-Agent", h.userAgent)
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+h.token)
	}
	return h.next.RoundTrip(req)
}

// timeout bounds one attempt, its answer's body included: the deadline
// ends when the body is closed.
type timeout struct {
	next http.RoundTripper
	d    time.Duration
}

func (t *timeout) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.d <= 0 {
		return t.next.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t.d)
	resp, err := t.next.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}
