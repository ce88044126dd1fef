package facade

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// HubSpot's answers decode through the generated types of their wire
// (gen/tasks for v3, here; gen/v202603 for 2026-03, at the end of
// wire_202603.go, which imports that package), read by their Go
// names: a field renamed in a spec or an overlay no longer compiles here.
// Two members stay raw, each a field that shadows the generated one of
// the same name: a record's properties (parsed when first read: an export
// passes them on unread) and the records of a page or a batch (each keeps
// its own bytes, so that encoding it gives back what HubSpot sent).
// TestShadowsMatchTheGeneratedTypes holds every shadow to the generated
// field it replaces. The embedded generated types are embedded through
// types of their own (v3Task and so on), which drop the generated
// UnmarshalJSON that would take the whole value, shadows included.

// collection is a list or search answer, on any wire.
type collection struct {
	Results []Object
	After   string // the next page's cursor; "" on the last page
	Total   *int64 // a search's count of matches
}

// batchAnswer is a batch answer, on any wire: the records (for an upsert,
// each view says whether it is new) and the per-input errors.
type batchAnswer struct {
	Results []Object
	Errors  []inputError
}

// inputError is one per-input error of a batch answer.
type inputError struct {
	Category, Message string
	SubCategory       any
	Context           map[string][]string
}

// shape is an answer as a generated type decodes it, and what the facade
// takes from it.
type shape[T any] interface{ get() T }

// answerShapes makes, for one wire, the values its answers decode into.
type answerShapes struct {
	record func() shape[Object]
	page   func() shape[collection] // a listing's page
	search func() shape[collection] // a search's page
	batch  func() shape[batchAnswer]
	upsert func() shape[batchAnswer]
}

// wireShapes are the answer shapes of each wire.
var wireShapes = map[APIVersion]answerShapes{
	APIv3: {
		record: func() shape[Object] { return new(recordOf[v3Record]) },
		page:   func() shape[collection] { return new(v3Page) },
		search: func() shape[collection] { return new(v3Page) },
		batch:  func() shape[batchAnswer] { return new(v3Batch) },
		upsert: func() shape[batchAnswer] { return new(v3Upsert) },
	},
	API2026_03: datedShapes,
	// 2026-09's answers have 2026-03's shapes (internal/gencheck's
	// TestGeneratedShapesIdentical/2026-09).
	API2026_09: datedShapes,
}

// datedShapes are the answer shapes of the dated wires: gen/v202603's types.
var datedShapes = answerShapes{
	record: func() shape[Object] { return new(recordOf[datedRecord]) },
	page:   func() shape[collection] { return new(datedPage) },
	search: func() shape[collection] { return new(datedSearchPage) },
	batch:  func() shape[batchAnswer] { return new(datedBatch) },
	upsert: func() shape[batchAnswer] { return new(datedUpsert) },
}

// sendFor sends a request and decodes its answer through the shape mk
// makes.
func sendFor[T any](ctx context.Context, c *Client, o op, build func(server string) (*http.Request, error), mk func() shape[T]) (T, error) {
	a := mk()
	if err := c.send(ctx, o, build, a); err != nil {
		var zero T
		return zero, err
	}
	return a.get(), nil
}

// recordOf is a record decoded through V, one of the generated record
// types with its properties kept raw, its own bytes kept beside.
type recordOf[V viewer] struct{ Object }

// viewer is a generated record type with its properties kept raw.
type viewer interface{ view() objectView }

// UnmarshalJSON keeps b and decodes it through V. V's raw properties
// point into the record's copy, which it never changes.
func (r *recordOf[V]) UnmarshalJSON(b []byte) error {
	raw := append(json.RawMessage(nil), b...)
	var v V
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	r.Object = Object{raw: raw, v: v.view(), props: &lazyProps{}}
	return nil
}

func (r *recordOf[V]) get() Object { return r.Object }

// inputErrors converts the per-input errors of a batch answer.
func inputErrors[E any](errs *[]E, conv func(E) inputError) []inputError {
	if errs == nil {
		return nil
	}
	out := make([]inputError, len(*errs))
	for i, e := range *errs {
		out[i] = conv(e)
	}
	return out
}

func objects[V viewer](rs []recordOf[V]) []Object {
	out := make([]Object, len(rs))
	for i, r := range rs {
		out[i] = r.Object
	}
	return out
}

// The v3 wire: gen/tasks's types (gen/emails and gen/objectsv3 have the
// same shapes, internal/gencheck proves it).

type (
	v3Task        tasks.Task
	v3UpsertTask  tasks.SimplePublicUpsertObject
	v3BatchFields tasks.BatchResponseTask
	v3UpsertBatch tasks.BatchResponseSimplePublicUpsertObject
)

// v3Record is a v3 record.
type v3Record struct {
	v3Task
	Properties ownedJSON `json:"properties"`
}

func (r v3Record) view() objectView {
	v := objectView{ID: deref(r.ID), Properties: r.Properties, CreatedAt: deref(r.CreatedAt), UpdatedAt: deref(r.UpdatedAt), Archived: deref(r.Archived)}
	if r.Associations != nil {
		v.Associations = make(map[string]associatedList, len(*r.Associations))
		for typ, l := range *r.Associations {
			v.Associations[typ] = v3AssociatedList(l)
		}
	}
	return v
}

// v3AssociatedList is a v3 list of associations, with a record or alone.
func v3AssociatedList(l tasks.CollectionResponseAssociation) associatedList {
	out := associatedList{More: l.Paging != nil && l.Paging.Next != nil && deref(l.Paging.Next.After) != ""}
	if l.Paging != nil && l.Paging.Next != nil {
		out.After = deref(l.Paging.Next.After)
	}
	if l.Results != nil {
		out.Results = make([]AssociatedID, len(*l.Results))
		for i, a := range *l.Results {
			out.Results[i] = AssociatedID{ID: deref(a.ID), Type: deref(a.Type)}
		}
	}
	return out
}

// v3UpsertRecord is a record of a v3 upsert answer.
type v3UpsertRecord struct {
	v3UpsertTask
	Properties ownedJSON `json:"properties"`
}

func (r v3UpsertRecord) view() objectView {
	return objectView{ID: deref(r.ID), Properties: r.Properties, CreatedAt: deref(r.CreatedAt), UpdatedAt: deref(r.UpdatedAt), Archived: deref(r.Archived), New: deref(r.New)}
}

// v3Page is a v3 list or search answer.
type v3Page struct {
	tasks.CollectionResponseTask
	Results []recordOf[v3Record] `json:"results"`
}

func (p *v3Page) get() collection {
	c := collection{Results: objects(p.Results), Total: p.Total}
	if p.Paging != nil && p.Paging.Next != nil {
		c.After = deref(p.Paging.Next.After)
	}
	return c
}

// v3Batch is a v3 batch answer.
type v3Batch struct {
	v3BatchFields
	Results []recordOf[v3Record] `json:"results"`
}

func (a *v3Batch) get() batchAnswer {
	return batchAnswer{objects(a.Results), inputErrors(a.Errors, v3InputError)}
}

// v3Upsert is a v3 upsert answer.
type v3Upsert struct {
	v3UpsertBatch
	Results []recordOf[v3UpsertRecord] `json:"results"`
}

func (a *v3Upsert) get() batchAnswer {
	return batchAnswer{objects(a.Results), inputErrors(a.Errors, v3InputError)}
}

func v3InputError(e tasks.StandardError) inputError {
	return inputError{Category: deref(e.Category), Message: deref(e.Message), SubCategory: e.SubCategory, Context: deref(e.Context)}
}
