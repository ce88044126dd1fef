package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"sync"

	"github.com/engagekit/hubspot-engagements/facade"
)

// importState is an import's results file, its .inflight file and its
// counts. Batches finish on several goroutines: every method but close
// takes mu.
type importState struct {
	a            *app
	mu           sync.Mutex
	res          *os.File
	resultsPath  string
	inflightPath string
	size         int64 // of the results file
	runStart     int64 // its size when this run started creating
	flight       map[int]bool
	prog         *progress

	created, failed, uncertain int
	settledBefore              int   // uncertain lines of an earlier run now settled
	linesDone                  int   // outcomes written by this run's creates
	auth                       error // HubSpot refused the token: stop
	err                        error // the results could not be written: stop
}

// record appends outcomes to the results file (not yet synced).
func (st *importState) record(rs []result) error {
	var buf bytes.Buffer
	for _, r := range rs {
		buf.Write(encodeResult(r))
	}
	n, err := st.res.Write(buf.Bytes())
	st.size += int64(n)
	return err
}

func (st *importState) sync() error { return st.res.Sync() }

// close removes a results file this run left empty (nothing to resume)
// and releases the lock.
func (st *importState) close() {
	if st.size == 0 {
		_ = os.Remove(st.resultsPath)
	}
	st.res.Close()
}

// settleInflight records as uncertain the lines an earlier run was creating
// when it stopped without writing their outcome.
func (st *importState) settleInflight() error {
	b, err := readSmallFile(st.inflightPath)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	fl, err := decodeInflight(b, st.size)
	if err != nil {
		return badState(st.inflightPath, err)
	}
	buf := make([]byte, st.size-fl.ResultsBytes)
	if _, err := st.res.ReadAt(buf, fl.ResultsBytes); err != nil {
		return err
	}
	outcome := map[int]bool{}
	for l := range bytes.SplitSeq(buf, []byte("\n")) {
		if r, err := decodeResult(l); err == nil {
			outcome[r.Line] = true
		}
	}
	var rs []result
	for _, line := range fl.Lines {
		if !outcome[line] {
			outcome[line] = true
			rs = append(rs, result{Line: line, Error: "interrupted while being created: it may or may not exist in HubSpot", Uncertain: true})
		}
	}
	if err := st.record(rs); err != nil {
		return err
	}
	return st.sync()
}

// writeInflight replaces the .inflight file with the lines in flight, or
// removes it when there are none; st.mu held.
func (st *importState) writeInflight() error {
	if len(st.flight) == 0 {
		err := os.Remove(st.inflightPath)
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	fl := inflight{ResultsBytes: st.runStart, Lines: make([]int, 0, len(st.flight))}
	for l := range st.flight {
		fl.Lines = append(fl.Lines, l)
	}
	b, err := json.Marshal(fl)
	if err != nil {
		return err
	}
	return writeFileAtomic(st.inflightPath, b)
}

// begin says which lines are about to be sent, durably, before they are:
// a run killed before it writes their outcome then knows they may exist.
func (st *importState) begin(group []pending) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.err != nil || st.auth != nil {
		return errStop
	}
	for _, p := range group {
		st.flight[p.line] = true
	}
	if err := st.writeInflight(); err != nil {
		st.err = err
		return err
	}
	return nil
}

// errStop is begin's answer when the import is stopping.
var errStop = errors.New("import stopping")

// finish writes a group's outcomes, makes them durable, then takes the
// lines out of the .inflight file.
func (st *importState) finish(rs []result) {
	st.mu.Lock()
	defer st.mu.Unlock()
	a := st.a
	for _, r := range rs {
		switch {
		case r.ID != "":
			st.created++
		case r.notSent:
			// Counted among those left for --resume.
		case r.authErr != nil:
			// Reported once, at the end (exit 4).
			st.failed++
			if st.auth == nil {
				st.auth = r.authErr
			}
		case r.Uncertain:
			st.uncertain++
			a.say("line %d: outcome uncertain (it may exist in HubSpot): %s", r.Line, r.Error)
		default:
			st.failed++
			if st.failed <= 20 && a.ctx.Err() == nil {
				a.say("line %d: %s", r.Line, r.Error)
			}
		}
	}
	err := st.record(rs)
	if err == nil {
		err = st.sync()
	}
	for _, r := range rs {
		delete(st.flight, r.Line)
	}
	if err == nil {
		err = st.writeInflight()
	}
	if err != nil && st.err == nil {
		st.err = err
	}
	st.linesDone += len(rs)
	if st.prog != nil {
		st.prog.done.Store(int64(st.linesDone))
	}
	if a.hooks.progress != nil {
		a.hooks.progress(st.linesDone)
	}
}

// createAll creates the lines: engagements one at a time, object records in
// batch requests of at most facade.MaxBatchInputs lines, importConcurrency
// at once, each batch's outcome written as soon as it is known. It stops
// sending when the context is done, HubSpot refuses the token or the
// results cannot be written.
func (a *app) createAll(f importFlags, st *importState, todo []pending) {
	size, lanes := facade.MaxBatchInputs, importConcurrency
	if f.object == "engagements" {
		size, lanes = 1, 1
	}
	one := func(group []pending) {
		rs := a.create(f.object, f.unique, group)
		if a.hooks.created != nil {
			a.hooks.created()
		}
		st.finish(rs)
	}
	sem := make(chan struct{}, lanes)
	var wg sync.WaitGroup
	defer wg.Wait()
	for lo := 0; lo < len(todo); lo += size {
		group := todo[lo:min(lo+size, len(todo))]
		select {
		case sem <- struct{}{}:
		case <-a.ctx.Done():
			return
		}
		if a.ctx.Err() != nil || st.begin(group) != nil {
			return
		}
		if lanes == 1 {
			// In this goroutine: a v1 import has one line in flight.
			one(group)
			<-sem
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			one(group)
		}()
	}
}

// create creates a group of lines and says what happened to each.
func (a *app) create(object, unique string, group []pending) []result {
	out := make([]result, len(group))
	lines := make([]int, len(group))
	for i, p := range group {
		out[i].Line, lines[i] = p.line, p.line
	}
	fail := func(i int, err error) {
		var u *facade.UncertainError
		out[i].Error, out[i].Uncertain = a.redact(inFileLines(oneLine(err), lines)), errors.As(err, &u)
		out[i].notSent = !out[i].Uncertain && a.ctx.Err() != nil && errors.Is(err, a.ctx.Err())
		if authFailure(err) != nil && !out[i].Uncertain {
			out[i].authErr = err
		}
	}
	if object == engagementsObject {
		for i, p := range group {
			e, err := a.client.Engagements.Create(a.ctx, p.eng)
			if err != nil {
				fail(i, err)
				continue
			}
			out[i].ID = strconv.FormatInt(e.ID(), 10)
		}
		return out
	}
	props := make([]facade.Properties, len(group))
	for i, p := range group {
		props[i] = p.props
	}
	ids, failures, err := a.objects[object].create(a.ctx, unique, props)
	if ids == nil {
		var ve *facade.ValidationError
		if !errors.As(err, &ve) && !errors.As(err, new(*facade.UncertainError)) {
			// Nothing says which inputs were created (BatchCreateUnique
			// failing in its lookups, after creating): all may have been.
			err = &facade.UncertainError{Err: err}
		}
		if unique != "" {
			err = fmt.Errorf("--unique-property %s: %w", unique, err)
		}
		for i := range group {
			fail(i, err)
		}
		return out
	}
	for i := range group {
		out[i].ID = ids[i]
	}
	for _, f := range failures {
		out[f.Index].ID = ""
		fail(f.Index, f.Err)
	}
	return out
}

var inputRef = regexp.MustCompile(`inputs\[(\d+)\]`)

// inFileLines rewrites the facade's "inputs[k]" (an index into one batch)
// as the file line it came from.
func inFileLines(msg string, lines []int) string {
	return inputRef.ReplaceAllStringFunc(msg, func(m string) string {
		k, err := strconv.Atoi(inputRef.FindStringSubmatch(m)[1])
		if err != nil || k >= len(lines) {
			return m
		}
		return "line " + strconv.Itoa(lines[k])
	})
}

// settleUncertain looks up, by --unique-property, the lines an earlier run
// left uncertain: found ones are recorded as created, provably absent ones
// are added to sc.todo; the rest stay uncertain and are listed. Without
// --unique-property, they are all listed.
func (a *app) settleUncertain(f importFlags, st *importState, sc *scanned) error {
	var lookup []pending
	for _, p := range sc.uncertain {
		if f.unique != "" && p.props != nil {
			lookup = append(lookup, p)
		}
	}
	listed := 0
	list := func(line int) {
		if listed++; listed <= 20 {
			a.say("line %d: outcome uncertain in an earlier run (it may exist in HubSpot): not retried", line)
		}
	}
	defer func() {
		if listed > 20 {
			a.say("… and %d more lines with an uncertain outcome", listed-20)
		}
	}()
	settled := map[int]bool{}
	var lookupErr error
	if len(lookup) > 0 {
		keys := make([]string, len(lookup))
		for i, p := range lookup {
			keys[i] = p.props[f.unique]
		}
		var ids []string
		var absent []bool
		ids, absent, lookupErr = a.objects[f.object].lookUp(a.ctx, f.unique, keys)
		var rs []result
		for i, p := range lookup {
			switch {
			case ids != nil && ids[i] != "":
				rs = append(rs, result{Line: p.line, ID: ids[i]})
				settled[p.line] = true
			case absent != nil && absent[i]:
				sc.todo = append(sc.todo, p)
				settled[p.line] = true
			}
		}
		st.mu.Lock()
		st.settledBefore = len(settled)
		err := st.record(rs)
		if err == nil {
			err = st.sync()
		}
		st.mu.Unlock()
		if err != nil {
			return err
		}
		if lookupErr != nil {
			lookupErr = fmt.Errorf("looking up %d uncertain lines by --unique-property %s: %w", len(lookup), f.unique, lookupErr)
			a.say("%s", oneLine(lookupErr))
		}
	}
	for _, p := range sc.uncertain {
		if !settled[p.line] {
			list(p.line)
		}
	}
	return lookupErr
}
