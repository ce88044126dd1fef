// Package props is the one table of the properties HubSpot defines for the
// engagement object types (tasks, emails, notes, calls, meetings,
// communications, postal mail): each
// property's name, type, enumeration options, the longest value HubSpot
// accepts where it has a limit, and the facade accessors that read it.
//
// The facade validates values and picks the properties a listing asks for
// by default from it; internal/v1map checks its v1 field mapping against
// it; the fake server (hubspottest) knows these properties and checks
// values against them. Adding an object type is its entry in Objects.
//
// Sources: HubSpot's guides of the five object APIs
// (developers.hubspot.com/docs/api-reference/latest/crm/activities/…/guide),
// the records HubSpot answers (shared/fixtures/recorded) and, for the note
// limit, HubSpot's reference of POST /engagements/v1/engagements ("the
// body of the note will be limited to 65536 characters").
package props

import (
	"slices"
	"strings"
)

// Type is the type of a property's values, as HubSpot's properties API
// names it.
type Type string

// The property types.
const (
	String      Type = "string"
	Number      Type = "number"
	Enumeration Type = "enumeration"
	DateTime    Type = "datetime"
	Date        Type = "date"
	Bool        Type = "bool"
)

// Property is one property of an object type.
type Property struct {
	Name string
	Type Type
	// Options are an Enumeration's values. Where HubSpot's documents and
	// its answers disagree, both are kept: nothing HubSpot accepts is
	// refused.
	Options []string
	// MaxLength is the longest value HubSpot accepts, in UTF-16 code units
	// (HubSpot's count: a character outside the Basic Multilingual Plane
	// counts 2); 0 when HubSpot documents no limit.
	MaxLength int
	// Readers are the facade accessors that read the property, as
	// "Record.Method" ("Task.Subject"); a listing asks for these
	// properties by default.
	Readers []string
}

// Object is an object type and its own properties (Common are every
// type's).
type Object struct {
	// Type is the object type as in paths: "tasks".
	Type string
	// Record is the facade's record type: "Task".
	Record string
	// Props are the type's own properties.
	Props []Property
}

// MaxNoteBody is the longest hs_note_body HubSpot accepts.
const MaxNoteBody = 65536

func of(t Type, names ...string) []Property {
	out := make([]Property, len(names))
	for i, n := range names {
		out[i] = Property{Name: n, Type: t}
	}
	return out
}

func enum(name string, readers []string, options ...string) Property {
	return Property{Name: name, Type: Enumeration, Options: options, Readers: readers}
}

func read(p Property, readers ...string) Property {
	p.Readers = readers
	return p
}

func text(name string, readers ...string) Property {
	return Property{Name: name, Type: String, Readers: readers}
}

// Common are the properties every engagement object type has.
var Common = slices.Concat(
	of(String,
		"hs_object_source", "hs_object_source_id", "hs_object_source_label", "hs_object_source_detail_1",
		"hs_object_source_detail_2", "hs_object_source_detail_3", "hs_body_preview", "hs_body_preview_html",
		"hs_all_owner_ids", "hs_user_ids_of_all_owners", "hs_all_team_ids", "hs_all_accessible_team_ids",
		"hs_attachment_ids", "hs_merged_object_ids", "hs_unique_id", "hs_activity_type", "hs_pipeline",
		"hs_pipeline_stage", "hs_at_mentioned_owner_ids", "hs_queue_membership_ids", "hubspot_team_id",
		"hs_engagement_source", "hs_engagement_source_id", "hs_product_name",
	),
	of(Number,
		"hs_object_id", "hubspot_owner_id", "hs_created_by", "hs_created_by_user_id", "hs_modified_by",
		"hs_updated_by_user_id", "hs_object_source_user_id",
	),
	[]Property{read(Property{Name: "hs_timestamp", Type: DateTime}, "Task.Due", "Email.Timestamp", "Note.Timestamp", "Call.Timestamp",
		"Communication.Timestamp", "PostalMail.Timestamp")},
	of(DateTime, "hs_createdate", "hs_lastmodifieddate", "hubspot_owner_assigneddate"),
	of(Bool, "hs_body_preview_is_truncated", "hs_read_only", "hs_was_imported"),
)

// Objects are the engagement object types and their own properties.
var Objects = []Object{
	{Type: "tasks", Record: "Task", Props: slices.Concat(
		[]Property{text("hs_task_subject", "Task.Subject"), text("hs_task_body", "Task.Body")},
		of(String, "hs_task_family", "hs_task_reminders",
			"hs_task_relative_reminders", "hs_task_repeat_interval", "hs_task_contact_timezone",
			"hs_task_for_object_type"),
		of(Number, "hs_task_completion_count", "hs_task_is_completed", "hs_task_is_completed_call",
			"hs_task_is_completed_email", "hs_task_is_completed_linked_in", "hs_task_is_completed_sequence",
			"hs_task_missed_due_date_count", "hs_task_template_id", "hs_task_sequence_step_order"),
		of(Bool, "hs_task_is_all_day", "hs_task_is_overdue", "hs_task_is_past_due_date",
			"hs_task_missed_due_date", "hs_task_send_default_reminder"),
		of(DateTime, "hs_task_completion_date", "hs_task_last_contact_outreach"),
		[]Property{
			enum("hs_task_status", []string{"Task.Status"}, "NOT_STARTED", "IN_PROGRESS", "WAITING", "COMPLETED", "DEFERRED"),
			enum("hs_task_priority", []string{"Task.Priority"}, "NONE", "LOW", "MEDIUM", "HIGH"),
			// HubSpot's options, each kept on a source: TODO, CALL, EMAIL
			// (HubSpot's tasks guide: "Values include EMAIL, CALL, or
			// TODO", not a closed list); LINKED_IN_CONNECT,
			// LINKED_IN_MESSAGE, MEETING (HubSpot's own 2026-03 sequences
			// document, PublicApiSpecs/Automation/Sequences/Rollouts/177891/
			// 2026-03/sequences.json: a sequence task's taskType is CALL,
			// EMAIL, LINKED_IN_CONNECT, LINKED_IN_MESSAGE, MEETING or TODO;
			// HubSpot's task-form code offers the two LinkedIn ones as
			// hs_task_type options); LINKED_IN (HubSpot's hs_task_type
			// definition as public projects recorded it from a portal: the
			// seven options To Do, Call, Email, LinkedIn, Meeting, Sales
			// Navigator - Connection Request, Sales Navigator - InMail).
			enum("hs_task_type", []string{"Task.Type"}, "TODO", "CALL", "EMAIL", "LINKED_IN", "LINKED_IN_CONNECT", "LINKED_IN_MESSAGE", "MEETING"),
		},
	)},
	{Type: "emails", Record: "Email", Props: slices.Concat(
		[]Property{text("hs_email_subject", "Email.Subject"), text("hs_email_text", "Email.Text"), text("hs_email_html", "Email.HTML")},
		of(String, "hs_email_headers",
			"hs_email_from_email", "hs_email_from_firstname", "hs_email_from_lastname",
			"hs_email_to_email", "hs_email_to_firstname", "hs_email_to_lastname",
			"hs_email_cc_email", "hs_email_cc_firstname", "hs_email_cc_lastname",
			"hs_email_bcc_email", "hs_email_bcc_firstname", "hs_email_bcc_lastname",
			"hs_email_sender_email", "hs_email_sender_firstname", "hs_email_sender_lastname",
			"hs_email_thread_id", "hs_email_message_id", "hs_email_logged_from", "hs_email_post_send_status",
			"hs_email_send_event_id", "hs_email_sent_via", "hs_email_stream_id", "hs_email_error_message",
			"hs_email_thread_summary", "hs_email_validation_skipped", "hs_email_tracker_key"),
		of(Number, "hs_email_click_rate", "hs_email_open_rate", "hs_email_reply_rate"),
		of(Bool, "hs_email_attached_video_opened", "hs_email_attached_video_watched", "hs_email_member_of_forwarded_subthread"),
		[]Property{
			enum("hs_email_direction", []string{"Email.Direction"}, "EMAIL", "INCOMING_EMAIL", "FORWARDED_EMAIL"),
			enum("hs_email_status", []string{"Email.Status"}, "BOUNCED", "FAILED", "SCHEDULED", "SENDING", "SENT"),
		},
	)},
	{Type: "notes", Record: "Note", Props: []Property{
		{Name: "hs_note_body", Type: String, MaxLength: MaxNoteBody, Readers: []string{"Note.Body"}},
	}},
	{Type: "calls", Record: "Call", Props: slices.Concat(
		[]Property{text("hs_call_body", "Call.Body"), text("hs_call_title", "Call.Title")},
		of(String, "hs_call_disposition", "hs_call_from_number",
			"hs_call_to_number", "hs_call_recording_url", "hs_call_video_recording_url", "hs_call_source",
			"hs_call_external_id", "hs_call_external_account_id", "hs_call_transcription_id",
			"hs_call_callee_object_type"),
		[]Property{read(Property{Name: "hs_call_duration", Type: Number}, "Call.Duration")},
		of(Number, "hs_call_callee_object_id", "hs_call_app_id"),
		of(Bool, "hs_call_has_transcript"),
		[]Property{
			enum("hs_call_direction", []string{"Call.Direction"}, "INBOUND", "OUTBOUND"),
			// HubSpot's hs_call_status definition as public projects
			// recorded it from a portal: these eleven options, MISSED
			// ("Missed") among them, which v1's CALL statuses lack. MISSED
			// is also a final call status of HubSpot's calling extensions
			// (POST /crm/extensions/calling/2026-03/inbound-call, as SDKs
			// generated from that document list it).
			enum("hs_call_status", []string{"Call.Status"}, "BUSY", "CALLING_CRM_USER", "CANCELED", "COMPLETED", "CONNECTING",
				"FAILED", "IN_PROGRESS", "MISSED", "NO_ANSWER", "QUEUED", "RINGING"),
		},
	)},
	{Type: "meetings", Record: "Meeting", Props: slices.Concat(
		[]Property{text("hs_meeting_title", "Meeting.Title"), text("hs_meeting_body", "Meeting.Body")},
		of(String, "hs_internal_meeting_notes",
			"hs_meeting_external_url", "hs_meeting_location", "hs_meeting_location_type", "hs_meeting_source",
			"hs_meeting_source_id", "hs_meeting_web_conference_meeting_id"),
		[]Property{
			read(Property{Name: "hs_meeting_start_time", Type: DateTime}, "Meeting.Start"),
			read(Property{Name: "hs_meeting_end_time", Type: DateTime}, "Meeting.End"),
		},
		of(Bool, "hs_include_description_in_reminder"),
		[]Property{enum("hs_meeting_outcome", []string{"Meeting.Outcome"}, "SCHEDULED", "COMPLETED", "RESCHEDULED", "NO_SHOW", "CANCELED")},
	)},
	// HubSpot's communications guide (api-reference/latest/crm/objects/
	// communications/guide): a WhatsApp, LinkedIn or SMS message; the
	// channel is WHATS_APP, LINKEDIN_MESSAGE or SMS, and
	// hs_communication_logged_from "must be set to CRM" by the API.
	{Type: "communications", Record: "Communication", Props: []Property{
		text("hs_communication_body", "Communication.Body"),
		enum("hs_communication_channel_type", []string{"Communication.Channel"}, "SMS", "WHATS_APP", "LINKEDIN_MESSAGE"),
		enum("hs_communication_logged_from", []string{"Communication.LoggedFrom"}, "CRM"),
	}},
	// HubSpot's postal mail guide (api-reference/latest/crm/activities/
	// postal-mail/guide): hs_timestamp, hs_postal_mail_body,
	// hubspot_owner_id, hs_attachment_ids.
	{Type: "postal_mail", Record: "PostalMail", Props: []Property{
		text("hs_postal_mail_body", "PostalMail.Body"),
	}},
}

// index is the table by object type, built once.
var index = func() map[string]*indexed {
	m := map[string]*indexed{}
	for _, o := range Objects {
		x := &indexed{all: slices.Concat(Common, o.Props), byName: map[string]Property{}}
		for _, p := range x.all {
			x.byName[p.Name] = p
			if p.Type == Enumeration || p.MaxLength > 0 {
				x.checked = append(x.checked, p)
			}
			if slices.ContainsFunc(p.Readers, func(r string) bool { return strings.HasPrefix(r, o.Record+".") }) {
				x.read = append(x.read, p.Name)
			}
		}
		slices.Sort(x.read)
		m[o.Type] = x
	}
	return m
}()

type indexed struct {
	all, checked []Property
	byName       map[string]Property
	read         []string
}

// All returns every property of the object type t, Common first; nil for
// an unknown type. The slice is the caller's; its properties share Options
// and Readers with the table, which nobody changes.
func All(t string) []Property {
	if x := index[t]; x != nil {
		return slices.Clone(x.all)
	}
	return nil
}

// Find returns the property name of the object type t.
func Find(t, name string) (Property, bool) {
	if x := index[t]; x != nil {
		p, ok := x.byName[name]
		return p, ok
	}
	return Property{}, false
}

// Read returns the properties the accessors of t's record type read,
// sorted: what a read asks for when its caller names none.
func Read(t string) []string {
	if x := index[t]; x != nil {
		return slices.Clone(x.read)
	}
	return nil
}

// Checked returns the properties of t whose values are checked before a
// request is sent (an enumeration, or a maximum length). The slice is the
// table's: do not change it.
func Checked(t string) []Property {
	if x := index[t]; x != nil {
		return x.checked
	}
	return nil
}

// UTF16Len counts s in UTF-16 code units, as HubSpot measures a value: a
// character outside the Basic Multilingual Plane (an emoji) counts 2.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
