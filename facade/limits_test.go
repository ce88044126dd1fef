package facade_test

import (
	"context"
	"errors"
	"io"
	"net/http"
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
			_, err := c.Notes.Create(ctx, noteProps(body), facade.AssociationTarget{ObjectType: facade.Contacts, ID: "5001"})
			return err
		}},
		{"Update", "properties.hs_note_body", func(ctx context.Context, c *facade.Client, id string, _ int64, body string) error {
			_, err := c.Notes.Update(ctx, id, noteProps(body))
			return err
		}},
		{"BatchCreate", "inputs[1].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			res, err := c.Notes.BatchCreate(ctx, []facade.Properties{noteProps("short"), noteProps(body)})
			return batchErr(err, res)
		}},
		{"BatchCreateAssociated", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			res, err := c.Notes.BatchCreateAssociated(ctx, []facade.CreateInput{{Properties: noteProps(body)}})
			return batchErr(err, res)
		}},
		{"BatchCreateUnique", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			p := noteProps(body)
			p[ext] = "u-1"
			res, err := c.Notes.BatchCreateUnique(ctx, ext, []facade.Properties{p})
			return batchErr(err, res)
		}},
		{"BatchUpdate", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, id string, _ int64, body string) error {
			res, err := c.Notes.BatchUpdate(ctx, []facade.ObjectUpdate{{ID: id, Properties: noteProps(body)}})
			return batchErr(err, res)
		}},
		{"BatchUpsert", "inputs[0].properties.hs_note_body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			res, err := c.Notes.BatchUpsert(ctx, ext, []facade.UpsertInput{{ID: "k-1", Properties: noteProps(body)}})
			if err == nil && len(res.Failures) > 0 {
				return res.Failures[0].Err
			}
			return err
		}},
		{"Engagements.Create", "metadata.body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			_, err := c.Engagements.Create(ctx, facade.NewEngagement{Metadata: &facade.NoteMetadata{Body: body},
				Associations: facade.Associations{ContactIDs: []int64{5001}}})
			return err
		}},
		{"Engagements.Create raw", "metadata.body", func(ctx context.Context, c *facade.Client, _ string, _ int64, body string) error {
			raw := `{"body":"` + body + `"}`
			_, err := c.Engagements.Create(ctx, facade.NewEngagement{Metadata: facade.RawMetadata{Type: facade.TypeNote, JSON: []byte(raw)}})
			return err
		}},
		{"Engagements.Update", "metadata.body", func(ctx context.Context, c *facade.Client, _ string, id int64, body string) error {
			_, err := c.Engagements.Update(ctx, id, facade.EngagementUpdate{Metadata: &facade.NoteMetadata{Body: body}})
			return err
		}},
	}
	for _, v := range facade.APIVersions {
		for _, p := range paths {
			t.Run(string(v)+"/"+p.name, func(t *testing.T) {
				ctx := context.Background()
				c, rec := fakeClient(t, v, hubspottest.WithProperty("notes", hubspottest.Property{Name: ext, Unique: true}))
				note, err := c.Notes.Create(ctx, noteProps("first"))
				if err != nil {
					t.Fatal(err)
				}
				eng, err := c.Engagements.Create(ctx, facade.NewEngagement{Metadata: &facade.NoteMetadata{Body: "first"}})
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
