package hubspottest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/engagekit/hubspot-engagements/hubspottest"
)

// invalidEntry is one entry of the JSON list in HubSpot's "Property values
// were not valid: […]" message.
type invalidEntry struct {
	IsValid bool   `json:"isValid"`
	Message string `json:"message"`
	Error   string `json:"error"`
	Name    string `json:"name"`
}

// entries reads the list HubSpot embeds in its invalid-values message.
func entries(t *testing.T, e apiErr) []invalidEntry {
	t.Helper()
	list, ok := strings.CutPrefix(e.Message, "Property values were not valid: ")
	var out []invalidEntry
	if !ok || json.Unmarshal([]byte(list), &out) != nil {
		t.Fatalf("message %q is not HubSpot's invalid-values message", e.Message)
	}
	return out
}

// TestBadPropertyValuesAnsweredLikeHubSpot: the creates HubSpot refuses are
// refused with its body, and nothing is stored.
func TestBadPropertyValuesAnsweredLikeHubSpot(t *testing.T) {
	srv, c := start(t)
	for _, tc := range []struct {
		name, prop string
		value      any
		code, msg  string
	}{
		{"unknown property", "hs_task_subjekt", "Call Ann", "PROPERTY_DOESNT_EXIST", `Property "hs_task_subjekt" does not exist`},
		{"not an option", "hs_task_status", "BOGUS", "INVALID_OPTION", "BOGUS was not one of the allowed options: [NOT_STARTED, IN_PROGRESS, WAITING, COMPLETED, DEFERRED]"},
		{"not a number", "hubspot_owner_id", "seven", "INVALID_NUMBER", "seven was not a valid number."},
		{"not a time", "hs_timestamp", "tomorrow", "INVALID_LONG", "tomorrow was not a valid long."},
		{"not a boolean", "hs_task_is_all_day", "yes", "INVALID_OPTION", "yes was not one of the allowed options: [true, false]"},
		{"padded option", "hs_task_priority", "HIGH ", "LEADING_TRAILING_WHITESPACE", `"HIGH " includes leading or trailing whitespace.`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{"properties": map[string]any{"hs_task_subject": "ok", tc.prop: tc.value}}
			for _, path := range []string{"/crm/v3/objects/tasks", "/crm/v3/objects/tasks/batch/create"} {
				in := any(body)
				if strings.HasSuffix(path, "create") {
					in = map[string]any{"inputs": []any{map[string]any{"properties": map[string]any{"hs_task_subject": "fine"}}, body}}
				}
				e := c.fail("POST", path, in, http.StatusBadRequest)
				got := entries(t, e)
				if e.Category != "VALIDATION_ERROR" || len(got) != 1 || got[0].IsValid || got[0].Error != tc.code || got[0].Name != tc.prop || got[0].Message != tc.msg {
					t.Errorf("%s: %+v, entries %+v", path, e, got)
				}
				if len(e.Errors) != 1 || e.Errors[0].Code != tc.code || !slices.Equal(e.Errors[0].Context["propertyName"], []string{tc.prop}) {
					t.Errorf("%s: errors %+v", path, e.Errors)
				}
				if batch := strings.HasSuffix(path, "create"); batch != (e.Errors[0].In == "inputs[1]") {
					t.Errorf("%s: errors[0].in = %q; a batch names the input", path, e.Errors[0].In)
				}
			}
			if n := srv.TaskCount(); n != 0 {
				t.Errorf("%d tasks stored", n)
			}
		})
	}
	// An update is checked the same way.
	var rec v3Record
	c.call("POST", "/crm/v3/objects/tasks", map[string]any{"properties": map[string]any{"hs_task_subject": "ok"}}, 201, &rec)
	e := c.fail("PATCH", "/crm/v3/objects/tasks/"+rec.ID, map[string]any{"properties": map[string]any{"hs_task_status": "BOGUS"}}, 400)
	if got := entries(t, e); got[0].Error != "INVALID_OPTION" {
		t.Errorf("update: %+v", got)
	}
	c.fail("POST", "/crm/v3/objects/tasks/batch/update", map[string]any{"inputs": []any{map[string]any{"id": rec.ID, "properties": map[string]any{"hs_task_subjekt": "x"}}}}, 400)
	if task, _ := srv.Task(rec.ID); task.Prop("hs_task_status") != "NOT_STARTED" || task.Has("hs_task_subjekt") {
		t.Errorf("a refused update changed the task: %v", task.Properties())
	}
}

// TestUnknownAssociationType: HubSpot's INVALID_ASSOCIATION_TYPE answer,
// and its default types by name and by id.
func TestUnknownAssociationType(t *testing.T) {
	srv, c := start(t)
	ids := srv.SeedTasks(1)
	base := "/crm/v3/objects/tasks/" + ids[0] + "/associations/"
	for _, tc := range []struct{ path, typ, to string }{
		{"contacts/5001/bogus", "bogus", "contacts"},
		{"contacts/5001/email_to_contact", "email_to_contact", "contacts"},
		{"contacts/5001/198", "198", "contacts"},
		{"widgets/1/task_to_contact", "task_to_contact", "widgets"},
	} {
		for _, method := range []string{"PUT", "DELETE"} {
			e := c.fail(method, base+tc.path, nil, 400)
			want := tc.typ + " is not a valid association type between tasks and " + tc.to
			if e.Message != want || e.Category != "VALIDATION_ERROR" || e.SubCategory != "crm.associations.INVALID_ASSOCIATION_TYPE" ||
				!slices.Equal(e.Context["type"], []string{tc.typ}) || !slices.Equal(e.Context["fromObjectType"], []string{"tasks"}) {
				t.Errorf("%s %s: %+v", method, tc.path, e)
			}
		}
	}
	for _, p := range []string{"contacts/5001/task_to_contact", "companies/6001/192", "deal/7001/task_to_deal", "0-5/8001/230"} {
		c.call("PUT", base+p, nil, 200, nil)
	}
	task, _ := srv.Task(ids[0])
	if len(task.Associations) != 4 || !slices.Equal(task.Associations["tickets"], []string{"8001"}) {
		t.Errorf("associations %v", task.Associations)
	}
	if name, id, ok := hubspottest.AssociationType("meetings", "contact"); name != "meeting_event_to_contact" || id != 200 || !ok {
		t.Errorf("AssociationType(meetings, contact) = %s %d %v", name, id, ok)
	}
}

// TestRequestsBreakingTheSpec: what the document does not allow is answered
// 400 with HubSpot's body, naming where.
func TestRequestsBreakingTheSpec(t *testing.T) {
	srv, c := start(t)
	id := srv.SeedTasks(1)[0]
	for _, tc := range []struct {
		name, method, path string
		body               any
		in                 string
	}{
		{"property value an object", "POST", "/crm/v3/objects/tasks", map[string]any{"properties": map[string]any{"hs_task_subject": map[string]any{"a": 1}}}, "properties.hs_task_subject"},
		{"properties a list", "PATCH", "/crm/v3/objects/tasks/" + id, map[string]any{"properties": []string{"a"}}, "properties"},
		{"inputs an object", "POST", "/crm/v3/objects/emails/batch/create", map[string]any{"inputs": map[string]any{"a": 1}}, "inputs"},
		{"archive without ids", "POST", "/crm/v3/objects/tasks/batch/archive", map[string]any{"inputs": []any{map[string]any{}}}, "inputs[0].id"},
		{"sort direction", "POST", "/crm/v3/objects/tasks/search", map[string]any{"sorts": []any{map[string]any{"propertyName": "x", "direction": "UP"}}}, "sorts[0].direction"},
		{"limit over the maximum", "GET", "/crm/v3/objects/tasks?limit=101", nil, "limit"},
		{"archived not a boolean", "GET", "/crm/v3/objects/tasks?archived=maybe", nil, "archived"},
		{"2026-03 property value an object", "POST", "/crm/objects/2026-03/notes", map[string]any{"properties": map[string]any{"hs_note_body": map[string]any{"a": 1}}}, "properties.hs_note_body"},
		{"2026-03 batch input without properties", "POST", "/crm/objects/2026-03/calls/batch/update", map[string]any{"inputs": []any{map[string]any{"id": "1"}}}, "inputs[0].properties"},
		{"2026-03 limit not a number", "GET", "/crm/objects/2026-03/meetings?limit=ten", nil, "limit"},
		{"2026-03 association category", "PUT", "/crm/objects/2026-03/tasks/" + id + "/associations/contacts/1", []any{map[string]any{"associationCategory": "BOGUS", "associationTypeId": 204}}, "[0].associationCategory"},
		{"2026-03 filter operator", "POST", "/crm/objects/2026-03/emails/search", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{map[string]any{"propertyName": "a", "operator": "LIKE"}}}}}, "filterGroups[0].filters[0].operator"},
		{"generic objects limit", "GET", "/crm/v3/objects/notes?limit=101", nil, "limit"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := c.fail(tc.method, tc.path, tc.body, 400)
			if e.Category != "VALIDATION_ERROR" || len(e.Errors) == 0 || e.Errors[0].In != tc.in || !strings.Contains(e.Message, tc.in) {
				t.Errorf("%+v, want errors naming %s", e, tc.in)
			}
		})
	}
	t.Run("v1 metadata field", func(t *testing.T) {
		body := map[string]any{"engagement": map[string]any{"type": "CALL"}, "metadata": map[string]any{"durationMilliseconds": "long"}}
		before := srv.EngagementCount()
		e := c.fail("POST", "/engagements/v1/engagements", body, 400)
		if e.RequestID == "" || e.Category != "VALIDATION_ERROR" || len(e.Errors) == 0 || e.Errors[0].In != "metadata.durationMilliseconds" {
			t.Errorf("%+v", e)
		}
		if srv.EngagementCount() != before {
			t.Error("stored")
		}
	})
	t.Run("not JSON", func(t *testing.T) {
		req, _ := http.NewRequest("POST", srv.URL+"/crm/v3/objects/tasks", strings.NewReader(`{"properties": {`))
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		resp, err := c.hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e apiErr
		_ = json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.HasPrefix(e.Message, "Invalid input JSON: on line 1, column 17") {
			t.Errorf("%d %+v", resp.StatusCode, e)
		}
	})
}

// TestHubSpotsLooseInput: numbers, booleans and null where HubSpot wants a
// string are read as HubSpot reads them, not refused.
func TestHubSpotsLooseInput(t *testing.T) {
	srv, c := start(t)
	var rec v3Record
	c.call("POST", "/crm/v3/objects/tasks", map[string]any{"properties": map[string]any{"hs_task_subject": 42, "hs_task_is_all_day": true, "hs_task_body": nil, "hubspot_owner_id": 7001}}, 201, &rec)
	task, _ := srv.Task(rec.ID)
	if task.Prop("hs_task_subject") != "42" || task.Prop("hs_task_is_all_day") != "true" || !task.Has("hs_task_body") || task.Prop("hubspot_owner_id") != "7001" {
		t.Errorf("stored %v", task.Properties())
	}
	var p v3Page
	c.call("POST", "/crm/v3/objects/tasks/search", map[string]any{"filterGroups": []any{map[string]any{"filters": []any{
		map[string]any{"propertyName": "hubspot_owner_id", "operator": "EQ", "value": 7001},
	}}}, "after": 0}, 200, &p)
	if len(p.Results) != 1 {
		t.Errorf("search by a number: %d results", len(p.Results))
	}
}

// FuzzRequestBodies: whatever bytes a client sends, the server answers
// without failing (no 5xx, no panic) and its answer follows the documents.
func FuzzRequestBodies(f *testing.F) {
	srv := hubspottest.NewServer(importKey)
	f.Cleanup(srv.Close)
	v1ID := strconv.FormatInt(srv.SeedEngagements("NOTE", 1)[0], 10)
	taskID := srv.SeedTasks(1)[0]
	ops := []struct{ method, path string }{
		{"POST", "/crm/v3/objects/tasks"},
		{"PATCH", "/crm/v3/objects/tasks/" + taskID},
		{"POST", "/crm/v3/objects/tasks/batch/create"},
		{"POST", "/crm/v3/objects/emails/batch/update"},
		{"POST", "/crm/v3/objects/tasks/batch/read"},
		{"POST", "/crm/v3/objects/emails/batch/archive"},
		{"POST", "/crm/v3/objects/tasks/search"},
		{"POST", "/engagements/v1/engagements"},
		{"PATCH", "/engagements/v1/engagements/" + v1ID},
		{"POST", "/crm/v3/objects/notes"},
		{"POST", "/crm/v3/objects/calls/batch/upsert"},
		{"POST", "/crm/objects/2026-03/notes"},
		{"PATCH", "/crm/objects/2026-03/notes/" + v1ID},
		{"POST", "/crm/objects/2026-03/tasks/batch/create"},
		{"POST", "/crm/objects/2026-03/emails/batch/update"},
		{"POST", "/crm/objects/2026-03/meetings/batch/read"},
		{"POST", "/crm/objects/2026-03/calls/search"},
		{"POST", "/crm/objects/2026-03/tasks/batch/upsert"},
		{"PUT", "/crm/objects/2026-03/notes/" + v1ID + "/associations/contacts/5001"},
	}
	for _, s := range []string{
		`{"properties":{"hs_task_subject":"a","import_key":"k"}}`,
		`{"properties":{"hs_task_status":"BOGUS","x":1,"y":null,"z":true}}`,
		`{"inputs":[{"properties":{"import_key":"k"}},{"properties":{"import_key":"k"}}]}`,
		`{"inputs":[{"id":"1","properties":{"hs_email_status":"SENT"}}]}`,
		`{"idProperty":"import_key","inputs":[{"id":"k"}],"properties":["a"]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"a","operator":"IN","values":[1,"b"]}]}],"sorts":[{"propertyName":"a","direction":"DESCENDING"}],"limit":5,"after":3}`,
		`{"engagement":{"type":"NOTE"},"associations":{"contactIds":[null,5]},"metadata":{"body":"x"}}`,
		`{"engagement":{"type":"CALL","ownerId":1},"metadata":{"durationMilliseconds":5,"extra":{}}}`,
		`{"engagement":{"ownerId":2,"type":"TASK"},"metadata":{"body":3},"attachments":[{"id":1}]}`,
		`{"properties":{"hs_note_body":"x"},"associations":[{"to":{"id":"5001"},"types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]}]}`,
		`{"inputs":[{"properties":{},"associations":[{"to":{"id":"x"},"types":[{"associationCategory":"USER_DEFINED","associationTypeId":1}]}]}]}`,
		`{"inputs":[{"id":"k","idProperty":"import_key","properties":{"hs_task_subject":"a"}}]}`,
		`{"filterGroups":[{"filters":[{"propertyName":"associations.contact","operator":"EQ","value":"5001"}]}]}`,
		`[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":202}]`, `[]`,
		`[`, `null`, `"x"`, `{}`, ``,
	} {
		for i := range ops {
			f.Add(uint8(i), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		o := ops[int(op)%len(ops)]
		req := httptest.NewRequest(o.method, o.path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+srv.Token())
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		srv.Handler().ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", o.method, o.path, body, rec.Code, rec.Body)
		}
		if err := checkResponse(req, rec.Code, rec.Header(), rec.Body.Bytes()); err != nil {
			t.Fatalf("%s %s %q → %d: %v\n%s", o.method, o.path, body, rec.Code, err, rec.Body)
		}
	})
}
