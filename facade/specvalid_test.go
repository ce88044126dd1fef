package facade

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/engagekit/hubspot-engagements/gen/emails/emailsspec"
	"github.com/engagekit/hubspot-engagements/gen/engagementsv1/engagementsv1spec"
	"github.com/engagekit/hubspot-engagements/gen/tasks/tasksspec"
)

func init() {
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// specRouters finds the operation of a request in the three specs (with
// their overlays), as the generated packages embed them.
var specRouters = sync.OnceValues(func() ([]routers.Router, error) {
	var out []routers.Router
	for _, get := range []func() (*openapi3.T, error){tasksspec.GetSpec, emailsspec.GetSpec, engagementsv1spec.GetSpec} {
		doc, err := get()
		if err != nil {
			return nil, err
		}
		doc.Servers = nil
		r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
})

// specCheck is a RoundTripper that checks every request the facade sends,
// and every answer it gets, against the specs: the client, the fake and the
// specs cannot drift apart unnoticed.
type specCheck struct {
	t    testing.TB
	base http.RoundTripper
}

func (s specCheck) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body.Close()
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	in, err := s.route(req, body)
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
	rs, err := specRouters()
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		route, params, err := r.FindRoute(req)
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
// forbid, so its silence in the other tests means something.
func TestSpecCheckCatchesDrift(t *testing.T) {
	tests := []struct{ method, url, body string }{
		{"POST", "http://x/engagements/v1/engagements", `{"engagement":{"type":"FAX"},"metadata":{}}`},
		{"GET", "http://x/engagements/v1/engagements/paged?limit=999", ""},
		{"POST", "http://x/crm/v3/objects/tasks/search", `{"filterGroups":[{"filters":[{"propertyName":"a","operator":"LIKE"}]}]}`},
		{"GET", "http://x/crm/v3/objects/notes", ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, tt.url, bytes.NewReader([]byte(tt.body)))
		if tt.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if _, err := (specCheck{t: t}).route(req, []byte(tt.body)); err == nil {
			t.Errorf("%s %s %s passed the spec check", tt.method, tt.url, tt.body)
		}
	}
}
