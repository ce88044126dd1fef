package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade"
)

// syncCheckpointName is the checkpoint file in --out DIR.
const syncCheckpointName = "checkpoint.json"

// syncCheckpointEvery is how many changes sync writes between checkpoints.
const syncCheckpointEvery = 1000

// syncState is the checkpoint file: the feed's cursor and how long each
// object's file was when it was taken (everything before is covered by
// the cursor).
type syncState struct {
	Version int              `json:"version"`
	Objects []string         `json:"objects"`
	Since   time.Time        `json:"since"`
	Cursor  string           `json:"cursor,omitempty"`
	Bytes   map[string]int64 `json:"bytes"`
	Changes int64            `json:"changes"`
}

type syncFlags struct {
	objects, since, out string
	resume, follow      bool
	interval            time.Duration
}

func (a *app) syncCmd() *cobra.Command {
	var f syncFlags
	cmd := &cobra.Command{
		Use:   "sync --objects tasks,notes,…|all --since TIME --out DIR [--resume] [--follow --interval D]",
		Short: "Keep a copy of activities: every change since a time, one JSON Lines file per object",
		Long: `Sync writes every change (created, updated, archived) of the records of
--objects since --since to DIR/OBJECT.jsonl, one change a line:
{"objectType","id","kind","at","record"}, record as HubSpot sent it. It
reads past HubSpot's 10,000-result search cap, also within one millisecond,
and lists archived records (the search does not find them).

--objects engagements (alone) is the v1 calling code's feed: every
engagement, as v1 JSON; on the v3 wire it reads v1's modified/after, which
lists no archived engagements.

DIR/` + syncCheckpointName + ` is the checkpoint, written atomically after the
data it covers is synced. --resume continues from it: after an interruption,
even kill -9, every change is in DIR exactly once (a line cut short is
dropped, lines written after the checkpoint are not written again). A
resumed sync also re-reads the minute behind the checkpoint, for records
HubSpot's search index showed late.

--follow keeps polling every --interval until interrupted; Ctrl-C keeps
the checkpoint, and --resume continues from it.`,
		Example: `  engagements sync --objects tasks,notes --since 2026-01-01T00:00:00Z --out copy/
  engagements sync --resume --out copy/ --follow --interval 1m`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return a.sync(f) }),
	}
	cmd.Flags().StringVar(&f.objects, "objects", "", "object types to sync, comma-separated, or all; or engagements (the v1 feed) alone")
	cmd.Flags().StringVar(&f.since, "since", "", "sync the changes at or after TIME (RFC 3339 or YYYY-MM-DD)")
	cmd.Flags().StringVar(&f.out, "out", "", "directory of the JSON Lines files and the checkpoint")
	cmd.Flags().BoolVar(&f.resume, "resume", false, "continue from DIR's checkpoint")
	cmd.Flags().BoolVar(&f.follow, "follow", false, "keep polling for changes until interrupted")
	cmd.Flags().DurationVar(&f.interval, "interval", time.Minute, "with --follow, the time between polls")
	return cmd
}

// syncObjects is --objects as object types; engagements (the v1 calling
// code's feed of every engagement) goes alone.
func syncObjects(s string) ([]string, error) {
	crm := objectNames[1:]
	if s == "all" {
		return crm, nil
	}
	var out []string
	for _, o := range strings.Split(s, ",") {
		o = strings.TrimSpace(o)
		if !slices.Contains(objectNames, o) {
			return nil, usagef("--objects: %q is not one of %s (or all)", o, orList(objectNames))
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	if len(out) > 1 && slices.Contains(out, engagementsObject) {
		return nil, usagef("--objects: %s holds the records of the other types: sync it alone", engagementsObject)
	}
	return out, nil
}

// changes is the feed of p: Engagements.Changes for --objects engagements.
func (a *app) changes(p facade.ChangesParams, objects []string) *facade.Pager[facade.Change] {
	if slices.Equal(objects, []string{engagementsObject}) {
		return a.client.Engagements.Changes(a.ctx, facade.EngagementChangesParams{Since: p.Since, Cursor: p.Cursor})
	}
	return a.client.Changes(a.ctx, p)
}

func (a *app) sync(f syncFlags) error {
	if f.out == "" {
		return usagef("--out DIR is required: where the changes and the checkpoint go")
	}
	if f.follow && f.interval <= 0 {
		return usagef("--interval must be positive, got %s", f.interval)
	}
	statePath := filepath.Join(f.out, syncCheckpointName)
	var state syncState
	var p facade.ChangesParams
	if f.resume {
		b, err := readSmallFile(statePath)
		if err != nil {
			return usagef("--resume: no checkpoint in %s (%v): start with --since", f.out, err)
		}
		if err := strictJSON(b, &state); err != nil || state.Version != 1 || len(state.Objects) == 0 {
			return badState(statePath, errors.Join(err, errors.New("not a sync checkpoint")))
		}
		if f.objects != "" {
			objs, err := syncObjects(f.objects)
			if err != nil {
				return err
			}
			if !slices.Equal(objs, state.Objects) {
				return usagef("--objects %s differs from the checkpoint's %s: resume with the same objects, or start a new DIR", strings.Join(objs, ","), strings.Join(state.Objects, ","))
			}
		}
		if f.since != "" {
			return usagef("--since and --resume: the checkpoint says where to continue")
		}
		p.Cursor = state.Cursor
		if p.Cursor == "" {
			// Stopped before its first checkpoint: from the start again.
			p.Since = state.Since
			for _, o := range state.Objects {
				p.Objects = append(p.Objects, facade.ObjectType(o))
			}
		}
	} else {
		if f.objects == "" || f.since == "" {
			return usagef("--objects and --since are required (or --resume)")
		}
		objs, err := syncObjects(f.objects)
		if err != nil {
			return err
		}
		since, err := parseTime(f.since)
		if err != nil {
			return usagef("--since: %v", err)
		}
		if _, err := os.Stat(statePath); err == nil {
			return usagef("%s has a checkpoint: continue with --resume, or give a new DIR", f.out)
		}
		state = syncState{Version: 1, Objects: objs, Since: since, Bytes: map[string]int64{}}
		for _, o := range objs {
			p.Objects = append(p.Objects, facade.ObjectType(o))
		}
		p.Since = since
	}
	if err := os.MkdirAll(f.out, 0o755); err != nil {
		return err
	}
	if state.Bytes == nil {
		state.Bytes = map[string]int64{}
	}
	files := map[string]*syncFile{}
	defer func() {
		for _, sf := range files {
			sf.f.Close()
		}
	}()
	// The changes written after the checkpoint, which the feed gives again.
	written := map[string]bool{}
	for _, o := range state.Objects {
		sf, err := openSyncFile(filepath.Join(f.out, o+".jsonl"), state.Bytes[o], written)
		if err != nil {
			return err
		}
		files[o] = sf
	}
	if err := a.connect(); err != nil {
		return err
	}
	if !f.resume {
		// The first checkpoint: where to start, before any change.
		b, _ := json.Marshal(state)
		if err := writeFileAtomic(statePath, append(b, '\n')); err != nil {
			return err
		}
	}
	prog := a.startProgress(a.progressOn(a.stderr), "syncing "+strings.Join(state.Objects, ","), "changes", "pages", nil)
	defer prog.finish(a)
	prog.before.Store(state.Changes)
	start := a.now()
	kinds := map[facade.ChangeKind]int64{}
	var run int64
	pending := 0
	checkpoint := func(cursor string) error {
		for o, sf := range files {
			n, err := sf.flush()
			if err != nil {
				return err
			}
			state.Bytes[o] = n
		}
		if cursor != "" {
			state.Cursor = cursor
		}
		pending = 0
		b, _ := json.Marshal(state)
		return writeFileAtomic(statePath, append(b, '\n'))
	}
	for {
		pg := a.changes(p, state.Objects)
		for ch, err := range pg.All() {
			if err != nil {
				prog.finish(a)
				if cerr := checkpoint(pg.Cursor()); cerr != nil {
					return errors.Join(err, cerr)
				}
				if a.ctx.Err() != nil {
					a.say("sync: interrupted after %d changes; the checkpoint in %s keeps the place: run with --resume to continue", run, f.out)
					return nil
				}
				return err
			}
			k := syncKey(string(ch.ObjectType), ch.ID, ch.At)
			if written[k] {
				delete(written, k) // in the file already, after the checkpoint
				state.Changes++
			} else {
				if err := files[string(ch.ObjectType)].write(ch); err != nil {
					return err
				}
				run++
				state.Changes++
				kinds[ch.Kind]++
				prog.done.Add(1)
				pending++
			}
			if a.hooks.progress != nil {
				a.hooks.progress(int(run))
			}
			if pending >= syncCheckpointEvery {
				if err := checkpoint(pg.Cursor()); err != nil {
					return err
				}
			}
		}
		if err := checkpoint(pg.Cursor()); err != nil {
			return err
		}
		p = facade.ChangesParams{Cursor: state.Cursor}
		if !f.follow {
			break
		}
		select {
		case <-a.ctx.Done():
			prog.finish(a)
			a.say("sync: stopped after %d changes; the checkpoint in %s keeps the place", run, f.out)
			return nil
		case <-time.After(f.interval):
		}
	}
	prog.finish(a)
	a.say("synced %s (%d created, %d updated, %d archived) in %s to %s; %d in all",
		count(run, "changes"), kinds[facade.ChangeCreated], kinds[facade.ChangeUpdated], kinds[facade.ChangeArchived],
		a.now().Sub(start).Round(time.Millisecond), f.out, state.Changes)
	return nil
}

func syncKey(object, id string, at time.Time) string {
	return object + "/" + id + "@" + at.UTC().Format(time.RFC3339Nano)
}

// syncFile is one object's JSON Lines file.
type syncFile struct {
	f *os.File
	w *bufio.Writer
}

// openSyncFile opens path, drops a line cut short, and adds the changes
// after the checkpoint's length covered to written.
func openSyncFile(path string, covered int64, written map[string]bool) (*syncFile, error) {
	f, err := openLocked("--out", path, false)
	if err != nil {
		return nil, err
	}
	size, err := dropPartialLine(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if covered > size {
		f.Close()
		return nil, badState(path, fmt.Errorf("shorter (%d bytes) than the checkpoint says (%d)", size, covered))
	}
	sc := bufio.NewScanner(io.NewSectionReader(f, covered, size-covered))
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	for sc.Scan() {
		var ch facade.Change
		if err := json.Unmarshal(sc.Bytes(), &ch); err != nil {
			f.Close()
			return nil, badState(path, err)
		}
		written[syncKey(string(ch.ObjectType), ch.ID, ch.At)] = true
	}
	if err := sc.Err(); err != nil {
		f.Close()
		return nil, err
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, err
	}
	return &syncFile{f: f, w: bufio.NewWriterSize(f, 1<<16)}, nil
}

func (sf *syncFile) write(ch facade.Change) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // the record's strings as HubSpot sent them
	if err := enc.Encode(ch); err != nil {
		return err
	}
	_, err := sf.w.Write(b.Bytes())
	return err
}

// flush writes and syncs what is buffered and returns the file's length.
func (sf *syncFile) flush() (int64, error) {
	if err := sf.w.Flush(); err != nil {
		return 0, err
	}
	if err := sf.f.Sync(); err != nil {
		return 0, err
	}
	return sf.f.Seek(0, io.SeekCurrent)
}
