package facade

import (
	"io"
	"net/http"

	"github.com/engagekit/hubspot-engagements/gen/v202603"
)

// The 2026-03 wire: gen/v202603, one package for every object (its
// operations take the object type), bodies and parameters from its types.

func datedList(q listQuery) v202603.ListParams {
	p := v202603.ListParams{After: nz(q.after), Archived: nz(q.archived), Properties: slicePtr(q.properties), Associations: slicePtr(q.associations)}
	if q.limit > 0 {
		p.Limit = ptr(int32(q.limit))
	}
	return p
}

func datedGet(q getQuery) v202603.GetParams {
	return v202603.GetParams{Archived: nz(q.archived), Properties: slicePtr(q.properties), Associations: slicePtr(q.associations)}
}

func datedAssociations(targets []AssociationTarget) *[]v202603.PublicAssociationsForObject {
	if len(targets) == 0 {
		return nil
	}
	out := make([]v202603.PublicAssociationsForObject, len(targets))
	for i, t := range targets {
		out[i] = v202603.PublicAssociationsForObject{To: v202603.PublicObjectID{ID: t.ID}, Types: datedSpecs(t)}
	}
	return &out
}

func datedSpecs(t AssociationTarget) []v202603.AssociationSpec {
	return []v202603.AssociationSpec{{AssociationCategory: v202603.AssociationSpecAssociationCategory(t.Category), AssociationTypeID: int32(t.Type)}}
}

var datedBodies = bodies{
	create: func(in CreateInput) any {
		return v202603.SimplePublicObjectInputForCreate{Properties: in.Properties, Associations: datedAssociations(in.Associations)}
	},
	update: func(props Properties) any { return v202603.SimplePublicObjectInput{Properties: props} },
	search: func(p SearchParams, at position) any {
		var b v202603.PublicObjectSearchRequest
		b.Query, b.Properties, b.After = nz(p.Query), slicePtr(p.Properties), nz(at.Token)
		if p.Limit > 0 {
			b.Limit = ptr(int32(p.Limit))
		}
		sorts := p.sorts()
		ss := newSlice(&b.Sorts, len(sorts))
		for i, so := range sorts {
			ss[i].PropertyName, ss[i].Direction = ptr(so.PropertyName), ptr(v202603.PublicObjectSearchRequestSortsDirection(so.Direction))
		}
		b.FilterGroups = optEach(p.groups(at), func(g FilterGroup) v202603.FilterGroup {
			return v202603.FilterGroup{Filters: each(g.Filters, func(f Filter) v202603.Filter {
				return v202603.Filter{PropertyName: f.PropertyName, Operator: v202603.FilterOperator(f.Operator),
					Value: f.wireValue(), HighValue: nz(f.HighValue), Values: slicePtr(f.Values)}
			})}
		})
		return b
	},
	batchRead: func(ids []string, idProperty string, props, history []string) any {
		in := v202603.BatchReadInputSimplePublicObjectID{Properties: &props, PropertiesWithHistory: &history, IDProperty: nz(idProperty),
			Inputs: make([]v202603.SimplePublicObjectID, len(ids))}
		for k, id := range ids {
			in.Inputs[k].ID = id
		}
		return in
	},
	batchCreate: func(inputs []CreateInput) any {
		in := v202603.BatchInputSimplePublicObjectBatchInputForCreate{Inputs: make([]v202603.SimplePublicObjectBatchInputForCreate, len(inputs))}
		for k, c := range inputs {
			in.Inputs[k] = v202603.SimplePublicObjectBatchInputForCreate{Properties: c.Properties, Associations: datedAssociations(c.Associations)}
		}
		return in
	},
	batchUpdate: func(inputs []UpdateInput) any {
		return v202603.BatchInputSimplePublicObjectBatchInput{Inputs: each(inputs, func(u UpdateInput) v202603.SimplePublicObjectBatchInput {
			return v202603.SimplePublicObjectBatchInput{ID: u.ID, Properties: u.Properties}
		})}
	},
	batchUpsert: func(idProperty string, inputs []UpsertInput) any {
		return v202603.BatchInputSimplePublicObjectBatchInputUpsert{Inputs: each(inputs, func(u UpsertInput) v202603.SimplePublicObjectBatchInputUpsert {
			return v202603.SimplePublicObjectBatchInputUpsert{ID: u.ID, IDProperty: ptr(idProperty), Properties: u.Properties}
		})}
	},
	batchArchive: func(ids []string) any {
		return v202603.BatchInputSimplePublicObjectID{Inputs: each(ids, func(id string) v202603.SimplePublicObjectID { return v202603.SimplePublicObjectID{ID: id} })}
	},
	associate: func(t AssociationTarget) any { return v202603.AssociateJSONRequestBody(datedSpecs(t)) },
}

// datedPackage is the request builders of a dated version's generated
// package, whose operations take the object type: the version's objectAPIs
// are bindings of it.
type datedPackage struct {
	version                                                                        APIVersion
	list                                                                           func(server, objectType string, q listQuery) (*http.Request, error)
	get                                                                            func(server, objectType, id string, q getQuery) (*http.Request, error)
	create, search, batchRead, batchCreate, batchUpdate, batchUpsert, batchArchive func(server, objectType, contentType string, body io.Reader) (*http.Request, error)
	update                                                                         func(server, objectType, id, contentType string, body io.Reader) (*http.Request, error)
	archive                                                                        func(server, objectType, id string) (*http.Request, error)
	associate                                                                      func(server, objectType, id, toType, toID, contentType string, body io.Reader) (*http.Request, error)
	dissociate                                                                     func(server, objectType, id, toType, toID string) (*http.Request, error)
	// merge, gdprDelete and assocLabels are the operations 2026-09 added;
	// nil on 2026-03.
	merge       func(server, objectType, primaryID, mergedID string) (*http.Request, error)
	gdprDelete  func(server, objectType, id, idProperty string) (*http.Request, error)
	assocLabels func(server, objectType, id, toType, after string) (*http.Request, error)
	newLabelled func() labelledPage
}

// v202603Package is gen/v202603's request builders, with parameters from
// its types. A later version whose shapes are the same adds one like it
// (the bodies, datedBodies, serve it too) and its line in wires.
var v202603Package = datedPackage{
	version: API2026_03,
	list: func(s, t string, q listQuery) (*http.Request, error) {
		p := datedList(q)
		return v202603.NewListRequest(s, t, &p)
	},
	get: func(s, t, id string, q getQuery) (*http.Request, error) {
		p := datedGet(q)
		return v202603.NewGetRequest(s, t, id, &p)
	},
	create: v202603.NewCreateRequestWithBody, search: v202603.NewSearchRequestWithBody,
	batchRead: func(s, t, contentType string, body io.Reader) (*http.Request, error) {
		return v202603.NewBatchReadRequestWithBody(s, t, nil, contentType, body)
	},
	batchCreate: v202603.NewBatchCreateRequestWithBody, batchUpdate: v202603.NewBatchUpdateRequestWithBody,
	batchUpsert: v202603.NewBatchUpsertRequestWithBody, batchArchive: v202603.NewBatchArchiveRequestWithBody,
	update: func(s, t, id, contentType string, body io.Reader) (*http.Request, error) {
		return v202603.NewUpdateRequestWithBody(s, t, id, nil, contentType, body)
	},
	archive: v202603.NewArchiveRequest, associate: v202603.NewAssociateRequestWithBody, dissociate: v202603.NewDissociateRequest,
}

// api binds the package's builders to objectType.
func (d datedPackage) api(objectType string) objectAPI {
	bind := func(build func(server, objectType, contentType string, body io.Reader) (*http.Request, error)) bodyFunc {
		return bindType(build, objectType)
	}
	api := objectAPI{
		name: objectType, version: d.version, body: datedBodies,
		list: func(server string, q listQuery) (*http.Request, error) { return d.list(server, objectType, q) },
		get: func(server, id string, q getQuery) (*http.Request, error) {
			return d.get(server, objectType, id, q)
		},
		create: bind(d.create), search: bind(d.search), batchRead: bind(d.batchRead), batchCreate: bind(d.batchCreate),
		batchUpdate: bind(d.batchUpdate), batchUpsert: bind(d.batchUpsert), batchArchive: bind(d.batchArchive),
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return d.update(server, objectType, id, contentType, body)
		},
		archive: func(server, id string) (*http.Request, error) { return d.archive(server, objectType, id) },
		assocPut: func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error) {
			return d.associate(server, objectType, id, toType, toID, contentType, body)
		},
		assocDel: func(server, id, toType, toID string) (*http.Request, error) {
			return d.dissociate(server, objectType, id, toType, toID)
		},
	}
	if d.merge != nil {
		api.merge = func(server, primaryID, mergedID string) (*http.Request, error) {
			return d.merge(server, objectType, primaryID, mergedID)
		}
		api.gdprDelete = func(server, id, idProperty string) (*http.Request, error) {
			return d.gdprDelete(server, objectType, id, idProperty)
		}
		api.assocLabels = func(server, id, toType, after string) (*http.Request, error) {
			return d.assocLabels(server, objectType, id, toType, after)
		}
		api.newLabelled = d.newLabelled
	}
	return api
}

// The 2026-03 answers (answers.go): gen/v202603's types (one
// package for every object).

type (
	datedObjectFields v202603.SimplePublicObjectWithAssociations
	datedPlainFields  v202603.SimplePublicObject
	datedUpsertFields v202603.SimplePublicUpsertObject
	datedBatchFields  v202603.BatchResponseSimplePublicObjectWithErrors
	datedUpsertBatch  v202603.BatchResponseSimplePublicUpsertObjectWithErrors
)

// datedRecord is a 2026-03 record read on its own or listed, with its
// associations.
type datedRecord struct {
	datedObjectFields
	Properties ownedJSON `json:"properties"`
}

func (r datedRecord) view() objectView {
	v := objectView{ID: r.ID, Properties: r.Properties, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Archived: r.Archived}
	if r.Associations != nil {
		v.Associations = make(map[string]associatedList, len(*r.Associations))
		for typ, l := range *r.Associations {
			out := associatedList{Results: make([]AssociatedID, len(l.Results))}
			if l.Paging != nil && l.Paging.Next != nil {
				out.After, out.More = l.Paging.Next.After, l.Paging.Next.After != ""
			}
			for i, a := range l.Results {
				out.Results[i] = AssociatedID{ID: a.ID, Type: a.Type}
			}
			v.Associations[typ] = out
		}
	}
	return v
}

// datedPlainRecord is a 2026-03 record of a search or a batch.
type datedPlainRecord struct {
	datedPlainFields
	Properties ownedJSON `json:"properties"`
}

func (r datedPlainRecord) view() objectView {
	return objectView{ID: r.ID, Properties: r.Properties, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Archived: r.Archived}
}

// datedUpsertRecord is a record of a 2026-03 upsert answer.
type datedUpsertRecord struct {
	datedUpsertFields
	Properties ownedJSON `json:"properties"`
}

func (r datedUpsertRecord) view() objectView {
	return objectView{ID: r.ID, Properties: r.Properties, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Archived: r.Archived, New: r.New}
}

// datedPage is a 2026-03 list answer.
type datedPage struct {
	v202603.CollectionResponseSimplePublicObjectWithAssociationsForwardPaging
	Results []recordOf[datedRecord] `json:"results"`
}

func (p *datedPage) get() collection {
	c := collection{Results: objects(p.Results)}
	if p.Paging != nil && p.Paging.Next != nil {
		c.After = p.Paging.Next.After
	}
	return c
}

// datedSearchPage is a 2026-03 search answer.
type datedSearchPage struct {
	v202603.CollectionResponseWithTotalSimplePublicObject
	Results []recordOf[datedPlainRecord] `json:"results"`
}

func (p *datedSearchPage) get() collection {
	c := collection{Results: objects(p.Results), Total: ptr(int64(p.Total))}
	if p.Paging != nil && p.Paging.Next != nil {
		c.After = p.Paging.Next.After
	}
	return c
}

// datedBatch is a 2026-03 batch answer (200, or 207 with errors).
type datedBatch struct {
	datedBatchFields
	Results []recordOf[datedPlainRecord] `json:"results"`
}

func (a *datedBatch) get() batchAnswer {
	return batchAnswer{objects(a.Results), inputErrors(a.Errors, datedInputError)}
}

// datedUpsert is a 2026-03 upsert answer.
type datedUpsert struct {
	datedUpsertBatch
	Results []recordOf[datedUpsertRecord] `json:"results"`
}

func (a *datedUpsert) get() batchAnswer {
	return batchAnswer{objects(a.Results), inputErrors(a.Errors, datedInputError)}
}

func datedInputError(e v202603.StandardError) inputError {
	return inputError{Category: e.Category, Message: e.Message, SubCategory: e.SubCategory, Context: deref(e.Context)}
}
