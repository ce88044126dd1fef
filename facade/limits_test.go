package facade_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// sentLog is a transport that keeps what the client sends.
type sentLog struct {
	mu   sync.Mutex
	next http.RoundTripper
	sent []sentRequest
}

type sentRequest struct {
	method, path, query, body string
}

func (r *sentLog) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(strings.NewReader(string(body)))
	}
	r.mu.Lock()
	r.sent = append(r.sent, sentRequest{req.Method, req.URL.EscapedPath(), req.URL.RawQuery, string(body)})
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

// since returns the requests sent after the n first.
func (r *sentLog) since(n int) []sentRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]sentRequest(nil), r.sent[n:]...)
}

func (r *sentLog) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.sent)
}

// fakeClient is a client of v on a new fake, with its requests recorded.
func fakeClient(t *testing.T, v facade.APIVersion, opts ...hubspottest.Option) (*facade.Client, *sentLog) {
	t.Helper()
	srv := hubspottest.NewServer(opts...)
	t.Cleanup(srv.Close)
	rec := &sentLog{next: http.DefaultTransport}
	c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL), facade.WithAPIVersion(v),
		facade.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	return c, rec
}

// TestNoteBodyLimitEveryPath: a note body of MaxNoteBody+1 UTF-16 code
// units is refused with a *ValidationError before any request, by every
// call that sends one, on every wire; one of MaxNoteBody (emoji count 2)
// is sent and stored.
func TestNoteBodyLimitEveryPath(t *testing.T) {
	const ext = "ext_key"
	atLimit := strings.Repeat("😀", facade.MaxNoteBody/2) // 65,536 units, 32,768 runes
	overLimit := atLimit + "x"                           // 65,537 units
	noteProps := func(body string) facade.Properties { return facade.Properties{facade.NoteBodyProperty: body} }
	paths := []struct {
		name  string
		field string // the field the error names
		call  func(ctx context.Context, c *facade.Client, noteID string, engID int64, body string) error
	}{
		{"Create", "properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			_, err := c.Notes.Create(ctx, facade.CreateInput{Properties: noteProps(body), Associations: []facade.AssociationTarget{facade.AssociationTarget{ObjectType: facade.Contacts, ID: "5001"}}})
			return err
		}},
		{"Update", "properties.hs_note_body", func(ctx context.Context, c *facade.Client, id string, _ int64, body string) error {
			_, err := c.Notes.Update(ctx, facade.UpdateInput{ID: id, Properties: noteProps(body)})
			return err
		}},
		{"BatchCreate", "inputs[1].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			res, err := c.Notes.BatchCreate(ctx, createInputs([]facade.Properties{noteProps("short"), noteProps(body)}), facade.BatchCreateParams{})
			return batchErr(err, res)
		}},
		{"BatchCreate associated", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			res, err := c.Notes.BatchCreate(ctx, []facade.CreateInput{{Properties: noteProps(body)}}, facade.BatchCreateParams{})
			return batchErr(err, res)
		}},
		{"BatchCreate unique", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			p := noteProps(body)
			p[ext] = "u-1"
			res, err := c.Notes.BatchCreate(ctx, createInputs([]facade.Properties{p}), facade.BatchCreateParams{UniqueProperty: ext})
			return batchErr(err, res)
		}},
		{"BatchUpdate", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, id string, _ int64, body string) error {
			res, err := c.Notes.BatchUpdate(ctx, []facade.UpdateInput{{ID: id, Properties: noteProps(body)}})
			return batchErr(err, res)
		}},
		{"BatchUpsert", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			res, err := c.Notes.BatchUpsert(ctx, []facade.UpsertInput{{ID: "k-1", Properties: noteProps(body)}}, facade.BatchUpsertParams{IDProperty: ext})
			if err == nil && len(res.Failures) > 0 {
				return res.Failures[0].Err
			}
			return err
		}},
		{"Engagements.Create", "metadata.body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			_, err := c.Engagements.Create(ctx, facade.EngagementInput{Metadata: &facade.NoteMetadata{Body: body},
				Associations: facade.Associations{ContactIDs: []int64{5001}}})
			return err
		}},
		{"Engagements.Create raw", "metadata.body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			raw := `{"body":"` + body + `"}`
			_, err := c.Engagements.Create(ctx, facade.EngagementInput{Metadata: facade.RawMetadata{Type: facade.TypeNote, JSON: []byte(raw)}})
			return err
		}},
		{"Engagements.Update", "metadata.body", func(ctx context.Context, c *facade.Client, _ string, id int64, body string) error {
			_, err := c.Engagements.Update(ctx, facade.EngagementUpdateInput{ID: id, Metadata: &facade.NoteMetadata{Body: body}})
			return err
		}},
	}
	for _, v := range facade.APIVersions {
		for _, p := range paths {
			t.Run(string(v)+"/"+p.name, func(t *testing.T) {
				ctx := context.Background()
				c, rec := fakeClient(t, v, hubspottest.WithProperty("notes", hubspottest.Property{Name: ext, Unique: true}))
				note, err := c.Notes.Create(ctx, facade.CreateInput{Properties: noteProps("first")})
				if err != nil {
					t.Fatal(err)
				}
				eng, err := c.Engagements.Create(ctx, facade.EngagementInput{Metadata: &facade.NoteMetadata{Body: "first"}})
				if err != nil {
					t.Fatal(err)
				}
				before := rec.count()
				err = p.call(ctx, c, note.ID(), eng.ID(), overLimit)
				var ve *facade.ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("%d units: err = %v, want *ValidationError", facade.MaxNoteBody+1, err)
				}
				if ve.Field != p.field || ve.Limit != facade.MaxNoteBody || ve.Actual != facade.MaxNoteBody+1 {
					t.Errorf("error %q: field %q limit %d actual %v, want %q %d %d", ve, ve.Field, ve.Limit, ve.Actual, p.field, facade.MaxNoteBody, facade.MaxNoteBody+1)
				}
				if sent := rec.since(before); len(sent) != 0 {
					t.Errorf("%d requests sent for a refused body, want 0: first %s %s", len(sent), sent[0].method, sent[0].path)
				}
				if err := p.call(ctx, c, note.ID(), eng.ID(), atLimit); err != nil {
					t.Fatalf("%d units (emoji count 2): %v", facade.MaxNoteBody, err)
				}
				if len(rec.since(before)) == 0 {
					t.Error("a body at the limit sent nothing")
				}
			})
		}
	}
}

// batchErr is the first error of a batch: its own, or its first failure's.
func batchErr[T any](err error, res *facade.BatchResult[T]) error {
	if err != nil || res == nil || len(res.Failures) == 0 {
		return err
	}
	return res.Failures[0].Err
}

// TestPathIDsRefused: an id (or an object type) that would change the
// request's path is refused with a *ValidationError before any request, by
// every call that puts one in a path, on every wire; an id that is only
// unusual is escaped and sent.
func TestPathIDsRefused(t *testing.T) {
	bad := []string{"", ".", "..", "1/2", "../contacts", "1?archived=true", "1#x", "1%2F2", "1 2", " 1", "1\t", "1\n", "1\x00", "1\x7f", "\u2028", "1\\2", "\xff"}
	to := func(id string) facade.AssociationTarget {
		return facade.AssociationTarget{ObjectType: facade.Contacts, ID: id}
	}
	calls := []struct {
		name, field string
		call        func(ctx context.Context, c *facade.Client, id string) error
	}{
		{"Get", "id", func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Tasks.Get(ctx, id, facade.GetParams{})
			return err
		}},
		{"Update", "id", func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Tasks.Update(ctx, facade.UpdateInput{ID: id, Properties: facade.Properties{facade.TaskSubjectProperty: "x"}})
			return err
		}},
		{"Archive", "id", func(ctx context.Context, c *facade.Client, id string) error { return c.Tasks.Archive(ctx, id) }},
		{"Associations", "id", func(ctx context.Context, c *facade.Client, id string) error {
			_, err := facade.ReadAll(c.Notes.Associations(ctx, id, facade.AssociationsParams{ToObjectType: facade.Contacts}))
			return err
		}},
		{"Associations ToObjectType", "ToObjectType", func(ctx context.Context, c *facade.Client, id string) error {
			_, err := facade.ReadAll(c.Notes.Associations(ctx, "1", facade.AssociationsParams{ToObjectType: facade.ObjectType(id)}))
			return err
		}},
		{"Associate", "id", func(ctx context.Context, c *facade.Client, id string) error {
			return c.Calls.Associate(ctx, id, to("9"))
		}},
		{"Associate to.ID", "to.ID", func(ctx context.Context, c *facade.Client, id string) error {
			return c.Calls.Associate(ctx, "1", to(id))
		}},
		{"Associate to.ObjectType", "to.ObjectType", func(ctx context.Context, c *facade.Client, id string) error {
			return c.Calls.Associate(ctx, "1", facade.AssociationTarget{ObjectType: facade.ObjectType(id), ID: "9", Type: 1})
		}},
		{"Dissociate", "id", func(ctx context.Context, c *facade.Client, id string) error {
			return c.Meetings.Dissociate(ctx, id, to("9"))
		}},
		{"Dissociate to.ID", "to.ID", func(ctx context.Context, c *facade.Client, id string) error {
			return c.Meetings.Dissociate(ctx, "1", to(id))
		}},
		{"Create association", "associations[0].ID", func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Emails.Create(ctx, facade.CreateInput{Properties: facade.Properties{facade.EmailSubjectProperty: "x"}, Associations: []facade.AssociationTarget{to(id)}})
			return err
		}},
		{"BatchCreate associated", "inputs[0].associations[0].ID", func(ctx context.Context, c *facade.Client, id string) error {
			_, err := c.Emails.BatchCreate(ctx, []facade.CreateInput{{Properties: facade.Properties{facade.EmailSubjectProperty: "x"}, Associations: []facade.AssociationTarget{to(id)}}}, facade.BatchCreateParams{})
			return err
		}},
	}
	for _, v := range facade.APIVersions {
		c, rec := fakeClient(t, v)
		for _, cl := range calls {
			for _, id := range bad {
				t.Run(string(v)+"/"+cl.name+"/"+strconv.Quote(id), func(t *testing.T) {
					before := rec.count()
					err := cl.call(context.Background(), c, id)
					var ve *facade.ValidationError
					if !errors.As(err, &ve) || ve.Field != cl.field {
						t.Fatalf("err = %v, want a *ValidationError of %s", err, cl.field)
					}
					if sent := rec.since(before); len(sent) != 0 {
						t.Errorf("sent %s %s, want no request", sent[0].method, sent[0].path)
					}
				})
			}
		}
		// Unusual but harmless: escaped into one segment, and sent (the
		// fake answers 404: no such record).
		for _, id := range []string{"abc", "a:b@c", "é", "1.5", "...", "a+b"} {
			before := rec.count()
			_, err := c.Tasks.Get(context.Background(), id, facade.GetParams{})
			if errors.As(err, new(*facade.ValidationError)) {
				t.Errorf("%s: Get(%q) refused: %v", v, id, err)
			}
			sent := rec.since(before)
			if len(sent) != 1 || !strings.HasSuffix(sent[0].path, "/tasks/"+url.PathEscape(id)) {
				t.Errorf("%s: Get(%q) sent %v, want one GET of …/tasks/%s", v, id, sent, url.PathEscape(id))
			}
		}
	}
}

// readCalls are the reads of svc, each asking for props (none: the
// defaults).
func readCalls[T any](svc *facade.ObjectService[T], id string) map[string]func(ctx context.Context, props []string) error {
	return map[string]func(ctx context.Context, props []string) error{
		"Get": func(ctx context.Context, props []string) error {
			_, err := svc.Get(ctx, id, facade.GetParams{Properties: props})
			return err
		},
		"List": func(ctx context.Context, props []string) error {
			_, err := svc.List(ctx, facade.ListParams{Properties: props, Limit: 1}).NextPage(ctx)
			return err
		},
		"Search": func(ctx context.Context, props []string) error {
			_, err := svc.Search(ctx, facade.SearchParams{Properties: props, Limit: 1}).NextPage(ctx)
			return err
		},
		"BatchRead": func(ctx context.Context, props []string) error {
			_, err := svc.BatchRead(ctx, []string{id}, facade.BatchReadParams{Properties: props})
			return err
		},
	}
}

// askedFor returns the properties a read asked for: the properties query
// parameter of a GET (comma-separated or repeated), the properties member
// of a POST's body.
func askedFor(t *testing.T, r sentRequest) []string {
	t.Helper()
	if r.method == http.MethodGet {
		q, err := url.ParseQuery(r.query)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range q["properties"] {
			out = append(out, strings.Split(v, ",")...)
		}
		return out
	}
	var body struct {
		Properties []string `json:"properties"`
	}
	if err := json.Unmarshal([]byte(r.body), &body); err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	return body.Properties
}

// TestReadsAskForTheAccessorsProperties: with no Properties, every read of
// every record type asks for the properties its accessors read (HubSpot
// answers hs_createdate, hs_lastmodifieddate and hs_object_id only
// otherwise); Properties that are given are sent as given.
func TestReadsAskForTheAccessorsProperties(t *testing.T) {
	want := map[string][]string{
		"tasks":    {"hs_task_body", "hs_task_priority", "hs_task_status", "hs_task_subject", "hs_task_type", "hs_timestamp"},
		"emails":   {"hs_email_direction", "hs_email_html", "hs_email_status", "hs_email_subject", "hs_email_text", "hs_timestamp"},
		"notes":    {"hs_note_body", "hs_timestamp"},
		"calls":    {"hs_call_body", "hs_call_direction", "hs_call_duration", "hs_call_status", "hs_call_title", "hs_timestamp"},
		"meetings": {"hs_meeting_body", "hs_meeting_end_time", "hs_meeting_outcome", "hs_meeting_start_time", "hs_meeting_title"},
	}
	explicit := []string{"hs_object_id", "hs_timestamp"}
	for _, v := range facade.APIVersions {
		ctx := context.Background()
		c, rec := fakeClient(t, v)
		services := map[string]map[string]func(context.Context, []string) error{
			"tasks": readCalls(c.Tasks, "1"), "emails": readCalls(c.Emails, "1"), "notes": readCalls(c.Notes, "1"),
			"calls": readCalls(c.Calls, "1"), "meetings": readCalls(c.Meetings, "1"),
		}
		for typ, calls := range services {
			for name, call := range calls {
				for _, given := range [][]string{nil, explicit} {
					before := rec.count()
					_ = call(ctx, given) // the record does not exist: a 404 for Get, a 207 or a miss for BatchRead
					sent := rec.since(before)
					if len(sent) != 1 {
						t.Fatalf("%s %s.%s sent %d requests, want 1", v, typ, name, len(sent))
					}
					exp := cmpOr(given, want[typ])
					if got := askedFor(t, sent[0]); !slices.Equal(got, exp) {
						t.Errorf("%s %s.%s(Properties %q) asked for %q, want %q", v, typ, name, given, got, exp)
					}
				}
			}
		}
	}
}

func cmpOr(given, def []string) []string {
	if len(given) == 0 {
		return def
	}
	return given
}

// TestQuickstartReadsTheAccessors: the README's Quickstart loop prints the
// subject and status of every task, though the fake, like HubSpot, answers
// only hs_createdate, hs_lastmodifieddate and hs_object_id to a listing
// that names no properties.
func TestQuickstartReadsTheAccessors(t *testing.T) {
	srv := hubspottest.NewServer()
	defer srv.Close()
	for _, v := range facade.APIVersions {
		c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL), facade.WithAPIVersion(v))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		if _, err := c.Tasks.Create(ctx, facade.CreateInput{Properties: facade.Properties{facade.TaskSubjectProperty: "Send the quote " + string(v),
			facade.TaskStatusProperty: string(facade.TaskWaiting), facade.TimestampProperty: "2026-03-02T10:00:00.000Z"}}); err != nil {
			t.Fatal(err)
		}
		n := 0
		for task, err := range c.Tasks.List(ctx, facade.ListParams{}).All() {
			if err != nil {
				t.Fatal(err)
			}
			n++
			if _, due := task.Due(); task.Subject() == "" || task.Status() != facade.TaskWaiting || !due {
				t.Errorf("%s: task %s: subject %q status %q due %v", v, task.ID(), task.Subject(), task.Status(), due)
			}
		}
		if n == 0 {
			t.Fatalf("%s: no task listed", v)
		}
	}
	// What HubSpot answers when no property is asked for: the three
	// defaults, nothing else.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/crm/v3/objects/tasks", nil)
	req.Header.Set("Authorization", "Bearer "+srv.Token())
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var page struct {
		Results []struct {
			Properties map[string]*string `json:"properties"`
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || len(page.Results) == 0 {
		t.Fatalf("listing: %d results, %v", len(page.Results), err)
	}
	for _, r := range page.Results {
		if got := slices.Sorted(maps.Keys(r.Properties)); !slices.Equal(got, []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"}) {
			t.Errorf("a listing without properties answered %q, want HubSpot's three defaults", got)
		}
	}
}
