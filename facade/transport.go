package facade

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"syscall"
	"time"
)

// RetryPolicy says how failed requests are sent again. Requests that are safe
// to repeat (GET, PUT, PATCH, DELETE, search, batch read) are retried after
// 5xx answers, timeouts and dropped connections, with exponential backoff
// and full jitter. Creates, batch updates and batch archives are retried
// only when they provably never reached HubSpot (the connection was refused,
// or HubSpot answered 429); any other failure of theirs is reported as an
// *UncertainError. A 429 is always waited out and retried, except under the
// DAILY policy.
type RetryPolicy struct {
	// MaxAttempts bounds the attempts of one request after transient
	// failures (default 5). 429 answers do not count against it.
	MaxAttempts int
	// MaxElapsed bounds the total time spent on one request, waits
	// included (default 2 minutes).
	MaxElapsed time.Duration
	// BaseDelay is the first backoff (default 200 ms); each retry doubles it.
	BaseDelay time.Duration
	// MaxDelay caps one backoff (default 10 s).
	MaxDelay time.Duration
	// MaxRateLimitWaits bounds how many 429 answers one request waits out
	// (default 20).
	MaxRateLimitWaits int
}

// DefaultRetryPolicy returns the policy New uses.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 5, MaxElapsed: 2 * time.Minute, BaseDelay: 200 * time.Millisecond, MaxDelay: 10 * time.Second, MaxRateLimitWaits: 20}
}

// WithRetryPolicy replaces the retry policy. MaxAttempts 1 turns retries of
// transient failures off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if p.MaxAttempts < 1 || p.MaxElapsed <= 0 || p.BaseDelay < 0 || p.MaxDelay < p.BaseDelay || p.MaxRateLimitWaits < 0 {
			return &ValidationError{Field: "retryPolicy", Problem: "MaxAttempts must be at least 1, MaxElapsed positive, MaxDelay at least BaseDelay", Limit: 1, Actual: p.MaxAttempts}
		}
		s.retry = p
		return nil
	}
}

// transport runs one logical request: it waits for the rate limiter, sends,
// and retries as the policy allows.
type transport struct {
	hc       *http.Client
	general  *window
	search   *spacer
	adaptive bool
	policy   RetryPolicy
	log      *slog.Logger
	sleep    func(context.Context, time.Duration) error
	now      func() time.Time
	jitter   func(time.Duration) time.Duration
}

func newTransport(hc *http.Client, ls limitSettings, p RetryPolicy, log *slog.Logger) *transport {
	return &transport{
		hc:       hc,
		general:  newWindow(ls.max, ls.window, ls),
		search:   newSpacer(ls.searchMax, ls.searchWindow, ls),
		adaptive: ls.adaptive,
		policy:   p,
		log:      log,
		sleep:    ls.sleep,
		now:      ls.now,
		jitter:   func(d time.Duration) time.Duration { return rand.N(d + 1) },
	}
}

// roundTrip sends req, retrying as the policy allows. It returns the last
// answer (which may be a non-2xx one) or the last error.
func (t *transport) roundTrip(req *http.Request, cl call) (*http.Response, error) {
	ctx := req.Context()
	start := t.now()
	attempts, waits429 := 0, 0
	var wait time.Duration // time waited before the next attempt
	for {
		wait1 := t.general.wait
		if cl.kind == opSearch {
			wait1 = t.search.wait
		}
		waited, err := wait1(ctx)
		if err != nil {
			return nil, err
		}
		wait += waited
		attempt := req
		if attempts+waits429 > 0 {
			if attempt, err = rewind(req); err != nil {
				return nil, err
			}
		}
		attempts++
		resp, err := t.hc.Do(attempt)
		t.logAttempt(ctx, req, cl, attempts+waits429, wait, resp, err)
		wait = 0
		if err == nil && t.adaptive && cl.kind != opSearch {
			t.general.observe(resp.Header)
		}

		if ctx.Err() != nil {
			if resp != nil {
				drain(resp)
			}
			if cl.kind >= opCreate {
				// The request was sent: it may have been carried out.
				return nil, &UncertainError{Err: ctx.Err()}
			}
			return nil, ctx.Err()
		}
		retry, delay := t.decide(cl, resp, err, attempts, &waits429)
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			attempts-- // 429s count against MaxRateLimitWaits instead
		}
		if !retry || (t.now().Sub(start)+delay) > t.policy.MaxElapsed {
			if err != nil && ctx.Err() == nil && cl.kind >= opCreate && !neverSent(err) {
				return nil, &UncertainError{Err: err}
			}
			return resp, err
		}
		if resp != nil {
			drain(resp)
		}
		if err := t.sleep(ctx, delay); err != nil {
			return nil, err
		}
		wait += delay
	}
}

// decide says whether to send the request again and after how long.
func (t *transport) decide(cl call, resp *http.Response, err error, attempts int, waits429 *int) (bool, time.Duration) {
	if err != nil {
		if cl.kind >= opCreate && !neverSent(err) {
			return false, 0
		}
		return attempts < t.policy.MaxAttempts, t.backoff(attempts)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		if *waits429 >= t.policy.MaxRateLimitWaits {
			return false, 0
		}
		policy, retryAfterHdr := peekPolicy(resp), retryAfter(resp.Header)
		if policy == "DAILY" {
			return false, 0
		}
		*waits429++
		if retryAfterHdr > 0 {
			return true, retryAfterHdr
		}
		if cl.kind == opSearch || policy == "SECONDLY" {
			return true, time.Second
		}
		// TEN_SECONDLY_ROLLING (or unnamed): the window is full; the
		// limiter makes the next attempt wait until it frees.
		t.general.fill(t.general.max)
		return true, 0
	case code >= 500:
		if cl.kind >= opCreate {
			return false, 0
		}
		return attempts < t.policy.MaxAttempts, t.backoff(attempts)
	}
	return false, 0
}

// backoff is exponential with full jitter: a random wait in [0, base·2^(n-1)].
func (t *transport) backoff(attempt int) time.Duration {
	d := t.policy.BaseDelay << (attempt - 1)
	if d > t.policy.MaxDelay || d <= 0 {
		d = t.policy.MaxDelay
	}
	return t.jitter(d)
}

// neverSent reports an error that proves the request never reached the
// server: the connection could not be made.
func neverSent(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// rewind gives a copy of req whose body can be read again.
func rewind(req *http.Request) (*http.Request, error) {
	r := req.Clone(req.Context())
	if req.Body != nil && req.GetBody != nil {
		b, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		r.Body = b
	}
	return r, nil
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
}

// peekPolicy reads the policyName of a 429 answer and leaves the body
// readable for the caller.
func peekPolicy(resp *http.Response) string {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var eb errorBody
	_ = json.Unmarshal(body, &eb)
	return eb.PolicyName
}

func (t *transport) logAttempt(ctx context.Context, req *http.Request, cl call, attempt int, wait time.Duration, resp *http.Response, err error) {
	if t.log == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", cl.op),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt),
		slog.Duration("wait", wait),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", redact(err, bearer(req)).Error()))
	} else {
		h := resp.Header
		attrs = append(attrs, slog.Int("status", resp.StatusCode),
			slog.String("ratelimit_max", h.Get("X-HubSpot-RateLimit-Max")),
			slog.String("ratelimit_remaining", h.Get("X-HubSpot-RateLimit-Remaining")),
			slog.String("ratelimit_interval_ms", h.Get("X-HubSpot-RateLimit-Interval-Milliseconds")),
			slog.String("ratelimit_daily_remaining", h.Get("X-HubSpot-RateLimit-Daily-Remaining")))
	}
	t.log.LogAttrs(ctx, slog.LevelDebug, "hubspot request", attrs...)
}

// bearer is the token of req's Authorization header, for redaction.
func bearer(req *http.Request) string {
	const p = "Bearer "
	if h := req.Header.Get("Authorization"); len(h) > len(p) {
		return h[len(p):]
	}
	return ""
}
