package hubspottest

import (
	"fmt"
	"net/http"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// The v3 wire: the answers it writes are the generated types of the tasks
// document, whose shapes the emails document and the generic objects
// document share (internal/gencheck proves it), so a field renamed in a
// document breaks this file's build. The bodies it reads are the same JSON
// on every wire (bodyReader, wire_dated.go); checkRequest holds them to the
// v3 documents first.

// v3 reads and writes the v3 object APIs.
var v3 wire = v3Wire{}

type v3Wire struct{ bodyReader }

// v3Record is v as the generated record type.
func v3Record(v view) tasks.Task {
	t := tasks.Task{ID: &v.id, CreatedAt: &v.created, UpdatedAt: &v.updated, Archived: ptr(!v.archivedAt.IsZero()), Properties: &v.props}
	if !v.archivedAt.IsZero() {
		t.ArchivedAt = &v.archivedAt
	}
	if v.history != nil {
		t.PropertiesWithHistory = ptr(histories(v.history, func(h historyEntry) tasks.ValueWithTimestamp {
			return tasks.ValueWithTimestamp{Timestamp: ptr(h.at.UTC()), SourceType: ptr(h.source), Value: nullable.Nullable[string](valueOf(h))}
		}))
	}
	if v.assoc != nil {
		m := make(map[string]tasks.CollectionResponseAssociation, len(v.assoc))
		for typ, as := range v.assoc {
			m[typ] = tasks.CollectionResponseAssociation{Results: v3AssociationList(as)}
		}
		t.Associations = &m
	}
	return t
}

func v3AssociationList(as []assocEntry) *[]tasks.Association {
	out := make([]tasks.Association, len(as))
	for i, a := range as {
		out[i] = tasks.Association{ID: ptr(a.id), Type: ptr(a.typ)}
	}
	return &out
}

// histories converts the histories of a view with mk.
func histories[T any](h map[string][]historyEntry, mk func(historyEntry) T) map[string][]T {
	out := make(map[string][]T, len(h))
	for p, hs := range h {
		vs := make([]T, len(hs))
		for i, x := range hs {
			vs[i] = mk(x)
		}
		out[p] = vs
	}
	return out
}

// valueOf is a historical value as the generated types keep null apart.
func valueOf(h historyEntry) nullable.Nullable[string] {
	if h.value == nil {
		return nullable.NewNullNullable[string]()
	}
	return nullable.NewNullableWithValue(*h.value)
}

// record is the generated tasks.Task, encoded directly (encode.go).
type record tasks.Task

func plainV3(v view) any { return record(v3Record(v)) }

func (v3Wire) writeRecord(w http.ResponseWriter, status int, v view, _ bool) {
	writeJSON(w, status, record(v3Record(v)))
}

func (v3Wire) writePage(w http.ResponseWriter, vs []view, next, link string) {
	var ans tasks.CollectionResponseTask
	if next != "" {
		ans.Paging = v3Paging(next, link)
	}
	writeWithRecords(w, http.StatusOK, ans, "results", vs, plainV3)
}

func v3Paging(after, link string) *tasks.Paging {
	return &tasks.Paging{Next: &struct {
		After *string `json:"after,omitempty"`
		Link  *string `json:"link,omitempty"`
	}{After: &after, Link: orNil(link)}}
}

func (v3Wire) writeFound(w http.ResponseWriter, vs []view, total int, next string) {
	ans := tasks.CollectionResponseTask{Total: ptr(int64(total))}
	if next != "" {
		ans.Paging = v3Paging(next, "")
	}
	writeWithRecords(w, http.StatusOK, ans, "results", vs, plainV3)
}

func (v3Wire) writeBatch(w http.ResponseWriter, status int, vs []view, begun, done time.Time, failed *batchError) {
	ans := tasks.BatchResponseTask{Status: ptr("COMPLETE"), RequestedAt: ptr(begun.UTC()), StartedAt: ptr(begun.UTC()), CompletedAt: ptr(done.UTC())}
	if failed != nil {
		ans.NumErrors = ptr(1)
		ans.Errors = &[]tasks.StandardError{{Status: ptr("error"), Category: ptr("OBJECT_NOT_FOUND"),
			Message: ptr(failed.message), Context: &map[string][]string{"ids": failed.ids}}}
	}
	writeWithRecords(w, status, ans, "results", vs, plainV3)
}

func (v3Wire) writeUpserted(w http.ResponseWriter, vs []view, created []bool, begun, done time.Time) {
	results := make([]tasks.SimplePublicUpsertObject, len(vs))
	for i, v := range vs {
		t := v3Record(v)
		results[i] = tasks.SimplePublicUpsertObject{ID: t.ID, New: ptr(created[i]), Properties: t.Properties,
			CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Archived: t.Archived}
	}
	writeJSON(w, http.StatusOK, tasks.BatchResponseSimplePublicUpsertObject{Status: ptr("COMPLETE"), Results: &results,
		RequestedAt: ptr(begun.UTC()), StartedAt: ptr(begun.UTC()), CompletedAt: ptr(done.UTC())})
}

// listAssociations answers the v3 associations of a record with one object
// type.
func (st *objectStore) listAssociations(w http.ResponseWriter, r *http.Request, id, toType string) {
	st.with(w, r, id, "", false, func(o *object) {
		writeJSON(w, http.StatusOK, tasks.CollectionResponseAssociation{Results: v3AssociationList(o.assoc[canonicalType(toType)])})
	})
}

// associate adds (or, with remove, removes) the v3 association of the
// record id with toID of toType, after checking the association type as
// HubSpot does.
func (st *objectStore) associate(w http.ResponseWriter, r *http.Request, id, toType, toID, assocType string, remove bool) {
	st.with(w, r, id, "", false, func(o *object) {
		at, ok := st.associationType(toType, assocType)
		if !ok {
			invalidAssociation(w, r, assocType, st.name, toType)
			return
		}
		target, ok := targetID(toID)
		if !ok {
			validationError(w, r, "toObjectId: %q is not a record id", toID)
			return
		}
		if remove {
			st.unlink(o, at.To, target)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		st.link(o, at.To, assocEntry{id: target, typ: at.Name})
		writeJSON(w, http.StatusOK, tasks.Association{ID: &target, Type: &at.Name})
	})
}

// v3List reads the parameters of a v3 listing.
func v3List(p tasks.ListTasksParams) listInput {
	return listInput{limit: p.Limit, after: p.After, archived: deref(p.Archived),
		sh: shape{props: splitList(deref(p.Properties)...), history: splitList(deref(p.PropertiesWithHistory)...),
			associations: splitList(deref(p.Associations)...)}}
}

// v3Get reads the parameters of a v3 read.
func v3Get(p tasks.GetTaskParams) getInput {
	return getInput{idProperty: deref(p.IDProperty), archived: deref(p.Archived), sh: shape{props: splitList(deref(p.Properties)...), history: splitList(deref(p.PropertiesWithHistory)...),
		associations: splitList(deref(p.Associations)...)}}
}

// objectStoreOf returns the store of the object type a generic objects
// path names (notes, 0-46, …), or answers HubSpot's 400.
func (s *Server) objectStoreOf(w http.ResponseWriter, r *http.Request, objectType string) *objectStore {
	if st := s.objects[canonicalType(objectType)]; st != nil {
		return st
	}
	if knownType(objectType) {
		writeError(w, r, http.StatusBadRequest, apiError{Category: "VALIDATION_ERROR",
			Message: fmt.Sprintf("The fake keeps no %s: only %v", objectType, objectTypes)})
		return nil
	}
	unknownType(w, r, objectType)
	return nil
}
