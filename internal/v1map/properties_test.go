package v1map

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestToProperties(t *testing.T) {
	tests := []struct {
		name         string
		typ          string
		eng, meta    map[string]string
		attachments  string
		mode         Mode
		want         map[string]string
		wantUnmapped []string
		wantErr      string // errorKind
	}{{
		name: "note create",
		typ:  TypeNote,
		eng:  map[string]string{"type": `"NOTE"`, "ownerId": "12", "timestamp": "1409172644778", "active": "true"},
		meta: map[string]string{"body": `"<b>hi</b> é"`},
		want: map[string]string{"hs_timestamp": "2014-08-27T20:50:44.778Z", "hubspot_owner_id": "12", "hs_note_body": "<b>hi</b> é"},
	}, {
		name: "owner 0 is no owner",
		typ:  TypeNote,
		eng:  map[string]string{"ownerId": "0"},
		want: map[string]string{"hubspot_owner_id": ""},
	}, {
		name:         "read-only fields of a request are left out and reported",
		typ:          TypeNote,
		eng:          map[string]string{"id": "51484873", "createdAt": "1450278022053", "timestamp": "0"},
		want:         map[string]string{"hs_timestamp": "1970-01-01T00:00:00.000Z"},
		wantUnmapped: []string{"engagement.createdAt", "engagement.id"},
	}, {
		name: "read-only fields of a record are converted",
		typ:  TypeNote,
		mode: ModeRecord,
		eng:  map[string]string{"id": "4294967297000", "lastUpdated": "-1", "bodyPreviewIsTruncated": "false"},
		want: map[string]string{"hs_object_id": "4294967297000", "hs_lastmodifieddate": "1969-12-31T23:59:59.999Z", "hs_body_preview_is_truncated": "false"},
	}, {
		name:    "a request with a uid is refused",
		typ:     TypeEmail,
		eng:     map[string]string{"uid": `"828e5c1e"`, "portalId": "62515"},
		wantErr: "unmapped",
	}, {
		name:         "a record with a uid loses it, reported",
		typ:          TypeEmail,
		mode:         ModeRecord,
		eng:          map[string]string{"uid": `"828e5c1e"`, "teamId": "112117"},
		want:         map[string]string{},
		wantUnmapped: []string{"engagement.teamId", "engagement.uid"},
	}, {
		name:    "an inactive request is refused",
		typ:     TypeTask,
		eng:     map[string]string{"active": "false"},
		wantErr: "value",
	}, {
		name:         "an inactive record is reported",
		typ:          TypeTask,
		mode:         ModeRecord,
		eng:          map[string]string{"active": "false"},
		want:         map[string]string{},
		wantUnmapped: []string{"engagement.active"},
	}, {
		name:    "a type that is not the one converted",
		typ:     TypeNote,
		eng:     map[string]string{"type": `"CALL"`},
		wantErr: "value",
	}, {
		name:    "an internal type has no object",
		typ:     "PUBLISHING_TASK",
		wantErr: "type",
	}, {
		name:    "a time as text",
		typ:     TypeNote,
		eng:     map[string]string{"timestamp": `"1409172644778"`},
		wantErr: "value",
	}, {
		name:    "a time with a fraction",
		typ:     TypeNote,
		eng:     map[string]string{"timestamp": "1409172644778.5"},
		wantErr: "value",
	}, {
		name:    "a time after the year 9999",
		typ:     TypeNote,
		eng:     map[string]string{"timestamp": "253402300800000"},
		wantErr: "value",
	}, {
		name:    "an id beyond int64",
		typ:     TypeNote,
		mode:    ModeRecord,
		eng:     map[string]string{"id": "9223372036854775808"},
		wantErr: "value",
	}, {
		name:    "a negative owner",
		typ:     TypeNote,
		eng:     map[string]string{"ownerId": "-3"},
		wantErr: "value",
	}, {
		name: "nulls are absent fields",
		typ:  TypeNote,
		eng:  map[string]string{"ownerId": "null", "uid": "null", "foo": "null"},
		meta: map[string]string{"body": "null"},
		want: map[string]string{},
	}, {
		name: "call",
		typ:  TypeCall,
		eng:  map[string]string{"type": `"CALL"`, "activityType": `"Discovery"`},
		meta: map[string]string{"toNumber": `"+1 509 999 9999"`, "fromNumber": `"(857) 829 5489"`, "status": `"NO_ANSWER"`,
			"externalId": `"call-01"`, "durationMilliseconds": "3800", "externalAccountId": `"acct-01"`,
			"recordingUrl": `"https://example.com/r.wav"`, "body": `"Resolved"`, "disposition": `"73a0d17f-1163-4015-bdd5-ec830791da20"`},
		attachments: `[{"id":24332474034},{"id":24332474044}]`,
		want: map[string]string{"hs_activity_type": "Discovery", "hs_call_to_number": "+1 509 999 9999",
			"hs_call_from_number": "(857) 829 5489", "hs_call_status": "NO_ANSWER", "hs_call_external_id": "call-01",
			"hs_call_duration": "3800", "hs_call_external_account_id": "acct-01", "hs_call_recording_url": "https://example.com/r.wav",
			"hs_call_body": "Resolved", "hs_call_disposition": "73a0d17f-1163-4015-bdd5-ec830791da20",
			"hs_attachment_ids": "24332474034;24332474044"},
	}, {
		name: "meeting",
		typ:  TypeMeeting,
		meta: map[string]string{"body": `"Intro"`, "startTime": "1616461364872", "endTime": "1616464364872",
			"title": `"Intro meeting"`, "internalMeetingNotes": `"notes"`},
		want: map[string]string{"hs_meeting_body": "Intro", "hs_meeting_start_time": "2021-03-23T01:02:44.872Z",
			"hs_meeting_end_time": "2021-03-23T01:52:44.872Z", "hs_meeting_title": "Intro meeting", "hs_internal_meeting_notes": "notes"},
	}, {
		name: "task",
		typ:  TypeTask,
		meta: map[string]string{"body": `"Send"`, "subject": `"Follow up"`, "status": `"WAITING"`, "forObjectType": `"DEAL"`,
			"taskType": `"CALL"`, "priority": `"NONE"`, "reminders": "[1430434800000,1430438400000]"},
		attachments: "[]",
		want: map[string]string{"hs_task_body": "Send", "hs_task_subject": "Follow up", "hs_task_status": "WAITING",
			"hs_task_for_object_type": "DEAL", "hs_task_type": "CALL", "hs_task_priority": "NONE",
			"hs_task_reminders": "1430434800000;1430438400000"},
	}, {
		name: "task without reminders",
		typ:  TypeTask,
		meta: map[string]string{"reminders": "[]"},
		want: map[string]string{"hs_task_reminders": ""},
	}, {
		name:        "task attachments have no property",
		typ:         TypeTask,
		attachments: `[{"id":1}]`,
		wantErr:     "unmapped",
	}, {
		name:        "an attachment's other fields are refused in a request",
		typ:         TypeNote,
		attachments: `[{"id":5,"name":"a.pdf"}]`,
		wantErr:     "unmapped",
	}, {
		name:         "an attachment's other fields are reported in a record",
		typ:          TypeNote,
		mode:         ModeRecord,
		attachments:  `[{"id":5,"name":"a.pdf"},{"id":6}]`,
		want:         map[string]string{"hs_attachment_ids": "5;6"},
		wantUnmapped: []string{"attachments.name"},
	}, {
		name:        "an attachment without id",
		typ:         TypeNote,
		attachments: `[{"name":"a.pdf"}]`,
		wantErr:     "value",
	}, {
		name: "email",
		typ:  TypeEmail,
		eng:  map[string]string{"type": `"EMAIL"`},
		meta: map[string]string{"from": `{"email":"a@b.c", "firstName":"A"}`, "sender": `{}`,
			"to": `[{"email":"X <x@y.z>"}]`, "cc": `[]`, "bcc": `[{"email":"b@c.d","extra":[1]}]`,
			"subject": `"Hi"`, "html": `"<p>x</p>"`, "text": `"x"`, "status": `"SENT"`},
		want: map[string]string{"hs_email_direction": "EMAIL",
			"hs_email_headers": `{"from":{"email":"a@b.c","firstName":"A"},"sender":{},"to":[{"email":"X <x@y.z>"}],"cc":[],"bcc":[{"email":"b@c.d","extra":[1]}]}`,
			"hs_email_subject": "Hi", "hs_email_html": "<p>x</p>", "hs_email_text": "x", "hs_email_status": "SENT"},
	}, {
		name: "incoming email",
		typ:  TypeIncomingEmail,
		eng:  map[string]string{"type": `"INCOMING_EMAIL"`},
		want: map[string]string{"hs_email_direction": "INCOMING_EMAIL"},
	}, {
		name: "an email update without type leaves the direction",
		typ:  TypeEmail,
		meta: map[string]string{"subject": `"Re"`},
		want: map[string]string{"hs_email_subject": "Re"},
	}, {
		name:    "email recipients that are not a list",
		typ:     TypeEmail,
		meta:    map[string]string{"to": `{"email":"x@y.z"}`},
		wantErr: "value",
	}, {
		name:    "an email sender that is not an object",
		typ:     TypeEmail,
		meta:    map[string]string{"from": `"x@y.z"`},
		wantErr: "value",
	}, {
		name:    "an unknown metadata field of a request",
		typ:     TypeEmail,
		meta:    map[string]string{"emailSendEventId": `{}`},
		wantErr: "unmapped",
	}, {
		name:         "unknown metadata fields of a record",
		typ:          TypeEmail,
		mode:         ModeRecord,
		meta:         map[string]string{"emailSendEventId": `{}`, "validationSkipped": `[]`},
		want:         map[string]string{},
		wantUnmapped: []string{"metadata.emailSendEventId", "metadata.validationSkipped"},
	}, {
		name:    "activityType of a note",
		typ:     TypeNote,
		eng:     map[string]string{"activityType": `"x"`},
		wantErr: "unmapped",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := Record{Engagement: raws(tt.eng), Metadata: raws(tt.meta)}
			if tt.attachments != "" {
				rec.Attachments = json.RawMessage(tt.attachments)
			}
			props, unmapped, err := ToProperties(tt.typ, rec, tt.mode)
			if got := errorKind(err); got != tt.wantErr {
				t.Fatalf("error %q (%v), want %q", got, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if d := cmp.Diff(tt.want, props); d != "" {
				t.Errorf("properties (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tt.wantUnmapped, unmapped); d != "" {
				t.Errorf("unmapped (-want +got):\n%s", d)
			}
			// Whatever converts reads back: stored, every mapped value
			// round trips.
			stored, unmapped, err := ToProperties(tt.typ, rec, ModeRecord)
			if err != nil {
				t.Fatal(err)
			}
			back, err := FromProperties(tt.typ, pointers(stored))
			if err != nil {
				t.Fatalf("FromProperties: %v", err)
			}
			checkRoundTrip(t, tt.typ, rec, back, unmapped)
		})
	}
}

func TestFromProperties(t *testing.T) {
	tests := []struct {
		name      string
		typ       string
		props     map[string]string
		nulls     []string
		eng, meta map[string]string // expected fields; engagement.active and type are checked apart
		attach    string
		wantType  string
		wantErr   bool
	}{{
		name:  "ISO time without fraction",
		typ:   TypeNote,
		props: map[string]string{"hs_timestamp": "2021-11-12T15:48:22Z", "hs_note_body": ""},
		eng:   map[string]string{"timestamp": "1636732102000"},
		meta:  map[string]string{"body": `""`},
	}, {
		name:  "epoch milliseconds, offsets, fractions beyond the millisecond",
		typ:   TypeMeeting,
		props: map[string]string{"hs_timestamp": "1636732102000", "hs_meeting_start_time": "2021-11-12T16:48:22.1239+01:00", "hs_meeting_end_time": "1969-12-31T23:59:59.9999Z"},
		eng:   map[string]string{"timestamp": "1636732102000"},
		meta:  map[string]string{"startTime": "1636732102123", "endTime": "-1"},
	}, {
		name:    "a time that is neither",
		typ:     TypeNote,
		props:   map[string]string{"hs_timestamp": "yesterday"},
		wantErr: true,
	}, {
		name:    "a date without time",
		typ:     TypeNote,
		props:   map[string]string{"hs_timestamp": "2021-11-12"},
		wantErr: true,
	}, {
		name:  "numbers with a zero fraction, empty numbers",
		typ:   TypeCall,
		props: map[string]string{"hs_call_duration": "3800.0", "hubspot_owner_id": "", "hs_object_id": "1"},
		eng:   map[string]string{"id": "1"},
		meta:  map[string]string{"durationMilliseconds": "3800"},
	}, {
		name:    "a duration with a fraction",
		typ:     TypeCall,
		props:   map[string]string{"hs_call_duration": "3800.5"},
		wantErr: true,
	}, {
		name:  "owner 0 and null properties",
		typ:   TypeTask,
		props: map[string]string{"hubspot_owner_id": "0"},
		nulls: []string{"hs_task_body", "hs_task_reminders", "hs_timestamp"},
	}, {
		name:    "a negative owner",
		typ:     TypeTask,
		props:   map[string]string{"hubspot_owner_id": "-1"},
		wantErr: true,
	}, {
		name:  "lists",
		typ:   TypeTask,
		props: map[string]string{"hs_task_reminders": "1;2", "hs_task_priority": "HIGH"},
		meta:  map[string]string{"reminders": "[1,2]", "priority": `"HIGH"`},
	}, {
		name:  "empty lists",
		typ:   TypeNote,
		props: map[string]string{"hs_attachment_ids": ""},
		meta:  map[string]string{},
	}, {
		name:    "a reminder that is not a number",
		typ:     TypeTask,
		props:   map[string]string{"hs_task_reminders": "1;x"},
		wantErr: true,
	}, {
		name:    "an attachment id 0",
		typ:     TypeEmail,
		props:   map[string]string{"hs_attachment_ids": "0"},
		wantErr: true,
	}, {
		name:    "a truncation flag that is not a boolean",
		typ:     TypeNote,
		props:   map[string]string{"hs_body_preview_is_truncated": "maybe"},
		wantErr: true,
	}, {
		name:     "an incoming email",
		typ:      TypeEmail,
		props:    map[string]string{"hs_email_direction": "INCOMING_EMAIL", "hs_email_headers": `{"from":{"email":"a@b.c"},"to":[],"x":1}`},
		meta:     map[string]string{"from": `{"email":"a@b.c"}`, "to": "[]"},
		wantType: TypeIncomingEmail,
	}, {
		name:    "a direction that is no email type",
		typ:     TypeEmail,
		props:   map[string]string{"hs_email_direction": "NOTE"},
		wantErr: true,
	}, {
		name:    "headers that are not JSON",
		typ:     TypeEmail,
		props:   map[string]string{"hs_email_headers": "{"},
		wantErr: true,
	}, {
		name:    "recipients that are not a list",
		typ:     TypeEmail,
		props:   map[string]string{"hs_email_headers": `{"to":{"email":"a"}}`},
		wantErr: true,
	}, {
		name:  "no headers: the sender from HubSpot's read-only properties",
		typ:   TypeEmail,
		props: map[string]string{"hs_email_from_email": "a@b.c", "hs_email_from_lastname": "L", "hs_email_to_email": "x"},
		meta:  map[string]string{"from": `{"email":"a@b.c","lastName":"L"}`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			props := pointers(tt.props)
			for _, n := range tt.nulls {
				props[n] = nil
			}
			rec, err := FromProperties(tt.typ, props)
			if (err != nil) != tt.wantErr {
				t.Fatalf("error %v, want one: %v", err, tt.wantErr)
			}
			if err != nil {
				if errorKind(err) != "value" {
					t.Errorf("error %v is not a *ValueError", err)
				}
				return
			}
			wantType := tt.wantType
			if wantType == "" {
				wantType = tt.typ
			}
			if string(rec.Engagement["type"]) != `"`+wantType+`"` || string(rec.Engagement["active"]) != "true" {
				t.Errorf("type %s, active %s; want %q, true", rec.Engagement["type"], rec.Engagement["active"], wantType)
			}
			delete(rec.Engagement, "type")
			delete(rec.Engagement, "active")
			for _, c := range []struct {
				part      string
				want, got map[string]json.RawMessage
			}{{"engagement", raws(tt.eng), rec.Engagement}, {"metadata", raws(tt.meta), rec.Metadata}} {
				if len(c.want) != len(c.got) {
					t.Errorf("%s has %d fields, want %d: %s", c.part, len(c.got), len(c.want), c.got)
				}
				for k, w := range c.want {
					if d := sameJSON(t, w, c.got[k]); d != "" {
						t.Errorf("%s.%s (-want +got):\n%s", c.part, k, d)
					}
				}
			}
			if tt.attach == "" && tt.props["hs_attachment_ids"] == "" && rec.Attachments != nil && string(rec.Attachments) != "[]" {
				t.Errorf("attachments %s", rec.Attachments)
			}
		})
	}
}

func TestPropertyNames(t *testing.T) {
	got, err := PropertyNames(TypeNote)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"hs_attachment_ids", "hs_body_preview", "hs_body_preview_html", "hs_body_preview_is_truncated",
		"hs_createdate", "hs_lastmodifieddate", "hs_note_body", "hs_object_id", "hs_timestamp", "hubspot_owner_id"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("NOTE (-want +got):\n%s", d)
	}
	got, _ = PropertyNames(TypeForwardedEmail)
	for _, p := range []string{"hs_email_headers", "hs_email_direction", "hs_email_from_email"} {
		if !contains(got, p) {
			t.Errorf("email properties %v lack %s", got, p)
		}
	}
	if _, err := PropertyNames("CONTACT"); errorKind(err) != "type" {
		t.Errorf("CONTACT: %v, want a *TypeError", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
