package facade_test

// Golden contract tests: for every operation of the facade on every wire,
// the exact requests HubSpot must receive
// (testdata/contract/<api>/<operation>/request.json, rewritten by -update)
// and what the facade makes of HubSpot's answers (response.json, hand-written
// from HubSpot's documented examples and never rewritten). <api> is v1 for
// the engagements API on the v3 wire, 2026-03/v1 for it on the dated wire,
// and <wire>/<object type> (v3/notes, 2026-03/tasks, …) for the object
// APIs. An operation that sends several requests has a numbered sequence of
// exchanges instead (1.request.json, 1.response.json, 2.…): the fake answers
// the n-th request with n.response.json. Every request and every answer is
// also checked against the document of its operation
// (facade.SpecCheckTransport).
//
// The harness and the v1 cases are here; the object cases, generic over the
// object type and run on every wire, are in contract_objects_test.go, and
// their inputs, one table per object type, in contract_inputs_test.go; the
// v1 cases on the dated wire are in contract_dated_test.go.

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
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

// contractCase is one facade operation on one wire: run calls it with fixed
// inputs and checks what it returned against body, the decoded body of the
// last answer (the one its result comes from). Its goldens are in
// testdata/contract/<api>/<op>. On a dated wire every request must go to
// the object APIs (/crm/objects/<version>/), or, where HubSpot has no dated
// endpoint, under legacy (Dispositions: /calling/v1/).
type contractCase struct {
	api, op string
	version facade.APIVersion
	run     func(t *testing.T, c *facade.Client, body any)
	legacy  string
}

func TestContract(t *testing.T) {
	cases := contractCases()
	checkCoverage(t, cases)
	for _, tc := range cases {
		t.Run(tc.api+"/"+tc.op, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(contractDir, tc.api, tc.op)
			exchanges := readExchanges(t, dir)
			srv, rec := newContractServer(t, exchanges)
			c, err := facade.New(
				facade.WithToken(contractToken),
				facade.WithBaseURL(srv.URL+contractPrefix),
				facade.WithUserAgent(contractUA),
				facade.WithTimeout(10*time.Second),
				// The server answers once: a failure must show, not be retried.
				facade.WithRetryPolicy(facade.RetryPolicy{MaxAttempts: 1, MaxElapsed: 10 * time.Second}),
				facade.WithAPIVersion(tc.version),
				// The request and the answer must fit the operation's document.
				// A transport of its own: httptest.Server.Close closes the idle
				// connections of http.DefaultTransport, which broke a parallel
				// case's batch archive mid-request in CI.
				facade.WithHTTPClient(&http.Client{Transport: facade.SpecCheckTransport(t, contractPrefix, http.DefaultTransport.(*http.Transport).Clone())}),
			)
			if err != nil {
				t.Fatal(err)
			}
			tc.run(t, c, decodeAny(t, exchanges[len(exchanges)-1].resp.Body))
			for i, req := range rec.all(t, len(exchanges)) {
				checkWire(t, tc, req)
				compareRequest(t, dir, exchanges[i].name, req)
			}
		})
	}
}

// numberedPaths are HubSpot's numbered APIs, which a dated wire never uses.
var numberedPaths = []string{"/engagements/v1/", "/crm/v3/"}

// checkWire fails when req is not on tc's wire (wireProblem).
func checkWire(t *testing.T, tc contractCase, req wireRequest) {
	t.Helper()
	if p := wireProblem(tc, req.Path); p != "" {
		t.Errorf("%s %s: %s", req.Method, req.Path, p)
	}
}

// wireProblem says what is wrong with a request to path in case tc, or
// "": on a dated wire, a numbered path, or a path neither under
// /crm/objects/<version>/ nor under tc.legacy.
func wireProblem(tc contractCase, path string) string {
	if tc.version == facade.APIv3 {
		return ""
	}
	for _, p := range numberedPaths {
		if strings.HasPrefix(path, p) {
			return fmt.Sprintf("a numbered path on the %s wire", tc.version)
		}
	}
	want := "/crm/objects/" + string(tc.version) + "/"
	if tc.legacy != "" {
		want = tc.legacy
	}
	if !strings.HasPrefix(path, want) {
		return fmt.Sprintf("on the %s wire, want a path under %s", tc.version, want)
	}
	return ""
}

// --- coverage ---------------------------------------------------------------

// Operation directory names of the services' methods. A new method fails
// the test until it gets a name here, a table entry and a golden directory
// on every wire; a method with several names has a case for each (Create
// alone, and with associations in the body; BatchCreate plain, with
// associations and with a unique property).
var (
	v1Ops = map[string][]string{
		"Create": {"create"}, "Get": {"get"}, "Update": {"update"}, "Archive": {"archive"},
		"Dispositions": {"dispositions"}, "List": {"list"}, "Associated": {"associated"},
		"RecentlyModified": {"recent-modified"}, "ModifiedAfter": {"modified-after"},
		"Changes": {"changes"},
	}
	objectOps = map[string][]string{
		"Create": {"create", "create-associated"}, "Get": {"get"}, "Update": {"update"}, "Archive": {"archive"},
		"List": {"list"}, "Search": {"search"}, "BatchRead": {"batch-read"},
		"BatchCreate": {"batch-create", "batch-create-associated", "batch-create-unique"}, "BatchUpdate": {"batch-update"},
		"BatchUpsert": {"batch-upsert"}, "BatchArchive": {"batch-archive"},
		"Associations": {"associations-list"}, "Associate": {"associations-create"}, "Dissociate": {"associations-delete"},
	}
)

// engagementsAPI names the goldens of Client.Engagements on each wire, and
// its operations there. On 2026-03 it is served on the object APIs, where
// Update has two cases: with metadata, which gives the object type, and
// without, where the type is found first (update-untyped).
var engagementsAPI = map[facade.APIVersion]struct {
	dir string
	ops map[string][]string
}{
	facade.APIv3:      {"v1", v1Ops},
	facade.API2026_03: {"2026-03/v1", with(v1Ops, "Update", "update", "update-untyped")},
	facade.API2026_09: {"2026-09/v1", with(v1Ops, "Update", "update", "update-untyped")},
}

// with returns a copy of ops with method's names replaced by names.
func with(ops map[string][]string, method string, names ...string) map[string][]string {
	out := maps.Clone(ops)
	out[method] = names
	return out
}

// noIO are the services' methods that send nothing.
var noIO = map[string]bool{"ObjectType": true}

// checkCoverage fails unless the facade's methods, the table and the
// directories under testdata/contract name the same operations. The
// services are found on the Client by reflection, on every version
// facade.APIVersions lists: a new service, method or wire needs goldens.
func checkCoverage(t *testing.T, cases []contractCase) {
	t.Helper()
	want := map[string]bool{}
	methods := func(api string, typ reflect.Type, names map[string][]string) {
		for i := range typ.NumMethod() {
			m := typ.Method(i).Name
			if noIO[m] {
				continue
			}
			ops, ok := names[m]
			if !ok {
				t.Errorf("%s.%s has no contract operation: name it, add a table entry and testdata/contract/%s/<op>/", typ, m, api)
				continue
			}
			for _, op := range ops {
				want[api+"/"+op] = true
			}
		}
	}
	for _, v := range facade.APIVersions {
		c, err := facade.New(facade.WithToken(contractToken), facade.WithAPIVersion(v))
		if err != nil {
			t.Fatal(err)
		}
		cv := reflect.ValueOf(c).Elem()
		for i := range cv.NumField() {
			f := cv.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			switch svc := cv.Field(i).Interface().(type) {
			case *facade.EngagementsService:
				api, ok := engagementsAPI[v]
				if !ok {
					t.Errorf("Client.Engagements on the %s wire has no goldens: add the wire to engagementsAPI", v)
					continue
				}
				methods(api.dir, f.Type, api.ops)
			case interface{ ObjectType() facade.ObjectType }:
				ops := with(with(objectOps, "Merge"), "GDPRDelete") // not on this wire: no goldens
				if since2026_09(v) {
					ops = with(with(objectOps, "Merge", "merge"), "GDPRDelete", "gdpr-delete")
				}
				methods(string(v)+"/"+string(svc.ObjectType()), f.Type, ops)
			default:
				t.Errorf("Client.%s (%s) is no service the contract test knows", f.Name, f.Type)
			}
		}
	}

	table := map[string]bool{}
	for _, tc := range cases {
		k := tc.api + "/" + tc.op
		if table[k] {
			t.Errorf("table: %s twice", k)
		}
		table[k] = true
	}
	dirs := goldenDirs(t)
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

// goldenDirs are the directories under contractDir that hold goldens, as
// slash-separated paths relative to it ("v1/create", "2026-03/notes/get").
// Any other file there but the README is an error.
func goldenDirs(t *testing.T) map[string]bool {
	t.Helper()
	dirs := map[string]bool{}
	err := filepath.WalkDir(contractDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(contractDir, path)
		if err != nil {
			return err
		}
		if _, _, ok := goldenFile(d.Name()); ok {
			dirs[filepath.ToSlash(filepath.Dir(rel))] = true
		} else if rel != "README.md" {
			t.Errorf("%s: unexpected file", path)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dirs
}

// goldenFileName is a golden's file name: request.json or response.json for
// an operation of one exchange, n.request.json or n.response.json (n from
// 1, no leading zero) for the n-th exchange of a sequence.
var goldenFileName = regexp.MustCompile(`^(?:([1-9][0-9]?)\.)?(request|response)\.json$`)

// goldenFile parses a golden's file name: n is its exchange's number (0
// when unnumbered), kind "request" or "response".
func goldenFile(name string) (n int, kind string, ok bool) {
	m := goldenFileName.FindStringSubmatch(name)
	if m == nil {
		return 0, "", false
	}
	if m[1] != "" {
		n, _ = strconv.Atoi(m[1])
	}
	return n, m[2], true
}

// --- the fake HubSpot -------------------------------------------------------

// exchange is one request of an operation and HubSpot's answer to it:
// <name>request.json and <name>response.json, name "" for an operation of
// one exchange and "1.", "2.", … for a sequence.
type exchange struct {
	name string
	resp wireResponse
}

type recorder struct {
	mu    sync.Mutex
	reqs  []wireRequest
	auth  []string
	stray []string // requests outside the prefix
	extra []string // requests past the last exchange
}

// newContractServer answers the n-th request under contractPrefix with the
// n-th exchange's response, and records what it receives. A request outside
// the prefix gets a 404, one past the last exchange a 400; both are
// recorded as such, and fail the test in all.
func newContractServer(t *testing.T, exchanges []exchange) (*httptest.Server, *recorder) {
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
		n := len(rec.reqs)
		if n >= len(exchanges) {
			rec.extra = append(rec.extra, r.Method+" /"+path)
			rec.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"status":"error","category":"VALIDATION_ERROR","message":"contract test: a request past the last exchange"}`)
			return
		}
		rec.reqs = append(rec.reqs, wr)
		rec.auth = append(rec.auth, r.Header.Get("Authorization"))
		rec.mu.Unlock()

		resp := exchanges[n].resp
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

// all returns the requests the operation sent, which must be exactly n, one
// per exchange, each with the bearer token and a JSON body if any.
func (r *recorder) all(t *testing.T, n int) []wireRequest {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.stray) > 0 {
		t.Errorf("requests outside %s/: %q", contractPrefix, r.stray)
	}
	if len(r.extra) > 0 {
		t.Errorf("requests past the %d exchanges of the goldens: %q", n, r.extra)
	}
	if len(r.reqs) != n {
		t.Fatalf("%d requests under %s/, want exactly %d: %+v", len(r.reqs), contractPrefix, n, r.reqs)
	}
	for i, auth := range r.auth {
		if auth != "Bearer "+contractToken {
			t.Errorf("request %d: Authorization = %q, want the bearer token", i+1, strings.ReplaceAll(auth, contractToken, redacted))
		}
		if body, ok := r.reqs[i].Body.(json.RawMessage); ok && !json.Valid(body) {
			t.Fatalf("request %d: body is not JSON: %s", i+1, body)
		}
	}
	return slices.Clone(r.reqs)
}

// --- goldens ----------------------------------------------------------------

// readExchanges reads the answers of an operation's exchanges (see
// loadExchanges), failing the test on any error.
func readExchanges(t *testing.T, dir string) []exchange {
	t.Helper()
	exchanges, err := loadExchanges(dir)
	if err != nil {
		t.Fatal(err)
	}
	return exchanges
}

// loadExchanges reads the answers of an operation's exchanges, in order,
// and checks the directory's files: request.json and response.json, or
// 1.response.json … n.response.json (n ≥ 2) with their requests (missing
// ones are written by -update), and nothing else. The last answer is a
// 2xx; an earlier one may also be a 404 (a find by id trying the next
// object type).
func loadExchanges(dir string) ([]exchange, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	responses, requests := map[int]bool{}, map[int]bool{}
	for _, e := range entries {
		n, kind, ok := goldenFile(e.Name())
		switch {
		case !ok:
			return nil, fmt.Errorf("%s/%s: unexpected file", dir, e.Name())
		case kind == "response":
			responses[n] = true
		default:
			requests[n] = true
		}
	}
	count := len(responses)
	switch {
	case responses[0] && count == 1:
	case responses[0]:
		return nil, fmt.Errorf("%s: response.json and numbered answers: one exchange is response.json, a sequence 1.response.json, 2.response.json, …", dir)
	case count == 1:
		return nil, fmt.Errorf("%s: a sequence of one exchange: name it response.json", dir)
	case count == 0:
		return nil, fmt.Errorf("%s: no response.json (it is hand-written from HubSpot's documentation)", dir)
	}
	for n := range requests {
		if count == 1 && n != 0 || count > 1 && (n == 0 || n > count) {
			return nil, fmt.Errorf("%s: a request file that answers no response file (number %d)", dir, n)
		}
	}
	var out []exchange
	for i := range count {
		name := ""
		if count > 1 {
			name = strconv.Itoa(i+1) + "."
			if !responses[i+1] {
				return nil, fmt.Errorf("%s: %d answers, but no %sresponse.json", dir, count, name)
			}
		}
		resp, err := loadResponse(filepath.Join(dir, name+"response.json"))
		if err != nil {
			return nil, err
		}
		if ok := resp.Status >= 200 && resp.Status <= 299 || resp.Status == http.StatusNotFound && i < count-1; !ok {
			return nil, fmt.Errorf("%s/%sresponse.json: status %d, want 2xx (or 404 before the last exchange)", dir, name, resp.Status)
		}
		out = append(out, exchange{name, resp})
	}
	return out, nil
}

func readResponse(t *testing.T, file string) wireResponse {
	t.Helper()
	resp, err := loadResponse(file)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func loadResponse(file string) (wireResponse, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return wireResponse{}, err
	}
	var resp wireResponse
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&resp); err != nil {
		return wireResponse{}, fmt.Errorf("%s: %w", file, err)
	}
	return resp, nil
}

// compareRequest compares the request sent with <name>request.json in dir,
// or rewrites that file with it under -update. Bodies are compared as
// decoded JSON.
func compareRequest(t *testing.T, dir, name string, got wireRequest) {
	t.Helper()
	file := filepath.Join(dir, name+"request.json")
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

// The inputs of the v1 create and update cases, on both wires.
var (
	newNote = facade.EngagementInput{
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
	}
	noteUpdate = facade.EngagementUpdateInput{
		ID:       noteID,
		OwnerID:  ptr(int64(77367891)),
		Metadata: &facade.NoteMetadata{Body: updatedBody},
	}
)

// checkDispositions reads the call dispositions and checks them against
// HubSpot's answer.
func checkDispositions(t *testing.T, c *facade.Client, body any) {
	t.Helper()
	ds, err := facade.ReadAll(c.Engagements.Dispositions(t.Context()))
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
}

func v1Cases() []contractCase {
	v1 := func(op string, run func(t *testing.T, c *facade.Client, body any)) contractCase {
		return contractCase{api: "v1", op: op, version: facade.APIv3, run: run}
	}
	return []contractCase{
		v1("create", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Create(t.Context(), newNote)
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
		}),
		v1("get", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Get(t.Context(), callID)
			noErr(t, err)
			checkEngagement(t, "get", e, body)
			eq(t, "Type", e.Type(), facade.TypeCall)
			eq(t, "UID", e.UID(), "") // no uid
			m, err := e.Metadata()
			noErr(t, err)
			cm, ok := m.(*facade.CallMetadata)
			if !ok {
				t.Fatalf("Metadata is %T, want *CallMetadata", m)
			}
			eq(t, "Disposition", cm.Disposition, "f240bbac-87c9-4f6e-bf70-924b57d47db7")
			eq(t, "DurationMilliseconds", cm.DurationMilliseconds, 38000)
			eq(t, "Extra[title]", string(cm.Extra["title"]), `"Renewal call with Brian"`)
		}),
		v1("update", func(t *testing.T, c *facade.Client, body any) {
			e, err := c.Engagements.Update(t.Context(), noteUpdate)
			noErr(t, err)
			checkEngagement(t, "update", e, body)
			eq(t, "OwnerID", e.OwnerID(), 77367891)
		}),
		v1("archive", func(t *testing.T, c *facade.Client, _ any) {
			noErr(t, c.Engagements.Archive(t.Context(), noteID))
		}),
		v1("dispositions", func(t *testing.T, c *facade.Client, body any) {
			checkDispositions(t, c, body)
		}),
		v1("list", func(t *testing.T, c *facade.Client, body any) {
			checkNextPage(t, c.Engagements.List(t.Context(), facade.EngagementListParams{Limit: 2}), list(t, body, "results"), checkEngagement)
		}),
		v1("associated", func(t *testing.T, c *facade.Client, body any) {
			checkNextPage(t, c.Engagements.Associated(t.Context(), "CONTACT", contactID, facade.EngagementListParams{Limit: 2}), list(t, body, "results"), checkEngagement)
		}),
		v1("recent-modified", func(t *testing.T, c *facade.Client, body any) {
			checkNextPage(t, c.Engagements.RecentlyModified(t.Context(), facade.RecentlyModifiedParams{Since: since, Count: 2}), list(t, body, "results"), checkEngagement)
		}),
		v1("modified-after", func(t *testing.T, c *facade.Client, body any) {
			checkNextPage(t, c.Engagements.ModifiedAfter(t.Context(), facade.ModifiedAfterParams{Since: since, Limit: 2}), list(t, body, "results"), checkEngagement)
		}),
		// The changes feed reads modified/after from the millisecond
		// before since: changes at or after it.
		v1("changes", func(t *testing.T, c *facade.Client, body any) {
			checkNextPage(t, c.Engagements.Changes(t.Context(), facade.EngagementChangesParams{Since: since, Limit: 2}), list(t, body, "results"), changeOf(checkEngagement))
		}),
	}
}

// changeOf checks a change of Engagements.Changes as check checks an
// Engagement: its Record is one.
func changeOf(check func(t *testing.T, what string, e facade.Engagement, want any)) func(t *testing.T, what string, ch facade.Change, want any) {
	return func(t *testing.T, what string, ch facade.Change, want any) {
		t.Helper()
		var e facade.Engagement
		noErr(t, json.Unmarshal(ch.Record, &e))
		eq(t, what+" ID", ch.ID, strconv.FormatInt(e.ID(), 10))
		eq(t, what+" At", ch.At, e.UpdatedAt())
		check(t, what, e, want)
	}
}

// checkNextPage fetches the pager's next page and checks each of its
// records with check against want, one value each; the listing must say
// there are more (hasMore, paging.next, or an object type still to list).
// It returns the cursor to resume from.
func checkNextPage[T any](t *testing.T, p *facade.Pager[T], want []any, check func(t *testing.T, what string, rec T, want any)) string {
	t.Helper()
	page, err := p.NextPage(t.Context())
	noErr(t, err)
	if len(page.Records) != len(want) {
		t.Fatalf("%d records, want %d", len(page.Records), len(want))
	}
	for i, r := range page.Records {
		check(t, fmt.Sprintf("results[%d]", i), r, want[i])
	}
	if !p.More() || page.Cursor == "" {
		t.Errorf("the answer says there are more: More() = %v, Cursor = %q", p.More(), page.Cursor)
	}
	return page.Cursor
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
