package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
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
	"github.com/engagekit/hubspot-engagements/internal/props"
)

type exportFlags struct {
	object, since, properties, out, format string
	resume                                 bool
}

func (a *app) exportCmd() *cobra.Command {
	var f exportFlags
	cmd := &cobra.Command{
		Use:   "export --object engagements|emails|tasks|notes|calls|meetings|communications|postal_mail [--since TIME] [--properties a,b] [--format jsonl|csv] [--out FILE] [--resume]",
		Short: "Export records as JSON Lines (exactly as HubSpot returns them) or CSV",
		Long: `Export writes one record per line, exactly as HubSpot returned it.

engagements uses the v1 API: every engagement (paged), or with --since the ones
modified after TIME (modified/after). With --api-version 2026-03 (or
2026-09) it reads the same records from the notes, tasks, calls, emails and
meetings object APIs, one type after the other (with --since, a search per type), and writes each
in the v1 shape made from the object.

emails, tasks, notes, calls, meetings, communications and postal_mail use the CRM object APIs (v3, or
2026-03 or 2026-09 with --api-version): every record, or with --since a search
on hs_lastmodifieddate.

--format csv (the default for an --out file ending in .csv) writes CSV for
spreadsheets and import --format csv: a header row, then one row per record;
the columns are id and the --properties in their order (without
--properties, id and the default properties, sorted). Values
are HubSpot's text exactly (ids as text, never numbers), quoted as RFC 4180
says through encoding/csv (a value with a comma, a quote or a line break is
quoted; rows end in LF); null is an empty cell. Not for engagements.

With --out, the position is saved beside the file (FILE.cursor) as the export
goes; after an interruption, the same command with --resume continues where
it stopped, without repeating or skipping a line.

TIME is RFC 3339 (2025-01-31T12:00:00Z), a date (2025-01-31) or epoch ms.`,
		Example: `  engagements export --object tasks --properties hs_task_subject,hs_task_status > tasks.jsonl
  engagements export --object tasks --properties hs_task_subject,hs_task_status --out tasks.csv
  engagements export --object engagements --since 2025-01-01 --out eng.jsonl
  engagements export --object engagements --since 2025-01-01 --out eng.jsonl --resume
  engagements --api-version 2026-03 export --object notes --since 2025-01-01 --out notes.jsonl
  engagements --demo export --object emails`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return a.export(f) }),
	}
	cmd.Flags().StringVar(&f.object, "object", "", "what to export: "+objectChoices()+" (required)")
	cmd.Flags().StringVar(&f.since, "since", "", "only records modified after TIME")
	cmd.Flags().StringVar(&f.properties, "properties", "", "object properties to export, comma-separated (default: those the type's accessors read, such as a task's subject, body, status, priority, type and due time; not for engagements)")
	addFormatFlag(cmd, &f.format, "jsonl or csv (default: csv for an --out file ending in .csv, else jsonl)", formatJSONL, formatCSV)
	cmd.Flags().StringVar(&f.out, "out", "", "write to FILE instead of standard output (- is standard output)")
	cmd.Flags().BoolVar(&f.resume, "resume", false, "continue an interrupted export into --out")
	_ = cmd.RegisterFlagCompletionFunc("object", objectCompletion)
	return cmd
}

func objectCompletion(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return objectNames, cobra.ShellCompDirectiveNoFileComp
}

// exportState is what FILE.cursor holds: the listing's cursor after the
// last record in the file, and the file's length at that point.
type exportState struct {
	Object string `json:"object"`
	// APIVersion is the wire the cursor belongs to; "" (a file written
	// before there was a choice) is v3.
	APIVersion string `json:"apiVersion,omitempty"`
	Since      string `json:"since,omitempty"`
	Properties string `json:"properties,omitempty"`
	// Format is "csv" for a CSV file ("" is JSON Lines).
	Format  string `json:"format,omitempty"`
	Cursor  string `json:"cursor"`
	Bytes   int64  `json:"bytes"`
	Records int    `json:"records"`
}

// listing is one export source: its records as HubSpot sent them, its
// cursor, and the error of its parameters (a bad cursor) if any.
type listing struct {
	records iter.Seq2[json.RawMessage, error]
	cursor  func() string
	err     error
}

func pagerListing[T interface{ JSON() json.RawMessage }](p *facade.Pager[T]) listing {
	return listing{
		records: func(yield func(json.RawMessage, error) bool) {
			for r, err := range p.All() {
				if !yield(r.JSON(), err) {
					return
				}
			}
		},
		cursor: p.Cursor,
		err:    p.Err(),
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
	names := propertyList(f.properties)
	ctx, c := a.ctx, a.client
	if f.object == engagementsObject {
		if f.properties != "" {
			return listing{}, usagef("--properties applies to the object types (%s), not to engagements", strings.Join(objectNames[1:], ", "))
		}
		if since.IsZero() {
			return pagerListing(c.Engagements.List(ctx, facade.EngagementListParams{Limit: facade.MaxV1PageLimit, Cursor: cursor})), nil
		}
		return pagerListing(c.Engagements.ModifiedAfter(ctx, facade.ModifiedAfterParams{Since: since, Limit: facade.MaxModifiedAfterLimit, Cursor: cursor})), nil
	}
	o := a.objects[f.object]
	if since.IsZero() {
		return o.list(ctx, facade.ListParams{Limit: facade.MaxListLimit, Properties: names, Cursor: cursor}), nil
	}
	return o.search(ctx, facade.SearchParams{Limit: facade.MaxSearchLimit, Properties: names, Cursor: cursor, FilterGroups: []facade.FilterGroup{{Filters: []facade.Filter{
		{PropertyName: facade.ModifiedProperty, Operator: facade.OpGTE, Value: strconv.FormatInt(since.UnixMilli(), 10)},
	}}}}), nil
}

func (a *app) export(f exportFlags) error {
	if err := checkObject(f.object); err != nil {
		return err
	}
	if f.out == "-" {
		f.out = "" // standard output
	}
	format, err := recordFormat(f.format, f.out)
	if err != nil {
		return err
	}
	f.format = format
	if f.format == formatCSV && f.object == engagementsObject {
		return usagef("--format csv holds object properties: export engagements as JSON Lines (--format jsonl)")
	}
	if f.resume && f.out == "" {
		return usagef("--resume needs --out FILE: the position is saved beside the output file")
	}
	if f.since != "" {
		if _, err := parseTime(f.since); err != nil {
			return err
		}
	}
	var (
		out       io.Writer = a.stdout
		file      *os.File
		state     = exportState{Object: f.object, Since: f.since, Properties: f.properties, Format: csvOnly(f.format)}
		statePath = f.out + ".cursor"
	)
	if err := a.connect(); err != nil {
		return err
	}
	state.APIVersion = string(a.client.APIVersion())
	if f.out != "" {
		if err := refuseSameFile(statIfExists("--out", f.out), statIfExists("its cursor file", statePath), statIfExists("its cursor's temporary file", statePath+".tmp")); err != nil {
			return err
		}
		var err error
		// Locked for the whole run: two exports into one file would
		// interleave their records and cursors.
		file, err = openLocked("--out", f.out, false)
		if err != nil {
			return err
		}
		defer file.Close()
		if f.resume {
			state, err = readState(statePath, f, state.APIVersion)
			if err != nil {
				return err
			}
		}
		if st, err := file.Stat(); err != nil {
			return err
		} else if st.Size() < state.Bytes {
			return usagef("%s has %d bytes, fewer than the %d the saved position is after: it was changed since; export again without --resume", f.out, st.Size(), state.Bytes)
		}
	}
	if file != nil {
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
	if src.err != nil {
		if state.Cursor != "" {
			return badState(statePath, src.err)
		}
		return src.err
	}
	w := bufio.NewWriterSize(out, 1<<16)
	prog := a.startProgress(a.progressOn(a.stderr), "exporting "+f.object, "records", "pages", nil)
	defer prog.finish(a)
	prog.before.Store(int64(state.Records))
	start, n := a.now(), 0
	var lineBuf bytes.Buffer
	// The columns: id and the properties asked for, --properties or what
	// the listing asks for without it (the accessors' properties).
	rows := &csvRows{w: csv.NewWriter(w), header: state.Bytes > 0, columns: csvColumns(propertyList(f.properties))}
	if f.properties == "" {
		rows.columns = csvColumns(props.Read(f.object))
	}
	// checkpoint makes everything written so far durable, then records the
	// position after it, so the cursor never points past the file.
	checkpoint := func() error {
		if f.format == formatCSV {
			if err := rows.flush(); err != nil {
				return err
			}
		}
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
			prog.finish(a)
			if cerr := checkpoint(); cerr != nil {
				return errors.Join(err, cerr)
			}
			if a.ctx.Err() != nil && f.out != "" {
				return fmt.Errorf("interrupted after %d records; run the same command with --resume to continue: %w", total, err)
			}
			return err
		}
		if f.format == formatCSV {
			if err := rows.write(rec); err != nil {
				return fmt.Errorf("record %d: %w", total+1, err)
			}
		} else {
			// The record's bytes as HubSpot sent them, on one line:
			// compacting removes only whitespace between tokens (HubSpot
			// sends none), and never rewrites a string (no \u003c for "<").
			if err := json.Compact(&lineBuf, rec); err != nil {
				return fmt.Errorf("record %d is not valid JSON: %w", total+1, err)
			}
			lineBuf.WriteByte('\n')
			if _, err := w.Write(lineBuf.Bytes()); err != nil {
				return err
			}
			lineBuf.Reset()
		}
		n++
		total++
		prog.done.Add(1)
		if a.hooks.progress != nil {
			a.hooks.progress(total)
		}
		if n >= 1000 {
			if err := checkpoint(); err != nil {
				return err
			}
		}
	}
	prog.finish(a)
	if f.format == formatCSV && !rows.header {
		// No record: the header alone.
		if err := rows.writeHeader(); err != nil {
			return err
		}
	}
	if err := checkpoint(); err != nil {
		return err
	}
	if file != nil {
		_ = os.Remove(statePath) // complete: nothing to resume
	}
	took := a.now().Sub(start).Round(time.Millisecond)
	if f.resume {
		a.say("exported %s in %s, resuming after %d: %d in %s", count(int64(total-resumedAt), f.object), took, resumedAt, total, f.out)
	} else {
		a.say("exported %s in %s", count(int64(total), f.object), took)
	}
	return nil
}

// propertyList is --properties as a list (nil when not given).
func propertyList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// csvOnly is what FILE.cursor holds of a format: "csv", or "" for JSON
// Lines (as files written before there was a choice say).
func csvOnly(format string) string {
	if format == formatCSV {
		return formatCSV
	}
	return ""
}

// formatName is the --format a FILE.cursor's format stands for.
func formatName(stored string) string {
	if stored == "" {
		return formatJSONL
	}
	return stored
}

// csvRows writes an export's CSV: the header before the first row.
type csvRows struct {
	w       *csv.Writer
	columns []string
	header  bool // written
}

func (r *csvRows) writeHeader() error {
	r.header = true
	return r.w.Write(r.columns)
}

// write writes rec's row, after the header if it is the first.
func (r *csvRows) write(rec json.RawMessage) error {
	if !r.header {
		if err := r.writeHeader(); err != nil {
			return err
		}
	}
	cells, err := csvCells(rec, r.columns)
	if err != nil {
		return err
	}
	return r.w.Write(cells)
}

func (r *csvRows) flush() error {
	r.w.Flush()
	return r.w.Error()
}

func readState(path string, f exportFlags, version string) (exportState, error) {
	b, err := readSmallFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return exportState{}, usagef("nothing to resume: %s does not exist (the export finished, or never started)", path)
		}
		return exportState{}, err
	}
	s, err := decodeExportState(b)
	if err != nil {
		return s, badState(path, err)
	}
	if s.APIVersion == "" {
		s.APIVersion = string(facade.APIv3)
	}
	if s.Object != f.object || s.Since != f.since || s.Properties != f.properties || s.APIVersion != version || s.Format != csvOnly(f.format) {
		return s, usagef("%s belongs to an export of %s (since %q, properties %q, API version %s, format %s): resume with the same --object, --since, --properties, --api-version and --format", path, s.Object, s.Since, s.Properties, s.APIVersion, formatName(s.Format))
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
