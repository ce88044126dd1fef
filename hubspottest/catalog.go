package hubspottest

import "strings"

// The properties HubSpot defines for the engagement object types, from
// HubSpot's documentation of the tasks, emails, notes, calls and meetings
// APIs and the records it answers (see the package documentation). A
// property HubSpot computes, like hs_object_id, can be read; writing it is
// ignored, as before.

// appID is the id of the integration the fake says records come from
// (hs_object_source_id).
const appID = "1160452"

func props(typ PropertyType, names ...string) []Property {
	out := make([]Property, len(names))
	for i, n := range names {
		out[i] = Property{Name: n, Type: typ}
	}
	return out
}

func enum(name string, options ...string) Property {
	return Property{Name: name, Type: Enumeration, Options: options}
}

// commonProperties are the properties every engagement object type has.
func commonProperties() []Property {
	var ps []Property
	ps = append(ps, props(String,
		"hs_object_source", "hs_object_source_id", "hs_object_source_label", "hs_object_source_detail_1",
		"hs_object_source_detail_2", "hs_object_source_detail_3", "hs_body_preview", "hs_body_preview_html",
		"hs_all_owner_ids", "hs_user_ids_of_all_owners", "hs_all_team_ids", "hs_all_accessible_team_ids",
		"hs_attachment_ids", "hs_merged_object_ids", "hs_unique_id", "hs_activity_type", "hs_pipeline",
		"hs_pipeline_stage", "hs_at_mentioned_owner_ids", "hs_queue_membership_ids", "hubspot_team_id",
		"hs_engagement_source", "hs_engagement_source_id", "hs_product_name",
	)...)
	ps = append(ps, props(Number,
		"hs_object_id", "hubspot_owner_id", "hs_created_by", "hs_created_by_user_id", "hs_modified_by",
		"hs_updated_by_user_id", "hs_object_source_user_id",
	)...)
	ps = append(ps, props(DateTime, "hs_createdate", "hs_lastmodifieddate", "hs_timestamp", "hubspot_owner_assigneddate")...)
	ps = append(ps, props(Bool, "hs_body_preview_is_truncated", "hs_read_only", "hs_was_imported")...)
	return ps
}

// commonDefaults are the values HubSpot sets on every create through the API.
var commonDefaults = map[string]string{
	"hs_object_source":       "INTEGRATION",
	"hs_object_source_label": "INTEGRATION",
	"hs_object_source_id":    appID,
}

// objectKinds are the object types, with their properties, the defaults
// HubSpot sets on create (as its recorded create answers show), the text
// properties a search query looks into and the property whose text is the
// record's body preview.
var objectKinds = map[string]struct {
	upper    string // "TASK"
	props    []Property
	defaults map[string]string
	text     []string
	body     string
}{
	"tasks": {
		upper: "TASK", body: "hs_task_body",
		text: []string{"hs_task_subject", "hs_task_body"},
		props: join(
			props(String, "hs_task_subject", "hs_task_body", "hs_task_family", "hs_task_reminders",
				"hs_task_relative_reminders", "hs_task_repeat_interval", "hs_task_contact_timezone",
				"hs_task_for_object_type"),
			props(Number, "hs_task_completion_count", "hs_task_is_completed", "hs_task_is_completed_call",
				"hs_task_is_completed_email", "hs_task_is_completed_linked_in", "hs_task_is_completed_sequence",
				"hs_task_missed_due_date_count", "hs_task_template_id", "hs_task_sequence_step_order"),
			props(Bool, "hs_task_is_all_day", "hs_task_is_overdue", "hs_task_is_past_due_date",
				"hs_task_missed_due_date", "hs_task_send_default_reminder"),
			props(DateTime, "hs_task_completion_date", "hs_task_last_contact_outreach"),
			[]Property{
				enum("hs_task_status", "NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"),
				enum("hs_task_priority", "NONE", "LOW", "MEDIUM", "HIGH"),
				enum("hs_task_type", "TODO", "CALL", "EMAIL", "LINKED_IN", "MEETING"),
			},
		),
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
		props: join(
			props(String, "hs_email_subject", "hs_email_text", "hs_email_html", "hs_email_headers",
				"hs_email_from_email", "hs_email_from_firstname", "hs_email_from_lastname",
				"hs_email_to_email", "hs_email_to_firstname", "hs_email_to_lastname",
				"hs_email_cc_email", "hs_email_cc_firstname", "hs_email_cc_lastname",
				"hs_email_bcc_email", "hs_email_bcc_firstname", "hs_email_bcc_lastname",
				"hs_email_sender_email", "hs_email_sender_firstname", "hs_email_sender_lastname",
				"hs_email_thread_id", "hs_email_message_id", "hs_email_logged_from", "hs_email_post_send_status",
				"hs_email_send_event_id", "hs_email_sent_via", "hs_email_stream_id", "hs_email_error_message",
				"hs_email_thread_summary", "hs_email_validation_skipped", "hs_email_tracker_key"),
			props(Number, "hs_email_click_rate", "hs_email_open_rate", "hs_email_reply_rate"),
			props(Bool, "hs_email_attached_video_opened", "hs_email_attached_video_watched", "hs_email_member_of_forwarded_subthread"),
			[]Property{
				enum("hs_email_direction", "EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"),
				enum("hs_email_status", "BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"),
			},
		),
		defaults: map[string]string{
			"hs_email_attached_video_opened": "false", "hs_email_attached_video_watched": "false",
			"hs_email_click_rate": "0", "hs_email_open_rate": "0", "hs_email_reply_rate": "0",
		},
	},
	"notes": {
		upper: "NOTE", body: "hs_note_body",
		text:  []string{"hs_note_body"},
		props: props(String, "hs_note_body"),
	},
	"calls": {
		upper: "CALL", body: "hs_call_body",
		text: []string{"hs_call_title", "hs_call_body"},
		props: join(
			props(String, "hs_call_body", "hs_call_title", "hs_call_disposition", "hs_call_from_number",
				"hs_call_to_number", "hs_call_recording_url", "hs_call_video_recording_url", "hs_call_source",
				"hs_call_external_id", "hs_call_external_account_id", "hs_call_transcription_id",
				"hs_call_callee_object_type"),
			props(Number, "hs_call_duration", "hs_call_callee_object_id", "hs_call_app_id"),
			props(Bool, "hs_call_has_transcript"),
			[]Property{
				enum("hs_call_direction", "INBOUND", "OUTBOUND"),
				enum("hs_call_status", "BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING",
					"FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING"),
			},
		),
	},
	"meetings": {
		upper: "MEETING", body: "hs_meeting_body",
		text: []string{"hs_meeting_title", "hs_meeting_body"},
		props: join(
			props(String, "hs_meeting_title", "hs_meeting_body", "hs_internal_meeting_notes",
				"hs_meeting_external_url", "hs_meeting_location", "hs_meeting_location_type", "hs_meeting_source",
				"hs_meeting_source_id", "hs_meeting_web_conference_meeting_id"),
			props(DateTime, "hs_meeting_start_time", "hs_meeting_end_time"),
			props(Bool, "hs_include_description_in_reminder"),
			[]Property{enum("hs_meeting_outcome", "SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED")},
		),
	},
}

func join(lists ...[]Property) []Property {
	var out []Property
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
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
