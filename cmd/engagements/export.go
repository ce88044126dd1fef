package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade"
)

type exportFlags struct {
	object, since, properties, out string
	resume                         bool
}

func (a *app) exportCmd() *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export --object engagements|emails|tasks [--since TIME] [--properties a,b] [--out FILE] [--resume]",
		Short: "Export records as JSON Lines, exactly as HubSpot returns them",
		Long: `Export writes one record per line, exactly as HubSpot returned it.

engagements uses the v1 API: every engagement (paged), or with --since the ones
modified after TIME (modified/after). emails and tasks use the v3 API: every
record, or with --since a search on hs_lastmodifieddate.

With --out, the position is saved beside the file (FILE.cursor) as the export
goes; after an interruption, the same command with --resume continues where
it stopped, without repeating or skipping a line.

TIME is RFC 3339 (2025-01-31T12:00:00Z), a date (2025-01-31) or epoch ms.`,
		Example: `  engagements export --object tasks --properties hs_task_subject,hs_task_status > tasks.jsonl
  engagements export --object engagements --since 2025-01-01 --out eng.jsonl
  engagements export --object engagements --since 2025-01-01 --out eng.jsonl --resume
  engagements --demo export --object emails`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return a.export(f) }),
	}
	cmd.Flags().StringVar(&f.object, "object", "", "what to export: engagements, emails or tasks")
	cmd.Flags().StringVar(&f.since, "since", "", "only records modified after TIME")
	cmd.Flags().StringVar(&f.properties, "properties", "", "v3 properties to export, comma-separated (default: HubSpot's)")
	cmd.Flags().StringVar(&f.out, "out", "", "write to FILE instead of standard output")
	cmd.Flags().BoolVar(&f.resume, "resume", false, "continue an interrupted export into --out")
	_ = cmd.RegisterFlagCompletionFunc("object", objectCompletion)
	return cmd
}

func objectCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return []string{"engagements", "emails", "tasks"}, cobra.ShellCompDirectiveNoFileComp
}

// exportState is what FILE.cursor holds: the listing's cursor after the
// last record in the file, and the file's length at that point.
type exportState struct {
	Object     string `json:"object"`
	Since      string `json:"since,omitempty"`
	Properties string `json:"properties,omitempty"`
	Cursor     string `json:"cursor"`
	Bytes      int64  `json:"bytes"`
	Records    int    `json:"records"`
}

// listing is one export source: its records as JSON values, and its cursor.
type listing struct {
	records iter.Seq2[any, error]
	cursor  func() string
}

func pagerListing[T any](p *facade.Pager[T]) listing {
	return listing{
		records: func(yield func(any, error) bool) {
			for r, err := range p.All() {
				if !yield(r, err) {
					return
				}
			}
		},
		cursor: p.Cursor,
	}
}

func (a *app) listing(f exportFlags, cursor string) (listing, error) {
	var since time.Time
	if f.since != "" {
		t, err := parseTime(f.since)
		if err != nil {
			return listing{}, err
		}
		since = t
	}
	var props []string
	if f.properties != "" {
		props = strings.Split(f.properties, ",")
	}
	ctx, c := a.ctx, a.client
	v3 := func(list func() listing, search func() listing) listing {
		if since.IsZero() {
			return list()
		}
		return search()
	}
	modified := facade.SearchParams{Limit: facade.MaxSearchLimit, Properties: props, Cursor: cursor, FilterGroups: []facade.FilterGroup{{Filters: []facade.Filter{
		{PropertyName: "hs_lastmodifieddate", Operator: facade.OpGTE, Value: strconv.FormatInt(since.UnixMilli(), 10)},
	}}}}
	all := facade.ObjectListParams{Limit: facade.MaxListLimit, Properties: props, Cursor: cursor}
	switch f.object {
	case "engagements":
		if f.properties != "" {
			return listing{}, usagef("--properties applies to emails and tasks, not to v1 engagements")
		}
		if since.IsZero() {
			return pagerListing(c.Engagements.List(ctx, facade.ListParams{Limit: facade.MaxV1PageLimit, Cursor: cursor})), nil
		}
		return pagerListing(c.Engagements.ModifiedAfter(ctx, facade.ModifiedAfterParams{Since: since, Limit: facade.MaxModifiedAfterLimit, Cursor: cursor})), nil
	case "emails":
		return v3(func() listing { return pagerListing(c.Emails.List(ctx, all)) },
			func() listing { return pagerListing(c.Emails.Search(ctx, modified)) }), nil
	default:
		return v3(func() listing { return pagerListing(c.Tasks.List(ctx, all)) },
			func() listing { return pagerListing(c.Tasks.Search(ctx, modified)) }), nil
	}
}

func (a *app) export(f exportFlags) error {
	if err := checkObject(f.object); err != nil {
		return err
	}
	if f.resume && f.out == "" {
		return usagef("--resume needs --out: the position is saved beside the output file")
	}
	if f.since != "" {
		if _, err := parseTime(f.since); err != nil {
			return err
		}
	}
	if err := a.connect(); err != nil {
		return err
	}
	var (
		out       io.Writer = a.stdout
		file      *os.File
		state     = exportState{Object: f.object, Since: f.since, Properties: f.properties}
		statePath = f.out + ".cursor"
	)
	if f.out != "" {
		var err error
		if f.resume {
			state, err = readState(statePath, f)
			if err != nil {
				return err
			}
		}
		file, err = os.OpenFile(f.out, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return usagef("cannot write --out: %v", err)
		}
		defer file.Close()
		if st, err := file.Stat(); err != nil {
			return err
		} else if st.Size() < state.Bytes {
			return usagef("%s has %d bytes, fewer than the %d the saved position is after: it was changed since; export again without --resume", f.out, st.Size(), state.Bytes)
		}
		// Drop anything after the last saved record (a line half-written
		// when the export was interrupted), or the old content of a new export.
		if err := file.Truncate(state.Bytes); err != nil {
			return err
		}
		if _, err := file.Seek(state.Bytes, io.SeekStart); err != nil {
			return err
		}
		out = file
		if !f.resume {
			// Save the start, so that even an export killed before its
			// first checkpoint can be resumed.
			if err := writeState(statePath, state); err != nil {
				return err
			}
		}
	}
	src, err := a.listing(f, state.Cursor)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<16)
	prog := newProgress(a.stderr, isTerminal(a.stderr), "exporting "+f.object+":", "pages", a.waits)
	start, n := time.Now(), 0
	// checkpoint makes everything written so far durable, then records the
	// position after it, so the cursor never points past the file.
	checkpoint := func() error {
		if err := w.Flush(); err != nil {
			return err
		}
		if file == nil {
			return nil
		}
		if err := file.Sync(); err != nil {
			return err
		}
		pos, err := file.Seek(0, io.SeekCurrent)
		if err != nil {
			return err
		}
		state.Cursor, state.Bytes, state.Records = src.cursor(), pos, state.Records+n
		n = 0
		return writeState(statePath, state)
	}
	total, resumedAt := state.Records, state.Records
	for rec, err := range src.records {
		if err != nil {
			prog.done()
			if cerr := checkpoint(); cerr != nil {
				return errors.Join(err, cerr)
			}
			if a.ctx.Err() != nil && f.out != "" {
				return fmt.Errorf("interrupted after %d records; run the same command with --resume to continue: %w", total, err)
			}
			return err
		}
		b, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		w.Write(b)
		w.WriteByte('\n')
		n++
		total++
		if testHook != nil {
			testHook(total)
		}
		prog.update(total)
		if n >= 1000 {
			if err := checkpoint(); err != nil {
				return err
			}
		}
	}
	prog.done()
	if err := checkpoint(); err != nil {
		return err
	}
	if file != nil {
		_ = os.Remove(statePath) // complete: nothing to resume
	}
	took := time.Since(start).Round(time.Millisecond)
	if f.resume {
		fmt.Fprintf(a.stderr, "exported %d %s in %s, resuming after %d: %d in %s\n", total-resumedAt, f.object, took, resumedAt, total, f.out)
	} else {
		fmt.Fprintf(a.stderr, "exported %d %s in %s\n", total, f.object, took)
	}
	return nil
}

func readState(path string, f exportFlags) (exportState, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return exportState{}, usagef("nothing to resume: %s does not exist (the export finished, or never started)", path)
		}
		return exportState{}, err
	}
	var s exportState
	if err := json.Unmarshal(b, &s); err != nil {
		return s, usagef("cannot read %s: %v", path, err)
	}
	if s.Object != f.object || s.Since != f.since || s.Properties != f.properties {
		return s, usagef("%s belongs to an export of %s (since %q, properties %q): resume with the same --object, --since and --properties", path, s.Object, s.Since, s.Properties)
	}
	return s, nil
}

// writeState replaces path atomically and durably: a crash leaves either
// the old state or the new one.
func writeState(path string, s exportState) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b)
}

// writeFileAtomic writes b to a temporary file beside path, syncs it, renames
// it over path and syncs the directory.
func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, werr := f.Write(b)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// syncDir makes a rename or removal in dir durable. Some systems cannot sync
// a directory; that is not an error worth stopping for.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}
