package hubspottest

import (
	"crypto/rand"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/gen/objectsv3"
)

// Option configures a Server made by New or NewServer.
type Option func(*config)

type config struct {
	seed         int64
	now          func() time.Time
	addr         string
	rateMax      int
	rateWindow   time.Duration
	searchMax    int
	searchWindow time.Duration
	daily        int
	faults       Faults
	latency      time.Duration
	jitter       time.Duration
	portalID     int64
	hasFaults    bool
	hasDelaying  bool
	props        map[string][]Property // custom properties by object type
	indexLag     time.Duration         // how far searches trail writes (WithIndexLag)
	err          error                 // the first option that cannot apply
}

// fail records the first invalid option.
func (c *config) fail(err error) {
	if c.err == nil {
		c.err = err
	}
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
	return func(c *config) {
		if max < 0 || max > 0 && window <= 0 {
			c.fail(fmt.Errorf("hubspottest: WithRateLimit(%d, %v): want max >= 0 and a positive window", max, window))
		}
		c.rateMax, c.rateWindow = max, window
	}
}

// WithSearchRateLimit turns on the rolling-window limit of search requests:
// at most max per window for each token (HubSpot: 5 per second). It takes
// the same arguments as WithRateLimit, here and in the facade.
func WithSearchRateLimit(max int, window time.Duration) Option {
	return func(c *config) {
		if max < 0 || max > 0 && window <= 0 {
			c.fail(fmt.Errorf("hubspottest: WithSearchRateLimit(%d, %v): want max >= 0 and a positive window", max, window))
		}
		c.searchMax, c.searchWindow = max, window
	}
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

// WithProperty declares a custom property p of objectType (one of
// ObjectTypes(), like "tasks"), beside the properties HubSpot defines, which
// the server knows already. A unique property (p.Unique) refuses a value
// another record of the type has. Declaring a property HubSpot defines
// replaces its definition.
func WithProperty(objectType string, p Property) Option {
	return func(c *config) {
		if err := p.check(objectType); err != nil {
			c.fail(err)
			return
		}
		if c.props == nil {
			c.props = map[string][]Property{}
		}
		c.props[objectType] = append(c.props[objectType], p)
	}
}

// Server is a running fake of HubSpot's engagement APIs. Its methods are safe
// for concurrent use.
type Server struct {
	// URL is the base URL of the server, like "http://127.0.0.1:54321".
	URL string

	cfg     config
	srv     *httptest.Server
	handler http.Handler
	specs   *specRoutes

	mu       sync.Mutex
	tokens   map[string]int
	token    string
	rng      *mrand.Rand // seeds records
	faultRNG *mrand.Rand
	requests []Request
	stats    FaultStats
	limits   limiter

	nextID  int64                   // the next record's id, on every wire
	v1      map[int64]*engagement   // every record as the v1 API sees it
	v1order []*engagement           // the same, in id order (ids only grow)
	objects map[string]*objectStore // by object type: "tasks", "emails", …
	tasks   *objectStore
	emails  *objectStore
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

// New starts a fake HubSpot on 127.0.0.1 for the test t and closes it when
// the test and its subtests end (t.Cleanup). An option that cannot apply,
// or an address it cannot listen on, fails the test.
func New(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s, err := start(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// NewServer starts a fake HubSpot on 127.0.0.1. Close it when done. It
// panics when an option cannot apply or WithAddr names an address it cannot
// listen on; New reports these to the test instead.
func NewServer(opts ...Option) *Server {
	s, err := start(opts)
	if err != nil {
		panic(err.Error())
	}
	return s
}

func start(opts []Option) (*Server, error) {
	cfg := config{seed: 1, now: time.Now, portalID: 62515}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.err != nil {
		return nil, cfg.err
	}
	specs, err := loadRoutes()
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:      cfg,
		specs:    specs,
		tokens:   map[string]int{},
		rng:      mrand.New(mrand.NewPCG(uint64(cfg.seed), 1)),
		faultRNG: mrand.New(mrand.NewPCG(uint64(cfg.faults.Seed), 2)),
		nextID:   80_000_000_000,
		v1:       map[int64]*engagement{},
		objects:  map[string]*objectStore{},
	}
	s.limits.windows = map[string][]time.Time{}
	s.limits.searches = map[string][]time.Time{}
	s.limits.days = map[string]dayCount{}
	s.limits.max, s.limits.window = cfg.rateMax, cfg.rateWindow
	for _, typ := range objectTypes {
		s.objects[typ] = newObjectStore(s, typ, cfg.props[typ])
	}
	s.tasks, s.emails = s.objects["tasks"], s.objects["emails"]
	s.token = fmt.Sprintf("pat-na1-%08x-0000-4000-8000-%012x", uint32(cfg.seed), s.rng.Uint64()&0xffffffffffff)
	s.AddToken(s.token)
	s.handler = s.middleware(s.routes())

	s.srv = httptest.NewUnstartedServer(s.handler)
	if cfg.addr != "" {
		l, err := net.Listen("tcp", cfg.addr)
		if err != nil {
			return nil, fmt.Errorf("hubspottest: listen on %s: %w", cfg.addr, err)
		}
		s.srv.Listener.Close()
		s.srv.Listener = l
	}
	s.srv.Start()
	s.URL = s.srv.URL
	return s, nil
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

// newID returns the next record's id (above 2^32, as HubSpot's are). The
// server must be locked.
func (s *Server) newID() int64 {
	id := s.nextID
	s.nextID++
	return id
}

// addEngagement adds e, whose id is the newest, to the v1 records. The
// server must be locked.
func (s *Server) addEngagement(e *engagement) {
	s.v1[e.id] = e
	s.v1order = append(s.v1order, e)
}

// now is the server's clock, to the millisecond, as HubSpot keeps times.
func (s *Server) now() time.Time { return s.cfg.now().Truncate(time.Millisecond) }

// routes mounts the generated server interfaces of every document on one
// mux: their routes and parameters come from the documents, every request
// is checked against its document first (checkRequest) and a parameter the
// generated code cannot read is answered like any invalid request. Every
// interface serves the one store.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mw := []func(http.Handler) http.Handler{s.checkRequest}
	engagementsv1.HandlerWithOptions(v1API{s}, engagementsv1.StdHTTPServerOptions{BaseRouter: mux, Middlewares: convert[engagementsv1.MiddlewareFunc](mw), ErrorHandlerFunc: paramError})
	objectsv3.HandlerWithOptions(objectsAPI{objectsOf{s, v3}}, objectsv3.StdHTTPServerOptions{BaseRouter: mux, Middlewares: convert[objectsv3.MiddlewareFunc](mw), ErrorHandlerFunc: paramError})
	// Each dated version is one generic package, mounted by mountDated
	// (wire_dated.go): adding a version is a line there.
	s.mountDated(mux, mw)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, http.StatusNotFound, apiError{Message: "No route for " + r.Method + " " + r.URL.Path, Category: "OBJECT_NOT_FOUND"})
	})
	return mux
}

// convert gives middlewares the named type of a generated package.
func convert[M ~func(http.Handler) http.Handler](mw []func(http.Handler) http.Handler) []M {
	out := make([]M, len(mw))
	for i, m := range mw {
		out[i] = M(m)
	}
	return out
}

// uuid returns a random version 4 UUID.
func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
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
