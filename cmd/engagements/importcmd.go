package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade"
)

type importFlags struct {
	object, in, results, unique string
	resume                      bool
}

// result is one line of the results file.
type result struct {
	Line      int    `json:"line"`
	ID        string `json:"id,omitempty"`
	Error     string `json:"error,omitempty"`
	Uncertain bool   `json:"uncertain,omitempty"`

	notSent bool // interrupted before it was sent: certainly not created
}

// importChunk is how many lines are created between two writes of the
// results file: ten batch requests, run at once.
const importChunk = 10 * facade.MaxBatchInputs

func (a *app) importCmd() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import --object engagements|emails|tasks --in FILE.jsonl [--results FILE] [--resume]",
		Short: "Create records from a JSON Lines file (as export writes them)",
		Long: `Import creates one record per line of FILE.jsonl: emails and tasks in batches of
100 (a line is {"properties":{...}}, read-only properties such as hs_object_id
are left out), engagements one by one (a line is a v1 engagement:
{"engagement":{"type":...},"associations":{...},"metadata":{...}}).

Each line is checked first: a bad line (invalid JSON, unknown type, a NOTE
body over 65536 characters, …) is reported with its number and skipped; the
others go on, and the exit code is non-zero at the end.

The results file (default FILE.jsonl.results.jsonl) gets one line per input
line: {"line":N,"id":"..."} or {"line":N,"error":"...","uncertain":true|false}.
A line may appear more than once (a failed line retried by --resume): its
last entry is its outcome. While lines are being sent, RESULTS.inflight names
them, so that even a killed import knows which lines may exist in HubSpot.

With --resume, lines already created are skipped, so an interrupted import
run again creates nothing twice. A line whose outcome is uncertain (HubSpot's
answer was lost, or the import was killed while creating it: it may have been
created) is never retried blindly: --resume lists it and leaves it to you.
Check it in HubSpot and, if it is missing, import it again on its own (or use
--unique-property, which settles such lines by looking them up).`,
		Example: `  engagements import --object tasks --in tasks.jsonl
  engagements import --object tasks --in tasks.jsonl --resume
  engagements import --object engagements --in eng.jsonl --results eng.results.jsonl`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return a.importFile(f) }),
	}
	cmd.Flags().StringVar(&f.object, "object", "", "what to create: engagements, emails or tasks")
	cmd.Flags().StringVar(&f.in, "in", "", "the JSON Lines file to import (required)")
	cmd.Flags().StringVar(&f.results, "results", "", "where to write the results (default IN.results.jsonl)")
	cmd.Flags().BoolVar(&f.resume, "resume", false, "skip the lines the results file says were created")
	cmd.Flags().StringVar(&f.unique, "unique-property", "", "emails/tasks: a unique property every line sets; inputs whose outcome is unknown are looked up by it and created again only if absent")
	_ = cmd.RegisterFlagCompletionFunc("object", objectCompletion)
	return cmd
}

// readOnly are v3 properties HubSpot sets itself.
var readOnly = map[string]bool{"hs_object_id": true, "hs_createdate": true, "hs_lastmodifieddate": true, "createdate": true, "lastmodifieddate": true}

// pending is an input line ready to be created.
type pending struct {
	line  int
	props facade.Properties    // v3
	eng   facade.NewEngagement // v1
}

func (a *app) importFile(f importFlags) error {
	if err := checkObject(f.object); err != nil {
		return err
	}
	if f.in == "" {
		return usagef("--in is required: the JSON Lines file to import")
	}
	if f.results == "" {
		f.results = f.in + ".results.jsonl"
	}
	if f.unique != "" && f.object == "engagements" {
		return usagef("--unique-property applies to emails and tasks (v3 batch creates), not to v1 engagements")
	}
	in, err := os.Open(f.in)
	if err != nil {
		return usagef("cannot read --in: %v", err)
	}
	defer in.Close()
	inflightPath := f.results + ".inflight"
	if !f.resume {
		if _, err := os.Stat(f.results); err == nil {
			return usagef("%s exists: use --resume to continue that import, or --results to write elsewhere", f.results)
		}
	}
	if err := a.connect(); err != nil {
		return err
	}
	res, err := os.OpenFile(f.results, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return usagef("cannot write --results: %v", err)
	}
	defer res.Close()
	size, err := dropPartialLine(res)
	if err != nil {
		return err
	}
	write := func(r result) error {
		b, _ := json.Marshal(r)
		n, err := res.Write(append(b, '\n'))
		size += int64(n)
		return err
	}
	if f.resume {
		// Lines that were being created when an earlier run stopped without
		// writing their outcome (killed, crashed) may exist in HubSpot.
		if err := settleInflight(inflightPath, f.results, write); err != nil {
			return err
		}
		if err := res.Sync(); err != nil {
			return err
		}
	}
	_ = os.Remove(inflightPath)
	done, err := readResults(f.results)
	if err != nil {
		return err
	}

	var todo []pending
	var uncertainBefore []int
	bad, skipped := 0, 0
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		if r, ok := done[line]; ok && (r.ID != "" || r.Uncertain) {
			if r.ID != "" {
				skipped++
			} else {
				uncertainBefore = append(uncertainBefore, line)
			}
			continue
		}
		p, err := parseLine(f.object, line, text)
		if err != nil {
			bad++
			fmt.Fprintf(a.stderr, "line %d: %v (skipped)\n", line, err)
			if err := write(result{Line: line, Error: err.Error()}); err != nil {
				return err
			}
			continue
		}
		todo = append(todo, p)
	}
	if err := sc.Err(); err != nil {
		return usagef("cannot read --in: %v", err)
	}
	for i, line := range uncertainBefore {
		if i == 20 {
			fmt.Fprintf(a.stderr, "… and %d more lines with an uncertain outcome\n", len(uncertainBefore)-i)
			break
		}
		fmt.Fprintf(a.stderr, "line %d: outcome uncertain in an earlier run (it may exist in HubSpot): not retried\n", line)
	}

	start := time.Now()
	unit := "batches"
	chunkSize := importChunk
	if f.object == "engagements" {
		// One by one, so that an interruption leaves at most one line
		// whose outcome is unknown.
		unit, chunkSize = "creates", 1
	}
	prog := newProgress(a.stderr, isTerminal(a.stderr), "importing "+f.object+":", unit, a.waits)
	var created, failed, uncertain int
	for lo := 0; lo < len(todo) && a.ctx.Err() == nil; lo += chunkSize {
		chunk := todo[lo:min(lo+chunkSize, len(todo))]
		// Say which lines are being created before creating them, so that a
		// run killed before it writes their outcome does not retry them.
		if err := writeInflight(inflightPath, size, chunk); err != nil {
			return err
		}
		rs := a.create(f.object, f.unique, chunk)
		if createHook != nil {
			createHook()
		}
		for _, r := range rs {
			switch {
			case r.ID != "":
				created++
			case r.notSent:
				// Counted among those left for --resume.
			case r.Uncertain:
				uncertain++
				fmt.Fprintf(a.stderr, "line %d: outcome uncertain (it may exist in HubSpot): %s\n", r.Line, r.Error)
			default:
				failed++
				if bad+failed <= 20 && a.ctx.Err() == nil {
					fmt.Fprintf(a.stderr, "line %d: %s\n", r.Line, r.Error)
				}
			}
			if err := write(r); err != nil {
				return err
			}
		}
		if err := res.Sync(); err != nil {
			return err
		}
		if err := os.Remove(inflightPath); err != nil {
			return err
		}
		prog.update(created)
		if testHook != nil {
			testHook(lo + len(chunk))
		}
	}
	prog.done()
	interrupted := ""
	if a.ctx.Err() != nil {
		interrupted = fmt.Sprintf(", %d left for --resume", len(todo)-created-failed-uncertain)
	}
	earlier := ""
	if len(uncertainBefore) > 0 {
		earlier = fmt.Sprintf(", %d uncertain from an earlier run (not retried)", len(uncertainBefore))
	}
	fmt.Fprintf(a.stderr, "created %d %s in %s; %d bad lines, %d failed, %d uncertain, %d already done%s%s; results in %s\n",
		created, f.object, time.Since(start).Round(time.Millisecond), bad, failed, uncertain, skipped, earlier, interrupted, f.results)
	switch {
	case a.ctx.Err() != nil:
		return runError{fmt.Errorf("interrupted: run the same command with --resume to continue: %w", a.ctx.Err())}
	case failed > 0 || uncertain > 0:
		return runError{fmt.Errorf("%d lines failed and %d may have been created (uncertain: check them in HubSpot before importing them again); see %s", failed, uncertain, f.results)}
	case bad > 0:
		return usagef("%d bad lines were skipped; see %s", bad, f.results)
	case len(uncertainBefore) > 0:
		return runError{fmt.Errorf("%d lines from an earlier run have an uncertain outcome and were not retried: check them in HubSpot and import the missing ones on their own; see %s", len(uncertainBefore), f.results)}
	}
	return nil
}

// inflight is what RESULTS.inflight holds while lines are being created: the
// lines, and the results file's length before their outcomes.
type inflight struct {
	Lines        []int `json:"lines"`
	ResultsBytes int64 `json:"resultsBytes"`
}

func writeInflight(path string, size int64, chunk []pending) error {
	fl := inflight{ResultsBytes: size}
	for _, p := range chunk {
		fl.Lines = append(fl.Lines, p.line)
	}
	b, err := json.Marshal(fl)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b)
}

// settleInflight records as uncertain the lines an earlier run was creating
// when it stopped without writing their outcome.
func settleInflight(path, resultsPath string, write func(result) error) error {
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var fl inflight
	if err := json.Unmarshal(b, &fl); err != nil {
		return usagef("cannot read %s: %v", path, err)
	}
	rb, err := os.ReadFile(resultsPath)
	if err != nil {
		return err
	}
	outcome := map[int]bool{}
	if fl.ResultsBytes <= int64(len(rb)) {
		for l := range bytes.SplitSeq(rb[fl.ResultsBytes:], []byte("\n")) {
			var r result
			if json.Unmarshal(l, &r) == nil {
				outcome[r.Line] = true
			}
		}
	}
	for _, line := range fl.Lines {
		if !outcome[line] {
			err := write(result{Line: line, Error: "interrupted while being created: it may or may not exist in HubSpot", Uncertain: true})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// dropPartialLine truncates f after its last newline, dropping a line an
// interruption cut short, and returns f's new length.
func dropPartialLine(f *os.File) (int64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	size := st.Size()
	if size == 0 {
		return 0, nil
	}
	buf := make([]byte, 64<<10)
	end := size
	for end > 0 {
		lo := max(end-int64(len(buf)), 0)
		n, err := f.ReadAt(buf[:end-lo], lo)
		if err != nil && n < int(end-lo) {
			return 0, err
		}
		if i := bytes.LastIndexByte(buf[:n], '\n'); i >= 0 {
			keep := lo + int64(i) + 1
			if keep == size {
				return size, nil
			}
			return keep, f.Truncate(keep)
		}
		end = lo
	}
	return 0, f.Truncate(0)
}

// parseLine checks one input line and turns it into what create sends.
func parseLine(object string, line int, text []byte) (pending, error) {
	p := pending{line: line}
	if object != "engagements" {
		var rec struct {
			Properties map[string]*string `json:"properties"`
		}
		if err := json.Unmarshal(text, &rec); err != nil {
			return p, fmt.Errorf("invalid JSON: %v", err)
		}
		p.props = facade.Properties{}
		for k, v := range rec.Properties {
			if v != nil && !readOnly[k] {
				p.props[k] = *v
			}
		}
		if len(p.props) == 0 {
			return p, errors.New(`no properties to set: a line is {"properties":{...}}`)
		}
		return p, nil
	}
	var rec struct {
		Engagement struct {
			Type      facade.EngagementType `json:"type"`
			OwnerID   int64                 `json:"ownerId"`
			Timestamp int64                 `json:"timestamp"`
			Active    *bool                 `json:"active"`
			UID       string                `json:"uid"`
		} `json:"engagement"`
		Associations facade.Associations `json:"associations"`
		Attachments  []struct {
			ID int64 `json:"id"`
		} `json:"attachments"`
		Metadata json.RawMessage `json:"metadata"`
	}
	if err := json.Unmarshal(text, &rec); err != nil {
		return p, fmt.Errorf("invalid JSON: %v", err)
	}
	p.eng = facade.NewEngagement{
		Metadata:     facade.RawMetadata{Type: rec.Engagement.Type, JSON: rec.Metadata},
		OwnerID:      rec.Engagement.OwnerID,
		Active:       rec.Engagement.Active,
		UID:          rec.Engagement.UID,
		Associations: rec.Associations,
	}
	if rec.Engagement.Timestamp != 0 {
		p.eng.Timestamp = time.UnixMilli(rec.Engagement.Timestamp)
	}
	for _, at := range rec.Attachments {
		p.eng.AttachmentIDs = append(p.eng.AttachmentIDs, at.ID)
	}
	if err := facade.ValidateEngagement(p.eng); err != nil {
		return p, err
	}
	return p, nil
}

// create creates a chunk of lines and says what happened to each.
func (a *app) create(object, unique string, chunk []pending) []result {
	out := make([]result, len(chunk))
	for i, p := range chunk {
		out[i].Line = p.line
	}
	fail := func(i int, err error) {
		var u *facade.UncertainError
		out[i].Error, out[i].Uncertain = oneLine(err), errors.As(err, &u)
		out[i].notSent = !out[i].Uncertain && a.ctx.Err() != nil && errors.Is(err, a.ctx.Err())
	}
	if object == "engagements" {
		for i, p := range chunk {
			if a.ctx.Err() != nil {
				fail(i, a.ctx.Err())
				continue
			}
			e, err := a.client.Engagements.Create(a.ctx, p.eng)
			if err != nil {
				fail(i, err)
				continue
			}
			out[i].ID = fmt.Sprint(e.ID())
		}
		return out
	}
	props := make([]facade.Properties, len(chunk))
	for i, p := range chunk {
		props[i] = p.props
	}
	var ids []string
	var failures []facade.BatchFailure
	var err error
	if object == "emails" {
		ids, failures, err = batchCreate(a, a.client.Emails, unique, props)
	} else {
		ids, failures, err = batchCreate(a, a.client.Tasks, unique, props)
	}
	if ids == nil {
		for i := range chunk {
			fail(i, err)
		}
		return out
	}
	for i := range chunk {
		out[i].ID = ids[i]
	}
	for _, f := range failures {
		out[f.Index].ID = ""
		fail(f.Index, f.Err)
	}
	return out
}

// batchCreate creates props with svc and gives the id created for each
// input ("" when it failed) and the failures; ids is nil when nothing was
// attempted.
func batchCreate[T interface{ ID() string }](a *app, svc *facade.ObjectService[T], unique string, props []facade.Properties) ([]string, []facade.BatchFailure, error) {
	create := svc.BatchCreate
	if unique != "" {
		create = func(ctx context.Context, in []facade.Properties) (*facade.BatchResult[T], error) {
			return svc.BatchCreateUnique(ctx, unique, in)
		}
	}
	res, err := create(a.ctx, props)
	if res == nil {
		return nil, nil, err
	}
	ids := make([]string, len(res.Records))
	for i, r := range res.Records {
		ids[i] = r.ID()
	}
	return ids, res.Failures, nil
}

func readResults(path string) (map[int]result, error) {
	done := map[int]result{}
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return done, nil
	}
	if err != nil {
		return nil, err
	}
	for i, line := range bytes.Split(b, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var r result
		// A last line cut short by an interruption was already dropped by
		// dropPartialLine, so every line here is whole.
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, usagef("cannot read %s line %d: %v", path, i+1, err)
		}
		if prev, ok := done[r.Line]; !ok || prev.ID == "" {
			done[r.Line] = r
		}
	}
	return done, nil
}
