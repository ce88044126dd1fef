package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
	refused                    int   // lines HubSpot or the facade refused for what they hold
	settledBefore              int   // uncertain lines of an earlier run now settled
	linesDone                  int   // outcomes written by this run's creates
	auth                       error // HubSpot refused the token: stop
	err                        error // the results could not be written: stop
}

// maxSaid bounds the lines of each kind (failed, refused, uncertain from an
// earlier run) named on stderr; the results file has them all.
const maxSaid = 20

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
		case r.Refused:
			st.refused++
			if st.refused <= maxSaid && a.ctx.Err() == nil {
				a.say("line %d: %s (skipped)", r.Line, r.Error)
			}
		case r.Uncertain:
			st.uncertain++
			a.say("line %d: outcome uncertain (it may exist in HubSpot): %s", r.Line, r.Error)
		default:
			st.failed++
			if st.failed <= maxSaid && a.ctx.Err() == nil {
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

// create creates a group of lines and says what happened to each. Each
// line stands alone: one the facade refuses before sending, or HubSpot
// refuses, is reported by itself and the others are created (see
// createLines).
func (a *app) create(object, unique string, group []pending) []result {
	out := make([]result, len(group))
	for i, p := range group {
		out[i].Line, out[i].Digest = p.line, p.digest
	}
	if object == engagementsObject {
		for i, p := range group {
			e, err := a.client.Engagements.Create(a.ctx, p.eng)
			if err != nil {
				a.fail(&out[i], err, []int{p.line})
				var api *facade.APIError
				out[i].Refused = errors.As(err, &api) && refusal(api)
				continue
			}
			out[i].ID = strconv.FormatInt(e.ID(), 10)
		}
		return out
	}
	all := make([]int, len(group))
	for i := range all {
		all[i] = i
	}
	a.createLines(a.objects[object], unique, group, all, out)
	return out
}

// fail records err as the outcome of r, one of the lines of a request.
func (a *app) fail(r *result, err error, lines []int) {
	var u *facade.UncertainError
	r.ID, r.Error, r.Uncertain = "", a.redact(inFileLines(oneLine(err), lines)), errors.As(err, &u)
	r.notSent = !r.Uncertain && a.ctx.Err() != nil && errors.Is(err, a.ctx.Err())
	if authFailure(err) != nil && !r.Uncertain {
		r.authErr = err
	}
}

// refuse records that r's line was refused for what it holds: it was not
// created, and --resume does not send it again unchanged.
func (a *app) refuse(r *result, msg string) {
	r.ID, r.Error, r.Refused = "", a.redact(msg), true
}

// createLines creates the lines group[i] for i in idx in one batch request.
// A line the facade refuses before sending is reported alone and the batch
// goes on without it. When HubSpot refuses the whole batch (it creates none
// of a batch it refuses), the lines responsible are found: by HubSpot's
// per-input errors (errors[].in "inputs[k]") or the properties it says do
// not exist, else by sending apart the lines that set none of the
// properties it names and splitting the rest in two, until each refused
// line stands alone (at most 2n-1 requests for n lines); the others are
// sent again, which is safe: nothing of a refused request was created.
func (a *app) createLines(o crmObject, unique string, group []pending, idx []int, out []result) {
	for len(idx) > 0 {
		props := make([]facade.Properties, len(idx))
		lines := make([]int, len(idx))
		for k, i := range idx {
			props[k], lines[k] = group[i].props, group[i].line
		}
		ids, failures, err := o.create(a.ctx, unique, props)
		if ids == nil {
			var ve *facade.ValidationError
			if errors.As(err, &ve) {
				if k, field, ok := batchInput(ve.Field); ok && k < len(idx) {
					one := *ve
					one.Field = field
					a.refuse(&out[idx[k]], one.Error())
					idx = slices.Delete(slices.Clone(idx), k, k+1)
					continue
				}
			} else if !errors.As(err, new(*facade.UncertainError)) {
				// Nothing says which inputs were created (BatchCreate with a unique property
				// failing in its lookups, after creating): all may have been.
				err = &facade.UncertainError{Err: err}
			}
			if unique != "" {
				err = fmt.Errorf("--unique-property %s: %w", unique, err)
			}
			for _, i := range idx {
				a.fail(&out[i], err, lines)
			}
			return
		}
		refused := batchRefusal(failures, len(idx))
		if refused == nil {
			for k, i := range idx {
				out[i].ID = ids[k]
			}
			for _, f := range failures {
				a.fail(&out[idx[f.Index]], f.Err, lines)
			}
			return
		}
		if culprits := inputsRefused(refused, props); len(culprits) > 0 {
			var rest []int
			for k, i := range idx {
				if msg, bad := culprits[k]; bad {
					a.refuse(&out[i], msg)
				} else {
					rest = append(rest, i)
				}
			}
			idx = rest
			continue
		}
		if len(idx) == 1 {
			a.fail(&out[idx[0]], refused, lines)
			out[idx[0]].Refused = true
			return
		}
		// The lines that set none of the properties HubSpot names are
		// innocent: they go on their own, the others are split.
		var innocent, suspect []int
		named := namedProperties(refused)
		for k, i := range idx {
			if setsAny(props[k], named) {
				suspect = append(suspect, i)
			} else {
				innocent = append(innocent, i)
			}
		}
		if len(innocent) == 0 || len(suspect) == 0 {
			half := len(idx) / 2
			innocent, suspect = idx[:half], idx[half:]
		}
		a.createLines(o, unique, group, innocent, out)
		a.createLines(o, unique, group, suspect, out)
		return
	}
}

// setsAny reports whether props sets one of the names.
func setsAny(props facade.Properties, names map[string]string) bool {
	for n := range props {
		if _, ok := names[n]; ok {
			return true
		}
	}
	return false
}

// namedProperties are the properties a refusal names: in errors[]
// (context.propertyName) and in the list of its "Property values were not
// valid: [...]" message, by their codes.
func namedProperties(api *facade.APIError) map[string]string {
	named := map[string]string{}
	for _, d := range api.Errors {
		for _, n := range d.Context["propertyName"] {
			named[n] = d.Code
		}
	}
	if list, ok := strings.CutPrefix(api.Message, "Property values were not valid: "); ok {
		var entries []struct{ Error, Name string }
		if json.Unmarshal([]byte(list), &entries) == nil {
			for _, e := range entries {
				if e.Name != "" {
					named[e.Name] = e.Error
				}
			}
		}
	}
	return named
}

// refusal reports whether HubSpot refused a request for what it holds (400,
// 409 CONFLICT, 413, 422): the request changed nothing, and sending it
// again unchanged would be refused again. 401, 403, 404 and 429 are not
// about the lines.
func refusal(api *facade.APIError) bool {
	switch api.StatusCode {
	case http.StatusBadRequest, http.StatusConflict, http.StatusRequestEntityTooLarge, http.StatusUnprocessableEntity:
		return true
	}
	return false
}

// batchRefusal is HubSpot's refusal of a whole batch request of n inputs:
// every input failed with the same answer, a refusal. Nil otherwise.
func batchRefusal(failures []facade.BatchFailure, n int) *facade.APIError {
	if len(failures) != n || n == 0 {
		return nil
	}
	var api *facade.APIError
	if !errors.As(failures[0].Err, &api) || !refusal(api) || api.StatusCode == http.StatusMultiStatus {
		return nil
	}
	for _, f := range failures[1:] {
		var other *facade.APIError
		if !errors.As(f.Err, &other) || other != api {
			return nil
		}
	}
	return api
}

// propertyDoesntExist is HubSpot's code for a property the account does not
// have: every input that sets it is refused.
const propertyDoesntExist = "PROPERTY_DOESNT_EXIST"

// inputsRefused finds, in HubSpot's refusal of a batch of inputs, the
// inputs it names, with what it says of each: by errors[].in ("inputs[k]"),
// else the inputs that set a property HubSpot says does not exist (in
// errors[] or in the "Property values were not valid: [...]" message).
func inputsRefused(api *facade.APIError, inputs []facade.Properties) map[int]string {
	head := fmt.Sprintf("hubspot refused the line (%d %s", api.StatusCode, api.Category)
	say := func(code, msg string) string {
		h := head
		if code != "" {
			h += ", " + code
		}
		return h + "): " + msg + correlation(api)
	}
	refused := map[int]string{}
	for _, d := range api.Errors {
		if k, _, ok := batchInput(d.In); ok && k < len(inputs) {
			msg := say(d.Code, d.Message)
			if prev, ok := refused[k]; ok {
				msg = prev + "; " + d.Message
			}
			refused[k] = msg
		}
	}
	if len(refused) > 0 {
		return refused
	}
	codes := namedProperties(api)
	for k, in := range inputs {
		for _, n := range slices.Sorted(maps.Keys(in)) {
			if codes[n] == propertyDoesntExist {
				refused[k] = say(propertyDoesntExist, fmt.Sprintf("Property %q does not exist", n))
				break
			}
		}
	}
	return refused
}

// correlation is " (correlation id X)" for an answer that has one.
func correlation(api *facade.APIError) string {
	if api.CorrelationID == "" {
		return ""
	}
	return " (correlation id " + api.CorrelationID + ")"
}

var batchInputRef = regexp.MustCompile(`^inputs\[(\d+)\]\.?`)

// batchInput reads "inputs[k].rest" (a field or errors[].in of a batch
// input): k and rest.
func batchInput(s string) (k int, rest string, ok bool) {
	m := batchInputRef.FindStringSubmatch(s)
	if m == nil {
		return 0, "", false
	}
	k, err := strconv.Atoi(m[1])
	if err != nil {
		return 0, "", false
	}
	return k, s[len(m[0]):], true
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
		if listed++; listed <= maxSaid {
			a.say("line %d: outcome uncertain in an earlier run (it may exist in HubSpot): not retried", line)
		}
	}
	defer func() {
		if listed > maxSaid {
			a.say("… and %d more lines with an uncertain outcome", listed-maxSaid)
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
