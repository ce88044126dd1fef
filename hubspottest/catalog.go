package hubspottest

import (
	"strings"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// The properties HubSpot defines for the engagement object types, from
// HubSpot's documentation of the tasks, emails, notes, calls and meetings
// APIs and the records it answers (see the package documentation). A
// property HubSpot computes, like hs_object_id, can be read; writing it is
// ignored, as before.

// appID is the id of the integration the fake says records come from
// (hs_object_source_id).
const appID = "1160452"

// tableProps are the properties of internal/props, the one table of
// HubSpot's properties the facade and internal/v1map read too.
func tableProps(ps []props.Property) []Property {
	out := make([]Property, len(ps))
	for i, p := range ps {
		out[i] = Property{Name: p.Name, Type: PropertyType(p.Type), Options: p.Options}
	}
	return out
}

// commonDefaults are the values HubSpot sets on every create through the API.
var commonDefaults = map[string]string{
	"hs_object_source":       "INTEGRATION",
	"hs_object_source_label": "INTEGRATION",
	"hs_object_source_id":    appID,
}

// objectKinds are the object types (their properties are internal/props's), the defaults
// HubSpot sets on create (as its recorded create answers show), the text
// properties a search query looks into and the property whose text is the
// record's body preview.
var objectKinds = map[string]struct {
	upper    string // "TASK"
	defaults map[string]string
	text     []string
	body     string
}{
	"tasks": {
		upper: "TASK", body: "hs_task_body",
		text: []string{"hs_task_subject", "hs_task_body"},
		defaults: map[string]string{
			"hs_task_status": "NOT_STARTED", "hs_task_family": "SALES", "hs_task_for_object_type": "OWNER",
			"hs_task_completion_count": "0", "hs_task_is_all_day": "false", "hs_task_is_completed": "0",
			"hs_task_is_completed_call": "0", "hs_task_is_completed_email": "0", "hs_task_is_completed_linked_in": "0",
			"hs_task_is_completed_sequence": "0", "hs_task_is_overdue": "false", "hs_task_is_past_due_date": "false",
			"hs_task_missed_due_date": "false", "hs_task_missed_due_date_count": "0",
		},
	},
	"emails": {
		upper: "EMAIL", body: "hs_email_text",
		text: []string{"hs_email_subject", "hs_email_text", "hs_email_html"},
		defaults: map[string]string{
			"hs_email_attached_video_opened": "false", "hs_email_attached_video_watched": "false",
			"hs_email_click_rate": "0", "hs_email_open_rate": "0", "hs_email_reply_rate": "0",
		},
	},
	"notes": {
		upper: "NOTE", body: "hs_note_body",
		text: []string{"hs_note_body"},
	},
	"calls": {
		upper: "CALL", body: "hs_call_body",
		text: []string{"hs_call_title", "hs_call_body"},
	},
	"meetings": {
		upper: "MEETING", body: "hs_meeting_body",
		text: []string{"hs_meeting_title", "hs_meeting_body"},
	},
	"communications": {
		upper: "COMMUNICATION", body: "hs_communication_body",
		text: []string{"hs_communication_body"},
	},
	"postal_mail": {
		upper: "POSTAL_MAIL", body: "hs_postal_mail_body",
		text: []string{"hs_postal_mail_body"},
	},
}

// bodyPreview is HubSpot's hs_body_preview of a body: its text without
// markup and with runs of whitespace as one space.
func bodyPreview(body string) string {
	var b strings.Builder
	inTag := false
	for _, r := range body {
		switch {
		case r == '<':
			inTag = true
		case r == '>' && inTag:
			inTag = false
			b.WriteByte(' ')
		case !inTag:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
