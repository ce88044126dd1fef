package gencheck

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/engagekit/hubspot-engagements/gen/emails"
	"github.com/engagekit/hubspot-engagements/gen/engagementsv1"
	"github.com/engagekit/hubspot-engagements/gen/tasks"
)

// roundTrip decodes in into a fresh T, encodes it again and fails when the
// two JSON documents differ (compared as decoded values, numbers kept exact).
func roundTrip[T any](t *testing.T, in string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(in), &v); err != nil {
		t.Fatalf("decode: %v", err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	if diff := cmp.Diff(asAny(t, in), asAny(t, string(out))); diff != "" {
		t.Errorf("round trip changed the JSON (-sent +re-encoded):\n%s", diff)
	}
	return v
}

// asAny decodes s keeping numbers as json.Number, so that an int64 id that a
// float64 would round is still compared exactly.
func asAny(t *testing.T, s string) any {
	t.Helper()
	var v any
	d := json.NewDecoder(stringsReader(s))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

func TestV1EngagementRoundTrip(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		wantID int64
	}{
		{
			name: "id above 2^32, ms times, unknown fields, empty metadata",
			in: `{"engagement":{"id":9007199254740993,"portalId":62515,"active":true,"createdAt":1459244935877,
				"lastUpdated":1459244935877,"ownerId":0,"type":"NOTE","timestamp":1459244935871,
				"allAccessibleTeamIds":[],"someFutureField":{"nested":[1,null,"x"]}},
				"associations":{"contactIds":[4294967297],"companyIds":[],"dealIds":[],"ownerIds":[],"workflowIds":[],
				"ticketIds":[],"contentIds":[],"quoteIds":[],"marketingEventIds":[12345678901]},
				"attachments":[],"metadata":{}}`,
			wantID: 9007199254740993,
		},
		{
			name: "email with empty from, nulls in unknown fields, scheduled tasks",
			in: `{"engagement":{"id":4294967296,"type":"EMAIL","createdAt":1,"teamId":112117,"unknownNull":null,"uid":"true"},
				"associations":{"contactIds":[1085724]},
				"metadata":{"from":{},"sender":{},"emailSendEventId":{},"validationSkipped":[],"to":[{"email":"a <a@example.com>"}],"text":null},
				"scheduledTasks":[{"engagementId":4294967296,"portalId":62515,"engagementType":"TASK","taskType":"REMINDER","timestamp":1430434800000,"uuid":"TASK:x"}],
				"extraTop":null}`,
			wantID: 4294967296,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Engagement is a oneOf: it keeps the JSON as it came, and each
			// variant decodes it.
			e := roundTrip[engagementsv1.Engagement](t, tt.in)
			var id *int64
			if note, err := e.AsNoteEngagement(); err == nil && note.Engagement.Type == engagementsv1.NoteEngagementEngagementTypeNOTE {
				id = note.Engagement.ID
			} else if email, err := e.AsEmailEngagement(); err == nil {
				id = email.Engagement.ID
			}
			if id == nil || *id != tt.wantID {
				t.Fatalf("engagement.id = %v, want %d", id, tt.wantID)
			}
		})
	}
}

func TestV1MetadataSchemasRoundTrip(t *testing.T) {
	// Each metadata type keeps the fields it does not name.
	roundTrip[engagementsv1.EmailMetadata](t, `{"from":{"email":"a@example.com","firstName":"A"},"to":[],"cc":[],"bcc":[],"subject":"s","html":"<b>h</b>","text":"h","status":"SENT","trackerKey":"k"}`)
	roundTrip[engagementsv1.CallMetadata](t, `{"toNumber":"1","fromNumber":"2","status":"COMPLETED","durationMilliseconds":38000,"disposition":"f240bbac-87c9-4f6e-bf70-924b57d47db7","unknown":1.5}`)
	roundTrip[engagementsv1.MeetingMetadata](t, `{"body":"b","startTime":1700000000000,"endTime":1700000360000,"title":"t","internalMeetingNotes":"n","location":null}`)
	roundTrip[engagementsv1.TaskMetadata](t, `{"body":"b","subject":"s","status":"NOT_STARTED","forObjectType":"CONTACT","taskType":"TODO","priority":"HIGH","reminders":[1700000000000],"sendDefaultReminder":false}`)
	roundTrip[engagementsv1.NoteMetadata](t, `{"body":"<div>note&nbsp;</div>"}`)
	roundTrip[engagementsv1.RecentEngagementPage](t, `{"results":[],"hasMore":false,"offset":36579065,"total":1187}`)
}

func TestV3PropertiesKeepNullApartFromEmpty(t *testing.T) {
	const in = `{"id":"512","properties":{"hs_task_subject":"Call back","hs_task_body":"","hubspot_owner_id":null},
		"createdAt":"2025-03-15T14:30:00Z","updatedAt":"2025-03-15T14:30:00Z","archived":false,"futureField":[null]}`
	task := roundTrip[tasks.Task](t, in)
	email := roundTrip[emails.EmailEngagement](t, in)
	for name, props := range map[string]*map[string]*string{"task": task.Properties, "email": email.Properties} {
		if props == nil {
			t.Fatalf("%s: no properties", name)
		}
		p := *props
		if v, ok := p["hubspot_owner_id"]; !ok || v != nil {
			t.Errorf("%s: hubspot_owner_id = %v (present %v), want present and null", name, v, ok)
		}
		if v, ok := p["hs_task_body"]; !ok || v == nil || *v != "" {
			t.Errorf(`%s: hs_task_body = %v, want ""`, name, v)
		}
	}
}
