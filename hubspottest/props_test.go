package hubspottest_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

var importKey = hubspottest.WithProperty("tasks", hubspottest.Property{Name: "import_key", Unique: true})

func create(c *client, props map[string]any) v3Record {
	c.t.Helper()
	var rec v3Record
	c.call("POST", "/crm/v3/objects/tasks", map[string]any{"properties": props}, 201, &rec)
	return rec
}

// TestUniqueValueConflict: a value another record has in a unique property
// is HubSpot's conflict answer naming that record, for creates, updates and
// batches alike; archiving frees the value.
func TestUniqueValueConflict(t *testing.T) {
	srv, c := start(t, importKey)
	a := create(c, map[string]any{"import_key": "k1"})
	b := create(c, map[string]any{"import_key": "k2"})
	conflictOn := func(e apiErr, existing string) {
		t.Helper()
		if e.Category != "CONFLICT" || e.Message != "Task already exists. Existing ID: "+existing ||
			len(e.Errors) != 1 || e.Errors[0].In != "import_key" || !strings.Contains(e.Errors[0].Message, existing) {
			t.Errorf("conflict answer %+v, want one naming %s", e, existing)
		}
	}
	conflictOn(c.fail("POST", "/crm/v3/objects/tasks", map[string]any{"properties": map[string]any{"import_key": "k1"}}, http.StatusConflict), a.ID)
	conflictOn(c.fail("PATCH", "/crm/v3/objects/tasks/"+b.ID, map[string]any{"properties": map[string]any{"import_key": "k1"}}, http.StatusConflict), a.ID)
	conflictOn(c.fail("POST", "/crm/v3/objects/tasks/batch/create", map[string]any{"inputs": []any{
		map[string]any{"properties": map[string]any{"import_key": "k3"}},
		map[string]any{"properties": map[string]any{"import_key": "k2"}},
	}}, http.StatusConflict), b.ID)
	conflictOn(c.fail("POST", "/crm/v3/objects/tasks/batch/update", map[string]any{"inputs": []any{
		map[string]any{"id": a.ID, "properties": map[string]any{"import_key": "k2"}},
	}}, http.StatusConflict), b.ID)
	e := c.fail("POST", "/crm/v3/objects/tasks/batch/create", map[string]any{"inputs": []any{
		map[string]any{"properties": map[string]any{"import_key": "k4"}},
		map[string]any{"properties": map[string]any{"import_key": "k4"}},
	}}, http.StatusBadRequest)
	if e.Category != "VALIDATION_ERROR" || !strings.Contains(e.Message, "inputs[0] and inputs[1]") {
		t.Errorf("a value twice in one batch: %+v", e)
	}
	if n := srv.TaskCount(); n != 2 {
		t.Errorf("%d tasks stored, want the first two only", n)
	}
	// Keeping one's own value is no conflict; clearing frees it.
	c.call("PATCH", "/crm/v3/objects/tasks/"+a.ID, map[string]any{"properties": map[string]any{"import_key": "k1", "hs_task_subject": "same key"}}, 200, nil)
	c.call("PATCH", "/crm/v3/objects/tasks/"+b.ID, map[string]any{"properties": map[string]any{"import_key": ""}}, 200, nil)
	c.call("PATCH", "/crm/v3/objects/tasks/"+a.ID, map[string]any{"properties": map[string]any{"import_key": "k2"}}, 200, nil)
	c.call("DELETE", "/crm/v3/objects/tasks/"+a.ID, nil, 204, nil)
	again := create(c, map[string]any{"import_key": "k2"})

	var got v3Batch
	c.call("POST", "/crm/v3/objects/tasks/batch/read", map[string]any{"idProperty": "import_key", "inputs": []any{map[string]any{"id": "k2"}, map[string]any{"id": "k9"}}}, 207, &got)
	if len(got.Results) != 1 || got.Results[0].ID != again.ID || got.Errors[0].Context["ids"][0] != "k9" {
		t.Errorf("batch read by import_key: %+v", got)
	}
	e = c.fail("POST", "/crm/v3/objects/tasks/batch/read", map[string]any{"idProperty": "hs_task_subject", "inputs": []any{map[string]any{"id": "x"}}}, http.StatusBadRequest)
	if !strings.Contains(e.Message, "hs_task_subject is not a unique property") {
		t.Errorf("idProperty that is not unique: %+v", e)
	}
}

// TestCustomProperties: WithProperty declares a test's own properties, with
// their type; the ones HubSpot defines are known already.
func TestCustomProperties(t *testing.T) {
	srv, c := start(t,
		hubspottest.WithProperty("tasks", hubspottest.Property{Name: "score", Type: hubspottest.Number}),
		hubspottest.WithProperty("tasks", hubspottest.Property{Name: "tier", Type: hubspottest.Enumeration, Options: []string{"gold", "silver"}}),
		hubspottest.WithProperty("tasks", hubspottest.Property{Name: "renewal", Type: hubspottest.Date}),
		hubspottest.WithProperty("emails", hubspottest.Property{Name: "tier"}),
	)
	rec := create(c, map[string]any{"score": "-1.5", "tier": "gold", "renewal": "2025-06-30"})
	if task, _ := srv.Task(rec.ID); task.Prop("tier") != "gold" || task.Prop("score") != "-1.5" {
		t.Errorf("stored %v", task.Properties())
	}
	for prop, v := range map[string]string{"score": "1,5", "tier": "bronze", "renewal": "2025-06-30T10:00:00Z"} {
		e := c.fail("POST", "/crm/v3/objects/tasks", map[string]any{"properties": map[string]any{prop: v}}, 400)
		if got := entries(t, e); len(got) != 1 || got[0].Name != prop {
			t.Errorf("%s=%q: %+v", prop, v, got)
		}
	}
	// Declared for emails only: an email takes any text in tier, a task
	// only its options, and a note has no such property.
	c.call("POST", "/crm/v3/objects/emails", map[string]any{"properties": map[string]any{"tier": "bronze"}}, 201, nil)
}

func TestParseProperty(t *testing.T) {
	for _, tc := range []struct {
		in      string
		objType string
		want    hubspottest.Property
		err     string
	}{
		{"tasks:my_import_key:string:unique", "tasks", hubspottest.Property{Name: "my_import_key", Type: hubspottest.String, Unique: true}, ""},
		{"notes:region:string:required", "notes", hubspottest.Property{Name: "region", Type: hubspottest.String, RequiredOnCreate: true}, ""},
		{"postal_mail:k:string:unique,required", "postal_mail", hubspottest.Property{Name: "k", Type: hubspottest.String, Unique: true, RequiredOnCreate: true}, ""},
		{"tasks:x:string:unique,", "", hubspottest.Property{}, "required"},
		{"emails:score:number", "emails", hubspottest.Property{Name: "score", Type: hubspottest.Number}, ""},
		{"notes:plain", "notes", hubspottest.Property{Name: "plain", Type: hubspottest.String}, ""},
		{"calls:tier:enumeration=gold|silver", "calls", hubspottest.Property{Name: "tier", Type: hubspottest.Enumeration, Options: []string{"gold", "silver"}}, ""},
		{"deals:x", "", hubspottest.Property{}, "unknown object type"},
		{"tasks:Bad-Name", "", hubspottest.Property{}, "property name"},
		{"tasks:x:colour", "", hubspottest.Property{}, "unknown type"},
		{"tasks:x:enumeration", "", hubspottest.Property{}, "no options"},
		{"tasks:x:string=a|b", "", hubspottest.Property{}, "not an enumeration"},
		{"tasks:x:string:once", "", hubspottest.Property{}, "unique"},
		{"tasks", "", hubspottest.Property{}, "objectType:name"},
	} {
		typ, p, err := hubspottest.ParseProperty(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err %v, want one about %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || typ != tc.objType || p.Name != tc.want.Name || p.Type != tc.want.Type || p.Unique != tc.want.Unique || !slices.Equal(p.Options, tc.want.Options) {
			t.Errorf("%q: %s %+v %v, want %s %+v", tc.in, typ, p, err, tc.objType, tc.want)
		}
	}
}

func FuzzParseProperty(f *testing.F) {
	for _, s := range []string{"tasks:k:string:unique", "emails:t:enumeration=a|b", "x", "tasks:a:b:c:d", "::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		typ, p, err := hubspottest.ParseProperty(s)
		if err != nil {
			return
		}
		if !slices.Contains(hubspottest.ObjectTypes(), typ) || p.Name == "" || p.Type == hubspottest.Enumeration && len(p.Options) == 0 {
			t.Fatalf("%q accepted as %s %+v", s, typ, p)
		}
	})
}

// TestInvalidOptions: an option that cannot apply fails the test at New and
// panics at NewServer, saying why.
func TestInvalidOptions(t *testing.T) {
	for _, o := range []hubspottest.Option{
		hubspottest.WithProperty("deals", hubspottest.Property{Name: "x"}),
		hubspottest.WithProperty("tasks", hubspottest.Property{Name: "x", Type: hubspottest.Enumeration}),
		hubspottest.WithSearchRateLimit(5, 0),
		hubspottest.WithRateLimit(-1, time.Second),
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.HasPrefix(fmt.Sprint(r), "hubspottest: ") {
					t.Errorf("NewServer did not panic with the reason: %v", r)
				}
			}()
			hubspottest.NewServer(o).Close()
		}()
	}
}

// TestNewClosesOnCleanup: New ties the server to the test.
func TestNewClosesOnCleanup(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		srv := hubspottest.New(t)
		url = srv.URL
		if resp, err := http.Get(url + "/calling/v1/dispositions"); err != nil {
			t.Fatal(err)
		} else {
			resp.Body.Close()
		}
	})
	if resp, err := http.Get(url + "/calling/v1/dispositions"); err == nil {
		resp.Body.Close()
		t.Fatal("the server still answers after its test ended")
	}
}

// TestDefaultsOnCreate: a task created through the API carries the
// properties HubSpot sets on create, as its recorded answer shows.
func TestDefaultsOnCreate(t *testing.T) {
	var hubspot struct{ Properties map[string]string }
	if err := json.Unmarshal(recorded(t, "v3-task-create-response.json"), &hubspot); err != nil {
		t.Fatal(err)
	}
	srv, c := start(t)
	// What the recorded request sent.
	sent := map[string]any{"hs_timestamp": "2025-02-20T03:30:17.883Z", "hs_task_body": "Sample task body", "hs_task_priority": "LOW", "hs_task_type": "TODO", "hs_task_subject": "A sample task for testing task creation"}
	rec := create(c, sent)
	varying := []string{"hs_createdate", "hs_lastmodifieddate", "hs_object_id", "hs_object_source_id"}
	for name, want := range hubspot.Properties {
		got, ok := rec.Properties[name]
		switch {
		case !ok || got == nil:
			t.Errorf("%s missing, HubSpot sets %q", name, want)
		case !slices.Contains(varying, name) && *got != want:
			t.Errorf("%s = %q, HubSpot sets %q", name, *got, want)
		}
	}
	c.call("PATCH", "/crm/v3/objects/tasks/"+rec.ID, map[string]any{"properties": map[string]any{"hs_task_status": "COMPLETED", "hs_task_body": "<p>Done</p>"}}, 200, &rec)
	task, _ := srv.Task(rec.ID)
	if task.Prop("hs_task_is_completed") != "1" || task.Prop("hs_body_preview") != "Done" || task.Prop("hs_task_family") != "SALES" {
		t.Errorf("after the update: %v", task.Properties())
	}
}

// TestSeedsAreValid: what the Seed helpers store, the API would accept.
func TestSeedsAreValid(t *testing.T) {
	srv, c := start(t)
	for typ, objs := range map[string][]hubspottest.Object{"tasks": objects(srv, srv.SeedTasks(20), srv.Task), "emails": objects(srv, srv.SeedEmails(20), srv.Email)} {
		for _, o := range objs {
			props := o.Properties()
			for _, system := range []string{"hs_object_id", "hs_createdate", "hs_lastmodifieddate"} {
				delete(props, system)
			}
			if len(props) < 5 {
				t.Fatalf("%s %s: %v", typ, o.ID, props)
			}
			c.call("POST", "/crm/v3/objects/"+typ, map[string]any{"properties": props}, 201, nil)
		}
	}
	// The same records are the v1 engagements (of type TASK and EMAIL).
	for _, e := range srv.Engagements() {
		id := strconv.FormatInt(e.ID, 10)
		task, isTask := srv.Task(id)
		email, isEmail := srv.Email(id)
		if isTask && (e.Type != "TASK" || e.Meta("subject") != task.Prop("hs_task_subject")) ||
			isEmail && (e.Type != email.Prop("hs_email_direction") || e.Meta("subject") != email.Prop("hs_email_subject")) || !isTask && !isEmail {
			t.Fatalf("engagement %d (%s) is not the record of its id", e.ID, e.Type)
		}
	}
	if n := srv.EngagementCount(); n != 80 {
		t.Fatalf("%d engagements, want the 80 tasks and emails", n)
	}
	for _, typ := range []string{"NOTE", "EMAIL", "CALL", "MEETING", "TASK"} {
		id := srv.SeedEngagements(typ, 1)[0]
		e, _ := srv.Engagement(id)
		var in map[string]any
		if err := json.Unmarshal(e.JSON, &in); err != nil {
			t.Fatal(err)
		}
		eng := in["engagement"].(map[string]any)
		in["engagement"] = map[string]any{"type": eng["type"], "ownerId": eng["ownerId"], "timestamp": eng["timestamp"]}
		c.call("POST", "/engagements/v1/engagements", in, 200, nil)
	}
}

func objects(srv *hubspottest.Server, ids []string, get func(string) (hubspottest.Object, bool)) []hubspottest.Object {
	var out []hubspottest.Object
	for _, id := range ids {
		o, _ := get(id)
		out = append(out, o)
	}
	_ = srv
	return out
}

// TestObjectView: stored records read without pointers or JSON.
func TestObjectView(t *testing.T) {
	srv, c := start(t, hubspottest.WithClock(newClock().Now))
	rec := create(c, map[string]any{"hs_task_subject": "S", "hs_task_body": ""})
	task, ok := srv.Task(rec.ID)
	props := task.Properties()
	if !ok || task.ID != rec.ID || task.Type != "tasks" || task.Prop("hs_task_subject") != "S" || !task.Has("hs_task_body") || task.Has("hubspot_owner_id") ||
		task.Prop("hubspot_owner_id") != "" || props["hs_task_status"] != "NOT_STARTED" || !task.CreatedAt.Equal(newClock().Now().Truncate(time.Millisecond)) {
		t.Errorf("%+v %v", task, props)
	}
	props["hs_task_subject"] = "changed"
	if again, _ := srv.Task(rec.ID); again.Prop("hs_task_subject") != "S" || !maps.Equal(again.Properties(), task.Properties()) {
		t.Error("Properties() is not a copy")
	}
	if len(srv.Objects("tasks")) != 1 || len(srv.Objects("notes")) != 0 || srv.Objects("deals") != nil {
		t.Error("Objects")
	}
}
