package hubspottest_test

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

type v3Record struct {
	ID                    string                      `json:"id"`
	Properties            map[string]*string          `json:"properties"`
	PropertiesWithHistory map[string][]map[string]any `json:"propertiesWithHistory"`
	CreatedAt             string                      `json:"createdAt"`
	UpdatedAt             string                      `json:"updatedAt"`
	Archived              bool                        `json:"archived"`
	Associations          map[string]struct {
		Results []struct{ ID, Type string } `json:"results"`
	} `json:"associations"`
}

type v3Page struct {
	Total   *int       `json:"total"`
	Results []v3Record `json:"results"`
	Paging  *struct {
		Next struct{ After, Link string } `json:"next"`
	} `json:"paging"`
}

type v3Batch struct {
	Status      string     `json:"status"`
	Results     []v3Record `json:"results"`
	NumErrors   int        `json:"numErrors"`
	RequestedAt string     `json:"requestedAt"`
	StartedAt   string     `json:"startedAt"`
	CompletedAt string     `json:"completedAt"`
	Errors      []struct {
		Status, Category, Message string
		Context                   map[string][]string
	} `json:"errors"`
}

// custom declares string properties of objectType.
func custom(objectType string, names ...string) []hubspottest.Option {
	var out []hubspottest.Option
	for _, n := range names {
		out = append(out, hubspottest.WithProperty(objectType, hubspottest.Property{Name: n}))
	}
	return out
}

// msTime matches the times of v3 answers: UTC, to the millisecond at
// most (the generated types write time.Time, which leaves out trailing
// zeros of the fraction).
var msTime = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$`)

// objectTypes runs f for each v3 object type, with the server's accessor.
func objectTypes(t *testing.T, f func(t *testing.T, typ string, get func(*hubspottest.Server, string) (hubspottest.Object, bool))) {
	for _, tc := range []struct {
		typ string
		get func(*hubspottest.Server, string) (hubspottest.Object, bool)
	}{{"tasks", (*hubspottest.Server).Task}, {"emails", (*hubspottest.Server).Email}} {
		t.Run(tc.typ, func(t *testing.T) { f(t, tc.typ, tc.get) })
	}
}

func TestV3CRUD(t *testing.T) {
	objectTypes(t, func(t *testing.T, typ string, get func(*hubspottest.Server, string) (hubspottest.Object, bool)) {
		srv, c := start(t, append(custom(typ, "subject", "gone"), hubspottest.WithClock(newClock().Now), hubspottest.WithProperty(typ, hubspottest.Property{Name: "count", Type: hubspottest.Number}))...)
		base := "/crm/v3/objects/" + typ
		var rec v3Record
		c.call("POST", base, map[string]any{"properties": map[string]any{"subject": "hello", "count": 3, "gone": "x"}}, 201, &rec)
		p := rec.Properties
		if len(rec.ID) < 11 || *p["hs_object_id"] != rec.ID || *p["hs_createdate"] != rec.CreatedAt || *p["hs_lastmodifieddate"] != rec.UpdatedAt || *p["count"] != "3" || !msTime.MatchString(rec.CreatedAt) || rec.CreatedAt != "2025-03-15T14:30:00.123Z" {
			t.Errorf("created %+v", rec)
		}
		rec = v3Record{ID: rec.ID}
		c.call("GET", base+"/"+rec.ID+"?properties=subject,never", nil, 200, &rec)
		if len(rec.Properties) != 5 || *rec.Properties["subject"] != "hello" || rec.Properties["never"] != nil {
			t.Errorf("get with properties: %v", rec.Properties)
		}
		if _, ok := rec.Properties["never"]; !ok {
			t.Error("a requested property that is not set must come back as null")
		}
		c.call("PATCH", base+"/"+rec.ID, map[string]any{"properties": map[string]any{"gone": "", "subject": "bye"}}, 200, &rec)
		if *rec.Properties["gone"] != "" || *rec.Properties["subject"] != "bye" || *rec.Properties["count"] != "3" {
			t.Errorf("updated %v", rec.Properties)
		}
		obj, ok := get(srv, rec.ID)
		if !ok || !obj.Has("gone") || obj.Prop("gone") != "" || obj.Prop("subject") != "bye" || obj.Has("never") || obj.Type != typ {
			t.Errorf("stored %+v", obj)
		}
		toContact, id, _ := hubspottest.AssociationType(typ, "contacts")
		c.call("PUT", base+"/"+rec.ID+"/associations/contacts/5001/"+toContact, nil, 200, nil)
		c.call("PUT", base+"/"+rec.ID+"/associations/contact/5002/"+strconv.Itoa(id), nil, 200, nil)
		var assoc struct{ Results []struct{ ID, Type string } }
		c.call("GET", base+"/"+rec.ID+"/associations/contacts", nil, 200, &assoc)
		if len(assoc.Results) != 2 || assoc.Results[1].ID != "5002" || assoc.Results[1].Type != toContact {
			t.Errorf("associations %+v", assoc)
		}
		c.call("DELETE", base+"/"+rec.ID+"/associations/contacts/5001/"+toContact, nil, 204, nil)
		rec = v3Record{ID: rec.ID}
		c.call("GET", base+"/"+rec.ID+"?associations=contacts", nil, 200, &rec)
		if a := rec.Associations["contacts"].Results; len(a) != 1 || a[0].ID != "5002" {
			t.Errorf("record associations %+v", rec.Associations)
		}
		c.call("DELETE", base+"/"+rec.ID, nil, 204, nil)
		for _, m := range []string{"GET", "PATCH", "DELETE"} {
			if e := c.fail(m, base+"/"+rec.ID, map[string]any{"properties": map[string]string{}}, 404); e.Category != "OBJECT_NOT_FOUND" || !strings.Contains(e.Message, "objectId are usually numeric") || e.Context["id"][0] != rec.ID {
				t.Errorf("%s archived: %+v", m, e)
			}
		}
		for _, p := range []string{"/associations/contacts", "/associations/contacts/1/x"} {
			m := map[bool]string{true: "GET", false: "PUT"}[strings.HasSuffix(p, "contacts")]
			c.fail(m, base+"/"+rec.ID+p, nil, 404)
		}
		var page v3Page
		c.call("GET", base+"?archived=true", nil, 200, &page)
		if len(page.Results) != 1 || !page.Results[0].Archived {
			t.Errorf("archived listing %+v", page)
		}
		c.call("GET", base, nil, 200, &page)
		if len(page.Results) != 0 || page.Paging != nil {
			t.Errorf("listing %+v", page)
		}
		c.fail("POST", base, "nope", 400)
	})
}

func TestV3ListToTheEnd(t *testing.T) {
	objectTypes(t, func(t *testing.T, typ string, _ func(*hubspottest.Server, string) (hubspottest.Object, bool)) {
		srv, c := start(t)
		seeded := srv.SeedTasks(25)
		if typ == "emails" {
			seeded = srv.SeedEmails(25)
		}
		var got []string
		next := "/crm/v3/objects/" + typ + "?limit=10&properties=hs_timestamp"
		for pages := 1; ; pages++ {
			var p v3Page
			c.call("GET", next, nil, 200, &p)
			for _, r := range p.Results {
				got = append(got, r.ID)
				if r.Properties["hs_timestamp"] == nil {
					t.Fatalf("asked property missing: %v", r.Properties)
				}
			}
			if p.Paging == nil {
				if pages != 3 {
					t.Errorf("%d pages, want 3", pages)
				}
				break
			}
			u, err := url.Parse(p.Paging.Next.Link)
			if err != nil || !u.IsAbs() || u.Query().Get("after") != p.Paging.Next.After || !strings.Contains(u.RawQuery, "properties=hs_timestamp") {
				t.Fatalf("next link %q (after %q)", p.Paging.Next.Link, p.Paging.Next.After)
			}
			next = u.RequestURI()
		}
		if !slices.Equal(got, seeded) {
			t.Errorf("listed %v, want %v", got, seeded)
		}
		var p v3Page
		c.call("GET", "/crm/v3/objects/"+typ, nil, 200, &p)
		if len(p.Results) != 10 || len(p.Results[0].Properties) != 3 {
			t.Errorf("default page: %d results, properties %v", len(p.Results), p.Results[0].Properties)
		}
		for _, q := range []string{"limit=101", "limit=0", "after=xyz"} {
			if e := c.fail("GET", "/crm/v3/objects/"+typ+"?"+q, nil, 400); e.Category != "VALIDATION_ERROR" {
				t.Errorf("%s: %+v", q, e)
			}
		}
	})
}

func TestV3Batches(t *testing.T) {
	objectTypes(t, func(t *testing.T, typ string, get func(*hubspottest.Server, string) (hubspottest.Object, bool)) {
		srv, c := start(t, custom(typ, "a")...)
		base := "/crm/v3/objects/" + typ + "/batch/"
		var b v3Batch
		c.call("POST", base+"create", map[string]any{"inputs": []any{
			map[string]any{"properties": map[string]string{"a": "1"}}, map[string]any{"properties": map[string]string{"a": "2"}},
		}}, 201, &b)
		if len(b.Results) != 2 || b.Status != "COMPLETE" || b.NumErrors != 0 || !msTime.MatchString(b.RequestedAt) || !msTime.MatchString(b.StartedAt) || !msTime.MatchString(b.CompletedAt) {
			t.Fatalf("batch create %+v", b)
		}
		id1, id2 := b.Results[0].ID, b.Results[1].ID
		c.call("POST", base+"read", map[string]any{"inputs": []any{map[string]string{"id": id1}, map[string]string{"id": id2}}, "properties": []string{"a"}, "propertiesWithHistory": []string{"a"}}, 200, &b)
		if len(b.Results) != 2 || *b.Results[1].Properties["a"] != "2" || len(b.Results[0].PropertiesWithHistory["a"]) != 1 {
			t.Errorf("batch read %+v", b)
		}
		b = v3Batch{}
		c.call("POST", base+"read", map[string]any{"inputs": []any{map[string]string{"id": id1}, map[string]string{"id": "1"}, map[string]string{"id": "2"}}}, 207, &b)
		if len(b.Results) != 1 || b.NumErrors != 1 || b.Errors[0].Category != "OBJECT_NOT_FOUND" || !slices.Equal(b.Errors[0].Context["ids"], []string{"1", "2"}) || b.Errors[0].Status != "error" {
			t.Errorf("partial batch read %+v", b)
		}
		b = v3Batch{}
		c.call("POST", base+"update", map[string]any{"inputs": []any{map[string]any{"id": id1, "properties": map[string]string{"a": "9"}}}}, 200, &b)
		if o, _ := get(srv, id1); o.Prop("a") != "9" || len(b.Results) != 1 {
			t.Errorf("batch update stored %v", o.Properties())
		}
		c.call("POST", base+"update", map[string]any{"inputs": []any{map[string]any{"id": "3", "properties": map[string]string{"a": "9"}}}}, 207, &b)
		if b.NumErrors != 1 || len(b.Results) != 0 {
			t.Errorf("partial batch update %+v", b)
		}
		c.call("POST", base+"archive", map[string]any{"inputs": []any{map[string]string{"id": id1}, map[string]string{"id": "404"}}}, 204, nil)
		if o, _ := get(srv, id1); !o.Archived {
			t.Error("batch archive did not archive")
		}
		many := make([]any, 101)
		for i := range many {
			many[i] = map[string]any{"id": fmt.Sprint(i), "properties": map[string]string{}}
		}
		for _, op := range []string{"read", "create", "update", "archive"} {
			for _, inputs := range [][]any{many, {}} {
				if e := c.fail("POST", base+op, map[string]any{"inputs": inputs}, 400); e.Category != "VALIDATION_ERROR" || len(e.Errors) == 0 {
					t.Errorf("%s with %d inputs: %+v", op, len(inputs), e)
				}
			}
		}
	})
}
