package main

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/engagekit/hubspot-engagements/facade"
)

// engagementsObject is the --object value of the v1 engagements API (on
// the 2026-03 wire, its records read from and created on the object APIs).
const engagementsObject = "engagements"

// objectNames are the --object values export and import take: the v1
// engagements, then the CRM object types, all handled by one generic path
// (crmObject).
var objectNames = []string{engagementsObject, "emails", "tasks", "notes", "calls", "meetings", "communications", "postal_mail"}

// objectChoices is objectNames as prose: "engagements, emails, …,
// communications or postal_mail".
func objectChoices() string { return orList(objectNames) }

func checkObject(object string) error {
	for _, o := range objectNames {
		if object == o {
			return nil
		}
	}
	if object == "" {
		return usagef("--object is required: %s", objectChoices())
	}
	return usagef("unknown --object %q: use %s", object, objectChoices())
}

// record is what export and import need of a CRM record, whatever its type.
type record interface {
	ID() string
	JSON() json.RawMessage
}

// crmObject is what export and import do with one CRM object type. One
// generic implementation (objectOf) serves emails, tasks, notes, calls and
// meetings on both wires: the facade's ObjectService is the same for each.
type crmObject struct {
	// list is every record (the object's listing).
	list func(ctx context.Context, p facade.ListParams) listing
	// search is the records a search finds.
	search func(ctx context.Context, p facade.SearchParams) listing
	// create creates props in one batch (by unique when it is not ""),
	// giving the id created for each input ("" when it failed) and the
	// failures; ids is nil when the call returned no result.
	create func(ctx context.Context, unique string, props []facade.Properties) (ids []string, failures []facade.BatchFailure, err error)
	// lookUp reads records by the values of a unique property: ids[i] is
	// the record whose property is keys[i], "" when there is none or the
	// read failed; absent[i] says HubSpot answered that there is none.
	lookUp func(ctx context.Context, prop string, keys []string) (ids []string, absent []bool, err error)
}

// crmObjects are the object types of c, by --object value (the facade's
// object type names).
func crmObjects(c *facade.Client) map[string]crmObject {
	m := map[string]crmObject{}
	add := func(t facade.ObjectType, o crmObject) { m[string(t)] = o }
	add(c.Emails.ObjectType(), objectOf(c.Emails))
	add(c.Tasks.ObjectType(), objectOf(c.Tasks))
	add(c.Notes.ObjectType(), objectOf(c.Notes))
	add(c.Calls.ObjectType(), objectOf(c.Calls))
	add(c.Meetings.ObjectType(), objectOf(c.Meetings))
	add(c.Communications.ObjectType(), objectOf(c.Communications))
	add(c.PostalMail.ObjectType(), objectOf(c.PostalMail))
	return m
}

// objectOf is the crmObject of svc.
func objectOf[T record](svc *facade.ObjectService[T]) crmObject {
	return crmObject{
		list: func(ctx context.Context, p facade.ListParams) listing {
			return pagerListing(svc.List(ctx, p))
		},
		search: func(ctx context.Context, p facade.SearchParams) listing {
			return pagerListing(svc.Search(ctx, p))
		},
		create: func(ctx context.Context, unique string, props []facade.Properties) ([]string, []facade.BatchFailure, error) {
			return batchCreate(ctx, svc, unique, props)
		},
		lookUp: func(ctx context.Context, prop string, keys []string) ([]string, []bool, error) {
			return lookUp(ctx, svc, prop, keys)
		},
	}
}

// batchCreate creates props with svc (see crmObject.create).
func batchCreate[T record](ctx context.Context, svc *facade.ObjectService[T], unique string, props []facade.Properties) ([]string, []facade.BatchFailure, error) {
	in := make([]facade.CreateInput, len(props))
	for i, p := range props {
		in[i].Properties = p
	}
	res, err := svc.BatchCreate(ctx, in, facade.BatchCreateParams{UniqueProperty: unique})
	if res == nil {
		return nil, nil, err
	}
	ids := make([]string, len(res.Records))
	for i, r := range res.Records {
		ids[i] = r.ID()
	}
	return ids, res.Failures, nil
}

// lookUp reads records of svc by the values of a unique property (see
// crmObject.lookUp).
func lookUp[T record](ctx context.Context, svc *facade.ObjectService[T], prop string, keys []string) (ids []string, absent []bool, err error) {
	res, err := svc.BatchRead(ctx, keys, facade.BatchReadParams{IDProperty: prop, Properties: []string{prop}})
	if res == nil {
		return nil, nil, err
	}
	ids, absent = make([]string, len(keys)), make([]bool, len(keys))
	for i, r := range res.Records {
		ids[i] = r.ID()
	}
	var other error
	for _, f := range res.Failures {
		ids[f.Index] = ""
		var api *facade.APIError
		if errors.As(f.Err, &api) && api.Category == "OBJECT_NOT_FOUND" {
			absent[f.Index] = true
		} else if other == nil {
			other = f.Err
		}
	}
	return ids, absent, other
}
