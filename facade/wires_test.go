package facade_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// TestV1ProgramOnEveryWire runs one program written against the v1
// engagements API on every wire: create a NOTE, a CALL and a TASK on a
// contact, get, update, list, find on the contact's timeline, delete, and
// a 65,537-unit note refused before any request. On the dated wire no
// request may go to a numbered path.
func TestV1ProgramOnEveryWire(t *testing.T) {
	for _, v := range facade.APIVersions {
		t.Run(string(v), func(t *testing.T) {
			srv := hubspottest.NewServer()
			defer srv.Close()
			c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL), facade.WithAPIVersion(v),
				facade.WithHTTPClient(&http.Client{Transport: facade.SpecCheckTransport(t, "", http.DefaultTransport.(*http.Transport).Clone())}))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			const contact = 5001
			when := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			metas := []facade.Metadata{
				&facade.NoteMetadata{Body: "Called; will send the quote"},
				&facade.CallMetadata{Body: "Discovery call", Status: facade.CallCompleted, DurationMilliseconds: 90_000, ToNumber: "+15555550100"},
				&facade.TaskMetadata{Subject: "Send the quote", Body: "by Friday", Status: facade.TaskNotStarted, Priority: facade.PriorityHigh, TaskType: facade.TaskTypeEmail},
			}
			var ids []int64
			for _, m := range metas {
				e, err := c.Engagements.Create(ctx, facade.EngagementInput{Metadata: m, OwnerID: 7001, Timestamp: when,
					Associations: facade.Associations{ContactIDs: []int64{contact}}})
				if err != nil {
					t.Fatalf("create %s: %v", m.EngagementType(), err)
				}
				if e.ID() == 0 || e.Type() != m.EngagementType() || e.OwnerID() != 7001 || !e.Timestamp().Equal(when) {
					t.Errorf("created %s: id %d type %s owner %d at %v", m.EngagementType(), e.ID(), e.Type(), e.OwnerID(), e.Timestamp())
				}
				ids = append(ids, e.ID())
			}
			note, err := c.Engagements.Get(ctx, ids[0])
			if err != nil || note.NoteBody() != "Called; will send the quote" {
				t.Fatalf("get note: %q %v", note.NoteBody(), err)
			}
			if a, _ := note.Associations(); len(a.ContactIDs) != 1 || a.ContactIDs[0] != contact {
				t.Errorf("note associations %+v", a)
			}
			call, err := c.Engagements.Get(ctx, ids[1])
			if cm := call.CallMetadata(); err != nil || cm.DurationMilliseconds != 90_000 || cm.Status != facade.CallCompleted {
				t.Fatalf("get call: %+v %v", cm, err)
			}
			updated, err := c.Engagements.Update(ctx, facade.EngagementUpdateInput{ID: ids[2], Metadata: &facade.TaskMetadata{Status: facade.TaskCompleted}})
			if err != nil || updated.TaskMetadata().Status != facade.TaskCompleted || updated.TaskMetadata().Subject != "Send the quote" {
				t.Fatalf("update task: %+v %v", updated.TaskMetadata(), err)
			}
			owner := int64(7002)
			if e, err := c.Engagements.Update(ctx, facade.EngagementUpdateInput{ID: ids[0], OwnerID: &owner}); err != nil || e.OwnerID() != 7002 {
				t.Fatalf("update owner: %d %v", e.OwnerID(), err)
			}
			seen := map[int64]bool{}
			for e, err := range c.Engagements.List(ctx, facade.EngagementListParams{}).All() {
				if err != nil {
					t.Fatal(err)
				}
				seen[e.ID()] = true
			}
			onTimeline := map[int64]bool{}
			for e, err := range c.Engagements.Associated(ctx, facade.AssociatedContact, contact, facade.EngagementListParams{}).All() {
				if err != nil {
					t.Fatal(err)
				}
				onTimeline[e.ID()] = true
			}
			for _, id := range ids {
				if !seen[id] || !onTimeline[id] {
					t.Errorf("engagement %d: listed %v, on the contact's timeline %v", id, seen[id], onTimeline[id])
				}
			}
			for _, id := range ids {
				if err := c.Engagements.Archive(ctx, id); err != nil {
					t.Fatalf("delete %d: %v", id, err)
				}
			}
			if _, err := c.Engagements.Get(ctx, ids[0]); !errors.Is(err, facade.ErrNotFound) {
				t.Errorf("get after delete: %v", err)
			}
			before := len(srv.Requests())
			_, err = c.Engagements.Create(ctx, facade.EngagementInput{Metadata: &facade.NoteMetadata{Body: strings.Repeat("a", facade.MaxNoteBody+1)}})
			var ve *facade.ValidationError
			if !errors.As(err, &ve) || ve.Actual != facade.MaxNoteBody+1 || len(srv.Requests()) != before {
				t.Errorf("a 65,537-unit note: %v, %d requests sent", err, len(srv.Requests())-before)
			}
			if v != facade.APIv3 {
				for _, r := range srv.Requests() {
					if strings.HasPrefix(r.Path, "/engagements/v1") || strings.HasPrefix(r.Path, "/crm/v3") {
						t.Errorf("the dated wire sent %s %s", r.Method, r.Path)
					}
				}
			}
		})
	}
}

// TestDatedRefusesWhatNoObjectHolds: on the 2026-03 wire a v1 request that
// the object APIs cannot store (a field with no property, an association
// kind with no object association, active false) is refused with a *ValidationError wrapping ErrNoObjectAPI, and no
// request is sent.
func TestDatedRefusesWhatNoObjectHolds(t *testing.T) {
	note := &facade.NoteMetadata{Body: "b"}
	inactive := false
	tests := []struct {
		name string
		eng  facade.EngagementInput
	}{
		{"uid", facade.EngagementInput{Metadata: note, UID: "u-1"}},
		{"owner association", facade.EngagementInput{Metadata: note, Associations: facade.Associations{OwnerIDs: []int64{7}}}},
		{"workflow association", facade.EngagementInput{Metadata: note, Associations: facade.Associations{WorkflowIDs: []int64{7}}}},
		{"active false", facade.EngagementInput{Metadata: note, Active: &inactive}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := hubspottest.New(t)
			c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL), facade.WithAPIVersion(facade.API2026_03))
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Engagements.Create(context.Background(), tt.eng)
			var ve *facade.ValidationError
			if !errors.Is(err, facade.ErrNoObjectAPI) || !errors.As(err, &ve) {
				t.Fatalf("err = %v; want a *ValidationError wrapping ErrNoObjectAPI", err)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
	t.Run("update to active false", func(t *testing.T) {
		srv := hubspottest.New(t)
		c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL), facade.WithAPIVersion(facade.API2026_03))
		if err != nil {
			t.Fatal(err)
		}
		e, err := c.Engagements.Create(context.Background(), facade.EngagementInput{Metadata: note})
		if err != nil {
			t.Fatal(err)
		}
		before := len(srv.Requests())
		_, err = c.Engagements.Update(context.Background(), facade.EngagementUpdateInput{ID: e.ID(), Active: &inactive, Metadata: &facade.NoteMetadata{Body: "c"}})
		if !errors.Is(err, facade.ErrNoObjectAPI) {
			t.Fatalf("err = %v; want ErrNoObjectAPI", err)
		}
		if n := len(srv.Requests()) - before; n != 0 {
			t.Errorf("%d requests sent for a typed update", n)
		}
	})
}
