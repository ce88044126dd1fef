package facade

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// DefaultBaseURL is HubSpot's API address.
const DefaultBaseURL = "https://api.hubapi.com"

// DefaultTimeout bounds one HTTP attempt when no timeout is set.
const DefaultTimeout = 30 * time.Second



// Client talks to HubSpot's v1 engagements API and the v3 emails and tasks
// APIs. It is safe for concurrent use; every goroutine that uses one Client
// shares its rate limiters.
type Client struct {
	// Engagements is the legacy v1 engagements API.
	Engagements *EngagementsService
	// Emails is the v3 email engagements API.
	Emails *ObjectService[Email]
	// Tasks is the v3 tasks API.
	Tasks *ObjectService[Task]

	server    string // base URL, ending in "/"
	hc        *http.Client
	token     string // static token; empty when an oauth2 transport authenticates
	userAgent string
	tr        *transport
	observer  Observer
	batchConc int
	maxBody   int64
}

type settings struct {
	token       string
	tokenSource oauth2.TokenSource
	httpClient  *http.Client
	baseURL     string
	userAgent   string
	timeout     time.Duration
	logger      *slog.Logger
	limit       limitSettings
	retry       RetryPolicy
	batchConc   int
	prefetch    bool
	observer    Observer
	maxBody     int64
}

// Option configures a Client in New. An option that is given an invalid
// value makes New fail.
type Option func(*settings) error

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
// (for example oauth2.Config.TokenSource with a background context), not
// one bound to a request's context.
func WithTokenSource(ts oauth2.TokenSource) Option {
	return func(s *settings) error {
		if ts == nil {
			return &ValidationError{Field: "tokenSource", Problem: "nil"}
		}
		s.tokenSource = ts
		return nil
	}
}

// WithHTTPClient sends requests through hc (its Transport, Jar and so on).
// The Client uses a copy, so hc itself is not changed; hc's Timeout is kept
// unless WithTimeout is also given.
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
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return &ValidationError{Field: "baseURL", Problem: "not an http(s) URL", Actual: base}
		}
		s.baseURL = base
		return nil
	}
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if ua == "" {
			return &ValidationError{Field: "userAgent", Problem: "empty"}
		}
		s.userAgent = ua
		return nil
	}
}

// WithTimeout bounds each HTTP attempt (default 30 s). Waits for the rate
// limiter and between retries are bounded by the caller's context instead.
func WithTimeout(d time.Duration) Option {
	return func(s *settings) error {
		if d <= 0 {
			return &ValidationError{Field: "timeout", Problem: "not positive", Actual: d}
		}
		s.timeout = d
		return nil
	}
}

// WithLogger sends one record per HTTP attempt to l, at debug level: method,
// path, status, attempt, wait and the rate-limit headers. Never the token,
// the query or a body.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		s.logger = l
		return nil
	}
}

// WithBatchConcurrency sets how many batch requests of one call run at once
// (default 10). They all share the rate limiter.
func WithBatchConcurrency(n int) Option {
	return func(s *settings) error {
		if n < 1 {
			return &ValidationError{Field: "batchConcurrency", Problem: "below 1", Limit: 1, Actual: n}
		}
		s.batchConc = n
		return nil
	}
}

// WithoutPrefetch makes All fetch a page only when the previous one is used
// up, instead of fetching the next page while the caller consumes one.
func WithoutPrefetch() Option {
	return func(s *settings) error {
		s.prefetch = false
		return nil
	}
}

// New returns a Client. It needs credentials: WithToken or WithTokenSource.
func New(opts ...Option) (*Client, error) {
	s := settings{
		baseURL:   DefaultBaseURL,
		userAgent: defaultUserAgent(),
		limit:     defaultLimits(),
		retry:     DefaultRetryPolicy(),
		batchConc: 10,
		prefetch:  true,
		maxBody:   DefaultMaxResponseBody,
	}
	for _, o := range opts {
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if s.token == "" && s.tokenSource == nil {
		return nil, &ValidationError{Field: "credentials", Problem: "required: use WithToken or WithTokenSource"}
	}
	if s.token != "" && s.tokenSource != nil {
		return nil, &ValidationError{Field: "credentials", Problem: "give WithToken or WithTokenSource, not both"}
	}
	hc := &http.Client{}
	if s.httpClient != nil {
		*hc = *s.httpClient
	}
	// HubSpot's API does not redirect. Following a redirect would send the
	// token to another address and turn a create (POST) into a GET: a 3xx
	// answer is returned as it is, and becomes an *APIError.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	switch {
	case s.timeout > 0:
		hc.Timeout = s.timeout
	case hc.Timeout == 0:
		hc.Timeout = DefaultTimeout
	}
	if s.tokenSource != nil {
		base := hc.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		hc.Transport = &oauth2.Transport{Source: oauth2.ReuseTokenSource(nil, s.tokenSource), Base: base}
	}
	server := s.baseURL
	if !strings.HasSuffix(server, "/") {
		server += "/"
	}
	c := &Client{
		server:    server,
		hc:        hc,
		token:     s.token,
		userAgent: s.userAgent,
		tr:        newTransport(hc, s.limit, s.retry, s.logger, s.observer),
		batchConc: s.batchConc,
		maxBody:   s.maxBody,
		observer:  s.observer,
	}
	c.Engagements = &EngagementsService{c: c, prefetch: s.prefetch}
	c.Emails = newObjectService(c, emailsAPI, func(o Object) Email { return Email{o} }, s.prefetch)
	c.Tasks = newObjectService(c, tasksAPI, func(o Object) Task { return Task{o} }, s.prefetch)
	return c, nil
}

// call is one API operation: its name (for errors and logs), how safe it is
// to repeat, and whether it is a search (its own rate limit).
type call struct {
	op   string
	kind opKind
}

// opKind says when a request may be sent again after a failure.
type opKind int

const (
	// opSafe requests (GET, PUT, PATCH, DELETE, search, batch read) are
	// retried after any transient failure.
	opSafe opKind = iota
	// opSearch is opSafe under the search rate limit.
	opSearch
	// opCreate requests are retried only when they provably never reached
	// HubSpot (connection refused, 429).
	opCreate
	// opUnsafe requests (batch update, batch archive) are POSTs that the
	// retry policy treats like creates.
	opUnsafe
)

// jsonBody encodes v for a request body.
func jsonBody(v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("hubspot: encoding request: %w", err)
	}
	return bytes.NewReader(b), nil
}

// do sends req (built by a generated New…Request function) through the
// transport, and decodes a 2xx JSON answer into out (unless out is nil or
// the answer has no body). Every other answer becomes an *APIError.
func (c *Client) do(ctx context.Context, cl call, req *http.Request, out any) (int, error) {
	req = req.WithContext(ctx)
	req.Header.Set("User-Agent", c.userAgent)
	req.Header.Set("Accept", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.tr.roundTrip(req, cl)
	if err != nil {
		var u *UncertainError
		if errors.As(err, &u) {
			return 0, err
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return 0, ctxErr
		}
		return 0, fmt.Errorf("hubspot: %s: %w", cl.op, redact(err, c.token))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newAPIError(resp)
		if cl.kind >= opCreate && (resp.StatusCode >= 500 || resp.StatusCode >= 300 && resp.StatusCode < 400) {
			// The request reached HubSpot, or a proxy that may have
			// forwarded it, and failed on the way back: it may have been
			// carried out.
			return resp.StatusCode, &UncertainError{Err: apiErr}
		}
		return resp.StatusCode, apiErr
	}
	defer resp.Body.Close()
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, c.maxBody))
		return resp.StatusCode, nil
	}
	body, err := readBounded(resp.Body, c.maxBody)
	if err == nil {
		err = json.Unmarshal(body, out)
		if err != nil {
			err = fmt.Errorf("hubspot: %s: decoding the answer: %w", cl.op, err)
		}
	} else {
		err = fmt.Errorf("hubspot: %s: reading the answer: %w", cl.op, redact(err, c.token))
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if cl.kind >= opCreate {
			// HubSpot answered with success, and the answer was lost on
			// the way: the request was carried out, but what it made is
			// unknown.
			return resp.StatusCode, &UncertainError{Err: err}
		}
		return resp.StatusCode, err
	}
	return resp.StatusCode, nil
}

// DefaultMaxResponseBody bounds a successful answer (WithMaxResponseBody).
// HubSpot's largest pages (1,000 v1 records, 200 search results with every
// property) are a few megabytes.
const DefaultMaxResponseBody = 64 << 20

// ErrResponseTooLarge is returned (wrapped) when a successful answer is
// larger than the Client reads (WithMaxResponseBody).
var ErrResponseTooLarge = errors.New("hubspot: answer larger than the client reads")

// readBounded reads r to its end, failing with ErrResponseTooLarge past max
// bytes.
func readBounded(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w (%d bytes)", ErrResponseTooLarge, max)
	}
	return b, nil
}

// WithMaxResponseBody bounds how much of a successful answer the Client
// reads (default DefaultMaxResponseBody, 64 MiB): a larger one fails with
// ErrResponseTooLarge instead of exhausting memory.
func WithMaxResponseBody(n int64) Option {
	return func(s *settings) error {
		if n < 1 {
			return &ValidationError{Field: "maxResponseBody", Problem: "below 1", Limit: 1, Actual: n}
		}
		s.maxBody = n
		return nil
	}
}

// redact removes the token from an error's text (a transport error can quote
// a request). The token is never put there by this package.
func redact(err error, token string) error {
	if token == "" || !strings.Contains(err.Error(), token) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(err.Error(), token, "REDACTED"), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// buildErr wraps an error of a generated request builder.
func buildErr(op string, err error) error {
	return fmt.Errorf("hubspot: %s: building the request: %w", op, err)
}

// send builds a request with build (given the base URL) and runs it with do.
func (c *Client) send(ctx context.Context, cl call, build func(server string) (*http.Request, error), out any) error {
	if ctx == nil {
		return &ValidationError{Field: "ctx", Problem: "nil context"}
	}
	req, err := build(c.server)
	if err != nil {
		return buildErr(cl.op, err)
	}
	_, err = c.do(ctx, cl, req, out)
	return err
}
