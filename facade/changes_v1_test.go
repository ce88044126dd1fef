package facade_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
)

// drainEngagements reads Engagements.Changes to its end, stopping after
// stopAfter changes (0: no stop); it returns the changes and the checkpoint.
func drainEngagements(t *testing.T, c *facade.Client, p facade.EngagementChangesParams, stopAfter int) ([]facade.Change, string) {
	t.Helper()
	return drainFeed(t, c.Engagements.Changes(context.Background(), p), stopAfter)
}

// inRuns reads a feed in runs, each resumed from the last one's
// checkpoint (cursor, then each run's) and stopped after its count of
// changes (0: to the end); it returns every change and the checkpoint.
func inRuns(t *testing.T, cursor string, stops []int, read func(cursor string, stop int) ([]facade.Change, string)) ([]facade.Change, string) {
	t.Helper()
	var all []facade.Change
	for _, stop := range stops {
		got, cur := read(cursor, stop)
		all = append(all, got...)
		cursor = cur
	}
	return all, cursor
}

// TestEngagementChanges: the v1 calling code's feed, on every wire (v1
// modified/after on v3, the object searches on the dated wires): 2,500
// tasks of one millisecond come out once each as engagements across
// three runs resumed from the checkpoint; then 50 updates, 10 new notes
// and 10 archives are exactly the 60 changes of the v1 wire (which lists
// no archives) or the 70 of the dated wires, and nothing more after.
func TestEngagementChanges(t *testing.T) {
	for _, v := range facade.APIVersions {
		t.Run(string(v), func(t *testing.T) {
			clock := &steppedClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
			_, c := changesClient(t, clock, facade.WithAPIVersion(v))
			ids := createTasks(t, c, clock, 2500)
			p := facade.EngagementChangesParams{Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
			read := func(cursor string, stop int) ([]facade.Change, string) {
				p.Cursor = cursor
				return drainEngagements(t, c, p, stop)
			}
			all, cursor := inRuns(t, "", []int{1001, 777, 0}, read)
			seen := map[string]bool{}
			for i, ch := range all {
				if seen[ch.ID] {
					t.Fatalf("change %d: %s twice", i, ch.ID)
				}
				seen[ch.ID] = true
				var e facade.Engagement
				if err := json.Unmarshal(ch.Record, &e); err != nil || strconv.FormatInt(e.ID(), 10) != ch.ID || e.Type() != facade.TypeTask {
					t.Fatalf("change %d: record %s (%v)", i, ch.Record, err)
				}
				if ch.Kind != facade.ChangeCreated || ch.ObjectType != facade.EngagementsObjectType || !ch.At.Equal(e.UpdatedAt()) {
					t.Fatalf("change %d: %+v", i, ch)
				}
			}
			if len(all) != len(ids) {
				t.Fatalf("%d changes, want %d", len(all), len(ids))
			}

			changeTasks(t, c, clock, ids[:50], ids[100:110])
			for i := range 10 {
				if _, err := c.Engagements.Create(context.Background(), facade.EngagementInput{Metadata: &facade.NoteMetadata{Body: "note " + strconv.Itoa(i)}}); err != nil {
					t.Fatal(err)
				}
				clock.tick()
			}
			want := map[facade.ChangeKind]int{facade.ChangeUpdated: 50, facade.ChangeCreated: 10, facade.ChangeArchived: 10}
			if v == facade.APIv3 {
				delete(want, facade.ChangeArchived) // v1 lists no archived engagements
			}
			// Stopped once after 25 changes, resumed from the checkpoint.
			got, cursor := inRuns(t, cursor, []int{25, 0}, read)
			kinds := map[facade.ChangeKind]int{}
			seenAt := map[string]bool{}
			for _, ch := range got {
				kinds[ch.Kind]++
				if seenAt[key(ch)] {
					t.Fatalf("%s twice", key(ch))
				}
				seenAt[key(ch)] = true
			}
			if len(kinds) != len(want) || kinds[facade.ChangeUpdated] != want[facade.ChangeUpdated] ||
				kinds[facade.ChangeCreated] != want[facade.ChangeCreated] || kinds[facade.ChangeArchived] != want[facade.ChangeArchived] {
				t.Fatalf("changes %v, want %v", kinds, want)
			}
			p.Cursor = cursor
			if more, _ := drainEngagements(t, c, p, 0); len(more) != 0 {
				t.Fatalf("%d changes after the end, want 0", len(more))
			}
		})
	}
}

// TestEngagementChangesParams: what Engagements.Changes refuses before
// any request.
func TestEngagementChangesParams(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	_, c := changesClient(t, clock)
	for name, p := range map[string]facade.EngagementChangesParams{
		"no since": {},
		"limit":    {Since: time.Now(), Limit: 1001},
		"cursor":   {Cursor: "not a cursor"},
		"other feed": {Cursor: func() string {
			_, cur := drain(t, c, facade.ChangesParams{Objects: []facade.ObjectType{facade.Tasks}, Since: time.Now()}, 0)
			return cur
		}()},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := c.Engagements.Changes(context.Background(), p).NextPage(context.Background())
			var ve *facade.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err %v, want a *ValidationError", err)
			}
		})
	}
}
