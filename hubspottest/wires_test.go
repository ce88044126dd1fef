package hubspottest_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/engagekit/hubspot-engagements/hubspottest"
	"github.com/engagekit/hubspot-engagements/internal/v1map"
)

// One store, three wires: a record made through one API reads back through
// the others under the same id, its v1 fields and its properties converted
// by internal/v1map, the one table between them.

// datedBase is where the 2026-03 object APIs live.
const datedBase = "/crm/objects/2026-03/"

// v3Path is the v3 path of an object type: its own API for tasks and
// emails, the generic objects API for the rest.
func v3Path(objectType string) string { return "/crm/v3/objects/" + objectType }

// wireCase is one engagement type: a v1 record of it, and properties of
// its object type, each with a value the other wire must read back.
type wireCase struct {
	engType, objectType string
	metadata            map[string]any
	props               map[string]string
}

var wireCases = []wireCase{
	{"NOTE", "notes", map[string]any{"body": "Met at the fair 😀"}, map[string]string{"hs_note_body": "<p>Called back</p>"}},
	{"CALL", "calls", map[string]any{"toNumber": "+15555550100", "fromNumber": "+15555550199", "status": "COMPLETED",
		"durationMilliseconds": 90000, "body": "Discovery call", "disposition": "f240bbac-87c9-4f6e-bf70-924b57d47db7"},
		map[string]string{"hs_call_body": "Renewal", "hs_call_status": "NO_ANSWER", "hs_call_duration": "38000", "hs_call_to_number": "+15555550123"}},
	{"MEETING", "meetings", map[string]any{"body": "Demo", "title": "Product demo", "startTime": 1742049000000, "endTime": 1742052600000,
		"internalMeetingNotes": "bring slides"},
		map[string]string{"hs_meeting_title": "Review", "hs_meeting_body": "Q3", "hs_meeting_start_time": "2025-03-16T10:00:00.000Z", "hs_meeting_end_time": "2025-03-16T11:00:00.000Z"}},
	{"TASK", "tasks", map[string]any{"subject": "Send the quote", "body": "by Friday", "status": "NOT_STARTED", "priority": "HIGH",
		"taskType": "EMAIL", "forObjectType": "CONTACT", "reminders": []any{1742049000000}},
		map[string]string{"hs_task_subject": "Call back", "hs_task_body": "about the quote", "hs_task_status": "WAITING", "hs_task_priority": "LOW", "hs_task_type": "CALL"}},
	{"EMAIL", "emails", map[string]any{"from": map[string]any{"email": "rep@example.com", "firstName": "Rep"},
		"to": []any{map[string]any{"email": "buyer@example.com"}}, "subject": "Quote", "text": "Hello", "html": "<p>Hello</p>", "status": "SENT"},
		map[string]string{"hs_email_subject": "Re: quote", "hs_email_text": "Thanks", "hs_email_direction": "INCOMING_EMAIL", "hs_email_status": "SENT"}},
}

// v1Doc is a v1 record at the JSON level, field by field.
type v1Doc struct {
	Engagement   map[string]json.RawMessage `json:"engagement"`
	Associations map[string]json.RawMessage `json:"associations"`
	Attachments  json.RawMessage            `json:"attachments"`
	Metadata     map[string]json.RawMessage `json:"metadata"`
}

func (d v1Doc) id(t *testing.T) string {
	t.Helper()
	var id int64
	if err := json.Unmarshal(d.Engagement["id"], &id); err != nil {
		t.Fatalf("engagement id %s: %v", d.Engagement["id"], err)
	}
	return strconv.FormatInt(id, 10)
}

// ids reads an association list of a v1 record.
func (d v1Doc) ids(kind string) []int64 {
	var ids []int64
	_ = json.Unmarshal(d.Associations[kind], &ids)
	return ids
}

// datedRecord is a 2026-03 record as a test reads it.
type datedRecord struct {
	ID           string             `json:"id"`
	Properties   map[string]*string `json:"properties"`
	Archived     bool               `json:"archived"`
	Associations map[string]struct {
		Results []struct{ ID, Type string } `json:"results"`
	} `json:"associations"`
}

// assocIDs lists the associated ids of one type.
func (r datedRecord) assocIDs(typ string) []string {
	var out []string
	for _, a := range r.Associations[typ].Results {
		out = append(out, a.ID)
	}
	return out
}

// query repeats each name as the 2026-03 APIs take lists.
func query(lists map[string][]string) string {
	q := url.Values{}
	for k, vs := range lists {
		q[k] = vs
	}
	return "?" + q.Encode()
}

// mapped is what internal/v1map makes of a v1 record: the properties its
// object must hold.
func mapped(t *testing.T, engType string, d v1Doc) map[string]string {
	t.Helper()
	props, _, err := v1map.ToProperties(engType, v1map.Record{Engagement: d.Engagement, Metadata: d.Metadata, Attachments: d.Attachments}, v1map.ModeRecord)
	if err != nil {
		t.Fatal(err)
	}
	return props
}

func TestV1RecordsAreObjects(t *testing.T) {
	for _, tc := range wireCases {
		t.Run(tc.engType, func(t *testing.T) {
			srv, c := start(t, hubspottest.WithClock(newClock().Now))
			var created v1Doc
			c.call("POST", "/engagements/v1/engagements", map[string]any{
				"engagement":   map[string]any{"type": tc.engType, "ownerId": 7001, "timestamp": 1742049000000, "uid": "u-1"},
				"associations": map[string]any{"contactIds": []any{5001}, "companyIds": []any{6001}, "ownerIds": []any{7001}},
				"metadata":     tc.metadata,
			}, 200, &created)
			id := created.id(t)
			want := mapped(t, tc.engType, created)
			names := slices.Sorted(maps.Keys(want))
			if len(names) < 7 {
				t.Fatalf("the table maps only %v", names)
			}
			var dated datedRecord
			c.call("GET", datedBase+tc.objectType+"/"+id+query(map[string][]string{"properties": names, "associations": {"contacts", "companies"}}), nil, 200, &dated)
			var v3 datedRecord
			c.call("GET", v3Path(tc.objectType)+"/"+id+"?properties="+strings.Join(names, ",")+"&associations=contacts,companies", nil, 200, &v3)
			for wire, got := range map[string]datedRecord{"2026-03": dated, "v3": v3} {
				if got.ID != id {
					t.Errorf("%s: id %s, want %s", wire, got.ID, id)
				}
				for _, n := range names {
					if v := got.Properties[n]; v == nil || *v != want[n] {
						t.Errorf("%s %s = %v, want %q (the v1 record's, through v1map)", wire, n, deref(v), want[n])
					}
				}
				if !slices.Equal(got.assocIDs("contacts"), []string{"5001"}) || !slices.Equal(got.assocIDs("companies"), []string{"6001"}) {
					t.Errorf("%s associations %+v", wire, got.Associations)
				}
			}
			at, _ := v1map.DefaultAssociation(tc.objectType, v1map.Contacts)
			if typ := dated.Associations["contacts"].Results[0].Type; typ != at.Name {
				t.Errorf("association type %q, want %q", typ, at.Name)
			}

			// A change through 2026-03 reaches v1; what no property holds
			// (uid, ownerIds) stays.
			prop := bodyProperty[tc.objectType]
			c.call("PATCH", datedBase+tc.objectType+"/"+id, map[string]any{"properties": map[string]string{prop: tc.props[prop], "hubspot_owner_id": "7002"}}, 200, nil)
			var after v1Doc
			c.call("GET", "/engagements/v1/engagements/"+id, nil, 200, &after)
			got := mapped(t, tc.engType, after)
			if got[prop] != tc.props[prop] || string(after.Engagement["ownerId"]) != "7002" || string(after.Engagement["uid"]) != `"u-1"` ||
				!slices.Equal(after.ids("ownerIds"), []int64{7001}) || !slices.Equal(after.ids("contactIds"), []int64{5001}) {
				t.Errorf("v1 after a 2026-03 update: %s = %q, owner %s, uid %s, associations %v", prop, got[prop], after.Engagement["ownerId"], after.Engagement["uid"], after.Associations)
			}
			if e, _ := srv.Engagement(mustID(t, id)); e.OwnerID != 7002 {
				t.Errorf("Server.Engagement owner %d", e.OwnerID)
			}
			if tc.objectType == "emails" {
				// An email's direction is its v1 type.
				c.call("PATCH", datedBase+"emails/"+id, map[string]any{"properties": map[string]string{"hs_email_direction": "FORWARDED_EMAIL"}}, 200, nil)
				if e, _ := srv.Engagement(mustID(t, id)); e.Type != "FORWARDED_EMAIL" || e.Meta("subject") != "Quote" {
					t.Errorf("after a change of direction: %s %q", e.Type, e.Meta("subject"))
				}
			}
		})
	}
}

func mustID(t *testing.T, id string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestObjectsAreV1Records(t *testing.T) {
	for _, tc := range wireCases {
		for _, wire := range []string{"2026-03", "2026-09", "v3"} {
			t.Run(tc.engType+"/"+wire, func(t *testing.T) {
				srv, c := start(t)
				props := maps.Clone(tc.props)
				props["hs_timestamp"], props["hubspot_owner_id"] = "2025-03-15T14:30:00.000Z", "7001"
				at, _ := v1map.DefaultAssociation(tc.objectType, v1map.Contacts)
				body := map[string]any{"properties": props, "associations": []any{map[string]any{
					"to": map[string]any{"id": "5001"}, "types": []any{map[string]any{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": at.TypeID}}}}}
				path := "/crm/objects/" + wire + "/" + tc.objectType
				if wire == "v3" {
					path = v3Path(tc.objectType)
				}
				var rec datedRecord
				c.call("POST", path, body, 201, &rec)
				var got v1Doc
				c.call("GET", "/engagements/v1/engagements/"+rec.ID, nil, 200, &got)
				engType := tc.engType
				if tc.objectType == "emails" {
					engType = props["hs_email_direction"]
				}
				ptrs := map[string]*string{}
				for k, v := range props {
					ptrs[k] = &v
				}
				want, err := v1map.FromProperties(engType, ptrs)
				if err != nil {
					t.Fatal(err)
				}
				for section, fields := range map[string][2]map[string]json.RawMessage{"engagement": {want.Engagement, got.Engagement}, "metadata": {want.Metadata, got.Metadata}} {
					for k, v := range fields[0] {
						if !jsonSame(v, fields[1][k]) {
							t.Errorf("v1 %s.%s = %s, want %s", section, k, fields[1][k], v)
						}
					}
				}
				if got.id(t) != rec.ID || !slices.Equal(got.ids("contactIds"), []int64{5001}) || len(got.ids("companyIds")) != 0 {
					t.Errorf("v1 id %s, associations %v", got.id(t), got.Associations)
				}
				stored, ok := srv.Engagement(mustID(t, rec.ID))
				if !ok || stored.Type != engType || stored.OwnerID != 7001 {
					t.Errorf("Server.Engagement %+v %v", stored, ok)
				}

				// A v1 update reaches the object.
				c.call("PATCH", "/engagements/v1/engagements/"+rec.ID, map[string]any{"engagement": map[string]any{"ownerId": 7003}}, 200, nil)
				// Every dated version reads the one store.
				for _, base := range []string{datedBase, "/crm/objects/2026-09/"} {
					var after datedRecord
					c.call("GET", base+tc.objectType+"/"+rec.ID+"?properties=hubspot_owner_id", nil, 200, &after)
					if v := after.Properties["hubspot_owner_id"]; v == nil || *v != "7003" {
						t.Errorf("%s: owner after a v1 update: %v", base, deref(v))
					}
				}
			})
		}
	}
}

// jsonSame reports whether two JSON texts hold the same value.
func jsonSame(a, b []byte) bool {
	var x, y bytes.Buffer
	return json.Compact(&x, a) == nil && json.Compact(&y, b) == nil && bytes.Equal(x.Bytes(), y.Bytes())
}

func deref(p *string) string {
	if p == nil {
		return "<nil>"
	}
	return *p
}

// TestV1AnswersAsBefore: until another wire changes a record, the v1 API
// answers exactly what it stored, even where the table cannot tell two v1
// values apart (ownerId 0, a TASK's attachments) or has no property (uid,
// unknown fields).
func TestV1AnswersAsBefore(t *testing.T) {
	clock := newClock()
	_, c := start(t, hubspottest.WithClock(clock.Now))
	in := map[string]any{
		"engagement":   map[string]any{"type": "TASK", "ownerId": 0, "uid": "62515-1", "teamId": 3},
		"associations": map[string]any{"contactIds": []any{5001, 5001}, "workflowIds": []any{9}},
		"attachments":  []any{},
		"metadata":     map[string]any{"subject": "s", "status": "NOT_STARTED", "futureField": map[string]any{"kept": true}},
	}
	var created json.RawMessage
	c.call("POST", "/engagements/v1/engagements", in, 200, &created)
	var d v1Doc
	_ = json.Unmarshal(created, &d)
	var got json.RawMessage
	c.call("GET", "/engagements/v1/engagements/"+d.id(t), nil, 200, &got)
	if !jsonSame(created, got) {
		t.Errorf("get %s\nwant the create answer %s", got, created)
	}
	if string(d.Engagement["ownerId"]) != "0" || !slices.Equal(d.ids("contactIds"), []int64{5001, 5001}) || string(d.Metadata["futureField"]) != `{"kept":true}` {
		t.Errorf("created %s", created)
	}
	// A change through v3 of one property changes that field (and
	// lastUpdated) only.
	clock.Add(time.Minute)
	c.call("PATCH", "/crm/v3/objects/tasks/"+d.id(t), map[string]any{"properties": map[string]string{"hs_task_priority": "HIGH"}}, 200, nil)
	var after v1Doc
	c.call("GET", "/engagements/v1/engagements/"+d.id(t), nil, 200, &after)
	if string(after.Metadata["priority"]) != `"HIGH"` || string(after.Engagement["ownerId"]) != "0" || string(after.Engagement["uid"]) != `"62515-1"` ||
		string(after.Engagement["teamId"]) != "3" || !slices.Equal(after.ids("contactIds"), []int64{5001, 5001}) || !slices.Equal(after.ids("workflowIds"), []int64{9}) ||
		string(after.Metadata["futureField"]) != `{"kept":true}` || string(after.Engagement["lastUpdated"]) != strconv.FormatInt(clock.Now().UnixMilli(), 10) {
		t.Errorf("after a v3 update: %+v", after)
	}
}

// TestDeletedOnEveryWire: a record deleted through one API is gone from the
// others; the object APIs still read it as archived.
func TestDeletedOnEveryWire(t *testing.T) {
	srv, c := start(t)
	v1ID := strconv.FormatInt(srv.SeedEngagements("NOTE", 1)[0], 10)
	c.call("DELETE", "/engagements/v1/engagements/"+v1ID, nil, 204, nil)
	c.fail("GET", datedBase+"notes/"+v1ID, nil, 404)
	c.fail("GET", v3Path("notes")+"/"+v1ID, nil, 404)
	var rec datedRecord
	c.call("GET", datedBase+"notes/"+v1ID+"?archived=true", nil, 200, &rec)
	if !rec.Archived {
		t.Errorf("archived read %+v", rec)
	}
	id := srv.SeedTasks(1)[0]
	c.call("DELETE", datedBase+"tasks/"+id, nil, 204, nil)
	c.fail("GET", "/engagements/v1/engagements/"+id, nil, 404)
	if _, ok := srv.Engagement(mustID(t, id)); ok || srv.EngagementCount() != 0 {
		t.Errorf("deleted records are still engagements: %d", srv.EngagementCount())
	}
	// Types only v1 has stay v1 records.
	pub := srv.SeedEngagements("PUBLISHING_TASK", 1)[0]
	c.fail("GET", datedBase+"tasks/"+strconv.FormatInt(pub, 10), nil, 404)
	c.call("GET", "/engagements/v1/engagements/"+strconv.FormatInt(pub, 10), nil, 200, nil)
}
