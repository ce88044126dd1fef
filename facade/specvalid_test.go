package facade

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/engagekit/hubspot-engagements/internal/specdocs"
)

func init() {
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// specCheck is a RoundTripper that checks every request the facade sends,
// and every answer it gets, against the specs: the client, the fake and the
// specs cannot drift apart unnoticed.
type specCheck struct {
	t    testing.TB
	base http.RoundTripper
}

func (s specCheck) RoundTrip(req *http.Request) (*http.Response, error) { return s.check(req, "") }

// prefixedSpecCheck is a specCheck for a server mounted under prefix.
type prefixedSpecCheck struct {
	specCheck
	prefix string
}

func (s prefixedSpecCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	return s.check(req, s.prefix)
}

// SpecCheckTransport returns a RoundTripper that sends through base and
// checks every request and every answer against the document of the
// operation it matches, failing t on any difference or on a request no
// document has. The server is mounted under prefix (for example
// "/hubspot"), which is left out of the path matched. It is exported for
// the contract tests of package facade_test, and exists only in tests.
func SpecCheckTransport(t testing.TB, prefix string, base http.RoundTripper) http.RoundTripper {
	return prefixedSpecCheck{specCheck{t, base}, prefix}
}

// check sends req and validates it and its answer; prefix is cut from the
// path matched.
func (s specCheck) check(req *http.Request, prefix string) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	matched := req
	if prefix != "" {
		matched = req.Clone(req.Context())
		path, ok := strings.CutPrefix(req.URL.Path, prefix+"/")
		if !ok {
			s.t.Errorf("%s %s: outside %s/", req.Method, req.URL.Path, prefix)
		}
		matched.URL.Path, matched.URL.RawPath = "/"+path, ""
	}
	in, err := s.route(matched, body)
	if err != nil {
		s.t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	resp, err := s.base.RoundTrip(req)
	if err != nil || in == nil {
		return resp, err
	}
	rb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(rb))
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header, Body: io.NopCloser(bytes.NewReader(rb)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	})
	if err != nil {
		s.t.Errorf("answer to %s %s (%d): %v", req.Method, req.URL.Path, resp.StatusCode, err)
	}
	return resp, nil
}

// route validates req against the operation it matches.
func (s specCheck) route(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	rs, err := specdocs.Routers()
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		route, params, err := r.Router.FindRoute(req)
		if err != nil {
			continue
		}
		check := req.Clone(req.Context())
		check.Body = io.NopCloser(bytes.NewReader(body))
		in := &openapi3filter.RequestValidationInput{Request: check, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		return in, openapi3filter.ValidateRequest(context.Background(), in)
	}
	return nil, errNoRoute
}

var errNoRoute = errorString("no operation of the specs matches the request")

type errorString string

func (e errorString) Error() string { return string(e) }

// TestSpecCheckCatchesDrift proves the checker fails on what the specs
// forbid, so its silence in the other tests means something: each request
// that breaks a document is matched to its operation and refused (want
// "invalid"), one that no document has is refused as such ("no route"), and
// the valid controls pass.
func TestSpecCheckCatchesDrift(t *testing.T) {
	tests := []struct{ method, url, body, want string }{
		{"POST", "http://x/engagements/v1/engagements", `{"engagement":{"type":"FAX"},"metadata":{}}`, "invalid"},
		{"GET", "http://x/engagements/v1/engagements/paged?limit=999", "", "invalid"},
		{"POST", "http://x/crm/v3/objects/tasks/search", `{"filterGroups":[{"filters":[{"propertyName":"a","operator":"LIKE"}]}]}`, "invalid"},
		// The generic v3 document serves notes, calls and meetings.
		{"GET", "http://x/crm/v3/objects/notes?limit=2", "", "ok"},
		{"GET", "http://x/crm/v3/objects/notes?limit=500", "", "invalid"},
		{"GET", "http://x/crm/v4/objects/notes", "", "no route"},
		{"GET", "http://x/crm/objects/2026-03/notes?limit=2&properties=hs_note_body&properties=hs_timestamp", "", "ok"},
		{"GET", "http://x/crm/objects/2026-03/notes?limit=two", "", "invalid"},
		{"POST", "http://x/crm/objects/2026-03/calls", `{"properties":{"hs_call_title":"Renewal"}}`, "ok"},
		{"POST", "http://x/crm/objects/2026-03/calls", `{"properties":{"hs_call_duration":38000}}`, "invalid"},
		{"POST", "http://x/crm/objects/2026-03/meetings/batch/read", `{"inputs":[{"id":"1"}],"properties":[],"propertiesWithHistory":[]}`, "ok"},
		{"POST", "http://x/crm/objects/2026-03/meetings/batch/read", `{"inputs":[{"id":1}]}`, "invalid"},
		{"PUT", "http://x/crm/objects/2026-03/notes/1/associations/contacts/2", `[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]`, "ok"},
		{"PUT", "http://x/crm/objects/2026-03/notes/1/associations/contacts/2", `[{"associationCategory":"BOGUS","associationTypeId":202}]`, "invalid"},
		{"GET", "http://x/crm/objects/2026-03/notes/1/associations/contacts", "", "no route"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, tt.url, bytes.NewReader([]byte(tt.body)))
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		_, err := (specCheck{t: t}).route(req, []byte(tt.body))
		got := "invalid"
		switch {
		case err == nil:
			got = "ok"
		case errors.Is(err, errNoRoute):
			got = "no route"
		}
		if got != tt.want {
			t.Errorf("%s %s %s: %s (%v), want %s", tt.method, tt.url, tt.body, got, err, tt.want)
		}
	}
}
