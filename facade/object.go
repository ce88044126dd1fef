package facade

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"
)

// Object is a CRM record (an email, a task, a note, a call, a meeting)
// exactly as HubSpot sent it:
// encoding it gives back HubSpot's JSON, unknown fields and nulls included.
// The methods read its fields; every property is reachable by name.
type Object struct {
	raw   json.RawMessage
	v     objectView
	props *lazyProps // shared by copies: properties are parsed once, when first read
}

// objectView is the fields of a record the accessors read, taken from
// the generated record type of its wire (answers.go).
type objectView struct {
	ID           string
	Properties   ownedJSON // the record's raw properties, parsed when first read
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Archived     bool
	Associations map[string]associatedList
	New          bool // in an upsert answer: the record was created
}

// associatedList is the associations of one type that came with a record,
// or a page of an associations listing.
type associatedList struct {
	Results []AssociatedID
	After   string // the next page's cursor
	More    bool   // HubSpot has more than these
}

// PropertyValue is one property of a record. HubSpot sends null for a
// property that is not set, which is not the same as "" (a value cleared).
type PropertyValue struct {
	Value string
	Null  bool
}

// UnmarshalJSON keeps b and reads the fields the methods return, through
// the v3 record type (gen/tasks's Task; a 2026-03 record has the same
// fields).
func (o *Object) UnmarshalJSON(b []byte) error {
	var r recordOf[v3Record]
	if err := r.UnmarshalJSON(b); err != nil {
		return err
	}
	*o = r.Object
	return nil
}

// ownedJSON is a JSON value kept as its bytes, like json.RawMessage, but
// without a copy: it is a view's field, decoded from the record's own copy
// of its JSON (Object.raw), which the record keeps and never changes.
type ownedJSON []byte

// UnmarshalJSON keeps b, which encoding/json cuts from the input it decodes.
func (j *ownedJSON) UnmarshalJSON(b []byte) error {
	*j = b[:len(b):len(b)]
	return nil
}

// lazyProps holds the parsed properties of an Object. Records that are only
// passed on (an export) never pay for parsing them.
type lazyProps struct {
	once sync.Once
	m    map[string]*string
}

// properties parses the properties on first use; a null value is a nil
// pointer, an absent property is not in the map.
func (o Object) properties() map[string]*string {
	if o.props == nil {
		return nil
	}
	o.props.once.Do(func() {
		if len(o.v.Properties) > 0 {
			_ = json.Unmarshal(o.v.Properties, &o.props.m)
		}
	})
	return o.props.m
}

// MarshalJSON gives back the JSON HubSpot sent.
func (o Object) MarshalJSON() ([]byte, error) {
	if o.raw == nil {
		return []byte("null"), nil
	}
	return o.raw, nil
}

// JSON returns the record as HubSpot sent it. The bytes are the record's
// own, which its accessors read: copy them before changing them.
func (o Object) JSON() json.RawMessage { return o.raw }

// ID returns the record's id.
func (o Object) ID() string { return o.v.ID }

// Archived reports whether the record is archived.
func (o Object) Archived() bool { return o.v.Archived }

// CreatedAt returns createdAt (zero when absent).
func (o Object) CreatedAt() time.Time { return o.v.CreatedAt }

// UpdatedAt returns updatedAt (zero when absent).
func (o Object) UpdatedAt() time.Time { return o.v.UpdatedAt }

// Property returns the named property and whether HubSpot sent it at all.
func (o Object) Property(name string) (PropertyValue, bool) {
	p, ok := o.properties()[name]
	if !ok {
		return PropertyValue{}, false
	}
	if p == nil {
		return PropertyValue{Null: true}, true
	}
	return PropertyValue{Value: *p}, true
}

// Properties returns every property HubSpot sent, by name.
func (o Object) Properties() map[string]PropertyValue {
	m := make(map[string]PropertyValue, len(o.properties()))
	for k := range o.properties() {
		m[k], _ = o.Property(k)
	}
	return m
}

// Associations returns the records of toObjectType (for example "contacts")
// that came with the record (see the Associations field of GetParams).
func (o Object) Associations(toObjectType ObjectType) []AssociatedID {
	return o.v.Associations[string(toObjectType)].Results
}

// str is a property's value, "" when absent or null.
func (o Object) str(name string) string {
	if p := o.properties()[name]; p != nil {
		return *p
	}
	return ""
}

// timeProp reads a time property (RFC 3339 or epoch milliseconds).
func (o Object) timeProp(name string) (time.Time, bool) {
	t := parseTime(o.str(name))
	return t, !t.IsZero()
}

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC()
	}
	return time.Time{}
}

// FormatTime formats t as HubSpot's v3 APIs expect a time property
// (hs_timestamp): RFC 3339 in UTC, with milliseconds.
func FormatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// Properties are the property values to create or update a record with.
// Sending "" clears a property.
type Properties map[string]string

// Properties every record has.
const (
	// ObjectIDProperty is the id property every record has.
	ObjectIDProperty = "hs_object_id"
	// CreatedProperty and ModifiedProperty are when the record was
	// created and last changed.
	CreatedProperty  = "hs_createdate"
	ModifiedProperty = "hs_lastmodifieddate"
	// OwnerIDProperty is the HubSpot owner of a record (for a task, its
	// assignee).
	OwnerIDProperty = "hubspot_owner_id"
	// TimestampProperty is when the activity happened (a task's due
	// time); see FormatTime.
	TimestampProperty = "hs_timestamp"
	// AttachmentIDsProperty lists the ids of files attached to the
	// activity, separated by semicolons.
	AttachmentIDsProperty = "hs_attachment_ids"
)

// Task properties HubSpot defines.
const (
	TaskSubjectProperty  = "hs_task_subject"
	TaskBodyProperty     = "hs_task_body"
	TaskStatusProperty   = "hs_task_status"   // a TaskStatus
	TaskPriorityProperty = "hs_task_priority" // a TaskPriority
	TaskTypeProperty     = "hs_task_type"     // a TaskType
	// TaskRemindersProperty is when to remind the assignee, in epoch
	// milliseconds, separated by semicolons.
	TaskRemindersProperty = "hs_task_reminders"
)

// Email properties HubSpot defines.
const (
	EmailSubjectProperty   = "hs_email_subject"
	EmailTextProperty      = "hs_email_text"
	EmailHTMLProperty      = "hs_email_html"
	EmailDirectionProperty = "hs_email_direction" // an EmailDirection
	EmailStatusProperty    = "hs_email_status"    // an EmailStatus
	// EmailHeadersProperty is a JSON string with from, to, cc and bcc.
	EmailHeadersProperty = "hs_email_headers"
)

// Note properties HubSpot defines.
const (
	// NoteBodyProperty is the note's text, at most MaxNoteBody UTF-16
	// code units: a longer one is refused before sending, however it is
	// sent (create, update, batches, upsert, v1 metadata).
	NoteBodyProperty = "hs_note_body"
)

// Call properties HubSpot defines.
const (
	CallTitleProperty        = "hs_call_title"
	CallBodyProperty         = "hs_call_body"
	CallDurationProperty     = "hs_call_duration" // milliseconds
	CallFromNumberProperty   = "hs_call_from_number"
	CallToNumberProperty     = "hs_call_to_number"
	CallRecordingURLProperty = "hs_call_recording_url"
	CallStatusProperty       = "hs_call_status"    // a CallStatus
	CallDirectionProperty    = "hs_call_direction" // a CallDirection
	// CallDispositionProperty is the outcome's GUID (see
	// Engagements.Dispositions).
	CallDispositionProperty = "hs_call_disposition"
)

// Meeting properties HubSpot defines.
const (
	MeetingTitleProperty         = "hs_meeting_title"
	MeetingBodyProperty          = "hs_meeting_body"
	MeetingInternalNotesProperty = "hs_internal_meeting_notes"
	MeetingExternalURLProperty   = "hs_meeting_external_url"
	MeetingLocationProperty      = "hs_meeting_location"
	MeetingStartTimeProperty     = "hs_meeting_start_time"
	MeetingEndTimeProperty       = "hs_meeting_end_time"
	MeetingOutcomeProperty       = "hs_meeting_outcome" // a MeetingOutcome
)

// Communication properties HubSpot defines.
const (
	CommunicationBodyProperty    = "hs_communication_body"
	CommunicationChannelProperty = "hs_communication_channel_type" // a CommunicationChannel
	// CommunicationLoggedFromProperty must be LoggedFromCRM on a message
	// the API logs (HubSpot's communications guide).
	CommunicationLoggedFromProperty = "hs_communication_logged_from" // a CommunicationLoggedFrom
)

// Postal mail properties HubSpot defines.
const (
	PostalMailBodyProperty = "hs_postal_mail_body"
)

// Task is a task. Its methods read the well-known properties; Property
// reads any other.
type Task struct{ Object }

// Subject returns hs_task_subject.
func (t Task) Subject() string { return t.str(TaskSubjectProperty) }

// Body returns hs_task_body.
func (t Task) Body() string { return t.str(TaskBodyProperty) }

// Status returns hs_task_status.
func (t Task) Status() TaskStatus { return TaskStatus(t.str(TaskStatusProperty)) }

// Priority returns hs_task_priority.
func (t Task) Priority() TaskPriority { return TaskPriority(t.str(TaskPriorityProperty)) }

// Type returns hs_task_type.
func (t Task) Type() TaskType { return TaskType(t.str(TaskTypeProperty)) }

// Due returns hs_timestamp, the due time, and whether it is set.
func (t Task) Due() (time.Time, bool) { return t.timeProp(TimestampProperty) }

// Email is an email engagement. Its methods read the well-known
// properties; Property reads any other.
type Email struct{ Object }

// Subject returns hs_email_subject.
func (e Email) Subject() string { return e.str(EmailSubjectProperty) }

// Text returns hs_email_text.
func (e Email) Text() string { return e.str(EmailTextProperty) }

// HTML returns hs_email_html.
func (e Email) HTML() string { return e.str(EmailHTMLProperty) }

// Direction returns hs_email_direction.
func (e Email) Direction() EmailDirection { return EmailDirection(e.str(EmailDirectionProperty)) }

// Status returns hs_email_status.
func (e Email) Status() EmailStatus { return EmailStatus(e.str(EmailStatusProperty)) }

// Timestamp returns hs_timestamp and whether it is set.
func (e Email) Timestamp() (time.Time, bool) { return e.timeProp(TimestampProperty) }

// Note is a note. Its methods read the well-known properties; Property
// reads any other.
type Note struct{ Object }

// Body returns hs_note_body.
func (n Note) Body() string { return n.str(NoteBodyProperty) }

// Timestamp returns hs_timestamp and whether it is set.
func (n Note) Timestamp() (time.Time, bool) { return n.timeProp(TimestampProperty) }

// Call is a call. Its methods read the well-known properties; Property
// reads any other.
type Call struct{ Object }

// Title returns hs_call_title.
func (c Call) Title() string { return c.str(CallTitleProperty) }

// Body returns hs_call_body.
func (c Call) Body() string { return c.str(CallBodyProperty) }

// Status returns hs_call_status.
func (c Call) Status() CallStatus { return CallStatus(c.str(CallStatusProperty)) }

// Direction returns hs_call_direction.
func (c Call) Direction() CallDirection { return CallDirection(c.str(CallDirectionProperty)) }

// Duration returns hs_call_duration (0 when absent or not a number).
func (c Call) Duration() time.Duration {
	ms, _ := strconv.ParseInt(c.str(CallDurationProperty), 10, 64)
	return time.Duration(ms) * time.Millisecond
}

// Timestamp returns hs_timestamp and whether it is set.
func (c Call) Timestamp() (time.Time, bool) { return c.timeProp(TimestampProperty) }

// Meeting is a meeting. Its methods read the well-known properties;
// Property reads any other.
type Meeting struct{ Object }

// Title returns hs_meeting_title.
func (m Meeting) Title() string { return m.str(MeetingTitleProperty) }

// Body returns hs_meeting_body.
func (m Meeting) Body() string { return m.str(MeetingBodyProperty) }

// Outcome returns hs_meeting_outcome.
func (m Meeting) Outcome() MeetingOutcome { return MeetingOutcome(m.str(MeetingOutcomeProperty)) }

// Start returns hs_meeting_start_time and whether it is set.
func (m Meeting) Start() (time.Time, bool) { return m.timeProp(MeetingStartTimeProperty) }

// End returns hs_meeting_end_time and whether it is set.
func (m Meeting) End() (time.Time, bool) { return m.timeProp(MeetingEndTimeProperty) }

// Communication is a WhatsApp, LinkedIn or SMS message logged on records.
// Its methods read the well-known properties; Property reads any other.
type Communication struct{ Object }

// Body returns hs_communication_body.
func (c Communication) Body() string { return c.str(CommunicationBodyProperty) }

// Channel returns hs_communication_channel_type.
func (c Communication) Channel() CommunicationChannel {
	return CommunicationChannel(c.str(CommunicationChannelProperty))
}

// LoggedFrom returns hs_communication_logged_from.
func (c Communication) LoggedFrom() CommunicationLoggedFrom {
	return CommunicationLoggedFrom(c.str(CommunicationLoggedFromProperty))
}

// Timestamp returns hs_timestamp, when the message was sent or received.
func (c Communication) Timestamp() (time.Time, bool) { return c.timeProp(TimestampProperty) }

// PostalMail is a postal mail sent or received, logged on records. Its
// methods read the well-known properties; Property reads any other.
type PostalMail struct{ Object }

// Body returns hs_postal_mail_body.
func (p PostalMail) Body() string { return p.str(PostalMailBodyProperty) }

// Timestamp returns hs_timestamp, when the mail was sent or received.
func (p PostalMail) Timestamp() (time.Time, bool) { return p.timeProp(TimestampProperty) }
