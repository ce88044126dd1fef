package hubspottest_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// TestFacadeV1TimelineOnEveryWire runs the facade's v1 engagements API
// against the fake on each wire: on 2026-03 the facade serves the
// associated timeline as searches on the associations.contact
// pseudo-property, and must find what the v3 wire's v1 listing finds,
// whichever wire made the records; every answer is checked against its
// document.
func TestFacadeV1TimelineOnEveryWire(t *testing.T) {
	srv := hubspottest.New(t)
	ctx := context.Background()
	clients := map[facade.APIVersion]*facade.Client{}
	for _, v := range facade.APIVersions {
		c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL), facade.WithAPIVersion(v),
			facade.WithHTTPClient(&http.Client{Transport: validator{t, http.DefaultTransport}, Timeout: 30 * time.Second}))
		if err != nil {
			t.Fatal(err)
		}
		clients[v] = c
	}
	const contact = 5001
	metas := []facade.Metadata{
		&facade.NoteMetadata{Body: "Called; will send the quote"},
		&facade.CallMetadata{Body: "Discovery call", Status: facade.CallCompleted, DurationMilliseconds: 90_000},
		&facade.MeetingMetadata{Title: "Demo", Body: "slides"},
		&facade.TaskMetadata{Subject: "Send the quote", Status: facade.TaskNotStarted},
		&facade.EmailMetadata{Subject: "Quote", Text: "Attached"},
	}
	var want []int64
	for i, m := range metas {
		// Made on both wires, in turn.
		c := clients[facade.APIVersions[i%len(facade.APIVersions)]]
		e, err := c.Engagements.Create(ctx, facade.EngagementInput{Metadata: m, OwnerID: 7001, Timestamp: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC),
			Associations: facade.Associations{ContactIDs: []int64{contact}}})
		if err != nil {
			t.Fatalf("create %s: %v", m.EngagementType(), err)
		}
		want = append(want, e.ID())
	}
	// Seeded records are on the timeline of one of the contacts 5001..5005.
	for _, id := range srv.SeedEngagements("NOTE", 6) {
		if e, _ := srv.Engagement(id); slices.Contains(e.Associations["contactIds"], contact) {
			want = append(want, id)
		}
	}
	for v, c := range clients {
		srv.ResetRequests()
		var got []int64
		for e, err := range c.Engagements.Associated(ctx, facade.AssociatedContact, contact, facade.EngagementListParams{}).All() {
			if err != nil {
				t.Fatalf("%s: %v", v, err)
			}
			// (On 2026-03 the records come from searches, whose answers
			// carry no associations: the facade leaves them empty.)
			if a, _ := e.Associations(); v == facade.APIv3 && !slices.Contains(a.ContactIDs, contact) {
				t.Errorf("%s: %d is not associated with the contact: %+v", v, e.ID(), a)
			}
			got = append(got, e.ID())
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s timeline %v, want %v", v, got, want)
		}
		for _, r := range srv.Requests() {
			if numbered := strings.HasPrefix(r.Path, "/engagements/v1") || strings.HasPrefix(r.Path, "/crm/v3"); numbered == (v != facade.APIv3) {
				t.Errorf("%s wire sent %s %s", v, r.Method, r.Path)
			}
		}
	}
}
