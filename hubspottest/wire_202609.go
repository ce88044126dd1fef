package hubspottest

import (
	"net/http"
	"strconv"

	"github.com/engagekit/hubspot-engagements/gen/v202603"
	"github.com/engagekit/hubspot-engagements/gen/v202609"
	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// The 2026-09 wire: gen/v202609's routes on the store every wire serves.
// Its parameters have 2026-03's shapes, so they convert; its bodies and
// answers are the dated wire's (the same JSON).

// v202609API serves the generated v202609.ServerInterface.
type v202609API struct{ datedOf }

var _ v202609.ServerInterface = v202609API{}

func (a v202609API) List(w http.ResponseWriter, r *http.Request, typ string, p v202609.ListParams) {
	v202603API(a).List(w, r, typ, v202603.ListParams(p))
}
func (a v202609API) BatchRead(w http.ResponseWriter, r *http.Request, typ string, p v202609.BatchReadParams) {
	v202603API(a).BatchRead(w, r, typ, v202603.BatchReadParams(p))
}
func (a v202609API) Get(w http.ResponseWriter, r *http.Request, typ, id string, p v202609.GetParams) {
	v202603API(a).Get(w, r, typ, id, v202603.GetParams(p))
}
func (a v202609API) Update(w http.ResponseWriter, r *http.Request, typ, id string, p v202609.UpdateParams) {
	v202603API(a).Update(w, r, typ, id, v202603.UpdateParams(p))
}

// Merge merges one record into another (2026-09's POST …/merge).
func (a v202609API) Merge(w http.ResponseWriter, r *http.Request, typ string) {
	var in v202609.PublicMergeInput
	if decodeBody(w, r, &in) {
		a.in(w, r, typ, func(st *objectStore) { st.merge(w, r, a.w, in.PrimaryObjectID, in.ObjectIDToMerge) })
	}
}

// GdprDelete deletes a record permanently (2026-09's POST …/gdpr-delete).
func (a v202609API) GdprDelete(w http.ResponseWriter, r *http.Request, typ string) {
	var in v202609.PublicGdprDeleteInput
	if decodeBody(w, r, &in) {
		a.in(w, r, typ, func(st *objectStore) { st.gdprDelete(w, r, in.ObjectID, deref(in.IDProperty)) })
	}
}

// AssociationsWithLabels lists a record's associations with one object
// type, with their types and labels (2026-09's GET …/{id}/associations/{toObjectType}).
func (a v202609API) AssociationsWithLabels(w http.ResponseWriter, r *http.Request, typ, id, toType string, p v202609.AssociationsWithLabelsParams) {
	a.in(w, r, typ, func(st *objectStore) {
		st.with(w, r, id, "", false, func(o *object) {
			entries := o.assoc[canonicalType(toType)]
			from, limit := pageBounds(deref(p.After), p.Limit, len(entries))
			var page v202609.CollectionResponseMultiAssociatedObjectWithLabelForwardPaging
			page.Results = []v202609.MultiAssociatedObjectWithLabel{}
			for _, e := range entries[from:limit] {
				at, _ := st.associationType(toType, e.typ)
				page.Results = append(page.Results, v202609.MultiAssociatedObjectWithLabel{ToObjectID: e.id,
					AssociationTypes: []v202609.AssociationSpecWithLabel{{Category: v202609.AssociationSpecWithLabelCategory(v1map.AssociationCategory), TypeID: at.TypeID}}})
			}
			if limit < len(entries) {
				page.Paging = &v202609.ForwardPaging{Next: &v202609.NextPage{After: strconv.Itoa(limit)}}
			}
			writeJSON(w, http.StatusOK, page)
		})
	})
}
