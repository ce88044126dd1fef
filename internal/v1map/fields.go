package v1map

import (
	"slices"

	"github.com/engagekit/hubspot-engagements/internal/props"
)

// Section is the part of a v1 record a field belongs to.
type Section uint8

// The parts of a v1 record that carry properties. Associations are
// converted apart (ToAssociations), as they are apart in a create body.
const (
	// SectionEngagement is the "engagement" object.
	SectionEngagement Section = iota
	// SectionMetadata is the "metadata" object.
	SectionMetadata
	// SectionAttachments is the top-level "attachments" list.
	SectionAttachments
)

// String names the section as it appears in a v1 record.
func (s Section) String() string {
	switch s {
	case SectionEngagement:
		return "engagement"
	case SectionMetadata:
		return "metadata"
	}
	return "attachments"
}

// Access says whether a field's property can be written.
type Access uint8

const (
	// NoProperty: HubSpot has no property for the field. A request that
	// sets it is refused (*UnmappedError); a stored record loses it, and
	// ToProperties lists it in unmapped.
	NoProperty Access = iota
	// Writable: the property takes the field's value on create and update.
	Writable
	// ReadOnly: HubSpot sets the property itself. A request's value is
	// left out (and listed in unmapped), as both APIs ignore it; a stored
	// record's value is converted.
	ReadOnly
)

// String names the access for tables.
func (a Access) String() string {
	switch a {
	case Writable:
		return "writable"
	case ReadOnly:
		return "read-only"
	}
	return "no property"
}

// Format is how a field's JSON value and its property's text convert.
type Format uint8

const (
	// Text: a JSON string ↔ the same text, unchanged (enumeration values
	// included: HubSpot's property options use v1's values, and HubSpot
	// validates them).
	Text Format = iota
	// Integer: a JSON integer (int64) ↔ its decimal text.
	Integer
	// Owner: an owner id; like Integer, but v1's 0 ("no owner", as in the
	// recorded TASKs with ownerId 0) ↔ the empty value, which reads back
	// as no ownerId.
	Owner
	// Millis: epoch milliseconds ↔ an ISO 8601 UTC time with milliseconds
	// ("2016-06-29T10:21:14.053Z"), the form HubSpot returns. Reading
	// accepts ISO 8601 with any precision (cut to the millisecond) or
	// epoch milliseconds, the two forms HubSpot accepts.
	Millis
	// Boolean: true/false ↔ "true"/"false".
	Boolean
	// MillisList: an array of epoch milliseconds ↔ the numbers joined by
	// ";" (HubSpot's separator for multi-valued properties); [] ↔ "".
	MillisList
	// AttachmentIDs: [{"id":n},…] ↔ the ids joined by ";"; [] ↔ "".
	AttachmentIDs
	// EmailHeader: one part (from, sender, to, cc, bcc) of the JSON
	// object that hs_email_headers holds as text; each part is kept as
	// is, fields HubSpot adds to a contact included.
	EmailHeader
	// Direction: an email's engagement.type (EMAIL, INCOMING_EMAIL,
	// FORWARDED_EMAIL) ↔ hs_email_direction, which has the same values.
	Direction
	// TypeName: engagement.type of the other types, which the object type
	// implies; it must equal the type converted.
	TypeName
	// AlwaysTrue: engagement.active. Every record the object APIs return
	// is active (a deleted one is archived, not inactive): true is kept
	// implicitly and always read back; false cannot be stored.
	AlwaysTrue
)

// String names the format for tables.
func (f Format) String() string {
	return [...]string{"text", "integer ↔ decimal text", "owner id (0 ↔ none)", "epoch ms ↔ ISO 8601",
		"boolean", "epoch ms list ↔ a;b", "[{id}] ↔ a;b", "part of hs_email_headers",
		"the email type ↔ direction", "implied by the object type", "always true; false refused"}[f]
}

// Field maps one v1 field of an engagement type to its object property.
type Field struct {
	// Section and Name place the field in a v1 record; Name is "" for
	// SectionAttachments (the whole list).
	Section Section
	Name    string
	// Property is the object property that holds the field, "" when
	// HubSpot has none.
	Property string
	// Access says who writes the property.
	Access Access
	// Format is how the value converts.
	Format Format
	// Note says where the mapping is documented, and what else to know.
	Note string
}

// Path names the field as ToProperties reports it: "engagement.timestamp",
// "metadata.body", "attachments".
func (f Field) Path() string {
	if f.Section == SectionAttachments {
		return "attachments"
	}
	return f.Section.String() + "." + f.Name
}

// Sources of the mappings, named once. "guide" is HubSpot's developer guide
// of the object (developers.hubspot.com/docs/api-reference/latest/crm/
// activities/{notes,calls,meetings,emails,tasks}/guide, March 2026).
const (
	srcGuide     = "each object's guide lists it"
	srcAnswers   = "in every object answer HubSpot sends (recorded v3 answers under shared/fixtures/recorded)"
	srcRecording = "HubSpot's call recordings guide (crm/extensions/calling-extensions/recordings-and-transcriptions): the externalId/externalAccountId of v1 metadata"
	srcNone      = "no property in HubSpot's documentation"
)

// table is the mapping of one engagement type.
type table struct {
	typ    string // the canonical type (EMAIL for the three email types)
	object string
	fields []Field
	// byName finds a field of the engagement or metadata section.
	engagement, metadata map[string]*Field
	attachments          *Field
	// headers is the hs_email_headers property of EMAIL ("" otherwise).
	headers string
}

var tables = map[string]*table{}

func init() {
	for _, t := range []*table{
		newTable(TypeNote, Notes, true, false,
			Field{SectionMetadata, "body", "hs_note_body", Writable, Text, "notes guide; at most 65,536 UTF-16 code units (internal/props's MaxLength; the facade checks, as for v1)"},
		),
		newTable(TypeCall, Calls, true, true,
			Field{SectionMetadata, "toNumber", "hs_call_to_number", Writable, Text, "calls guide"},
			Field{SectionMetadata, "fromNumber", "hs_call_from_number", Writable, Text, "calls guide"},
			Field{SectionMetadata, "status", "hs_call_status", Writable, Text, "calls guide: BUSY, CALLING_CRM_USER, CANCELED, COMPLETED, CONNECTING, FAILED, IN_PROGRESS, NO_ANSWER, QUEUED, RINGING (v1's values are among them)"},
			Field{SectionMetadata, "externalId", "hs_call_external_id", Writable, Text, srcRecording},
			Field{SectionMetadata, "durationMilliseconds", "hs_call_duration", Writable, Integer, "calls guide: the duration in milliseconds (an older beta page said seconds; the current guide and the recordings guide say milliseconds)"},
			Field{SectionMetadata, "externalAccountId", "hs_call_external_account_id", Writable, Text, srcRecording},
			Field{SectionMetadata, "recordingUrl", "hs_call_recording_url", Writable, Text, "calls guide: HubSpot accepts only HTTPS URLs"},
			Field{SectionMetadata, "body", "hs_call_body", Writable, Text, "calls guide"},
			Field{SectionMetadata, "disposition", "hs_call_disposition", Writable, Text, "calls guide: the disposition GUID, as in v1"},
			Field{SectionMetadata, "title", "hs_call_title", Writable, Text, "calls guide; v1 CALL records carry metadata.title (testdata/contract/v1/get)"},
		),
		newTable(TypeMeeting, Meetings, true, true,
			Field{SectionMetadata, "body", "hs_meeting_body", Writable, Text, "meetings guide"},
			Field{SectionMetadata, "startTime", "hs_meeting_start_time", Writable, Millis, "meetings guide"},
			Field{SectionMetadata, "endTime", "hs_meeting_end_time", Writable, Millis, "meetings guide"},
			Field{SectionMetadata, "title", "hs_meeting_title", Writable, Text, "meetings guide"},
			Field{SectionMetadata, "internalMeetingNotes", "hs_internal_meeting_notes", Writable, Text, "meetings guide"},
			Field{SectionMetadata, "location", "hs_meeting_location", Writable, Text, "meetings guide; v1 MEETING records carry metadata.location"},
		),
		newTable(TypeTask, Tasks, false, false,
			Field{SectionMetadata, "body", "hs_task_body", Writable, Text, "tasks guide"},
			Field{SectionMetadata, "subject", "hs_task_subject", Writable, Text, "tasks guide"},
			Field{SectionMetadata, "status", "hs_task_status", Writable, Text, "tasks guide (its example uses WAITING, one of v1's NOT_STARTED, IN_PROGRESS, WAITING, COMPLETED, DEFERRED)"},
			Field{SectionMetadata, "forObjectType", "hs_task_for_object_type", Writable, Text, "not in the tasks guide; HubSpot sets it on every task it creates (recorded v3-task-create-response: \"OWNER\"), v1 sent CONTACT, COMPANY, DEAL"},
			Field{SectionMetadata, "taskType", "hs_task_type", Writable, Text, "tasks guide: EMAIL, CALL, TODO, as in v1"},
			Field{SectionMetadata, "priority", "hs_task_priority", Writable, Text, "tasks guide: LOW, MEDIUM, HIGH; v1's NONE passes unchanged (HubSpot's property has that option too)"},
			Field{SectionMetadata, "reminders", "hs_task_reminders", Writable, MillisList, "tasks guide: reminder times in epoch milliseconds"},
		),
		newTable(TypeEmail, Emails, true, false,
			emailHeader("from"), emailHeader("sender"), emailHeader("to"), emailHeader("cc"), emailHeader("bcc"),
			Field{SectionMetadata, "subject", "hs_email_subject", Writable, Text, "emails guide"},
			Field{SectionMetadata, "html", "hs_email_html", Writable, Text, "emails guide"},
			Field{SectionMetadata, "text", "hs_email_text", Writable, Text, "emails guide"},
			Field{SectionMetadata, "status", "hs_email_status", Writable, Text, "emails guide: BOUNCED, FAILED, SCHEDULED, SENDING, SENT, as in v1"},
		),
	} {
		tables[t.typ] = t
	}
	tables[TypeIncomingEmail] = tables[TypeEmail]
	tables[TypeForwardedEmail] = tables[TypeEmail]
}

// newTable builds the table of a type: the engagement fields every type has
// (hs_activity_type and hs_attachment_ids for the types whose guide lists
// them), then the type's own metadata fields.
func newTable(typ, object string, hasAttachments, hasActivityType bool, own ...Field) *table {
	typeField := Field{SectionEngagement, "type", "", NoProperty, TypeName, "the object type implies it"}
	if typ == TypeEmail {
		typeField = Field{SectionEngagement, "type", "hs_email_direction", Writable, Direction, "emails guide: EMAIL, INCOMING_EMAIL or FORWARDED_EMAIL, the v1 email types"}
	}
	fields := []Field{
		{SectionEngagement, "id", "hs_object_id", ReadOnly, Integer, "the object's id, the same as the v1 id; " + srcAnswers},
		typeField,
		{SectionEngagement, "timestamp", "hs_timestamp", Writable, Millis, srcGuide + " (for a TASK it is the due date, as v1's timestamp was)"},
		{SectionEngagement, "ownerId", "hubspot_owner_id", Writable, Owner, srcGuide},
		{SectionEngagement, "createdAt", "hs_createdate", ReadOnly, Millis, srcAnswers},
		{SectionEngagement, "lastUpdated", "hs_lastmodifieddate", ReadOnly, Millis, srcAnswers},
		{SectionEngagement, "active", "", NoProperty, AlwaysTrue, "no property: object records are active until archived"},
		{SectionEngagement, "bodyPreview", "hs_body_preview", ReadOnly, Text, srcAnswers},
		{SectionEngagement, "bodyPreviewHtml", "hs_body_preview_html", ReadOnly, Text, srcAnswers},
		{SectionEngagement, "bodyPreviewIsTruncated", "hs_body_preview_is_truncated", ReadOnly, Boolean, srcAnswers},
	}
	// v1 fields HubSpot documents no property for; named so that a stored
	// record reports them rather than calling them unknown.
	for _, name := range []string{"uid", "portalId", "createdBy", "modifiedBy", "teamId",
		"allAccessibleTeamIds", "source", "sourceId", "gdprDeleted"} {
		fields = append(fields, Field{SectionEngagement, name, "", NoProperty, Text, srcNone})
	}
	fields = append(fields, activityType(hasActivityType), attachments(hasAttachments))
	fields = append(fields, own...)
	// Every property named is one of internal/props's, the one table of
	// HubSpot's properties (the facade and the fake read it too): a name
	// that is not there is a mistake of this table's, found at start.
	for _, f := range fields {
		if _, ok := props.Find(object, f.Property); f.Property != "" && !ok {
			panic("v1map: " + typ + " " + f.Path() + ": " + f.Property + " is not a property of " + object + " in internal/props")
		}
	}
	t := &table{typ: typ, object: object, fields: fields,
		engagement: map[string]*Field{}, metadata: map[string]*Field{}}
	for i := range t.fields {
		f := &t.fields[i]
		switch f.Section {
		case SectionEngagement:
			t.engagement[f.Name] = f
		case SectionMetadata:
			t.metadata[f.Name] = f
			if f.Format == EmailHeader {
				t.headers = f.Property
			}
		default:
			t.attachments = f
		}
	}
	return t
}

// attachments is the attachments field: hs_attachment_ids where the object's
// guide lists it (notes, calls, meetings, emails), none for tasks.
func attachments(has bool) Field {
	if !has {
		return Field{SectionAttachments, "", "", NoProperty, AttachmentIDs, "the tasks guide lists no hs_attachment_ids"}
	}
	return Field{SectionAttachments, "", "hs_attachment_ids", Writable, AttachmentIDs, "guide: attachment ids separated by semicolons"}
}

// activityType is engagement.activityType: hs_activity_type (the call or
// meeting type of the account) for calls and meetings.
func activityType(has bool) Field {
	if !has {
		return Field{SectionEngagement, "activityType", "", NoProperty, Text, srcNone + " for this type"}
	}
	return Field{SectionEngagement, "activityType", "hs_activity_type", Writable, Text, "calls and meetings guides: the call or meeting type set in the account"}
}

// emailHeader is one part of hs_email_headers.
func emailHeader(name string) Field {
	return Field{SectionMetadata, name, "hs_email_headers", Writable, EmailHeader,
		"emails guide: one JSON text {from, sender, to, cc, bcc}; HubSpot fills the read-only hs_email_from_email, hs_email_to_email, … from it"}
}

// lookup returns the table of an engagement type.
func lookup(engType string) (*table, error) {
	if t, ok := tables[engType]; ok {
		return t, nil
	}
	return nil, &TypeError{Type: engType}
}

// Fields returns the mapping of an engagement type, field by field: every
// field of the v1 record that the table knows, in a fixed order, with the
// property that holds it or none.
func Fields(engType string) ([]Field, error) {
	t, err := lookup(engType)
	if err != nil {
		return nil, err
	}
	return slices.Clone(t.fields), nil
}

// PropertyNames returns the properties FromProperties reads for an
// engagement type, sorted and without repeats: what to ask for in the
// properties parameter of a read, list or search.
func PropertyNames(engType string) ([]string, error) {
	t, err := lookup(engType)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, f := range t.fields {
		if f.Property != "" {
			names = append(names, f.Property)
		}
	}
	if t.headers != "" {
		names = append(names, emailFromProps...)
	}
	slices.Sort(names)
	return slices.Compact(names), nil
}
