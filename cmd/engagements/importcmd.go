package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/engagekit/hubspot-engagements/facade"
)

type importFlags struct {
	object, in, results, unique, format string
	resume, retryRefused                bool
}

// result is one line of the results file.
type result struct {
	Line      int    `json:"line"`
	ID        string `json:"id,omitempty"`
	Error     string `json:"error,omitempty"`
	Uncertain bool   `json:"uncertain,omitempty"`
	// Refused marks a line refused for what it holds (by the checks before
	// sending, or by HubSpot): certainly not created, and not sent again
	// by --resume while its Digest is the same.
	Refused bool   `json:"refused,omitempty"`
	Digest  string `json:"digest,omitempty"`

	notSent bool  // interrupted before it was sent: certainly not created
	authErr error // HubSpot refused the token: certainly not created
}

// maxLineBytes bounds an input line. HubSpot caps a property value at 65,536
// characters and refuses request bodies of a few megabytes; a longer line is
// reported and skipped.
const maxLineBytes = 1 << 20

// Batches of object lines run this many at once, each one batch request of at
// most facade.MaxBatchInputs lines whose outcome is written as soon as it
// is known.
const importConcurrency = 10

func (a *app) importCmd() *cobra.Command {
	var f importFlags
	cmd := &cobra.Command{
		Use:   "import --object engagements|emails|tasks|notes|calls|meetings|communications|postal_mail --in FILE [--format jsonl|csv] [--results FILE] [--resume [--retry-refused]] [--unique-property NAME]",
		Short: "Create records from a JSON Lines or CSV file (as export writes them)",
		Long: `Import creates one record per line of FILE ("-" reads standard input):
emails, tasks, notes, calls, meetings, communications and postal_mail in batch requests of 100 lines, ten
at once (a line is {"properties":{...}}, read-only properties such as
hs_object_id are left out), engagements one by one (a line is a v1
engagement: {"engagement":{"type":...},"associations":{...},"metadata":{...}}).
With --api-version 2026-03 (or 2026-09) every line goes to the dated object
APIs: an
engagement becomes one create of its note, call, meeting, email or task, its
associations in the same request; v1 fields no object property holds (uid,
active false, …) make the line fail rather than be lost silently.

--format csv (the default for a FILE ending in .csv) reads CSV (RFC 4180)
as export --format csv writes it: the first row names the properties, each
other row is one record, its empty cells left unset; the id column and
read-only properties are ignored. A row's number is the line it starts on
(the header is line 1). Not for engagements.

Each line stands alone. It is checked first: a bad line (invalid JSON or
UTF-8, longer than 1 MiB, an unknown type, a NOTE body over 65536
characters, an enumeration value HubSpot does not have, no value or a
repeated value of --unique-property, …) is reported with its number and
skipped; the others go on. When HubSpot refuses a batch (it then creates
none of it), the lines responsible are found, by HubSpot's per-input errors
or by the properties it says do not exist, else by sending apart the lines
that set none of the properties it names, and halves of the rest, until
each refused line is alone (at most twice as many requests as lines), and
every other line is created. Each refused line is reported with
its number and HubSpot's message. The exit code is non-zero at the end.
Blank lines are counted and skipped.

The results file (default FILE.results.jsonl; for standard input
import-TIME.results.jsonl) gets one line per input line: {"line":N,"id":"..."}
or {"line":N,"error":"...","uncertain":true|false,"refused":true|false,
"digest":"..."}, written as each batch request finishes. A line may appear
more than once (a failed line retried by --resume): its last entry is its
outcome. While lines are being sent, RESULTS.inflight names them, so that
even a killed import knows which lines may exist in HubSpot: at most the ten
batches in flight. The results file is locked while an import runs: a second
import on it exits 2 at once.

With --resume, lines already created are skipped, so an interrupted import
run again creates nothing twice. A line refused for what it holds is not
sent again while it is unchanged (its digest is the same): fix it in FILE
and --resume sends it; --retry-refused sends refused lines again as they are
(after creating a missing property in HubSpot, say). Lines that failed for
another reason (a network failure, HubSpot's daily limit) are sent again.
A line whose outcome is uncertain (HubSpot's answer was lost, or the import
was killed while creating it: it may have been created) is never retried
blindly. With --unique-property, --resume looks such lines up by that
property and creates only the ones provably absent; without it, it lists
them for you to check in HubSpot.`,
		Example: `  engagements import --object tasks --in tasks.jsonl
  engagements import --object tasks --in tasks.jsonl --resume
  engagements import --object tasks --in tasks.csv --unique-property import_key
  engagements import --api-version 2026-03 --object notes --in notes.jsonl --unique-property import_key
  engagements export --object tasks | engagements import --object tasks --in - --results copy.results.jsonl`,
		Args: cobra.NoArgs,
		RunE: wrapRun(func(cmd *cobra.Command, _ []string) error { return a.importFile(f) }),
	}
	cmd.Flags().StringVar(&f.object, "object", "", "what to create: "+objectChoices()+" (required)")
	cmd.Flags().StringVar(&f.in, "in", "", "the file to import, - for standard input (required)")
	addFormatFlag(cmd, &f.format, "the format of --in: jsonl or csv (default: csv for a file ending in .csv, else jsonl)", formatJSONL, formatCSV)
	cmd.Flags().StringVar(&f.results, "results", "", "where to write the results (default IN.results.jsonl)")
	cmd.Flags().BoolVar(&f.resume, "resume", false, "skip the lines the results file says were created (needs --in FILE)")
	cmd.Flags().BoolVar(&f.retryRefused, "retry-refused", false, "with --resume, send again the lines refused in an earlier run even when unchanged")
	cmd.Flags().StringVar(&f.unique, "unique-property", "", "a unique property every line sets (not for engagements); lines whose outcome is unknown are looked up by it and created again only if absent")
	_ = cmd.RegisterFlagCompletionFunc("object", objectCompletion)
	return cmd
}

// readOnly are object properties HubSpot sets itself.
var readOnly = map[string]bool{"hs_object_id": true, "hs_createdate": true, "hs_lastmodifieddate": true, "createdate": true, "lastmodifieddate": true}

// pending is an input line ready to be created.
type pending struct {
	line   int
	digest string                 // of the line's content
	props  facade.Properties      // an object's
	eng    facade.EngagementInput // an engagement's
}

// scanned is what reading the input found.
type scanned struct {
	todo      []pending // to create, in line order
	uncertain []pending // uncertain in an earlier run (props set when parsed)
	bad       int
	blank     int
	skipped   int // created in an earlier run
	refused   int // refused in an earlier run, unchanged: not sent again
}

func (a *app) importFile(f importFlags) error {
	if err := checkObject(f.object); err != nil {
		return err
	}
	format, err := recordFormat(f.format, f.in)
	if err != nil {
		return err
	}
	f.format = format
	switch {
	case f.format == formatCSV && f.object == engagementsObject:
		return usagef("--format csv holds object properties: import engagements from JSON Lines (--format jsonl)")
	case f.in == "":
		return usagef("--in is required: the JSON Lines or CSV file to import (- for standard input)")
	case f.in == "-" && f.resume:
		return usagef("--resume needs --in FILE: line numbers must refer to the same input as before, which standard input cannot promise")
	case f.unique != "" && f.object == engagementsObject:
		return usagef("--unique-property applies to the object types (%s), not to engagements: a v1 line has no properties", strings.Join(objectNames[1:], ", "))
	}
	if f.results == "" {
		f.results = f.in + ".results.jsonl"
		if f.in == "-" {
			f.results = "import-" + a.now().UTC().Format("20060102T150405Z") + ".results.jsonl"
		}
	}
	var in io.Reader
	inFile := namedFile{what: "--in"}
	if f.in == "-" {
		in = a.stdin
		if fi, ok := a.stdin.(*os.File); ok {
			inFile.info, _ = fi.Stat()
		}
	} else {
		file, err := os.Open(f.in)
		if err != nil {
			return usagef("cannot read --in: %v", err)
		}
		defer file.Close()
		in = file
		inFile.info, _ = file.Stat()
	}
	inflightPath := f.results + ".inflight"
	if err := refuseSameFile(inFile, statIfExists("--results", f.results),
		statIfExists("the results' .inflight file", inflightPath), statIfExists("the results' .inflight.tmp file", inflightPath+".tmp")); err != nil {
		return err
	}
	if err := a.connect(); err != nil {
		return err
	}
	// Locked until the end: two imports on one results file would each
	// create the lines the other has not recorded yet.
	res, err := openLocked("--results", f.results, !f.resume)
	if err != nil {
		return err
	}
	st := &importState{a: a, res: res, resultsPath: f.results, inflightPath: inflightPath, flight: map[int]bool{}}
	defer st.close()
	if st.size, err = dropPartialLine(res); err != nil {
		return err
	}
	if _, err := res.Seek(st.size, io.SeekStart); err != nil {
		return err
	}
	if f.resume {
		// Lines that were being created when an earlier run stopped without
		// writing their outcome (killed, crashed) may exist in HubSpot.
		if err := st.settleInflight(); err != nil {
			return err
		}
	}
	if err := os.Remove(inflightPath); err != nil && !os.IsNotExist(err) {
		return err
	}
	st.runStart = st.size
	done, err := readResults(f.results)
	if err != nil {
		return err
	}
	sc, err := a.scan(f, in, done, st)
	if err != nil {
		return err
	}

	start := a.now()
	lookupErr := a.settleUncertain(f, st, &sc)
	slices.SortFunc(sc.todo, func(x, y pending) int { return x.line - y.line })
	prog := a.startProgress(a.progressOn(a.stderr), "importing "+f.object, "lines", "batches", nil)
	defer prog.finish(a)
	prog.total.Store(int64(len(sc.todo)))
	st.prog = prog
	a.createAll(f, st, sc.todo)
	prog.finish(a)

	if st.err != nil {
		return st.err
	}
	notRetried := len(sc.uncertain) - st.settledBefore
	bad := sc.bad + st.refused
	parts := []string{count(int64(bad), "bad lines"), count(int64(sc.blank), "blank lines"),
		fmt.Sprintf("%s failed", thousands(int64(st.failed))), fmt.Sprintf("%s uncertain", thousands(int64(st.uncertain))),
		fmt.Sprintf("%s already done", thousands(int64(sc.skipped)))}
	if sc.refused > 0 {
		parts = append(parts, fmt.Sprintf("%s refused in an earlier run (unchanged, not sent again)", thousands(int64(sc.refused))))
	}
	if len(sc.uncertain) > 0 {
		parts = append(parts, fmt.Sprintf("%s uncertain from an earlier run (%s settled, %s not retried)", thousands(int64(len(sc.uncertain))), thousands(int64(st.settledBefore)), thousands(int64(notRetried))))
	}
	if left := len(sc.todo) - st.created - st.failed - st.uncertain - st.refused; left > 0 {
		parts = append(parts, count(int64(left), "lines left for --resume"))
	}
	a.say("created %s in %s; %s; results in %s",
		count(int64(st.created), f.object), a.now().Sub(start).Round(time.Millisecond), strings.Join(parts, ", "), f.results)
	switch {
	case st.auth != nil:
		return runError{st.auth}
	case a.ctx.Err() != nil:
		return runError{fmt.Errorf("interrupted: run the same command with --resume to continue: %w", a.ctx.Err())}
	case lookupErr != nil:
		return runError{lookupErr}
	case st.failed > 0 && st.uncertain > 0:
		return runError{fmt.Errorf("%s failed and %s may have been created (uncertain: check them in HubSpot before importing them again, or resume with --unique-property); see %s", count(int64(st.failed), "lines"), thousands(int64(st.uncertain)), f.results)}
	case st.uncertain > 0:
		return runError{fmt.Errorf("%s may have been created (uncertain: check them in HubSpot before importing them again, or resume with --unique-property); see %s", count(int64(st.uncertain), "lines"), f.results)}
	case st.failed > 0:
		return runError{fmt.Errorf("%s failed (not created: --resume sends them again); see %s", count(int64(st.failed), "lines"), f.results)}
	case bad > 0 || sc.refused > 0:
		var what []string
		if bad > 0 {
			what = append(what, count(int64(bad), "bad lines")+" refused and skipped")
		}
		if sc.refused > 0 {
			what = append(what, count(int64(sc.refused), "lines")+" refused in an earlier run, unchanged, not sent again")
		}
		them := "them"
		if bad+sc.refused == 1 {
			them = "it"
		}
		return usagef("%s: fix %s in %s and run the same command with --resume (--retry-refused sends %s unchanged); see %s", strings.Join(what, "; "), them, f.in, them, f.results)
	case notRetried > 0:
		return runError{fmt.Errorf("%s from an earlier run: outcome uncertain, not retried: check them in HubSpot and import the missing ones on their own, or resume with --unique-property; see %s", count(int64(notRetried), "lines"), f.results)}
	}
	return nil
}

// scan reads the input, checks each line and sorts the lines into those to
// create, those done and those uncertain in an earlier run; bad lines are
// reported and recorded.
func (a *app) scan(f importFlags, in io.Reader, done map[int]result, st *importState) (scanned, error) {
	var sc scanned
	var src inputSource = jsonlSource{newLineReader(in, maxLineBytes)}
	if f.format == formatCSV {
		cs, err := newCSVSource(in)
		if err != nil {
			return sc, err
		}
		src = cs
	}
	keys := map[string]int{} // --unique-property value → first line
	for {
		if err := a.ctx.Err(); err != nil {
			return sc, runError{fmt.Errorf("interrupted while reading --in, before sending anything: %w", err)}
		}
		rec, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return sc, usagef("cannot read --in: %v", err)
		}
		if rec.blank {
			sc.blank++
			continue
		}
		prev, seen := done[rec.n]
		var p pending
		perr := rec.err
		switch {
		case perr != nil:
		case rec.text != nil:
			p, perr = parseLine(f.object, rec.n, rec.text)
		case len(rec.props) == 0:
			perr = errors.New("no properties to set: every cell is empty or read-only")
		default:
			p = pending{line: rec.n, props: rec.props}
		}
		p.digest = rec.digest
		if perr == nil && f.unique != "" {
			k := p.props[f.unique]
			if first, dup := keys[k]; dup && k != "" {
				perr = fmt.Errorf("same --unique-property %s value %q as line %d", f.unique, k, first)
			} else if k == "" {
				perr = fmt.Errorf("no value for --unique-property %s: every line must set it", f.unique)
			} else {
				keys[k] = rec.n
			}
		}
		switch {
		case seen && prev.ID != "":
			sc.skipped++
			continue
		case seen && prev.Uncertain:
			p.line = rec.n
			if perr != nil {
				p.props = nil // cannot be looked up: listed
			}
			sc.uncertain = append(sc.uncertain, p)
			continue
		case seen && prev.Refused && prev.Digest != "" && prev.Digest == rec.digest && !f.retryRefused:
			if sc.refused++; sc.refused <= maxSaid {
				a.say("line %d: refused in an earlier run and unchanged, not sent again: %s", rec.n, prev.Error)
			}
			continue
		case perr != nil:
			sc.bad++
			a.say("line %d: %v (skipped)", rec.n, perr)
			if err := st.record([]result{{Line: rec.n, Error: perr.Error(), Refused: true, Digest: rec.digest}}); err != nil {
				return sc, err
			}
			continue
		}
		sc.todo = append(sc.todo, p)
	}
	if sc.refused > maxSaid {
		a.say("… and %s refused in an earlier run", count(int64(sc.refused-maxSaid), "more lines"))
	}
	return sc, st.sync()
}

// invalidUTF8At is the offset of the first byte of b that is not UTF-8.
func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// parseLine checks one input line and turns it into what create sends.
func parseLine(object string, line int, text []byte) (pending, error) {
	p := pending{line: line}
	if object != engagementsObject {
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
	// A line is a v1 record, as export writes them: it decodes as one
	// (through the generated v1 type), and Input gives what creates it.
	var rec facade.Engagement
	err := json.Unmarshal(text, &rec)
	if err == nil {
		p.eng, err = rec.Input()
	}
	if err != nil {
		return p, fmt.Errorf("invalid JSON: %v", err)
	}
	if err := facade.ValidateEngagement(p.eng); err != nil {
		return p, err
	}
	return p, nil
}
