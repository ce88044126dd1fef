package hubspottest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/engagekit/hubspot-engagements/gen/v202603"
	"github.com/engagekit/hubspot-engagements/gen/v202609"
	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// The 2026-03 wire, the one file of the fake that imports gen/v202603: the
// bodies it reads and the answers it writes are the
// generated types of gen/v202603, one package for the version's objects
// (internal/oapigen merges their documents, which have the same shapes). An
// answer is the record type the document names for it:
// SimplePublicObjectWithAssociations for a read or a listing,
// SimplePublicObject for the rest.

// dated reads and writes the 2026-03 object APIs.
var dated wire = datedWire{}

type datedWire struct{ bodyReader }

// datedOf serves the operations every dated version's package declares
// alike: objectsOf's and the association routes (below).
type datedOf struct{ objectsOf }

func (a datedOf) AssociateDefault(w http.ResponseWriter, r *http.Request, from, fromID, to, toID string) {
	a.s.datedAssociateDefault(w, r, from, fromID, to, toID)
}
func (a datedOf) Dissociate(w http.ResponseWriter, r *http.Request, from, fromID, to, toID string) {
	a.s.datedDissociate(w, r, from, fromID, to, toID)
}
func (a datedOf) Associate(w http.ResponseWriter, r *http.Request, from, fromID, to, toID string) {
	a.s.datedAssociate(w, r, from, fromID, to, toID)
}

// mountDated serves every dated version's package on mux, through mw, on
// the dated wire: adding a version is a line here and its adapter below
// (the operations whose parameter types are its package's).
func (s *Server) mountDated(mux *http.ServeMux, mw []func(http.Handler) http.Handler) {
	v202603.HandlerWithOptions(v202603API{datedOf{objectsOf{s, dated}}}, v202603.StdHTTPServerOptions{BaseRouter: mux,
		Middlewares: convert[v202603.MiddlewareFunc](mw), ErrorHandlerFunc: paramError})
	v202609.HandlerWithOptions(v202609API{datedOf{objectsOf{s, dated}}}, v202609.StdHTTPServerOptions{BaseRouter: mux,
		Middlewares: convert[v202609.MiddlewareFunc](mw), ErrorHandlerFunc: paramError})
}

// v202603API serves the generated v202603.ServerInterface: every operation
// names the object type, whose store answers it.
type v202603API struct{ datedOf }

var _ v202603.ServerInterface = v202603API{}

func (a v202603API) List(w http.ResponseWriter, r *http.Request, typ string, p v202603.ListParams) {
	a.in(w, r, typ, func(st *objectStore) { st.list(w, r, dated, datedList(p)) })
}
func (a v202603API) BatchRead(w http.ResponseWriter, r *http.Request, typ string, p v202603.BatchReadParams) {
	a.in(w, r, typ, func(st *objectStore) { st.batchRead(w, r, dated, deref(p.Archived)) })
}
func (a v202603API) Get(w http.ResponseWriter, r *http.Request, typ, id string, p v202603.GetParams) {
	a.in(w, r, typ, func(st *objectStore) { st.get(w, r, dated, id, datedGet(p)) })
}
func (a v202603API) Update(w http.ResponseWriter, r *http.Request, typ, id string, p v202603.UpdateParams) {
	a.in(w, r, typ, func(st *objectStore) { st.update(w, r, dated, id, deref(p.IDProperty)) })
}

// bodyReader reads the request bodies of every wire, v3's and the dated
// versions', with gen/v202603's types: HubSpot's bodies are the same JSON
// on every wire (v3 batch updates have no idProperty, which reads as ""),
// and checkRequest has checked each against its own document before.
type bodyReader struct{}

// datedAssociations reads the associations of a create body.
func datedAssociations(in *[]v202603.PublicAssociationsForObject) []assocInput {
	return each(deref(in), func(a v202603.PublicAssociationsForObject) assocInput {
		return assocInput{toID: a.To.ID, types: each(a.Types, func(t v202603.AssociationSpec) assocSpec {
			return assocSpec{category: string(t.AssociationCategory), typeID: t.AssociationTypeID}
		})}
	})
}

func (bodyReader) readCreate(w http.ResponseWriter, r *http.Request) (createInput, bool) {
	return read(w, r, func(in *v202603.SimplePublicObjectInputForCreate) createInput {
		return createInput{props: inputProps(in.Properties), assoc: datedAssociations(in.Associations)}
	})
}

func (bodyReader) readUpdate(w http.ResponseWriter, r *http.Request) (map[string]*string, bool) {
	return read(w, r, func(in *v202603.SimplePublicObjectInput) map[string]*string { return inputProps(in.Properties) })
}

func (bodyReader) readBatchRead(w http.ResponseWriter, r *http.Request) (readInput, bool) {
	return read(w, r, func(in *v202603.BatchReadInputSimplePublicObjectID) readInput {
		return readInput{idProperty: deref(in.IDProperty), sh: shape{props: deref(in.Properties), history: deref(in.PropertiesWithHistory)},
			ids: each(in.Inputs, func(i v202603.SimplePublicObjectID) string { return i.ID })}
	})
}

func (bodyReader) readBatchCreate(w http.ResponseWriter, r *http.Request) ([]createInput, bool) {
	return read(w, r, func(in *v202603.BatchInputSimplePublicObjectBatchInputForCreate) []createInput {
		return each(in.Inputs, func(c v202603.SimplePublicObjectBatchInputForCreate) createInput {
			return createInput{props: inputProps(c.Properties), assoc: datedAssociations(c.Associations)}
		})
	})
}

func (bodyReader) readBatchUpdate(w http.ResponseWriter, r *http.Request) ([]updateInput, bool) {
	return read(w, r, func(in *v202603.BatchInputSimplePublicObjectBatchInput) []updateInput {
		return each(in.Inputs, func(u v202603.SimplePublicObjectBatchInput) updateInput {
			return updateInput{id: u.ID, idProperty: deref(u.IDProperty), props: inputProps(u.Properties)}
		})
	})
}

func (bodyReader) readBatchUpsert(w http.ResponseWriter, r *http.Request) ([]updateInput, bool) {
	return read(w, r, func(in *v202603.BatchInputSimplePublicObjectBatchInputUpsert) []updateInput {
		return each(in.Inputs, func(u v202603.SimplePublicObjectBatchInputUpsert) updateInput {
			return updateInput{id: u.ID, idProperty: deref(u.IDProperty), props: inputProps(u.Properties)}
		})
	})
}

func (bodyReader) readBatchArchive(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	return read(w, r, func(in *v202603.BatchInputSimplePublicObjectID) []string {
		return each(in.Inputs, func(i v202603.SimplePublicObjectID) string { return i.ID })
	})
}

func (bodyReader) readSearch(w http.ResponseWriter, r *http.Request) (searchInput, bool) {
	return read(w, r, func(req *v202603.PublicObjectSearchRequest) searchInput {
		return searchInput{query: deref(req.Query), limit: intPtr(req.Limit), after: deref(req.After), properties: deref(req.Properties),
			sorts: each(deref(req.Sorts), func(s struct {
				Direction    *v202603.PublicObjectSearchRequestSortsDirection `json:"direction,omitempty"`
				PropertyName *string                                          `json:"propertyName,omitempty"`
			}) sortKey {
				return sortKey{prop: deref(s.PropertyName), desc: deref(s.Direction) == v202603.DESCENDING}
			}),
			groups: each(deref(req.FilterGroups), func(g v202603.FilterGroup) []filter {
				return each(g.Filters, func(f v202603.Filter) filter {
					return filter{prop: f.PropertyName, op: string(f.Operator), value: deref(f.Value), high: deref(f.HighValue), values: deref(f.Values)}
				})
			})}
	})
}

func intPtr(p *int32) *int {
	if p == nil {
		return nil
	}
	return ptr(int(*p))
}

// datedRecord is v as the generated record of a read or a listing.
func datedRecord(v view) v202603.SimplePublicObjectWithAssociations {
	o := v202603.SimplePublicObjectWithAssociations{ID: v.id, CreatedAt: v.created, UpdatedAt: v.updated, Archived: !v.archivedAt.IsZero(), Properties: v.props}
	if !v.archivedAt.IsZero() {
		o.ArchivedAt = &v.archivedAt
	}
	if v.history != nil {
		o.PropertiesWithHistory = ptr(histories(v.history, datedValue))
	}
	if v.assoc != nil {
		m := make(map[string]v202603.CollectionResponseAssociatedID, len(v.assoc))
		for typ, as := range v.assoc {
			ids := make([]v202603.AssociatedID, len(as))
			for i, a := range as {
				ids[i] = v202603.AssociatedID{ID: a.id, Type: a.typ}
			}
			m[typ] = v202603.CollectionResponseAssociatedID{Results: ids}
		}
		o.Associations = &m
	}
	return o
}

func datedValue(h historyEntry) v202603.ValueWithTimestamp {
	return v202603.ValueWithTimestamp{Timestamp: h.at.UTC(), SourceType: h.source, Value: valueOf(h)}
}

// datedObject is v as the generated record of a create, an update, a batch
// or a search: the read record without associations.
func datedObject(v view) v202603.SimplePublicObject {
	o := datedRecord(v)
	return v202603.SimplePublicObject{ID: o.ID, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Archived: o.Archived,
		ArchivedAt: o.ArchivedAt, Properties: o.Properties, PropertiesWithHistory: o.PropertiesWithHistory}
}

// The generated dated records, encoded directly (encode.go).
type (
	datedPlainRecord v202603.SimplePublicObjectWithAssociations
	datedPlainObject v202603.SimplePublicObject
)

func plainDatedRecord(v view) any { return datedPlainRecord(datedRecord(v)) }
func plainDatedObject(v view) any { return datedPlainObject(datedObject(v)) }

func (datedWire) writeRecord(w http.ResponseWriter, status int, v view, read bool) {
	if read {
		writeJSON(w, status, datedPlainRecord(datedRecord(v)))
		return
	}
	writeJSON(w, status, datedPlainObject(datedObject(v)))
}

func (datedWire) writePage(w http.ResponseWriter, vs []view, next, link string) {
	var ans v202603.CollectionResponseSimplePublicObjectWithAssociationsForwardPaging
	if next != "" {
		ans.Paging = &v202603.ForwardPaging{Next: &v202603.NextPage{After: next, Link: orNil(link)}}
	}
	writeWithRecords(w, http.StatusOK, ans, "results", vs, plainDatedRecord)
}

func (datedWire) writeFound(w http.ResponseWriter, vs []view, total int, next string) {
	ans := v202603.CollectionResponseWithTotalSimplePublicObject{Total: int32(total)}
	if next != "" {
		ans.Paging = &v202603.Paging{Next: &v202603.NextPage{After: next}}
	}
	writeWithRecords(w, http.StatusOK, ans, "results", vs, plainDatedObject)
}

func (datedWire) writeBatch(w http.ResponseWriter, status int, vs []view, begun, done time.Time, failed *batchError) {
	if failed == nil {
		ans := v202603.BatchResponseSimplePublicObject{Status: v202603.BatchResponseSimplePublicObjectStatusCOMPLETE,
			RequestedAt: ptr(begun.UTC()), StartedAt: begun.UTC(), CompletedAt: done.UTC()}
		writeWithRecords(w, status, ans, "results", vs, plainDatedObject)
		return
	}
	ans := v202603.BatchResponseSimplePublicObjectWithErrors{Status: v202603.BatchResponseSimplePublicObjectWithErrorsStatusCOMPLETE,
		RequestedAt: ptr(begun.UTC()), StartedAt: begun.UTC(), CompletedAt: done.UTC(), NumErrors: ptr(int32(1)),
		Errors: &[]v202603.StandardError{{Status: "error", Category: "OBJECT_NOT_FOUND", Message: failed.message,
			Context: &map[string][]string{"ids": failed.ids}}}}
	writeWithRecords(w, status, ans, "results", vs, plainDatedObject)
}

func (datedWire) writeUpserted(w http.ResponseWriter, vs []view, created []bool, begun, done time.Time) {
	results := make([]v202603.SimplePublicUpsertObject, len(vs))
	for i, v := range vs {
		o := datedObject(v)
		results[i] = v202603.SimplePublicUpsertObject{ID: o.ID, New: created[i], Properties: o.Properties,
			CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Archived: o.Archived}
	}
	writeJSON(w, http.StatusOK, v202603.BatchResponseSimplePublicUpsertObject{Status: v202603.BatchResponseSimplePublicUpsertObjectStatusCOMPLETE,
		Results: results, RequestedAt: ptr(begun.UTC()), StartedAt: begun.UTC(), CompletedAt: done.UTC()})
}

// datedList reads the parameters of a 2026-03 listing (list parameters
// repeated, each maybe comma-separated).
func datedList(p v202603.ListParams) listInput {
	return listInput{limit: intPtr(p.Limit), after: p.After, archived: deref(p.Archived),
		sh: shape{props: splitList(deref(p.Properties)...), history: splitList(deref(p.PropertiesWithHistory)...),
			associations: splitList(deref(p.Associations)...)}}
}

// datedGet reads the parameters of a 2026-03 read.
func datedGet(p v202603.GetParams) getInput {
	return getInput{idProperty: deref(p.IDProperty), archived: deref(p.Archived),
		sh: shape{props: splitList(deref(p.Properties)...), history: splitList(deref(p.PropertiesWithHistory)...),
			associations: splitList(deref(p.Associations)...)}}
}

// dated is e as the 2026-03 documents' Error (errors.go writes it).
func (e apiError) dated(cid string) v202603.Error {
	out := v202603.Error{
		Status: ptr("error"), Message: e.Message, CorrelationID: ptr(cid),
		Category: orNil(e.Category), ErrorType: orNil(e.ErrorType), PolicyName: orNil(e.PolicyName),
		GroupName: orNil(e.GroupName), RequestID: orNil(e.RequestID), Context: orNilMap(e.Context),
		Errors: details(e, func(d errorDetail, ctx *map[string][]string) v202603.ErrorDetail {
			return v202603.ErrorDetail{Message: d.Message, Code: orNil(d.Code), In: orNil(d.In), Context: ctx}
		}),
	}
	if e.SubCategory != "" {
		out.SubCategory = e.SubCategory
	}
	return out
}

// The association routes of the 2026-03 documents (every object document
// declares them, with the object type in the path; the merged package has
// them once): PUT with the association types in the body, PUT of the
// default type, and DELETE of every association between two records. A path may name either
// side first: note → contact, or contact → note.

// pair is two records an association path names: the engagement record
// (o of st) and the other one, with HubSpot's default association type
// between their types.
type pair struct {
	st       *objectStore
	o        *object
	target   string // the other record's type (contacts, …)
	targetID string
	at       v1map.AssociationType // from st's type to target
	reverse  bool                  // the path names the other record first
}

// pairOf resolves an association path, or answers what HubSpot does: 400
// for a type it cannot read or a pair of types with no default
// association, 404 for an engagement record that does not exist. The
// server must be locked.
func (s *Server) pairOf(w http.ResponseWriter, r *http.Request, fromType, fromID, toType, toID string) (pair, bool) {
	for _, t := range []string{fromType, toType} {
		if !knownType(t) {
			unknownType(w, r, t)
			return pair{}, false
		}
	}
	p := pair{st: s.objects[canonicalType(fromType)], target: canonicalType(toType)}
	engID, otherID := fromID, toID
	if p.st == nil {
		p.st, p.target, p.reverse = s.objects[canonicalType(toType)], canonicalType(fromType), true
		engID, otherID = toID, fromID
	}
	var ok bool
	if p.st != nil {
		p.at, ok = v1map.DefaultAssociation(p.st.name, p.target)
	}
	if !ok {
		invalidAssociation(w, r, "default", canonicalType(fromType), canonicalType(toType))
		return pair{}, false
	}
	if p.targetID, ok = targetID(otherID); !ok {
		validationError(w, r, "%q is not a record id", otherID)
		return pair{}, false
	}
	if p.o = p.st.find(engID, "", false); p.o == nil {
		notFound(w, r, engID)
		return pair{}, false
	}
	return p, true
}

// spec is the association type of the pair in the path's direction.
func (p pair) spec() v202603.AssociationSpec {
	id := p.at.TypeID
	if p.reverse {
		id = p.at.ReverseTypeID
	}
	return v202603.AssociationSpec{AssociationCategory: v202603.HUBSPOTDEFINED, AssociationTypeID: id}
}

// ids are the pair's ids in the path's order, as the generated type.
func (p pair) ids() (from, to v202603.PublicObjectID) {
	from, to = v202603.PublicObjectID{ID: p.o.id()}, v202603.PublicObjectID{ID: p.targetID}
	if p.reverse {
		from, to = to, from
	}
	return from, to
}

// datedAssociate associates two records with the association types in the
// body, each of which must be HubSpot's default one between their types
// in the path's direction; it answers the labels between the pair (none,
// for the default type).
func (s *Server) datedAssociate(w http.ResponseWriter, r *http.Request, objectType, objectID, toType, toID string) {
	var specs v202603.AssociateJSONBody
	if !decodeBody(w, r, &specs) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pairOf(w, r, objectType, objectID, toType, toID)
	if !ok {
		return
	}
	if len(specs) == 0 {
		validationError(w, r, "at least one association type is required")
		return
	}
	want := p.spec()
	for _, sp := range specs {
		if sp != want {
			invalidAssociation(w, r, string(sp.AssociationCategory)+" "+strconv.Itoa(int(sp.AssociationTypeID)), canonicalType(objectType), canonicalType(toType))
			return
		}
	}
	p.st.link(p.o, p.target, assocEntry{id: p.targetID, typ: p.at.Name})
	from, to := p.ids()
	writeJSON(w, http.StatusCreated, v202603.LabelsBetweenObjectPair{
		FromObjectID: from.ID, FromObjectTypeID: typeIDs[canonicalType(objectType)],
		ToObjectID: to.ID, ToObjectTypeID: typeIDs[canonicalType(toType)], Labels: []string{},
	})
}

// datedAssociateDefault associates two records with HubSpot's default
// association type and answers the association made, in both directions.
func (s *Server) datedAssociateDefault(w http.ResponseWriter, r *http.Request, fromType, fromID, toType, toID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	begun := s.now()
	p, ok := s.pairOf(w, r, fromType, fromID, toType, toID)
	if !ok {
		return
	}
	p.st.link(p.o, p.target, assocEntry{id: p.targetID, typ: p.at.Name})
	from, to := p.ids()
	back := p
	back.reverse = !p.reverse
	writeJSON(w, http.StatusOK, v202603.BatchResponsePublicDefaultAssociation{
		Status: v202603.BatchResponsePublicDefaultAssociationStatusCOMPLETE, RequestedAt: ptr(begun.UTC()),
		StartedAt: begun.UTC(), CompletedAt: s.now().UTC(),
		Results: []v202603.PublicDefaultAssociation{
			{From: from, To: to, AssociationSpec: p.spec()},
			{From: to, To: from, AssociationSpec: back.spec()},
		},
	})
}

// datedDissociate removes every association between two records.
func (s *Server) datedDissociate(w http.ResponseWriter, r *http.Request, objectType, objectID, toType, toID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.pairOf(w, r, objectType, objectID, toType, toID)
	if !ok {
		return
	}
	p.st.unlink(p.o, p.target, p.targetID)
	w.WriteHeader(http.StatusNoContent)
}
