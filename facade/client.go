package facade

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/engagekit/hubspot-engagements/internal/pipeline"
	"github.com/engagekit/hubspot-engagements/internal/ratelimit"
)

// DefaultBaseURL is HubSpot's API address.
const DefaultBaseURL = "https://api.hubapi.com"

// DefaultTimeout bounds one HTTP attempt when no timeout is set.
const DefaultTimeout = 30 * time.Second

// DefaultMaxResponseBody bounds a successful answer (WithMaxResponseBody).
// HubSpot's largest pages (1,000 v1 records, 200 search results with every
// property) are a few megabytes.
const DefaultMaxResponseBody = 64 << 20

// Client talks to HubSpot's engagement APIs: the CRM object APIs of
// emails, tasks, notes, calls, meetings, communications and postal mail,
// and the legacy v1 engagements
// API, on the wire WithAPIVersion selects (v3 by default). It is safe for
// concurrent use; every goroutine that uses one Client shares its rate
// limiter.
type Client struct {
	// Engagements is the legacy v1 engagements API (on 2026-03, served on
	// the object APIs).
	Engagements *EngagementsService
	// Emails is the email engagements API.
	Emails *ObjectService[Email]
	// Tasks is the tasks API.
	Tasks *ObjectService[Task]
	// Notes is the notes API.
	Notes *ObjectService[Note]
	// Calls is the calls API.
	Calls *ObjectService[Call]
	// Meetings is the meetings API.
	Meetings *ObjectService[Meeting]
	// Communications is the communications API: WhatsApp, LinkedIn and
	// SMS messages logged on records.
	Communications *ObjectService[Communication]
	// PostalMail is the postal mail API.
	PostalMail *ObjectService[PostalMail]

	server    string // base URL, ending in "/"
	hc        *http.Client
	token     string // static token; empty when an OAuth 2.0 transport authenticates
	observer  Observer
	limiter   ratelimit.Limiter
	batchConc int
	maxBody   int64
	prefetch  bool
	version   APIVersion
}

// APIVersion returns the wire the Client speaks.
func (c *Client) APIVersion() APIVersion { return c.version }

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
		version:   APIv3,
	}
	for _, o := range opts {
		if err := o(&s); err != nil {
			return nil, err
		}
	}
	if s.token == "" && s.authWrap == nil {
		return nil, &ValidationError{Field: "credentials", Problem: "required: use WithToken or WithTokenSource"}
	}
	if s.token != "" && s.authWrap != nil {
		return nil, &ValidationError{Field: "credentials", Problem: "give WithToken or WithTokenSource, not both"}
	}
	if err := s.limit.check(); err != nil {
		return nil, err
	}
	hc := &http.Client{}
	if s.httpClient != nil {
		*hc = *s.httpClient
	}
	timeout := s.timeout
	if timeout == 0 {
		timeout = hc.Timeout
	}
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	lim := s.limit.build()
	hc.Transport = pipeline.New(pipeline.Config{
		Base:      hc.Transport,
		Wrap:      s.authWrap,
		Limiter:   lim,
		Policy:    pipeline.RetryPolicy(s.retry),
		Timeout:   timeout,
		MaxBody:   s.maxBody,
		Token:     s.token,
		UserAgent: s.userAgent,
		Hooks:     hooks(s.observer, s.logHook),
		Now:       s.limit.now,
		Sleep:     s.limit.sleep,
	})
	// The pipeline bounds each attempt; the http.Client must not bound the
	// whole call, waits and retries included.
	hc.Timeout = 0
	// HubSpot's API does not redirect. Following a redirect would send the
	// token to another address and turn a create (POST) into a GET: a 3xx
	// answer is returned as it is, and becomes an *APIError.
	hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	server := s.baseURL
	if !strings.HasSuffix(server, "/") {
		server += "/"
	}
	c := &Client{
		server:    server,
		hc:        hc,
		token:     s.token,
		observer:  s.observer,
		limiter:   lim,
		batchConc: s.batchConc,
		maxBody:   s.maxBody,
		prefetch:  s.prefetch,
		version:   s.version,
	}
	apis := wireAPIs(s.version)
	c.Emails = newObjectService(c, apis[Emails], func(o Object) Email { return Email{o} })
	c.Tasks = newObjectService(c, apis[Tasks], func(o Object) Task { return Task{o} })
	c.Notes = newObjectService(c, apis[Notes], func(o Object) Note { return Note{o} })
	c.Calls = newObjectService(c, apis[Calls], func(o Object) Call { return Call{o} })
	c.Meetings = newObjectService(c, apis[Meetings], func(o Object) Meeting { return Meeting{o} })
	c.Communications = newObjectService(c, apis[Communications], func(o Object) Communication { return Communication{o} })
	c.PostalMail = newObjectService(c, apis[PostalMails], func(o Object) PostalMail { return PostalMail{o} })
	c.Engagements = &EngagementsService{c: c}
	if wires[s.version].engagementsOnObjects {
		c.Engagements.objs = datedObjects(c, apis)
	}
	return c, nil
}

// both calls a then b; either may be nil.
func both[E any](a, b func(E)) func(E) {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	return func(e E) { a(e); b(e) }
}

// op is one API operation: its name (for errors, logs and events) and how
// the pipeline may repeat it.
type op = pipeline.Op

// opKind says how the pipeline may repeat an operation.
type opKind = pipeline.Kind

// The kinds of operation, for the retry policy.
const (
	opSafe   = pipeline.Safe
	opSearch = pipeline.Search
	opCreate = pipeline.Create
	opUnsafe = pipeline.Unsafe
)

// send builds a request with build (given the base URL), sends it through
// the pipeline, and decodes a 2xx JSON answer into out (unless out is nil
// or the answer has no body). Every other answer becomes an *APIError, a
// create's lost answer an *UncertainError.
func (c *Client) send(ctx context.Context, o op, build func(server string) (*http.Request, error), out any) error {
	if ctx == nil {
		return &ValidationError{Field: "ctx", Problem: "nil context"}
	}
	req, err := build(c.server)
	if err != nil {
		return fmt.Errorf("hubspot: %s: building the request: %w", o.Name, err)
	}
	resp, err := c.hc.Do(req.WithContext(pipeline.WithOp(ctx, o)))
	if err != nil {
		return c.transportError(ctx, o, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		apiErr := newAPIError(resp, o.Name, c.token)
		if o.Kind.MaybeSent() && (resp.StatusCode >= 500 || resp.StatusCode >= 300 && resp.StatusCode < 400) {
			// The request reached HubSpot, or a proxy that may have
			// forwarded it, and failed on the way back: it may have been
			// carried out.
			return &UncertainError{Err: apiErr}
		}
		return apiErr
	}
	if out == nil || resp.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, c.maxBody))
		return nil
	}
	body, err := readBounded(resp.Body, c.maxBody)
	if err == nil {
		// An answer that quotes the token (a per-input error of a batch
		// echoing a header, a record a careless integration wrote it
		// into) must not hand it to whatever prints the result.
		bearer := pipeline.Bearer(resp.Request)
		if bearer == c.token {
			bearer = "" // the same token: one scan of the body, not two
		}
		body = pipeline.RedactBytes(body, c.token, bearer)
		if err = json.Unmarshal(body, out); err != nil {
			err = fmt.Errorf("hubspot: %s: decoding the answer: %w", o.Name, err)
		}
	} else {
		err = fmt.Errorf("hubspot: %s: reading the answer: %w", o.Name, pipeline.Redact(err, c.token, pipeline.Bearer(resp.Request)))
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		}
		if o.Kind.MaybeSent() {
			// HubSpot answered with success, and the answer was lost on
			// the way: the request was carried out, but what it made is
			// unknown.
			return &UncertainError{Err: err}
		}
		return err
	}
	return nil
}

// transportError turns a failure without an answer into the error the
// caller gets: the context's error when it ended, an *UncertainError when a
// create may have been carried out, else the failure without the URL's
// query (net/http quotes the URL).
func (c *Client) transportError(ctx context.Context, o op, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var maybe *pipeline.MaybeSentError
	if errors.As(err, &maybe) {
		return &UncertainError{Err: maybe.Err}
	}
	var wait *pipeline.WaitError
	if errors.As(err, &wait) {
		return c.rateLimitError(o, wait)
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	return fmt.Errorf("hubspot: %s: %w", o.Name, pipeline.Redact(err, c.token))
}

// ErrResponseTooLarge is returned (wrapped) when a successful answer is
// larger than the Client reads (WithMaxResponseBody).
var ErrResponseTooLarge = errors.New("hubspot: answer larger than the client reads")

// readBounded reads r to its end, failing with ErrResponseTooLarge past
// max bytes.
func readBounded(r io.Reader, max int64) ([]byte, error) {
	var buf bytes.Buffer
	limit := max // read one byte past max to tell "larger" from "exactly max"
	if limit < math.MaxInt64 {
		limit++
	}
	if _, err := buf.ReadFrom(io.LimitReader(r, limit)); err != nil {
		return nil, err
	}
	if int64(buf.Len()) > max {
		return nil, fmt.Errorf("%w (%d bytes)", ErrResponseTooLarge, max)
	}
	return buf.Bytes(), nil
}

// jsonBody encodes v (a generated request type) for a request body.
func jsonBody(v any) (io.Reader, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("hubspot: encoding request: %w", err)
	}
	return bytes.NewReader(b), nil
}
