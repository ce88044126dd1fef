package facade_test

// Golden contract tests: for every operation of the facade, the exact request
// HubSpot must receive (testdata/contract/<api>/<operation>/request.json,
// rewritten by -update) and what the facade makes of HubSpot's answer
// (response.json, hand-written from HubSpot's documented examples and never
// rewritten).

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/engagekit/hubspot-engagements/facade"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	contractDir   = "../testdata/contract"
	contractToken = "pat-na1-0c1d2e3f-contract-test-token"
	contractUA    = "hubspot-engagements-contract-test"
	// contractPrefix is the path the fake HubSpot is mounted under: the
	// facade must keep a base URL's path.
	contractPrefix = "/hubspot"
	redacted       = "<redacted>"
)

// wireRequest is request.json: one HTTP request as HubSpot receives it.
type wireRequest struct {
	Method  string              `json:"method"`
	Path    string              `json:"path"`
	Query   map[string][]string `json:"query"`
	Headers map[string]string   `json:"headers"`
	Body    any                 `json:"body"`
}

// wireResponse is response.json: HubSpot's answer, served as written.
type wireResponse struct {
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body"`
}

// transportHeaders are set by net/http, not by the facade.
var transportHeaders = []string{"Accept-Encoding", "Content-Length"}

// contractCase is one facade operation: run calls it with fixed inputs and
// checks what it returned against body, the decoded response.json body.
type contractCase struct {
	api, op string
	run     func(t *testing.T, c *facade.Client, body any)
}

func TestContract(t *testing.T) {
	cases := contractCases()
	checkCoverage(t, cases)
	for _, tc := range cases {
		t.Run(tc.api+"/"+tc.op, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(contractDir, tc.api, tc.op)
			resp := readResponse(t, dir)
			srv, rec := newContractServer(t, resp)
			c, err := facade.New(
				facade.WithToken(contractToken),
				facade.WithBaseURL(srv.URL+contractPrefix),
				facade.WithUserAgent(contractUA),
				facade.WithTimeout(10*time.Second),
				// The server answers once: a failure must show, not be retried.
				facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1, MaxElapsed: 10 * time.Second}),
			)
			if err != nil {
				t.Fatal(err)
			}
			tc.run(t, c, decodeAny(t, resp.Body))
			compareRequest(t, dir, rec.only(t))
		})
	}
}

// --- coverage ---------------------------------------------------------------

// Operation directory names of the facade's methods. A new method fails the
// test until it gets a name here, a table entry and a golden directory.
var (
	v1Ops = map[string]string{
		"Create": "create", "Get": "get", "Update": "update", "Delete": "delete",
		"Dispositions": "dispositions", "List": "list", "Associated": "associated",
		"RecentlyModified": "recent-modified", "ModifiedAfter": "modified-after",
	}
	v3Ops = map[string]string{
		"Create": "create", "Get": "get", "Update": "update", "Archive": "archive",
		"List": "list", "Search": "search", "BatchRead": "batch-read",
		"BatchCreate": "batch-create", "BatchUpdate": "batch-update", "BatchArchive": "batch-archive",
		"BatchCreateUnique": "batch-create-unique",
		"Associations":      "associations-list", "Associate": "associations-create", "Dissociate": "associations-delete",
	}
)

// noIO are the services' methods that send nothing.
var noIO = map[string]bool{"ObjectType": true}

// checkCoverage fails unless the facade's methods, the table and the
// directories under testdata/contract name the same operations.
func checkCoverage(t *testing.T, cases []contractCase) {
	t.Helper()
	want := map[string]bool{}
	methods := func(api string, typ reflect.Type, names map[string]string) {
		for i := range typ.NumMethod() {
			m := typ.Method(i).Name
			if noIO[m] {
				continue
			}
			op, ok := names[m]
			if !ok {
				t.Errorf("%s.%s has no contract operation: name it, add a table entry and testdata/contract/%s/<op>/", typ, m, api)
				continue
			}
			want[api+"/"+op] = true
		}
	}
	methods("v1", reflect.TypeFor[*facade.EngagementsService](), v1Ops)
	methods("emails", reflect.TypeFor[*facade.ObjectService[facade.Email]](), v3Ops)
	methods("tasks", reflect.TypeFor[*facade.ObjectService[facade.Task]](), v3Ops)

	table := map[string]bool{}
	for _, tc := range cases {
		k := tc.api + "/" + tc.op
		if table[k] {
			t.Errorf("table: %s twice", k)
		}
		table[k] = true
	}
	dirs := map[string]bool{}
	apis, err := os.ReadDir(contractDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range apis {
		if a.Name() == "README.md" {
			continue
		}
		if !a.IsDir() {
			t.Errorf("%s: unexpected file %s", contractDir, a.Name())
			continue
		}
		ops, err := os.ReadDir(filepath.Join(contractDir, a.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range ops {
			if !o.IsDir() {
				t.Errorf("%s/%s: unexpected file %s", contractDir, a.Name(), o.Name())
				continue
			}
			dirs[a.Name()+"/"+o.Name()] = true
		}
	}
	for k := range want {
		if !table[k] {
			t.Errorf("operation %s has no table entry", k)
		}
	}
	for k := range table {
		if !want[k] {
			t.Errorf("table entry %s is no facade method", k)
		}
		if !dirs[k] {
			t.Errorf("table entry %s has no directory %s/%s", k, contractDir, k)
		}
	}
	for k := range dirs {
		if !table[k] {
			t.Errorf("directory %s/%s has no table entry", contractDir, k)
		}
	}
}

// --- the fake HubSpot -------------------------------------------------------

type recorder struct {
	mu    sync.Mutex
	reqs  []wireRequest
	auth  []string
	stray []string
}

// newContractServer serves resp under contractPrefix, once per request, and
// records what it receives; anything outside the prefix gets a 404.
func newContractServer(t *testing.T, resp wireResponse) (*httptest.Server, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		path, inside := strings.CutPrefix(r.URL.EscapedPath(), contractPrefix+"/")
		if err != nil || !inside {
			rec.mu.Lock()
			rec.stray = append(rec.stray, r.Method+" "+r.URL.String())
			rec.mu.Unlock()
			http.NotFound(w, r)
			return
		}
		wr := wireRequest{Method: r.Method, Path: "/" + path, Query: map[string][]string(r.URL.Query()), Headers: map[string]string{}}
		for k, vs := range r.Header {
			if !slices.Contains(transportHeaders, k) {
				wr.Headers[k] = strings.ReplaceAll(strings.Join(vs, ", "), contractToken, redacted)
			}
		}
		if len(body) > 0 {
			wr.Body = json.RawMessage(body)
		}
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, wr)
		rec.auth = append(rec.auth, r.Header.Get("Authorization"))
		rec.mu.Unlock()

		for k, v := range resp.Headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(resp.Status)
		if b := bytes.TrimSpace(resp.Body); len(b) > 0 && string(b) != "null" {
			_, _ = w.Write(b)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, rec
}

// only returns the one request the operation sent.
func (r *recorder) only(t *testing.T) wireRequest {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stray) > 0 {
		t.Errorf("requests outside %s/: %q", contractPrefix, r.stray)
	}
	if len(r.reqs) != 1 {
		t.Fatalf("%d requests under %s/, want exactly 1: %+v", len(r.reqs), contractPrefix, r.reqs)
	}
	if got := r.auth[0]; got != "Bearer "+contractToken {
		t.Errorf("Authorization = %q, want the bearer token", strings.ReplaceAll(got, contractToken, redacted))
	}
	req := r.reqs[0]
	if req.Body != nil && !json.Valid(req.Body.(json.RawMessage)) {
		t.Fatalf("request body is not JSON: %s", req.Body)
	}
	return req
}

// --- goldens ----------------------------------------------------------------

func readResponse(t *testing.T, dir string) wireResponse {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "response.json"))
	if err != nil {
		t.Fatalf("%v (response.json is hand-written from HubSpot's documentation)", err)
	}
	var resp wireResponse
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&resp); err != nil {
		t.Fatalf("%s/response.json: %v", dir, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		t.Fatalf("%s/response.json: status %d, want 2xx", dir, resp.Status)
	}
	return resp
}

// compareRequest compares the request sent with request.json, or rewrites
// request.json with it under -update. Bodies are compared as decoded JSON.
func compareRequest(t *testing.T, dir string, got wireRequest) {
	t.Helper()
	file := filepath.Join(dir, "request.json")
	if raw, ok := got.Body.(json.RawMessage); ok {
		got.Body = decodeAny(t, raw)
	}
	enc, err := encodeIndent(got)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(enc), contractToken) {
		t.Fatalf("the token leaked into the recorded request")
	}
	if *update {
		if err := os.WriteFile(file, enc, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v: run go test ./facade/ -run TestContract -update", err)
	}
	var want wireRequest
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	if err := dec.Decode(&want); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request differs from %s (-golden +sent):\n%s", file, diff)
	}
}

func encodeIndent(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// decodeAny decodes JSON into any, numbers as json.Number so that 64-bit
// ids compare exactly. Empty input is nil.
func decodeAny(t *testing.T, b []byte) any {
	t.Helper()
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %s: %v", b, err)
	}
	return v
}

// jsonEqual checks that v encodes to JSON equal to want.
func jsonEqual(t *testing.T, what string, v, want any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: encoding: %v", what, err)
	}
	if diff := cmp.Diff(want, decodeAny(t, b)); diff != "" {
		t.Errorf("%s: re-encoded JSON differs from HubSpot's (-hubspot +re-encoded):\n%s", what, diff)
	}
}

// at walks a decoded JSON value by keys and indexes.
func at(t *testing.T, v any, path ...any) any {
	t.Helper()
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %v: %T is not an object", path, v)
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				t.Fatalf("at %v: no index %d in %T", path, k, v)
			}
			v = a[k]
		}
	}
	return v
}

func str(t *testing.T, v any, path ...any) string {
	t.Helper()
	s, _ := at(t, v, path...).(string)
	return s
}

func num(t *testing.T, v any, path ...any) int64 {
	t.Helper()
	n, ok := at(t, v, path...).(json.Number)
	if !ok {
		return 0
	}
	i, err := n.Int64()
	if err != nil {
		t.Fatalf("at %v: %v", path, err)
	}
	return i
}

func list(t *testing.T, v any, path ...any) []any {
	t.Helper()
	a, _ := at(t, v, path...).([]any)
	return a
}

func ptr[T any](v T) *T { return &v }

func eq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func eqTime(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if !got.Equal(want) || got.IsZero() != want.IsZero() {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// --- v1 ---------------------------------------------------------------------

var (
	since       = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	noteID      = int64(26470158431)
	callID      = int64(26470158432)
	contactID   = int64(51387242109)
	noteBody    = "Called Brian about the Q2 renewal; he wants a proposal by Friday."
	updatedBody = "Proposal sent; Brian will review with finance on Monday."
)

func v1Cases() []contractCase {
	return []contractCase{
		{"v1", "create", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Create(t.Context(), facade.NewEngagement{
				Metadata:  &facade.NoteMetadata{Body: noteBody},
				OwnerID:   77367890,
				Timestamp: time.Date(2025, 2, 18, 9, 0, 0, 0, time.UTC),
				Active:    ptr(true),
				Associations: facade.Associations{
					ContactIDs: []int64{contactID},
					CompanyIDs: []int64{18923804553},
					DealIDs:    []int64{14277061982},
					TicketIDs:  []int64{2716804112},
				},
				AttachmentIDs: []int64{187004315642},
			})
			noErr(t, err)
			checkEngagement(t, "create", e, body)
			eq(t, "ID", e.ID(), noteID)
			if e.ID() <= 1<<32 {
				t.Errorf("ID %d should be above 2^32", e.ID())
			}
			a, err := e.Associations()
			noErr(t, err)
			if diff := cmp.Diff(map[string][]int64{"contentIds": {}, "quoteIds": {}, "marketingEventIds": {}}, a.Other, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Associations().Other (-want +got):\n%s", diff)
			}
		}},
		{"v1", "get", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Get(t.Context(), callID)
			noErr(t, err)
			checkEngagement(t, "get", e, body)
			eq(t, "Type", e.Type(), facade.TypeCall)
			eq(t, "UID", e.UID(), "") // "uid": null
			m, err := e.Metadata()
			noErr(t, err)
			cm, ok := m.(*facade.CallMetadata)
			if !ok {
				t.Fatalf("Metadata is %T, want *CallMetadata", m)
			}
			eq(t, "Disposition", cm.Disposition, "f240bbac-87c9-4f6e-bf70-924b57d47db7")
			eq(t, "DurationMilliseconds", cm.DurationMilliseconds, 38000)
			eq(t, "Extra[title]", string(cm.Extra["title"]), `"Renewal call with Brian"`)
		}},
		{"v1", "update", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Update(t.Context(), noteID, facade.EngagementUpdate{
				OwnerID:  ptr(int64(77367891)),
				Metadata: &facade.NoteMetadata{Body: updatedBody},
			})
			noErr(t, err)
			checkEngagement(t, "update", e, body)
			eq(t, "OwnerID", e.OwnerID(), 77367891)
		}},
		{"v1", "delete", func(t *testing.T, c *facade.Client, _ any) {
			noErr(t, c.Engagements.Delete(t.Context(), noteID))
		}},
		{"v1", "dispositions", func(t *testing.T, c *facade.Client, body any) {
			ds, err := c.Engagements.Dispositions(t.Context())
			noErr(t, err)
			want := list(t, body)
			if len(ds) != len(want) {
				t.Fatalf("%d dispositions, want %d", len(ds), len(want))
			}
			for i, d := range ds {
				eq(t, fmt.Sprintf("[%d].ID", i), d.ID, str(t, want[i], "id"))
				eq(t, fmt.Sprintf("[%d].Label", i), d.Label, str(t, want[i], "label"))
				eq(t, fmt.Sprintf("[%d].Deleted", i), d.Deleted, at(t, want[i], "deleted") == true)
			}
		}},
		{"v1", "list", func(t *testing.T, c *facade.Client, body any) {
			checkEngagementPage(t, c.Engagements.List(t.Context(), facade.ListParams{Limit: 2}), body)
		}},
		{"v1", "associated", func(t *testing.T, c *facade.Client, body any) {
			checkEngagementPage(t, c.Engagements.Associated(t.Context(), "CONTACT", contactID, facade.ListParams{Limit: 2}), body)
		}},
		{"v1", "recent-modified", func(t *testing.T, c *facade.Client, body any) {
			checkEngagementPage(t, c.Engagements.RecentlyModified(t.Context(), facade.RecentParams{Since: since, Count: 2}), body)
		}},
		{"v1", "modified-after", func(t *testing.T, c *facade.Client, body any) {
			checkEngagementPage(t, c.Engagements.ModifiedAfter(t.Context(), facade.ModifiedAfterParams{Since: since, Limit: 2}), body)
		}},
	}
}

// checkEngagementPage fetches the first page only and checks its records.
func checkEngagementPage(t *testing.T, p *facade.Pager[facade.Engagement], body any) {
	t.Helper()
	page, err := p.NextPage(t.Context())
	noErr(t, err)
	want := list(t, body, "results")
	if len(page.Records) != len(want) {
		t.Fatalf("%d records, want %d", len(page.Records), len(want))
	}
	for i, e := range page.Records {
		checkEngagement(t, fmt.Sprintf("results[%d]", i), e, want[i])
	}
	if !p.More() || page.Cursor == "" {
		t.Errorf("hasMore is true: More() = %v, Cursor = %q", p.More(), page.Cursor)
	}
}

func millis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

// checkEngagement checks every accessor of e against HubSpot's JSON.
func checkEngagement(t *testing.T, what string, e facade.Engagement, want any) {
	t.Helper()
	jsonEqual(t, what, e, want)
	jsonEqual(t, what+" JSON()", e.JSON(), want)
	h := at(t, want, "engagement")
	eq(t, what+" ID", e.ID(), num(t, h, "id"))
	eq(t, what+" Type", e.Type(), facade.EngagementType(str(t, h, "type")))
	eq(t, what+" PortalID", e.PortalID(), num(t, h, "portalId"))
	eq(t, what+" Active", e.Active(), at(t, h, "active") == true)
	eq(t, what+" OwnerID", e.OwnerID(), num(t, h, "ownerId"))
	eq(t, what+" UID", e.UID(), str(t, h, "uid"))
	eq(t, what+" CreatedBy", e.CreatedBy(), num(t, h, "createdBy"))
	eq(t, what+" ModifiedBy", e.ModifiedBy(), num(t, h, "modifiedBy"))
	eqTime(t, what+" CreatedAt", e.CreatedAt(), millis(num(t, h, "createdAt")))
	eqTime(t, what+" UpdatedAt", e.UpdatedAt(), millis(num(t, h, "lastUpdated")))
	eqTime(t, what+" Timestamp", e.Timestamp(), millis(num(t, h, "timestamp")))

	var atts []int64
	for _, a := range list(t, want, "attachments") {
		atts = append(atts, num(t, a, "id"))
	}
	if diff := cmp.Diff(atts, e.AttachmentIDs(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s AttachmentIDs (-want +got):\n%s", what, diff)
	}

	a, err := e.Associations()
	noErr(t, err)
	got := map[string][]int64{
		"contactIds": a.ContactIDs, "companyIds": a.CompanyIDs, "dealIds": a.DealIDs,
		"ownerIds": a.OwnerIDs, "workflowIds": a.WorkflowIDs, "ticketIds": a.TicketIDs,
	}
	for k, ids := range a.Other {
		got[k] = ids
	}
	wantAssoc := map[string][]int64{}
	for k, ids := range at(t, want, "associations").(map[string]any) {
		wantAssoc[k] = []int64{}
		for _, id := range ids.([]any) {
			n, _ := id.(json.Number).Int64()
			wantAssoc[k] = append(wantAssoc[k], n)
		}
	}
	for k, ids := range got {
		if _, ok := wantAssoc[k]; !ok && len(ids) == 0 {
			delete(got, k)
		}
	}
	if diff := cmp.Diff(wantAssoc, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("%s Associations (-want +got):\n%s", what, diff)
	}
	checkMetadata(t, what, e, at(t, want, "metadata"))
}

// checkMetadata checks the typed metadata: its fields, and that encoding it
// gives back every field HubSpot sent (those it names and, through Extra,
// the others), except empty values its omitempty fields leave out.
func checkMetadata(t *testing.T, what string, e facade.Engagement, want any) {
	t.Helper()
	m, err := e.Metadata()
	noErr(t, err)
	eq(t, what+" Metadata().EngagementType", m.EngagementType(), e.Type())
	wm, _ := want.(map[string]any)
	s := func(k string) string { return str(t, wm, k) }
	n := func(k string) int64 { return num(t, wm, k) }
	switch md := m.(type) {
	case *facade.NoteMetadata:
		eq(t, what+" note Body", md.Body, s("body"))
	case *facade.CallMetadata:
		eq(t, what+" call ToNumber", md.ToNumber, s("toNumber"))
		eq(t, what+" call FromNumber", md.FromNumber, s("fromNumber"))
		eq(t, what+" call Status", string(md.Status), s("status"))
		eq(t, what+" call ExternalID", md.ExternalID, s("externalId"))
		eq(t, what+" call ExternalAccountID", md.ExternalAccountID, s("externalAccountId"))
		eq(t, what+" call RecordingURL", md.RecordingURL, s("recordingUrl"))
		eq(t, what+" call DurationMilliseconds", md.DurationMilliseconds, n("durationMilliseconds"))
		eq(t, what+" call Body", md.Body, s("body"))
		eq(t, what+" call Disposition", md.Disposition, s("disposition"))
	case *facade.EmailMetadata:
		eq(t, what+" email Subject", md.Subject, s("subject"))
		eq(t, what+" email HTML", md.HTML, s("html"))
		eq(t, what+" email Text", md.Text, s("text"))
		eq(t, what+" email Status", string(md.Status), s("status"))
		if md.From == nil {
			t.Fatalf("%s email From is nil", what)
		}
		eq(t, what+" email From.Email", md.From.Email, str(t, wm, "from", "email"))
		eq(t, what+" email From.FirstName", md.From.FirstName, str(t, wm, "from", "firstName"))
		eq(t, what+" email To", len(md.To), len(list(t, wm, "to")))
		for i, c := range md.To {
			eq(t, what+" email To.Email", c.Email, str(t, wm, "to", i, "email"))
		}
	case *facade.TaskMetadata:
		eq(t, what+" task Body", md.Body, s("body"))
		eq(t, what+" task Subject", md.Subject, s("subject"))
		eq(t, what+" task Status", string(md.Status), s("status"))
		eq(t, what+" task ForObjectType", md.ForObjectType, s("forObjectType"))
		eq(t, what+" task TaskType", string(md.TaskType), s("taskType"))
		eq(t, what+" task Priority", string(md.Priority), s("priority"))
		eq(t, what+" task Reminders", len(md.Reminders), len(list(t, wm, "reminders")))
		for i, r := range md.Reminders {
			eq(t, what+" task Reminders[i]", r, num(t, wm, "reminders", i))
		}
	case *facade.MeetingMetadata:
		eq(t, what+" meeting Body", md.Body, s("body"))
		eq(t, what+" meeting Title", md.Title, s("title"))
		eq(t, what+" meeting StartTime", md.StartTime, n("startTime"))
		eq(t, what+" meeting EndTime", md.EndTime, n("endTime"))
		eq(t, what+" meeting InternalMeetingNotes", md.InternalMeetingNotes, s("internalMeetingNotes"))
	case facade.RawMetadata:
		jsonEqual(t, what+" RawMetadata.JSON", md.JSON, want)
		return
	default:
		t.Fatalf("%s Metadata() is %T", what, m)
	}
	b, err := json.Marshal(m)
	noErr(t, err)
	got, _ := decodeAny(t, b).(map[string]any)
	for k, v := range wm {
		if emptyJSON(v) {
			continue
		}
		if diff := cmp.Diff(v, got[k]); diff != "" {
			t.Errorf("%s metadata.%s lost in the typed metadata (-hubspot +re-encoded):\n%s", what, k, diff)
		}
	}
}

// emptyJSON reports whether omitempty drops v: "", 0, false, [] or {}.
func emptyJSON(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case json.Number:
		return x == "0"
	case bool:
		return !x
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// --- v3 ---------------------------------------------------------------------

// v3API is one v3 object API (emails or tasks), its fixed inputs and its
// typed accessors.
type v3API[T any] struct {
	name    string
	svc     func(*facade.Client) *facade.ObjectService[T]
	object  func(T) facade.Object
	typed   func(t *testing.T, what string, rec T, want any)
	id      string
	cleared string // a property Update clears with ""
	in      v3Inputs
}

type v3Inputs struct {
	create       facade.Properties
	update       facade.Properties
	get          facade.GetParams
	list         facade.ObjectListParams
	search       facade.SearchParams
	batchRead    []string
	readParams   facade.BatchReadParams
	batchCreate  []facade.Properties
	batchUpdate  []facade.ObjectUpdate
	batchArchive []string
	assoc        facade.AssociationTarget // Type left 0: HubSpot's default for the pair
}

func (a v3API[T]) cases() []contractCase {
	in := a.in
	check := func(t *testing.T, what string, rec T, want any) {
		t.Helper()
		checkObject(t, what, a.object(rec), want)
		a.typed(t, what, rec, want)
	}
	page := func(t *testing.T, p *facade.Pager[T], body any) {
		t.Helper()
		pg, err := p.NextPage(t.Context())
		noErr(t, err)
		want := list(t, body, "results")
		if len(pg.Records) != len(want) {
			t.Fatalf("%d records, want %d", len(pg.Records), len(want))
		}
		for i, r := range pg.Records {
			check(t, fmt.Sprintf("results[%d]", i), r, want[i])
		}
		if !p.More() || pg.Cursor == "" {
			t.Errorf("paging.next is set: More() = %v, Cursor = %q", p.More(), pg.Cursor)
		}
	}
	byID := func(t *testing.T, results []any, id string) any {
		t.Helper()
		for _, r := range results {
			if str(t, r, "id") == id {
				return r
			}
		}
		return nil
	}
	return []contractCase{
		{a.name, "create", func(t *testing.T, c *facade.Client, body any) {
			rec, err := a.svc(c).Create(t.Context(), in.create)
			noErr(t, err)
			check(t, "create", rec, body)
			for k, v := range in.create {
				eq(t, "created "+k, a.object(rec).Properties()[k], facade.PropertyValue{Value: v})
			}
		}},
		{a.name, "get", func(t *testing.T, c *facade.Client, body any) {
			rec, err := a.svc(c).Get(t.Context(), a.id, in.get)
			noErr(t, err)
			check(t, "get", rec, body)
			owner, ok := a.object(rec).Property(facade.OwnerIDProperty)
			eq(t, "hubspot_owner_id sent", ok, true)
			eq(t, "hubspot_owner_id (null)", owner, facade.PropertyValue{Null: true})
			if got := a.object(rec).Associations(facade.Contacts); len(got) != 1 || got[0].ID != strconv.FormatInt(contactID, 10) {
				t.Errorf("Associations(contacts) = %+v", got)
			}
		}},
		{a.name, "update", func(t *testing.T, c *facade.Client, body any) {
			rec, err := a.svc(c).Update(t.Context(), a.id, in.update)
			noErr(t, err)
			check(t, "update", rec, body)
			v, ok := a.object(rec).Property(a.cleared)
			eq(t, a.cleared+" sent", ok, true)
			eq(t, a.cleared+` ("")`, v, facade.PropertyValue{Value: ""})
		}},
		{a.name, "archive", func(t *testing.T, c *facade.Client, _ any) {
			noErr(t, a.svc(c).Archive(t.Context(), a.id))
		}},
		{a.name, "list", func(t *testing.T, c *facade.Client, body any) {
			page(t, a.svc(c).List(t.Context(), in.list), body)
		}},
		{a.name, "search", func(t *testing.T, c *facade.Client, body any) {
			page(t, a.svc(c).Search(t.Context(), in.search), body)
		}},
		{a.name, "batch-read", func(t *testing.T, c *facade.Client, body any) {
			res, err := a.svc(c).BatchRead(t.Context(), in.batchRead, in.readParams)
			failed := map[string]string{} // id → category
			for _, e := range list(t, body, "errors") {
				for _, id := range list(t, e, "context", "ids") {
					failed[id.(string)] = str(t, e, "category")
				}
			}
			var be *facade.BatchError
			if len(failed) == 0 {
				noErr(t, err)
			} else if !errors.As(err, &be) || len(be.Failures) != len(failed) {
				t.Fatalf("err = %v, want a *BatchError with %d failures", err, len(failed))
			}
			if res == nil {
				t.Fatal("no result")
			}
			results := list(t, body, "results")
			for i, id := range in.batchRead {
				if cat, ok := failed[id]; ok {
					k := slices.IndexFunc(res.Failures, func(f facade.BatchFailure) bool { return f.Index == i })
					if k < 0 {
						t.Errorf("input %d (%s) failed at HubSpot but is not in Failures %+v", i, id, res.Failures)
						continue
					}
					f := res.Failures[k]
					var ae *facade.APIError
					if f.ID != id || !errors.As(f.Err, &ae) || ae.Category != cat || f.Uncertain() {
						t.Errorf("Failures[%d] = %+v, want id %s, an *APIError %s", k, f, id, cat)
					}
					continue
				}
				want := byID(t, results, id)
				if want == nil {
					t.Fatalf("response.json has no result for %s", id)
				}
				check(t, fmt.Sprintf("Records[%d]", i), res.Records[i], want)
			}
		}},
		{a.name, "batch-create", func(t *testing.T, c *facade.Client, body any) {
			res, err := a.svc(c).BatchCreate(t.Context(), in.batchCreate)
			noErr(t, err)
			results := list(t, body, "results")
			filled(t, res.Failures, res.Records, a.object)
			for i, props := range in.batchCreate {
				o := a.object(res.Records[i])
				for k, v := range props {
					eq(t, fmt.Sprintf("Records[%d] %s", i, k), o.Properties()[k], facade.PropertyValue{Value: v})
				}
				check(t, fmt.Sprintf("Records[%d]", i), res.Records[i], byID(t, results, o.ID()))
			}
		}},
		{a.name, "batch-create-unique", func(t *testing.T, c *facade.Client, body any) {
			// Nothing uncertain: exactly the batch create request, no lookup.
			res, err := a.svc(c).BatchCreateUnique(t.Context(), "hs_timestamp", in.batchCreate)
			noErr(t, err)
			results := list(t, body, "results")
			filled(t, res.Failures, res.Records, a.object)
			for i, props := range in.batchCreate {
				o := a.object(res.Records[i])
				eq(t, fmt.Sprintf("Records[%d] hs_timestamp", i), o.Properties()["hs_timestamp"], facade.PropertyValue{Value: props["hs_timestamp"]})
				check(t, fmt.Sprintf("Records[%d]", i), res.Records[i], byID(t, results, o.ID()))
			}
		}},
		{a.name, "batch-update", func(t *testing.T, c *facade.Client, body any) {
			res, err := a.svc(c).BatchUpdate(t.Context(), in.batchUpdate)
			noErr(t, err)
			results := list(t, body, "results")
			filled(t, res.Failures, res.Records, a.object)
			for i, u := range in.batchUpdate {
				o := a.object(res.Records[i])
				eq(t, fmt.Sprintf("Records[%d].ID", i), o.ID(), u.ID)
				for k, v := range u.Properties {
					eq(t, fmt.Sprintf("Records[%d] %s", i, k), o.Properties()[k], facade.PropertyValue{Value: v})
				}
				check(t, fmt.Sprintf("Records[%d]", i), res.Records[i], byID(t, results, u.ID))
			}
		}},
		{a.name, "batch-archive", func(t *testing.T, c *facade.Client, _ any) {
			noErr(t, a.svc(c).BatchArchive(t.Context(), in.batchArchive))
		}},
		{a.name, "associations-list", func(t *testing.T, c *facade.Client, body any) {
			ids, err := a.svc(c).Associations(t.Context(), a.id, in.assoc.ObjectType)
			noErr(t, err)
			jsonEqual(t, "associations", ids, at(t, body, "results"))
		}},
		{a.name, "associations-create", func(t *testing.T, c *facade.Client, _ any) {
			noErr(t, a.svc(c).Associate(t.Context(), a.id, in.assoc))
		}},
		{a.name, "associations-delete", func(t *testing.T, c *facade.Client, _ any) {
			noErr(t, a.svc(c).Dissociate(t.Context(), a.id, in.assoc))
		}},
	}
}

// filled fails unless every input of a batch has its record and none failed.
func filled[T any](t *testing.T, failures []facade.BatchFailure, records []T, object func(T) facade.Object) {
	t.Helper()
	if len(failures) != 0 {
		t.Fatalf("failures %+v", failures)
	}
	for i, r := range records {
		if object(r).ID() == "" {
			t.Fatalf("Records[%d] is empty: the answer's result was not matched to its input", i)
		}
	}
}

// checkObject checks every accessor of o against HubSpot's JSON record.
func checkObject(t *testing.T, what string, o facade.Object, want any) {
	t.Helper()
	if want == nil {
		t.Fatalf("%s: no such record in response.json", what)
	}
	jsonEqual(t, what, o, want)
	jsonEqual(t, what+" JSON()", o.JSON(), want)
	eq(t, what+" ID", o.ID(), str(t, want, "id"))
	eq(t, what+" Archived", o.Archived(), at(t, want, "archived") == true)
	eqTime(t, what+" CreatedAt", o.CreatedAt(), rfc3339(t, str(t, want, "createdAt")))
	eqTime(t, what+" UpdatedAt", o.UpdatedAt(), rfc3339(t, str(t, want, "updatedAt")))
	props, _ := at(t, want, "properties").(map[string]any)
	if len(o.Properties()) != len(props) {
		t.Errorf("%s: %d properties, want %d", what, len(o.Properties()), len(props))
	}
	for k, v := range props {
		got, ok := o.Property(k)
		wantV := facade.PropertyValue{Null: true}
		if s, isStr := v.(string); isStr {
			wantV = facade.PropertyValue{Value: s}
		}
		if !ok || got != wantV {
			t.Errorf("%s Property(%q) = %+v, %v; want %+v", what, k, got, ok, wantV)
		}
	}
	if _, ok := o.Property("hs_no_such_property"); ok {
		t.Errorf("%s: Property of an absent name reports it sent", what)
	}
	assoc, _ := at(t, want, "associations").(map[string]any)
	for toType, v := range assoc {
		jsonEqual(t, what+" Associations("+toType+")", o.Associations(facade.ObjectType(toType)), at(t, v, "results"))
	}
}

func rfc3339(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	tm, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// propTime is a time property as HubSpot sends it: RFC 3339 or epoch ms.
func propTime(t *testing.T, want any, name string) (time.Time, bool) {
	t.Helper()
	s := str(t, want, "properties", name)
	if s == "" {
		return time.Time{}, false
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), true
	}
	return rfc3339(t, s), true
}

func checkTask(t *testing.T, what string, r facade.Task, want any) {
	t.Helper()
	p := func(name string) string { return str(t, want, "properties", name) }
	eq(t, what+" Subject", r.Subject(), p(facade.TaskSubjectProperty))
	eq(t, what+" Body", r.Body(), p(facade.TaskBodyProperty))
	eq(t, what+" Status", string(r.Status()), p(facade.TaskStatusProperty))
	eq(t, what+" Priority", string(r.Priority()), p(facade.TaskPriorityProperty))
	eq(t, what+" Type", string(r.Type()), p(facade.TaskTypeProperty))
	due, ok := r.Due()
	wantDue, wantOK := propTime(t, want, facade.TimestampProperty)
	eq(t, what+" Due set", ok, wantOK)
	eqTime(t, what+" Due", due, wantDue)
}

func checkEmail(t *testing.T, what string, r facade.Email, want any) {
	t.Helper()
	p := func(name string) string { return str(t, want, "properties", name) }
	eq(t, what+" Subject", r.Subject(), p(facade.EmailSubjectProperty))
	eq(t, what+" Text", r.Text(), p(facade.EmailTextProperty))
	eq(t, what+" HTML", r.HTML(), p(facade.EmailHTMLProperty))
	eq(t, what+" Direction", string(r.Direction()), p(facade.EmailDirectionProperty))
	eq(t, what+" Status", string(r.Status()), p(facade.EmailStatusProperty))
	ts, ok := r.Timestamp()
	wantTS, wantOK := propTime(t, want, facade.TimestampProperty)
	eq(t, what+" Timestamp set", ok, wantOK)
	eqTime(t, what+" Timestamp", ts, wantTS)
}

var tasksAPI = v3API[facade.Task]{
	name:    "tasks",
	svc:     func(c *facade.Client) *facade.ObjectService[facade.Task] { return c.Tasks },
	object:  func(r facade.Task) facade.Object { return r.Object },
	typed:   checkTask,
	id:      "83461907221",
	cleared: facade.TaskBodyProperty,
	in: v3Inputs{
		create: facade.Properties{
			facade.TimestampProperty:    facade.FormatTime(time.Date(2025, 3, 1, 15, 0, 0, 0, time.UTC)),
			facade.TaskSubjectProperty:  "Send Q2 renewal proposal",
			facade.TaskBodyProperty:     "Brian asked for pricing on 50 seats.",
			facade.TaskStatusProperty:   "NOT_STARTED",
			facade.TaskPriorityProperty: "HIGH",
			facade.TaskTypeProperty:     "EMAIL",
			facade.OwnerIDProperty:      "77367890",
		},
		update: facade.Properties{facade.TaskStatusProperty: "COMPLETED", facade.TaskBodyProperty: ""},
		get: facade.GetParams{
			Properties:   []string{facade.TaskSubjectProperty, facade.TaskStatusProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		list: facade.ObjectListParams{
			Limit:        2,
			Properties:   []string{facade.TaskSubjectProperty, facade.TaskStatusProperty, facade.TaskPriorityProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		search: facade.SearchParams{
			FilterGroups: []facade.FilterGroup{
				{Filters: []facade.Filter{
					{PropertyName: facade.TaskStatusProperty, Operator: facade.OpIn, Values: []string{"NOT_STARTED", "WAITING"}},
					{PropertyName: facade.TimestampProperty, Operator: facade.OpBetween, Value: "1740787200000", HighValue: "1741392000000"},
				}},
				{Filters: []facade.Filter{
					{PropertyName: facade.TaskPriorityProperty, Operator: facade.OpEQ, Value: "HIGH"},
				}},
			},
			Sorts:      []facade.Sort{{PropertyName: facade.TimestampProperty, Direction: "DESCENDING"}},
			Properties: []string{facade.TaskSubjectProperty, facade.TaskStatusProperty, facade.TaskPriorityProperty, facade.TaskBodyProperty, facade.TimestampProperty},
			Limit:      2,
		},
		batchRead:  []string{"83461907221", "83461907222", "83461907223"},
		readParams: facade.BatchReadParams{Properties: []string{facade.TaskSubjectProperty, facade.TaskStatusProperty}, PropertiesWithHistory: []string{facade.TaskStatusProperty}},
		batchCreate: []facade.Properties{
			{facade.TimestampProperty: "2025-03-03T09:00:00.000Z", facade.TaskSubjectProperty: "Prepare demo", facade.TaskTypeProperty: "TODO"},
			{facade.TimestampProperty: "2025-03-04T09:00:00.000Z", facade.TaskSubjectProperty: "Send contract", facade.TaskTypeProperty: "EMAIL", facade.TaskPriorityProperty: "LOW"},
		},
		batchUpdate: []facade.ObjectUpdate{
			{ID: "83461907221", Properties: facade.Properties{facade.TaskStatusProperty: "COMPLETED"}},
			{ID: "83461907222", Properties: facade.Properties{facade.TaskPriorityProperty: "LOW", facade.OwnerIDProperty: ""}},
		},
		batchArchive: []string{"83461907222", "83461907223", "83461907224"},
		assoc:        facade.AssociationTarget{ObjectType: facade.Contacts, ID: "51387242109"}, // sent as 204, task to contact
	},
}

var emailsAPI = v3API[facade.Email]{
	name:    "emails",
	svc:     func(c *facade.Client) *facade.ObjectService[facade.Email] { return c.Emails },
	object:  func(r facade.Email) facade.Object { return r.Object },
	typed:   checkEmail,
	id:      "83470215511",
	cleared: facade.EmailTextProperty,
	in: v3Inputs{
		create: facade.Properties{
			facade.TimestampProperty:      facade.FormatTime(time.Date(2025, 2, 16, 16, 45, 0, 0, time.UTC)),
			facade.EmailDirectionProperty: "EMAIL",
			facade.EmailStatusProperty:    "SENT",
			facade.EmailSubjectProperty:   "Q2 renewal",
			facade.EmailTextProperty:      "Hi Brian, following up on our call.",
			facade.EmailHTMLProperty:      "<div>Hi Brian, following up on our call.</div>",
			facade.OwnerIDProperty:        "77367890",
			"hs_email_headers":            `{"from":{"email":"sam.seller@example.com","firstName":"Sam","lastName":"Seller"},"to":[{"email":"brian@buyer.example","firstName":"Brian","lastName":"Buyer"}],"cc":[],"bcc":[]}`,
		},
		update: facade.Properties{facade.EmailSubjectProperty: "Q2 renewal (revised)", facade.EmailTextProperty: ""},
		get: facade.GetParams{
			Properties:   []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty, facade.EmailStatusProperty, facade.TimestampProperty, facade.OwnerIDProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		list: facade.ObjectListParams{
			Limit:        2,
			Properties:   []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty, facade.EmailStatusProperty, facade.TimestampProperty},
			Associations: []facade.ObjectType{facade.Contacts},
		},
		search: facade.SearchParams{
			FilterGroups: []facade.FilterGroup{
				{Filters: []facade.Filter{
					{PropertyName: facade.EmailDirectionProperty, Operator: facade.OpIn, Values: []string{"INCOMING_EMAIL", "FORWARDED_EMAIL"}},
					{PropertyName: facade.TimestampProperty, Operator: facade.OpBetween, Value: "2025-02-01T00:00:00.000Z", HighValue: "2025-03-01T00:00:00.000Z"},
				}},
				{Filters: []facade.Filter{
					{PropertyName: facade.EmailSubjectProperty, Operator: facade.OpContainsToken, Value: "proposal"},
				}},
			},
			Sorts:      []facade.Sort{{PropertyName: facade.TimestampProperty, Direction: "ASCENDING"}},
			Query:      "renewal",
			Properties: []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty, facade.EmailTextProperty, facade.TimestampProperty},
			Limit:      2,
		},
		batchRead:  []string{"83470215511", "83470215512", "83470215513"},
		readParams: facade.BatchReadParams{Properties: []string{facade.EmailSubjectProperty, facade.EmailDirectionProperty}, PropertiesWithHistory: []string{facade.EmailSubjectProperty}},
		batchCreate: []facade.Properties{
			{facade.TimestampProperty: "2025-02-20T10:00:00.000Z", facade.EmailDirectionProperty: "EMAIL", facade.EmailSubjectProperty: "Kickoff agenda"},
			{facade.TimestampProperty: "2025-02-20T11:00:00.000Z", facade.EmailDirectionProperty: "INCOMING_EMAIL", facade.EmailSubjectProperty: "Re: Kickoff agenda"},
		},
		batchUpdate: []facade.ObjectUpdate{
			{ID: "83470215511", Properties: facade.Properties{facade.EmailStatusProperty: "BOUNCED"}},
			{ID: "83470215512", Properties: facade.Properties{facade.EmailSubjectProperty: "Fwd: pricing (2)", facade.OwnerIDProperty: ""}},
		},
		batchArchive: []string{"83470215512", "83470215513", "83470215514"},
		assoc:        facade.AssociationTarget{ObjectType: facade.Contacts, ID: "51387242109"}, // sent as 198, email to contact
	},
}

func contractCases() []contractCase {
	return slices.Concat(v1Cases(), emailsAPI.cases(), tasksAPI.cases())
}
