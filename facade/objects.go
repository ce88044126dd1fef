package facade

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
)

// Limits of the v3 APIs.
const (
	MaxListLimit   = 100
	MaxSearchLimit = 200
	// MaxBatchInputs is HubSpot's limit per batch request; the batch methods
	// split larger inputs into requests of this size.
	MaxBatchInputs = 100
	searchCap      = 10000
	defaultSearch  = 10
)

// ObjectService is one v3 CRM object API: Client.Emails and Client.Tasks are
// the same code over two object types.
type ObjectService[T any] struct {
	c        *Client
	api      objectAPI
	wrap     func(Object) T
	prefetch bool
}

func newObjectService[T any](c *Client, api objectAPI, wrap func(Object) T, prefetch bool) *ObjectService[T] {
	return &ObjectService[T]{c: c, api: api, wrap: wrap, prefetch: prefetch}
}

func (s *ObjectService[T]) op(name string) string { return s.api.name + "." + name }

// GetParams are the parameters of Get.
type GetParams struct {
	// Properties to return (HubSpot's defaults when empty).
	Properties []string
	// Associations are object types ("contacts", …) whose associated ids
	// come back with the record.
	Associations []string
	// Archived reads an archived record.
	Archived bool
}

func (p GetParams) query() getQuery {
	q := getQuery{Properties: joinList(p.Properties), Associations: joinList(p.Associations)}
	if p.Archived {
		q.Archived = &p.Archived
	}
	return q
}

func validObjectID(field, id string) error {
	if id == "" {
		return &ValidationError{Field: field, Problem: "required"}
	}
	return nil
}

// Create creates a record (POST /crm/v3/objects/{type}). A create whose
// answer is lost is not retried: it fails with an *UncertainError.
func (s *ObjectService[T]) Create(ctx context.Context, props Properties) (T, error) {
	var zero T
	if len(props) == 0 {
		return zero, &ValidationError{Field: "properties", Problem: "required"}
	}
	var out Object
	err := s.c.send(ctx, call{s.op("create"), opCreate}, withBody(map[string]any{"properties": props}, s.api.create), &out)
	if err != nil {
		return zero, markInputs(err, 0)
	}
	return s.wrap(out), nil
}

// Get reads one record (GET /crm/v3/objects/{type}/{id}).
func (s *ObjectService[T]) Get(ctx context.Context, id string, p GetParams) (T, error) {
	var zero T
	if err := validObjectID("id", id); err != nil {
		return zero, err
	}
	var out Object
	err := s.c.send(ctx, call{s.op("get"), opSafe}, func(server string) (*http.Request, error) {
		return s.api.get(server, id, p.query())
	}, &out)
	if err != nil {
		return zero, err
	}
	return s.wrap(out), nil
}

// Update sets the given properties and leaves the others as they are
// (PATCH /crm/v3/objects/{type}/{id}). "" clears a property.
func (s *ObjectService[T]) Update(ctx context.Context, id string, props Properties) (T, error) {
	var zero T
	if err := validObjectID("id", id); err != nil {
		return zero, err
	}
	if len(props) == 0 {
		return zero, &ValidationError{Field: "properties", Problem: "required"}
	}
	var out Object
	err := s.c.send(ctx, call{s.op("update"), opSafe}, func(server string) (*http.Request, error) {
		r, err := jsonBody(map[string]any{"properties": props})
		if err != nil {
			return nil, err
		}
		return s.api.update(server, id, "application/json", r)
	}, &out)
	if err != nil {
		return zero, err
	}
	return s.wrap(out), nil
}

// Archive archives a record (DELETE /crm/v3/objects/{type}/{id}).
func (s *ObjectService[T]) Archive(ctx context.Context, id string) error {
	if err := validObjectID("id", id); err != nil {
		return err
	}
	return s.c.send(ctx, call{s.op("archive"), opSafe}, func(server string) (*http.Request, error) {
		return s.api.archive(server, id)
	}, nil)
}

// ObjectListParams are the parameters of List.
type ObjectListParams struct {
	// Limit is the page size, 1 to 100 (0: HubSpot's default, 10).
	Limit int
	// Properties to return (HubSpot's defaults when empty).
	Properties []string
	// Associations are object types whose associated ids come back.
	Associations []string
	// Archived lists archived records instead.
	Archived bool
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

type collection struct {
	Results []Object `json:"results"`
	Paging  *struct {
		Next *struct {
			After string `json:"after"`
		} `json:"next"`
	} `json:"paging"`
	Total *int64 `json:"total"`
}

func (c collection) next() string {
	if c.Paging == nil || c.Paging.Next == nil {
		return ""
	}
	return c.Paging.Next.After
}

func (s *ObjectService[T]) wrapAll(objs []Object) []T {
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = s.wrap(o)
	}
	return out
}

// List pages through the records (GET /crm/v3/objects/{type}).
func (s *ObjectService[T]) List(ctx context.Context, p ObjectListParams) *Pager[T] {
	if err := checkLimit("Limit", p.Limit, MaxListLimit); err != nil {
		return errPager[T](err)
	}
	kind := "v3.list." + s.api.name
	at, err := decodeCursor(kind, p.Cursor)
	if err != nil {
		return errPager[T](err)
	}
	return newPager(ctx, s.c, s.op("list"), at, func(ctx context.Context, at position) (fetched[T], error) {
		q := listQuery{Limit: optInt(p.Limit), Properties: joinList(p.Properties), Associations: joinList(p.Associations)}
		if at.Token != "" {
			q.After = &at.Token
		}
		if p.Archived {
			q.Archived = &p.Archived
		}
		var pg collection
		err := s.c.send(ctx, call{s.op("list"), opSafe}, func(server string) (*http.Request, error) { return s.api.list(server, q) }, &pg)
		if err != nil {
			return fetched[T]{}, err
		}
		after := pg.next()
		return fetched[T]{items: s.wrapAll(pg.Results), next: position{Kind: kind, Token: after, Read: at.Read + len(pg.Results), Done: after == ""}}, nil
	}, s.prefetch)
}

// Search operators.
const (
	OpEQ               = "EQ"
	OpNEQ              = "NEQ"
	OpLT               = "LT"
	OpLTE              = "LTE"
	OpGT               = "GT"
	OpGTE              = "GTE"
	OpBetween          = "BETWEEN"
	OpIn               = "IN"
	OpNotIn            = "NOT_IN"
	OpHasProperty      = "HAS_PROPERTY"
	OpNotHasProperty   = "NOT_HAS_PROPERTY"
	OpContainsToken    = "CONTAINS_TOKEN"
	OpNotContainsToken = "NOT_CONTAINS_TOKEN"
)

// MarshalJSON sends value whenever the operator takes one, even "" (a
// search for an empty value), and leaves it out for HAS_PROPERTY,
// NOT_HAS_PROPERTY, IN and NOT_IN when it is empty.
func (f Filter) MarshalJSON() ([]byte, error) {
	type plain Filter
	switch {
	case f.Value != "":
	case f.Operator == OpHasProperty, f.Operator == OpNotHasProperty, f.Operator == OpIn, f.Operator == OpNotIn:
	default:
		return json.Marshal(struct {
			plain
			Value string `json:"value"`
		}{plain(f), f.Value})
	}
	return json.Marshal(plain(f))
}

// Filter is one condition of a search. Value is the operand of most
// operators; BETWEEN also takes HighValue; IN and NOT_IN take Values.
type Filter struct {
	PropertyName string   `json:"propertyName"`
	Operator     string   `json:"operator"`
	Value        string   `json:"value,omitempty"`
	HighValue    string   `json:"highValue,omitempty"`
	Values       []string `json:"values,omitempty"`
}

// FilterGroup is filters that must all hold; a search matches records that
// satisfy any of its groups.
type FilterGroup struct {
	Filters []Filter `json:"filters"`
}

// Sort orders search results: Direction is ASCENDING or DESCENDING.
type Sort struct {
	PropertyName string `json:"propertyName"`
	Direction    string `json:"direction"`
}

// SearchParams are the parameters of Search.
type SearchParams struct {
	FilterGroups []FilterGroup
	// Sorts order the results. Leave empty to read past HubSpot's
	// 10,000-result cap: the search then sorts on hs_object_id and restarts
	// after the last id read whenever the cap nears.
	Sorts []Sort
	// Query is free text matched against the default searchable properties.
	Query string
	// Properties to return (HubSpot's defaults when empty).
	Properties []string
	// Limit is the page size, 1 to 200 (0: HubSpot's default, 10).
	Limit int
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

// ErrSearchCap is returned when a search with caller-chosen Sorts reaches
// HubSpot's 10,000-result cap: leave Sorts empty to read past it.
var ErrSearchCap = errors.New("hubspot: search reached HubSpot's 10,000-result cap; leave Sorts empty to read past it")

type searchBody struct {
	FilterGroups []FilterGroup `json:"filterGroups,omitempty"`
	Sorts        []Sort        `json:"sorts,omitempty"`
	Query        string        `json:"query,omitempty"`
	Properties   []string      `json:"properties,omitempty"`
	Limit        int           `json:"limit,omitempty"`
	After        string        `json:"after,omitempty"`
}

func (p SearchParams) validate() error {
	if err := checkLimit("Limit", p.Limit, MaxSearchLimit); err != nil {
		return err
	}
	for g, fg := range p.FilterGroups {
		for i, f := range fg.Filters {
			field := fmt.Sprintf("FilterGroups[%d].Filters[%d]", g, i)
			switch f.Operator {
			case OpEQ, OpNEQ, OpLT, OpLTE, OpGT, OpGTE, OpContainsToken, OpNotContainsToken, OpHasProperty, OpNotHasProperty:
			case OpBetween:
				if f.HighValue == "" {
					return &ValidationError{Field: field + ".HighValue", Problem: "required by BETWEEN"}
				}
			case OpIn, OpNotIn:
				if len(f.Values) == 0 {
					return &ValidationError{Field: field + ".Values", Problem: "required by " + f.Operator}
				}
			default:
				return &ValidationError{Field: field + ".Operator", Problem: "unknown operator", Actual: f.Operator}
			}
			if f.PropertyName == "" {
				return &ValidationError{Field: field + ".PropertyName", Problem: "required"}
			}
		}
	}
	for i, so := range p.Sorts {
		if so.Direction != "ASCENDING" && so.Direction != "DESCENDING" {
			return &ValidationError{Field: fmt.Sprintf("Sorts[%d].Direction", i), Problem: "must be ASCENDING or DESCENDING", Actual: so.Direction}
		}
	}
	return nil
}

// body is the search request for a position: after the restart point Base
// (hs_object_id GT Base, added to every group), from offset Token.
func (p SearchParams) body(at position) searchBody {
	b := searchBody{FilterGroups: p.FilterGroups, Sorts: p.Sorts, Query: p.Query, Properties: p.Properties, Limit: p.Limit, After: at.Token}
	if len(b.Sorts) == 0 {
		b.Sorts = []Sort{{PropertyName: ObjectID, Direction: "ASCENDING"}}
	}
	if at.Base != "" {
		gt := Filter{PropertyName: ObjectID, Operator: OpGT, Value: at.Base}
		groups := make([]FilterGroup, 0, max(1, len(p.FilterGroups)))
		for _, g := range p.FilterGroups {
			groups = append(groups, FilterGroup{Filters: append(append([]Filter(nil), g.Filters...), gt)})
		}
		if len(groups) == 0 {
			groups = append(groups, FilterGroup{Filters: []Filter{gt}})
		}
		b.FilterGroups = groups
	}
	return b
}

// Search pages through the records that match p
// (POST /crm/v3/objects/{type}/search), under the search rate limit. With
// no Sorts it reads past HubSpot's 10,000-result cap, skipping and
// repeating nothing.
func (s *ObjectService[T]) Search(ctx context.Context, p SearchParams) *Pager[T] {
	if err := p.validate(); err != nil {
		return errPager[T](err)
	}
	kind := "v3.search." + s.api.name
	at, err := decodeCursor(kind, p.Cursor)
	if err != nil {
		return errPager[T](err)
	}
	p.FilterGroups = append([]FilterGroup(nil), p.FilterGroups...)
	p.Sorts, p.Properties = append([]Sort(nil), p.Sorts...), append([]string(nil), p.Properties...)
	size := p.Limit
	if size == 0 {
		size = defaultSearch
	}
	return newPager(ctx, s.c, s.op("search"), at, func(ctx context.Context, at position) (fetched[T], error) {
		var pg collection
		err := s.c.send(ctx, call{s.op("search"), opSearch}, withBody(p.body(at), s.api.search), &pg)
		if err != nil {
			return fetched[T]{}, err
		}
		next := position{Kind: kind, Base: at.Base, Token: pg.next(), Read: at.Read + len(pg.Results)}
		if at.Base != "" {
			// After a restart HubSpot counts only the records past it.
			pg.Total = nil
		}
		if next.Token == "" || len(pg.Results) == 0 {
			next.Done = true
			return fetched[T]{items: s.wrapAll(pg.Results), next: next, total: pg.Total}, nil
		}
		if off, err := strconv.Atoi(next.Token); err == nil && off+size > searchCap {
			if len(p.Sorts) > 0 {
				return fetched[T]{items: s.wrapAll(pg.Results), next: next, total: pg.Total, stop: ErrSearchCap}, nil
			}
			next.Token, next.Base = "", pg.Results[len(pg.Results)-1].ID()
		}
		return fetched[T]{items: s.wrapAll(pg.Results), next: next, total: pg.Total}, nil
	}, s.prefetch)
}

// withBody builds a JSON request with one of the generated body builders.
func withBody(v any, build bodyFunc) func(server string) (*http.Request, error) {
	return func(server string) (*http.Request, error) {
		r, err := jsonBody(v)
		if err != nil {
			return nil, err
		}
		return build(server, "application/json", r)
	}
}

// Associations lists every record of toObjectType associated with the
// record (GET /crm/v3/objects/{type}/{id}/associations/{toObjectType}),
// following HubSpot's pages to the end.
func (s *ObjectService[T]) Associations(ctx context.Context, id, toObjectType string) ([]AssociatedID, error) {
	if err := validObjectID("id", id); err != nil {
		return nil, err
	}
	if err := validObjectID("toObjectType", toObjectType); err != nil {
		return nil, err
	}
	var all []AssociatedID
	seen := map[string]bool{}
	q := assocQuery{Limit: optInt(maxAssociationsPage)}
	for {
		var page struct {
			associationsList
			Paging *struct {
				Next *struct {
					After string `json:"after"`
				} `json:"next"`
			} `json:"paging"`
		}
		err := s.c.send(ctx, call{s.op("associations.list"), opSafe}, func(server string) (*http.Request, error) {
			return s.api.assocList(server, id, toObjectType, q)
		}, &page)
		if err != nil {
			return all, err
		}
		all = append(all, page.Results...)
		if page.Paging == nil || page.Paging.Next == nil || page.Paging.Next.After == "" {
			return all, nil
		}
		after := page.Paging.Next.After
		if seen[after] || len(page.Results) == 0 {
			return all, fmt.Errorf("%w: associations cursor %q", ErrPaginationLoop, after)
		}
		seen[after], q.After = true, &after
	}
}

// maxAssociationsPage is HubSpot's largest page of associations.
const maxAssociationsPage = 500

// Associate associates the record with another
// (PUT /crm/v3/objects/{type}/{id}/associations/{toObjectType}/{toObjectId}/{associationType}).
func (s *ObjectService[T]) Associate(ctx context.Context, id, toObjectType, toObjectID, associationType string) error {
	return s.association(ctx, "associations.create", s.api.assocCreate, id, toObjectType, toObjectID, associationType)
}

// Dissociate removes an association
// (DELETE /crm/v3/objects/{type}/{id}/associations/{toObjectType}/{toObjectId}/{associationType}).
func (s *ObjectService[T]) Dissociate(ctx context.Context, id, toObjectType, toObjectID, associationType string) error {
	return s.association(ctx, "associations.delete", s.api.assocDelete, id, toObjectType, toObjectID, associationType)
}

func (s *ObjectService[T]) association(ctx context.Context, op string, build func(server, id, toType, toID, assocType string) (*http.Request, error), id, toType, toID, assocType string) error {
	for _, f := range []struct{ name, v string }{{"id", id}, {"toObjectType", toType}, {"toObjectId", toID}, {"associationType", assocType}} {
		if err := validObjectID(f.name, f.v); err != nil {
			return err
		}
	}
	return s.c.send(ctx, call{s.op(op), opSafe}, func(server string) (*http.Request, error) {
		return build(server, id, toType, toID, assocType)
	}, nil)
}

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

type batchAnswer struct {
	Results []Object        `json:"results"`
	Errors  []batchErrEntry `json:"errors"`
}

type batchErrEntry struct {
	Status      string              `json:"status"`
	Category    string              `json:"category"`
	SubCategory json.RawMessage     `json:"subCategory"`
	Message     string              `json:"message"`
	Context     map[string][]string `json:"context"`
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
	sortFailures(res.Failures)
	return res, &BatchError{Failures: res.Failures, Total: n}
}

func sortFailures(f []BatchFailure) {
	slices.SortFunc(f, func(a, b BatchFailure) int { return a.Index - b.Index })
}

// byID runs a batch whose inputs are record ids (read, update, archive) and
// matches the answer to the inputs by id: results to their inputs, per-input
// errors (207) through their context ids, and any input HubSpot left out of
// its answer is reported, never dropped.
func (s *ObjectService[T]) byID(ctx context.Context, op string, kind opKind, ids []string, body func(lo, hi int) any, build bodyFunc, wantRecords bool, key func(Object) string) (*BatchResult[T], error) {
	if len(ids) == 0 {
		return nil, &ValidationError{Field: "inputs", Problem: "empty"}
	}
	for i, id := range ids {
		if err := validObjectID(fmt.Sprintf("inputs[%d].id", i), id); err != nil {
			return nil, err
		}
	}
	return s.fanOut(ctx, len(ids), func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex) {
		var ans batchAnswer
		err := s.c.send(ctx, call{s.op(op), kind}, withBody(body(lo, hi), build), &ans)
		if err == nil {
			s.c.records(s.op(op), len(ans.Results))
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
		for _, o := range ans.Results {
			for _, i := range where[key(o)] {
				res.Records[i], done[i] = s.wrap(o), true
			}
		}
		for _, e := range ans.Errors {
			apiErr := &APIError{StatusCode: http.StatusMultiStatus, Method: http.MethodPost, Path: s.op(op), Category: e.Category,
				SubCategory: rawString(e.SubCategory), Message: e.Message, Context: e.Context}
			for _, id := range e.Context["ids"] {
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
				res.Failures = append(res.Failures, BatchFailure{Index: i, ID: ids[i], Err: fmt.Errorf("hubspot: %s: input %d (id %s) is missing from HubSpot's answer", s.op(op), i, ids[i])})
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

type idInput struct {
	ID string `json:"id"`
}

func idInputs(ids []string) []idInput {
	in := make([]idInput, len(ids))
	for i, id := range ids {
		in[i] = idInput{ID: id}
	}
	return in
}

// BatchRead reads records by id (POST /crm/v3/objects/{type}/batch/read),
// any number of them, 100 per request.
func (s *ObjectService[T]) BatchRead(ctx context.Context, ids []string, p BatchReadParams) (*BatchResult[T], error) {
	key := Object.ID
	props := p.Properties
	if p.IDProperty != "" {
		key = func(o Object) string { return o.str(p.IDProperty) }
		if !slices.Contains(props, p.IDProperty) {
			props = append(slices.Clip(props), p.IDProperty)
		}
	}
	return s.byID(ctx, "batch.read", opSafe, ids, func(lo, hi int) any {
		body := map[string]any{"inputs": idInputs(ids[lo:hi]), "properties": nonNil(props), "propertiesWithHistory": nonNil(p.PropertiesWithHistory)}
		if p.IDProperty != "" {
			body["idProperty"] = p.IDProperty
		}
		return body
	}, s.api.batchRead, true, key)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
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
		if len(in.Properties) == 0 {
			return nil, &ValidationError{Field: fmt.Sprintf("inputs[%d].properties", i), Problem: "required"}
		}
	}
	type upd struct {
		ID         string     `json:"id"`
		Properties Properties `json:"properties"`
	}
	return s.byID(ctx, "batch.update", opUnsafe, ids, func(lo, hi int) any {
		in := make([]upd, 0, hi-lo)
		for _, u := range inputs[lo:hi] {
			in = append(in, upd(u))
		}
		return map[string]any{"inputs": in}
	}, s.api.batchUpdate, true, Object.ID)
}

// BatchArchive archives records (POST /crm/v3/objects/{type}/batch/archive),
// any number of them, 100 per request. HubSpot answers with no content, so
// only failures are reported.
func (s *ObjectService[T]) BatchArchive(ctx context.Context, ids []string) error {
	_, err := s.byID(ctx, "batch.archive", opUnsafe, ids, func(lo, hi int) any {
		return map[string]any{"inputs": idInputs(ids[lo:hi])}
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
		if len(in) == 0 {
			return nil, &ValidationError{Field: fmt.Sprintf("inputs[%d].properties", i), Problem: "required"}
		}
	}
	type create struct {
		Properties Properties `json:"properties"`
	}
	return s.fanOut(ctx, len(inputs), func(ctx context.Context, lo, hi int, res *BatchResult[T], mu *sync.Mutex) {
		in := make([]create, 0, hi-lo)
		for _, p := range inputs[lo:hi] {
			in = append(in, create{p})
		}
		var ans batchAnswer
		err := s.c.send(ctx, call{s.op("batch.create"), opCreate}, withBody(map[string]any{"inputs": in}, s.api.batchCreate), &ans)
		if err == nil {
			s.c.records(s.op("batch.create"), len(ans.Results))
		}
		mu.Lock()
		defer mu.Unlock()
		if err == nil && len(ans.Results) != hi-lo {
			err = fmt.Errorf("hubspot: %s: %d results for %d inputs, %d errors: %w", s.op("batch.create"), len(ans.Results), hi-lo, len(ans.Errors), batchErrs(ans.Errors))
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
func batchErrs(errs []batchErrEntry) error {
	if len(errs) == 0 {
		return errors.New("no errors listed")
	}
	return &APIError{StatusCode: http.StatusMultiStatus, Category: errs[0].Category, Message: errs[0].Message, Context: errs[0].Context}
}

// maxReconcileRounds bounds how often BatchCreateUnique checks and retries
// inputs whose outcome was unknown.
const maxReconcileRounds = 5

// BatchCreateUnique creates records like BatchCreate, and then settles every
// input whose outcome was unknown (its answer was lost) instead of leaving
// it to the caller. Each input must carry a distinct value of idProperty, a
// property of the caller's that HubSpot keeps unique (hasUniqueValue). An
// uncertain input is looked up by that value with a batch read (which reads
// HubSpot's records directly, unlike search): found, it counts as created;
// provably absent, it is created again — never blindly. Up to 5 rounds; an
// input still unsettled after them stays an *UncertainError.
func (s *ObjectService[T]) BatchCreateUnique(ctx context.Context, idProperty string, inputs []Properties) (*BatchResult[T], error) {
	if idProperty == "" {
		return nil, &ValidationError{Field: "idProperty", Problem: "required"}
	}
	keys := make([]string, len(inputs))
	seen := make(map[string]int, len(inputs))
	for i, in := range inputs {
		k := in[idProperty]
		if k == "" {
			return nil, &ValidationError{Field: fmt.Sprintf("inputs[%d].properties.%s", i, idProperty), Problem: "required: it identifies the input"}
		}
		if j, dup := seen[k]; dup {
			return nil, &ValidationError{Field: fmt.Sprintf("inputs[%d].properties.%s", i, idProperty), Problem: fmt.Sprintf("same value as inputs[%d]", j), Actual: k}
		}
		keys[i], seen[k] = k, i
	}
	res, err := s.BatchCreate(ctx, inputs)
	if res == nil {
		return res, err
	}
	var names []string
	for k := range inputs[0] {
		names = append(names, k)
	}
	for round := 0; round < maxReconcileRounds && ctx.Err() == nil; round++ {
		var unsure []int
		for _, f := range res.Failures {
			if f.Uncertain() {
				unsure = append(unsure, f.Index)
			}
		}
		if len(unsure) == 0 {
			break
		}
		lookup := make([]string, len(unsure))
		for k, i := range unsure {
			lookup[k] = keys[i]
		}
		found, _ := s.BatchRead(ctx, lookup, BatchReadParams{IDProperty: idProperty, Properties: names})
		if found == nil {
			continue
		}
		absent, unread := map[int]bool{}, map[int]bool{}
		for _, f := range found.Failures {
			var api *APIError
			absent[f.Index] = errors.As(f.Err, &api) && api.Category == "OBJECT_NOT_FOUND"
			unread[f.Index] = true
		}
		settled := map[int]error{} // input index → its new outcome (nil: created)
		var again []Properties
		var againAt []int
		for k, i := range unsure {
			switch {
			case absent[k]:
				again, againAt = append(again, inputs[i]), append(againAt, i)
			case !unread[k]:
				res.Records[i], settled[i] = found.Records[k], nil
			}
		}
		if len(again) > 0 {
			retry, _ := s.BatchCreate(ctx, again)
			failed := map[int]error{}
			if retry != nil {
				for _, f := range retry.Failures {
					failed[f.Index] = f.Err
				}
			}
			for k, i := range againAt {
				switch {
				case retry == nil:
				case failed[k] != nil:
					settled[i] = withInputs(failed[k], i)
				default:
					res.Records[i], settled[i] = retry.Records[k], nil
				}
			}
		}
		kept := res.Failures[:0]
		for _, f := range res.Failures {
			if e, ok := settled[f.Index]; ok {
				if e == nil {
					continue
				}
				f.Err = e
			}
			kept = append(kept, f)
		}
		res.Failures = kept
	}
	return finish(res, len(inputs))
}
