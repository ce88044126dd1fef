package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func fakeClient(t *testing.T, srv *hubspottest.Server, opts ...Option) *Client {
	t.Helper()
	check := WithHTTPClient(&http.Client{Transport: specCheck{t, http.DefaultTransport}})
	c, err := New(append([]Option{WithToken(srv.Token()), WithBaseURL(srv.URL), WithRateLimit(100000, time.Second), WithSearchRateLimit(100000, time.Second), check}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func collect[T any](t *testing.T, p *Pager[T]) []T {
	t.Helper()
	var out []T
	for r, err := range p.All() {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestEngagementsAgainstTheFake(t *testing.T) {
	srv := hubspottest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	when := time.Date(2025, 3, 15, 14, 30, 0, 0, time.UTC)
	inputs := []Metadata{
		&EmailMetadata{From: &Contact{Email: "rep@example.com", FirstName: "Rep"}, To: []Contact{{Email: "buyer@example.com"}}, Subject: "Quote", Text: "Hello", HTML: "<p>Hello</p>"},
		&CallMetadata{ToNumber: "+15551230000", FromNumber: "+15559870000", Status: "COMPLETED", DurationMilliseconds: 38000, Body: "Discussed pricing", Disposition: "f240bbac-87c9-4f6e-bf70-924b57d47db7"},
		&MeetingMetadata{Body: "Demo", StartTime: Millis(when), EndTime: Millis(when.Add(time.Hour)), Title: "Product demo", InternalMeetingNotes: "bring slides"},
		&TaskMetadata{Body: "Send the contract", Subject: "Contract", Status: "NOT_STARTED", ForObjectType: "CONTACT", TaskType: "TODO", Priority: "HIGH"},
		&NoteMetadata{Body: "Met at the fair 😀", Extra: map[string]json.RawMessage{"futureField": json.RawMessage(`{"kept":true}`)}},
	}
	for _, m := range inputs {
		t.Run(string(m.EngagementType()), func(t *testing.T) {
			e, err := c.Engagements.Create(ctx, EngagementInput{Metadata: m, OwnerID: 7001, Timestamp: when,
				Associations: Associations{ContactIDs: []int64{5001}, Other: map[string][]int64{"quoteIds": {9}}}, AttachmentIDs: []int64{4242}})
			if err != nil {
				t.Fatal(err)
			}
			if e.ID() <= 1<<32 || e.Type() != m.EngagementType() || e.OwnerID() != 7001 || !e.Timestamp().Equal(when) || !e.Active() {
				t.Fatalf("created %s", e.JSON())
			}
			got, err := c.Engagements.Get(ctx, e.ID())
			if err != nil {
				t.Fatal(err)
			}
			meta, err := got.Metadata()
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(m, meta, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("metadata came back changed (-sent +got):\n%s", diff)
			}
			a, err := got.Associations()
			if err != nil || len(a.ContactIDs) != 1 || a.ContactIDs[0] != 5001 || a.Other["quoteIds"][0] != 9 {
				t.Errorf("associations %+v %v", a, err)
			}
			if ids := got.AttachmentIDs(); len(ids) != 1 || ids[0] != 4242 {
				t.Errorf("attachments %v", ids)
			}
			if got.PortalID() == 0 || got.CreatedAt().IsZero() || got.UpdatedAt().IsZero() {
				t.Errorf("header %s", got.JSON())
			}
			newOwner := int64(7002)
			upd, err := c.Engagements.Update(ctx, EngagementUpdateInput{ID: e.ID(), OwnerID: &newOwner})
			if err != nil {
				t.Fatal(err)
			}
			after, _ := upd.Metadata()
			if upd.OwnerID() != 7002 || !cmp.Equal(after, m, cmpopts.EquateEmpty()) {
				t.Errorf("partial update changed more than the owner: %s", upd.JSON())
			}
			if err := c.Engagements.Archive(ctx, e.ID()); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Engagements.Get(ctx, e.ID()); !errors.Is(err, ErrNotFound) {
				t.Fatalf("after delete: %v", err)
			}
		})
	}
	ds, err := drain(c.Engagements.Dispositions(ctx))
	if err != nil || len(ds) != 6 || ds[0].ID == "" || ds[0].Label == "" {
		t.Fatalf("dispositions %v %v", ds, err)
	}
}

func TestV1ListingsAgainstTheFake(t *testing.T) {
	srv := hubspottest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	before := time.Now().Add(-time.Hour)
	n := 0
	for _, typ := range []string{"NOTE", "CALL", "EMAIL", "MEETING", "TASK"} {
		n += len(srv.SeedEngagements(typ, 61))
	}
	check := func(name string, got []Engagement, want int) {
		t.Helper()
		seen := map[int64]bool{}
		for _, e := range got {
			if seen[e.ID()] {
				t.Fatalf("%s: %d twice", name, e.ID())
			}
			seen[e.ID()] = true
		}
		if len(seen) != want {
			t.Errorf("%s: %d records, want %d", name, len(seen), want)
		}
	}
	check("paged", collect(t, c.Engagements.List(ctx, EngagementListParams{Limit: 250})), n)
	check("recent", collect(t, c.Engagements.RecentlyModified(ctx, RecentlyModifiedParams{Count: 100})), n)
	check("modified after", collect(t, c.Engagements.ModifiedAfter(ctx, ModifiedAfterParams{Since: before, Limit: 77})), n)
	var onContact int
	for _, e := range srv.Engagements() {
		if slices.Contains(e.Associations["contactIds"], 5001) {
			onContact++
		}
	}
	check("associated", collect(t, c.Engagements.Associated(ctx, "CONTACT", 5001, EngagementListParams{Limit: 10})), onContact)
}

// objectSuite runs the same checks on Emails and Tasks: one generic service.
// toContact is HubSpot's default association type from the service's
// object type to contacts.
func objectSuite[T interface{ ID() string }](t *testing.T, svc *ObjectService[T], seed func(int) []string, subject string) {
	ctx := context.Background()
	rec, err := svc.Create(ctx, CreateInput{Properties: Properties{subject: "First", OwnerIDProperty: ""}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.Get(ctx, rec.ID(), GetParams{Properties: []string{subject, OwnerIDProperty, "hs_task_priority_never_set"}})
	if err != nil {
		t.Fatal(err)
	}
	o := any(got).(interface {
		Property(string) (PropertyValue, bool)
	})
	if v, ok := o.Property(subject); !ok || v.Value != "First" {
		t.Errorf("%s = %+v", subject, v)
	}
	if v, ok := o.Property("hs_task_priority_never_set"); !ok || !v.Null {
		t.Errorf("an unset requested property must be null, got %+v %v", v, ok)
	}
	if _, err := svc.Update(ctx, UpdateInput{ID: rec.ID(), Properties: Properties{subject: "Second"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Update(ctx, UpdateInput{ID: rec.ID(), Properties: Properties{subject: ""}}); err != nil {
		t.Fatal(err)
	}
	got, _ = svc.Get(ctx, rec.ID(), GetParams{Properties: []string{subject}})
	if v, _ := any(got).(interface {
		Property(string) (PropertyValue, bool)
	}).Property(subject); v.Null || v.Value != "" {
		t.Errorf(`after clearing, %s = %+v, want ""`, subject, v)
	}
	if err := svc.Associate(ctx, rec.ID(), AssociationTarget{ObjectType: Contacts, ID: "5001"}); err != nil {
		t.Fatal(err)
	}
	as, err := drain(svc.Associations(ctx, rec.ID(), AssociationsParams{ToObjectType: "contacts"}))
	if err != nil || len(as) != 1 || as[0].ID != "5001" {
		t.Fatalf("associations %v %v", as, err)
	}
	if err := svc.Dissociate(ctx, rec.ID(), AssociationTarget{ObjectType: Contacts, ID: "5001"}); err != nil {
		t.Fatal(err)
	}
	if err := svc.Archive(ctx, rec.ID()); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Get(ctx, rec.ID(), GetParams{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("archived: %v", err)
	}

	ids := seed(345)
	all := collect(t, svc.List(ctx, ListParams{Limit: 100}))
	if len(all) != 345 {
		t.Fatalf("listed %d, want 345", len(all))
	}
	found := collect(t, svc.Search(ctx, SearchParams{Limit: 200, FilterGroups: []FilterGroup{{Filters: []Filter{{PropertyName: ObjectIDProperty, Operator: OpIn, Values: ids[:150]}}}}}))
	if len(found) != 150 {
		t.Fatalf("search found %d, want 150", len(found))
	}

	// Batches of any size: 250 inputs make 3 requests, results in input order.
	inputs := make([]Properties, 250)
	for i := range inputs {
		inputs[i] = Properties{subject: fmt.Sprintf("batch %03d", i)}
	}
	res, err := svc.BatchCreate(ctx, createInputs(inputs), BatchCreateParams{})
	if err != nil {
		t.Fatal(err)
	}
	created := make([]string, len(res.Records))
	for i, r := range res.Records {
		v, _ := any(r).(interface {
			Property(string) (PropertyValue, bool)
		}).Property(subject)
		if v.Value != fmt.Sprintf("batch %03d", i) {
			t.Fatalf("record %d is %q: not in input order", i, v.Value)
		}
		created[i] = r.ID()
	}
	read, err := svc.BatchRead(ctx, append(append([]string{}, created[:120]...), "999999999999"), BatchReadParams{Properties: []string{subject}})
	var be *BatchError
	if !errors.As(err, &be) || len(be.Failures) != 1 || be.Failures[0].Index != 120 || !errors.Is(be.Failures[0].Err, ErrNotFound) && be.Failures[0].Err.(*APIError).Category != "OBJECT_NOT_FOUND" {
		t.Fatalf("batch read with an unknown id: %v", err)
	}
	for i := range 120 {
		if read.Records[i].ID() != created[i] {
			t.Fatalf("batch read record %d is %s, want %s", i, read.Records[i].ID(), created[i])
		}
	}
	ups := make([]UpdateInput, 150)
	for i := range ups {
		ups[i] = UpdateInput{ID: created[i], Properties: Properties{subject: "updated"}}
	}
	if _, err := svc.BatchUpdate(ctx, ups); err != nil {
		t.Fatal(err)
	}
	if err := svc.BatchArchive(ctx, created); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.BatchRead(ctx, created[:3], BatchReadParams{}); err == nil {
		t.Fatal("archived records were read")
	}
}

func TestObjectsAgainstTheFake(t *testing.T) {
	srv := hubspottest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	t.Run("tasks", func(t *testing.T) { objectSuite(t, c.Tasks, srv.SeedTasks, TaskSubjectProperty) })
	t.Run("emails", func(t *testing.T) { objectSuite(t, c.Emails, srv.SeedEmails, EmailSubjectProperty) })
}

func TestTypedAccessors(t *testing.T) {
	srv := hubspottest.NewServer()
	defer srv.Close()
	c := fakeClient(t, srv)
	ctx := context.Background()
	due := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	task, err := c.Tasks.Create(ctx, CreateInput{Properties: Properties{TaskSubjectProperty: "S", TaskBodyProperty: "B", TaskStatusProperty: "WAITING", TaskPriorityProperty: "HIGH", TaskTypeProperty: "CALL", TimestampProperty: FormatTime(due)}})
	if err != nil {
		t.Fatal(err)
	}
	if d, ok := task.Due(); task.Subject() != "S" || task.Body() != "B" || task.Status() != "WAITING" || task.Priority() != "HIGH" || task.Type() != "CALL" || !ok || !d.Equal(due) {
		t.Errorf("task accessors: %s", task.JSON())
	}
	if task.CreatedAt().IsZero() || task.UpdatedAt().IsZero() || task.Archived() || len(task.Properties()) == 0 {
		t.Errorf("task fields: %s", task.JSON())
	}
	email, err := c.Emails.Create(ctx, CreateInput{Properties: Properties{EmailSubjectProperty: "S", EmailTextProperty: "T", EmailHTMLProperty: "<b>T</b>", EmailDirectionProperty: "EMAIL", EmailStatusProperty: "SENT", TimestampProperty: "1700000000000"}})
	if err != nil {
		t.Fatal(err)
	}
	if ts, ok := email.Timestamp(); email.Subject() != "S" || email.Text() != "T" || email.HTML() != "<b>T</b>" || email.Direction() != "EMAIL" || email.Status() != "SENT" || !ok || ts.UnixMilli() != 1700000000000 {
		t.Errorf("email accessors: %s", email.JSON())
	}
	got, err := c.Tasks.Get(ctx, task.ID(), GetParams{Associations: []ObjectType{Contacts}})
	if err != nil || len(got.Associations(Contacts)) != 0 {
		t.Fatalf("get with associations: %v", err)
	}
}
