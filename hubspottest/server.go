package hubspottest

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Option configures a Server made by NewServer.
type Option func(*config)

type config struct {
	seed        int64
	now         func() time.Time
	addr        string
	rateMax     int
	rateWindow  time.Duration
	searchRate  int
	daily       int
	faults      Faults
	latency     time.Duration
	jitter      time.Duration
	portalID    int64
	hasFaults   bool
	hasDelaying bool
}

// WithSeed makes the records the Seed… helpers create, the default token and
// the injected faults a function of seed (default 1).
func WithSeed(seed int64) Option { return func(c *config) { c.seed = seed } }

// WithClock replaces the server's clock (default time.Now), so that record
// times and rate-limit windows are under the test's control.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithAddr makes the server listen on addr (for example "127.0.0.1:8080")
// instead of a free port of 127.0.0.1.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithRateLimit turns on HubSpot's rolling-window limit: at most max requests
// per window for each token (HubSpot: 100 or 190 per 10s). Search requests
// are not counted here; see WithSearchRateLimit.
func WithRateLimit(max int, window time.Duration) Option {
	return func(c *config) { c.rateMax, c.rateWindow = max, window }
}

// WithSearchRateLimit turns on the limit of search requests per second for
// each token (HubSpot: 5).
func WithSearchRateLimit(perSecond int) Option {
	return func(c *config) { c.searchRate = perSecond }
}

// WithDailyLimit turns on a daily limit of n requests per token; the count
// starts again at midnight UTC of the server's clock.
func WithDailyLimit(n int) Option { return func(c *config) { c.daily = n } }

// WithFaults turns on the injection of faults described by f.
func WithFaults(f Faults) Option { return func(c *config) { c.faults, c.hasFaults = f, true } }

// WithLatency delays every authenticated answer by base ± jitter (uniform,
// never below zero), drawn from the seeded generator. The wait ends
// early, without an answer, when the request's context is done.
func WithLatency(base, jitter time.Duration) Option {
	return func(c *config) { c.latency, c.jitter, c.hasDelaying = base, jitter, true }
}

// WithPortalID sets the portalId of v1 engagements (default 62515).
func WithPortalID(id int64) Option { return func(c *config) { c.portalID = id } }

// Server is a running fake of HubSpot's engagement APIs. Its methods are safe
// for concurrent use.
type Server struct {
	// URL is the base URL of the server, like "http://127.0.0.1:54321".
	URL string

	cfg     config
	srv     *httptest.Server
	handler http.Handler

	mu       sync.Mutex
	tokens   map[string]int
	token    string
	rng      *mrand.Rand // seeds records
	faultRNG *mrand.Rand
	requests []Request
	stats    FaultStats
	limits   limiter

	nextV1 int64
	nextV3 int64
	v1     map[int64]*engagement
	tasks  *objectStore
	emails *objectStore
}

// Request is one request the server answered (or dropped).
type Request struct {
	Method string     // the HTTP method
	Path   string     // the URL path, without the query
	Query  url.Values // the query parameters
	// Status is the HTTP status answered, 0 when the connection was closed
	// without an answer (a dropped request or a fault after commit).
	Status int
	// CorrelationID is the X-HubSpot-Correlation-Id of the answer.
	CorrelationID string
}

// NewServer starts a fake HubSpot on 127.0.0.1. Close it when done.
// It panics when WithAddr names an address it cannot listen on.
func NewServer(opts ...Option) *Server {
	cfg := config{seed: 1, now: time.Now, portalID: 62515}
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:      cfg,
		tokens:   map[string]int{},
		rng:      mrand.New(mrand.NewPCG(uint64(cfg.seed), 1)),
		faultRNG: mrand.New(mrand.NewPCG(uint64(cfg.faults.Seed), 2)),
		nextV1:   1<<32 + 1000,
		nextV3:   80_000_000_000,
		v1:       map[int64]*engagement{},
	}
	s.limits.windows = map[string][]time.Time{}
	s.limits.searches = map[string][]time.Time{}
	s.limits.days = map[string]dayCount{}
	s.limits.max, s.limits.window = cfg.rateMax, cfg.rateWindow
	s.tasks = newObjectStore(s, "tasks", "TASK", []string{"hs_task_subject", "hs_task_body"})
	s.emails = newObjectStore(s, "emails", "EMAIL", []string{"hs_email_subject", "hs_email_text", "hs_email_html"})
	s.token = fmt.Sprintf("pat-na1-%08x-0000-4000-8000-%012x", uint32(cfg.seed), s.rng.Uint64()&0xffffffffffff)
	s.AddToken(s.token)
	s.handler = s.middleware(s.routes())

	s.srv = httptest.NewUnstartedServer(s.handler)
	if cfg.addr != "" {
		l, err := net.Listen("tcp", cfg.addr)
		if err != nil {
			panic(fmt.Sprintf("hubspottest: listen on %s: %v", cfg.addr, err))
		}
		s.srv.Listener.Close()
		s.srv.Listener = l
	}
	s.srv.Start()
	s.URL = s.srv.URL
	return s
}

// Close stops the server and waits for the requests in flight.
func (s *Server) Close() { s.srv.Close() }

// Handler returns the server's whole HTTP handler (authentication, rate
// limits, faults and the API), to serve it elsewhere.
func (s *Server) Handler() http.Handler { return s.handler }

// Token returns the bearer token registered when the server started.
func (s *Server) Token() string { return s.token }

// AddToken registers token as a valid bearer token.
func (s *Server) AddToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.tokens[token]; !ok {
		s.tokens[token] = len(s.tokens) + 1
	}
}

// Requests returns a copy of the log of requests, oldest first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// ResetRequests empties the log of requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

func (s *Server) now() time.Time { return s.cfg.now() }

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	s.v1Routes(mux)
	for _, o := range []*objectStore{s.tasks, s.emails} {
		o.routes(mux)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, apiError{Message: "No route for " + r.Method + " " + r.URL.Path, Category: "OBJECT_NOT_FOUND"})
	})
	return mux
}

// uuid returns a random version 4 UUID.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type ctxKey struct{}

// reqInfo travels in the request context from the middleware to handlers.
type reqInfo struct {
	correlationID string
}

func correlationID(r *http.Request) string {
	if ri, ok := r.Context().Value(ctxKey{}).(*reqInfo); ok {
		return ri.correlationID
	}
	return ""
}

// apiError is HubSpot's error body; empty fields are left out.
type apiError struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category,omitempty"`
	ErrorType     string              `json:"errorType,omitempty"`
	PolicyName    string              `json:"policyName,omitempty"`
	GroupName     string              `json:"groupName,omitempty"`
	RequestID     string              `json:"requestId,omitempty"`
	Errors        []errorDetail       `json:"errors,omitempty"`
	Context       map[string][]string `json:"context,omitempty"`
}

type errorDetail struct {
	Message string `json:"message"`
	Code    string `json:"code,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, r *http.Request, status int, e apiError) {
	e.Status = "error"
	e.CorrelationID = correlationID(r)
	writeJSON(w, status, e)
}

// v1Error answers with the legacy v1 error shape (requestId, no category
// unless given).
func v1Error(w http.ResponseWriter, r *http.Request, status int, category, format string, args ...any) {
	writeError(w, r, status, apiError{Message: fmt.Sprintf(format, args...), Category: category, RequestID: uuid()})
}

// validationError answers 400 with HubSpot's v3 VALIDATION_ERROR shape.
func validationError(w http.ResponseWriter, r *http.Request, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	writeError(w, r, http.StatusBadRequest, apiError{
		Message: msg, Category: "VALIDATION_ERROR",
		Errors: []errorDetail{{Message: msg, Code: "INVALID_INPUT"}},
	})
}

func notFound(w http.ResponseWriter, r *http.Request, id string) {
	writeError(w, r, http.StatusNotFound, apiError{
		Message: "Object not found.  objectId are usually numeric.", Category: "OBJECT_NOT_FOUND",
		Context: map[string][]string{"id": {id}},
	})
}

// decodeBody decodes the JSON body of r into v, answering 400 when it fails.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 32<<20))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		validationError(w, r, "Invalid input JSON on line 1: %v", err)
		return false
	}
	return true
}

// intParam reads the integer query parameter name, answering 400 when it is
// not an integer in [1, max]. def is used when the parameter is absent.
func intParam(w http.ResponseWriter, r *http.Request, name string, def, max int64) (int64, bool) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, true
	}
	n, ok := parseInt(v)
	if !ok || n < 1 || n > max {
		validationError(w, r, "%s must be an integer between 1 and %d, got %q", name, max, v)
		return 0, false
	}
	return n, true
}

func parseInt(s string) (int64, bool) {
	n, ok := new(big.Int).SetString(strings.TrimSpace(s), 10)
	if !ok || !n.IsInt64() {
		return 0, false
	}
	return n.Int64(), true
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// rfc3339 formats t as HubSpot's v3 times: UTC with milliseconds.
func rfc3339(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
