package facade

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
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

// sendBatch sends one request of a batch and counts the records of its
// answer.
func (s *ObjectService[T]) sendBatch(ctx context.Context, o op, build func(server string) (*http.Request, error), mk func() shape[batchAnswer]) (batchAnswer, error) {
	ans, err := sendFor(ctx, s.c, o, build, mk)
	if err == nil {
		s.c.records(o.Name, len(ans.Results))
	}
	return ans, err
}

// perInput turns one per-input error of a batch answer into an *APIError.
func (s *ObjectService[T]) perInput(name string, e inputError) *APIError {
	return &APIError{StatusCode: http.StatusMultiStatus, Operation: s.api.name + "." + name, Category: e.Category,
		SubCategory: anyString(e.SubCategory), Message: e.Message, Context: e.Context}
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
		if err := requiredID(fmt.Sprintf("inputs[%d].id", i), id); err != nil {
			return nil, err
		}
	}
	o := s.op(name, kind)
	return s.fanOut(ctx, len(ids), func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex) {
		ans, err := s.sendBatch(ctx, o, withBody(body(lo, hi), build), s.shapes().batch)
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
	// Properties to return; when empty, those the record type's accessors
	// read (see ObjectService), not HubSpot's three defaults.
	Properties []string
	// PropertiesWithHistory are properties to return with their history.
	PropertiesWithHistory []string
}

// BatchRead reads records by id (POST /crm/v3/objects/{type}/batch/read),
// any number of them, 100 per request, with the properties their
// accessors read unless p names others.
func (s *ObjectService[T]) BatchRead(ctx context.Context, ids []string, p BatchReadParams) (*BatchResult[T], error) {
	key := Object.ID
	props := s.properties(p.Properties)
	if p.IDProperty != "" {
		key = func(o Object) string { return o.str(p.IDProperty) }
		if !slices.Contains(props, p.IDProperty) {
			props = append(props, p.IDProperty)
		}
	}
	history := nonNil(slices.Clone(p.PropertiesWithHistory))
	props = nonNil(props)
	return s.byID(ctx, "batch.read", opSafe, ids, func(lo, hi int) any {
		return s.api.body.batchRead(ids[lo:hi], p.IDProperty, props, history)
	}, s.api.batchRead, true, key)
}

// UpdateInput is the body of Update and one input of BatchUpdate: the
// record's id and the properties to set on it ("" clears one).
type UpdateInput struct {
	// ID is the record's id (hs_object_id).
	ID string
	// Properties are the properties to set; the others stay as they are.
	Properties Properties
}

// BatchUpdate updates records (POST /crm/v3/objects/{type}/batch/update),
// any number of them, 100 per request.
func (s *ObjectService[T]) BatchUpdate(ctx context.Context, inputs []UpdateInput) (*BatchResult[T], error) {
	ids := make([]string, len(inputs))
	for i, in := range inputs {
		ids[i] = in.ID
		if err := s.checkProps(fmt.Sprintf("inputs[%d].properties", i), in.Properties); err != nil {
			return nil, err
		}
	}
	return s.byID(ctx, "batch.update", opUnsafe, ids, func(lo, hi int) any {
		return s.api.body.batchUpdate(inputs[lo:hi])
	}, s.api.batchUpdate, true, Object.ID)
}

// BatchArchive archives records (POST /crm/v3/objects/{type}/batch/archive),
// any number of them, 100 per request. HubSpot answers with no content, so
// only failures are reported.
func (s *ObjectService[T]) BatchArchive(ctx context.Context, ids []string) error {
	_, err := s.byID(ctx, "batch.archive", opUnsafe, ids, func(lo, hi int) any {
		return s.api.body.batchArchive(ids[lo:hi])
	}, s.api.batchArchive, false, Object.ID)
	return err
}

// BatchCreateParams say how BatchCreate makes its creates safe to repeat.
type BatchCreateParams struct {
	// UniqueProperty, when set, names a property of the caller's that
	// HubSpot keeps unique (hasUniqueValue), whose value every input
	// carries, distinct: an input whose answer was lost is then looked up
	// by that value and created again only when provably absent (see
	// BatchCreate). When empty, such an input fails with an
	// *UncertainError.
	UniqueProperty string
}

// BatchCreate creates records (POST /crm/v3/objects/{type}/batch/create),
// any number of them, 100 per request, several requests at once, each
// associated with the records its input names in the same request (a
// target's zero Type is HubSpot's default for the pair). A request whose
// answer is lost is never repeated blindly. Without p.UniqueProperty its
// inputs fail with an *UncertainError (they may have been created). With
// it, every input whose outcome was unknown is settled instead of being
// left to the caller: it is looked up by its value of p.UniqueProperty
// with a batch read (which reads HubSpot's records directly, unlike
// search); found, it counts as created; provably absent, it is created
// again. Up to 5 rounds; an input still unsettled after them stays an
// *UncertainError. When HubSpot refuses the lookup itself (for example a
// 400 because the property is not a unique-value property), BatchCreate
// stops at once and returns that *APIError, wrapped in an error that
// names the property, with the results so far.
func (s *ObjectService[T]) BatchCreate(ctx context.Context, inputs []CreateInput, p BatchCreateParams) (*BatchResult[T], error) {
	if p.UniqueProperty != "" {
		return s.createUnique(ctx, p.UniqueProperty, inputs)
	}
	return s.create(ctx, inputs)
}

// create is BatchCreate without a unique property.
func (s *ObjectService[T]) create(ctx context.Context, inputs []CreateInput) (*BatchResult[T], error) {
	if len(inputs) == 0 {
		return nil, &ValidationError{Field: "inputs", Problem: "empty"}
	}
	checked := make([]CreateInput, len(inputs))
	props := make([]Properties, len(inputs))
	for i, in := range inputs {
		c, err := s.checkCreate(fmt.Sprintf("inputs[%d].", i), in)
		if err != nil {
			return nil, err
		}
		checked[i], props[i] = c, c.Properties
	}
	o := s.op("batch.create", opCreate)
	return s.fanOut(ctx, len(inputs), func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex) {
		ans, err := s.sendBatch(ctx, o, withBody(s.api.body.batchCreate(checked[lo:hi]), s.api.batchCreate), s.shapes().batch)
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
		for k, i := range matchCreated(props[lo:hi], ans.Results) {
			res.Records[lo+k] = s.wrap(ans.Results[i])
		}
	})
}

// UpsertInput is one input of BatchUpsert: the value of the unique
// property that identifies the record, and the properties to set.
type UpsertInput struct {
	// ID is the record's value of BatchUpsertParams.IDProperty.
	ID         string
	Properties Properties
}

// BatchUpsertParams are the parameters of BatchUpsert.
type BatchUpsertParams struct {
	// IDProperty names the property with unique values (hasUniqueValue)
	// whose value each input's ID is. Required.
	IDProperty string
}

// UpsertResult is the outcome of BatchUpsert: the records, in input order,
// and which of them HubSpot created (the others it updated).
type UpsertResult[T any] struct {
	BatchResult[T]
	// Created is true at the index of an input whose record was new.
	Created []bool
}

// BatchUpsert creates or updates records by a unique property
// (POST /crm/v3/objects/{type}/batch/upsert), any number of them, 100 per
// request: each input's ID is a value of p.IDProperty, a property with
// unique values (hasUniqueValue; HubSpot refuses hs_object_id here); the
// record that has it is updated, and one is created when none has it. The
// value is also sent among the input's properties, so that HubSpot's
// answer carries it and each result finds its input. Since repeating an upsert
// never makes a second record, a request whose answer was lost is sent
// again like a read: upsert is the way to import that can be repeated
// safely.
func (s *ObjectService[T]) BatchUpsert(ctx context.Context, inputs []UpsertInput, p BatchUpsertParams) (*UpsertResult[T], error) {
	idProperty := p.IDProperty
	switch idProperty {
	case "":
		return nil, &ValidationError{Field: "IDProperty", Problem: "required"}
	case ObjectIDProperty:
		return nil, &ValidationError{Field: "IDProperty", Problem: "must be a property with unique values; HubSpot refuses to upsert by hs_object_id (use BatchUpdate)", Actual: idProperty}
	}
	if len(inputs) == 0 {
		return nil, &ValidationError{Field: "inputs", Problem: "empty"}
	}
	seen := make(map[string]int, len(inputs))
	for i, in := range inputs {
		field := fmt.Sprintf("inputs[%d]", i)
		if in.ID == "" {
			return nil, &ValidationError{Field: field + ".ID", Problem: "required: the record's " + idProperty}
		}
		if j, dup := seen[in.ID]; dup {
			return nil, &ValidationError{Field: field + ".ID", Problem: fmt.Sprintf("same value as inputs[%d]", j), Actual: in.ID}
		}
		seen[in.ID] = i
		if err := s.checkProps(field+".properties", in.Properties); err != nil {
			return nil, err
		}
		if v, ok := in.Properties[idProperty]; ok && v != in.ID {
			return nil, &ValidationError{Field: field + ".properties." + idProperty, Problem: "differs from the input's ID", Actual: v}
		}
	}
	sent := make([]UpsertInput, len(inputs))
	for i, in := range inputs {
		props := maps.Clone(in.Properties)
		props[idProperty] = in.ID
		sent[i] = UpsertInput{ID: in.ID, Properties: props}
	}
	created := make([]bool, len(inputs))
	o := s.op("batch.upsert", opSafe)
	res, err := s.fanOut(ctx, len(inputs), func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex) {
		ans, err := s.sendBatch(ctx, o, withBody(s.api.body.batchUpsert(idProperty, sent[lo:hi]), s.api.batchUpsert), s.shapes().upsert)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			for i := lo; i < hi; i++ {
				res.Failures = append(res.Failures, BatchFailure{Index: i, ID: inputs[i].ID, Err: err})
			}
			return
		}
		where := make(map[string]int, hi-lo)
		for i := lo; i < hi; i++ {
			where[inputs[i].ID] = i
		}
		done := map[int]bool{}
		for _, r := range ans.Results {
			if i, ok := where[r.str(idProperty)]; ok && !done[i] {
				res.Records[i], created[i], done[i] = s.wrap(r), r.v.New, true
			}
		}
		for _, e := range ans.Errors {
			apiErr := s.perInput("batch.upsert", e)
			for _, id := range apiErr.Context["ids"] {
				if i, ok := where[id]; ok && !done[i] {
					res.Failures, done[i] = append(res.Failures, BatchFailure{Index: i, ID: id, Err: apiErr}), true
				}
			}
		}
		for i := lo; i < hi; i++ {
			if !done[i] {
				res.Failures = append(res.Failures, BatchFailure{Index: i, ID: inputs[i].ID, Err: fmt.Errorf("hubspot: %s: input %d (%s %s) is missing from HubSpot's answer", o.Name, i, idProperty, inputs[i].ID)})
			}
		}
	})
	if res == nil {
		return nil, err
	}
	return &UpsertResult[T]{BatchResult: *res, Created: created}, err
}

// batchErrs summarises per-input errors of a batch answer.
func (s *ObjectService[T]) batchErrs(errs []inputError) error {
	if len(errs) == 0 {
		return errors.New("no errors listed")
	}
	return s.perInput("batch.create", errs[0])
}
