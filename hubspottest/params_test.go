package hubspottest_test

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// TestArrayParametersInEitherForm: properties, propertiesWithHistory and
// associations of list and get take the repeated form HubSpot's documents
// declare and its clients send (?properties=a&properties=b), one
// comma-separated value (?properties=a,b), and both mixed, on every wire:
// the v3 tasks and emails documents, the generic v3 objects document
// (notes) and 2026-03. HubSpot takes them all.
func TestArrayParametersInEitherForm(t *testing.T) {
	_, c := start(t)
	for _, o := range []struct {
		typ, a, b string
		assocType int
	}{
		{"tasks", "hs_task_subject", "hs_task_priority", 204},
		{"emails", "hs_email_subject", "hs_email_direction", 198},
		{"notes", "hs_note_body", "hs_timestamp", 202},
	} {
		var rec v3Record
		props := map[string]any{o.a: "first", "hs_timestamp": "2026-03-01T10:00:00Z"}
		if o.b != "hs_timestamp" {
			props[o.b] = map[string]string{"tasks": "HIGH", "emails": "EMAIL"}[o.typ]
		}
		c.call("POST", "/crm/v3/objects/"+o.typ, map[string]any{"properties": props, "associations": []any{map[string]any{
			"to": map[string]any{"id": "5001"}, "types": []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": o.assocType}}}}}, 201, &rec)
		c.call("PATCH", "/crm/v3/objects/"+o.typ+"/"+rec.ID, map[string]any{"properties": map[string]any{o.a: "second"}}, 200, nil)

		forms := []struct {
			name string
			q    url.Values
		}{
			{"repeated", url.Values{"properties": {o.a, o.b}, "propertiesWithHistory": {o.a, o.b}, "associations": {"contacts", "companies"}}},
			{"comma", url.Values{"properties": {o.a + "," + o.b}, "propertiesWithHistory": {o.a + "," + o.b}, "associations": {"contacts,companies"}}},
			{"mixed", url.Values{"properties": {o.a + "," + o.b, o.b}, "propertiesWithHistory": {o.a, o.b + ","}, "associations": {"contacts", "companies,contacts"}}},
		}
		for _, base := range []string{"/crm/v3/objects/" + o.typ, "/crm/objects/2026-03/" + o.typ} {
			for _, f := range forms {
				form, q := f.name, f.q
				for _, list := range []bool{false, true} {
					path, op := base+"/"+rec.ID+"?"+q.Encode(), "get"
					if list {
						path, op = base+"?limit=100&"+q.Encode(), "list"
					}
					t.Run(strings.TrimPrefix(base, "/crm/")+"/"+op+"/"+form, func(t *testing.T) {
						c := *c
						c.t = t
						var got v3Record
						if list {
							var page v3Page
							c.call("GET", path, nil, 200, &page)
							i := slices.IndexFunc(page.Results, func(r v3Record) bool { return r.ID == rec.ID })
							if i < 0 {
								t.Fatalf("%s (%s form): record %s not listed", path, form, rec.ID)
							}
							got = page.Results[i]
						} else {
							c.call("GET", path, nil, 200, &got)
						}
						if v := got.Properties[o.a]; v == nil || *v != "second" || got.Properties[o.b] == nil {
							t.Errorf("%s form: properties %v, want %s=second and %s", form, got.Properties, o.a, o.b)
						}
						if h := got.PropertiesWithHistory[o.a]; len(h) != 2 || len(got.PropertiesWithHistory[o.b]) != 1 {
							t.Errorf("%s form: propertiesWithHistory %v, want 2 values of %s and 1 of %s", form, got.PropertiesWithHistory, o.a, o.b)
						}
						if as := got.Associations["contacts"].Results; len(as) != 1 || as[0].ID != "5001" {
							t.Errorf("%s form: associations %+v, want contact 5001", form, got.Associations)
						}
					})
				}
			}
		}
	}
}

// TestSearchTakesASortAsAString: HubSpot's documents type a sort as a
// string, and its Node client sends what it is given there; HubSpot answers
// the search, ignoring a sort that is no {propertyName, direction} object.
func TestSearchTakesASortAsAString(t *testing.T) {
	srv, c := start(t)
	ids := srv.SeedTasks(3)
	for _, base := range []string{"/crm/v3/objects/tasks", "/crm/v3/objects/notes", "/crm/objects/2026-03/tasks"} {
		for _, sorts := range [][]any{
			{"hs_object_id"},
			{`{"propertyName":"hs_object_id","direction":"DESCENDING"}`, map[string]any{"propertyName": "hs_object_id", "direction": "DESCENDING"}},
		} {
			var page v3Page
			c.call("POST", base+"/search", map[string]any{"sorts": sorts, "limit": 10}, 200, &page)
			if base == "/crm/v3/objects/notes" {
				continue // no notes: answered is enough
			}
			got := make([]string, len(page.Results))
			for i, r := range page.Results {
				got[i] = r.ID
			}
			want := slices.Clone(ids)
			if len(sorts) == 2 { // the object sort holds
				slices.Reverse(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s with sorts %q: ids %v, want %v", base, sorts, got, want)
			}
		}
	}
}

// TestGetByUniqueProperty: get reads a record by the value of a unique
// property (idProperty) on v3 as on 2026-03, as HubSpot's documents say.
func TestGetByUniqueProperty(t *testing.T) {
	_, c := start(t, importKey, hubspottest.WithProperty("notes", hubspottest.Property{Name: "import_key", Unique: true}))
	for _, typ := range []string{"tasks", "notes"} {
		var rec v3Record
		c.call("POST", "/crm/v3/objects/"+typ, map[string]any{"properties": map[string]any{"import_key": "key-" + typ, "hs_timestamp": "2026-03-01T10:00:00Z"}}, 201, &rec)
		for _, base := range []string{"/crm/v3/objects/", "/crm/objects/2026-03/"} {
			var got v3Record
			c.call("GET", base+typ+"/key-"+typ+"?idProperty=import_key&properties=import_key", nil, 200, &got)
			if got.ID != rec.ID || got.Properties["import_key"] == nil || *got.Properties["import_key"] != "key-"+typ {
				t.Errorf("%s%s by import_key: id %s properties %v, want id %s", base, typ, got.ID, got.Properties, rec.ID)
			}
			c.fail("GET", base+typ+"/key-none?idProperty=import_key", nil, 404)
		}
	}
}

// TestWhatHubSpotIgnores: a body's content type with a charset (as most
// HTTP clients send it) and query parameters no document names (HubSpot
// ignores them; the Node client adds archived=false to a v3 batch read)
// are answered as without them, on every wire.
func TestWhatHubSpotIgnores(t *testing.T) {
	srv, c := start(t)
	id, note := srv.SeedTasks(1)[0], strconv.FormatInt(srv.SeedEngagements("NOTE", 1)[0], 10)
	for _, ct := range []string{"application/json; charset=utf-8", "application/json;charset=UTF-8", "application/json"} {
		for _, target := range [][2]string{{"/crm/v3/objects/tasks", id}, {"/crm/v3/objects/notes", note}, {"/crm/objects/2026-03/tasks", id}} {
			path, id := target[0], target[1]
			req, err := http.NewRequest("POST", srv.URL+path+"/batch/read?archived=false&unknownParameter=1", strings.NewReader(`{"inputs":[{"id":"`+id+`"}],"properties":["hs_timestamp"],"propertiesWithHistory":[]}`))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+srv.Token())
			req.Header.Set("Content-Type", ct)
			resp, err := c.hc.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("POST %s/batch/read with Content-Type %q: %d, want 200", path, ct, resp.StatusCode)
			}
		}
	}
	var got v3Record
	c.call("GET", "/crm/v3/objects/tasks/"+id+"?properties=hs_task_subject&hapikey=x&unknownParameter=1", nil, 200, &got)
	if got.ID != id || got.Properties["hs_task_subject"] == nil {
		t.Errorf("get with unknown parameters: %+v", got)
	}
}

// objectWires are the object APIs of each wire the fake serves: v3 (the
// tasks and emails documents, and the generic objects document for notes)
// and 2026-03.
var objectWires = []string{"/crm/v3/objects/", datedBase}

// TestUpdateByUniqueProperty: update names its record by the value of a
// unique property (idProperty) on every wire, as HubSpot's documents say;
// without idProperty the value is an internal id, and an idProperty without
// unique values is refused.
func TestUpdateByUniqueProperty(t *testing.T) {
	_, c := start(t, importKey, hubspottest.WithProperty("emails", hubspottest.Property{Name: "import_key", Unique: true}),
		hubspottest.WithProperty("notes", hubspottest.Property{Name: "import_key", Unique: true}))
	for _, typ := range []string{"tasks", "emails", "notes"} {
		for i, base := range objectWires {
			key := "key-" + typ + "-" + strconv.Itoa(i)
			var rec v3Record
			c.call("POST", "/crm/v3/objects/"+typ, map[string]any{"properties": map[string]any{"import_key": key, "hs_timestamp": "2026-03-01T10:00:00Z"}}, 201, &rec)
			for _, tc := range []struct {
				name, query string
				id          string
				want        int
			}{
				{"by unique value", "?idProperty=import_key", key, 200},
				{"by internal id", "?idProperty=hs_object_id", rec.ID, 200},
				{"by id, no idProperty", "", rec.ID, 200},
				{"unknown value", "?idProperty=import_key", "key-none", 404},
				{"value as id", "", key, 404},
				{"not unique", "?idProperty=hs_timestamp", "2026-03-01T10:00:00Z", 400},
			} {
				t.Run(strings.TrimPrefix(base, "/crm/")+typ+"/"+tc.name, func(t *testing.T) {
					c := *c
					c.t = t
					path, body := base+typ+"/"+url.PathEscape(tc.id)+tc.query, map[string]any{"properties": map[string]any{"hs_timestamp": "2026-04-01T10:00:00Z"}}
					if tc.want != 200 {
						c.fail("PATCH", path, body, tc.want)
						return
					}
					var got v3Record
					c.call("PATCH", path, body, 200, &got)
					if v := got.Properties["hs_timestamp"]; got.ID != rec.ID || v == nil || !strings.HasPrefix(*v, "2026-04-01") {
						t.Errorf("PATCH %s: id %s hs_timestamp %v, want id %s updated", path, got.ID, v, rec.ID)
					}
				})
			}
		}
	}
}

// TestBatchReadArchived: batch read with archived=true reads archived
// records only, and without it (or with archived=false) live records only,
// on every wire, as HubSpot's documents say.
func TestBatchReadArchived(t *testing.T) {
	_, c := start(t)
	for _, typ := range []string{"tasks", "emails", "notes"} {
		var live, gone v3Record
		for _, rec := range []*v3Record{&live, &gone} {
			c.call("POST", "/crm/v3/objects/"+typ, map[string]any{"properties": map[string]any{"hs_timestamp": "2026-03-01T10:00:00Z"}}, 201, rec)
		}
		c.call("DELETE", "/crm/v3/objects/"+typ+"/"+gone.ID, nil, 204, nil)
		body := map[string]any{"inputs": []any{map[string]any{"id": live.ID}, map[string]any{"id": gone.ID}}, "properties": []string{"hs_timestamp"}, "propertiesWithHistory": []string{}}
		for _, base := range objectWires {
			for _, tc := range []struct {
				query    string
				want     string
				archived bool
			}{
				{"", live.ID, false},
				{"?archived=false", live.ID, false},
				{"?archived=true", gone.ID, true},
			} {
				t.Run(strings.TrimPrefix(base, "/crm/")+typ+tc.query, func(t *testing.T) {
					c := *c
					c.t = t
					var got v3Batch
					c.call("POST", base+typ+"/batch/read"+tc.query, body, 207, &got)
					if len(got.Results) != 1 || got.Results[0].ID != tc.want || got.Results[0].Archived != tc.archived || got.NumErrors != 1 {
						t.Errorf("batch read%s of %s and %s: %+v, want only %s (archived %t) and 1 error", tc.query, live.ID, gone.ID, got, tc.want, tc.archived)
					}
				})
			}
		}
	}
}
