package facade

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/engagekit/hubspot-engagements/internal/pipeline"
)

// Option configures a Client in New. An option that is given an invalid
// value makes New fail with a *ValidationError.
type Option func(*settings) error

type settings struct {
	token      string
	authWrap   func(http.RoundTripper) http.RoundTripper // OAuth 2.0 transport, from WithTokenSource
	httpClient *http.Client
	baseURL    string
	userAgent  string
	timeout    time.Duration
	logHook    func(AttemptEvent) // from WithLogger
	limit      limitSettings
	retry      RetryPolicy
	batchConc  int
	prefetch   bool
	observer   Observer
	maxBody    int64
	version    APIVersion
}

// WithToken authenticates every request with a static bearer token: a
// private-app access token or a service key.
func WithToken(token string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(token) == "" {
			return &ValidationError{Field: "token", Problem: "empty"}
		}
		s.token = token
		return nil
	}
}

// WithTokenSource authenticates with OAuth 2.0 access tokens from ts. The
// Client caches the token and asks ts for a new one only when it has expired,
// once however many requests run at the same time. Pass a long-lived source
// (for example oauth2.Config.TokenSource with a background context, and
// OAuthEndpoint), not one bound to a request's context.
//
// A request waits for a token no longer than its context: when the token
// endpoint does not answer, the call fails when its context ends, and the
// fetch goes on for the requests after it (bound the fetch itself with the
// source's HTTP client, oauth2.HTTPClient in its context, given a Timeout).
// The errors of a failed fetch carry none of the token request's secrets:
// the client secret, refresh token, code and tokens that x/oauth2 quotes
// from the endpoint's answer are replaced with REDACTED.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(s *settings) error {
		if ts == nil {
			return &ValidationError{Field: "tokenSource", Problem: "nil"}
		}
		fetch := &tokenFetch{src: oauth2.ReuseTokenSource(nil, redactingSource{ts})}
		s.authWrap = func(next http.RoundTripper) http.RoundTripper {
			return &oauthTransport{fetch: fetch, base: next}
		}
		return nil
	}
}

// WithHTTPClient sends requests through hc's Transport (and Jar). The
// Client uses a copy, so hc itself is not changed. hc's Timeout becomes the
// per-attempt timeout unless WithTimeout is also given; hc's CheckRedirect
// is replaced: HubSpot's API does not redirect, and the Client follows no
// redirect (a 3xx answer is an *APIError).
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return &ValidationError{Field: "httpClient", Problem: "nil"}
		}
		s.httpClient = hc
		return nil
	}
}

// WithBaseURL sends requests to base instead of https://api.hubapi.com. A
// path prefix is kept: "http://127.0.0.1:8080/hubspot" sends
// "/hubspot/crm/v3/objects/tasks".
func WithBaseURL(base string) Option {
	return func(s *settings) error {
		u, err := url.Parse(base)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			return &ValidationError{Field: "baseURL", Problem: "not an http(s) URL without credentials", Actual: redactURL(base)}
		}
		s.baseURL = base
		return nil
	}
}

// redactURL hides credentials in a URL given by mistake.
func redactURL(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		return u.Redacted()
	}
	if len(raw) > 200 {
		return raw[:200] + "…"
	}
	return raw
}

// WithUserAgent sets the User-Agent header of every request (default
// "hubspot-engagements-go/" and Version(), "devel" for a build with no
// module version).
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if ua == "" {
			return &ValidationError{Field: "userAgent", Problem: "empty"}
		}
		s.userAgent = ua
		return nil
	}
}

// WithTimeout bounds each HTTP attempt, its answer's body included (default
// 30 s). Waits for the rate limiter and between retries are bounded by the
// caller's context and the RetryPolicy instead.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return &ValidationError{Field: "timeout", Problem: "not positive", Actual: d}
		}
		s.timeout = d
		return nil
	}
}

// WithLogger sends one record per HTTP attempt to l, at debug level:
// operation, method, path, status, attempt, the wait before it, its
// duration and the rate-limit headers. Never the token, the query or a
// body. For progress and metrics, WithObserver gives the same as typed
// events.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return &ValidationError{Field: "logger", Problem: "nil"}
		}
		s.logHook = func(ev AttemptEvent) {
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
			l.LogAttrs(context.Background(), slog.LevelDebug, "hubspot request", attrs...)
		}
		return nil
	}
}

// WithBatchConcurrency sets how many batch requests of one call run at once
// (default 10). They all share the rate limiter.
func WithBatchConcurrency(n int) Option {
	return atLeastOne("batchConcurrency", n, func(s *settings) { s.batchConc = n })
}

// WithoutPrefetch makes All fetch a page only when the previous one is used
// up, instead of fetching the next page while the caller consumes one.
func WithoutPrefetch() Option {
	return func(s *settings) error {
		s.prefetch = false
		return nil
	}
}

// WithMaxResponseBody bounds how much of a successful answer the Client
// reads (default DefaultMaxResponseBody, 64 MiB): a larger one fails with
// ErrResponseTooLarge instead of exhausting memory.
func WithMaxResponseBody(n int64) Option {
	return atLeastOne("maxResponseBody", n, func(s *settings) { s.maxBody = n })
}

// atLeastOne is an Option that refuses n below 1 as field and otherwise
// applies set.
func atLeastOne[N int | int64](field string, n N, set func(*settings)) Option {
	return func(s *settings) error {
		if n < 1 {
			return &ValidationError{Field: field, Problem: "below 1", Limit: 1, Actual: n}
		}
		set(s)
		return nil
	}
}

// RetryPolicy says how failed requests are sent again. Requests that are
// safe to repeat (GET, PUT, PATCH, DELETE, search, batch read) are retried
// after 5xx answers, timeouts and dropped connections, before or while
// their answer is read, with exponential backoff and full jitter. Creates,
// batch updates and batch archives are retried only when they provably never
// reached HubSpot (the connection was refused, or HubSpot answered 429); any
// other failure of theirs is an *UncertainError. A 429 is waited out and
// retried, except under the DAILY policy. A zero field takes its default
// (see DefaultRetryPolicy).
//
// Every wait of a request (for the Limiter, a Retry-After, a backoff) fits
// in MaxElapsed and in the caller's context: a wait that would not fails the
// request at once, a rate-limit wait with a *RateLimitError saying what
// HubSpot announced, a backoff with the failure it would have retried.
type RetryPolicy struct {
	// MaxAttempts bounds the attempts of one request after transient
	// failures (default 5; 1 turns retries off). 429 answers do not count
	// against it.
	MaxAttempts int
	// MaxElapsed bounds the total time spent on one request, waits
	// included (default 2 minutes).
	MaxElapsed time.Duration
	// BaseDelay is the first backoff (default 200 ms); each retry doubles it.
	BaseDelay time.Duration
	// MaxDelay caps one backoff (default 10 s, or BaseDelay when larger).
	MaxDelay time.Duration
	// MaxRateLimitWaits bounds how many 429 answers one request waits out
	// (default 20; a negative value: none, a 429 fails at once).
	MaxRateLimitWaits int
}

// DefaultRetryPolicy returns the policy New uses: 5 attempts, 2 minutes in
// all, backoff from 200 ms doubling up to 10 s, 20 waits for 429s.
func DefaultRetryPolicy() RetryPolicy { return RetryPolicy(pipeline.DefaultRetryPolicy()) }

// WithRetryPolicy replaces the retry policy; its zero fields take the
// defaults. MaxAttempts 1 turns retries of transient failures off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		r, err := pipeline.RetryPolicy(p).Resolve()
		if err != nil {
			pe := err.(*pipeline.PolicyError)
			return &ValidationError{Field: "retryPolicy." + pe.Field, Problem: pe.Problem, Actual: pe.Actual}
		}
		s.retry = RetryPolicy(r)
		return nil
	}
}
