package gencheck

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/gen/objectsv3"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
	"github.com/engagekit/hubspot-engagements/gen/v202603"
	"github.com/engagekit/hubspot-engagements/gen/v202603/oauth"
)

// seen is one request as the server received it.
type seen struct {
	method, path, query, contentType, body string
}

// capture is an httptest server that answers {} and remembers every request.
type capture struct {
	mu   sync.Mutex
	reqs []seen
}

func (c *capture) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	c.mu.Lock()
	c.reqs = append(c.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Get("Content-Type"), string(b)})
	c.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}

// TestNewClientsKeepBasePathAndSpeakTheWire calls the new generated clients
// (2026-03, objectsv3, v3 batch upsert, OAuth) under a base URL with a path
// prefix, and checks the method, path, query and body each one sends.
func TestNewClientsKeepBasePathAndSpeakTheWire(t *testing.T) {
	rec := &capture{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	base := srv.URL + "/prefix"
	ctx := context.Background()
	must := func(c any, err error) any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	dc := must(v202603.NewClient(base)).(*v202603.Client)
	ob := must(objectsv3.NewClient(base)).(*objectsv3.Client)
	t3 := must(tasks.NewClient(base)).(*tasks.Client)
	e3 := must(emails.NewClient(base)).(*emails.Client)
	oa := must(oauth.NewClient(base)).(*oauth.Client)
	ptr := func(s ...string) *[]string { return &s }
	str := func(s string) *string { return &s }
	grant := oauth.TokenFormdataBodyGrantTypeRefreshToken
	calls := []struct {
		want seen
		call func() (*http.Response, error)
	}{
		{seen{"GET", "/prefix/crm/objects/2026-03/notes/42", "associations=contacts&associations=companies&properties=hs_note_body&properties=hs_timestamp", "", ""},
			func() (*http.Response, error) {
				return dc.Get(ctx, "notes", "42", &v202603.GetParams{Properties: ptr("hs_note_body", "hs_timestamp"), Associations: ptr("contacts", "companies")})
			}},
		{seen{"POST", "/prefix/crm/objects/2026-03/notes", "", "application/json",
			`{"associations":[{"to":{"id":"7"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}],"properties":{"hs_note_body":"b"}}`},
			func() (*http.Response, error) {
				return dc.Create(ctx, "notes", v202603.SimplePublicObjectInputForCreate{
					Properties: map[string]string{"hs_note_body": "b"},
					Associations: &[]v202603.PublicAssociationsForObject{{To: v202603.PublicObjectID{ID: "7"},
						Types: []v202603.AssociationSpec{{AssociationCategory: v202603.HUBSPOTDEFINED, AssociationTypeID: 202}}}},
				})
			}},
		{seen{"POST", "/prefix/crm/objects/2026-03/notes", "", "application/json", `{"properties":{"hs_note_body":"no associations"}}`},
			func() (*http.Response, error) {
				return dc.Create(ctx, "notes", v202603.SimplePublicObjectInputForCreate{Properties: map[string]string{"hs_note_body": "no associations"}})
			}},
		{seen{"POST", "/prefix/crm/objects/2026-03/tasks/batch/upsert", "", "application/json", `{"inputs":[{"id":"ext-1","idProperty":"ext_id","properties":{"hs_task_subject":"s"}}]}`},
			func() (*http.Response, error) {
				return dc.BatchUpsert(ctx, "tasks", v202603.BatchInputSimplePublicObjectBatchInputUpsert{Inputs: []v202603.SimplePublicObjectBatchInputUpsert{
					{ID: "ext-1", IDProperty: str("ext_id"), Properties: map[string]string{"hs_task_subject": "s"}}}})
			}},
		{seen{"POST", "/prefix/crm/objects/2026-03/emails/search", "", "application/json", `{"sorts":[{"direction":"DESCENDING","propertyName":"hs_timestamp"}]}`},
			func() (*http.Response, error) {
				dir := v202603.DESCENDING
				return dc.Search(ctx, "emails", v202603.PublicObjectSearchRequest{Sorts: &[]struct {
					Direction    *v202603.PublicObjectSearchRequestSortsDirection `json:"direction,omitempty"`
					PropertyName *string                                          `json:"propertyName,omitempty"`
				}{{Direction: &dir, PropertyName: str("hs_timestamp")}}})
			}},
		{seen{"PUT", "/prefix/crm/objects/2026-03/calls/1/associations/default/contacts/2", "", "", ""},
			func() (*http.Response, error) { return dc.AssociateDefault(ctx, "calls", "1", "contacts", "2") }},
		{seen{"DELETE", "/prefix/crm/objects/2026-03/meetings/1/associations/companies/3", "", "", ""},
			func() (*http.Response, error) { return dc.Dissociate(ctx, "meetings", "1", "companies", "3") }},
		{seen{"GET", "/prefix/crm/v3/objects/notes/42", "properties=hs_note_body%2Chs_timestamp", "", ""},
			func() (*http.Response, error) {
				return ob.Get(ctx, "notes", "42", &objectsv3.GetParams{Properties: &[]string{"hs_note_body,hs_timestamp"}})
			}},
		{seen{"POST", "/prefix/crm/v3/objects/calls/batch/upsert", "", "application/json", `{"inputs":[{"id":"x","idProperty":"p","properties":{}}]}`},
			func() (*http.Response, error) {
				return ob.BatchUpsert(ctx, "calls", objectsv3.BatchInputSimplePublicObjectBatchInputUpsert{Inputs: []objectsv3.SimplePublicObjectBatchInputUpsert{
					{ID: "x", IDProperty: str("p"), Properties: map[string]string{}}}})
			}},
		{seen{"PUT", "/prefix/crm/v3/objects/meetings/1/associations/contacts/2/meeting_event_to_contact", "", "", ""},
			func() (*http.Response, error) {
				return ob.Associate(ctx, "meetings", "1", "contacts", "2", "meeting_event_to_contact")
			}},
		{seen{"POST", "/prefix/crm/v3/objects/tasks/batch/upsert", "", "application/json", `{"inputs":[{"id":"x","properties":{"a":"b"}}]}`},
			func() (*http.Response, error) {
				return t3.BatchUpsertTasks(ctx, tasks.BatchInputSimplePublicObjectBatchInputUpsert{Inputs: []tasks.SimplePublicObjectBatchInputUpsert{
					{ID: "x", Properties: map[string]string{"a": "b"}}}})
			}},
		{seen{"POST", "/prefix/crm/v3/objects/emails", "", "application/json",
			`{"associations":[{"to":{"id":"9"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":198}]}],"properties":{"hs_email_subject":"s"}}`},
			func() (*http.Response, error) {
				return e3.CreateEmailEngagement(ctx, emails.SimplePublicObjectInputForCreate{
					Properties: map[string]string{"hs_email_subject": "s"},
					Associations: &[]emails.PublicAssociationsForObject{{To: emails.PublicObjectID{ID: "9"},
						Types: []emails.AssociationSpec{{AssociationCategory: emails.HUBSPOTDEFINED, AssociationTypeID: 198}}}},
				})
			}},
		{seen{"POST", "/prefix/crm/v3/objects/emails/batch/upsert", "", "application/json", `{"inputs":[]}`},
			func() (*http.Response, error) {
				return e3.BatchUpsertEmailEngagements(ctx, emails.BatchInputSimplePublicObjectBatchInputUpsert{Inputs: []emails.SimplePublicObjectBatchInputUpsert{}})
			}},
		{seen{"POST", "/prefix/oauth/2026-03/token", "", "application/x-www-form-urlencoded", "client_id=id&grant_type=refresh_token&refresh_token=r"},
			func() (*http.Response, error) {
				return oa.TokenWithFormdataBody(ctx, oauth.TokenFormdataRequestBody{GrantType: &grant, RefreshToken: str("r"), ClientID: str("id")})
			}},
	}
	for _, c := range calls {
		resp, err := c.call()
		if err != nil {
			t.Fatalf("%s %s: %v", c.want.method, c.want.path, err)
		}
		resp.Body.Close()
	}
	if len(rec.reqs) != len(calls) {
		t.Fatalf("server saw %d requests, want %d", len(rec.reqs), len(calls))
	}
	for i, c := range calls {
		got := rec.reqs[i]
		if c.want.contentType == "application/x-www-form-urlencoded" {
			// Form fields come in map order: compare them as values.
			g, _ := url.ParseQuery(got.body)
			w, _ := url.ParseQuery(c.want.body)
			if g.Encode() == w.Encode() {
				got.body = c.want.body
			}
		}
		if got != c.want {
			t.Errorf("request %d:\n got %+v\nwant %+v", i, got, c.want)
		}
	}
}

// TestAllGeneratedServersShareOneMux registers the net/http servers of every
// generated package (v1, v3 tasks and emails, the generic v3 objects, the
// 2026-03 objects, OAuth) on one mux, as a fake serving every wire
// would, and checks that none of their routes conflict (ServeMux panics when
// two patterns overlap with neither more specific) and that each request
// reaches the package that owns its path.
func TestAllGeneratedServersShareOneMux(t *testing.T) {
	m := http.NewServeMux()
	engagementsv1.HandlerFromMux(nil, m)
	tasks.HandlerFromMux(nil, m)
	emails.HandlerFromMux(nil, m)
	objectsv3.HandlerFromMux(nil, m)
	v202603.HandlerFromMux(nil, m)
	oauth.HandlerFromMux(nil, m)
	for _, tt := range []struct{ method, path, pattern string }{
		{"GET", "/crm/v3/objects/tasks/1", "GET /crm/v3/objects/tasks/{taskId}"},
		{"GET", "/crm/v3/objects/notes/1", "GET /crm/v3/objects/{objectType}/{objectId}"},
		{"POST", "/crm/v3/objects/emails/batch/upsert", "POST /crm/v3/objects/emails/batch/upsert"},
		{"POST", "/crm/v3/objects/meetings/batch/upsert", "POST /crm/v3/objects/{objectType}/batch/upsert"},
		{"PUT", "/crm/v3/objects/calls/1/associations/contacts/2/call_to_contact", "PUT /crm/v3/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}/{associationType}"},
		{"GET", "/crm/objects/2026-03/notes/1", "GET /crm/objects/2026-03/{objectType}/{objectId}"},
		{"POST", "/crm/objects/2026-03/calls/search", "POST /crm/objects/2026-03/{objectType}/search"},
		{"PUT", "/crm/objects/2026-03/notes/1/associations/default/contacts/2", "PUT /crm/objects/2026-03/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}"},
		{"DELETE", "/crm/objects/2026-03/notes/1/associations/contacts/2", "DELETE /crm/objects/2026-03/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}"},
		{"POST", "/oauth/2026-03/token", "POST /oauth/2026-03/token"},
		{"GET", "/engagements/v1/engagements/paged", "GET /engagements/v1/engagements/paged"},
	} {
		_, pattern := m.Handler(httptest.NewRequest(tt.method, tt.path, strings.NewReader("")))
		if pattern != tt.pattern {
			t.Errorf("%s %s goes to %q, want %q", tt.method, tt.path, pattern, tt.pattern)
		}
	}
}
