package facade

import (
	"io"
	"net/http"
	"slices"

	"github.com/engagekit/hubspot-engagements/gen/objectsv3"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// The v3 wire: bodies and parameters from gen/tasks's types; gen/emails
// and gen/objectsv3 (notes, calls, meetings) take the same shapes and their
// parameter structs convert.

func v3List(q listQuery) tasks.ListTasksParams {
	return tasks.ListTasksParams{Limit: optInt(q.limit), After: nz(q.after), Archived: nz(q.archived),
		Properties: joinList(q.properties), Associations: joinList(q.associations)}
}

func v3Get(q getQuery) tasks.GetTaskParams {
	return tasks.GetTaskParams{Archived: nz(q.archived), Properties: joinList(q.properties), Associations: joinList(q.associations)}
}

func v3AssocPage(after string) tasks.ListTaskAssociationsParams {
	p := tasks.ListTaskAssociationsParams{Limit: optInt(maxAssociationsPage)}
	if after != "" {
		p.After = ptr(after)
	}
	return p
}

func v3Associations(targets []AssociationTarget) *[]tasks.PublicAssociationsForObject {
	if len(targets) == 0 {
		return nil
	}
	out := make([]tasks.PublicAssociationsForObject, len(targets))
	for i, t := range targets {
		out[i] = tasks.PublicAssociationsForObject{To: tasks.PublicObjectID{ID: t.ID},
			Types: []tasks.AssociationSpec{{AssociationCategory: tasks.AssociationSpecAssociationCategory(t.Category), AssociationTypeID: int32(t.Type)}}}
	}
	return &out
}

var v3Bodies = bodies{
	create: func(in CreateInput) any {
		return tasks.SimplePublicObjectInputForCreate{Properties: in.Properties, Associations: v3Associations(in.Associations)}
	},
	update: func(props Properties) any { return tasks.SimplePublicObjectInput{Properties: mapPtr(props)} },
	search: func(p SearchParams, at position) any {
		var b tasks.SearchRequest
		b.Limit, b.Query, b.Properties, b.After = optInt(p.Limit), nz(p.Query), slicePtr(p.Properties), nz(at.Token)
		sorts := p.sorts()
		ss := newSlice(&b.Sorts, len(sorts))
		for i, so := range sorts {
			ss[i].PropertyName, ss[i].Direction = ptr(so.PropertyName), ptr(tasks.SearchRequestSortsDirection(so.Direction))
		}
		b.FilterGroups = optEach(p.groups(at), func(g FilterGroup) tasks.FilterGroup {
			return tasks.FilterGroup{Filters: ptr(each(g.Filters, func(f Filter) tasks.Filter {
				return tasks.Filter{PropertyName: ptr(f.PropertyName), Operator: ptr(tasks.FilterOperator(f.Operator)),
					Value: f.wireValue(), HighValue: nz(f.HighValue), Values: slicePtr(f.Values)}
			}))}
		})
		return b
	},
	batchRead: func(ids []string, idProperty string, props, history []string) any {
		in := tasks.BatchReadInput{Properties: &props, PropertiesWithHistory: &history, IDProperty: nz(idProperty)}
		items := newSlice(&in.Inputs, len(ids))
		for k := range items {
			items[k].ID = &ids[k]
		}
		return in
	},
	batchCreate: func(inputs []CreateInput) any {
		in := make([]tasks.SimplePublicObjectInputForCreate, len(inputs))
		for k, c := range inputs {
			in[k] = tasks.SimplePublicObjectInputForCreate{Properties: c.Properties, Associations: v3Associations(c.Associations)}
		}
		return tasks.BatchCreateInput{Inputs: &in}
	},
	batchUpdate: func(inputs []UpdateInput) any {
		var in tasks.BatchUpdateInput
		items := newSlice(&in.Inputs, len(inputs))
		for k, u := range inputs {
			items[k].ID, items[k].Properties = ptr(u.ID), mapPtr(u.Properties)
		}
		return in
	},
	batchUpsert: func(idProperty string, inputs []UpsertInput) any {
		return tasks.BatchInputSimplePublicObjectBatchInputUpsert{Inputs: each(inputs, func(u UpsertInput) tasks.SimplePublicObjectBatchInputUpsert {
			return tasks.SimplePublicObjectBatchInputUpsert{ID: u.ID, IDProperty: ptr(idProperty), Properties: u.Properties}
		})}
	},
	batchArchive: func(ids []string) any {
		var in tasks.BatchArchiveInput
		items := sized(&in.Inputs, len(ids))
		for k := range items {
			items[k].ID = ids[k]
		}
		return in
	},
}

// v3API is the generic v3 objects API (api/objects-v3.yaml) for one
// object type. It sends what the vendor tasks and emails documents describe
// for those two types (HubSpot serves every object type on the generic
// paths; the contract goldens hold the bytes), so one binding serves every
// object of the wire.
func v3API(objectType string) objectAPI {
	return objectAPI{
		name: objectType, version: APIv3, body: v3Bodies,
		list: func(server string, q listQuery) (*http.Request, error) {
			p := objectsv3.ListParams(v3List(q))
			return objectsv3.NewListRequest(server, objectType, &p)
		},
		get: func(server, id string, q getQuery) (*http.Request, error) {
			p := objectsv3.GetParams(v3Get(q))
			return objectsv3.NewGetRequest(server, objectType, id, &p)
		},
		create: bindType(objectsv3.NewCreateRequestWithBody, objectType),
		search: bindType(objectsv3.NewSearchRequestWithBody, objectType),
		batchRead: func(server, contentType string, body io.Reader) (*http.Request, error) {
			return objectsv3.NewBatchReadRequestWithBody(server, objectType, nil, contentType, body)
		},
		batchCreate:  bindType(objectsv3.NewBatchCreateRequestWithBody, objectType),
		batchUpdate:  bindType(objectsv3.NewBatchUpdateRequestWithBody, objectType),
		batchUpsert:  bindType(objectsv3.NewBatchUpsertRequestWithBody, objectType),
		batchArchive: bindType(objectsv3.NewBatchArchiveRequestWithBody, objectType),
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return objectsv3.NewUpdateRequestWithBody(server, objectType, id, nil, contentType, body)
		},
		archive: func(server, id string) (*http.Request, error) {
			return objectsv3.NewArchiveRequest(server, objectType, id)
		},
		assocList: func(server, id, toType, after string) (*http.Request, error) {
			p := objectsv3.ListAssociationsParams(v3AssocPage(after))
			return objectsv3.NewListAssociationsRequest(server, objectType, id, toType, &p)
		},
		assocCreate: func(server, id, toType, toID, assocType string) (*http.Request, error) {
			return objectsv3.NewAssociateRequest(server, objectType, id, toType, toID, assocType)
		},
		assocDelete: func(server, id, toType, toID, assocType string) (*http.Request, error) {
			return objectsv3.NewDissociateRequest(server, objectType, id, toType, toID, assocType)
		},
	}
}

// bindType fixes the object type of a generic body builder.
func bindType(build func(server, objectType, contentType string, body io.Reader) (*http.Request, error), objectType string) bodyFunc {
	return func(server, contentType string, body io.Reader) (*http.Request, error) {
		return build(server, objectType, contentType, body)
	}
}

// slicePtr gives a generated type's optional list (nil when empty).
func slicePtr[E any](s []E) *[]E {
	if len(s) == 0 {
		return nil
	}
	c := slices.Clone(s)
	return &c
}
