package hubspottest_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// The 2026-03 object APIs of the five types, every answer checked against
// its document by the test client.

// datedBatch is a 2026-03 batch answer as a test reads it.
type datedBatch struct {
	Status    string        `json:"status"`
	Results   []datedRecord `json:"results"`
	NumErrors int           `json:"numErrors"`
	Errors    []struct {
		Category string
		Context  map[string][]string
	} `json:"errors"`
}

// datedPage is a 2026-03 listing or search answer.
type datedPage struct {
	Total   *int          `json:"total"`
	Results []datedRecord `json:"results"`
	Paging  *struct {
		Next struct{ After, Link string } `json:"next"`
	} `json:"paging"`
}

// bodyProperty is a text property of each object type.
var bodyProperty = map[string]string{"notes": "hs_note_body", "calls": "hs_call_body", "meetings": "hs_meeting_body", "tasks": "hs_task_body", "emails": "hs_email_text",
	"communications": "hs_communication_body", "postal_mail": "hs_postal_mail_body"}

func TestDatedCRUDAndBatches(t *testing.T) {
	for _, typ := range hubspottest.ObjectTypes() {
		t.Run(typ, func(t *testing.T) {
			srv, c := start(t, hubspottest.WithProperty(typ, hubspottest.Property{Name: "ext_id", Unique: true}))
			base, body := datedBase+typ, bodyProperty[typ]
			var rec datedRecord
			c.call("POST", base, map[string]any{"properties": map[string]any{body: "first", "ext_id": "a"}}, 201, &rec)
			if *rec.Properties[body] != "first" || *rec.Properties["hs_object_id"] != rec.ID || rec.Associations != nil {
				t.Errorf("created %+v", rec)
			}
			var read datedRecord
			c.call("GET", base+"/"+rec.ID+"?properties="+body+"&properties=ext_id,never", nil, 200, &read)
			if len(read.Properties) != 6 || *read.Properties["ext_id"] != "a" || read.Properties["never"] != nil {
				t.Errorf("read %v", read.Properties)
			}
			c.call("PATCH", base+"/a?idProperty=ext_id", map[string]any{"properties": map[string]any{body: "second"}}, 200, nil)
			var byKey datedRecord
			c.call("GET", base+"/a?idProperty=ext_id&properties="+body, nil, 200, &byKey)
			if byKey.ID != rec.ID || *byKey.Properties[body] != "second" {
				t.Errorf("updated by ext_id: %+v", byKey)
			}
			if e := c.fail("PATCH", base+"/x?idProperty="+body, map[string]any{"properties": map[string]any{}}, 400); !strings.Contains(e.Message, "non-unique") {
				t.Errorf("update by a property without unique values: %+v", e)
			}

			var batch datedBatch
			c.call("POST", base+"/batch/create", map[string]any{"inputs": []any{
				map[string]any{"properties": map[string]any{body: "b1"}},
				map[string]any{"properties": map[string]any{body: "b2", "ext_id": "b"}},
			}}, 201, &batch)
			if batch.Status != "COMPLETE" || len(batch.Results) != 2 {
				t.Fatalf("batch create %+v", batch)
			}
			ids := []string{rec.ID, batch.Results[0].ID, batch.Results[1].ID}
			c.call("POST", base+"/batch/read", map[string]any{"inputs": []any{map[string]any{"id": ids[1]}, map[string]any{"id": "1"}}, "properties": []string{body}}, 207, &batch)
			if len(batch.Results) != 1 || batch.NumErrors != 1 || batch.Errors[0].Category != "OBJECT_NOT_FOUND" || !slices.Equal(batch.Errors[0].Context["ids"], []string{"1"}) {
				t.Errorf("batch read with a missing id %+v", batch)
			}
			c.call("POST", base+"/batch/update", map[string]any{"inputs": []any{
				map[string]any{"id": ids[1], "properties": map[string]any{body: "u1"}},
				map[string]any{"id": "b", "idProperty": "ext_id", "properties": map[string]any{body: "u2"}},
			}}, 200, &batch)
			if len(batch.Results) != 2 || *batch.Results[1].Properties[body] != "u2" {
				t.Errorf("batch update %+v", batch)
			}

			var page datedPage
			c.call("GET", base+"?limit=2&properties="+body, nil, 200, &page)
			if len(page.Results) != 2 || page.Paging == nil || page.Total != nil {
				t.Fatalf("first page %+v", page)
			}
			var last datedPage
			c.call("GET", base+"?limit=2&after="+page.Paging.Next.After, nil, 200, &last)
			if len(last.Results) != 1 || last.Results[0].ID != ids[2] || last.Paging != nil {
				t.Errorf("last page %+v", last)
			}
			page = datedPage{}
			c.call("POST", base+"/search", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{
				map[string]any{"propertyName": body, "operator": "IN", "values": []string{"u1", "u2"}}}}},
				"sorts": []any{map[string]any{"propertyName": body, "direction": "DESCENDING"}}, "properties": []string{body}, "limit": 1}, 200, &page)
			if *page.Total != 2 || len(page.Results) != 1 || page.Results[0].ID != ids[2] || page.Paging.Next.After != "1" {
				t.Errorf("search %+v", page)
			}

			c.call("DELETE", base+"/"+ids[0], nil, 204, nil)
			c.call("POST", base+"/batch/archive", map[string]any{"inputs": []any{map[string]any{"id": ids[1]}, map[string]any{"id": "1"}}}, 204, nil)
			var archived datedPage
			c.call("GET", base+"?archived=true", nil, 200, &archived)
			if len(archived.Results) != 2 || !archived.Results[0].Archived {
				t.Errorf("archived %+v", archived)
			}
			var read2 datedBatch
			c.call("POST", base+"/batch/read?archived=true", map[string]any{"inputs": []any{map[string]any{"id": ids[0]}}}, 200, &read2)
			if len(read2.Results) != 1 || !read2.Results[0].Archived {
				t.Errorf("archived batch read %+v", read2)
			}
			if n := len(srv.Objects(typ)); n != 3 {
				t.Errorf("%d records stored", n)
			}
		})
	}
}

// TestBatchUpsertOnEveryAPI: every object API upserts by a unique
// property, says which records it made (new), and refuses a property
// without unique values as the key, in HubSpot's words.
func TestBatchUpsertOnEveryAPI(t *testing.T) {
	for _, tc := range []struct{ typ, path string }{
		{"tasks", "/crm/v3/objects/tasks"}, {"emails", "/crm/v3/objects/emails"}, {"notes", "/crm/v3/objects/notes"},
		{"meetings", "/crm/v3/objects/0-47"}, {"calls", datedBase + "calls"}, {"tasks", datedBase + "tasks"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			srv, c := start(t, hubspottest.WithProperty(tc.typ, hubspottest.Property{Name: "ext_id", Unique: true}))
			body := bodyProperty[tc.typ]
			upsert := func(text string, keys ...string) datedBatch {
				var in []any
				for _, k := range keys {
					in = append(in, map[string]any{"id": k, "idProperty": "ext_id", "properties": map[string]any{body: text}})
				}
				var b datedBatch
				c.call("POST", tc.path+"/batch/upsert", map[string]any{"inputs": in}, 200, &b)
				return b
			}
			first := upsert("one", "k1", "k2")
			second := upsert("two", "k2", "k3")
			if len(first.Results) != 2 || len(second.Results) != 2 || second.Results[0].ID != first.Results[1].ID ||
				*second.Results[0].Properties[body] != "two" || *second.Results[1].Properties["ext_id"] != "k3" {
				t.Errorf("upserts %+v then %+v", first, second)
			}
			var raw struct {
				Results []struct {
					New bool `json:"new"`
				} `json:"results"`
			}
			c.call("POST", tc.path+"/batch/upsert", map[string]any{"inputs": []any{
				map[string]any{"id": "k3", "idProperty": "ext_id", "properties": map[string]any{}},
				map[string]any{"id": "k4", "idProperty": "ext_id", "properties": map[string]any{}},
			}}, 200, &raw)
			if len(raw.Results) != 2 || raw.Results[0].New || !raw.Results[1].New {
				t.Errorf("new flags %+v", raw.Results)
			}
			if n := len(srv.Objects(tc.typ)); n != 4 {
				t.Errorf("%d records, want 4", n)
			}
			want := fmt.Sprintf("Unable to perform update/upsert by non-unique %s property %%s in portal ID 62515", map[string]string{"tasks": "0-27", "emails": "0-49", "notes": "0-46", "meetings": "0-47", "calls": "0-48"}[tc.typ])
			for _, key := range []string{"hs_object_id", body} {
				e := c.fail("POST", tc.path+"/batch/upsert", map[string]any{"inputs": []any{map[string]any{"id": "1", "idProperty": key, "properties": map[string]any{}}}}, 400)
				if e.Message != fmt.Sprintf(want, key) || e.Category != "VALIDATION_ERROR" {
					t.Errorf("idProperty %s: %+v", key, e)
				}
			}
			if e := c.fail("POST", tc.path+"/batch/upsert", map[string]any{"inputs": []any{
				map[string]any{"id": "k9", "idProperty": "ext_id", "properties": map[string]any{}},
				map[string]any{"id": "k9", "idProperty": "ext_id", "properties": map[string]any{}},
			}}, 400); !strings.Contains(e.Message, "Duplicate value") {
				t.Errorf("one record twice: %+v", e)
			}
		})
	}
}

// assocBody is the associations of a create body: one record of each id,
// with the given association type ids.
func assocBody(category string, typeID int32, ids ...string) []any {
	var out []any
	for _, id := range ids {
		out = append(out, map[string]any{"to": map[string]any{"id": id},
			"types": []any{map[string]any{"associationCategory": category, "associationTypeId": typeID}}})
	}
	return out
}

// TestCreateWithAssociations: the associations of a create body (v3 and
// 2026-03, one record and batches) are made, visible on every wire; an
// association type that is not HubSpot's default from the object type is
// refused as HubSpot refuses it, and nothing is stored.
func TestCreateWithAssociations(t *testing.T) {
	for _, tc := range []struct{ typ, path string }{
		{"tasks", "/crm/v3/objects/tasks"}, {"emails", "/crm/v3/objects/emails"}, {"notes", "/crm/v3/objects/notes"},
		{"calls", datedBase + "calls"}, {"meetings", datedBase + "meetings"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			srv, c := start(t)
			toContact, _ := v1map.DefaultAssociation(tc.typ, v1map.Contacts)
			toDeal, _ := v1map.DefaultAssociation(tc.typ, v1map.Deals)
			var rec datedRecord
			c.call("POST", tc.path, map[string]any{"properties": map[string]any{},
				"associations": append(assocBody("HUBSPOT_DEFINED", toContact.TypeID, "5001", "5002"), assocBody("HUBSPOT_DEFINED", toDeal.TypeID, "7001")...)}, 201, &rec)
			var batch datedBatch
			c.call("POST", tc.path+"/batch/create", map[string]any{"inputs": []any{
				map[string]any{"properties": map[string]any{}, "associations": assocBody("HUBSPOT_DEFINED", toContact.TypeID, "5003")},
				map[string]any{"properties": map[string]any{}},
			}}, 201, &batch)
			var v1 v1Doc
			c.call("GET", "/engagements/v1/engagements/"+rec.ID, nil, 200, &v1)
			if !slices.Equal(v1.ids("contactIds"), []int64{5001, 5002}) || !slices.Equal(v1.ids("dealIds"), []int64{7001}) {
				t.Errorf("v1 associations %v", v1.Associations)
			}
			var got datedRecord
			c.call("GET", datedBase+tc.typ+"/"+batch.Results[0].ID+"?associations=contacts&associations=deals", nil, 200, &got)
			if !slices.Equal(got.assocIDs("contacts"), []string{"5003"}) || got.Associations["deals"].Results != nil ||
				got.Associations["contacts"].Results[0].Type != toContact.Name {
				t.Errorf("batch-created associations %+v", got.Associations)
			}

			before := len(srv.Objects(tc.typ))
			otherType := toContact.TypeID + 1000
			for _, bad := range []struct {
				name string
				body []any
				want string
			}{
				{"unknown type id", assocBody("HUBSPOT_DEFINED", otherType, "5001"), "HUBSPOT_DEFINED " + strconv.Itoa(int(otherType)) + " is not a valid association type from " + tc.typ},
				{"another object's type", assocBody("HUBSPOT_DEFINED", 1, "5001"), "HUBSPOT_DEFINED 1 is not a valid association type from " + tc.typ},
				{"user-defined label", assocBody("USER_DEFINED", toContact.TypeID, "5001"), "USER_DEFINED " + strconv.Itoa(int(toContact.TypeID)) + " is not a valid association type"},
			} {
				for _, batch := range []bool{false, true} {
					path, body := tc.path, map[string]any{"properties": map[string]any{}, "associations": bad.body}
					if batch {
						path, body = tc.path+"/batch/create", map[string]any{"inputs": []any{map[string]any{"properties": map[string]any{}}, body}}
					}
					e := c.fail("POST", path, body, 400)
					if !strings.HasPrefix(e.Message, bad.want) || e.SubCategory != "crm.associations.INVALID_ASSOCIATION_TYPE" {
						t.Errorf("%s (batch %v): %+v", bad.name, batch, e)
					}
				}
			}
			for _, id := range []string{"abc", "-1"} {
				if e := c.fail("POST", tc.path, map[string]any{"properties": map[string]any{}, "associations": assocBody("HUBSPOT_DEFINED", toContact.TypeID, id)}, 400); !strings.Contains(e.Message, "to.id") {
					t.Errorf("to.id %q: %+v", id, e)
				}
			}
			e := c.fail("POST", tc.path, map[string]any{"properties": map[string]any{}, "associations": []any{map[string]any{"to": map[string]any{"id": "5001"}, "types": []any{}}}}, 400)
			if !strings.Contains(e.Message, "at least one association type") {
				t.Errorf("no types: %+v", e)
			}
			if n := len(srv.Objects(tc.typ)); n != before {
				t.Errorf("refused creates stored %d records", n-before)
			}
		})
	}
}

// TestDatedAssociations: the 2026-03 association routes, which the five
// documents share: PUT with the types in the body (either record first),
// PUT of the default type, DELETE of every association between two
// records, and reads with repeated associations parameters.
func TestDatedAssociations(t *testing.T) {
	srv, c := start(t)
	id := strconv.FormatInt(srv.SeedEngagements("NOTE", 1)[0], 10)
	base := datedBase + "notes/" + id + "/associations/"
	toContact, _ := v1map.DefaultAssociation("notes", "contacts")
	var labels struct {
		FromObjectTypeID, FromObjectID, ToObjectTypeID, ToObjectID string
		Labels                                                     []string
	}
	c.call("PUT", base+"contacts/5101", []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": toContact.TypeID}}, 201, &labels)
	if labels.FromObjectTypeID != "0-46" || labels.FromObjectID != id || labels.ToObjectTypeID != "0-1" || labels.ToObjectID != "5101" || labels.Labels == nil {
		t.Errorf("labels %+v", labels)
	}
	// From the contact's side, with the reverse type.
	c.call("PUT", datedBase+"contacts/5102/associations/notes/"+id, []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": toContact.ReverseTypeID}}, 201, &labels)
	if labels.FromObjectTypeID != "0-1" || labels.FromObjectID != "5102" || labels.ToObjectID != id {
		t.Errorf("reverse labels %+v", labels)
	}
	var def struct {
		Status  string
		Results []struct {
			From, To        struct{ ID string }
			AssociationSpec struct {
				AssociationCategory string
				AssociationTypeID   int32
			}
		}
	}
	c.call("PUT", datedBase+"notes/"+id+"/associations/default/deals/7101", nil, 200, &def)
	toDeal, _ := v1map.DefaultAssociation("notes", "deals")
	if def.Status != "COMPLETE" || len(def.Results) != 2 || def.Results[0].From.ID != id || def.Results[0].To.ID != "7101" ||
		def.Results[0].AssociationSpec.AssociationTypeID != toDeal.TypeID || def.Results[1].AssociationSpec.AssociationTypeID != toDeal.ReverseTypeID {
		t.Errorf("default %+v", def)
	}
	var rec datedRecord
	c.call("GET", datedBase+"notes/"+id+"?associations=contacts&associations=deals", nil, 200, &rec)
	contacts := rec.assocIDs("contacts")
	if len(contacts) != 3 || !slices.Contains(contacts, "5101") || !slices.Contains(contacts, "5102") || !slices.Equal(rec.assocIDs("deals"), []string{"7101"}) {
		t.Errorf("associations %+v", rec.Associations)
	}
	var v1 v1Doc
	c.call("GET", "/engagements/v1/engagements/"+id, nil, 200, &v1)
	if ids := v1.ids("contactIds"); len(ids) != 3 || !slices.Contains(ids, 5102) || !slices.Equal(v1.ids("dealIds"), []int64{7101}) {
		t.Errorf("v1 associations %v", v1.Associations)
	}
	c.call("DELETE", base+"contacts/5101", nil, 204, nil)
	c.call("DELETE", datedBase+"deals/7101/associations/notes/"+id, nil, 204, nil)
	var after datedRecord
	c.call("GET", datedBase+"notes/"+id+"?associations=contacts,deals", nil, 200, &after)
	if slices.Contains(after.assocIDs("contacts"), "5101") || len(after.assocIDs("contacts")) != 2 || after.Associations["deals"].Results != nil {
		t.Errorf("after delete %+v", after.Associations)
	}

	for _, bad := range []struct {
		method, path string
		body         any
		status       int
		want         string
	}{
		{"PUT", base + "contacts/5101", []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": toDeal.TypeID}}, 400, "is not a valid association type between notes and contacts"},
		{"PUT", base + "contacts/5101", []any{}, 400, "at least one association type"},
		{"PUT", base + "widgets/1", []any{}, 400, "Unable to infer object type from: widgets"},
		{"PUT", base + "line_items/1", []any{}, 400, "default is not a valid association type between notes and line_items"},
		{"PUT", base + "contacts/abc", []any{}, 400, "is not a record id"},
		{"DELETE", datedBase + "notes/1/associations/contacts/5101", nil, 404, "Object not found"},
		{"PUT", datedBase + "contacts/1/associations/default/companies/2", nil, 400, "default is not a valid association type between contacts and companies"},
	} {
		if e := c.fail(bad.method, bad.path, bad.body, bad.status); !strings.Contains(e.Message, bad.want) {
			t.Errorf("%s %s: %+v", bad.method, bad.path, e)
		}
	}
}

// TestSearchByAssociation: HubSpot's associations.{type} pseudo-property,
// which the facade's 2026-03 v1 timeline searches on, finds records by the
// ids they are associated with, whichever wire associated them.
func TestSearchByAssociation(t *testing.T) {
	srv, c := start(t)
	v1IDs := srv.SeedEngagements("CALL", 30) // contacts 5001..5005, companies 6001..6003
	var with5003 []string
	for _, id := range v1IDs {
		e, _ := srv.Engagement(id)
		if slices.Contains(e.Associations["contactIds"], 5003) {
			with5003 = append(with5003, strconv.FormatInt(id, 10))
		}
	}
	toContact, _ := v1map.DefaultAssociation("calls", "contacts")
	var rec datedRecord
	c.call("POST", datedBase+"calls", map[string]any{"properties": map[string]any{}, "associations": assocBody("HUBSPOT_DEFINED", toContact.TypeID, "5003", "9999")}, 201, &rec)
	with5003 = append(with5003, rec.ID)
	search := func(filters ...map[string]any) []string {
		var page datedPage
		c.call("POST", datedBase+"calls/search", map[string]any{"limit": 100, "filterGroups": []any{map[string]any{"filters": filters}}}, 200, &page)
		var ids []string
		for _, r := range page.Results {
			ids = append(ids, r.ID)
		}
		return ids
	}
	if got := search(map[string]any{"propertyName": "associations.contact", "operator": "EQ", "value": "5003"}); !slices.Equal(got, with5003) {
		t.Errorf("EQ 5003: %v, want %v", got, with5003)
	}
	if got := search(map[string]any{"propertyName": "associations.contact", "operator": "IN", "values": []string{"9999", "5003"}}); !slices.Equal(got, with5003) {
		t.Errorf("IN: %v", got)
	}
	if got := search(map[string]any{"propertyName": "associations.contact", "operator": "NEQ", "value": "5003"}); len(got) != 31-len(with5003) || slices.Contains(got, rec.ID) {
		t.Errorf("NEQ: %d", len(got))
	}
	if got := search(map[string]any{"propertyName": "associations.company", "operator": "HAS_PROPERTY"}, map[string]any{"propertyName": "associations.0-1", "operator": "EQ", "value": "5003"}); len(got) != len(with5003)-1 {
		t.Errorf("companies and contact 5003: %d", len(got))
	}
	// The v1 timeline of the contact has the record made on 2026-03.
	var p v1Page
	c.call("GET", "/engagements/v1/engagements/associated/CONTACT/5003/paged?limit=100", nil, 200, &p)
	if n := len(p.Results); n != len(with5003) || strconv.FormatInt(p.Results[n-1].Engagement.ID, 10) != rec.ID {
		t.Errorf("v1 timeline of 5003: %d records", n)
	}
}

// TestObjectTypesInPaths: the generic objects API takes an object type by
// name or id, and answers HubSpot's 400 to one it cannot read; so do the
// associations parameters.
func TestObjectTypesInPaths(t *testing.T) {
	srv, c := start(t)
	id := strconv.FormatInt(srv.SeedEngagements("MEETING", 1)[0], 10)
	var rec datedRecord
	c.call("GET", "/crm/v3/objects/0-47/"+id+"?properties=hs_meeting_title", nil, 200, &rec)
	if rec.ID != id || rec.Properties["hs_meeting_title"] == nil {
		t.Errorf("by type id %+v", rec)
	}
	for _, tc := range []struct{ method, path, want string }{
		{"GET", "/crm/v3/objects/bogus", "Unable to infer object type from: bogus"},
		{"GET", "/crm/v3/objects/widgets/" + id, "Unable to infer object type from: widgets"},
		{"DELETE", "/crm/v3/objects/bogus/" + id, "Unable to infer object type from: bogus"},
		{"GET", "/crm/v3/objects/meetings/" + id + "?associations=false", "Unable to infer object type from: false"},
		{"GET", "/crm/v3/objects/tasks?associations=contacts,false", "Unable to infer object type from: false"},
		{"GET", datedBase + "meetings/" + id + "?associations=contacts&associations=false", "Unable to infer object type from: false"},
		{"GET", datedBase + "meetings?associations=false", "Unable to infer object type from: false"},
		{"GET", "/crm/v3/objects/contacts", "keeps no contacts"},
	} {
		if e := c.fail(tc.method, tc.path, nil, 400); !strings.Contains(e.Message, tc.want) || e.Category != "VALIDATION_ERROR" {
			t.Errorf("%s %s: %+v", tc.method, tc.path, e)
		}
	}
	c.call("GET", datedBase+"meetings/"+id+"?associations=line_items&associations=2-123", nil, 200, nil)
}
