package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
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
	Object  string `json:"object"`
	Since   string `json:"since,omitempty"`
	Cursor  string `json:"cursor"`
	Bytes   int64  `json:"bytes"`
	Records int    `json:"records"`
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
		state     = exportState{Object: f.object, Since: f.since}
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
			return err
		}
		defer file.Close()
		// Drop anything after the last saved record (a line half-written
		// when the export was interrupted), or the old content of a new export.
		if err := file.Truncate(state.Bytes); err != nil {
			return err
		}
		if _, err := file.Seek(state.Bytes, io.SeekStart); err != nil {
			return err
		}
		out = file
	}
	src, err := a.listing(f, state.Cursor)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(out, 1<<16)
	prog := newProgress(a.stderr, isTerminal(a.stderr), "exporting "+f.object+":", a.waits)
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
	total := state.Records
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
	fmt.Fprintf(a.stderr, "exported %d %s in %s\n", total, f.object, time.Since(start).Round(time.Millisecond))
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
	if s.Object != f.object || s.Since != f.since {
		return s, usagef("%s belongs to an export of %s (since %q): resume with the same --object and --since", path, s.Object, s.Since)
	}
	return s, nil
}

// writeState replaces path atomically.
func writeState(path string, s exportState) error {
	b, _ := json.Marshal(s)
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
