package facade

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const testToken = "pat-na1-secret-token-0000"

// stub is an httptest server under /prefix that answers with handler and
// counts and records what it saw.
type stub struct {
	*httptest.Server
	n    atomic.Int64
	mu   sync.Mutex
	reqs []seen
}

type seen struct {
	Method, Path, Query, Auth, Body string
}

func newStub(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, n int64)) *stub {
	t.Helper()
	s := &stub{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.n.Add(1)
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.Method, strings.TrimPrefix(r.URL.Path, "/prefix"), r.URL.RawQuery, r.Header.Get("Authorization"), string(body)})
		s.mu.Unlock()
		if !strings.HasPrefix(r.URL.Path, "/prefix/") {
			http.Error(w, "no prefix", http.StatusTeapot)
			return
		}
		handler(w, r, n)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *stub) count() int { return int(s.n.Load()) }

func (s *stub) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

// fakeClock is a clock for the limiter whose sleeps advance time at once.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Unix(1_700_000_000, 0)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if d > 0 {
		c.t = c.t.Add(d)
		c.slept += d
	}
	return nil
}

// withClock makes the client's limiter and retries use c.
func withClock(c *fakeClock) Option {
	return func(s *settings) error {
		s.limit.now, s.limit.sleep = c.now, c.sleep
		return nil
	}
}

func newClient(t *testing.T, base string, opts ...Option) *Client {
	t.Helper()
	c, err := New(append([]Option{WithToken(testToken), WithBaseURL(base)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// CreateInputs is createInputs, for the package's external tests.
var CreateInputs = createInputs

// createInputs are BatchCreate's inputs of props, without associations.
func createInputs(props []Properties) []CreateInput {
	in := make([]CreateInput, len(props))
	for i, p := range props {
		in[i].Properties = p
	}
	return in
}

// ReadAll is drain, for the package's external tests.
func ReadAll[T any](p *Pager[T]) ([]T, error) { return drain(p) }

// drain reads p to its end: every record, and the error that stopped it.
func drain[T any](p *Pager[T]) ([]T, error) {
	var out []T
	for v, err := range p.All() {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}
