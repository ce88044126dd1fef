package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/facade"
)

// syncedChanges reads DIR/tasks.jsonl and fails on a change written twice.
func syncedChanges(t *testing.T, dir string) []facade.Change {
	t.Helper()
	return syncedFile(t, dir, "tasks")
}

// syncedFile reads DIR/OBJECT.jsonl and fails on a change written twice.
func syncedFile(t *testing.T, dir, object string) []facade.Change {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, object+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	var out []facade.Change
	seen := map[string]bool{}
	for i, l := range lines(string(b)) {
		var ch facade.Change
		if err := json.Unmarshal([]byte(l), &ch); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		k := syncKey(string(ch.ObjectType), ch.ID, ch.At)
		if seen[k] {
			t.Fatalf("line %d: %s twice", i+1, k)
		}
		seen[k] = true
		out = append(out, ch)
	}
	return out
}

// TestSyncResumesAfterACrash: a sync killed (no checkpoint, no cleanup)
// before and after its first checkpoint, then resumed, has every task once;
// after 50 updates and 10 archives, --resume adds exactly those 60 changes.
func TestSyncResumesAfterACrash(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	ids := srv.SeedTasks(2345)
	c := newCLI(t, srv)
	for _, at := range []int{500, 1500} {
		t.Run(fmt.Sprintf("killed after %d", at), func(t *testing.T) {
			c.t = t
			dir := t.TempDir()
			c.runUntilCrash(func(n int) bool { return n == at }, "sync", "--objects", "tasks", "--since", "2000-01-01T00:00:00Z", "--out", dir)
			code, _, stderr := c.run("sync", "--resume", "--out", dir)
			if code != 0 {
				t.Fatalf("resume: exit %d: %s", code, stderr)
			}
			got := syncedChanges(t, dir)
			if len(got) != len(ids) {
				t.Fatalf("%d changes, want %d", len(got), len(ids))
			}
			if !strings.Contains(stderr, "synced") {
				t.Errorf("no summary: %q", stderr)
			}
		})
	}
	t.Run("updates and archives", func(t *testing.T) {
		c.t = t
		dir := t.TempDir()
		if code, _, stderr := c.run("sync", "--objects", "tasks", "--since", "2000-01-01", "--out", dir); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		fc, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		for i := range 50 {
			if _, err := fc.Tasks.Update(ctx, facade.UpdateInput{ID: ids[i], Properties: facade.Properties{"hs_task_subject": "changed"}}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 10 {
			if err := fc.Tasks.Archive(ctx, ids[1000+i]); err != nil {
				t.Fatal(err)
			}
		}
		if code, _, stderr := c.run("sync", "--resume", "--out", dir); code != 0 {
			t.Fatalf("resume: exit %d: %s", code, stderr)
		}
		got := syncedChanges(t, dir)[len(ids):]
		kinds := map[facade.ChangeKind]int{}
		for _, ch := range got {
			kinds[ch.Kind]++
		}
		if len(got) != 60 || kinds[facade.ChangeUpdated] != 50 || kinds[facade.ChangeArchived] != 10 {
			t.Fatalf("%d changes %v, want 50 updated and 10 archived", len(got), kinds)
		}
	})
}

// TestSyncFollow: --follow polls until interrupted, writing a change made
// while it runs; Ctrl-C keeps the checkpoint, and --resume then has
// nothing new.
func TestSyncFollow(t *testing.T) {
	t.Parallel()
	srv := testServer()
	defer srv.Close()
	ids := srv.SeedTasks(300)
	c := newCLI(t, srv)
	fc, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.hooks.progress = func(n int) {
		switch n {
		case 300: // the first pass is written: change a task for the next
			if _, err := fc.Tasks.Update(ctx, facade.UpdateInput{ID: ids[7], Properties: facade.Properties{"hs_task_subject": "changed"}}); err != nil {
				t.Error(err)
			}
		case 301:
			cancel()
		}
	}
	code, _, stderr := c.runCtx(ctx, "", "sync", "--objects", "tasks", "--since", "2000-01-01", "--out", dir, "--follow", "--interval", "10ms")
	c.hooks.progress = nil
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := syncedChanges(t, dir)
	if len(got) != 301 || got[300].ID != ids[7] || got[300].Kind != facade.ChangeUpdated {
		t.Fatalf("%d changes, want 300 and the update", len(got))
	}
	if code, _, stderr := c.run("sync", "--resume", "--out", dir); code != 0 || len(syncedChanges(t, dir)) != 301 {
		t.Fatalf("resume: exit %d: %s; %d changes, want 301", code, stderr, len(syncedChanges(t, dir)))
	}
}

// TestSyncEngagements: --objects engagements, the v1 calling code's feed,
// on the v3 wire (v1 modified/after) and on 2026-09 (the searches): a sync
// killed after 700 changes and resumed has every engagement once; 50
// updates then come as exactly 50 changes more. Mixing engagements with
// the object types is refused.
func TestSyncEngagements(t *testing.T) {
	t.Parallel()
	for _, version := range []string{"v3", "2026-09"} {
		t.Run(version, func(t *testing.T) {
			srv := testServer()
			defer srv.Close()
			ids := srv.SeedTasks(1500)
			c := newCLI(t, srv)
			dir := t.TempDir()
			c.runUntilCrash(func(n int) bool { return n == 700 }, "--api-version", version, "sync", "--objects", "engagements", "--since", "2000-01-01T00:00:00Z", "--out", dir)
			if code, _, stderr := c.run("--api-version", version, "sync", "--resume", "--out", dir); code != 0 {
				t.Fatalf("resume: exit %d: %s", code, stderr)
			}
			got := syncedFile(t, dir, "engagements")
			if len(got) != len(ids) {
				t.Fatalf("%d changes, want %d", len(got), len(ids))
			}
			for i, ch := range got {
				var e facade.Engagement
				if err := json.Unmarshal(ch.Record, &e); err != nil || e.Type() != facade.TypeTask || ch.ObjectType != facade.EngagementsObjectType {
					t.Fatalf("line %d: %+v (%v)", i+1, ch, err)
				}
			}
			fc, err := facade.New(facade.WithToken(srv.Token()), facade.WithBaseURL(srv.URL))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 50 {
				if _, err := fc.Tasks.Update(context.Background(), facade.UpdateInput{ID: ids[i], Properties: facade.Properties{"hs_task_subject": "changed"}}); err != nil {
					t.Fatal(err)
				}
			}
			if code, _, stderr := c.run("--api-version", version, "sync", "--resume", "--out", dir); code != 0 {
				t.Fatalf("resume: exit %d: %s", code, stderr)
			}
			more := syncedFile(t, dir, "engagements")[len(ids):]
			if len(more) != 50 || more[0].Kind != facade.ChangeUpdated {
				t.Fatalf("%d changes after the updates, want 50 updated", len(more))
			}
		})
	}
	c := newCLI(t, nil)
	if code, _, stderr := c.run("sync", "--objects", "engagements,tasks", "--since", "2000-01-01", "--out", t.TempDir()); code != 2 || !strings.Contains(stderr, "alone") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}
