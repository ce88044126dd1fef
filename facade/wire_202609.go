package facade

import (
	"io"
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/v202609"
)

// v202609Package is gen/v202609's request builders. 2026-09's bodies and
// parameters have 2026-03's shapes (internal/gencheck proves it), so
// datedBodies serves them and the parameters convert.
var v202609Package = datedPackage{
	version: API2026_09,
	list: func(s, t string, q listQuery) (*http.Request, error) {
		p := v202609.ListParams(datedList(q))
		return v202609.NewListRequest(s, t, &p)
	},
	get: func(s, t, id string, q getQuery) (*http.Request, error) {
		p := v202609.GetParams(datedGet(q))
		return v202609.NewGetRequest(s, t, id, &p)
	},
	create: v202609.NewCreateRequestWithBody, search: v202609.NewSearchRequestWithBody,
	batchRead: func(s, t, contentType string, body io.Reader) (*http.Request, error) {
		return v202609.NewBatchReadRequestWithBody(s, t, nil, contentType, body)
	},
	batchCreate: v202609.NewBatchCreateRequestWithBody, batchUpdate: v202609.NewBatchUpdateRequestWithBody,
	batchUpsert: v202609.NewBatchUpsertRequestWithBody, batchArchive: v202609.NewBatchArchiveRequestWithBody,
	update: func(s, t, id, contentType string, body io.Reader) (*http.Request, error) {
		return v202609.NewUpdateRequestWithBody(s, t, id, nil, contentType, body)
	},
	archive: v202609.NewArchiveRequest, associate: v202609.NewAssociateRequestWithBody, dissociate: v202609.NewDissociateRequest,
	merge: func(s, t, primaryID, mergedID string) (*http.Request, error) {
		return v202609.NewMergeRequest(s, t, v202609.PublicMergeInput{PrimaryObjectID: primaryID, ObjectIDToMerge: mergedID})
	},
	gdprDelete: func(s, t, id, idProperty string) (*http.Request, error) {
		return v202609.NewGdprDeleteRequest(s, t, v202609.PublicGdprDeleteInput{ObjectID: id, IDProperty: nz(idProperty)})
	},
	assocLabels: func(s, t, id, toType, after string) (*http.Request, error) {
		return v202609.NewAssociationsWithLabelsRequest(s, t, id, toType, &v202609.AssociationsWithLabelsParams{After: nz(after), Limit: ptr(int32(maxAssociationsPage))})
	},
	newLabelled: func() labelledPage { return new(labelled202609) },
}

// labelled202609 is a 2026-09 page of a record's associations with their
// types and labels.
type labelled202609 v202609.CollectionResponseMultiAssociatedObjectWithLabelForwardPaging

func (p *labelled202609) page() ([]AssociatedID, string) {
	out := make([]AssociatedID, len(p.Results))
	for i, r := range p.Results {
		out[i].ID = r.ToObjectID
		for _, t := range r.AssociationTypes {
			out[i].Types = append(out[i].Types, AssociationType{TypeID: AssociationTypeID(t.TypeID), Category: AssociationCategory(t.Category), Label: deref(t.Label)})
		}
	}
	if p.Paging != nil && p.Paging.Next != nil {
		return out, p.Paging.Next.After
	}
	return out, ""
}
