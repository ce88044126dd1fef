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

func datedEmails() objectAPI {
	return objectAPI{
		name: "emails", version: API2026_03, body: datedBodies,
		list: func(server string, q listQuery) (*http.Request, error) {
			p := demails.ListParams(datedList(q))
			return demails.NewListRequest(server, &p)
		},
		get: func(server, id string, q getQuery) (*http.Request, error) {
			p := demails.GetParams(datedGet(q))
			return demails.NewGetRequest(server, id, &p)
		},
		create: demails.NewCreateRequestWithBody, search: demails.NewSearchRequestWithBody,
		batchRead: func(server, contentType string, body io.Reader) (*http.Request, error) {
			return demails.NewBatchReadRequestWithBody(server, &demails.BatchReadParams{}, contentType, body)
		},
		batchCreate: demails.NewBatchCreateRequestWithBody, batchUpdate: demails.NewBatchUpdateRequestWithBody,
		batchUpsert: demails.NewBatchUpsertRequestWithBody, batchArchive: demails.NewBatchArchiveRequestWithBody,
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return demails.NewUpdateRequestWithBody(server, id, &demails.UpdateParams{}, contentType, body)
		},
		archive: demails.NewArchiveRequest,
		assocPut: func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error) {
			return demails.NewAssociateRequestWithBody(server, "emails", id, toType, toID, contentType, body)
		},
		assocDel: func(server, id, toType, toID string) (*http.Request, error) {
			return demails.NewDissociateRequest(server, "emails", id, toType, toID)
		},
	}
}

func datedTasks() objectAPI {
	return objectAPI{
		name: "tasks", version: API2026_03, body: datedBodies,
		list: func(server string, q listQuery) (*http.Request, error) {
			p := dtasks.ListParams(datedList(q))
			return dtasks.NewListRequest(server, &p)
		},
		get: func(server, id string, q getQuery) (*http.Request, error) {
			p := dtasks.GetParams(datedGet(q))
			return dtasks.NewGetRequest(server, id, &p)
		},
		create: dtasks.NewCreateRequestWithBody, search: dtasks.NewSearchRequestWithBody,
		batchRead: func(server, contentType string, body io.Reader) (*http.Request, error) {
			return dtasks.NewBatchReadRequestWithBody(server, &dtasks.BatchReadParams{}, contentType, body)
		},
		batchCreate: dtasks.NewBatchCreateRequestWithBody, batchUpdate: dtasks.NewBatchUpdateRequestWithBody,
		batchUpsert: dtasks.NewBatchUpsertRequestWithBody, batchArchive: dtasks.NewBatchArchiveRequestWithBody,
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return dtasks.NewUpdateRequestWithBody(server, id, &dtasks.UpdateParams{}, contentType, body)
		},
		archive: dtasks.NewArchiveRequest,
		assocPut: func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error) {
			return dtasks.NewAssociateRequestWithBody(server, "tasks", id, toType, toID, contentType, body)
		},
		assocDel: func(server, id, toType, toID string) (*http.Request, error) {
			return dtasks.NewDissociateRequest(server, "tasks", id, toType, toID)
		},
	}
}

func datedNotes() objectAPI {
	return objectAPI{
		name: "notes", version: API2026_03, body: datedBodies,
		list: func(server string, q listQuery) (*http.Request, error) {
			p := dnotes.ListParams(datedList(q))
			return dnotes.NewListRequest(server, &p)
		},
		get: func(server, id string, q getQuery) (*http.Request, error) {
			p := dnotes.GetParams(datedGet(q))
			return dnotes.NewGetRequest(server, id, &p)
		},
		create: dnotes.NewCreateRequestWithBody, search: dnotes.NewSearchRequestWithBody,
		batchRead: func(server, contentType string, body io.Reader) (*http.Request, error) {
			return dnotes.NewBatchReadRequestWithBody(server, &dnotes.BatchReadParams{}, contentType, body)
		},
		batchCreate: dnotes.NewBatchCreateRequestWithBody, batchUpdate: dnotes.NewBatchUpdateRequestWithBody,
		batchUpsert: dnotes.NewBatchUpsertRequestWithBody, batchArchive: dnotes.NewBatchArchiveRequestWithBody,
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return dnotes.NewUpdateRequestWithBody(server, id, &dnotes.UpdateParams{}, contentType, body)
		},
		archive: dnotes.NewArchiveRequest,
		assocPut: func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error) {
			return dnotes.NewAssociateRequestWithBody(server, "notes", id, toType, toID, contentType, body)
		},
		assocDel: func(server, id, toType, toID string) (*http.Request, error) {
			return dnotes.NewDissociateRequest(server, "notes", id, toType, toID)
		},
	}
}

func datedCalls() objectAPI {
	return objectAPI{
		name: "calls", version: API2026_03, body: datedBodies,
		list: func(server string, q listQuery) (*http.Request, error) {
			p := dcalls.ListParams(datedList(q))
			return dcalls.NewListRequest(server, &p)
		},
		get: func(server, id string, q getQuery) (*http.Request, error) {
			p := dcalls.GetParams(datedGet(q))
			return dcalls.NewGetRequest(server, id, &p)
		},
		create: dcalls.NewCreateRequestWithBody, search: dcalls.NewSearchRequestWithBody,
		batchRead: func(server, contentType string, body io.Reader) (*http.Request, error) {
			return dcalls.NewBatchReadRequestWithBody(server, &dcalls.BatchReadParams{}, contentType, body)
		},
		batchCreate: dcalls.NewBatchCreateRequestWithBody, batchUpdate: dcalls.NewBatchUpdateRequestWithBody,
		batchUpsert: dcalls.NewBatchUpsertRequestWithBody, batchArchive: dcalls.NewBatchArchiveRequestWithBody,
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return dcalls.NewUpdateRequestWithBody(server, id, &dcalls.UpdateParams{}, contentType, body)
		},
		archive: dcalls.NewArchiveRequest,
		assocPut: func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error) {
			return dcalls.NewAssociateRequestWithBody(server, "calls", id, toType, toID, contentType, body)
		},
		assocDel: func(server, id, toType, toID string) (*http.Request, error) {
			return dcalls.NewDissociateRequest(server, "calls", id, toType, toID)
		},
	}
}

func datedMeetings() objectAPI {
	return objectAPI{
		name: "meetings", version: API2026_03, body: datedBodies,
		list: func(server string, q listQuery) (*http.Request, error) {
			p := dmeetings.ListParams(datedList(q))
			return dmeetings.NewListRequest(server, &p)
		},
		get: func(server, id string, q getQuery) (*http.Request, error) {
			p := dmeetings.GetParams(datedGet(q))
			return dmeetings.NewGetRequest(server, id, &p)
		},
		create: dmeetings.NewCreateRequestWithBody, search: dmeetings.NewSearchRequestWithBody,
		batchRead: func(server, contentType string, body io.Reader) (*http.Request, error) {
			return dmeetings.NewBatchReadRequestWithBody(server, &dmeetings.BatchReadParams{}, contentType, body)
		},
		batchCreate: dmeetings.NewBatchCreateRequestWithBody, batchUpdate: dmeetings.NewBatchUpdateRequestWithBody,
		batchUpsert: dmeetings.NewBatchUpsertRequestWithBody, batchArchive: dmeetings.NewBatchArchiveRequestWithBody,
		update: func(server, id, contentType string, body io.Reader) (*http.Request, error) {
			return dmeetings.NewUpdateRequestWithBody(server, id, &dmeetings.UpdateParams{}, contentType, body)
		},
		archive: dmeetings.NewArchiveRequest,
		assocPut: func(server, id, toType, toID, contentType string, body io.Reader) (*http.Request, error) {
			return dmeetings.NewAssociateRequestWithBody(server, "meetings", id, toType, toID, contentType, body)
		},
		assocDel: func(server, id, toType, toID string) (*http.Request, error) {
			return dmeetings.NewDissociateRequest(server, "meetings", id, toType, toID)
		},
	}
}

var datedAPIs = objectAPIs{emails: datedEmails(), tasks: datedTasks(), notes: datedNotes(), calls: datedCalls(), meetings: datedMeetings()}
