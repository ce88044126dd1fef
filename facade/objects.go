package facade

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// Limits of the CRM object APIs.
const (
	// MaxListLimit is the largest page of a v3 list, and List's default.
	MaxListLimit = 100
	// MaxSearchLimit is the largest page of a search, and Search's default.
	MaxSearchLimit = 200
	// MaxBatchInputs is HubSpot's limit per batch request; the batch methods
	// split larger inputs into requests of this size.
	MaxBatchInputs = 100
	searchCap      = 10000
)

// ObjectService is one CRM object API (emails, tasks, …): every object
// service is this same code over another object type. Its records are T
// (Email, Task, …), each an Object with accessors for its type's
// well-known properties.
//
// Each method names its v3 path; on the 2026-03 wire the same operation
// is under /crm/objects/2026-03/{type} (Associations, Associate and
// Dissociate differ, as they say).
//
// Scopes, as HubSpot's documents give them: Get, List, Search and
// BatchRead need crm.objects.contacts.read; Create, Update, Archive and
// the other batches need crm.objects.contacts.write; for emails,
// sales-email-read also grants both. Create's associations need nothing
// more. Associate and Dissociate take any one of a long list of CRM object
// scopes, read or write alike (crm.objects.contacts.read or .write,
// crm.objects.companies.read or .write, crm.objects.deals.read or .write,
// tickets, …).
//
// Get, List, Search and BatchRead ask for the properties T's accessors
// read (a Task's Subject, Body, Status, Priority, Type and Due) when their
// Properties are empty: HubSpot would otherwise answer with hs_createdate,
// hs_lastmodifieddate and hs_object_id only, and the accessors would read
// "". Properties that are given are sent as given.
type ObjectService[T any] struct {
	c    *Client
	api  objectAPI
	wrap func(Object) T
	// read is what a read asks for when its caller names no property.
	read []string
}

func newObjectService[T any](c *Client, api objectAPI, wrap func(Object) T) *ObjectService[T] {
	return &ObjectService[T]{c: c, api: api, wrap: wrap, read: props.Read(api.name)}
}

// properties is what a read asks for: the caller's properties, copied, or
// those the accessors read.
func (s *ObjectService[T]) properties(given []string) []string {
	if len(given) == 0 {
		return slices.Clone(s.read)
	}
	return slices.Clone(given)
}

func (s *ObjectService[T]) op(name string, kind opKind) op {
	return op{Name: s.api.name + "." + name, Kind: kind}
}

// ObjectType returns the object type the service reads and writes
// ("emails", "tasks", …).
func (s *ObjectService[T]) ObjectType() ObjectType { return ObjectType(s.api.name) }

// GetParams are the parameters of Get.
type GetParams struct {
	// Properties to return; when empty, those the record type's accessors
	// read (see ObjectService), not HubSpot's three defaults.
	Properties []string
	// Associations are object types whose associated ids come back with
	// the record.
	Associations []ObjectType
	// Archived reads an archived record.
	Archived bool
}

func (p GetParams) query(properties []string) getQuery {
	return getQuery{properties: properties, associations: typeNames(p.Associations), archived: p.Archived}
}

// validObjectID refuses an id (or an object type) that cannot be one
// segment of a request's path: empty, "." or ".." (a URL's dot segments,
// which the request builders resolve: Update("..") would PATCH
// /crm/v3/objects/), or holding a character that ends or changes a path
// segment ("/", "\\", "?", "#", "%"), a control character, a space or
// invalid UTF-8. HubSpot's record ids are numbers and its object types
// names ("contacts", "p123_cars", "2-123"); what else the id holds is
// escaped by the generated builders.
func validObjectID(field, id string) error {
	switch {
	case id == "":
		return &ValidationError{Field: field, Problem: "required"}
	case id == "." || id == "..":
		return &ValidationError{Field: field, Problem: "not an id: a path's dot segment", Actual: id}
	case !utf8.ValidString(id):
		return &ValidationError{Field: field, Problem: "not an id: invalid UTF-8", Actual: strconv.Quote(id)}
	}
	if i := strings.IndexFunc(id, func(r rune) bool {
		return strings.ContainsRune(`/\?#%`, r) || unicode.IsControl(r) || unicode.IsSpace(r)
	}); i >= 0 {
		r, _ := utf8.DecodeRuneInString(id[i:])
		return &ValidationError{Field: field, Problem: fmt.Sprintf("not an id: %q would change the request's path", r), Actual: strconv.Quote(id)}
	}
	return nil
}

// requiredID refuses an empty id in a request body (a batch's inputs),
// where an id is not a path segment and an idProperty's values can hold
// any text.
func requiredID(field, id string) error {
	if id == "" {
		return &ValidationError{Field: field, Problem: "required"}
	}
	return nil
}

// CreateInput is one record to create: its properties, and the records to
// associate it with in the same request.
type CreateInput struct {
	Properties Properties
	// Associations are made with the record, in the create request; a
	// target's zero Type is HubSpot's default for the pair.
	Associations []AssociationTarget
}

// Create creates a record (POST /crm/v3/objects/{type}, or
// /crm/objects/2026-03/{type}), associated with the records given in the
// same request (a zero Type is HubSpot's default association for the
// pair). Enumerated properties HubSpot defines (task status, email
// direction, …) must hold one of their values. A create whose answer is
// lost is not retried: it fails with an *UncertainError.
func (s *ObjectService[T]) Create(ctx context.Context, in CreateInput) (T, error) {
	var zero T
	in, err := s.checkCreate("", in)
	if err != nil {
		return zero, err
	}
	out, err := sendFor(ctx, s.c, s.op("create", opCreate), withBody(s.api.body.create(in), s.api.create), s.shapes().record)
	if err != nil {
		return zero, markInputs(err, 0)
	}
	return s.wrap(out), nil
}

// checkCreate validates a create input and resolves its associations'
// defaults; prefix names it in errors ("" or "inputs[3].").
func (s *ObjectService[T]) checkCreate(prefix string, in CreateInput) (CreateInput, error) {
	if err := s.checkProps(prefix+"properties", in.Properties); err != nil {
		return in, err
	}
	if len(in.Associations) == 0 {
		return in, nil
	}
	resolved := make([]AssociationTarget, len(in.Associations))
	for i, a := range in.Associations {
		r, err := a.resolve(fmt.Sprintf("%sassociations[%d]", prefix, i), s.ObjectType())
		if err != nil {
			return in, err
		}
		resolved[i] = r
	}
	in.Associations = resolved
	return in, nil
}

// checkProps refuses an empty property set and enumerated values HubSpot
// would refuse.
func (s *ObjectService[T]) checkProps(field string, props Properties) error {
	if len(props) == 0 {
		return &ValidationError{Field: field, Problem: "required"}
	}
	return validateProps(s.api.name, field, props)
}

// Get reads one record (GET /crm/v3/objects/{type}/{id}), with the
// properties its accessors read unless p names others.
func (s *ObjectService[T]) Get(ctx context.Context, id string, p GetParams) (T, error) {
	var zero T
	if err := validObjectID("id", id); err != nil {
		return zero, err
	}
	q := p.query(s.properties(p.Properties))
	out, err := sendFor(ctx, s.c, s.op("get", opSafe), func(server string) (*http.Request, error) {
		return s.api.get(server, id, q)
	}, s.shapes().record)
	if err != nil {
		return zero, err
	}
	return s.wrap(out), nil
}

// Update sets in.Properties on the record in.ID and leaves the others as
// they are (PATCH /crm/v3/objects/{type}/{id}). "" clears a property.
func (s *ObjectService[T]) Update(ctx context.Context, in UpdateInput) (T, error) {
	var zero T
	if err := validObjectID("id", in.ID); err != nil {
		return zero, err
	}
	if err := s.checkProps("properties", in.Properties); err != nil {
		return zero, err
	}
	out, err := sendFor(ctx, s.c, s.op("update", opSafe), func(server string) (*http.Request, error) {
		r, err := jsonBody(s.api.body.update(in.Properties))
		if err != nil {
			return nil, err
		}
		return s.api.update(server, in.ID, "application/json", r)
	}, s.shapes().record)
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
	return s.c.send(ctx, s.op("archive", opSafe), func(server string) (*http.Request, error) {
		return s.api.archive(server, id)
	}, nil)
}

// ListParams are the parameters of List.
type ListParams struct {
	// Limit is the page size, 1 to 100 (0: 100, the largest HubSpot
	// allows, so that a listing takes as few requests as it can).
	Limit int
	// Properties to return; when empty, those the record type's accessors
	// read (see ObjectService), not HubSpot's three defaults.
	Properties []string
	// Associations are object types whose associated ids come back.
	Associations []ObjectType
	// Archived lists archived records instead.
	Archived bool
	// Cursor resumes a listing where Pager.Cursor said it stood.
	Cursor string
}

// shapes are the answer shapes of the service's wire.
func (s *ObjectService[T]) shapes() answerShapes { return wireShapes[s.api.version] }

func (s *ObjectService[T]) wrapAll(objs []Object) []T {
	out := make([]T, len(objs))
	for i, o := range objs {
		out[i] = s.wrap(o)
	}
	return out
}

// List pages through the records (GET /crm/v3/objects/{type}), 100 per
// request unless Limit says otherwise, with the properties their accessors
// read unless p names others. The params are copied: changing
// them afterwards changes nothing.
func (s *ObjectService[T]) List(ctx context.Context, p ListParams) *Pager[T] {
	if err := checkLimit("Limit", p.Limit, MaxListLimit); err != nil {
		return errPager[T](err)
	}
	kind := string(s.api.version) + ".list." + s.api.name
	at, err := decodeCursor(kind, p.Cursor)
	if err != nil {
		return errPager[T](err)
	}
	// The query is built once, now: later changes to p's slices do not
	// reach it.
	q := listQuery{limit: cmpOr(p.Limit, MaxListLimit), properties: s.properties(p.Properties), associations: typeNames(p.Associations), archived: p.Archived}
	o := s.op("list", opSafe)
	return newPager(ctx, s.c, o.Name, at, func(ctx context.Context, at position) (fetched[T], error) {
		q := q
		q.after = at.Token
		pg, err := sendFor(ctx, s.c, o, func(server string) (*http.Request, error) { return s.api.list(server, q) }, s.shapes().page)
		if err != nil {
			return fetched[T]{}, err
		}
		after := pg.After
		return fetched[T]{items: s.wrapAll(pg.Results), next: position{Kind: kind, Token: after, Read: at.Read + len(pg.Results), Done: after == ""}}, nil
	})
}

// withBody builds a JSON request from a generated body type with one of the
// generated body builders.
func withBody(v any, build bodyFunc) func(server string) (*http.Request, error) {
	return func(server string) (*http.Request, error) {
		r, err := jsonBody(v)
		if err != nil {
			return nil, err
		}
		return build(server, "application/json", r)
	}
}

// joinList is s as one comma-separated value (properties=a,b), the form the
// v3 wire has always sent; HubSpot takes it as well as the repeated form
// its documents declare (properties=a&properties=b).
func joinList(s []string) *[]string {
	if len(s) == 0 {
		return nil
	}
	return &[]string{strings.Join(s, ",")}
}

func typeNames(ts []ObjectType) []string {
	if len(ts) == 0 {
		return nil
	}
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return s
}

// mapPtr gives the generated types' optional map.
func mapPtr(p Properties) *map[string]string {
	m := map[string]string(p)
	return &m
}

// ptr returns a pointer to a copy of v.
func ptr[T any](v T) *T { return &v }

// newSlice makes *p a new slice of n elements and returns it: it fills a
// generated type's optional slice field whose element type is an unnamed
// struct, without writing that struct again.
func newSlice[S ~[]E, E any](p **S, n int) S {
	s := make(S, n)
	*p = &s
	return s
}

// each converts every element of xs with f (an empty slice, not nil, for
// none: a generated required list is sent as []).
func each[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// optEach is each for a generated optional list: nil (not sent) for none.
func optEach[T, U any](xs []T, f func(T) U) *[]U {
	if len(xs) == 0 {
		return nil
	}
	return ptr(each(xs, f))
}

// sized makes *p a new slice of n elements and returns it, like newSlice
// for a field that is not optional.
func sized[S ~[]E, E any](p *S, n int) S {
	*p = make(S, n)
	return *p
}

func cmpOr(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

func checkLimit(field string, n, max int) error {
	if n < 0 || n > max {
		return &ValidationError{Field: field, Problem: "out of range", Limit: max, Actual: n}
	}
	return nil
}

func optInt(n int) *int {
	if n == 0 {
		return nil
	}
	return &n
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clip(s)
}
