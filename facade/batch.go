package facade

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"

	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// BatchResult is the outcome of a batch call, one entry per input.
type BatchResult[T any] struct {
	// Records holds, at each input's index, the record HubSpot returned for
	// it; the zero T where the input failed.
	Records []T
	// Failures are the inputs that failed, in input order.
	Failures []BatchFailure
}

// BatchFailure is one input of a batch that did not succeed.
type BatchFailure struct {
	// Index is the input's position in the caller's slice.
	Index int
	// ID is the input's record id, for reads, updates and archives.
	ID string
	// Err says why: an *APIError (HubSpot's per-input error or the answer
	// to the whole request), an *UncertainError when the input may have been
	// carried out, or the context's error.
	Err error
}

// Uncertain reports whether the input may have been carried out although it
// failed (its answer was lost).
func (f BatchFailure) Uncertain() bool {
	var u *UncertainError
	return errors.As(f.Err, &u)
}

// BatchError is returned with a BatchResult when some inputs failed.
type BatchError struct {
	Failures []BatchFailure
	Total    int
}

// Error counts the failures and gives the first.
func (e *BatchError) Error() string {
	return fmt.Sprintf("hubspot: %d of %d batch inputs failed; first (input %d): %v", len(e.Failures), e.Total, e.Failures[0].Index, e.Failures[0].Err)
}

// Unwrap gives every failure's error, for errors.Is and errors.As.
func (e *BatchError) Unwrap() []error {
	errs := make([]error, len(e.Failures))
	for i, f := range e.Failures {
		errs[i] = f.Err
	}
	return errs
}

// batchAnswer is the view of a batch answer (the generated BatchResponse…
// types; a test compares them): the records as raw-JSON Objects, the
// per-input errors through the generated StandardError.
type batchAnswer struct {
	Results []Object              `json:"results"`
	Errors  []tasks.StandardError `json:"errors"`
}

// chunkFunc runs one request of at most MaxBatchInputs inputs, the ones at
// [lo, hi) of the caller's slice, and fills res for them.
type chunkFunc[T any] func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex)

// fanOut splits n inputs into requests of MaxBatchInputs, runs them with
// bounded concurrency under the shared rate limiter, and returns the
// results in input order.
func (s *ObjectService[T]) fanOut(ctx context.Context, n int, run chunkFunc[T]) (*BatchResult[T], error) {
	res := &BatchResult[T]{Records: make([]T, n)}
	var mu sync.Mutex
	var wg sync.WaitGroup
	sem := make(chan struct{}, s.c.batchConc)
	for lo := 0; lo < n; lo += MaxBatchInputs {
		hi := min(lo+MaxBatchInputs, n)
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			mu.Lock()
			for i := lo; i < n; i++ {
				res.Failures = append(res.Failures, BatchFailure{Index: i, Err: ctx.Err()})
			}
			mu.Unlock()
			wg.Wait()
			return finish(res, n)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			run(ctx, lo, hi, res, &mu)
		}()
	}
	wg.Wait()
	return finish(res, n)
}

func finish[T any](res *BatchResult[T], n int) (*BatchResult[T], error) {
	if len(res.Failures) == 0 {
		return res, nil
	}
	slices.SortFunc(res.Failures, func(a, b BatchFailure) int { return a.Index - b.Index })
	return res, &BatchError{Failures: res.Failures, Total: n}
}

// perInput turns one per-input error of a batch answer into an *APIError.
func (s *ObjectService[T]) perInput(name string, e tasks.StandardError) *APIError {
	return &APIError{StatusCode: http.StatusMultiStatus, Operation: s.api.name + "." + name, Category: deref(e.Category),
		SubCategory: anyString(e.SubCategory), Message: deref(e.Message), Context: derefMap(e.Context)}
}

// byID runs a batch whose inputs are record ids (read, update, archive) and
// matches the answer to the inputs by id: results to their inputs, per-input
// errors (207) through their context ids, and any input HubSpot left out of
// its answer is reported, never dropped.
func (s *ObjectService[T]) byID(ctx context.Context, name string, kind opKind, ids []string, body func(lo, hi int) any, build bodyFunc, wantRecords bool, key func(Object) string) (*BatchResult[T], error) {
	if len(ids) == 0 {
		return nil, &ValidationError{Field: "inputs", Problem: "empty"}
	}
	for i, id := range ids {
		if err := validObjectID(fmt.Sprintf("inputs[%d].id", i), id); err != nil {
			return nil, err
		}
	}
	o := s.op(name, kind)
	return s.fanOut(ctx, len(ids), func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex) {
		var ans batchAnswer
		err := s.c.send(ctx, o, withBody(body(lo, hi), build), &ans)
		if err == nil {
			s.c.records(o.Name, len(ans.Results))
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			for i := lo; i < hi; i++ {
				res.Failures = append(res.Failures, BatchFailure{Index: i, ID: ids[i], Err: withInputs(err, i)})
			}
			return
		}
		where := map[string][]int{}
		for i := lo; i < hi; i++ {
			where[ids[i]] = append(where[ids[i]], i)
		}
		done := map[int]bool{}
		for _, r := range ans.Results {
			for _, i := range where[key(r)] {
				res.Records[i], done[i] = s.wrap(r), true
			}
		}
		for _, e := range ans.Errors {
			apiErr := s.perInput(name, e)
			for _, id := range apiErr.Context["ids"] {
				for _, i := range where[id] {
					if !done[i] {
						res.Failures, done[i] = append(res.Failures, BatchFailure{Index: i, ID: id, Err: apiErr}), true
					}
				}
			}
		}
		if !wantRecords {
			return
		}
		for i := lo; i < hi; i++ {
			if !done[i] {
				res.Failures = append(res.Failures, BatchFailure{Index: i, ID: ids[i], Err: fmt.Errorf("hubspot: %s: input %d (id %s) is missing from HubSpot's answer", o.Name, i, ids[i])})
			}
		}
	})
}

// withInputs gives an *UncertainError the input it concerns, as a copy so
// that inputs sharing one failed request each name themselves.
func withInputs(err error, i int) error {
	var u *UncertainError
	if errors.As(err, &u) {
		return &UncertainError{Inputs: []int{i}, Err: u.Err}
	}
	return err
}

// markInputs gives an *UncertainError the indexes of the inputs it concerns.
func markInputs(err error, inputs ...int) error {
	if u, ok := err.(*UncertainError); ok && u.Inputs == nil {
		u.Inputs = inputs
	}
	return err
}

// BatchReadParams are the parameters of BatchRead.
type BatchReadParams struct {
	// IDProperty, when set, names a unique-value property: the ids given to
	// BatchRead are values of it rather than record ids.
	IDProperty string
	// Properties to return (HubSpot's defaults when empty).
	Properties []string
	// PropertiesWithHistory are properties to return with their history.
	PropertiesWithHistory []string
}

// BatchRead reads records by id (POST /crm/v3/objects/{type}/batch/read),
// any number of them, 100 per request.
func (s *ObjectService[T]) BatchRead(ctx context.Context, ids []string, p BatchReadParams) (*BatchResult[T], error) {
	key := Object.ID
	props := slices.Clone(p.Properties)
	if p.IDProperty != "" {
		key = func(o Object) string { return o.str(p.IDProperty) }
		if !slices.Contains(props, p.IDProperty) {
			props = append(props, p.IDProperty)
		}
	}
	history := nonNil(slices.Clone(p.PropertiesWithHistory))
	props = nonNil(props)
	return s.byID(ctx, "batch.read", opSafe, ids, func(lo, hi int) any {
		in := tasks.BatchReadInput{Properties: &props, PropertiesWithHistory: &history}
		if p.IDProperty != "" {
			in.IDProperty = ptr(p.IDProperty)
		}
		items := newSlice(&in.Inputs, hi-lo)
		for k := range items {
			items[k].ID = &ids[lo+k]
		}
		return in
	}, s.api.batchRead, true, key)
}

// ObjectUpdate is one input of BatchUpdate.
type ObjectUpdate struct {
	ID         string
	Properties Properties
}

// BatchUpdate updates records (POST /crm/v3/objects/{type}/batch/update),
// any number of them, 100 per request.
func (s *ObjectService[T]) BatchUpdate(ctx context.Context, inputs []ObjectUpdate) (*BatchResult[T], error) {
	ids := make([]string, len(inputs))
	for i, in := range inputs {
		ids[i] = in.ID
		if err := s.checkProps(fmt.Sprintf("inputs[%d].properties", i), in.Properties); err != nil {
			return nil, err
		}
	}
	return s.byID(ctx, "batch.update", opUnsafe, ids, func(lo, hi int) any {
		var in tasks.BatchUpdateInput
		items := newSlice(&in.Inputs, hi-lo)
		for k, u := range inputs[lo:hi] {
			items[k].ID, items[k].Properties = ptr(u.ID), mapPtr(u.Properties)
		}
		return in
	}, s.api.batchUpdate, true, Object.ID)
}

// BatchArchive archives records (POST /crm/v3/objects/{type}/batch/archive),
// any number of them, 100 per request. HubSpot answers with no content, so
// only failures are reported.
func (s *ObjectService[T]) BatchArchive(ctx context.Context, ids []string) error {
	_, err := s.byID(ctx, "batch.archive", opUnsafe, ids, func(lo, hi int) any {
		var in tasks.BatchArchiveInput
		items := sized(&in.Inputs, hi-lo)
		for k := range items {
			items[k].ID = ids[lo+k]
		}
		return in
	}, s.api.batchArchive, false, Object.ID)
	return err
}

// BatchCreate creates records (POST /crm/v3/objects/{type}/batch/create),
// any number of them, 100 per request, several requests at once. A request
// whose answer is lost is never repeated: its inputs fail with an
// *UncertainError (they may have been created).
func (s *ObjectService[T]) BatchCreate(ctx context.Context, inputs []Properties) (*BatchResult[T], error) {
	if len(inputs) == 0 {
		return nil, &ValidationError{Field: "inputs", Problem: "empty"}
	}
	for i, in := range inputs {
		if err := s.checkProps(fmt.Sprintf("inputs[%d].properties", i), in); err != nil {
			return nil, err
		}
	}
	o := s.op("batch.create", opCreate)
	return s.fanOut(ctx, len(inputs), func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex) {
		in := make([]tasks.SimplePublicObjectInput, hi-lo)
		for k, p := range inputs[lo:hi] {
			in[k].Properties = mapPtr(p)
		}
		var ans batchAnswer
		err := s.c.send(ctx, o, withBody(tasks.BatchCreateInput{Inputs: &in}, s.api.batchCreate), &ans)
		if err == nil {
			s.c.records(o.Name, len(ans.Results))
		}
		mu.Lock()
		defer mu.Unlock()
		if err == nil && len(ans.Results) != hi-lo {
			err = fmt.Errorf("hubspot: %s: %d results for %d inputs, %d errors: %w", o.Name, len(ans.Results), hi-lo, len(ans.Errors), s.batchErrs(ans.Errors))
			if len(ans.Results) > 0 {
				// Some were created, and the answer does not say which input
				// each result belongs to.
				err = &UncertainError{Err: err}
			}
		}
		if err != nil {
			for i := lo; i < hi; i++ {
				res.Failures = append(res.Failures, BatchFailure{Index: i, Err: withInputs(err, i)})
			}
			return
		}
		for k, i := range matchCreated(inputs[lo:hi], ans.Results) {
			res.Records[lo+k] = s.wrap(ans.Results[i])
		}
	})
}

// matchCreated pairs each input with the result created from it: HubSpot
// does not promise that results come in input order, so a result goes to the
// first unpaired input whose properties it carries with the same values;
// results that match no input that way are paired in order with the rest.
// It returns, for each input, the index of its result.
func matchCreated(inputs []Properties, results []Object) []int {
	of := make([]int, len(inputs))
	for i := range of {
		of[i] = -1
	}
	used := make([]bool, len(results))
	for r, o := range results {
		for i, in := range inputs {
			if of[i] < 0 && carries(o, in) {
				of[i], used[r] = r, true
				break
			}
		}
	}
	r := 0
	for i := range of {
		if of[i] >= 0 {
			continue
		}
		for used[r] {
			r++
		}
		of[i], used[r] = r, true
	}
	return of
}

func carries(o Object, in Properties) bool {
	props := o.properties()
	for k, v := range in {
		if p, ok := props[k]; !ok || p == nil || *p != v {
			return false
		}
	}
	return true
}

// batchErrs summarises per-input errors of a batch answer.
func (s *ObjectService[T]) batchErrs(errs []tasks.StandardError) error {
	if len(errs) == 0 {
		return errors.New("no errors listed")
	}
	return s.perInput("batch.create", errs[0])
}
