package hubspottest

import (
	"net/http"
	"time"

	dtasks "github.com/engagekit/hubspot-engagements/gen/v202603/tasks"
)

// The 2026-03 wire: the bodies it reads and the answers it writes are the
// generated types of the 2026-03 tasks document, whose shapes the other
// four dated object documents share (internal/gencheck proves it). An
// answer is the record type the document names for it:
// SimplePublicObjectWithAssociations for a read or a listing,
// SimplePublicObject for the rest.

// dated reads and writes the 2026-03 object APIs.
var dated wire = datedWire{}

type datedWire struct{}

// datedAssociations reads the associations of a 2026-03 create body.
func datedAssociations(in *[]dtasks.PublicAssociationsForObject) []assocInput {
	return each(deref(in), func(a dtasks.PublicAssociationsForObject) assocInput {
		return assocInput{toID: a.To.ID, types: each(a.Types, func(t dtasks.AssociationSpec) assocSpec {
			return assocSpec{category: string(t.AssociationCategory), typeID: t.AssociationTypeID}
		})}
	})
}

func (datedWire) readCreate(w http.ResponseWriter, r *http.Request) (createInput, bool) {
	return read(w, r, func(in *dtasks.SimplePublicObjectInputForCreate) createInput {
		return createInput{props: inputProps(in.Properties), assoc: datedAssociations(in.Associations)}
	})
}

func (datedWire) readUpdate(w http.ResponseWriter, r *http.Request) (map[string]*string, bool) {
	return read(w, r, func(in *dtasks.SimplePublicObjectInput) map[string]*string { return inputProps(in.Properties) })
}

func (datedWire) readBatchRead(w http.ResponseWriter, r *http.Request) (readInput, bool) {
	return read(w, r, func(in *dtasks.BatchReadInputSimplePublicObjectID) readInput {
		return readInput{idProperty: deref(in.IDProperty), sh: shape{props: deref(in.Properties), history: deref(in.PropertiesWithHistory)},
			ids: each(in.Inputs, func(i dtasks.SimplePublicObjectID) string { return i.ID })}
	})
}

func (datedWire) readBatchCreate(w http.ResponseWriter, r *http.Request) ([]createInput, bool) {
	return read(w, r, func(in *dtasks.BatchInputSimplePublicObjectBatchInputForCreate) []createInput {
		return each(in.Inputs, func(c dtasks.SimplePublicObjectBatchInputForCreate) createInput {
			return createInput{props: inputProps(c.Properties), assoc: datedAssociations(c.Associations)}
		})
	})
}

func (datedWire) readBatchUpdate(w http.ResponseWriter, r *http.Request) ([]updateInput, bool) {
	return read(w, r, func(in *dtasks.BatchInputSimplePublicObjectBatchInput) []updateInput {
		return each(in.Inputs, func(u dtasks.SimplePublicObjectBatchInput) updateInput {
			return updateInput{id: u.ID, idProperty: deref(u.IDProperty), props: inputProps(u.Properties)}
		})
	})
}

func (datedWire) readBatchUpsert(w http.ResponseWriter, r *http.Request) ([]updateInput, bool) {
	return read(w, r, func(in *dtasks.BatchInputSimplePublicObjectBatchInputUpsert) []updateInput {
		return each(in.Inputs, func(u dtasks.SimplePublicObjectBatchInputUpsert) updateInput {
			return updateInput{id: u.ID, idProperty: deref(u.IDProperty), props: inputProps(u.Properties)}
		})
	})
}

func (datedWire) readBatchArchive(w http.ResponseWriter, r *http.Request) ([]string, bool) {
	return read(w, r, func(in *dtasks.BatchInputSimplePublicObjectID) []string {
		return each(in.Inputs, func(i dtasks.SimplePublicObjectID) string { return i.ID })
	})
}

func (datedWire) readSearch(w http.ResponseWriter, r *http.Request) (searchInput, bool) {
	return read(w, r, func(req *dtasks.PublicObjectSearchRequest) searchInput {
		return searchInput{query: deref(req.Query), limit: intPtr(req.Limit), after: deref(req.After), properties: deref(req.Properties),
			sorts: each(deref(req.Sorts), func(s struct {
				Direction    *dtasks.PublicObjectSearchRequestSortsDirection `json:"direction,omitempty"`
				PropertyName *string                                         `json:"propertyName,omitempty"`
			}) sortKey {
				return sortKey{prop: deref(s.PropertyName), desc: deref(s.Direction) == dtasks.DESCENDING}
			}),
			groups: each(deref(req.FilterGroups), func(g dtasks.FilterGroup) []filter {
				return each(g.Filters, func(f dtasks.Filter) filter {
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
func datedRecord(v view) dtasks.SimplePublicObjectWithAssociations {
	o := dtasks.SimplePublicObjectWithAssociations{ID: v.id, CreatedAt: v.created, UpdatedAt: v.updated, Archived: !v.archivedAt.IsZero(), Properties: v.props}
	if !v.archivedAt.IsZero() {
		o.ArchivedAt = &v.archivedAt
	}
	if v.history != nil {
		o.PropertiesWithHistory = ptr(histories(v.history, datedValue))
	}
	if v.assoc != nil {
		m := make(map[string]dtasks.CollectionResponseAssociatedID, len(v.assoc))
		for typ, as := range v.assoc {
			ids := make([]dtasks.AssociatedID, len(as))
			for i, a := range as {
				ids[i] = dtasks.AssociatedID{ID: a.id, Type: a.typ}
			}
			m[typ] = dtasks.CollectionResponseAssociatedID{Results: ids}
		}
		o.Associations = &m
	}
	return o
}

func datedValue(h historyEntry) dtasks.ValueWithTimestamp {
	return dtasks.ValueWithTimestamp{Timestamp: h.at.UTC(), SourceType: h.source, Value: valueOf(h)}
}

// datedObject is v as the generated record of a create, an update, a batch
// or a search: the read record without associations.
func datedObject(v view) dtasks.SimplePublicObject {
	o := datedRecord(v)
	return dtasks.SimplePublicObject{ID: o.ID, CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Archived: o.Archived,
		ArchivedAt: o.ArchivedAt, Properties: o.Properties, PropertiesWithHistory: o.PropertiesWithHistory}
}

// The generated dated records, encoded directly (encode.go).
type (
	datedPlainRecord dtasks.SimplePublicObjectWithAssociations
	datedPlainObject dtasks.SimplePublicObject
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
	var ans dtasks.CollectionResponseSimplePublicObjectWithAssociationsForwardPaging
	if next != "" {
		ans.Paging = &dtasks.ForwardPaging{Next: &dtasks.NextPage{After: next, Link: orNil(link)}}
	}
	writeSpliced(w, http.StatusOK, ans, "results", vs, plainDatedRecord)
}

func (datedWire) writeFound(w http.ResponseWriter, vs []view, total int, next string) {
	ans := dtasks.CollectionResponseWithTotalSimplePublicObject{Total: int32(total)}
	if next != "" {
		ans.Paging = &dtasks.Paging{Next: &dtasks.NextPage{After: next}}
	}
	writeSpliced(w, http.StatusOK, ans, "results", vs, plainDatedObject)
}

func (datedWire) writeBatch(w http.ResponseWriter, status int, vs []view, begun, done time.Time, failed *batchError) {
	if failed == nil {
		ans := dtasks.BatchResponseSimplePublicObject{Status: dtasks.BatchResponseSimplePublicObjectStatusCOMPLETE,
			RequestedAt: ptr(begun.UTC()), StartedAt: begun.UTC(), CompletedAt: done.UTC()}
		writeSpliced(w, status, ans, "results", vs, plainDatedObject)
		return
	}
	ans := dtasks.BatchResponseSimplePublicObjectWithErrors{Status: dtasks.BatchResponseSimplePublicObjectWithErrorsStatusCOMPLETE,
		RequestedAt: ptr(begun.UTC()), StartedAt: begun.UTC(), CompletedAt: done.UTC(), NumErrors: ptr(int32(1)),
		Errors: &[]dtasks.StandardError{{Status: "error", Category: "OBJECT_NOT_FOUND", Message: failed.message,
			Context: &map[string][]string{"ids": failed.ids}}}}
	writeSpliced(w, status, ans, "results", vs, plainDatedObject)
}

func (datedWire) writeUpserted(w http.ResponseWriter, vs []view, created []bool, begun, done time.Time) {
	results := make([]dtasks.SimplePublicUpsertObject, len(vs))
	for i, v := range vs {
		o := datedObject(v)
		results[i] = dtasks.SimplePublicUpsertObject{ID: o.ID, New: created[i], Properties: o.Properties,
			CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt, Archived: o.Archived}
	}
	writeJSON(w, http.StatusOK, dtasks.BatchResponseSimplePublicUpsertObject{Status: dtasks.BatchResponseSimplePublicUpsertObjectStatusCOMPLETE,
		Results: results, RequestedAt: ptr(begun.UTC()), StartedAt: begun.UTC(), CompletedAt: done.UTC()})
}

// datedList reads the parameters of a 2026-03 listing (list parameters
// repeated, each maybe comma-separated).
func datedList(p dtasks.ListParams) listInput {
	return listInput{limit: intPtr(p.Limit), after: p.After, archived: deref(p.Archived),
		sh: shape{props: splitList(deref(p.Properties)...), history: splitList(deref(p.PropertiesWithHistory)...),
			associations: splitList(deref(p.Associations)...)}}
}

// datedGet reads the parameters of a 2026-03 read.
func datedGet(p dtasks.GetParams) getInput {
	return getInput{idProperty: deref(p.IDProperty), archived: deref(p.Archived),
		sh: shape{props: splitList(deref(p.Properties)...), history: splitList(deref(p.PropertiesWithHistory)...),
			associations: splitList(deref(p.Associations)...)}}
}
