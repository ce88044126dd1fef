package facade

import (
	"encoding/json"
	"io"
	"iter"
	"math"
	"slices"
	"sync/atomic"

	"context"
	"errors"
	"fmt"
	"github.com/engagekit/hubspot-engagements/hubspottest"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// cutShort answers status with the first half of body, then closes the
// connection: HubSpot's success answer lost halfway.
func cutShort(status int, body string) func(w http.ResponseWriter, r *http.Request, n int64) {
	return func(w http.ResponseWriter, r *http.Request, n int64) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body[:len(body)/2]))
		w.(http.Flusher).Flush()
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close()
		}
	}
}

const createdTask = `{"id":"80000000001","properties":{"hs_task_subject":"a"},"createdAt":"2025-01-01T00:00:00.000Z","updatedAt":"2025-01-01T00:00:00.000Z","archived":false}`

// TestSuccessCutShortIsUncertain: a create whose success answer is lost
// halfway was carried out; it must be reported as maybe created, never as
// failed (which would make a caller send it again).
func TestSuccessCutShortIsUncertain(t *testing.T) {
	batch := `{"status":"COMPLETE","results":[` + createdTask + `],"startedAt":"2025-01-01T00:00:00.000Z","completedAt":"2025-01-01T00:00:00.000Z"}`
	engagement := `{"engagement":{"id":4294968296,"type":"NOTE","timestamp":1},"associations":{},"metadata":{"body":"hello"}}`
	tests := []struct {
		name string
		body string
		call func(c *Client) error
	}{
		{"v3 create", createdTask, func(c *Client) error {
			_, err := c.Tasks.Create(context.Background(), CreateInput{Properties: Properties{"hs_task_subject": "a"}})
			return err
		}},
		{"v1 create", engagement, func(c *Client) error {
			_, err := c.Engagements.Create(context.Background(), EngagementInput{Metadata: &NoteMetadata{Body: "hello"}})
			return err
		}},
		{"batch create", batch, func(c *Client) error {
			res, err := c.Tasks.BatchCreate(context.Background(), createInputs([]Properties{{"hs_task_subject": "a"}}), BatchCreateParams{})
			if res == nil || len(res.Failures) != 1 || !res.Failures[0].Uncertain() {
				return fmt.Errorf("failures %+v: %w", res, err)
			}
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, cutShort(http.StatusCreated, tt.body))
			c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
			err := tt.call(c)
			var u *UncertainError
			if !errors.As(err, &u) {
				t.Fatalf("err = %v, want an *UncertainError", err)
			}
			if s.count() != 1 {
				t.Errorf("%d requests: a create whose answer was lost must not be sent again", s.count())
			}
		})
	}
}

// TestCancelWhileReadingSuccessIsUncertain: the caller's context ends while
// HubSpot's success answer is being read.
func TestCancelWhileReadingSuccessIsUncertain(t *testing.T) {
	tests := []struct {
		name string
		// inHandler cancels as the server sends the answer's start: the
		// client sees the cancellation around the answer's headers.
		inHandler bool
	}{
		{"as the answer starts", true},
		// The observer hears of the attempt once the headers are in and
		// before the body is read: cancelling there cancels the read of
		// the body, the last place a create's answer can be lost.
		{"while the body is read", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			release := make(chan struct{})
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusCreated)
				_, _ = w.Write([]byte(createdTask[:10]))
				w.(http.Flusher).Flush()
				if tt.inHandler {
					cancel() // the caller gives up while the answer is on its way
				}
				<-release
			})
			defer close(release)
			var attempts []AttemptEvent
			c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()), WithObserver(Observer{Attempt: func(e AttemptEvent) {
				attempts = append(attempts, e)
				if !tt.inHandler && e.Status == http.StatusCreated {
					cancel()
				}
			}}))
			_, err := c.Tasks.Create(ctx, CreateInput{Properties: Properties{"hs_task_subject": "a"}})
			var u *UncertainError
			if !errors.As(err, &u) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want an *UncertainError wrapping context.Canceled", err)
			}
			if !tt.inHandler && (len(attempts) != 1 || attempts[0].Status != http.StatusCreated) {
				t.Fatalf("attempts = %+v; want the one answered 201, the body then cut by the cancellation", attempts)
			}
		})
	}
}

// TestRedirectsAreNotFollowed: HubSpot does not redirect; a 3xx must not
// carry the token elsewhere, nor turn a create into a GET.
func TestRedirectsAreNotFollowed(t *testing.T) {
	other := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) { writeJSON(w, 200, createdTask) })
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		http.Redirect(w, r, other.URL+"/prefix/crm/v3/objects/tasks/1", http.StatusFound)
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
	_, getErr := c.Tasks.Get(context.Background(), "1", GetParams{})
	_, createErr := c.Tasks.Create(context.Background(), CreateInput{Properties: Properties{"hs_task_subject": "a"}})
	if other.count() != 0 {
		t.Fatalf("the redirect was followed %d times (with the token)", other.count())
	}
	var api *APIError
	if !errors.As(getErr, &api) || api.StatusCode != http.StatusFound {
		t.Errorf("get: err = %v, want a 302 *APIError", getErr)
	}
	var u *UncertainError
	if !errors.As(createErr, &u) || !errors.As(createErr, &api) || api.StatusCode != http.StatusFound {
		t.Errorf("create: err = %v, want an *UncertainError around the 302", createErr)
	}
}

// TestFarFutureRetryAfterFailsAtOnce: a Retry-After beyond what the retry
// policy has left fails with the 429 instead of waiting (or overflowing).
func TestFarFutureRetryAfterFailsAtOnce(t *testing.T) {
	for _, ra := range []string{"Fri, 31 Dec 9999 23:59:59 GMT", "999999", "9223372036854775807"} {
		// The default policy (2 minutes) and one that would wait days:
		// neither waits a day or more for one answer.
		for _, policy := range []RetryPolicy{{}, {MaxElapsed: 72 * time.Hour}} {
			t.Run(fmt.Sprintf("%s/max %v", ra, policy.MaxElapsed), func(t *testing.T) {
				s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
					w.Header().Set("Retry-After", ra)
					writeJSON(w, 429, `{"status":"error","message":"slow down","errorType":"RATE_LIMIT","policyName":"TEN_SECONDLY_ROLLING"}`)
				})
				clk := newFakeClock()
				c := newClient(t, s.URL+"/prefix", withClock(clk), WithRetryPolicy(policy))
				done := make(chan error, 1)
				go func() {
					_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
					done <- err
				}()
				select {
				case err := <-done:
					if !errors.Is(err, ErrRateLimited) {
						t.Fatalf("err = %v, want the 429", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("still waiting after 10 s")
				}
				if clk.slept > 0 || s.count() != 1 {
					t.Errorf("slept %v and sent %d requests", clk.slept, s.count())
				}
			})
		}
	}
}

// TestSuccessBodyIsBounded: a success answer larger than the limit fails
// with ErrResponseTooLarge.
func TestSuccessBodyIsBounded(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		writeJSON(w, 200, `{"id":"1","properties":{"hs_task_body":"`+strings.Repeat("x", 4096)+`"}}`)
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()), WithMaxResponseBody(1024))
	_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
	if !errors.Is(err, ErrResponseTooLarge) {
		t.Fatalf("err = %v, want ErrResponseTooLarge", err)
	}
	if _, err := New(WithToken("x"), WithMaxResponseBody(0)); err == nil {
		t.Error("WithMaxResponseBody(0) accepted")
	}
	// The largest bound reads the answer (max+1 would overflow to a
	// negative limit, which reads nothing).
	c = newClient(t, s.URL+"/prefix", withClock(newFakeClock()), WithMaxResponseBody(math.MaxInt64))
	if task, err := c.Tasks.Get(context.Background(), "1", GetParams{}); err != nil || task.ID() != "1" {
		t.Errorf("WithMaxResponseBody(math.MaxInt64): %q, %v", task.ID(), err)
	}
}

// TestTokenEchoedByTheServerIsRedacted: an error body or a gateway page
// that quotes the Authorization header must not carry the token into the
// error, its message, its body or its sub-errors.
func TestTokenEchoedByTheServerIsRedacted(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   func(auth string) string
	}{
		{"JSON error quoting the header", 401, "application/json", func(auth string) string {
			return `{"status":"error","message":"bad header ` + auth + `","correlationId":"c","errors":[{"message":"token ` + strings.TrimPrefix(auth, "Bearer ") + ` unknown"}]}`
		}},
		{"HTML gateway page quoting the request", 502, "text/html", func(auth string) string {
			return "<html><body><pre>GET /crm/v3/objects/tasks/1\nAuthorization: " + auth + "</pre></body></html>"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body(r.Header.Get("Authorization")))
			})
			c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
			_, err := c.Tasks.Get(context.Background(), "1", GetParams{})
			var api *APIError
			if !errors.As(err, &api) {
				t.Fatalf("err = %v", err)
			}
			if api.Operation != "tasks.get" || api.Path != "/prefix/crm/v3/objects/tasks/1" {
				t.Errorf("Operation, Path = %q, %q; want the operation's name and the URL path", api.Operation, api.Path)
			}
			all := err.Error() + api.Message + string(api.Body)
			for _, d := range api.Errors {
				all += d.Message
			}
			if strings.Contains(all, testToken) {
				t.Fatalf("the token reached the error: %s", all)
			}
			if !strings.Contains(all, "REDACTED") {
				t.Fatalf("nothing was redacted: %s", all)
			}
		})
	}
}

// TestTokenEchoedInASuccessAnswerIsRedacted: a success answer that quotes
// the token (a 207's per-input error echoing the header, a record a
// careless integration wrote it into) hands it to nobody, and a per-input
// error names its operation in Operation, not in Path.
func TestTokenEchoedInASuccessAnswerIsRedacted(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		auth := r.Header.Get("Authorization")
		switch {
		case strings.HasSuffix(r.URL.Path, "/batch/read"):
			writeJSON(w, 207, `{"status":"COMPLETE","results":[{"id":"1","properties":{"hs_task_subject":"pasted `+auth+`"},"createdAt":"2024-01-01T00:00:00Z","updatedAt":"2024-01-01T00:00:00Z"}],`+
				`"numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"bad header `+auth+`","context":{"ids":["2"],"header":["`+auth+`"]}}],`+
				`"startedAt":"2024-01-01T00:00:00Z","completedAt":"2024-01-01T00:00:00Z"}`)
		default:
			writeJSON(w, 404, `{}`)
		}
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	res, err := c.Tasks.BatchRead(context.Background(), []string{"1", "2"}, BatchReadParams{})
	if err == nil || res == nil || len(res.Failures) != 1 {
		t.Fatalf("res = %+v, err = %v; want one failure", res, err)
	}
	var api *APIError
	if !errors.As(res.Failures[0].Err, &api) {
		t.Fatalf("failure = %v; want an *APIError", res.Failures[0].Err)
	}
	if api.Operation != "tasks.batch.read" || api.Path != "" {
		t.Errorf("Operation, Path = %q, %q; want %q and no path", api.Operation, api.Path, "tasks.batch.read")
	}
	all := err.Error() + api.Error() + api.Message + fmt.Sprint(api.Context)
	for _, r := range res.Records {
		all += string(r.JSON())
	}
	if strings.Contains(all, testToken) {
		t.Fatalf("the token reached the caller: %s", all)
	}
	if strings.Count(all, "REDACTED") < 3 {
		t.Fatalf("message, context and record not all redacted: %s", all)
	}
}

// TestBatchCreateWithUniquePropertyReturnsARefusedLookupAtOnce: when HubSpot refuses the
// lookup of uncertain inputs (here 400, the property is not unique-valued),
// BatchCreate with a unique property returns that *APIError at once, naming the property,
// instead of asking again for five rounds and hiding it.
func TestBatchCreateWithUniquePropertyReturnsARefusedLookupAtOnce(t *testing.T) {
	var lookups atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/batch/create"):
			writeJSON(w, 502, `{"status":"error","message":"bad gateway"}`) // uncertain
		case strings.HasSuffix(r.URL.Path, "/batch/read"):
			lookups.Add(1)
			writeJSON(w, 400, `{"status":"error","message":"import_key is not a unique identifier property","category":"VALIDATION_ERROR","correlationId":"c-400"}`)
		default:
			writeJSON(w, 404, `{}`)
		}
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
	res, err := c.Tasks.BatchCreate(context.Background(), createInputs([]Properties{{"import_key": "k1"}, {"import_key": "k2"}}), BatchCreateParams{UniqueProperty: "import_key"})
	var api *APIError
	if !errors.As(err, &api) || api.StatusCode != 400 || api.CorrelationID != "c-400" {
		t.Fatalf("err = %v, want HubSpot's 400", err)
	}
	if !strings.Contains(err.Error(), "import_key") {
		t.Errorf("the error does not name the property: %v", err)
	}
	if n := lookups.Load(); n != 1 {
		t.Errorf("%d lookups, want 1: a refusal does not change when asked again", n)
	}
	if res == nil || len(res.Failures) != 2 || !res.Failures[0].Uncertain() {
		t.Errorf("result %+v: the inputs must stay uncertain", res)
	}
}

// TestBatchCreateWithUniquePropertyReportsAFailedRecreate: inputs whose create was
// uncertain, looked up and found absent, are created again; when HubSpot
// refuses that create, each input fails with HubSpot's answer, definitely
// (HubSpot answered: nothing was made), and is not reported created.
func TestBatchCreateWithUniquePropertyReportsAFailedRecreate(t *testing.T) {
	var creates atomic.Int64
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/batch/create"):
			if creates.Add(1) == 1 {
				writeJSON(w, 502, `{"status":"error","message":"bad gateway"}`) // uncertain
				return
			}
			writeJSON(w, 400, `{"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR","correlationId":"c-400"}`)
		case strings.HasSuffix(r.URL.Path, "/batch/read"):
			writeJSON(w, 207, `{"status":"COMPLETE","results":[],"numErrors":1,"errors":[{"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some TASK objects, they may be deleted or not exist.","context":{"ids":["k1","k2"]}}],"startedAt":"2024-01-01T00:00:00Z","completedAt":"2024-01-01T00:00:00Z"}`)
		default:
			writeJSON(w, 404, `{}`)
		}
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
	res, err := c.Tasks.BatchCreate(context.Background(), createInputs([]Properties{{"import_key": "k1"}, {"import_key": "k2"}}), BatchCreateParams{UniqueProperty: "import_key"})
	if err == nil || res == nil || len(res.Failures) != 2 {
		t.Fatalf("res = %+v, err = %v; want both inputs failed", res, err)
	}
	if n := creates.Load(); n != 2 {
		t.Errorf("%d creates, want 2: the first (uncertain) and the one of the inputs found absent", n)
	}
	for i, f := range res.Failures {
		var api *APIError
		if f.Index != i || f.Uncertain() || !errors.As(f.Err, &api) || api.StatusCode != 400 || api.CorrelationID != "c-400" {
			t.Errorf("failure %d = %+v (%v); want input %d failed definitely with the 400", i, f, f.Err, i)
		}
		if res.Records[i].ID() != "" {
			t.Errorf("input %d reported created as %q", i, res.Records[i].ID())
		}
	}
}

// TestMissingScopes: HubSpot's 403 MISSING_SCOPES answer is ErrMissingScopes
// and names the scopes from its body.
func TestMissingScopes(t *testing.T) {
	s := newStub(t, func(w http.ResponseWriter, r *http.Request, n int64) {
		writeJSON(w, 403, `{"status":"error","message":"This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.","correlationId":"c-403","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.contacts.read","sales-email-read"]}}],"links":{"scopes":"https://developers.hubspot.com/scopes"},"category":"MISSING_SCOPES"}`)
	})
	c := newClient(t, s.URL+"/prefix", withClock(newFakeClock()))
	_, err := c.Emails.Get(context.Background(), "1", GetParams{})
	if !errors.Is(err, ErrMissingScopes) || errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrMissingScopes", err)
	}
	var api *APIError
	errors.As(err, &api)
	if got := api.MissingScopes(); !slices.Equal(got, []string{"crm.objects.contacts.read", "sales-email-read"}) {
		t.Errorf("MissingScopes() = %v", got)
	}
	if !strings.Contains(err.Error(), "sales-email-read") {
		t.Errorf("the message does not name the scopes: %v", err)
	}
	if s.count() != 1 {
		t.Errorf("%d requests: a 403 is not retried", s.count())
	}
}

// TestListingsDefaultToTheLargestPage: with Limit unset, 300 tasks take 3
// list requests, not 30; a smaller Limit still works.
func TestListingsDefaultToTheLargestPage(t *testing.T) {
	srv := hubspottest.NewServer()
	defer srv.Close()
	srv.SeedTasks(300)
	srv.SeedEngagements("NOTE", 300)
	c := fakeClient(t, srv)
	count := func(p interface{ All() iter.Seq2[Task, error] }) int {
		n := 0
		for _, err := range p.All() {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	for _, tt := range []struct {
		limit, requests int
	}{{0, 3}, {50, 6}} {
		srv.ResetRequests()
		if n := count(c.Tasks.List(context.Background(), ListParams{Limit: tt.limit})); n != 300 {
			t.Fatalf("listed %d", n)
		}
		if got := len(srv.Requests()); got != tt.requests {
			t.Errorf("Limit %d: %d requests, want %d", tt.limit, got, tt.requests)
		}
	}
	srv.ResetRequests()
	n := 0
	for _, err := range c.Engagements.List(context.Background(), EngagementListParams{}).All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	// The v1 listing has the tasks too (one store, as in HubSpot): 600.
	if got := len(srv.Requests()); n != 600 || got != 3 {
		t.Errorf("v1: %d records in %d requests, want 600 in 3 (250 per page)", n, got)
	}
}

// TestEngagementAccessorsNeverFail: the typed metadata accessors read what
// HubSpot sent, keep what does not fit in Extra, and never fail.
func TestEngagementAccessorsNeverFail(t *testing.T) {
	var note, call, other Engagement
	for raw, e := range map[string]*Engagement{
		`{"engagement":{"id":1,"type":"NOTE"},"metadata":{"body":"<p>hi</p>","bodyPreview":"hi"}}`:                                &note,
		`{"engagement":{"id":2,"type":"CALL"},"metadata":{"durationMilliseconds":"12s","status":"COMPLETED","toNumber":"+1555"}}`: &call,
		`{"engagement":{"id":3,"type":"PUBLISHING_TASK"},"metadata":[1,2]}`:                                                       &other,
	} {
		if err := json.Unmarshal([]byte(raw), e); err != nil {
			t.Fatal(err)
		}
	}
	if note.NoteBody() != "<p>hi</p>" || string(note.NoteMetadata().Extra["bodyPreview"]) != `"hi"` {
		t.Errorf("note: %q %v", note.NoteBody(), note.NoteMetadata().Extra)
	}
	if note.CallMetadata().ToNumber != "" || call.NoteBody() != "" {
		t.Error("an accessor of another type returned data")
	}
	// durationMilliseconds is not a number: nothing is lost, nothing fails.
	cm := call.CallMetadata()
	if string(cm.Extra["durationMilliseconds"]) != `"12s"` || string(cm.Extra["toNumber"]) != `"+1555"` {
		t.Errorf("call metadata with a bad field lost data: %+v", cm)
	}
	if _, err := call.Metadata(); err == nil {
		t.Error("Metadata() hid the bad field")
	}
	if m, err := other.Metadata(); err != nil || m.EngagementType() != "PUBLISHING_TASK" {
		t.Errorf("other type: %v %v", m, err)
	}
}

// firstAsks records the page size the first request of each listing asks
// for: the limit or count in its query, or the limit of its JSON body.
type firstAsks struct {
	next  http.RoundTripper
	mu    sync.Mutex
	sizes []string
}

func (f *firstAsks) RoundTrip(req *http.Request) (*http.Response, error) {
	q := req.URL.Query()
	size := q.Get("limit") + q.Get("count")
	if req.Body != nil && size == "" {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(strings.NewReader(string(b)))
		var body struct {
			Limit json.Number `json:"limit"`
		}
		_ = json.Unmarshal(b, &body)
		size = body.Limit.String()
	}
	f.mu.Lock()
	f.sizes = append(f.sizes, size)
	f.mu.Unlock()
	return f.next.RoundTrip(req)
}

func (f *firstAsks) first() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.sizes) == 0 {
		return "(no request)"
	}
	return f.sizes[0]
}

// firstPage fetches the first page of p; an empty listing is no error.
func firstPage[T any](p *Pager[T]) error {
	_, err := p.NextPage(context.Background())
	if errors.Is(err, ErrNoMorePages) {
		return nil
	}
	return err
}

// TestEveryListingAsksForTheLargestPage: with Limit (Count) unset, the
// first request of every listing asks for the largest page its endpoint
// allows, on both wires (HubSpot's maxima, written out: a changed default
// must fail here); a smaller Limit is asked for as given. The requests are
// checked against the specs on the way.
func TestEveryListingAsksForTheLargestPage(t *testing.T) {
	since := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	list := func(c *Client, n int) error { return firstPage(c.Tasks.List(ctx, ListParams{Limit: n})) }
	search := func(c *Client, n int) error { return firstPage(c.Tasks.Search(ctx, SearchParams{Limit: n})) }
	v1List := func(c *Client, n int) error {
		return firstPage(c.Engagements.List(ctx, EngagementListParams{Limit: n}))
	}
	associated := func(c *Client, n int) error {
		return firstPage(c.Engagements.Associated(ctx, AssociatedContact, 1, EngagementListParams{Limit: n}))
	}
	recent := func(c *Client, n int) error {
		return firstPage(c.Engagements.RecentlyModified(ctx, RecentlyModifiedParams{Count: n}))
	}
	modified := func(c *Client, n int) error {
		return firstPage(c.Engagements.ModifiedAfter(ctx, ModifiedAfterParams{Since: since, Limit: n}))
	}
	tests := []struct {
		name    string
		version APIVersion
		call    func(c *Client, limit int) error
		largest int
	}{
		{"v3 list", APIv3, list, 100},
		{"v3 search", APIv3, search, 200},
		{"v1 paged", APIv3, v1List, 250},
		{"v1 associated", APIv3, associated, 250},
		{"v1 recent", APIv3, recent, 100},
		{"v1 modified after", APIv3, modified, 1000},
		{"2026-03 list", API2026_03, list, 100},
		{"2026-03 search", API2026_03, search, 200},
		// The dated engagements listings are object listings and searches.
		{"2026-03 engagements list", API2026_03, v1List, 100},
		{"2026-03 engagements associated", API2026_03, associated, 200},
		{"2026-03 engagements recent", API2026_03, recent, 200},
		{"2026-03 engagements modified after", API2026_03, modified, 200},
	}
	for _, tt := range tests {
		for _, limit := range []int{0, 7} {
			t.Run(fmt.Sprintf("%s/limit %d", tt.name, limit), func(t *testing.T) {
				srv := hubspottest.NewServer()
				defer srv.Close()
				rec := &firstAsks{next: specCheck{t, http.DefaultTransport}}
				c := fakeClient(t, srv, WithAPIVersion(tt.version), WithHTTPClient(&http.Client{Transport: rec}))
				if err := tt.call(c, limit); err != nil {
					t.Fatal(err)
				}
				want := cmpOr(limit, tt.largest)
				if got := rec.first(); got != fmt.Sprint(want) {
					t.Errorf("the first request asked for %s records, want %d", got, want)
				}
			})
		}
	}
}
