package hubspottest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/engagekit/hubspot-engagements/hubspottest"
	"github.com/engagekit/hubspot-engagements/internal/specdocs"
)

func init() {
	// Gateway pages are HTML; the specs declare them as text/html strings.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// validator is a RoundTripper that checks every answer against the specs
// with openapi3filter.ValidateResponse, and HubSpot's correlation id rules.
type validator struct {
	t    testing.TB
	base http.RoundTripper
}

func (v validator) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, err
	}
	v.t.Helper()
	if err := checkResponse(req, resp.StatusCode, resp.Header, body); err != nil {
		v.t.Errorf("%s %s → %d: %v\nbody: %.600s", req.Method, req.URL.Path, resp.StatusCode, err, body)
	}
	return resp, nil
}

type checkError string

func (e checkError) Error() string { return string(e) }

func checkResponse(req *http.Request, status int, h http.Header, body []byte) error {
	specs, err := specdocs.Routers()
	if err != nil {
		return err
	}
	cid := h.Get("X-HubSpot-Correlation-Id")
	if cid == "" {
		return checkError("no X-HubSpot-Correlation-Id header")
	}
	if status >= 400 && strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		var e struct{ CorrelationID, Status string }
		if json.Unmarshal(body, &e) != nil || e.CorrelationID != cid || e.Status != "error" {
			return checkError("error body without status \"error\" and the header's correlationId " + cid)
		}
	}
	for _, sp := range specs {
		route, params, err := sp.Router.FindRoute(req)
		if err != nil {
			continue
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
			Status:                 status,
			Header:                 h,
			Body:                   io.NopCloser(bytes.NewReader(body)),
			Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
		}
		return openapi3filter.ValidateResponse(context.Background(), in)
	}
	return checkError("no operation of the specs matches the request")
}

// client calls the fake through the validator.
type client struct {
	t     testing.TB
	srv   *hubspottest.Server
	token string
	hc    *http.Client
}

// start starts a fake closed at the end of the test and a validating client.
func start(t testing.TB, opts ...hubspottest.Option) (*hubspottest.Server, *client) {
	t.Helper()
	srv := hubspottest.New(t, opts...)
	return srv, &client{t: t, srv: srv, token: srv.Token(), hc: &http.Client{Transport: validator{t, http.DefaultTransport}, Timeout: 30 * time.Second}}
}

// unchecked is the client without the validator, for the pages in the
// middle of a long walk whose answers have the shape of the first page's
// and the last's, which are checked: validating 10,000 records against the
// spec is most of a cap test's time under -race.
func (c *client) unchecked() *client {
	u := *c
	u.hc = &http.Client{Timeout: c.hc.Timeout}
	return &u
}

// do sends a request (body encoded as JSON unless nil) and returns the answer.
func (c *client) do(method, path string, body any) (*http.Response, []byte, error) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, b, err
}

// call sends a request, fails the test unless the status is want, and
// decodes the answer into out (when not nil). It returns the answer.
func (c *client) call(method, path string, body any, want int, out any) *http.Response {
	c.t.Helper()
	resp, b, err := c.do(method, path, body)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if resp.StatusCode != want {
		c.t.Fatalf("%s %s: status %d, want %d; body %.500s", method, path, resp.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, b, err)
		}
	}
	return resp
}

// apiErr is HubSpot's error body, as tests read it.
type apiErr struct {
	Status        string              `json:"status"`
	Message       string              `json:"message"`
	CorrelationID string              `json:"correlationId"`
	Category      string              `json:"category"`
	SubCategory   string              `json:"subCategory"`
	ErrorType     string              `json:"errorType"`
	PolicyName    *string             `json:"policyName"`
	GroupName     string              `json:"groupName"`
	RequestID     string              `json:"requestId"`
	Context       map[string][]string `json:"context"`
	Errors        []struct {
		Message string              `json:"message"`
		Code    string              `json:"code"`
		In      string              `json:"in"`
		Context map[string][]string `json:"context"`
	} `json:"errors"`
}

// fail sends a request that must be refused with status want and returns
// the error body.
func (c *client) fail(method, path string, body any, want int) apiErr {
	c.t.Helper()
	var e apiErr
	c.call(method, path, body, want, &e)
	if e.Status != "error" || e.Message == "" || e.CorrelationID == "" {
		c.t.Errorf("%s %s: error body %+v lacks status, message or correlationId", method, path, e)
	}
	return e
}

// recorded reads a file of the shared recorded HubSpot answers, skipping the
// test when they are absent.
func recorded(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "shared", "fixtures", "recorded", name))
	if os.IsNotExist(err) {
		t.Skipf("recorded HubSpot answers not found (../../shared/fixtures/recorded/%s): skipping", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixedClock is a clock tests move by hand.
type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fixedClock {
	return &fixedClock{t: time.Date(2025, 3, 15, 14, 30, 0, 123e6, time.UTC)}
}

func (c *fixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fixedClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// keys returns the keys of a JSON object, to compare shapes.
func keys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// jsonKeys returns the keys of the JSON object b.
func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return keys(m)
}
