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
	"strconv"
	"syscall"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
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
	hc     *http.Client
	lim    Limiter
	policy RetryPolicy
	log    *slog.Logger
	obs    Observer
	sleep  func(context.Context, time.Duration) error
	now    func() time.Time
	jitter func(time.Duration) time.Duration
}

func newTransport(hc *http.Client, ls limitSettings, p RetryPolicy, log *slog.Logger, obs Observer) *transport {
	return &transport{
		hc:     hc,
		lim:    ls.build(),
		policy: p,
		log:    log,
		obs:    obs,
		sleep:  ls.sleep,
		now:    ls.now,
		jitter: func(d time.Duration) time.Duration { return rand.N(d + 1) },
	}
}

func (cl call) class() ratelimit.Class {
	if cl.kind == opSearch {
		return ratelimit.Search
	}
	return ratelimit.General
}

// roundTrip sends req, retrying as the policy allows. It returns the last
// answer (which may be a non-2xx one) or the last error.
func (t *transport) roundTrip(req *http.Request, cl call) (*http.Response, error) {
	ctx := req.Context()
	start := t.now()
	attempts, waits429 := 0, 0
	var before time.Duration // waited before the next attempt
	for {
		waited, err := t.lim.Wait(ctx, cl.class())
		before += waited
		if waited > 0 && t.obs.Wait != nil {
			t.obs.Wait(WaitEvent{Op: cl.op, Reason: WaitRateLimit, Duration: waited})
		}
		if err != nil {
			return nil, err
		}
		attempt := req
		if attempts+waits429 > 0 {
			if attempt, err = rewind(req); err != nil {
				return nil, err
			}
		}
		attempts++
		sent := t.now()
		resp, err := t.hc.Do(attempt)
		took := t.now().Sub(sent)
		var obs ratelimit.Observation
		if err == nil {
			policy := ""
			if resp.StatusCode == http.StatusTooManyRequests {
				policy = peekPolicy(resp)
			}
			obs = ratelimit.Observe(cl.class(), resp.StatusCode, resp.Header, policy, retryAfter(resp.Header, t.now()))
			t.lim.Observe(obs)
		}

		if ctx.Err() != nil {
			t.observeAttempt(req, cl, attempts+waits429, before, took, resp, err, false)
			if resp != nil {
				drain(resp)
			}
			if cl.kind >= opCreate {
				// The request was sent: it may have been carried out.
				return nil, &UncertainError{Err: ctx.Err()}
			}
			return nil, ctx.Err()
		}
		retry, delay, reason := t.decide(cl, resp, obs, err, attempts, &waits429)
		if resp != nil && resp.StatusCode == http.StatusTooManyRequests {
			attempts-- // 429s count against MaxRateLimitWaits instead
		}
		// A wait past what the policy has left fails now, with the answer
		// that asked for it (a far-future Retry-After included).
		if left := t.policy.MaxElapsed - t.now().Sub(start); retry && (delay < 0 || delay > left) {
			retry = false
		}
		t.observeAttempt(req, cl, attempts+waits429, before, took, resp, err, retry)
		before = 0
		if !retry {
			if err != nil && cl.kind >= opCreate && !neverSent(err) {
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
		before += delay
		if delay > 0 && t.obs.Wait != nil {
			t.obs.Wait(WaitEvent{Op: cl.op, Reason: reason, Duration: delay})
		}
	}
}

// decide says whether to send the request again, after how long and why.
func (t *transport) decide(cl call, resp *http.Response, obs ratelimit.Observation, err error, attempts int, waits429 *int) (bool, time.Duration, WaitReason) {
	if err != nil {
		if cl.kind >= opCreate && !neverSent(err) {
			return false, 0, 0
		}
		return attempts < t.policy.MaxAttempts, t.backoff(attempts), WaitBackoff
	}
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		if *waits429 >= t.policy.MaxRateLimitWaits || obs.Policy == "DAILY" {
			return false, 0, 0
		}
		*waits429++
		switch {
		case obs.RetryAfter > 0:
			return true, obs.RetryAfter, WaitRetryAfter
		case cl.kind == opSearch || obs.Policy == "SECONDLY":
			return true, time.Second, WaitRetryAfter
		}
		// TEN_SECONDLY_ROLLING (or unnamed): the limiter was told the
		// window is full, and makes the next attempt wait until it frees.
		return true, 0, WaitRateLimit
	case code >= 500:
		if cl.kind >= opCreate {
			return false, 0, 0
		}
		return attempts < t.policy.MaxAttempts, t.backoff(attempts), WaitBackoff
	}
	return false, 0, 0
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

func (t *transport) observeAttempt(req *http.Request, cl call, attempt int, waited, took time.Duration, resp *http.Response, err error, retry bool) {
	if t.log == nil && t.obs.Attempt == nil {
		return
	}
	ev := AttemptEvent{Op: cl.op, Method: req.Method, Path: req.URL.Path, Attempt: attempt, Retry: retry, Duration: took, Waited: waited,
		RateLimit: RateLimitHeaders{Max: -1, Remaining: -1, IntervalMillis: -1, DailyRemaining: -1}}
	if err != nil {
		ev.Err = redact(err, bearer(req))
	} else {
		ev.Status = resp.StatusCode
		h := resp.Header
		ev.RateLimit = RateLimitHeaders{Max: headerInt(h, "X-HubSpot-RateLimit-Max"), Remaining: headerInt(h, "X-HubSpot-RateLimit-Remaining"),
			IntervalMillis: headerInt(h, "X-HubSpot-RateLimit-Interval-Milliseconds"), DailyRemaining: headerInt(h, "X-HubSpot-RateLimit-Daily-Remaining")}
	}
	if t.obs.Attempt != nil {
		t.obs.Attempt(ev)
	}
	if t.log == nil {
		return
	}
	attrs := []slog.Attr{
		slog.String("op", ev.Op),
		slog.String("method", ev.Method),
		slog.String("path", ev.Path),
		slog.Int("attempt", ev.Attempt),
		slog.Bool("retry", ev.Retry),
		slog.Duration("wait", ev.Waited),
		slog.Duration("took", ev.Duration),
	}
	if ev.Err != nil {
		attrs = append(attrs, slog.String("error", ev.Err.Error()))
	} else {
		attrs = append(attrs, slog.Int("status", ev.Status),
			slog.Int("ratelimit_max", ev.RateLimit.Max),
			slog.Int("ratelimit_remaining", ev.RateLimit.Remaining),
			slog.Int("ratelimit_interval_ms", ev.RateLimit.IntervalMillis),
			slog.Int("ratelimit_daily_remaining", ev.RateLimit.DailyRemaining))
	}
	t.log.LogAttrs(req.Context(), slog.LevelDebug, "hubspot request", attrs...)
}

func headerInt(h http.Header, name string) int {
	n, err := strconv.Atoi(h.Get(name))
	if err != nil {
		return -1
	}
	return n
}

// bearer is the token of req's Authorization header, for redaction.
func bearer(req *http.Request) string {
	const p = "Bearer "
	if h := req.Header.Get("Authorization"); len(h) > len(p) {
		return h[len(p):]
	}
	return ""
}
