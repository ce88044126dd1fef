package gencheck

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/engagekit/hubspot-engagements/gen/objectsv3/objectsv3spec"
	"github.com/engagekit/hubspot-engagements/gen/v202603/oauth/oauthspec"
)

func init() {
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
}

// newRouter loads a spec as the facade's spec check and the fake do (the
// document must pass kin-openapi's validation to make a router).
func newRouter(t *testing.T, get func() (*openapi3.T, error)) routers.Router {
	t.Helper()
	doc := loadSpec(t, get)
	doc.Servers = nil
	r, err := legacy.NewRouter(doc, openapi3.DisableExamplesValidation())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestNewSpecsValidateRequestsAndAnswers builds a request validator from
// every new spec, as the facade's tests and the fake do, and checks requests
// and answers HubSpot takes and gives pass, and that what the overlays
// correct fails where it should.
func TestNewSpecsValidateRequestsAndAnswers(t *testing.T) {
	rs := map[string]routers.Router{"oauth": newRouter(t, oauthspec.GetSpec), "objectsv3": newRouter(t, objectsv3spec.GetSpec)}
	for _, o := range datedObjects {
		rs[o.name] = newRouter(t, o.load)
	}
	type answer struct {
		status      int
		contentType string
		body        string
	}
	tests := []struct {
		spec, method, url, contentType, body string
		ok                                   bool
		answer                               *answer
	}{
		{"2026-03", "POST", "/crm/objects/2026-03/notes", "application/json", `{"properties":{"hs_note_body":"b"}}`, true,
			&answer{201, "application/json", `{"id":"1","properties":{"hs_note_body":"b","hubspot_owner_id":null},"createdAt":"2026-03-02T10:00:00Z","updatedAt":"2026-03-02T10:00:00Z","archived":false}`}},
		{"2026-03", "POST", "/crm/objects/2026-03/notes", "application/json", `{"properties":{"hs_note_body":null}}`, false, nil},
		{"2026-03", "POST", "/crm/objects/2026-03/calls/batch/create", "application/json", `{"inputs":[{"properties":{"hs_call_title":"t"}}]}`, true, nil},
		{"2026-03", "GET", "/crm/objects/2026-03/meetings/1?properties=hs_meeting_title&properties=hs_meeting_body&associations=contacts", "", "", true,
			&answer{503, "text/html", "<html><body>Service Unavailable</body></html>"}},
		{"2026-03", "POST", "/crm/objects/2026-03/emails/search", "application/json", `{}`, true,
			&answer{429, "application/json", `{"status":"error","message":"You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId":"c","policyName":"SECONDLY"}`}},
		{"2026-03", "POST", "/crm/objects/2026-03/emails/search", "application/json", `{"sorts":[{"propertyName":"hs_timestamp","direction":"DESCENDING"}],"limit":100}`, true, nil},
		{"2026-03", "POST", "/crm/objects/2026-03/emails/search", "application/json", `{"sorts":["hs_timestamp"]}`, false, nil},
		{"2026-03", "POST", "/crm/objects/2026-03/tasks/batch/read", "application/json", `{"inputs":[{"id":"1"}]}`, true,
			&answer{207, "application/json", `{"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"m","context":{"ids":["1"]}}],"startedAt":"2026-03-02T10:00:00Z","completedAt":"2026-03-02T10:00:00Z"}`}},
		{"2026-03", "POST", "/crm/objects/2026-03/tasks/batch/upsert", "application/json", `{"inputs":[{"id":"ext-1","idProperty":"ext_id","properties":{"hs_task_subject":"s"}}]}`, true, nil},
		{"2026-03", "PUT", "/crm/objects/2026-03/notes/1/associations/default/contacts/2", "", "", true, nil},
		{"oauth", "POST", "/oauth/2026-03/token", "application/x-www-form-urlencoded", "grant_type=refresh_token&refresh_token=r&client_id=i&client_secret=s", true,
			&answer{400, "application/json", `{"status":"BAD_REFRESH_TOKEN","message":"missing or unknown refresh token","correlationId":"c"}`}},
		{"oauth", "POST", "/oauth/2026-03/token", "application/x-www-form-urlencoded", "grant_type=password", false, nil},
		{"objectsv3", "POST", "/crm/v3/objects/notes", "application/json", `{"properties":{"hs_note_body":"b"},"associations":[{"to":{"id":"7"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}]}`, true, nil},
		{"objectsv3", "POST", "/crm/v3/objects/notes", "application/json", `{"associations":[]}`, false, nil},
		{"objectsv3", "GET", "/crm/v3/objects/calls/1/associations/contacts?limit=501", "", "", false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.spec+" "+tt.method+" "+tt.url+" "+tt.body, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, "http://x"+tt.url, strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			route, params, err := rs[tt.spec].FindRoute(req)
			if err != nil {
				t.Fatalf("no route: %v", err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			err = openapi3filter.ValidateRequest(context.Background(), in)
			if tt.ok && err != nil {
				t.Errorf("refused: %v", err)
			}
			if !tt.ok && err == nil {
				t.Error("accepted")
			}
			if tt.answer == nil {
				return
			}
			h := http.Header{}
			h.Set("Content-Type", tt.answer.contentType)
			err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
				RequestValidationInput: in, Status: tt.answer.status, Header: h,
				Body:    io.NopCloser(bytes.NewReader([]byte(tt.answer.body))),
				Options: &openapi3filter.Options{IncludeResponseStatus: true},
			})
			if err != nil {
				t.Errorf("answer %d refused: %v", tt.answer.status, err)
			}
		})
	}
}
