package facade_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/facade"
	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// steppedClock is the fake's clock: it moves by step at each call to tick.
type steppedClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *steppedClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *steppedClock) tick()          { c.mu.Lock(); c.now = c.now.Add(c.step); c.mu.Unlock() }

func changesClient(t *testing.T, clock *steppedClock, opts ...facade.Option) (*hubspottest.Server, *facade.Client) {
	t.Helper()
	srv := hubspottest.NewServer(hubspottest.WithClock(clock.Now))
	t.Cleanup(srv.Close)
	c, err := facade.New(append([]facade.Option{facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL),
		facade.WithSearchRateLimit(10000, time.Second), facade.WithRateLimit(100000, 10*time.Second)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func createTasks(t *testing.T, c *facade.Client, clock *steppedClock, n int) []string {
	t.Helper()
	var ids []string
	for i := 0; i < n; i += 100 {
		var in []facade.Properties
		for j := i; j < min(n, i+100); j++ {
			in = append(in, facade.Properties{"hs_task_subject": fmt.Sprintf("task %d", j), "hs_timestamp": "2026-03-01T00:00:00Z"})
		}
		res, err := c.Tasks.BatchCreate(context.Background(), createInputs(in), facade.BatchCreateParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.Records {
			ids = append(ids, r.ID())
		}
		clock.tick()
	}
	return ids
}

// drain reads a feed to its end, stopping after stopAfter changes (0: no
// stop); it returns the changes and the checkpoint.
func drain(t *testing.T, c *facade.Client, p facade.ChangesParams, stopAfter int) ([]facade.Change, string) {
	t.Helper()
	return drainFeed(t, c.Changes(context.Background(), p), stopAfter)
}

// drainFeed reads pg to its end, stopping after stopAfter changes (0: no
// stop); it returns the changes and the checkpoint.
func drainFeed(t *testing.T, pg *facade.Pager[facade.Change], stopAfter int) ([]facade.Change, string) {
	t.Helper()
	var out []facade.Change
	for ch, err := range pg.All() {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ch)
		if len(out) == stopAfter {
			break
		}
	}
	return out, pg.Cursor()
}

func key(ch facade.Change) string { return ch.ID + "@" + ch.At.Format(time.RFC3339Nano) }

// TestChangesPastTheCaps: 12,000 tasks, 100 in each of 120 milliseconds a
// second apart (batches) or all in one millisecond, come out once each, in (time, id) order, and a
// feed stopped after any change resumes from its cursor with the next one.
func TestChangesPastTheCaps(t *testing.T) {
	for _, tc := range []struct {
		name string
		step time.Duration
	}{{"batches", time.Second}, {"one millisecond", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			clock := &steppedClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: tc.step}
			_, c := changesClient(t, clock)
			ids := createTasks(t, c, clock, 12000)
			since := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			p := facade.ChangesParams{Objects: []facade.ObjectType{facade.Tasks}, Since: since}
			// In three runs: stopped after 5,001 changes, then after 3,333.
			all, cursor := inRuns(t, "", []int{5001, 3333, 0}, func(cursor string, stop int) ([]facade.Change, string) {
				p.Cursor = cursor
				return drain(t, c, p, stop)
			})
			seen := map[string]bool{}
			for i, ch := range all {
				if seen[ch.ID] {
					t.Fatalf("change %d: %s twice", i, ch.ID)
				}
				seen[ch.ID] = true
				if ch.Kind != facade.ChangeCreated || ch.ObjectType != facade.Tasks || len(ch.Record) == 0 {
					t.Fatalf("change %d: %+v", i, ch)
				}
				if i > 0 {
					prev := all[i-1]
					if ch.At.Before(prev.At) || ch.At.Equal(prev.At) && len(ch.ID) == len(prev.ID) && ch.ID < prev.ID {
						t.Fatalf("change %d out of order: %s after %s", i, key(ch), key(prev))
					}
				}
			}
			if len(all) != len(ids) {
				t.Fatalf("%d changes, want %d", len(all), len(ids))
			}
			// Caught up: the checkpoint gives nothing more.
			p.Cursor = cursor
			if more, _ := drain(t, c, p, 0); len(more) != 0 {
				t.Fatalf("%d changes after the end, want 0", len(more))
			}
		})
	}
}

// TestChangesUpdatesAndArchives: after a feed caught up, 50 updates and 10
// archives are exactly 60 changes, the archives as ChangeArchived, on
// every wire.
func TestChangesUpdatesAndArchives(t *testing.T) {
	for _, v := range facade.APIVersions {
		t.Run(string(v), func(t *testing.T) { testChangesUpdatesAndArchives(t, v) })
	}
}

func testChangesUpdatesAndArchives(t *testing.T, v facade.APIVersion) {
	clock := &steppedClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Millisecond}
	_, c := changesClient(t, clock, facade.WithAPIVersion(v))
	ids := createTasks(t, c, clock, 300)
	p := facade.ChangesParams{Objects: []facade.ObjectType{facade.Tasks, facade.Notes}, Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	first, cursor := drain(t, c, p, 0)
	if len(first) != 300 {
		t.Fatalf("%d changes, want 300", len(first))
	}
	changeTasks(t, c, clock, ids[:50], ids[100:110])
	p.Cursor = cursor
	got, cursor := drain(t, c, p, 0)
	kinds := map[facade.ChangeKind]int{}
	seen := map[string]bool{}
	for _, ch := range got {
		kinds[ch.Kind]++
		if seen[key(ch)] {
			t.Fatalf("%s twice", key(ch))
		}
		seen[key(ch)] = true
	}
	if len(got) != 60 || kinds[facade.ChangeUpdated] != 50 || kinds[facade.ChangeArchived] != 10 {
		t.Fatalf("%d changes %v, want 50 updated and 10 archived", len(got), kinds)
	}
	p.Cursor = cursor
	if more, _ := drain(t, c, p, 0); len(more) != 0 {
		t.Fatalf("%d changes after the end, want 0", len(more))
	}
}

// TestChangesLateWrites: a task the search index shows only after a later
// one (the feed has passed its modification time) is delivered by the
// next feed from the checkpoint, within the overlap, and nothing twice.
func TestChangesLateWrites(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Millisecond}
	srv, c := changesClient(t, clock)
	srv.SetIndexLag(30 * time.Second)
	late := createTasks(t, c, clock, 100) // modified at t0, found from t0+30s
	srv.SetIndexLag(0)
	createTasks(t, c, clock, 100) // t0+1ms, found at once
	p := facade.ChangesParams{Objects: []facade.ObjectType{facade.Tasks}, Since: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)}
	first, cursor := drain(t, c, p, 0)
	if len(first) != 100 {
		t.Fatalf("%d changes before the index caught up, want 100", len(first))
	}
	clock.step = 31 * time.Second
	clock.tick()
	p.Cursor = cursor
	second, cursor := drain(t, c, p, 0)
	if len(second) != 100 || second[0].ID != late[0] {
		t.Fatalf("%d changes after the index caught up, want the 100 late ones", len(second))
	}
	p.Cursor = cursor
	if more, _ := drain(t, c, p, 0); len(more) != 0 {
		t.Fatalf("%d changes after the end, want 0", len(more))
	}
}

// searches counts the search requests srv answered, and the 429s.
func searches(srv *hubspottest.Server) (n, limited int) {
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/search") {
			n++
		}
		if r.Status == http.StatusTooManyRequests {
			limited++
		}
	}
	return n, limited
}

// TestChangesWithinTheSearchBound: a feed of N changes takes at most
// 1.05 × ⌈N/200⌉ searches (12,000 tasks, 100 a millisecond), and against
// the fake at HubSpot's search limit (5 a second) with the Client at that
// default limits, at most 1.05 × ⌈N/200⌉ / 5 s with no 429.
func TestChangesWithinTheSearchBound(t *testing.T) {
	bound := func(n int) float64 { return 1.05 * float64((n+199)/200) }
	t.Run("requests", func(t *testing.T) {
		clock := &steppedClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: time.Millisecond}
		srv, c := changesClient(t, clock)
		createTasks(t, c, clock, 12000)
		before, _ := searches(srv)
		got, _ := drain(t, c, facade.ChangesParams{Objects: []facade.ObjectType{facade.Tasks}, Since: clock.now.Add(-time.Hour)}, 0)
		n, _ := searches(srv)
		t.Logf("%d changes in %d searches (bound %.1f)", len(got), n-before, bound(len(got)))
		if len(got) != 12000 || float64(n-before) > bound(len(got)) {
			t.Fatalf("%d changes in %d searches, want 12000 in at most %.1f", len(got), n-before, bound(len(got)))
		}
	})
	t.Run("time at the search limit", func(t *testing.T) {
		// Opt-in: it takes 4 s, and on a loaded machine the fake's answer
		// time eats the 5 % the bound leaves.
		if os.Getenv("FEED_BOUND_TEST") == "" {
			t.Skip("set FEED_BOUND_TEST=1 to time the feed at HubSpot's search limit")
		}
		// The real clock: the fake's search limit is a rolling window on it.
		srv := hubspottest.NewServer(hubspottest.WithSearchRateLimit(5, time.Second))
		defer srv.Close()
		clock := &steppedClock{now: time.Now()}
		seed, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL), facade.WithRateLimit(100000, 10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		createTasks(t, seed, clock, 4000)
		// The Client's default limits: searches 200 ms apart.
		c, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		got, _ := drain(t, c, facade.ChangesParams{Objects: []facade.ObjectType{facade.Tasks}, Since: clock.now.Add(-time.Hour)}, 0)
		took := time.Since(start)
		_, n429 := searches(srv)
		limit := time.Duration(bound(len(got)) / 5 * float64(time.Second))
		t.Logf("%d changes in %s (bound %s), %d × 429", len(got), took, limit, n429)
		if len(got) != 4000 || took > limit || n429 != 0 {
			t.Fatalf("%d changes in %s with %d × 429, want 4000 within %s and none", len(got), took, n429, limit)
		}
	})
}

// TestChangesSince: nothing modified before Since is a change, also in the
// overlap a resumed feed reads again, and of a second type.
func TestChangesSince(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), step: 10 * time.Second}
	_, c := changesClient(t, clock)
	createTasks(t, c, clock, 1000) // one batch every 10 s
	since := time.Date(2026, 3, 1, 0, 0, 50, 0, time.UTC)
	p := facade.ChangesParams{Objects: []facade.ObjectType{facade.Notes, facade.Tasks}, Since: since}
	got, cursor := drain(t, c, p, 250)
	p.Cursor = cursor
	rest, _ := drain(t, c, p, 0)
	got = append(got, rest...)
	if len(got) != 500 || got[0].At.Before(since) {
		t.Fatalf("%d changes from %s, want the 500 at or after %s", len(got), got[0].At, since)
	}
}

// changeTasks moves the clock on two seconds, then updates the tasks of
// update and archives those of archive, each in a millisecond of its own.
func changeTasks(t *testing.T, c *facade.Client, clock *steppedClock, update, archive []string) {
	t.Helper()
	clock.step = 2 * time.Second
	clock.tick()
	ctx := context.Background()
	for _, id := range update {
		if _, err := c.Tasks.Update(ctx, facade.UpdateInput{ID: id, Properties: facade.Properties{"hs_task_subject": "changed"}}); err != nil {
			t.Fatal(err)
		}
		clock.tick()
	}
	for _, id := range archive {
		if err := c.Tasks.Archive(ctx, id); err != nil {
			t.Fatal(err)
		}
		clock.tick()
	}
}
