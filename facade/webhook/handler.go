package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the options.
const (
	// DefaultMaxBody bounds a delivery's body. HubSpot sends up to 100
	// events a request and a property value may hold 65,536 characters:
	// 8 MiB holds a full batch of such values, escaped, with room to spare.
	DefaultMaxBody = 8 << 20
	// DefaultMaxAge is how old (or how far ahead of this host's clock) the
	// X-HubSpot-Request-Timestamp of a v3 signature may be: HubSpot's
	// instructions say to refuse requests older than five minutes.
	DefaultMaxAge = 5 * time.Minute
	// DefaultTimeout is how long HubSpot waits for the answer to a
	// delivery before it counts it failed and retries: 5 seconds (HubSpot's
	// webhooks API, "Retries"). A delivery's X-HubSpot-Timeout-Millis
	// shortens it when it is shorter.
	DefaultTimeout = 5 * time.Second
)

// answerMargin is how long before HubSpot's timeout the Handler answers,
// to leave time for the answer to travel: a tenth of the timeout, at most
// half a second.
func answerMargin(timeout time.Duration) time.Duration { return min(timeout/10, 500*time.Millisecond) }

// Func is the application's part of a delivery: it gets the events not
// handled before (in the order sent) and returns nil once they are safely
// kept. An error, or no answer before ctx's deadline, makes the Handler
// answer 5xx, and HubSpot delivers the events again later.
type Func func(ctx context.Context, events []Event) error

// Option configures a Handler made by New. An option given an invalid value
// makes New fail with a *ConfigError.
type Option func(*config) error

type config struct {
	maxBody int64
	maxAge  time.Duration
	timeout time.Duration
	store   Store
	url     string
	legacy  bool
	logger  *slog.Logger
}

// ConfigError is an invalid argument of New or of an Option: which one,
// what is wrong and the value found. (The package does not import facade,
// so that hubspottest can use it; the shape is facade.ValidationError's.)
type ConfigError struct {
	Field   string // the argument: "secret", "maxBody", …
	Problem string // what is wrong with it
	Actual  any    // the value given; never the secret
}

// Error names the argument and what is wrong with it.
func (e *ConfigError) Error() string {
	if e.Actual == nil {
		return "webhook: " + e.Field + ": " + e.Problem
	}
	return fmt.Sprintf("webhook: %s: %s (got %v)", e.Field, e.Problem, e.Actual)
}

func invalid(field, problem string, actual any) error {
	return &ConfigError{Field: field, Problem: problem, Actual: actual}
}

// WithMaxBody bounds a delivery's body to n bytes (DefaultMaxBody by
// default); a longer body is refused with 413 before it is read further.
func WithMaxBody(n int64) Option {
	return func(c *config) error {
		if n < 2 {
			return invalid("maxBody", "must be at least 2 bytes", n)
		}
		c.maxBody = n
		return nil
	}
}

// WithMaxAge sets how far the timestamp of a v3 signature may be from this
// host's clock (DefaultMaxAge by default).
func WithMaxAge(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return invalid("maxAge", "must be positive", d)
		}
		c.maxAge = d
		return nil
	}
}

// WithTimeout sets how long HubSpot waits for an answer (DefaultTimeout by
// default): the Handler answers before then, whatever the application is
// doing.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 10*time.Millisecond {
			return invalid("timeout", "must be at least 10ms", d)
		}
		c.timeout = d
		return nil
	}
}

// WithStore sets where handled events are remembered (by default a
// MemoryStore of DefaultMemoryKeys keys, which a restart forgets).
func WithStore(s Store) Option {
	return func(c *config) error {
		if s == nil {
			return invalid("store", "required", nil)
		}
		c.store = s
		return nil
	}
}

// WithURL sets the URL HubSpot calls (the app's target URL, without
// query), for a receiver behind a proxy that changes the scheme, the host
// or the path: signatures are checked against it plus the query the
// request came with. Without it the Handler uses the request's Host and
// target, and https when the connection is TLS or X-Forwarded-Proto says
// https.
func WithURL(target string) Option {
	return func(c *config) error {
		u, err := url.Parse(target)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			return invalid("url", "must be an absolute http(s) URL without query or fragment", target)
		}
		c.url = target
		return nil
	}
}

// WithLegacySignatures accepts the v1 and v2 signatures
// (X-HubSpot-Signature with X-HubSpot-Signature-Version) of a request that
// has no v3 signature. They carry no timestamp, so a recorded request can
// be replayed at any time later; leave them off unless the app is one
// HubSpot signs only that way.
func WithLegacySignatures() Option {
	return func(c *config) error {
		c.legacy = true
		return nil
	}
}

// WithLogger logs each refused or failed delivery (at Info and Warn): the
// reason and the status answered, never a signature or the secret.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// Handler is an http.Handler for HubSpot's webhook deliveries: it checks
// each request's signature, decodes its events, drops those handled
// before, hands the others to the application and answers 2xx only once
// the application kept them. See the package documentation.
type Handler struct {
	cfg    config
	secret string
	fn     Func

	mu       sync.Mutex
	inflight map[string]bool // keys of events being handled by a delivery
	wg       sync.WaitGroup
}

// New returns a Handler checking signatures with the app's client secret
// and handing new events to fn.
func New(secret string, fn Func, opts ...Option) (*Handler, error) {
	if secret == "" {
		return nil, invalid("secret", "required", nil)
	}
	if fn == nil {
		return nil, invalid("fn", "required", nil)
	}
	cfg := config{maxBody: DefaultMaxBody, maxAge: DefaultMaxAge, timeout: DefaultTimeout}
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.store == nil {
		cfg.store = NewMemoryStore(0)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, secret: secret, fn: fn, inflight: map[string]bool{}}, nil
}

// Wait returns when every call of the application the Handler made has
// returned, including one still running after its delivery was answered
// (a Func that outlived its deadline).
func (h *Handler) Wait() { h.wg.Wait() }

// refusal is an answer other than success.
type refusal struct {
	status int
	reason string
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, reason string) {
	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelWarn
	}
	h.cfg.logger.Log(r.Context(), level, "webhook delivery refused", "status", status, "reason", reason)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	io.WriteString(w, reason+"\n")
}

// ServeHTTP handles one delivery. It answers 204 when every event is
// handled (now or before); 401 when the request is unsigned, wrongly
// signed or stale; 400 when it is signed but not HubSpot's payload; 405
// for a method other than POST; 413 for a body over the bound; 409 when
// another delivery is handling one of its events; 500 when the application
// or the store failed and 503 when the application did not answer in time
// (HubSpot retries these). The application is called only for a verified,
// well-formed delivery with new events.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	deadline := time.Now().Add(h.timeout(r))
	// Bound the reading of the body too: a slow sender cannot hold the
	// delivery past the deadline. Servers that cannot set one refuse.
	_ = http.NewResponseController(w).SetReadDeadline(deadline)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, "method not allowed")
		return
	}
	check, ref := h.signatureCheck(r)
	if ref != nil {
		h.refuse(w, r, ref.status, ref.reason)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			h.refuse(w, r, http.StatusRequestEntityTooLarge, "body over "+strconv.FormatInt(h.cfg.maxBody, 10)+" bytes")
			return
		}
		h.refuse(w, r, http.StatusBadRequest, "body could not be read")
		return
	}
	if !check(body) {
		h.refuse(w, r, http.StatusUnauthorized, "signature does not match")
		return
	}
	events, err := Decode(body)
	if err != nil {
		h.refuse(w, r, http.StatusBadRequest, err.Error())
		return
	}
	ctx, cancel := context.WithDeadline(r.Context(), deadline)
	defer cancel()
	if ref := h.deliver(ctx, events); ref != nil {
		h.refuse(w, r, ref.status, ref.reason)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// timeout is how long the Handler may take over r: HubSpot's timeout (the
// configured one, or the request's X-HubSpot-Timeout-Millis when shorter)
// less the answer's margin.
func (h *Handler) timeout(r *http.Request) time.Duration {
	t := h.cfg.timeout
	if ms, err := strconv.ParseInt(r.Header.Get(HeaderTimeout), 10, 64); err == nil && ms > 0 && ms < t.Milliseconds() {
		t = time.Duration(ms) * time.Millisecond
	}
	return t - answerMargin(t)
}

// signatureCheck reads r's signature headers and returns the check of the
// body they call for, or the refusal of a request unsigned or stale.
func (h *Handler) signatureCheck(r *http.Request) (func(body []byte) bool, *refusal) {
	if sig := r.Header.Get(HeaderSignatureV3); sig != "" {
		ts := r.Header.Get(HeaderTimestamp)
		ms, err := strconv.ParseInt(ts, 10, 64)
		if err != nil {
			return nil, &refusal{http.StatusUnauthorized, "v3 signature without a valid " + HeaderTimestamp}
		}
		if age := time.Since(time.UnixMilli(ms)); age > h.cfg.maxAge || age < -h.cfg.maxAge {
			return nil, &refusal{http.StatusUnauthorized, "stale timestamp: " + age.Round(time.Second).String() + " from this host's clock, over " + h.cfg.maxAge.String()}
		}
		uri := h.requestURI(r)
		return func(body []byte) bool { return equalBase64(sig, SignV3(h.secret, r.Method, uri, body, ts)) }, nil
	}
	sig, version := r.Header.Get(HeaderSignature), r.Header.Get(HeaderSignatureVersion)
	if sig == "" {
		return nil, &refusal{http.StatusUnauthorized, "unsigned: no " + HeaderSignatureV3}
	}
	if !h.cfg.legacy {
		return nil, &refusal{http.StatusUnauthorized, "only a " + version + " signature, and v1/v2 signatures are not accepted"}
	}
	switch version {
	case "v1":
		return func(body []byte) bool { return equalHex(sig, SignV1(h.secret, body)) }, nil
	case "v2":
		uri := h.requestURI(r)
		return func(body []byte) bool { return equalHex(sig, SignV2(h.secret, r.Method, uri, body)) }, nil
	}
	return nil, &refusal{http.StatusUnauthorized, "unknown " + HeaderSignatureVersion}
}

// requestURI is the URL HubSpot called, as it signs it (see WithURL).
func (h *Handler) requestURI(r *http.Request) string {
	if h.cfg.url != "" {
		if r.URL.RawQuery != "" {
			return h.cfg.url + "?" + r.URL.RawQuery
		}
		return h.cfg.url
	}
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	target := r.RequestURI
	if !strings.HasPrefix(target, "/") {
		target = r.URL.RequestURI()
	}
	return scheme + "://" + r.Host + target
}

// deliver hands the delivery's new events to the application and records
// them once it succeeded.
func (h *Handler) deliver(ctx context.Context, events []Event) *refusal {
	fresh, keys, ref := h.claim(ctx, events)
	if ref != nil || len(fresh) == 0 {
		return ref
	}
	done := make(chan error, 1)
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		err := h.call(ctx, fresh)
		if err == nil {
			// Even past the deadline: a retry then finds them handled.
			err = h.cfg.store.Add(context.WithoutCancel(ctx), keys)
			if err != nil {
				err = storeError{err}
			}
		}
		// Released before the answer: a redelivery right after the 2xx
		// must find the events handled, not in flight.
		h.release(keys)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil {
			return nil
		}
		if _, ok := errors.AsType[storeError](err); ok {
			return &refusal{http.StatusInternalServerError, "events handled but not recorded: " + err.Error()}
		}
		if ctx.Err() != nil {
			return &refusal{http.StatusServiceUnavailable, "the application did not finish before HubSpot's timeout"}
		}
		return &refusal{http.StatusInternalServerError, "the application failed"}
	case <-ctx.Done():
		return &refusal{http.StatusServiceUnavailable, "the application did not finish before HubSpot's timeout"}
	}
}

// call runs the application, turning a panic into an error (net/http
// would have recovered it in the handler's goroutine; here it is another).
func (h *Handler) call(ctx context.Context, events []Event) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("webhook: the application panicked: %v", r)
		}
	}()
	return h.fn(ctx, events)
}

type storeError struct{ err error }

func (e storeError) Error() string { return e.err.Error() }
func (e storeError) Unwrap() error { return e.err }

// claim returns the events not handled before (each key once) and marks
// their keys in flight; it refuses the delivery when another one is
// handling one of them, or when the store fails.
func (h *Handler) claim(ctx context.Context, events []Event) ([]Event, []string, *refusal) {
	keys := make([]string, 0, len(events))
	var fresh []Event
	h.mu.Lock()
	for i := range events {
		k := events[i].Key()
		if slices.Contains(keys, k) {
			continue // the same event twice in one delivery
		}
		if h.inflight[k] {
			h.mu.Unlock()
			h.release(keys)
			return nil, nil, &refusal{http.StatusConflict, "another delivery is handling event " + strconv.FormatInt(events[i].EventID, 10)}
		}
		h.inflight[k] = true
		keys = append(keys, k)
		fresh = append(fresh, events[i])
	}
	h.mu.Unlock()
	seen, err := h.cfg.store.Seen(ctx, keys)
	if err != nil || len(seen) != len(keys) {
		h.release(keys)
		return nil, nil, &refusal{http.StatusInternalServerError, "the store of handled events failed"}
	}
	var newKeys, old []string
	n := 0
	for i, k := range keys {
		if seen[i] {
			old = append(old, k)
			continue
		}
		fresh[n] = fresh[i]
		n++
		newKeys = append(newKeys, k)
	}
	h.release(old)
	return fresh[:n], newKeys, nil
}

func (h *Handler) release(keys []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, k := range keys {
		delete(h.inflight, k)
	}
}
