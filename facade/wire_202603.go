package facade

import (
	"io"
	"net/http"

	dcalls "github.com/engagekit/hubspot-engagements/gen/v202603/calls"
	demails "github.com/engagekit/hubspot-engagements/gen/v202603/emails"
	dmeetings "github.com/engagekit/hubspot-engagements/gen/v202603/meetings"
	dnotes "github.com/engagekit/hubspot-engagements/gen/v202603/notes"
	dtasks "github.com/engagekit/hubspot-engagements/gen/v202603/tasks"
)

// The 2026-03 wire: bodies and parameters from gen/v202603/tasks's types;
// the other four packages take the same shapes and their parameter structs
// convert.

func datedList(q listQuery) dtasks.ListParams {
	p := dtasks.ListParams{Properties: slicePtr(q.properties), Associations: slicePtr(q.associations)}
	if q.limit > 0 {
		p.Limit = ptr(int32(q.limit))
	}
	if q.after != "" {
		p.After = ptr(q.after)
	}
	if q.archived {
		p.Archived = ptr(true)
	}
	return p
}

func datedGet(q getQuery) dtasks.GetParams {
	p := dtasks.GetParams{Properties: slicePtr(q.properties), Associations: slicePtr(q.associations)}
	if q.archived {
		p.Archived = ptr(true)
	}
	return p
}

func datedAssociations(targets []AssociationTarget) *[]dtasks.PublicAssociationsForObject {
	if len(targets) == 0 {
		return nil
	}
	out := make([]dtasks.PublicAssociationsForObject, len(targets))
	for i, t := range targets {
		out[i] = dtasks.PublicAssociationsForObject{To: dtasks.PublicObjectID{ID: t.ID}, Types: datedSpecs(t)}
	}
	return &out
}

func datedSpecs(t AssociationTarget) []dtasks.AssociationSpec {
	return []dtasks.AssociationSpec{{AssociationCategory: dtasks.AssociationSpecAssociationCategory(t.Category), AssociationTypeID: int32(t.Type)}}
}

var datedBodies = bodies{
	create: func(in CreateInput) any {
		return dtasks.SimplePublicObjectInputForCreate{Properties: in.Properties, Associations: datedAssociations(in.Associations)}
	},
	update: func(props Properties) any { return dtasks.SimplePublicObjectInput{Properties: props} },
	search: func(p SearchParams, at position) any {
		var b dtasks.PublicObjectSearchRequest
		b.Query, b.Properties, b.After = nz(p.Query), slicePtr(p.Properties), nz(at.Token)
		if p.Limit > 0 {
			b.Limit = ptr(int32(p.Limit))
		}
		sorts := p.sorts()
		ss := newSlice(&b.Sorts, len(sorts))
		for i, so := range sorts {
			ss[i].PropertyName, ss[i].Direction = ptr(so.PropertyName), ptr(dtasks.PublicObjectSearchRequestSortsDirection(so.Direction))
		}
		if groups := p.groups(at); len(groups) > 0 {
			fgs := make([]dtasks.FilterGroup, len(groups))
			for i, g := range groups {
				fgs[i].Filters = make([]dtasks.Filter, len(g.Filters))
				for j, f := range g.Filters {
					fgs[i].Filters[j] = dtasks.Filter{PropertyName: f.PropertyName, Operator: dtasks.FilterOperator(f.Operator),
						Value: f.wireValue(), HighValue: nz(f.HighValue), Values: slicePtr(f.Values)}
				}
			}
			b.FilterGroups = &fgs
		}
		return b
	},
	batchRead: func(ids []string, idProperty string, props, history []string) any {
		in := dtasks.BatchReadInputSimplePublicObjectID{Properties: &props, PropertiesWithHistory: &history, IDProperty: nz(idProperty),
			Inputs: make([]dtasks.SimplePublicObjectID, len(ids))}
		for k, id := range ids {
			in.Inputs[k].ID = id
		}
		return in
	},
	batchCreate: func(inputs []CreateInput) any {
		in := dtasks.BatchInputSimplePublicObjectBatchInputForCreate{Inputs: make([]dtasks.SimplePublicObjectBatchInputForCreate, len(inputs))}
		for k, c := range inputs {
			in.Inputs[k] = dtasks.SimplePublicObjectBatchInputForCreate{Properties: c.Properties, Associations: datedAssociations(c.Associations)}
		}
		return in
	},
	batchUpdate: func(inputs []ObjectUpdate) any {
		in := dtasks.BatchInputSimplePublicObjectBatchInput{Inputs: make([]dtasks.SimplePublicObjectBatchInput, len(inputs))}
		for k, u := range inputs {
			in.Inputs[k] = dtasks.SimplePublicObjectBatchInput{ID: u.ID, Properties: u.Properties}
		}
		return in
	},
	batchUpsert: func(idProperty string, inputs []UpsertInput) any {
		in := dtasks.BatchInputSimplePublicObjectBatchInputUpsert{Inputs: make([]dtasks.SimplePublicObjectBatchInputUpsert, len(inputs))}
		for k, u := range inputs {
			in.Inputs[k] = dtasks.SimplePublicObjectBatchInputUpsert{ID: u.ID, IDProperty: ptr(idProperty), Properties: u.Properties}
		}
		return in
	},
	batchArchive: func(ids []string) any {
		in := dtasks.BatchInputSimplePublicObjectID{Inputs: make([]dtasks.SimplePublicObjectID, len(ids))}
		for k, id := range ids {
			in.Inputs[k].ID = id
		}
		return in
	},
	associate: func(t AssociationTarget) any { return dtasks.AssociateJSONRequestBody(datedSpecs(t)) },
}

// datedAPI makes the objectAPI of one 2026-03 package from its request
// builders (the five packages have the same builders with their own
// parameter types; list and get convert the family's parameters).
func datedAPI[BP, UP any](name string,
	list func(server string, q listQuery) (*http.Request, error),
	get func(server, id string, q getQuery) (*http.Request, error),
	create, search, batchCreate, batchUpdate, batchUpsert, batchArchive bodyFunc,
	batchRead func(server string, p *BP, contentType string, body io.Reader) (*http.Request, error),
	update func(server, id string, p *UP, contentType string, body io.Reader) (*http.Request, error),
	archive func(server, id string) (*http.Request, error),
	associate func(server, objectType, id, toType, toID, contentType string, body io.Reader) (*http.Request, error),
	dissociate func(server, objectType, id, toType, toID string) (*http.Request, error),
) objectAPI {
	return objectAPI{
		name: name, version: API2026_03, body: datedBodies, list: list, get: get,
		create: create, search: search, batchCreate: batchCreate, batchUpdate: batchUpdate, batchUpsert: batchUpsert, batchArchive: batchArchive,
		batchRead: func(server, contentType string, body io.Reader) (*http.Request, error) {
			return batchRead(server, nil, contentType, body)
		},
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return update(server, id, nil, contentType, body)
		},
		archive: archive,
		assocPut: func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error) {
			return associate(server, name, id, toType, toID, contentType, body)
		},
		assocDel: func(server, id, toType, toID string) (*http.Request, error) {
			return dissociate(server, name, id, toType, toID)
		},
	}
}

var datedAPIs = objectAPIs{
	emails: datedAPI("emails",
		func(s string, q listQuery) (*http.Request, error) {
			p := demails.ListParams(datedList(q))
			return demails.NewListRequest(s, &p)
		},
		func(s, id string, q getQuery) (*http.Request, error) {
			p := demails.GetParams(datedGet(q))
			return demails.NewGetRequest(s, id, &p)
		},
		demails.NewCreateRequestWithBody, demails.NewSearchRequestWithBody, demails.NewBatchCreateRequestWithBody, demails.NewBatchUpdateRequestWithBody,
		demails.NewBatchUpsertRequestWithBody, demails.NewBatchArchiveRequestWithBody, demails.NewBatchReadRequestWithBody, demails.NewUpdateRequestWithBody,
		demails.NewArchiveRequest, demails.NewAssociateRequestWithBody, demails.NewDissociateRequest),
	tasks: datedAPI("tasks",
		func(s string, q listQuery) (*http.Request, error) {
			p := datedList(q)
			return dtasks.NewListRequest(s, &p)
		},
		func(s, id string, q getQuery) (*http.Request, error) {
			p := datedGet(q)
			return dtasks.NewGetRequest(s, id, &p)
		},
		dtasks.NewCreateRequestWithBody, dtasks.NewSearchRequestWithBody, dtasks.NewBatchCreateRequestWithBody, dtasks.NewBatchUpdateRequestWithBody,
		dtasks.NewBatchUpsertRequestWithBody, dtasks.NewBatchArchiveRequestWithBody, dtasks.NewBatchReadRequestWithBody, dtasks.NewUpdateRequestWithBody,
		dtasks.NewArchiveRequest, dtasks.NewAssociateRequestWithBody, dtasks.NewDissociateRequest),
	notes: datedAPI("notes",
		func(s string, q listQuery) (*http.Request, error) {
			p := dnotes.ListParams(datedList(q))
			return dnotes.NewListRequest(s, &p)
		},
		func(s, id string, q getQuery) (*http.Request, error) {
			p := dnotes.GetParams(datedGet(q))
			return dnotes.NewGetRequest(s, id, &p)
		},
		dnotes.NewCreateRequestWithBody, dnotes.NewSearchRequestWithBody, dnotes.NewBatchCreateRequestWithBody, dnotes.NewBatchUpdateRequestWithBody,
		dnotes.NewBatchUpsertRequestWithBody, dnotes.NewBatchArchiveRequestWithBody, dnotes.NewBatchReadRequestWithBody, dnotes.NewUpdateRequestWithBody,
		dnotes.NewArchiveRequest, dnotes.NewAssociateRequestWithBody, dnotes.NewDissociateRequest),
	calls: datedAPI("calls",
		func(s string, q listQuery) (*http.Request, error) {
			p := dcalls.ListParams(datedList(q))
			return dcalls.NewListRequest(s, &p)
		},
		func(s, id string, q getQuery) (*http.Request, error) {
			p := dcalls.GetParams(datedGet(q))
			return dcalls.NewGetRequest(s, id, &p)
		},
		dcalls.NewCreateRequestWithBody, dcalls.NewSearchRequestWithBody, dcalls.NewBatchCreateRequestWithBody, dcalls.NewBatchUpdateRequestWithBody,
		dcalls.NewBatchUpsertRequestWithBody, dcalls.NewBatchArchiveRequestWithBody, dcalls.NewBatchReadRequestWithBody, dcalls.NewUpdateRequestWithBody,
		dcalls.NewArchiveRequest, dcalls.NewAssociateRequestWithBody, dcalls.NewDissociateRequest),
	meetings: datedAPI("meetings",
		func(s string, q listQuery) (*http.Request, error) {
			p := dmeetings.ListParams(datedList(q))
			return dmeetings.NewListRequest(s, &p)
		},
		func(s, id string, q getQuery) (*http.Request, error) {
			p := dmeetings.GetParams(datedGet(q))
			return dmeetings.NewGetRequest(s, id, &p)
		},
		dmeetings.NewCreateRequestWithBody, dmeetings.NewSearchRequestWithBody, dmeetings.NewBatchCreateRequestWithBody, dmeetings.NewBatchUpdateRequestWithBody,
		dmeetings.NewBatchUpsertRequestWithBody, dmeetings.NewBatchArchiveRequestWithBody, dmeetings.NewBatchReadRequestWithBody, dmeetings.NewUpdateRequestWithBody,
		dmeetings.NewArchiveRequest, dmeetings.NewAssociateRequestWithBody, dmeetings.NewDissociateRequest),
}
